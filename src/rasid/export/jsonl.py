"""Statements as JSON Lines: one object a line, with evidence, source and review."""

from __future__ import annotations

import json
from typing import Any, TextIO

from rasid.export.common import entity_labels, reviewed_statements
from rasid.kb.store import Store

#: The keys of each line, in order (documented in docs/web.md).
FIELDS = (
    "id",
    "subject",
    "subject_label",
    "property",
    "value",
    "object_entity",
    "object_label",
    "qualifiers",
    "certainty",
    "attribution",
    "evidence",
    "document",
    "component",
    "review",
)


def statement_record(st: dict[str, Any], labels: dict[str, dict[str, Any]]) -> dict[str, Any]:
    state = st["state"]
    judgement = state["judgement"]

    def label(entity_id: str | None) -> str | None:
        entity = labels.get(entity_id or "")
        return entity["label"] if entity else None

    return {
        "id": st["id"],
        "subject": st["subject"],
        "subject_label": label(st["subject"]),
        "property": st["property"],
        "value": state["value"],
        "object_entity": st["object_entity"],
        "object_label": label(st["object_entity"]),
        "qualifiers": st["qualifiers"],
        "certainty": state["certainty"],
        "attribution": st["attribution"],
        "evidence": {
            "document_id": st["document_id"],
            "sentence_index": st["sentence_idx"],
            "start": st["start"],
            "end": st["end"],
            "text": st["evidence"],
        },
        "document": {
            "title": st["document_title"],
            "published": st["document_published"],
            "source_uri": st["document_source"],
            "publisher": st["document_publisher"],
            "sha256": st["document_sha256"],
        },
        "component": st["component"],
        "review": {
            "status": state["status"],
            "machine_value": st["value"],
            "machine_certainty": st["certainty"],
            "judgement_id": judgement["id"] if judgement else None,
            "author": judgement["author"] if judgement else None,
            "at": judgement["created_at"] if judgement else None,
        },
    }


def write_statements_jsonl(store: Store, fh: TextIO) -> int:
    labels = entity_labels(store)
    count = 0
    for statement in reviewed_statements(store):
        record = statement_record(statement, labels)
        fh.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")
        count += 1
    return count
