"""Per-document state shared by the extractors, and the one place statements are made."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasid.facts.context import SentenceContext
from rasid.facts.keys import local_key
from rasid.facts.phrases import Phrase
from rasid.facts.schema import FactsSchema, check_property
from rasid.facts.units import UnitMemory, UnitRef
from rasid.model import Statement

COMPONENT = "facts.v1"


@dataclass(slots=True)
class DocState:
    document_id: str
    published: str | None
    schema: FactsSchema
    units: UnitMemory = field(default_factory=UnitMemory)
    places: list[Phrase] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)

    def add(
        self,
        ctx: SentenceContext,
        subject: UnitRef | Phrase | str,
        prop: str,
        value: str,
        span: tuple[int, int],
        *,
        anchor: int | None = None,
        qualifiers: dict[str, Any] | None = None,
        obj: UnitRef | Phrase | None = None,
        extra: tuple[str, ...] = (),
        subject_key: str | None = None,
    ) -> Statement | None:
        """Record one statement with its evidence, attribution and certainty."""
        check_property(self.schema, prop)
        subject_name, key = _name_and_key(subject)
        subject_key = subject_key or key
        if not subject_name or not value:
            return None
        point = span[0] if anchor is None else anchor
        chain, _ = ctx.chain(point)
        quals: dict[str, Any] = {"subject_name": subject_name}
        object_key: str | None = None
        if obj is not None:
            object_name, object_key = _name_and_key(obj)
            quals["object_name"] = object_name
        quals.update(qualifiers or {})
        statement = Statement(
            subject=subject_key,
            property=prop,
            value=value,
            document_id=self.document_id,
            start=span[0],
            end=span[1],
            sentence_index=ctx.index,
            object_entity=object_key,
            qualifiers=quals,
            attribution=list(chain),
            certainty=ctx.certainty(point, extra),
            component=COMPONENT,
        )
        if statement.id in self._seen:
            return None
        self._seen.add(statement.id)
        self.statements.append(statement)
        return statement


def _name_and_key(item: UnitRef | Phrase | str) -> tuple[str, str]:
    if isinstance(item, UnitRef):
        return item.name, item.key
    if isinstance(item, Phrase):
        if item.mention is not None and item.mention.entity_id:
            return item.text, item.mention.entity_id
        return item.text, local_key(item.text)
    return item, local_key(item)
