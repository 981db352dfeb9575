"""CRF features for whitespace tokens (ANERcorp's unit, clitics attached).

Per-word features (folded form, clitic-stripped stem, affixes, shape, cluster
IDs, gazetteer classes) depend only on the word, so they are computed once per
distinct word and cached; the per-sentence work is then only the context
window. These are the attribute strings crfsuite trains on; at run time
:mod:`rasid.ner.scoring` sums the same attributes' weights per word instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

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

Matches = list[tuple[int, int, dict[str, str]]]


@dataclass(frozen=True, slots=True)
class Lexical:
    """A word run's folded forms, forms without و/ب/ل/ف/ك, gazetteer classes
    (``Gazetteer.token_classes``) and multi-word gazetteer matches."""

    folded: list[str]
    bare: list[str]
    classes: list[dict[str, str]]
    matches: Matches
    # The words' rows in the scorer's table, and which life of its cache they
    # belong to: the scorer reuses them only while the cache has not restarted since.
    rows: list[int] = field(default_factory=list, compare=False, repr=False)
    generation: int = -1


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    window: int = 2  # context words on each side
    clusters: bool = True
    gazetteer: bool = True
    context_clusters: bool = True


class _Word:
    __slots__ = ("bare", "folded", "own", "seen_as")

    def __init__(
        self, folded: str, bare: str, own: Sequence[str], seen_as: Sequence[Sequence[str]]
    ) -> None:
        self.folded = folded
        self.bare = bare  # without و/ب/ل/ف/ك, article kept: for gazetteer phrases
        self.own = own
        # What this word contributes to a neighbour's features, by offset
        # (-1, +1, -2, +2, ...): precomputed once per distinct word.
        self.seen_as = seen_as


@dataclass(frozen=True, slots=True)
class _Parts:
    """What a word's attributes are made of."""

    folded: str
    prefix: str
    stem: str
    definite: bool
    clusters: list[tuple[str, str]] | None  # None: cluster features off
    cl: tuple[str, ...]  # cluster IDs, () when the word has none
    source: str  # "w": found whole, "s": by its stem
    gaz: tuple[str, ...]  # gazetteer classes that are features


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

    def _parts(self, token: str) -> _Parts:
        folded = fold(token)
        prefix, stem = split_proclitics(folded)
        definite = folded.startswith("ال") or prefix.endswith("ال") or prefix == "لل"
        clusters: list[tuple[str, str]] | None = None
        cl: tuple[str, ...] = ()
        source = ""
        if self.config.clusters and self.clusters is not None:
            clusters = []
            found = self.clusters.get(folded)
            source = "w"
            if found is None and stem != folded:
                found = self.clusters.get(stem) or self.clusters.get("ال" + stem)
                source = "s"
            if found is not None:
                cl = found
                clusters = [(f"c{k}", c) for k, c in zip(self.clusters.ks, found, strict=True)]
        gaz: tuple[str, ...] = ()
        if self.config.gazetteer and self.gazetteer is not None:
            classes = self.gazetteer.token_classes(folded)
            if classes is None and stem != folded:
                classes = self.gazetteer.classes(stem)
            if classes:
                gaz = tuple(c for c in _TOKEN_CLASSES if c in classes)
        return _Parts(folded, prefix, stem, definite, clusters, cl, source, gaz)

    def _word(self, token: str) -> _Word:
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        p = self._parts(token)
        folded, stem, cl, gaz = p.folded, p.stem, p.cl, p.gaz
        own = [
            "bias",
            "w=" + folded,
            "stem=" + stem,
            "pre=" + p.prefix,
            "shape=" + shape(token),
            "p2=" + stem[:2],
            "p3=" + stem[:3],
            "s2=" + stem[-2:],
            "s3=" + stem[-3:],
            "s1=" + folded[-1:],
            "len=" + str(min(len(stem), 8)),
        ]
        if p.definite:
            own.append("def")
        if p.clusters is not None:
            if cl:
                own.extend(f"{k}={c}" for k, c in p.clusters)
                own.append("cl_src=" + p.source)
            else:
                own.append("c=none")
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

    def _context(
        self, words: Sequence[_Word], matches: Matches | None = None
    ) -> list[tuple[int, list[str]]]:
        """Attributes of a position that depend on its neighbours' words (sentence
        edges, word bigrams, gazetteer phrase spans), for the positions that have any."""
        n = len(words)
        spans: list[str] = ["O"] * n
        if self.config.gazetteer and self.gazetteer is not None and n > 1:
            if matches is None:
                matches = self.gazetteer.matches([w.folded for w in words], [w.bare for w in words])
            for start, end, classes in matches:
                label = "|".join(sorted(classes))
                spans[start] = "B-" + label
                for j in range(start + 1, end):
                    spans[j] = "I-" + label
        known = self.known
        paired = self._bigram_words
        out: list[tuple[int, list[str]]] = []
        for i, word in enumerate(words):
            if known is None or paired is None:
                extra = ["BOS" if i == 0 else f"bi-={words[i - 1].folded}|{word.folded}"]
                extra.append("EOS" if i == n - 1 else f"bi+={word.folded}|{words[i + 1].folded}")
                if spans[i] != "O":
                    extra.append("gs=" + spans[i])
                if known is not None:
                    extra = [f for f in extra if f in known]
            else:
                extra = []
                here = word.folded in paired
                if i == 0:
                    extra.append("BOS")
                elif here and words[i - 1].folded in paired:
                    bigram = f"bi-={words[i - 1].folded}|{word.folded}"
                    if bigram in known:
                        extra.append(bigram)
                if i == n - 1:
                    extra.append("EOS")
                elif here and words[i + 1].folded in paired:
                    bigram = f"bi+={word.folded}|{words[i + 1].folded}"
                    if bigram in known:
                        extra.append(bigram)
                if spans[i] != "O" and "gs=" + spans[i] in known:
                    extra.append("gs=" + spans[i])
            if extra:
                out.append((i, extra))
        return out

    def sentence(self, tokens: Sequence[str]) -> list[list[str]]:
        """The attribute strings of each token (what crfsuite trains on)."""
        words = [self._word(t) for t in tokens]
        n = len(words)
        window = self.config.window
        out: list[list[str]] = []
        for i, word in enumerate(words):
            feats = list(word.own)
            for d in range(1, window + 1):
                if i - d >= 0:
                    feats.extend(words[i - d].seen_as[2 * d - 2])
                if i + d < n:
                    feats.extend(words[i + d].seen_as[2 * d - 1])
            out.append(feats)
        for i, extra in self._context(words):
            out[i][len(words[i].own) : len(words[i].own)] = extra
        return out
