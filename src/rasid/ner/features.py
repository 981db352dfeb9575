"""CRF features for whitespace tokens (ANERcorp's unit, clitics attached).

Per-word features (folded form, clitic-stripped stem, affixes, shape, cluster
IDs, gazetteer classes) depend only on the word, so they are computed once per
distinct word and cached; the per-sentence work is then only the context
window, which is what keeps extraction fast enough for the speed target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rasid.ner.clusters import ClusterTable
from rasid.ner.gazetteer import Gazetteer
from rasid.ner.lexical import fold, shape, split_proclitics

#: Gazetteer classes that become token features (curated classes + external).
_TOKEN_CLASSES = (
    "city",
    "given",
    "surname",
    "gpe",
    "loc",
    "fac",
    "org",
    "role",
    "norp",
    "orgtrig",
    "factrig",
    "gpetrig",
    "loctrig",
    "evtrig",
    "pertrig",
)
_CACHE_LIMIT = 300_000


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    window: int = 2  # context words on each side
    clusters: bool = True
    gazetteer: bool = True
    context_clusters: bool = True


class _Word:
    __slots__ = ("cl", "folded", "gaz", "own", "stem")

    def __init__(
        self,
        folded: str,
        stem: str,
        own: list[str],
        cl: tuple[str, ...],
        gaz: tuple[str, ...],
    ) -> None:
        self.folded = folded
        self.stem = stem
        self.own = own
        self.cl = cl
        self.gaz = gaz


class FeatureExtractor:
    """Turns a sentence of raw whitespace tokens into crfsuite feature lists."""

    def __init__(
        self,
        clusters: ClusterTable | None,
        gazetteer: Gazetteer | None,
        config: FeatureConfig | None = None,
    ) -> None:
        self.clusters = clusters
        self.gazetteer = gazetteer
        self.config = config or FeatureConfig()
        self._cache: dict[str, _Word] = {}

    def _word(self, token: str) -> _Word:
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        folded = fold(token)
        prefix, stem = split_proclitics(folded)
        own = [
            "bias",
            "w=" + folded,
            "stem=" + stem,
            "pre=" + prefix,
            "shape=" + shape(token),
            "p2=" + stem[:2],
            "p3=" + stem[:3],
            "s2=" + stem[-2:],
            "s3=" + stem[-3:],
            "s1=" + folded[-1:],
            "len=" + str(min(len(stem), 8)),
        ]
        if folded.startswith("ال") or prefix.endswith("ال") or prefix == "لل":
            own.append("def")
        cl: tuple[str, ...] = ()
        if self.config.clusters and self.clusters is not None:
            found = self.clusters.get(folded)
            source = "w"
            if found is None and stem != folded:
                found = self.clusters.get(stem) or self.clusters.get("ال" + stem)
                source = "s"
            if found is not None:
                cl = found
                for k, c in zip(self.clusters.ks, found, strict=True):
                    own.append(f"c{k}={c}")
                own.append("cl_src=" + source)
            else:
                own.append("c=none")
        gaz: tuple[str, ...] = ()
        if self.config.gazetteer and self.gazetteer is not None:
            classes = self.gazetteer.token_classes(folded)
            if classes is None and stem != folded:
                classes = self.gazetteer.classes(stem)
            if classes:
                gaz = tuple(c for c in _TOKEN_CLASSES if c in classes)
                own.extend("g=" + c for c in gaz)
        word = _Word(folded, stem, own, cl, gaz)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = word
        return word

    def sentence(self, tokens: Sequence[str]) -> list[list[str]]:
        words = [self._word(t) for t in tokens]
        n = len(words)
        cfg = self.config
        ctx_cl = cfg.context_clusters and self.clusters is not None and len(self.clusters.ks) > 1
        out: list[list[str]] = []
        spans: list[str] = ["O"] * n
        if cfg.gazetteer and self.gazetteer is not None and n > 1:
            for start, end, classes in self.gazetteer.matches([w.folded for w in words]):
                label = "|".join(sorted(classes))
                spans[start] = "B-" + label
                for j in range(start + 1, end):
                    spans[j] = "I-" + label
        for i, word in enumerate(words):
            feats = list(word.own)
            if i == 0:
                feats.append("BOS")
            if i == n - 1:
                feats.append("EOS")
            for d in range(1, cfg.window + 1):
                for sign, j in (("-", i - d), ("+", i + d)):
                    if 0 <= j < n:
                        other = words[j]
                        feats.append(f"{sign}{d}w={other.folded}")
                        if d == 1:
                            feats.append(f"{sign}1s={other.stem}")
                            feats.extend(f"{sign}1g={g}" for g in other.gaz)
                            if ctx_cl and other.cl:
                                feats.append(f"{sign}1c={other.cl[1]}")
                                feats.append(f"{sign}1C={other.cl[-1]}")
                        elif d == 2 and ctx_cl and other.cl:
                            feats.append(f"{sign}2c={other.cl[1]}")
                            feats.extend(f"{sign}2g={g}" for g in other.gaz)
            if i > 0:
                feats.append(f"bi-={words[i - 1].folded}|{word.folded}")
            if i < n - 1:
                feats.append(f"bi+={word.folded}|{words[i + 1].folded}")
            if spans[i] != "O":
                feats.append("gs=" + spans[i])
            out.append(feats)
        return out
