"""Cross-document resolution: join a document's entities to those already stored.

Three passes, cheapest first, each over an in-memory :class:`KeyIndex` (no SQL
per mention):

1. **Keys.** A stored entity of a compatible type sharing a matching key
   (catalogue actor, gazetteer place, personal-name key, folded name) is the
   same entity when it is the only one with that key.
2. **Kunya keys.** ``أبو عمر الشيشاني`` ~ ``عمر الشيشاني``: a weaker key that
   joins only when that block holds a single person.
3. **Scoring.** PERSON and ORG names the keys missed are *blocked* by a
   consonant skeleton of the folded name (``الأمريكي`` and ``الأميركي`` share
   ``مرك``) and *scored* inside the block with rapidfuzz: word by word, the
   words aligned in order. A person's words must agree in their romanisations
   (عمر ~ عمار share a skeleton, but Omar/Ammar do not agree), an
   organisation's in their Arabic spelling, and numbers must be equal. The
   best candidate is taken when its score reaches the threshold and no other
   entity in the block comes within :data:`MARGIN` of it.

Analysts' ``split``/``not_same`` judgements veto every pass (``Resolver.may_join``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from rasid.link.judgements import Resolver
from rasid.model import Analysis

_PLACE = {"GPE", "LOC", "FACILITY"}
#: Types whose names are scored when no key joins them.
SCORED_TYPES = frozenset({"PERSON", "ORG"})
#: Lowest name score (0-100) that joins a person / an organisation.
PERSON_THRESHOLD = 88.0
ORG_THRESHOLD = 90.0
#: The best candidate must beat the runner-up by this much, or nothing is joined.
MARGIN = 3.0
#: A word of a person's name agrees with another when their best romanisations
#: score this much; an organisation's words when their folded Arabic does.
PERSON_WORD_MIN = 85.0
ORG_WORD_MIN = 80.0
#: Shorter organisation words must be equal (كتيبة عمر ≠ كتيبة عمار).
_ORG_FUZZY_MIN_LEN = 5
#: Blocks larger than this are not scored (a skeleton that common says nothing).
MAX_BLOCK = 200

#: Keys that carry a name's romanisation: scored, never matched as keys.
LATIN_PREFIX = "latin:"
#: Where a re-pointed mention or statement keeps its in-document machine ID.
LINKED_FROM = "linked_from"
_SCORED_PREFIXES = {"PERSON": "person:ar:", "ORG": "name:ORG:"}
_BLOCK_DROP = str.maketrans("", "", "اويىءؤئآأإ ")
_RUNS = re.compile(r"(.)\1+")
_DIGITS = re.compile(r"\d+")


def _family(entity_type: str) -> str:
    return "PLACE" if entity_type in _PLACE else entity_type


def weak_person_keys(keys: Iterable[str]) -> set[str]:
    """``person:ar:ابو عمر شيشاني`` → ``kunya:عمر شيشاني``; ``person:ar:عمر شيشاني`` → same."""
    weak = set()
    for key in keys:
        if not key.startswith("person:ar:"):
            continue
        words = key[len("person:ar:") :].split()
        if len(words) >= 3 and words[0] in {"ابو", "ام"}:
            weak.add("kunya:" + " ".join(words[1:]))
        elif len(words) >= 2:
            weak.add("kunya:" + " ".join(words))
    return weak


def _lone_word_person(key: str) -> bool:
    # "التميمي" in two documents is most often two people: a one-word personal
    # name joins nothing across documents (in a document, linking ties it to
    # the full name it abbreviates).
    return key.startswith(("person:ar:", "name:PERSON:")) and " " not in key.split(":", 2)[-1]


def block_key(folded: str) -> str:
    """The consonant skeleton of a folded Arabic name: long vowels, hamza seats
    and spaces dropped, doubled letters merged (امريكي and اميركي → مرك)."""
    return _RUNS.sub(r"\1", folded.replace("ة", "ه").translate(_BLOCK_DROP))


def scored_names(entity_type: str, keys: Iterable[str]) -> list[str]:
    """The folded names of an entity that fuzzy scoring compares (from its keys)."""
    prefix = _SCORED_PREFIXES.get(entity_type)
    if prefix is None:
        return []
    return [key[len(prefix) :] for key in keys if key.startswith(prefix)]


def latin_spellings(keys: Iterable[str]) -> set[str]:
    """The romanisations among an entity's keys (``latin:omar al-shishani``)."""
    return {key[len(LATIN_PREFIX) :] for key in keys if key.startswith(LATIN_PREFIX)}


def _arabic_gate(a: str, b: str, entity_type: str) -> bool:
    """Whether two different folded words may be spellings of one word at all."""
    if _DIGITS.search(a) or _DIGITS.search(b):
        return False  # الفرقة 17 ≠ الفرقة 18
    if a.endswith("ي") != b.endswith("ي"):
        return False  # a nisba is not the name it derives from: العامري ≠ عامر
    if entity_type == "PERSON":
        return fuzz.ratio(a, b) >= 60
    return min(len(a), len(b)) >= _ORG_FUZZY_MIN_LEN and fuzz.ratio(a, b) >= ORG_WORD_MIN


def _latin_words(spelling: str) -> list[str]:
    words = spelling.split()
    return [w.split("-", 1)[1] if w[:3] in {"al-", "el-", "ad-", "an-", "ar-", "as-", "at-"}
            else w for w in words]  # fmt: skip


def _person_latin_score(
    differing: list[int], size: int, latin_a: Iterable[str], latin_b: Iterable[str]
) -> float:
    """Best agreement of the words that differ in Arabic, read in their romanisations
    (the names layer's, stored as ``latin:`` keys), aligned word by word."""
    best = 0.0
    options_b = [words for y in latin_b if len(words := _latin_words(y)) == size]
    for x in latin_a:
        words_a = _latin_words(x)
        if len(words_a) != size:
            continue
        for words_b in options_b:
            scores = [fuzz.ratio(words_a[i], words_b[i]) for i in differing]
            if min(scores) >= PERSON_WORD_MIN:
                best = max(best, sum(scores) / len(scores))
    return best


def name_score(
    a: str,
    b: str,
    entity_type: str,
    latin_a: Iterable[str] = (),
    latin_b: Iterable[str] = (),
) -> float:
    """How alike two folded names are (0-100), word by word (0 when any word disagrees).

    Words are aligned in order and the names must have as many. An organisation's
    differing words are scored on their Arabic spelling; a person's on their
    romanisations ``latin_a``/``latin_b`` (عمر ~ عمار are close in Arabic, not as
    Omar ~ Ammar), and a person's name needs two words at least. The score is
    the mean over the words, equal words counting 100.
    """
    words_a, words_b = a.split(), b.split()
    size = len(words_a)
    if size != len(words_b) or not size:
        return 0.0
    if entity_type == "PERSON" and size < 2:
        return 0.0  # a lone surname or nisba is not enough to say who it is
    differing = [i for i in range(size) if words_a[i] != words_b[i]]
    if not differing:
        return 100.0
    if not all(_arabic_gate(words_a[i], words_b[i], entity_type) for i in differing):
        return 0.0
    if entity_type == "PERSON":
        latin = _person_latin_score(differing, size, latin_a, latin_b)
        return 0.0 if latin == 0.0 else (100.0 * (size - len(differing)) + latin * len(
            differing)) / size  # fmt: skip
    scores = [fuzz.ratio(words_a[i], words_b[i]) for i in differing]
    return (100.0 * (size - len(differing)) + sum(scores)) / size


@dataclass(frozen=True, slots=True)
class Candidate:
    entity_id: str
    score: float
    reason: str  # "key" | "kunya" | "score"


class KeyIndex:
    """Matching keys and name blocks of stored entities, kept in memory during an ingest."""

    def __init__(self, resolver: Resolver | None = None) -> None:
        self.strong: dict[str, set[str]] = defaultdict(set)
        self.weak: dict[str, set[str]] = defaultdict(set)
        self.blocks: dict[str, dict[str, set[str]]] = defaultdict(dict)  # block → id → names
        self.family: dict[str, str] = {}
        self.latin: dict[str, set[str]] = defaultdict(set)
        self.resolver = resolver or Resolver()

    def __len__(self) -> int:
        return len(self.family)

    def add(self, entity_id: str, entity_type: str, keys: Iterable[str]) -> None:
        keys = list(keys)
        family = _family(entity_type)
        self.family.setdefault(entity_id, family)
        for key in keys:
            if key.startswith(LATIN_PREFIX):
                self.latin[entity_id].add(key[len(LATIN_PREFIX) :])
            else:
                self.strong[key].add(entity_id)
        if entity_type == "PERSON":
            for key in weak_person_keys(keys):
                self.weak[key].add(entity_id)
        for name in scored_names(entity_type, keys):
            block = self.blocks[f"{family}:{block_key(name)}"]
            block.setdefault(entity_id, set()).add(name)

    def add_entities(self, entities: Iterable[dict[str, Any]]) -> None:
        """Add a document's entities (after linking) under their IDs and keys."""
        for entity in entities:
            self.add(entity["id"], entity["type"], entity.get("keys", []))

    def _usable(self, entity_id: str, family: str, candidates: Iterable[str]) -> set[str]:
        return {
            c
            for c in candidates
            if c != entity_id
            and self.family.get(c) == family
            and self.resolver.may_join(entity_id, c)
        }

    def _canonical(self, candidates: set[str]) -> set[str]:
        # Entities an analyst merged are one candidate, not an ambiguity.
        return {self.resolver.canonical(c) for c in candidates}

    def candidate(self, entity_id: str, entity_type: str, keys: Iterable[str]) -> Candidate | None:
        """The stored entity this one is, with the pass that found it; None when new."""
        if entity_id in self.family:
            return None  # already known under its own deterministic ID
        family = _family(entity_type)
        keys = list(keys)
        for key in keys:
            if _lone_word_person(key) or key.startswith(LATIN_PREFIX):
                continue
            found = self._canonical(self._usable(entity_id, family, self.strong.get(key, ())))
            if len(found) == 1:
                return Candidate(found.pop(), 100.0, "key")
        if entity_type == "PERSON":
            for key in sorted(weak_person_keys(keys)):
                found = self._canonical(self._usable(entity_id, family, self.weak.get(key, ())))
                if len(found) == 1:
                    return Candidate(found.pop(), 100.0, "kunya")
        if entity_type in SCORED_TYPES:
            return self._scored(entity_id, entity_type, family, keys)
        return None

    def _scored(
        self, entity_id: str, entity_type: str, family: str, keys: list[str]
    ) -> Candidate | None:
        threshold = PERSON_THRESHOLD if entity_type == "PERSON" else ORG_THRESHOLD
        latin = latin_spellings(keys)
        best: dict[str, float] = {}
        for name in scored_names(entity_type, keys):
            block = self.blocks.get(f"{family}:{block_key(name)}")
            if not block or len(block) > MAX_BLOCK:
                continue
            for other in self._usable(entity_id, family, block):
                score = max(
                    name_score(name, stored, entity_type, latin, self.latin.get(other, ()))
                    for stored in block[other]
                )
                group = self.resolver.canonical(other)
                if score > best.get(group, 0.0):
                    best[group] = score
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        if not ranked or ranked[0][1] < threshold:
            return None
        if len(ranked) > 1 and ranked[1][1] > ranked[0][1] - MARGIN:
            return None  # two stored entities fit about as well: leave it to an analyst
        return Candidate(ranked[0][0], ranked[0][1], "score")

    def match(self, entity_id: str, entity_type: str, keys: Iterable[str]) -> str | None:
        found = self.candidate(entity_id, entity_type, keys)
        return None if found is None else found.entity_id


def resolve_analysis(analysis: Analysis, index: KeyIndex) -> dict[str, str]:
    """Re-point the analysis at stored entities where keys or scores say they are the same.

    Returns the mapping applied (local deterministic ID → stored ID) and adds
    the document's entities to the index. A joined entity keeps its own keys
    (under the stored ID), so the index learns every spelling it has seen.
    """
    links = find_links(analysis.entities, index)
    apply_links(analysis, links)
    index.add_entities(analysis.entities)
    return links.mapping


@dataclass(frozen=True, slots=True)
class Links:
    """Which of a document's entities are stored ones (local ID → stored ID), and why."""

    mapping: dict[str, str]
    reasons: dict[str, str]


def find_links(entities: Iterable[dict[str, Any]], index: KeyIndex) -> Links:
    """The stored entities that ``entities`` (one document's) are; changes nothing.

    Without links (most documents), the analysis stays as it is: an ingest
    writes rows built beforehand, and builds them anew only after :func:`apply_links`.
    """
    mapping: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for entity in entities:
        found = index.candidate(entity["id"], entity["type"], entity.get("keys", []))
        if found is not None:
            mapping[entity["id"]] = found.entity_id
            reasons[entity["id"]] = (
                f"score:{found.score:.1f}" if found.reason == "score" else found.reason
            )
    return Links(mapping, reasons)


def apply_links(analysis: Analysis, links: Links) -> None:
    """Re-point ``analysis`` along ``links`` (see :func:`resolve_analysis`)."""
    if links.mapping:
        _apply(analysis, links.mapping)
        for mention in analysis.mentions:
            origin = mention.value.get(LINKED_FROM)
            if origin in links.reasons:
                mention.value["linked_by"] = links.reasons[origin]


def _apply(analysis: Analysis, mapping: Mapping[str, str]) -> None:
    """Re-point everything at the stored IDs; each re-pointed row keeps the machine ID
    it had in its document (``linked_from``), so that an analyst's split can undo it."""
    for mention in analysis.mentions:
        origin = mention.entity_id
        if origin is not None and origin in mapping:
            mention.value[LINKED_FROM] = origin
            mention.entity_id = mapping[origin]
    for statement in analysis.statements:
        joined: dict[str, str] = {}
        if statement.subject in mapping:
            joined["subject"] = statement.subject
            statement.subject = mapping[statement.subject]
        target = statement.object_entity
        if target is not None and target in mapping:
            joined["object"] = target
            statement.object_entity = mapping[target]
        if joined:
            statement.qualifiers[LINKED_FROM] = joined
        for link in statement.attribution:
            if link.entity_id is not None and link.entity_id in mapping:
                link.entity_id = mapping[link.entity_id]
    for event in analysis.events:
        for argument in event.get("arguments", []):
            entity = argument.get("entity")
            if isinstance(entity, str) and entity in mapping:
                argument["entity"] = mapping[entity]
    merged: dict[str, dict[str, Any]] = {}
    for entity in analysis.entities:
        if entity["id"] in mapping:
            entity.setdefault("attributes", {}).setdefault("linked_from", []).append(entity["id"])
        entity["id"] = mapping.get(entity["id"], entity["id"])
        if entity["id"] in merged:
            kept = merged[entity["id"]]
            kept["mentions"] = kept.get("mentions", []) + entity.get("mentions", [])
            kept["keys"] = sorted(set(kept.get("keys", [])) | set(entity.get("keys", [])))
            for name, count in entity.get("names", {}).items():
                kept.setdefault("names", {})[name] = kept.get("names", {}).get(name, 0) + count
        else:
            merged[entity["id"]] = entity
    analysis.entities = list(merged.values())
