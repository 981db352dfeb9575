"""``extract_facts(analysis)``: statements and events for one analysed document.

Order of work per document: the publisher and the attribution of every
sentence (a discourse pass: "الصحيفة" and "وأوضحت" look back), then, sentence
by sentence, a cheap gate (one search per trigger lexicon on the folded
sentence, plus "does NER see an organisation or a figure here"), and only for
sentences that pass it the units, relations, figures, composition, places,
documents and events. Units are remembered across sentences so that "الجيش"
and "العناصر" find the unit the article is about.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rasid.errors import PipelineError
from rasid.facts.attribution import Attributor
from rasid.facts.certainty import CertaintyCues
from rasid.facts.composition import CompositionRules
from rasid.facts.context import SentenceContext
from rasid.facts.documents import DocumentRules
from rasid.facts.events import EventRules
from rasid.facts.lexicon import Folded, Gate, fold_spans
from rasid.facts.locations import LocationRules
from rasid.facts.quantities import StrengthRule
from rasid.facts.relations import RelationRules
from rasid.facts.schema import load_schema
from rasid.facts.state import DocState
from rasid.facts.triggers import TriggerFinder
from rasid.facts.units import UnitFinder
from rasid.model import Analysis, Mention, Statement

#: Counted nouns that make a sentence worth the detailed pass on their own.
_GATE_SUBTYPES = frozenset({"person"})


@dataclass(slots=True)
class FactsResult:
    statements: list[Statement] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "statements": [s.to_dict() for s in self.statements],
            "events": self.events,
        }


class FactsExtractor:
    """All rule sets, compiled once; call it on an :class:`Analysis`."""

    def __init__(self) -> None:
        self.schema = load_schema()
        self.attributor = Attributor()
        self.cues = CertaintyCues()
        self.triggers = TriggerFinder(self.cues)
        self.units = UnitFinder()
        self.relations = RelationRules()
        self.strength = StrengthRule()
        self.composition = CompositionRules()
        self.locations = LocationRules()
        self.documents = DocumentRules()
        self.events = EventRules(self.triggers)
        self.gate = Gate(
            [
                *self.triggers.tiers,
                self.units.heads,
                self.units.known,
                self.relations.roles,
                self.relations.role_verbs,
                self.relations.founding,
                self.composition.exclusion,
                self.composition.recruitment,
                self.composition.recruit,
                self.composition.mission,
                self.locations.cues,
                self.documents.fields,
                self.documents.authenticity,
                self.composition.share_verbs,
                self.composition.majority,
                self.relations.leadership,
            ]
        )

    def __call__(self, analysis: Analysis) -> FactsResult:
        document = analysis.document
        if not analysis.sentences and document.text.strip():
            raise PipelineError("facts needs sentences: run text.sentences before facts")
        text = document.text
        spans = [(s.start, s.end) for s in analysis.sentences]
        folded = fold_spans(text, spans)
        mentions = sorted(analysis.mentions, key=lambda m: (m.start, -m.end))
        publisher = self.attributor.publisher(document)
        attributions = self.attributor.analyse(text, spans, publisher, mentions, folded)
        state = DocState(document.id, document.published, self.schema)
        starts = [m.start for m in mentions]
        for sentence, f, attribution in zip(analysis.sentences, folded, attributions, strict=True):
            lo = bisect_left(starts, sentence.start)
            hi = bisect_left(starts, sentence.end)
            inside = [m for m in mentions[lo:hi] if m.end <= sentence.end]
            if not self._passes(f, inside):
                continue
            ctx = SentenceContext(
                sentence.index,
                sentence.start,
                sentence.end,
                text,
                f,
                attribution,
                self.cues.find(f, text),
                inside,
            )
            self._sentence(ctx, state)
        return FactsResult(state.statements, state.events)

    def _passes(self, folded: Folded, mentions: list[Mention]) -> bool:
        if any(m.type == "QUANTITY" and m.subtype in _GATE_SUBTYPES for m in mentions):
            return True
        return self.gate.search(folded)

    def _sentence(self, ctx: SentenceContext, state: DocState) -> None:
        units = self.units.find(ctx, state.units)
        quoted = self.units.quoted_after_name_cue(ctx, state.units)
        units += [q for q in quoted if not any(u.start <= q.start < u.end for u in units)]
        units.sort(key=lambda u: u.start)
        self.locations.remember(ctx, state)
        self.relations.apply(ctx, units, state)
        self.strength.apply(ctx, units, state)
        self.composition.apply(ctx, units, state)
        self.locations.apply(ctx, units, state)
        self.documents.apply(ctx, state)
        self.events.apply(ctx, units, state)


@lru_cache(maxsize=1)
def default_extractor() -> FactsExtractor:
    return FactsExtractor()


def extract_facts(analysis: Analysis) -> FactsResult:
    """Statements and events for ``analysis`` (which is left unchanged)."""
    return default_extractor()(analysis)
