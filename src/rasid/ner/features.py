"""CRF features for whitespace tokens (ANERcorp's unit, clitics attached).

Per-word features (folded form, clitic-stripped stem, affixes, shape, cluster
IDs, gazetteer classes) depend only on the word, so they are computed once per
distinct word and cached; the per-sentence work is then only the context
window, which is what keeps extraction fast enough for the speed target.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from rasid.errors import ModelError
from rasid.ner.clusters import ClusterTable
from rasid.ner.crf import CrfWeights, Matrix
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
    # The words' cache entries, and which life of the cache they belong to: the
    # scorer reuses their rows only while the cache has not restarted since.
    entries: list[_Word] = field(default_factory=list, compare=False, repr=False)
    generation: int = -1


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    window: int = 2  # context words on each side
    clusters: bool = True
    gazetteer: bool = True
    context_clusters: bool = True


class _Word:
    __slots__ = ("bare", "classes", "folded", "follow", "opens", "own", "row", "seen_as")

    def __init__(
        self, folded: str, bare: str, own: Sequence[str], seen_as: Sequence[Sequence[str]]
    ) -> None:
        self.folded = folded
        self.bare = bare  # without و/ب/ل/ف/ك, article kept: for gazetteer phrases
        self.own = own
        # What this word contributes to a neighbour's features, by offset
        # (-1, +1, -2, +2, ...): precomputed once per distinct word.
        self.seen_as = seen_as
        self.row = 0  # its summed weights in FeatureExtractor._table, once bound
        self.classes: dict[str, str] = {}  # Gazetteer.token_classes, for the rule layer
        # Weighted bigrams this word opens (bound copies): next word -> the
        # attribute IDs of "bi-=this|next" and "bi+=this|next" (-1: none).
        self.follow: dict[str, tuple[int, int]] | None = None
        self.opens = True  # may open a multi-word gazetteer phrase


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
    token_classes: dict[str, str] | None


# "-1w", "+2c", ...: an attribute a word gives its neighbour at that offset.
_CONTEXT_TEMPLATE = re.compile(r"([-+])(\d+)([A-Za-z])")
_CONTEXT_GROUP = {"w": "w", "s": "s", "c": "c1", "C": "cL"}
_OWN_GROUP = {"w": "w", "stem": "s", "g": "g1"}
# The groups of a word's first attributes, in :meth:`FeatureExtractor._word`'s order.
_OWN_QUERIES = ("bias", "w", "s", "pre", "shape", "p2", "p3", "s2", "s3", "s1", "len")


def _value_groups(weights: CrfWeights, slots: int) -> tuple[dict[tuple[str, str], int], Matrix]:
    """(group, value) → an index into a (groups, slots, labels) block of summed weights.

    One value gives several attributes: a folded word is ``w=`` for itself
    (slot 0) and ``-1w=``, ``+1w=``, ... for its neighbours (slots 1, 2, ...);
    a stem is ``stem=``, ``-1s=``, ``+1s=``; a gazetteer class ``g=``, ``±1g=``
    (group g1) and ``±2g=`` (g2, with the context clusters); a cluster ID
    ``±1c=``, ``±2c=`` (c1) or ``±1C=`` (cL). Any other template is its own group."""
    index: dict[tuple[str, str], int] = {}
    where: list[int] = []
    ids: list[int] = []
    for attr, i in weights.attributes.items():
        template, _, value = attr.partition("=")
        context = _CONTEXT_TEMPLATE.fullmatch(template)
        group, slot = _OWN_GROUP.get(template, template), 0
        if context is not None:
            sign, d, kind = context.group(1), int(context.group(2)), context.group(3)
            if kind in _CONTEXT_GROUP or kind == "g":
                slot = 2 * d - 1 if sign == "-" else 2 * d
                group = _CONTEXT_GROUP.get(kind) or ("g1" if d == 1 else "g2")
        if slot >= slots:
            raise ModelError(f"NER model attribute {attr!r} is outside the feature window")
        gid = index.setdefault((group, value), len(index))
        where.append(gid * slots + slot)
        ids.append(i)
    block = np.zeros((len(index) * slots, len(weights.labels)))
    np.add.at(block, np.array(where, dtype=np.intp), weights.state[np.array(ids, dtype=np.intp)])
    return index, block.reshape(len(index), slots, len(weights.labels))


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
        self.weights: CrfWeights | None = None
        # Row r, slot 0: word r's own attributes summed per label; slot k: what
        # it adds to a neighbour at offset -1, +1, -2, +2, ... Row 0 is padding.
        self._table: Matrix = np.zeros((0, 0, 0))
        self._pending: list[_Word] = []
        # Queued for _score_pending: where each word's value groups start in _ids.
        self._where: list[int] = []
        self._ids: list[int] = []
        self._groups: dict[tuple[str, str], int] = {}
        self._blocks: Matrix = np.zeros((0, 0, 0))
        # _groups split by group (one dict look-up per query, no tuple built).
        self._by_group: dict[str, dict[str, int]] = {}
        # Sentence-level attributes of a bound copy, as attribute IDs (-1: none).
        self._bos = self._eos = -1
        self._follow: dict[str, dict[str, tuple[int, int]]] = {}
        self._phrase_ids: dict[str, int] = {}
        self._generation = 0  # counts the restarts of the cache
        self._own_groups: tuple[dict[str, int], ...] = ()
        # Per value group: whether it weighs anything in a word's own slot, in
        # the slots it gives its neighbours.
        self._weighted_own: NDArray[np.bool_] = np.zeros(0, dtype=bool)
        self._weighted_context: NDArray[np.bool_] = np.zeros(0, dtype=bool)
        self._cluster_groups: tuple[dict[str, int], ...] = ()

    def _group(self, name: str) -> dict[str, int]:
        """Value -> value group of one attribute group (empty if the model has none)."""
        return self._by_group.get(name) or {}

    def bound(self, weights: CrfWeights) -> FeatureExtractor:
        """A copy that scores against a model: each distinct word's weights are
        summed once, so a token costs a few array additions, not ~20 string look-ups."""
        copy = FeatureExtractor(self.clusters, self.gazetteer, self.config)
        copy.known = self.known
        copy._bigram_words = self._bigram_words
        copy.weights = weights
        copy._table = np.zeros((1024, 1 + 2 * self.config.window, len(weights.labels)))
        copy._groups, copy._blocks = _value_groups(weights, copy._table.shape[1])
        weighted = (copy._blocks != 0).any(axis=2)
        copy._weighted_own = weighted[:, 0]
        copy._weighted_context = weighted[:, 1:].any(axis=1)
        for (group, value), gid in copy._groups.items():
            copy._by_group.setdefault(group, {})[value] = gid
        copy._own_groups = tuple(copy._group(g) for g in _OWN_QUERIES)
        if self.clusters is not None:
            copy._cluster_groups = tuple(copy._group(f"c{k}") for k in self.clusters.ks)
        ids = weights.attributes
        copy._bos, copy._eos = ids.get("BOS", -1), ids.get("EOS", -1)
        known = self.known
        follow: dict[str, dict[str, list[int]]] = {}
        for attr, i in ids.items():
            if known is not None and attr not in known:
                continue
            if attr.startswith("gs="):
                copy._phrase_ids[attr[3:]] = i
            elif attr.startswith(("bi-=", "bi+=")):
                value = attr[4:]
                # With a restricted attribute list (the usual case), a word with
                # "|" in it never takes part in a bigram (see _context); else
                # any cut of the value may be the two words.
                if known is not None and value.count("|") != 1:
                    continue
                side = 0 if attr[2] == "-" else 1
                for j, char in enumerate(value):
                    if char == "|":
                        pair = follow.setdefault(value[:j], {}).setdefault(value[j + 1 :], [-1, -1])
                        pair[side] = i
        copy._follow = {
            first: {second: (pair[0], pair[1]) for second, pair in seconds.items()}
            for first, seconds in follow.items()
        }
        return copy

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
        token_classes = None
        if self.config.gazetteer and self.gazetteer is not None:
            classes = token_classes = self.gazetteer.token_classes(folded)
            if classes is None and stem != folded:
                classes = self.gazetteer.classes(stem)
            if classes:
                gaz = tuple(c for c in _TOKEN_CLASSES if c in classes)
        return _Parts(folded, prefix, stem, definite, clusters, cl, source, gaz, token_classes)

    def _word(self, token: str) -> _Word:
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        if self.weights is not None:
            return self._bound_word(token)
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
        if p.token_classes:
            word.classes = p.token_classes
        if self.gazetteer is not None:
            word.opens = self.gazetteer.opens_phrase(folded, word.bare)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = word
        return word

    def _bound_word(self, token: str) -> _Word:
        """:meth:`_word` for a bound copy: the same attributes, found by their
        values in :func:`_value_groups` rather than spelled out, and queued for
        :meth:`_score_pending`. The queries go in the order of :meth:`_word`'s
        attributes, so a row is summed in the same order as crfsuite's list."""
        folded = fold(token)
        prefix, stem = split_proclitics(folded)
        bare = strip_conj_prep(folded)
        ids = self._ids
        append = ids.append
        self._where.append(len(ids))
        values = (
            "",
            folded,
            stem,
            prefix,
            shape(token),
            stem[:2],
            stem[:3],
            stem[-2:],
            stem[-3:],
            folded[-1:],
            str(min(len(stem), 8)),
        )
        for table, value in zip(self._own_groups, values, strict=True):  # bias, w ... len
            gid = table.get(value)
            if gid is not None:
                append(gid)
        group = self._group
        if folded.startswith("ال") or prefix.endswith("ال") or prefix == "لل":
            gid = group("def").get("")
            if gid is not None:
                append(gid)
        cl: tuple[str, ...] = ()
        clusters = self.clusters
        if self.config.clusters and clusters is not None:
            found = clusters.get(folded)
            source = "w"
            if found is None and stem != folded:
                found = clusters.get(stem) or clusters.get("ال" + stem)
                source = "s"
            if found:
                cl = found
                for table, value in zip(self._cluster_groups, found, strict=True):
                    gid = table.get(value)
                    if gid is not None:
                        append(gid)
                gid = group("cl_src").get(source)
            else:
                gid = group("c").get("none")
            if gid is not None:
                append(gid)
        gaz: tuple[str, ...] = ()
        token_classes = None
        gazetteer = self.gazetteer
        if self.config.gazetteer and gazetteer is not None:
            classes = token_classes = gazetteer.token_classes(folded)
            if classes is None and stem != folded:
                classes = gazetteer.classes(stem)
            if classes:
                gaz = tuple(c for c in _TOKEN_CLASSES if c in classes)
        if gaz:
            table = group("g1")
            for g in gaz:
                gid = table.get(g)
                if gid is not None:
                    append(gid)
        if self.config.context_clusters and len(cl) > 1:
            for name, value in (("c1", cl[1]), ("cL", cl[-1])):
                gid = group(name).get(value)
                if gid is not None:
                    append(gid)
            table = group("g2")
            for g in gaz:
                gid = table.get(g)
                if gid is not None:
                    append(gid)
        word = _Word(folded, bare, (), ())  # a bound word has its row instead
        if token_classes:
            word.classes = token_classes
        word.follow = self._follow.get(folded)
        if self.gazetteer is not None:
            word.opens = self.gazetteer.opens_phrase(folded, bare)
        word.row = len(self._cache) + 1
        self._pending.append(word)
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

    def lexical(self, tokens: Sequence[str]) -> Lexical:
        """What the rule layer needs to know of a word run, from the per-word cache."""
        cache = self._cache
        words = [cache.get(t) or self._word(t) for t in tokens]
        folded = [w.folded for w in words]
        bare = [w.bare for w in words]
        matches: Matches = []
        if self.gazetteer is not None:
            opening = [i for i, w in enumerate(words) if w.opens]
            if opening:
                matches = self.gazetteer.matches(folded, bare, opening)
        return Lexical(folded, bare, [w.classes for w in words], matches, words, self._generation)

    def _score_pending(self, weights: CrfWeights) -> None:
        words, self._pending = self._pending, []
        where, self._where = self._where, []
        ids, self._ids = self._ids, []
        top = max(w.row for w in words)
        if top >= len(self._table):
            # Doubling, but no further than the cache can fill (it restarts at the limit).
            size = max(top + 1, min(2 * top, _CACHE_LIMIT + 1))
            grown = np.zeros((size, *self._table.shape[1:]))
            grown[: len(self._table)] = self._table
            self._table = grown
        rows = np.array([w.row for w in words], dtype=np.intp)
        self._table[rows] = 0.0  # rows are reused after the cache restarts
        if not ids:
            return
        groups = np.array(ids, dtype=np.intp)
        counts = [end - start for start, end in zip(where, [*where[1:], len(ids)], strict=True)]
        owner = np.repeat(rows, counts)
        # The word's own slot, then the slots it gives its neighbours, each over
        # only the value groups with a weight there: most weigh a word's own
        # attributes only, and gathering all five slots of every group was most
        # of the cost. The terms left out are exact zeros; numpy's pairwise
        # summation groups the rest differently, so a cell may differ from the
        # all-slots sum in the last bit (1e-15), no more.
        for slots, weighted in (
            (slice(0, 1), self._weighted_own),
            (slice(1, None), self._weighted_context),
        ):
            keep = weighted[groups]
            hits, at = groups[keep], owner[keep]
            if not len(hits):
                continue
            first = np.flatnonzero(np.diff(at, prepend=-1))
            self._table[at[first], slots] = np.add.reduceat(
                self._blocks[hits, slots], first, axis=0
            )

    def _restart(self) -> None:
        self._cache.clear()
        self._pending.clear()
        self._where.clear()
        self._ids.clear()
        self._generation += 1

    def emissions(
        self, chunks: Sequence[Sequence[str]], lexical: Sequence[Lexical] | None = None
    ) -> list[Matrix]:
        """Per token and label, the summed weights of its attributes (bound model);
        ``lexical`` is what :meth:`lexical` gave for the same chunks, if known."""
        weights = self.weights
        if weights is None:
            raise ValueError("FeatureExtractor.emissions needs bind() first")
        window = self.config.window
        per_chunk: list[list[_Word]]
        if len(self._cache) + sum(map(len, chunks)) > _CACHE_LIMIT:
            # Between documents only: rows are reused once the cache restarts.
            self._restart()
            lexical = None
        if lexical is not None and all(k.generation == self._generation for k in lexical):
            per_chunk = [k.entries for k in lexical]
        else:
            cache = self._cache
            per_chunk = [[cache.get(t) or self._word(t) for t in tokens] for tokens in chunks]
        if self._pending:
            self._score_pending(weights)
        # All chunks in one padded row of word rows: `pad` padding rows (zeros)
        # before each chunk and after the last keep neighbours apart.
        pad = max(window, 1)
        rows = [0] * pad
        starts: list[int] = []
        for words in per_chunk:
            starts.append(len(rows) - pad)
            rows.extend([w.row for w in words])
            rows.extend([0] * pad)
        table = self._table[np.array(rows, dtype=np.intp)]
        m = len(rows)
        total = table[pad : m - pad, 0].copy()
        for d in range(1, window + 1):
            total += table[pad - d : m - pad - d, 2 * d - 1]
            total += table[pad + d : m - pad + d, 2 * d]
        self._add_context(total, per_chunk, starts, lexical)
        return [
            total[start : start + len(words)]
            for words, start in zip(per_chunk, starts, strict=True)
        ]

    def _add_context(
        self,
        total: Matrix,
        per_chunk: Sequence[Sequence[_Word]],
        starts: Sequence[int],
        lexical: Sequence[Lexical] | None,
    ) -> None:
        """:meth:`_context`'s attributes added to ``total`` (rows: positions of
        the padded chunks) by attribute ID. A position's extra attributes are
        summed in :meth:`_context`'s order (sentence edge or bigram before,
        after, then the gazetteer phrase), one layer per slot, as crfsuite does."""
        weights = self.weights
        assert weights is not None
        before: dict[int, int] = {}
        after: dict[int, int] = {}
        phrase: dict[int, int] = {}
        bos, eos = self._bos, self._eos
        use_phrases = self.config.gazetteer and self.gazetteer is not None
        for k, (words, start) in enumerate(zip(per_chunk, starts, strict=True)):
            n = len(words)
            if not n:
                continue
            if bos >= 0:
                before[start] = bos
            if eos >= 0:
                after[start + n - 1] = eos
            for i in range(n - 1):
                follow = words[i].follow
                if follow is not None:
                    pair = follow.get(words[i + 1].folded)
                    if pair is not None:
                        if pair[0] >= 0:
                            before[start + i + 1] = pair[0]
                        if pair[1] >= 0:
                            after[start + i] = pair[1]
            if use_phrases and n > 1:
                if lexical is not None:
                    matches = lexical[k].matches
                else:
                    matches = self.gazetteer.matches(  # type: ignore[union-attr]
                        [w.folded for w in words], [w.bare for w in words]
                    )
                ids = self._phrase_ids
                for begin, end, classes in matches:
                    label = "|".join(sorted(classes))
                    first = ids.get("B-" + label, -1)
                    if first >= 0:
                        phrase[start + begin] = first
                    inside = ids.get("I-" + label, -1)
                    if inside >= 0:
                        for j in range(begin + 1, end):
                            phrase[start + j] = inside
        if not (before or after or phrase):
            return
        state = weights.state
        extra = np.zeros_like(total)
        for layer, at in enumerate((before, after, phrase)):
            if not at:
                continue
            where = np.fromiter(at.keys(), dtype=np.intp, count=len(at))
            rows = state[np.fromiter(at.values(), dtype=np.intp, count=len(at))]
            if layer == 0:
                extra[where] = rows
            else:
                extra[where] += rows
        total += extra
