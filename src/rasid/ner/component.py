"""The ``ner.crf`` pipeline component: typed name mentions from tokens.

The model is tagged over whitespace-level tokens from :mod:`rasid.text.tokenize`
(the unit ANERcorp annotates, clitics attached); a mention's start skips a
leading و/ف/ب/ل/ك proclitic segment but keeps the article, so "والعراق" gives
the mention "العراق" with offsets that slice the original text exactly.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from pathlib import Path

from rasid.model import Analysis, Mention, Token
from rasid.ner.features import Lexical
from rasid.ner.gazetteer import Gazetteer
from rasid.ner.lexical import fold, split_proclitics, strip_conj_prep
from rasid.ner.rules import _CRF_TYPE, TypedSpan, propagate, resolve
from rasid.ner.tagger import MAX_SEQUENCE, CrfSpan, NerModel
from rasid.pipeline import Component, registry
from rasid.text.clitics import load_lexicon
from rasid.text.normalize import normalize_key

NAME = "ner.crf"
VERSION = "v1"
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FACILITY", "NORP", "ROLE", "EVENT", "MISC")


#: Corpus count from which a whole form is a word in its own right, not clitic + word.
_COMMON_FORM = 50


def _mention_start(token: Token, gazetteer: Gazetteer | None, folded: str) -> int:
    """Where a mention that begins with ``token`` (``folded``: its folded form) starts."""
    if folded.startswith("لل"):
        # ل + ال with the alef elided (للسوريين): no clean cut keeps the article.
        return token.start
    for segment in token.segments:
        if segment.role != "proclitic":
            if segment.start > token.start:
                return segment.start
            break
    # The segmenter left the word whole; drop و/ف/ب/ل/ك when what remains is a
    # word we know (لكتيبة → كتيبة), never on a guess, and never when the whole
    # form is itself a common word of the news (باب، بيونغ: not ب + اب، ب + يونغ).
    prefix, _ = split_proclitics(folded)
    if not prefix or gazetteer is None:
        return token.start
    if load_lexicon().get(token.norm, 0) >= _COMMON_FORM:
        return token.start
    bare = strip_conj_prep(folded)
    if bare == folded or gazetteer.classes(folded) is not None or gazetteer.classes(bare) is None:
        return token.start
    letters = len(folded) - len(bare)
    i = token.start
    while letters > 0 and i < token.end:
        i += 1
        letters -= 1
        # Diacritics and tatweel after a clitic letter belong to it.
        while i < token.end and fold(token.text[i - token.start]) == "":
            i += 1
    return i


class NerTagger:
    """Model + rules over rasid tokens; one instance per process."""

    def __init__(self, model_path: Path | None = None) -> None:
        self.model = NerModel(model_path)
        self.component_name = f"{NAME}.{VERSION}"

    def chunks(self, analysis: Analysis) -> list[list[Token]]:
        """Token runs to tag: sentences, cut at ``MAX_SEQUENCE`` tokens."""
        tokens = analysis.tokens
        return [list(tokens[lo:hi]) for lo, hi in self._ranges(analysis)]

    def _ranges(self, analysis: Analysis) -> list[tuple[int, int]]:
        """:meth:`chunks` as index ranges into ``analysis.tokens``.

        Tokens are sorted and do not overlap, so both their starts and their
        ends ascend: a sentence's tokens (those that start before its end and
        end after its start) are found by bisection."""
        tokens = analysis.tokens
        groups: list[tuple[int, int]] = []
        if analysis.sentences:
            starts = [t.start for t in tokens]
            ends = [t.end for t in tokens]
            i = 0
            for sentence in analysis.sentences:
                j = bisect_left(starts, sentence.end, i)
                lo = bisect_right(ends, sentence.start, i, j)
                if lo < j:
                    groups.append((lo, j))
                i = j
            if i < len(tokens):
                groups.append((i, len(tokens)))
        else:
            groups = [(0, len(tokens))]
        out: list[tuple[int, int]] = []
        for lo, hi in groups:
            for cut in range(lo, hi, MAX_SEQUENCE):
                out.append((cut, min(cut + MAX_SEQUENCE, hi)))
        return out

    def spans(
        self, tokens: Sequence[Token], folded: Sequence[str] | None = None
    ) -> list[TypedSpan]:
        """Typed spans of one token run (before document-level propagation)."""
        words = [t.text for t in tokens]
        lexical = self.model.lexical(words)
        return self._typed(self.model.tag(words), folded or lexical.folded, lexical)

    def _typed(
        self, crf: list[CrfSpan], folded: Sequence[str], lexical: Lexical | None
    ) -> list[TypedSpan]:
        if self.model.gazetteer is None:
            return [
                TypedSpan(_CRF_TYPE[s.label], None, s.start, s.end, s.confidence, "crf")
                for s in crf
            ]
        if not self.model.shares_gazetteer:
            lexical = None
        return resolve(folded, crf, self.model.gazetteer, lexical)

    def mentions(self, analysis: Analysis) -> list[Mention]:
        text = analysis.document.text
        tokens = analysis.tokens
        kinds = [t.kind for t in tokens]
        surfaces = [t.text for t in tokens]
        ranges = [(lo, hi) for lo, hi in self._ranges(analysis) if "word" in kinds[lo:hi]]
        words = [surfaces[lo:hi] for lo, hi in ranges]
        # Identical runs (boilerplate, a word repeated a million times) are
        # tagged once per document; the others all at once.
        first: dict[tuple[str, ...], int] = {}
        lexical: dict[int, Lexical] = {}
        folded: list[list[str]] = []
        bare: list[list[str]] = []
        same: list[int] = []  # the first run with the same words as this one
        for k, known in enumerate(self.model.lexical_runs(surfaces, ranges)):
            key = tuple(known.folded)
            if key not in first:
                first[key] = k
                lexical[k] = known
            same.append(first[key])
            folded.append(known.folded)
            bare.append(known.bare)
        unique = list(first.values())
        shared = self.model.shares_gazetteer
        crf = self.model.tag_chunks(
            [words[k] for k in unique], lexical=[lexical[k] for k in unique] if shared else None
        )
        typed = {
            k: self._typed(spans, folded[k], lexical[k])
            for k, spans in zip(unique, crf, strict=True)
        }
        per_chunk = [list(typed[k]) for k in same]
        if self.model.gazetteer is not None and len(ranges) > 1:
            per_chunk = propagate(folded, per_chunk, self.model.gazetteer, bare)
        found: list[Mention] = []
        gazetteer = self.model.gazetteer
        for (lo, _), spans, forms in zip(ranges, per_chunk, folded, strict=True):
            for span in spans:
                start = _mention_start(tokens[lo + span.start], gazetteer, forms[span.start])
                end = tokens[lo + span.end - 1].end
                if end <= start:
                    continue
                surface = text[start:end]
                value: dict[str, object] = {"source": span.source}
                if span.generic:
                    value["generic"] = True
                found.append(
                    Mention(
                        start=start,
                        end=end,
                        text=surface,
                        type=span.type,
                        norm=normalize_key(surface),
                        subtype=span.subtype,
                        confidence=round(span.confidence, 4),
                        component=self.component_name,
                        value=value,
                    )
                )
        return found

    def __call__(self, analysis: Analysis) -> None:
        analysis.mentions.extend(self.mentions(analysis))


@registry.register(NAME)
def ner_component() -> Component:
    tagger = NerTagger()
    return Component(
        NAME,
        VERSION,
        tagger,
        requires=("tokens",),
        assigns=tuple(f"mentions:{t}" for t in ENTITY_TYPES),
    )
