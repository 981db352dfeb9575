"""Cross-document resolution: join a document's entities to those already stored.

Blocking is by matching keys (catalogue actor, gazetteer place, personal-name
keys, folded names); a candidate is taken when exactly one stored entity of a
compatible type shares a key and no analyst said the two are different.
Kunya variants (أبو عمر الشيشاني ~ عمر الشيشاني) are a weaker key: they join
only when that block holds a single person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from rasid.link.judgements import Resolver
from rasid.model import Analysis

_PLACE = {"GPE", "LOC", "FACILITY"}


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


class KeyIndex:
    """Matching keys of stored entities → entity IDs, kept in memory during an ingest."""

    def __init__(self, resolver: Resolver | None = None) -> None:
        self.strong: dict[str, set[str]] = defaultdict(set)
        self.weak: dict[str, set[str]] = defaultdict(set)
        self.family: dict[str, str] = {}
        self.resolver = resolver or Resolver()

    def add(self, entity_id: str, entity_type: str, keys: Iterable[str]) -> None:
        keys = list(keys)
        self.family[entity_id] = _family(entity_type)
        for key in keys:
            self.strong[key].add(entity_id)
        if entity_type == "PERSON":
            for key in weak_person_keys(keys):
                self.weak[key].add(entity_id)

    def match(self, entity_id: str, entity_type: str, keys: Iterable[str]) -> str | None:
        family = _family(entity_type)
        keys = list(keys)

        def usable(candidates: set[str]) -> set[str]:
            return {
                c
                for c in candidates
                if c != entity_id
                and self.family.get(c) == family
                and self.resolver.may_join(entity_id, c)
            }

        if entity_id in self.family:
            return None  # already known under its own deterministic ID
        for key in keys:
            found = usable(self.strong.get(key, set()))
            if len(found) == 1:
                return found.pop()
        if entity_type == "PERSON":
            for key in weak_person_keys(keys):
                found = usable(self.weak.get(key, set()))
                if len(found) == 1:
                    return found.pop()
        return None


def resolve_analysis(analysis: Analysis, index: KeyIndex) -> dict[str, str]:
    """Re-point the analysis at stored entities where keys say they are the same.

    Returns the mapping applied (local deterministic ID → stored ID) and adds
    the document's entities to the index.
    """
    mapping: dict[str, str] = {}
    for entity in analysis.entities:
        target = index.match(entity["id"], entity["type"], entity.get("keys", []))
        if target is not None:
            mapping[entity["id"]] = target
    if mapping:
        _apply(analysis, mapping)
    for entity in analysis.entities:
        index.add(entity["id"], entity["type"], entity.get("keys", []))
    return mapping


def _apply(analysis: Analysis, mapping: Mapping[str, str]) -> None:
    for mention in analysis.mentions:
        if mention.entity_id in mapping:
            mention.entity_id = mapping[mention.entity_id]
    for statement in analysis.statements:
        statement.subject = mapping.get(statement.subject, statement.subject)
        if statement.object_entity:
            statement.object_entity = mapping.get(statement.object_entity, statement.object_entity)
    for event in analysis.events:
        for argument in event.get("arguments", []):
            entity = argument.get("entity")
            if isinstance(entity, str) and entity in mapping:
                argument["entity"] = mapping[entity]
    merged: dict[str, dict[str, Any]] = {}
    for entity in analysis.entities:
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
