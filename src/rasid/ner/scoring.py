"""A loaded model's weights per distinct word: the tagger's emission scores.

rasid's CRF attributes (:mod:`rasid.ner.features`) mostly depend on one word,
so their weights are summed once per distinct word into a row of a table: its
own attributes, and what it adds to each neighbour in the window. A token then
costs a few array additions, not ~20 string look-ups. The words of a document
are looked up together: the new ones are analysed in one batch, each attribute
group looked up for all of them by ``map`` over a dict (a loop in C), and
their rows summed in one numpy pass.

What the rule layer needs of a word (folded form, form without و/ب/ل/ف/ك,
gazetteer classes) is kept beside its row, so one look-up per token serves
the features, the gazetteer phrases and the rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import compress, filterfalse, repeat

import numpy as np
from numpy.typing import NDArray

from rasid.errors import ModelError
from rasid.ner.crf import CrfWeights, Matrix
from rasid.ner.features import _TOKEN_CLASSES, FeatureExtractor, Lexical, Matches
from rasid.ner.lexical import fold, shape, split_proclitics, strip_conj_prep

#: Distinct words kept; the table restarts (between documents) when it is full.
CACHE_LIMIT = 300_000

# "-1w", "+2c", ...: an attribute a word gives its neighbour at that offset.
_CONTEXT_TEMPLATE = re.compile(r"([-+])(\d+)([A-Za-z])")
_CONTEXT_GROUP = {"w": "w", "s": "s", "c": "c1", "C": "cL"}
_OWN_GROUP = {"w": "w", "stem": "s", "g": "g1"}
# The groups of a word's first attributes, in FeatureExtractor._word's order.
_OWN_QUERIES = ("bias", "w", "s", "pre", "shape", "p2", "p3", "s2", "s3", "s1", "len")
_LENGTHS = tuple(str(k) for k in range(9))  # the "len=" values: min(len(stem), 8)
_NO_CLASSES: dict[str, str] = {}  # shared, never written to

Follow = dict[str, tuple[int, int]]


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


def _follow_table(attributes: dict[str, int], known: frozenset[str] | None) -> dict[str, Follow]:
    """Weighted bigrams: first word -> next word -> the attribute IDs of
    ``bi-=first|next`` and ``bi+=first|next`` (-1: none)."""
    follow: dict[str, dict[str, list[int]]] = {}
    for attr, i in attributes.items():
        if known is not None and attr not in known:
            continue
        if attr.startswith(("bi-=", "bi+=")):
            value = attr[4:]
            # With a restricted attribute list (the usual case), a word with
            # "|" in it never takes part in a bigram (see FeatureExtractor._context);
            # else any cut of the value may be the two words.
            if known is not None and value.count("|") != 1:
                continue
            side = 0 if attr[2] == "-" else 1
            for j, char in enumerate(value):
                if char == "|":
                    pair = follow.setdefault(value[:j], {}).setdefault(value[j + 1 :], [-1, -1])
                    pair[side] = i
    return {
        first: {second: (pair[0], pair[1]) for second, pair in seconds.items()}
        for first, seconds in follow.items()
    }


def _padded(per_word: Sequence[Sequence[int]]) -> list[list[int]]:
    """Variable-length lists of value groups as columns, padded with -1."""
    width = max(map(len, per_word), default=0)
    return [[row[j] if j < len(row) else -1 for row in per_word] for j in range(width)]


class WordScorer:
    """Emission scores of word sequences under one model, cached per distinct word.

    Row r of the table holds word r's own attributes summed per label (slot 0)
    and what it adds to a neighbour at offset -1, +1, -2, +2, ... (slots 1, 2,
    ...); row 0 is padding. The per-word lists (``_folded`` ...) are indexed by
    the same rows."""

    def __init__(self, extractor: FeatureExtractor, weights: CrfWeights) -> None:
        self.config = config = extractor.config
        self.clusters = extractor.clusters
        self.gazetteer = extractor.gazetteer
        self.weights = weights
        window = config.window
        self._table: Matrix = np.zeros((1024, 1 + 2 * window, len(weights.labels)))
        groups, self._blocks = _value_groups(weights, self._table.shape[1])
        weighted = (self._blocks != 0).any(axis=2)
        # Per value group: whether it weighs anything in a word's own slot, in
        # the slots it gives its neighbours; a False at the end for "no group" (-1).
        self._own_mask: NDArray[np.bool_] = np.append(weighted[:, 0], False)
        self._context_mask: NDArray[np.bool_] = np.append(weighted[:, 1:].any(axis=1), False)
        by_group: dict[str, dict[str, int]] = {}
        for (group, value), gid in groups.items():
            by_group.setdefault(group, {})[value] = gid
        self._by_group = by_group
        self._own_groups = tuple(self._group(g) for g in _OWN_QUERIES)
        self._cluster_groups: tuple[dict[str, int], ...] = ()
        if self.clusters is not None:
            self._cluster_groups = tuple(self._group(f"c{k}") for k in self.clusters.ks)
        # Gazetteer class tuple -> its g1 and g2 value groups, in order.
        self._class_groups: dict[tuple[str, ...], tuple[list[int], list[int]]] = {}
        ids = weights.attributes
        # Sentence-level attributes as attribute IDs (-1: none).
        self._bos, self._eos = ids.get("BOS", -1), ids.get("EOS", -1)
        known = extractor.known
        self._phrase_ids = {
            attr[3:]: i
            for attr, i in ids.items()
            if attr.startswith("gs=") and (known is None or attr in known)
        }
        self._follow = _follow_table(ids, known)
        # The words: surface -> row, and per row what the rules and the
        # sentence-level attributes need.
        self._rows: dict[str, int] = {}
        self._folded: list[str] = [""]
        self._bare: list[str] = [""]
        self._classes: list[dict[str, str]] = [_NO_CLASSES]
        self._opens: list[bool] = [False]
        self._follows: list[Follow | None] = [None]
        self._generation = 0  # counts the restarts of the cache

    def _group(self, name: str) -> dict[str, int]:
        """Value -> value group of one attribute group (empty if the model has none)."""
        return self._by_group.get(name) or {}

    # -- words ------------------------------------------------------------

    def rows(self, surfaces: Sequence[str]) -> list[int]:
        """The table row of each word, scoring the words not seen before.

        The cache restarts only here, before any row of this call is handed
        out, so the rows of one call are all valid together."""
        found = self._rows
        unique = dict.fromkeys(surfaces)
        new = list(filterfalse(found.__contains__, unique))
        if new:
            if len(found) + len(new) > CACHE_LIMIT:
                self._restart()
                new = list(unique)
            self._add(new)
        return list(map(found.__getitem__, surfaces))

    def _restart(self) -> None:
        self._rows.clear()
        for column in (self._folded, self._bare, self._classes, self._opens, self._follows):
            del column[1:]
        self._generation += 1

    def _add(self, words: list[str]) -> None:
        """Analyse and score new words (rows ``len(self._folded)`` onwards).

        A word's value groups are queried in the order of
        :meth:`FeatureExtractor._word`'s attributes, so its row is summed in
        the same order as crfsuite's attribute list."""
        n = len(words)
        folded = list(map(fold, words))
        prefixes, stems = zip(*map(split_proclitics, folded), strict=True)
        bare = list(map(strip_conj_prep, folded))
        missing = repeat(-1)
        values: tuple[Sequence[str], ...] = (
            [""] * n,
            folded,
            stems,
            prefixes,
            list(map(shape, words)),
            [s[:2] for s in stems],
            [s[:3] for s in stems],
            [s[-2:] for s in stems],
            [s[-3:] for s in stems],
            [f[-1:] for f in folded],
            [_LENGTHS[min(len(s), 8)] for s in stems],
        )
        columns = [
            list(map(table.get, column, missing))
            for table, column in zip(self._own_groups, values, strict=True)
        ]
        definite = self._group("def").get("", -1)
        if definite >= 0:
            columns.append(
                [
                    definite if f.startswith("ال") or p.endswith("ال") or p == "لل" else -1
                    for f, p in zip(folded, prefixes, strict=True)
                ]
            )
        config = self.config
        found: list[tuple[str, ...] | None] = [None] * n
        clusters = self.clusters
        if config.clusters and clusters is not None:
            table = clusters.table
            found = list(map(table.get, folded))
            source = ["w"] * n
            for i, (cl, f, s) in enumerate(zip(found, folded, stems, strict=True)):
                if cl is None and s != f:
                    found[i] = table.get(s) or table.get("ال" + s)
                    source[i] = "s"
            for k, groups in enumerate(self._cluster_groups):
                columns.append([-1 if cl is None else groups.get(cl[k], -1) for cl in found])
            named, none = self._group("cl_src"), self._group("c").get("none", -1)
            columns.append(
                [
                    none if cl is None else named.get(src, -1)
                    for cl, src in zip(found, source, strict=True)
                ]
            )
        token_classes: list[dict[str, str] | None] = [None] * n
        gaz: list[tuple[str, ...]] = [()] * n
        gazetteer = self.gazetteer
        if config.gazetteer and gazetteer is not None:
            entries = gazetteer.entries
            token_classes = list(map(entries.get, folded))
            for i, classes in enumerate(token_classes):
                if classes is None:
                    f, b, s = folded[i], bare[i], stems[i]
                    if b != f:
                        classes = token_classes[i] = entries.get(b)
                    if classes is None and s != f:
                        classes = entries.get(s)
                if classes:
                    gaz[i] = tuple(c for c in _TOKEN_CLASSES if c in classes)
        # Gazetteer classes (g1), then the context clusters (c1, cL) and the
        # classes again for the words two away (g2), these two only for a
        # word with more than one cluster ID.
        with_context = [config.context_clusters and cl is not None and len(cl) > 1 for cl in found]
        known = self._class_groups
        for new_classes in set(gaz).difference(known):
            known[new_classes] = self._class_groups_of(new_classes)
        by_classes = list(map(known.__getitem__, gaz))
        columns.extend(_padded([g1 for g1, _ in by_classes]))
        for name, k in (("c1", 1), ("cL", -1)):
            groups = self._group(name)
            columns.append(
                [
                    groups.get(cl[k], -1) if on and cl is not None else -1
                    for cl, on in zip(found, with_context, strict=True)
                ]
            )
        columns.extend(
            _padded(
                [g2 if on else () for (_, g2), on in zip(by_classes, with_context, strict=True)]
            )
        )
        start = len(self._folded)
        self._score(start, np.array(columns, dtype=np.intp).T)
        self._rows.update(zip(words, range(start, start + n), strict=True))
        self._folded.extend(folded)
        self._bare.extend(bare)
        self._classes.extend(c or _NO_CLASSES for c in token_classes)
        if gazetteer is not None:
            # Gazetteer.opens_phrase, by maps: the longest phrase each form may open.
            longest = gazetteer.first
            self._opens.extend(
                a >= 2 or b >= 2
                for a, b in zip(
                    map(longest.get, folded, repeat(0)),
                    map(longest.get, bare, repeat(0)),
                    strict=True,
                )
            )
        else:
            self._opens.extend(repeat(True, n))
        self._follows.extend(map(self._follow.get, folded))

    def _class_groups_of(self, classes: tuple[str, ...]) -> tuple[list[int], list[int]]:
        """The g1 and g2 value groups of a word's gazetteer classes, in order."""
        g1, g2 = self._group("g1"), self._group("g2")
        return [g1[c] for c in classes if c in g1], [g2[c] for c in classes if c in g2]

    def _score(self, start: int, groups_by_word: NDArray[np.intp]) -> None:
        """Sum the rows of new words ``start``, ``start + 1``, ... from their
        value groups (one row of ``groups_by_word`` each, -1: none)."""
        n = len(groups_by_word)
        top = start + n - 1
        if top >= len(self._table):
            # Doubling, but no further than the cache can fill (it restarts at the limit).
            size = max(top + 1, min(2 * top, CACHE_LIMIT + 1))
            grown = np.zeros((size, *self._table.shape[1:]))
            grown[: len(self._table)] = self._table
            self._table = grown
        self._table[start : start + n] = 0.0  # rows are reused after the cache restarts
        # The word's own slot, then the slots it gives its neighbours, each over
        # only the value groups with a weight there: most weigh a word's own
        # attributes only, and gathering all five slots of every group was most
        # of the cost. The terms left out are exact zeros; numpy's pairwise
        # summation groups the rest differently, so a cell may differ from the
        # all-slots sum in the last bit (1e-15), no more.
        for slots, weighted in (
            (slice(0, 1), self._own_mask),
            (slice(1, None), self._context_mask),
        ):
            # -1 (no group) indexes the mask's last cell, which is False.
            keep = weighted[groups_by_word]
            hits = groups_by_word[keep]  # row by row: each word's groups in order
            if not len(hits):
                continue
            counts = np.count_nonzero(keep, axis=1)
            some = counts > 0
            first = (np.cumsum(counts) - counts)[some]
            rows = np.flatnonzero(some) + start
            self._table[rows, slots] = np.add.reduceat(self._blocks[hits, slots], first, axis=0)

    # -- runs of words ----------------------------------------------------

    def lexical(self, words: Sequence[str]) -> Lexical:
        """What the rule layer needs to know of a word run (see :meth:`runs`)."""
        return self.runs(words, [(0, len(words))])[0]

    def runs(self, surfaces: Sequence[str], ranges: Sequence[tuple[int, int]]) -> list[Lexical]:
        """:class:`Lexical` of each run ``surfaces[lo:hi]`` of a document, its
        words looked up once; gazetteer phrases are looked for only where a
        word may open one."""
        rows = self.rows(surfaces)
        folded = list(map(self._folded.__getitem__, rows))
        bare = list(map(self._bare.__getitem__, rows))
        classes = list(map(self._classes.__getitem__, rows))
        opens = list(map(self._opens.__getitem__, rows))
        gazetteer = self.gazetteer
        out: list[Lexical] = []
        for lo, hi in ranges:
            run_folded, run_bare = folded[lo:hi], bare[lo:hi]
            matches: Matches = []
            if gazetteer is not None:
                opening = list(compress(range(hi - lo), opens[lo:hi]))
                if opening:
                    matches = gazetteer.matches(run_folded, run_bare, opening)
            out.append(
                Lexical(
                    run_folded, run_bare, classes[lo:hi], matches, rows[lo:hi], self._generation
                )
            )
        return out

    def emissions(
        self, chunks: Sequence[Sequence[str]], lexical: Sequence[Lexical] | None = None
    ) -> list[Matrix]:
        """Per token and label, the summed weights of its attributes;
        ``lexical`` is what :meth:`runs` gave for the same chunks, if known."""
        per_chunk: list[list[int]]
        if lexical is not None and all(k.generation == self._generation for k in lexical):
            per_chunk = [k.rows for k in lexical]
        else:
            flat = self.rows([w for chunk in chunks for w in chunk])
            per_chunk, at = [], 0
            for chunk in chunks:
                per_chunk.append(flat[at : at + len(chunk)])
                at += len(chunk)
        window = self.config.window
        # All chunks in one padded row of word rows: `pad` padding rows (zeros)
        # before each chunk and after the last keep neighbours apart.
        pad = max(window, 1)
        rows = [0] * pad
        starts: list[int] = []
        for chunk_rows in per_chunk:
            starts.append(len(rows) - pad)
            rows.extend(chunk_rows)
            rows.extend([0] * pad)
        table = self._table[np.array(rows, dtype=np.intp)]
        m = len(rows)
        total = table[pad : m - pad, 0].copy()
        for d in range(1, window + 1):
            total += table[pad - d : m - pad - d, 2 * d - 1]
            total += table[pad + d : m - pad + d, 2 * d]
        self._add_context(total, per_chunk, starts, lexical)
        return [
            total[start : start + len(chunk_rows)]
            for chunk_rows, start in zip(per_chunk, starts, strict=True)
        ]

    def _add_context(
        self,
        total: Matrix,
        per_chunk: Sequence[Sequence[int]],
        starts: Sequence[int],
        lexical: Sequence[Lexical] | None,
    ) -> None:
        """:meth:`FeatureExtractor._context`'s attributes added to ``total``
        (rows: positions of the padded chunks) by attribute ID. A position's
        extra attributes are summed in that order (sentence edge or bigram
        before, after, then the gazetteer phrase), one layer per slot, as
        crfsuite does."""
        before: dict[int, int] = {}
        after: dict[int, int] = {}
        phrase: dict[int, int] = {}
        bos, eos = self._bos, self._eos
        gazetteer = self.gazetteer if self.config.gazetteer else None
        folded_of, follows_of = self._folded, self._follows
        for k, (rows, start) in enumerate(zip(per_chunk, starts, strict=True)):
            n = len(rows)
            if not n:
                continue
            if bos >= 0:
                before[start] = bos
            if eos >= 0:
                after[start + n - 1] = eos
            # Only the words that open a weighted bigram are looked at.
            follows = list(map(follows_of.__getitem__, rows))
            for i in compress(range(n - 1), follows):
                pair = follows[i].get(folded_of[rows[i + 1]])  # type: ignore[union-attr]
                if pair is not None:
                    if pair[0] >= 0:
                        before[start + i + 1] = pair[0]
                    if pair[1] >= 0:
                        after[start + i] = pair[1]
            if gazetteer is not None and n > 1:
                if lexical is not None:
                    matches = lexical[k].matches
                else:
                    matches = gazetteer.matches(
                        [folded_of[r] for r in rows], [self._bare[r] for r in rows]
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
        state = self.weights.state
        extra = np.zeros_like(total)
        for layer, at in enumerate((before, after, phrase)):
            if not at:
                continue
            where = np.fromiter(at.keys(), dtype=np.intp, count=len(at))
            found = state[np.fromiter(at.values(), dtype=np.intp, count=len(at))]
            if layer == 0:
                extra[where] = found
            else:
                extra[where] += found
        total += extra
