"""What the export writers share: statements as reviewed, entity labels."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rasid.kb.store import Store
from rasid.web import queries, review


def reviewed_statements(store: Store) -> Iterator[dict[str, Any]]:
    """Every statement with ``state`` (the review in force) and its judgements."""
    judgements = [j for j in store.judgements() if j["kind"] in review.STATEMENT_KINDS]
    by_target: dict[str, list[dict[str, Any]]] = {}
    for judgement in judgements:
        for target in judgement["target_ids"]:
            by_target.setdefault(target, []).append(judgement)
    for statement in queries.iter_statements(store):
        mine = by_target.get(statement["id"], [])
        statement["state"] = review.statement_state(statement, mine)
        statement["judgements"] = mine
        yield statement


def entity_labels(store: Store) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in queries.iter_entities(store)}
