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
        if n_labels > 256:
            # viterbi() keeps its back-pointers in bytes.
            raise ModelError(f"NER model {path}: more than 256 labels ({n_labels})")
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


def _batch(emissions: Sequence[Matrix]) -> tuple[list[int], list[int], Matrix]:
    """Longest first, zero-padded into one (steps, labels, sequences) block.

    Labels before sequences: a step's scores are then a few rows as long as
    the batch, so numpy runs long inner loops instead of one short loop per
    sequence, which is what a step's cost is made of at these sizes."""
    order = sorted(range(len(emissions)), key=lambda i: -len(emissions[i]))
    lengths = [len(emissions[i]) for i in order]
    block = np.zeros((lengths[0], emissions[0].shape[1], len(order)))
    for row, i in enumerate(order):
        block[: lengths[row], :, row] = emissions[i]
    return order, lengths, block


def viterbi(emissions: Sequence[Matrix], transition: Matrix) -> list[list[int]]:
    """Best label IDs of each sequence (rows: tokens, columns: label scores).

    All sequences step together; one that has ended keeps stepping over zero
    scores, but its best final label is read at its own last step. The loop
    keeps only the running maxima; which previous label gave each maximum is
    found afterwards for all steps at once, by recomputing the same sums and
    comparing (bit for bit: the same additions), the first label winning ties
    as with argmax."""
    if not emissions:
        return []
    order, lengths, block = _batch(emissions)
    steps, labels, batch = block.shape
    delta = np.empty_like(block)
    best = np.empty_like(block)
    delta[0] = block[0]
    moves = transition[:, :, None]  # (from, to, 1)
    scores = np.empty((labels, labels, batch))
    add, top = np.add, np.maximum.reduce
    for t in range(1, steps):
        add(delta[t - 1, :, None, :], moves, out=scores)
        top(scores, axis=0, out=best[t])
        add(best[t], block[t], out=delta[t])
    rows = np.arange(batch)
    last = np.array(lengths, dtype=np.intp) - 1
    best_last: list[int] = delta[last, :, rows].argmax(axis=1).tolist()
    back = np.zeros(block.shape, dtype=np.uint8)
    if steps > 1:
        prev, reached, pointers = delta[:-1], best[1:], back[1:]
        for f in range(labels - 1, -1, -1):
            sums = add(prev[:, f, None, :], transition[f, None, :, None])
            np.putmask(pointers, sums == reached, f)
    # Sequence by sequence, as bytes: only the cells on the path are ever read,
    # so they are not all made into Python ints.
    pointer = np.ascontiguousarray(back.transpose(2, 0, 1)).tobytes()
    out: list[list[int]] = [[] for _ in order]
    for row, i in enumerate(order):
        n, y = lengths[row], best_last[row]
        base = row * steps * labels
        path = [y] * n
        for t in range(n - 1, 0, -1):
            y = pointer[base + t * labels + y]
            path[t - 1] = y
        out[i] = path
    return out


def marginals(emissions: Sequence[Matrix], transition: Matrix) -> list[Matrix]:
    """P(label at token) for each sequence, by scaled forward-backward.

    Both passes run in one loop: with gamma = odds * beta, the backward pass
    (beta_t = gamma_t+1 @ moves.T) has the forward pass's shape (alpha_t = odds
    * (alpha_t-1 @ moves)), so the two are stacked and each step is two numpy
    calls for both (and a rescaling every few steps). The probabilities agree
    with crfsuite's to ~1e-15."""
    if not emissions:
        return []
    order, lengths, block = _batch(emissions)
    if len(order) % 2:
        # The matrix product (OpenBLAS) takes rows in pairs and a last odd row
        # in another order of additions: with an even batch, a sequence gets
        # the same probabilities, to the last bit, in any batch.
        block = np.concatenate([block, np.zeros((*block.shape[:2], 1))], axis=2)
        lengths = [*lengths, 1]
    steps, labels, batch = block.shape
    # Rows per sequence here: (steps, sequences, labels).
    odds = np.ascontiguousarray(np.exp(block - block.max(axis=1, keepdims=True)).transpose(0, 2, 1))
    moves = np.exp(transition)
    stacked = np.empty((steps, 2, batch, labels))
    stacked[:, 0] = odds
    # Backward half: time reversed, so a sequence's last token comes first.
    # Cell (t, b, label) of either layout is cell (n_b - 1 - t, b, label) of
    # the other (padding cells point anywhere: they are never read).
    reverse = np.maximum(np.array(lengths)[None, :] - 1 - np.arange(steps)[:, None], 0)
    flip = (reverse * batch + np.arange(batch)[None, :])[:, :, None] * labels + np.arange(labels)[
        None, None, :
    ]
    stacked[:, 1] = odds.ravel().take(flip)
    matrices = np.stack([moves, moves.T])
    scaled = np.empty_like(stacked)  # alpha, and gamma (scaled)
    carried = np.empty_like(stacked)  # beta in the backward half
    total = np.empty((2, batch, 1))
    scaled[0] = stacked[0]
    scaled[0] /= scaled[0].sum(axis=2, keepdims=True)
    carried[0] = 1.0
    add, multiply, matmul = np.add.reduce, np.multiply, np.matmul
    # Each token's probabilities are normalised on their own at the end, so
    # the running sums need rescaling only often enough to stay far from
    # overflow and underflow: a step multiplies a sum by at most labels *
    # e^max(transition) and at least e^min(transition) (the likeliest label's
    # odds are 1), and 1e±150 is far from float64's limits.
    growth = max(float(np.log(labels)) + float(transition.max()), -float(transition.min()), 1.0)
    every = int(min(8, max(1, 345 // growth)))
    for t in range(1, steps):
        x = scaled[t]
        matmul(scaled[t - 1], matrices, out=carried[t])
        multiply(carried[t], stacked[t], out=x)
        if t % every == 0:
            add(x, axis=2, keepdims=True, out=total)
            x /= total
    alpha = scaled[:, 0]
    beta = np.ascontiguousarray(carried[:, 1]).ravel().take(flip)
    joint = alpha * beta
    joint /= joint.sum(axis=2, keepdims=True)
    out: list[Matrix] = [joint[:0, 0]] * len(order)
    for row, i in enumerate(order):
        out[i] = joint[: lengths[row], row]
    return out
