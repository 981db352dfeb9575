"""A crfsuite CRF1d model read into numpy, and its decoding, for many sequences at once.

crfsuite scores a token by looking up each of its ~20 attribute strings and
runs Viterbi per sentence; rasid's attributes mostly depend on one word, so
their weights can be summed once per distinct word (see
:class:`rasid.ner.tagger.NerModel`) and whole documents decoded together.
The arithmetic is crfsuite's: the same weights (read from the model file,
not from its rounded text dump), the same max-sum recursion with the first
label winning ties, and forward-backward marginals.

The file layout (crfsuite ``crf1d_model.c``, little-endian): a 48-byte header
with the offsets of the feature chunk (``FEAT``: type, source, destination,
weight per feature; type 0 = attribute→label, 1 = label→label) and of the
label and attribute dictionaries (CQDB files whose backward array maps an ID
to its record: ID, key size, key bytes with a trailing NUL).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from rasid.errors import ModelError

Matrix = NDArray[np.float64]

_HEADER = struct.Struct("<4sI4sIIIIIIIII")
_CHUNK = struct.Struct("<4sII")
_CQDB = struct.Struct("<4sIIIII")
_RECORD = struct.Struct("<II")
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])


def _cqdb_keys(buf: bytes, offset: int) -> list[str]:
    chunk, _, _, _, size, bwd = _CQDB.unpack_from(buf, offset)
    if chunk != b"CQDB":
        raise ModelError("CRF model: dictionary chunk is not CQDB")
    keys: list[str] = []
    for at in np.frombuffer(buf, dtype="<u4", count=size, offset=offset + bwd).tolist():
        start = offset + at + _RECORD.size
        _, key_size = _RECORD.unpack_from(buf, offset + at)
        keys.append(buf[start : start + key_size - 1].decode("utf-8"))
    return keys


@dataclass(frozen=True, slots=True)
class CrfWeights:
    """Labels, attribute IDs, attribute→label weights and label→label weights."""

    labels: tuple[str, ...]
    attributes: dict[str, int]
    state: Matrix  # (attributes, labels)
    transition: Matrix  # (from label, to label)

    @classmethod
    def read(cls, path: Path) -> CrfWeights:
        try:
            buf = path.read_bytes()
        except OSError as exc:
            raise ModelError(f"cannot open NER model {path}: {exc}") from exc
        try:
            magic, _, kind, _, _, n_labels, n_attrs, off_feat, off_labels, off_attrs, _, _ = (
                _HEADER.unpack_from(buf, 0)
            )
            if magic != b"lCRF" or kind != b"FOMC":
                raise ModelError(f"{path} is not a crfsuite CRF1d model")
            chunk, _, n_features = _CHUNK.unpack_from(buf, off_feat)
            if chunk != b"FEAT":
                raise ModelError(f"{path}: no feature chunk")
            features = np.frombuffer(
                buf, dtype=_FEATURE, count=n_features, offset=off_feat + _CHUNK.size
            )
            labels = tuple(_cqdb_keys(buf, off_labels))
            attrs = _cqdb_keys(buf, off_attrs)
        except (struct.error, ValueError, UnicodeDecodeError) as exc:
            raise ModelError(f"NER model {path} is broken: {exc}") from exc
        if len(labels) != n_labels or len(attrs) != n_attrs:
            raise ModelError(f"NER model {path}: dictionary sizes do not match the header")
        state = np.zeros((n_attrs, n_labels))
        transition = np.zeros((n_labels, n_labels))
        kinds = features["type"]
        own = features[kinds == 0]
        state[own["src"], own["dst"]] = own["weight"]
        pairs = features[kinds == 1]
        transition[pairs["src"], pairs["dst"]] = pairs["weight"]
        return cls(labels, {a: i for i, a in enumerate(attrs)}, state, transition)

    def score(self, attributes: Iterable[str]) -> Matrix:
        """Summed label weights of some attributes (unknown ones weigh nothing)."""
        index = self.attributes
        ids = [index[a] for a in attributes if a in index]
        if not ids:
            return np.zeros(len(self.labels))
        return self.state[ids].sum(axis=0)  # type: ignore[no-any-return]


def _batch(emissions: Sequence[Matrix]) -> tuple[list[int], list[int], Matrix, dict[int, slice]]:
    """Longest first, padded into one (steps, sequences, labels) block.

    Also which sequences (a contiguous range, longest first) end at each step."""
    order = sorted(range(len(emissions)), key=lambda i: -len(emissions[i]))
    lengths = [len(emissions[i]) for i in order]
    block = np.zeros((lengths[0], len(order), emissions[0].shape[1]))
    for row, i in enumerate(order):
        block[: lengths[row], row] = emissions[i]
    ends: dict[int, slice] = {}
    for row, n in enumerate(lengths):
        last = ends.get(n - 1)
        ends[n - 1] = slice(row if last is None else last.start, row + 1)
    return order, lengths, block, ends


def viterbi(emissions: Sequence[Matrix], transition: Matrix) -> list[list[int]]:
    """Best label IDs of each sequence (rows: tokens, columns: label scores).

    All sequences step together; one that has ended keeps stepping over zero
    scores, but its best final label was taken at its own last step."""
    if not emissions:
        return []
    order, lengths, block, ends = _batch(emissions)
    steps, batch, labels = block.shape
    delta = block[0].copy()
    final = np.empty((batch, labels))
    if 0 in ends:
        final[ends[0]] = delta[ends[0]]
    back = np.empty(block.shape, dtype=np.intp)
    scores = np.empty((batch, labels, labels))
    for t in range(1, steps):
        np.add(delta[:, :, None], transition, out=scores)
        np.argmax(scores, axis=1, out=back[t])
        np.max(scores, axis=1, out=delta)
        delta += block[t]
        if t in ends:
            final[ends[t]] = delta[ends[t]]
    best_last = final.argmax(axis=1)
    rows = np.arange(batch)
    path = np.empty((steps, batch), dtype=np.intp)
    current = np.zeros(batch, dtype=np.intp)
    for t in range(steps - 1, -1, -1):
        if t in ends:
            current[ends[t]] = best_last[ends[t]]
        path[t] = current
        if t:
            current = back[t, rows, current]
    paths: list[list[int]] = path.T.tolist()
    out: list[list[int]] = [[] for _ in order]
    for row, i in enumerate(order):
        out[i] = paths[row][: lengths[row]]
    return out


def marginals(emissions: Sequence[Matrix], transition: Matrix) -> list[Matrix]:
    """P(label at token) for each sequence, by scaled forward-backward."""
    if not emissions:
        return []
    order, lengths, block, ends = _batch(emissions)
    steps = block.shape[0]
    odds = np.exp(block - block.max(axis=2, keepdims=True))
    moves = np.exp(transition)
    back_moves = np.ascontiguousarray(moves.T)
    alpha = np.empty_like(odds)
    alpha[0] = odds[0]
    alpha[0] /= alpha[0].sum(axis=1, keepdims=True)
    for t in range(1, steps):
        a = alpha[t]
        np.matmul(alpha[t - 1], moves, out=a)
        a *= odds[t]
        a /= a.sum(axis=1, keepdims=True)
    beta = np.empty_like(odds)
    beta[steps - 1] = 1.0
    for t in range(steps - 2, -1, -1):
        b = beta[t]
        np.matmul(odds[t + 1] * beta[t + 1], back_moves, out=b)
        b /= b.sum(axis=1, keepdims=True)
        if t in ends:
            b[ends[t]] = 1.0  # these sequences end here
    joint = alpha * beta
    joint /= joint.sum(axis=2, keepdims=True)
    out: list[Matrix] = [joint[:0, 0]] * len(order)
    for row, i in enumerate(order):
        out[i] = joint[: lengths[row], row]
    return out
