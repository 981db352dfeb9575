"""Distributional word clusters learnt from unlabelled news.

Half the names in new text were never seen in the labelled data; a cluster ID
shared with known names is how the tagger generalises to them. We train
word2vec (skip-gram) on the news corpus and cut the vectors into k-means
clusters at several granularities; the tagger uses each granularity as a
feature. Only the cluster table ships (a small TSV), never the vectors.

Training needs ``gensim`` (the ``train`` extra); loading the table does not.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from rasid.errors import DataFileError, ModelError
from rasid.ner.lexical import ARABIC_LETTER, corpus_tokens

#: Cluster counts cut from the same vectors, coarse to fine.
DEFAULT_KS = (64, 256, 1024, 4096)


class ClusterTable:
    """Folded word -> cluster IDs at each granularity."""

    def __init__(self, ks: tuple[int, ...], table: dict[str, tuple[str, ...]]) -> None:
        self.ks = ks
        self.table = table

    def get(self, word: str) -> tuple[str, ...] | None:
        return self.table.get(word)

    def __len__(self) -> int:
        return len(self.table)

    @classmethod
    def load(cls, path: Path) -> ClusterTable:
        try:
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                header = handle.readline().rstrip("\n").split("\t")
                if not header or header[0] != "#word":
                    raise ModelError(f"{path} is not a rasid cluster table (bad header)")
                ks = tuple(int(h[1:]) for h in header[1:])
                table: dict[str, tuple[str, ...]] = {}
                for line in handle:
                    parts = line.rstrip("\n").split("\t")
                    if len(parts) != len(ks) + 1:
                        raise DataFileError(f"{path}: broken row {line[:60]!r}")
                    table[parts[0]] = tuple(parts[1:])
        except OSError as exc:
            raise ModelError(f"cannot read cluster table {path}: {exc}") from exc
        return cls(ks, table)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # mtime=0 keeps the file byte-identical across rebuilds.
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            gz.write(("#word\t" + "\t".join(f"k{k}" for k in self.ks) + "\n").encode("utf-8"))
            for word in sorted(self.table):
                gz.write((word + "\t" + "\t".join(self.table[word]) + "\n").encode("utf-8"))


class _NewsSentences:
    """Re-iterable folded token lists from the gzip JSONL news corpus."""

    def __init__(self, path: Path, max_docs: int | None = None) -> None:
        self.path = path
        self.max_docs = max_docs

    def __iter__(self) -> Iterator[list[str]]:
        with gzip.open(self.path, "rt", encoding="utf-8") as handle:
            for n, line in enumerate(handle):
                if self.max_docs is not None and n >= self.max_docs:
                    break
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue
                for paragraph in str(record.get("text") or "").split("\n"):
                    tokens = corpus_tokens(paragraph)
                    if len(tokens) > 1:
                        yield tokens


def kmeans(vectors: np.ndarray, k: int, iterations: int = 25, seed: int = 13) -> np.ndarray:
    """Spherical k-means (cosine) with k-means++-lite seeding; returns labels."""
    rng = np.random.default_rng(seed)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    x = (vectors / np.maximum(norms, 1e-9)).astype(np.float32)
    k = min(k, len(x))
    centres = x[rng.choice(len(x), size=k, replace=False)].copy()
    labels = np.zeros(len(x), dtype=np.int64)
    for _ in range(iterations):
        # Chunked so a 100k x 1024 similarity matrix never sits in memory at once.
        for lo in range(0, len(x), 20000):
            labels[lo : lo + 20000] = np.argmax(x[lo : lo + 20000] @ centres.T, axis=1)
        sums = np.zeros_like(centres)
        np.add.at(sums, labels, x)
        lengths = np.linalg.norm(sums, axis=1, keepdims=True)
        empty = lengths[:, 0] < 1e-9
        centres = sums / np.maximum(lengths, 1e-9)
        if empty.any():
            centres[empty] = x[rng.integers(len(x), size=int(empty.sum()))]
    return labels


def train_clusters(
    news_path: Path,
    ks: tuple[int, ...] = DEFAULT_KS,
    dim: int = 100,
    epochs: int = 5,
    min_count: int = 5,
    max_docs: int | None = None,
    workers: int = 1,
    seed: int = 13,
) -> ClusterTable:
    """Train skip-gram vectors on the news corpus and cluster them."""
    try:
        from gensim.models import Word2Vec
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ModelError(
            "training clusters needs gensim: pip install 'rasid[train]' (or pip install gensim)"
        ) from exc
    random.seed(seed)
    sentences = _NewsSentences(news_path, max_docs)
    model = Word2Vec(
        sentences=sentences,
        vector_size=dim,
        window=5,
        min_count=min_count,
        sg=1,
        negative=5,
        sample=1e-4,
        epochs=epochs,
        workers=workers,
        seed=seed,
    )
    words = [w for w in model.wv.index_to_key if ARABIC_LETTER.search(w) or w.isalpha()]
    vectors = np.stack([model.wv[w] for w in words])
    columns = [kmeans(vectors, k, seed=seed + i) for i, k in enumerate(ks)]
    table = {w: tuple(str(int(col[i])) for col in columns) for i, w in enumerate(words)}
    return ClusterTable(tuple(ks), table)


if __name__ == "__main__":  # pragma: no cover - manual rebuild entry point
    import sys

    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("ner-clusters.tsv.gz")
    table = train_clusters(Path(sys.argv[1]))
    table.save(out)
    print(f"{len(table)} words -> {out}")
