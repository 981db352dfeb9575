"""Event triggers: which words in a sentence announce an event, and of what type.

Text only: this layer needs no tokens or mentions, so it is the cheap gate that
runs on every sentence (two compiled patterns: unambiguous and ambiguous
triggers) and the thing the event benchmark measures. Status (happened,
planned, denied, did_not_happen) is decided here too, from cue words around
the trigger.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rasid.errors import DataFileError
from rasid.facts.certainty import CertaintyCues, Cue
from rasid.facts.lexicon import (
    Folded,
    Lexicon,
    any_entry,
    build_lexicon,
    fold,
    fold_key,
    lexicon_from,
    load_data,
    section,
)
from rasid.facts.schema import check_event_type, load_schema
from rasid.facts.words import Word, split_words

_FILE = "events.yaml"
#: Types that count as "this sentence reports an attack or battle".
VIOLENT_TYPES = frozenset({"attack", "battle", "bombardment"})
STATUSES = ("happened", "planned", "denied", "did_not_happen")
_PLANNED_WINDOW = 8
_EXCLUDED = "_excluded"


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str
    start: int  # original offsets
    end: int
    text: str
    subtype: str | None = None
    pattern: str | None = None  # name of the gapped pattern that matched
    status: str = "happened"


def _senses(
    entries: Any, event_type: str, tier: str, requires: str | None
) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for item in entries or []:
        if isinstance(item, str):
            word, subtype = item, None
        elif isinstance(item, Mapping) and isinstance(item.get("word"), str):
            word, subtype = item["word"], item.get("subtype")
        else:
            raise DataFileError(f"facts/{_FILE}: trigger {item!r} of {event_type} needs a 'word'")
        sense = {"type": event_type, "subtype": subtype, "tier": tier, "requires": requires}
        out.append((fold_key(word), sense))
    return out


class TriggerFinder:
    """Compiled trigger lexicons, context lexicons and gapped patterns."""

    def __init__(self, cues: CertaintyCues | None = None) -> None:
        schema = load_schema()
        data = load_data(_FILE)
        tiers: dict[str, dict[str, dict[str, Any]]] = {"triggers": {}, "weak": {}, "ambiguous": {}}
        for event_type, spec in section(data, "types", _FILE).items():
            check_event_type(schema, event_type)
            requires = spec.get("requires")
            for tier, entries in tiers.items():
                for key, sense in _senses(spec.get(tier), event_type, tier, requires):
                    entries.setdefault(key, {"word": key, "senses": []})["senses"].append(sense)
        # One compiled pattern per tier: the gate is three searches per sentence.
        self.tiers = [
            Lexicon(f"events:{tier}", entries, "noun", "trigger")
            for tier, entries in tiers.items()
            if entries
        ]
        # A sentence with no word of any tier (most of them) costs one search.
        self.any_trigger = any_entry(self.tiers)
        contexts = section(data, "contexts", _FILE)
        self.contexts: dict[str, Lexicon] = {
            name: _context_lexicon(name, spec) for name, spec in contexts.items()
        }
        for needed in ("conflict", "sports"):
            if needed not in self.contexts:
                raise DataFileError(f"facts/{_FILE}: contexts need a {needed!r} list")
        self.blockers = lexicon_from(_FILE, "blockers")
        self.exclusions = lexicon_from(_FILE, "exclusions")
        self.hypothetical = lexicon_from(_FILE, "hypothetical", prefixes="particle")
        self.generic_before = lexicon_from(_FILE, "generic_before")
        self.patterns: list[tuple[str, str, re.Pattern[str]]] = []
        for record in section(data, "patterns", _FILE):
            event_type = check_event_type(schema, str(record.get("type")))
            try:
                compiled = re.compile(str(record["regex"]))
            except (KeyError, re.error) as err:
                raise DataFileError(f"facts/{_FILE}: bad pattern {record!r}: {err}") from None
            self.patterns.append((event_type, str(record.get("name", event_type)), compiled))
        self.cues = cues or CertaintyCues()

    # -- detection ---------------------------------------------------------------

    def find(self, folded: Folded, text: str) -> list[Trigger]:
        """Triggers in one sentence (``folded`` is its folded copy), without status."""
        candidates: list[Trigger] = []
        context_cache: dict[str, list[tuple[int, int]]] = {}

        def has(name: str, start: int = -1, end: int = -1) -> bool:
            """Context ``name`` present outside the span ``[start, end)``."""
            if name not in context_cache:
                lexicon = self.contexts.get(name)
                hits: list[tuple[int, int]] = []
                if lexicon is not None and lexicon.search(folded):
                    hits = [(h.start, h.end) for h in lexicon.finditer(folded, text)]
                context_cache[name] = hits
            return any(e <= start or s >= end for s, e in context_cache[name])

        for lexicon in self.tiers if self.any_trigger.search(folded.text) else ():
            if not lexicon.search(folded):
                continue
            for hit in lexicon.finditer(folded, text):
                for sense in hit.info["senses"]:
                    if sense["requires"] and not has(sense["requires"]):
                        continue
                    tier = sense["tier"]
                    if tier != "triggers" and (has("sports") or self._blocked(folded, hit.end)):
                        continue
                    if tier == "weak" and self._hypothetical(folded, hit.start):
                        continue
                    if tier == "ambiguous" and (
                        not has("conflict", hit.start, hit.end) or self._generic(folded, hit.start)
                    ):
                        continue
                    candidates.append(
                        Trigger(sense["type"], hit.start, hit.end, hit.text, sense["subtype"])
                    )
        for event_type, name, pattern in self.patterns:
            for match in pattern.finditer(folded.text):
                start, end = folded.to_original(match.start(), match.end())
                candidates.append(Trigger(event_type, start, end, text[start:end], None, name))
        if candidates and self.exclusions.search(folded):
            for hit in self.exclusions.finditer(folded, text):
                candidates.append(Trigger(_EXCLUDED, hit.start, hit.end, hit.text))
        return [t for t in _longest_first(candidates) if t.type != _EXCLUDED]

    def _generic(self, folded: Folded, start: int) -> bool:
        before = " ".join(folded.text[: folded.from_original(start)].split()[-6:])
        return self.generic_before.pattern.search(before) is not None

    def _hypothetical(self, folded: Folded, start: int) -> bool:
        before = folded.text[: folded.from_original(start)].split()[-2:]
        return any(self.hypothetical.pattern.fullmatch(word) for word in before)

    def _blocked(self, folded: Folded, end: int) -> bool:
        """A blocker among the next three words ("هجوما مفاجئا وحادا")."""
        position = folded.from_original(end)
        following = folded.text[position : position + 60].split()[:3]
        return any(
            self.blockers.pattern.match(" ".join(following[i:])) for i in range(len(following))
        )

    # -- status -------------------------------------------------------------------

    def with_status(
        self, trigger: Trigger, folded: Folded, words: list[Word], cues: list[Cue]
    ) -> Trigger:
        local = folded.from_original(trigger.start)
        index = next((i for i, w in enumerate(words) if w.end > local), len(words))
        status = "happened"
        if any(c.level == "denied" and c.start < trigger.start for c in cues):
            status = "denied"
        elif self.cues.negated_before(folded, words, index):
            status = "did_not_happen"
        elif any(
            c.level == "planned"
            and c.end <= trigger.start
            and _words_between(words, folded, c.end, trigger.start) <= _PLANNED_WINDOW
            for c in cues
        ):
            status = "planned"
        if status == trigger.status:
            return trigger
        return Trigger(
            trigger.type,
            trigger.start,
            trigger.end,
            trigger.text,
            trigger.subtype,
            trigger.pattern,
            status,
        )

    def detect(self, sentence: str) -> list[Trigger]:
        """Triggers with status in a bare sentence (offsets into ``sentence``)."""
        folded = fold(sentence)
        triggers = self.find(folded, sentence)
        if not triggers:
            return []
        words = split_words(folded)
        cues = self.cues.find(folded, sentence, ("denied", "negation", "planned"))
        return [self.with_status(t, folded, words, cues) for t in triggers]


def _context_lexicon(name: str, spec: Any) -> Lexicon:
    if not isinstance(spec, Mapping) or not isinstance(spec.get("words"), list):
        raise DataFileError(f"facts/{_FILE}: context {name!r} needs a 'words' list")
    return build_lexicon(
        f"events:context:{name}",
        spec["words"],
        prefixes=str(spec.get("clitics", "noun")),
        suffixes=str(spec.get("suffixes", "none")),
    )


def _words_between(words: list[Word], folded: Folded, start: int, end: int) -> int:
    a, b = folded.from_original(start), folded.from_original(end)
    return sum(1 for w in words if a <= w.start < b)


def _longest_first(candidates: list[Trigger]) -> list[Trigger]:
    """Drop triggers overlapping a longer one (ties: the unambiguous/earlier one)."""
    chosen: list[Trigger] = []
    for trigger in sorted(candidates, key=lambda t: (-(t.end - t.start), t.start)):
        if all(trigger.end <= c.start or trigger.start >= c.end for c in chosen):
            chosen.append(trigger)
    return sorted(chosen, key=lambda t: t.start)


@lru_cache(maxsize=1)
def default_finder() -> TriggerFinder:
    return TriggerFinder()


def reports_violence(sentence: str, finder: TriggerFinder | None = None) -> bool:
    """Whether a sentence reports an attack, battle or bombardment (any status)."""
    return any(t.type in VIOLENT_TYPES for t in (finder or default_finder()).detect(sentence))
