"""Duplicate detection: exact (same normalised text) and near (MinHash + LSH).

A duplicate is never dropped: :class:`Deduplicator` says what a document is a
copy of, and the store records the link to the first version.

Signatures are MinHash values over character shingles (k=5) of the folded
text (:func:`rasid.text.normalize.normalize_key`, punctuation removed). The
shingle hash and the permutations are fixed here, not taken from a library
default, so a signature saved today still compares with one made next year;
:data:`SIGNATURE_SCHEME` names the scheme, and the store should rebuild
signatures when it changes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from datasketch import MinHashLSH

from rasid.model import Document
from rasid.text.normalize import fold, normalize_key

SIGNATURE_SCHEME = "minhash-char5-mulshift-v1"
CONTENT_KEY_SCHEME = "normkey-sha256-v1"

_RANGE = (1 << 61) - 1
_SHIFT = np.uint64(32)
_MAX_HASH = np.uint64((1 << 32) - 1)
_SEED = 1
_BASE = np.uint64(1_000_003)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
# Shingles per matrix step: bounds memory, and 128 x 512 values stay in the CPU cache.
_CHUNK = 512
_NON_WORD = re.compile(r"[\W_]+")

DecisionKind = Literal["new", "exact", "near"]


def content_key(text: str) -> str:
    """Key of the normalised text: two texts with the same key are exact duplicates."""
    return hashlib.sha256(normalize_key(text).casefold().encode("utf-8")).hexdigest()


def shingle_text(text: str) -> str:
    """What the shingles are cut from: folded, punctuation and space runs as one space."""
    return _NON_WORD.sub(" ", fold(text).casefold()).strip()


def _key_and_shingle_text(text: str) -> tuple[str, str]:
    """:func:`content_key` and :func:`shingle_text` of ``text``, folding it once.

    Case folding neither makes nor changes whitespace, so it commutes with
    the whitespace collapsing of :func:`normalize_key`.
    """
    folded = fold(text).casefold()
    # str.split() and the regex \s agree on what whitespace is; split is faster.
    key = hashlib.sha256(" ".join(folded.split()).encode("utf-8")).hexdigest()
    return key, _NON_WORD.sub(" ", folded).strip()


def _shingle_hashes(text: str, k: int) -> np.ndarray:
    """32-bit hashes of the k-character shingles (a rolling hash, then splitmix64)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if codes.size == 0:
        return np.zeros(0, dtype=np.uint64)
    width = min(k, int(codes.size))
    count = int(codes.size) - width + 1
    hashes = np.zeros(count, dtype=np.uint64)
    for offset in range(width):
        hashes = hashes * _BASE + codes[offset : offset + count]
    hashes ^= hashes >> np.uint64(30)
    hashes *= _MIX1
    hashes ^= hashes >> np.uint64(27)
    hashes *= _MIX2
    hashes ^= hashes >> np.uint64(31)
    # Repeated shingles are left in: they cannot change a minimum, and sorting costs more.
    return hashes & _MAX_HASH


def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    # numpy guarantees RandomState streams stay the same across releases.
    generator = np.random.RandomState(_SEED)
    a = generator.randint(1, _RANGE, size=num_perm, dtype=np.uint64)
    b = generator.randint(0, _RANGE, size=num_perm, dtype=np.uint64)
    # Multiply-shift needs odd multipliers spread over all 64 bits.
    a = (a << np.uint64(3)) | np.uint64(1)
    return a, b


class NearDuplicateIndex:
    """MinHash signatures in an LSH index: who among the added texts is ≥ ``threshold`` alike."""

    def __init__(self, threshold: float = 0.8, num_perm: int = 128, shingle_size: int = 5) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        if num_perm < 16:
            raise ValueError(f"num_perm must be at least 16, got {num_perm}")
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self._a, self._b = _permutations(num_perm)
        # datasketch's banding for this threshold (b bands of r values each),
        # kept in plain dictionaries keyed by each band's bytes: the same
        # candidates as its MinHashLSH, without building a MinHash object and
        # byte-swapping every band for each query and insert (a tenth of the
        # writer's time in a text-pipeline ingest).
        bands = MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges
        self._bands = [(4 * start, 4 * end) for start, end in bands]  # in bytes
        self._tables: list[dict[bytes, list[str]]] = [{} for _ in bands]
        self._signatures: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._signatures

    def signature(self, text: str) -> np.ndarray:
        """MinHash signature of ``text`` (``num_perm`` unsigned 32-bit values)."""
        return self.signature_of_shingle_text(shingle_text(text))

    def signature_of_shingle_text(self, prepared: str) -> np.ndarray:
        """The signature of a text already passed through :func:`shingle_text`."""
        hashes = _shingle_hashes(prepared, self.shingle_size)
        result = np.full(self.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
        a, b = self._a[:, None], self._b[:, None]
        buffer = np.empty((self.num_perm, min(_CHUNK, hashes.size)), dtype=np.uint64)
        for start in range(0, hashes.size, _CHUNK):
            chunk = hashes[None, start : start + _CHUNK]
            permuted = buffer[:, : chunk.shape[1]]
            # Multiply-shift hashing: the high 32 bits of a*x+b (mod 2^64) are
            # well mixed. The shift is monotonic, so it is taken after the minimum.
            np.multiply(a, chunk, out=permuted)
            np.add(permuted, b, out=permuted)
            np.minimum(result, permuted.min(axis=1), out=result)
        return (result >> _SHIFT).astype(np.uint32)

    def _checked(self, signature: np.ndarray) -> np.ndarray:
        if signature.shape != (self.num_perm,):
            raise ValueError(
                f"signature has {signature.size} values, this index uses num_perm={self.num_perm}"
            )
        return signature.astype(np.uint32, copy=False)

    def _band_keys(self, signature: np.ndarray) -> list[bytes]:
        raw = signature.tobytes()
        return [raw[start:end] for start, end in self._bands]

    def add(self, doc_id: str, signature: np.ndarray) -> None:
        if doc_id in self._signatures:
            return  # re-adding the same document is a no-op
        signature = self._checked(signature)
        for table, key in zip(self._tables, self._band_keys(signature), strict=True):
            table.setdefault(key, []).append(doc_id)
        self._signatures[doc_id] = signature.copy()

    def query(self, signature: np.ndarray) -> list[tuple[str, float]]:
        """Ids whose estimated Jaccard similarity is ≥ threshold, best first."""
        signature = self._checked(signature)
        candidates: set[str] = set()
        for table, key in zip(self._tables, self._band_keys(signature), strict=True):
            ids = table.get(key)
            if ids is not None:
                candidates.update(ids)
        found: list[tuple[str, float]] = []
        for doc_id in candidates:
            similarity = float(np.mean(self._signatures[doc_id] == signature))
            if similarity >= self.threshold:
                found.append((doc_id, similarity))
        found.sort(key=lambda pair: (-pair[1], pair[0]))
        return found


def signature_to_bytes(signature: np.ndarray) -> bytes:
    return signature.astype("<u4").tobytes()


def signature_from_bytes(data: bytes, num_perm: int | None = None) -> np.ndarray:
    if len(data) % 4:
        raise ValueError(f"a signature is a whole number of 4-byte values, got {len(data)} bytes")
    signature = np.frombuffer(data, dtype="<u4").astype(np.uint32)
    if num_perm is not None and signature.size != num_perm:
        raise ValueError(f"signature has {signature.size} values, expected {num_perm}")
    return signature


@dataclass(frozen=True, slots=True)
class DedupDecision:
    """``new``, or a copy (``exact``/``near``) ``of`` the first version, with similarity.

    ``key`` is the document's :func:`content_key`; ``signature`` is set when the
    document belongs in the near-duplicate index (a ``new`` document long
    enough to compare), and is what the store should persist.
    """

    kind: DecisionKind
    of: str | None
    similarity: float
    key: str = field(default="", compare=False)
    signature: np.ndarray | None = field(default=None, compare=False, repr=False)


class Deduplicator:
    """Decides whether a document is new or a copy of one seen before.

    ``check`` decides; ``remember`` records the document once the caller has
    stored it. Texts shorter than ``min_chars`` (after folding) are compared
    exactly only: on a headline, one changed number is a different fact, not
    a near-duplicate.
    """

    def __init__(
        self,
        threshold: float = 0.8,
        num_perm: int = 128,
        shingle_size: int = 5,
        min_chars: int = 100,
    ) -> None:
        self.index = NearDuplicateIndex(threshold, num_perm, shingle_size)
        self.min_chars = min_chars
        self._keys: dict[str, str] = {}

    def fingerprint(self, text: str) -> tuple[str, np.ndarray | None]:
        """The exact-copy key and MinHash signature (None for short texts) of ``text``.

        Pure: ingest workers compute it in parallel; :meth:`decide` then only looks up.
        """
        key, prepared = _key_and_shingle_text(text)
        if len(prepared) < self.min_chars:
            return key, None
        return key, self.index.signature_of_shingle_text(prepared)

    def check(self, doc: Document) -> DedupDecision:
        return self.decide(*self.fingerprint(doc.text))

    def decide(self, key: str, signature: np.ndarray | None) -> DedupDecision:
        first = self._keys.get(key)
        if first is not None:
            return DedupDecision("exact", first, 1.0, key)
        if signature is None:
            return DedupDecision("new", None, 0.0, key)
        matches = self.index.query(signature)
        if matches:
            best, similarity = matches[0]
            # No signature: only first versions are indexed, so a store that persists
            # the signatures it is given rebuilds exactly this index.
            return DedupDecision("near", best, similarity, key)
        return DedupDecision("new", None, 0.0, key, signature)

    def remember(self, doc: Document, decision: DedupDecision) -> None:
        key = decision.key or content_key(doc.text)
        first = doc.id if decision.kind == "new" else (decision.of or doc.id)
        self._keys.setdefault(key, first)
        if decision.kind != "new":
            return  # copies point at their first version; only first versions are matched
        signature = decision.signature
        if signature is None:
            # A decision made elsewhere (e.g. rebuilt from the store) without a signature.
            prepared = shingle_text(doc.text)
            if len(prepared) >= self.min_chars:
                signature = self.index.signature_of_shingle_text(prepared)
        if signature is not None:
            self.index.add(doc.id, signature)

    def add_known(
        self, doc_id: str, key: str, signature: np.ndarray | bytes | None, of: str | None = None
    ) -> None:
        """Load one stored document when a database is reopened (``of``: its first version)."""
        self._keys.setdefault(key, of or doc_id)
        if of is None and signature is not None:
            if isinstance(signature, bytes):
                signature = signature_from_bytes(signature, self.index.num_perm)
            self.index.add(doc_id, signature)
