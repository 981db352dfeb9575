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
from rasid.ner.lexical import fold, shape, split_proclitics, strip_conj_prep

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
    __slots__ = ("bare", "folded", "own", "seen_as")

    def __init__(self, folded: str, bare: str, own: list[str], seen_as: list[list[str]]) -> None:
        self.folded = folded
        self.bare = bare  # without و/ب/ل/ف/ك, article kept: for gazetteer phrases
        self.own = own
        # What this word contributes to a neighbour's features, by offset
        # (-1, +1, -2, +2, ...): precomputed once per distinct word.
        self.seen_as = seen_as


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
        # Attributes with a weight in the loaded model; others change nothing
        # but cost crfsuite a conversion and a lookup each, so they are dropped.
        self.known: frozenset[str] | None = None
        self._bigram_words: frozenset[str] | None = None

    def restrict_to(self, known: frozenset[str] | None) -> None:
        """Emit only attributes the model knows (same tags, less work)."""
        self.known = known
        self._cache.clear()
        # Words that occur in a weighted bigram: other pairs need no string built.
        self._bigram_words = None
        if known is not None:
            words: set[str] = set()
            for attr in known:
                if attr.startswith(("bi-=", "bi+=")):
                    words.update(attr[4:].split("|"))
            self._bigram_words = frozenset(words)

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
        ctx_cl = self.config.context_clusters and len(cl) > 1
        seen_as: list[list[str]] = []
        for d in range(1, self.config.window + 1):
            for sign in ("-", "+"):
                feats = [f"{sign}{d}w={folded}"]
                if d == 1:
                    feats.append(f"{sign}1s={stem}")
                    feats.extend(f"{sign}1g={g}" for g in gaz)
                    if ctx_cl:
                        feats.append(f"{sign}1c={cl[1]}")
                        feats.append(f"{sign}1C={cl[-1]}")
                elif d == 2 and ctx_cl:
                    feats.append(f"{sign}2c={cl[1]}")
                    feats.extend(f"{sign}2g={g}" for g in gaz)
                seen_as.append(feats)
        known = self.known
        if known is not None:
            own = [f for f in own if f in known]
            seen_as = [[f for f in feats if f in known] for feats in seen_as]
        word = _Word(folded, strip_conj_prep(folded), own, seen_as)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = word
        return word

    def sentence(self, tokens: Sequence[str]) -> list[list[str]]:
        words = [self._word(t) for t in tokens]
        n = len(words)
        window = self.config.window
        out: list[list[str]] = []
        spans: list[str] = ["O"] * n
        if self.config.gazetteer and self.gazetteer is not None and n > 1:
            folded = [w.folded for w in words]
            bare = [w.bare for w in words]
            for start, end, classes in self.gazetteer.matches(folded, bare):
                label = "|".join(sorted(classes))
                spans[start] = "B-" + label
                for j in range(start + 1, end):
                    spans[j] = "I-" + label
        known = self.known
        paired = self._bigram_words
        for i, word in enumerate(words):
            feats = list(word.own)
            if known is None or paired is None:
                extra = ["BOS" if i == 0 else f"bi-={words[i - 1].folded}|{word.folded}"]
                extra.append("EOS" if i == n - 1 else f"bi+={word.folded}|{words[i + 1].folded}")
                if spans[i] != "O":
                    extra.append("gs=" + spans[i])
                if known is not None:
                    extra = [f for f in extra if f in known]
                feats.extend(extra)
            else:
                here = word.folded in paired
                if i == 0:
                    feats.append("BOS")
                elif here and words[i - 1].folded in paired:
                    bigram = f"bi-={words[i - 1].folded}|{word.folded}"
                    if bigram in known:
                        feats.append(bigram)
                if i == n - 1:
                    feats.append("EOS")
                elif here and words[i + 1].folded in paired:
                    bigram = f"bi+={word.folded}|{words[i + 1].folded}"
                    if bigram in known:
                        feats.append(bigram)
                if spans[i] != "O" and "gs=" + spans[i] in known:
                    feats.append("gs=" + spans[i])
            for d in range(1, window + 1):
                if i - d >= 0:
                    feats.extend(words[i - d].seen_as[2 * d - 2])
                if i + d < n:
                    feats.extend(words[i + d].seen_as[2 * d - 1])
            out.append(feats)
        return out
