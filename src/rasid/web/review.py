"""Review decisions as data: check a judgement, record it, read a statement's state.

Human decisions are only ever *added* to the ``judgements`` table (through
:meth:`rasid.kb.store.Store.add_judgement`); the machine's statements and
entities are never changed, so re-running the pipeline keeps every decision
and the linker applies merges/splits when it next assembles entities.

Payloads, by kind:

- ``accept`` / ``reject``: one statement id; ``{"note"?}``.
- ``edit``: one statement id; ``{"value"?, "certainty"?, "note"?}``, at least
  one of value/certainty.
- ``merge``: two or more entity ids; ``{"into": one of them, "note"?}``.
- ``split``: one entity id; ``{"mention_ids": [...], "note"?}``: those
  mentions are not this entity.
- ``not_same``: two or more entity ids that must never be merged.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from rasid.errors import NotFoundError, RasidError
from rasid.kb.store import JUDGEMENT_KINDS, Store
from rasid.model import CERTAINTIES
from rasid.web import queries

STATEMENT_KINDS = ("accept", "reject", "edit")
ENTITY_KINDS = ("merge", "split", "not_same")
MAX_AUTHOR = 100
MAX_NOTE = 2000
MAX_VALUE = 1000
MAX_TARGETS = 50


class ReviewError(RasidError):
    """A review decision is malformed (wrong kind, missing field, unknown target)."""

    code = "E601"


@dataclass(frozen=True, slots=True)
class Decision:
    kind: str
    target_ids: tuple[str, ...]
    author: str
    payload: dict[str, Any]


def _clean_text(value: Any, name: str, limit: int, *, required: bool) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ReviewError(f"{name} is required")
        return None
    if not isinstance(value, str):
        raise ReviewError(f"{name} must be text")
    text = value.strip()
    if len(text) > limit:
        raise ReviewError(f"{name} is {len(text)} characters; at most {limit} are kept")
    # Control and bidi-override characters in a reviewer's name or note would
    # make later pages misleading; they are refused rather than stored.
    if any(unicodedata.category(c) in {"Cc", "Cf"} and c not in "\n\t" for c in text):
        raise ReviewError(f"{name} contains control or direction-override characters")
    return text


def check(store: Store, decision: Decision) -> Decision:
    """Validate a decision against the knowledge base; return it normalised."""
    if decision.kind not in JUDGEMENT_KINDS:
        raise ReviewError(
            f"unknown kind {decision.kind!r}; use one of {', '.join(JUDGEMENT_KINDS)}"
        )
    author = _clean_text(decision.author, "author", MAX_AUTHOR, required=True)
    assert author is not None
    targets = tuple(dict.fromkeys(t.strip() for t in decision.target_ids if t and t.strip()))
    if not targets:
        raise ReviewError("target_ids must name at least one id")
    if len(targets) > MAX_TARGETS:
        raise ReviewError(f"at most {MAX_TARGETS} targets in one judgement")
    raw = dict(decision.payload)
    payload: dict[str, Any] = {}
    note = _clean_text(raw.pop("note", None), "note", MAX_NOTE, required=False)
    if note:
        payload["note"] = note
    if decision.kind in STATEMENT_KINDS:
        if len(targets) != 1:
            raise ReviewError(f"{decision.kind} takes exactly one statement id")
        _require(store, "statements", targets, "statement")
        if decision.kind == "edit":
            value = _clean_text(raw.pop("value", None), "value", MAX_VALUE, required=False)
            certainty = raw.pop("certainty", None) or None
            if certainty is not None and certainty not in CERTAINTIES:
                raise ReviewError(f"certainty must be one of {', '.join(CERTAINTIES)}")
            if value is None and certainty is None:
                raise ReviewError("an edit needs a new value or a new certainty")
            if value is not None:
                payload["value"] = value
            if certainty is not None:
                payload["certainty"] = certainty
    elif decision.kind in ("merge", "not_same"):
        if len(targets) < 2:
            raise ReviewError(f"{decision.kind} needs at least two entity ids")
        _require(store, "entities", targets, "entity")
        if decision.kind == "merge":
            into = raw.pop("into", None) or targets[0]
            if into not in targets:
                raise ReviewError("'into' must be one of the merged entity ids")
            payload["into"] = into
    else:  # split
        if len(targets) != 1:
            raise ReviewError("split takes exactly one entity id")
        _require(store, "entities", targets, "entity")
        mention_ids = raw.pop("mention_ids", None)
        if not isinstance(mention_ids, list) or not mention_ids:
            raise ReviewError("split needs mention_ids: the mentions that are not this entity")
        wanted = [str(m) for m in mention_ids]
        rows = store.connection.execute(
            f"SELECT id FROM mentions WHERE entity_id = ? AND id IN ({','.join('?' * len(wanted))})",
            (targets[0], *wanted),
        ).fetchall()
        found = {r[0] for r in rows}
        missing = [m for m in wanted if m not in found]
        if missing:
            raise ReviewError(
                f"these mentions are not linked to {targets[0]}: {', '.join(missing[:5])}"
            )
        payload["mention_ids"] = sorted(found)
    if raw:
        raise ReviewError(f"unexpected fields for {decision.kind}: {', '.join(sorted(raw))}")
    return Decision(decision.kind, targets, author, payload)


def _require(store: Store, table: str, ids: tuple[str, ...], what: str) -> None:
    found = queries.existing_ids(store, table, ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFoundError(f"no {what} with id {', '.join(repr(m) for m in missing)}")


def record(writer: Store, checked: Decision) -> str:
    """Store a checked decision; returns the judgement id."""
    return writer.add_judgement(
        checked.kind, list(checked.target_ids), author=checked.author, payload=checked.payload
    )


def statement_state(statement: dict[str, Any], judgements: list[dict[str, Any]]) -> dict[str, Any]:
    """A statement as reviewed: the latest accept/reject/edit decides.

    Returns ``status`` (machine · accepted · rejected · edited), the
    ``value``/``certainty`` in force, and the deciding judgement (or None).
    """
    state = {
        "status": statement.get("review_status") or "machine",
        "value": statement["value"],
        "certainty": statement["certainty"],
        "judgement": None,
    }
    for judgement in judgements:
        if (
            judgement["kind"] not in STATEMENT_KINDS
            or statement["id"] not in judgement["target_ids"]
        ):
            continue
        kind = judgement["kind"]
        state["judgement"] = judgement
        if kind == "accept":
            state.update(
                status="accepted", value=statement["value"], certainty=statement["certainty"]
            )
        elif kind == "reject":
            state.update(
                status="rejected", value=statement["value"], certainty=statement["certainty"]
            )
        else:
            state.update(
                status="edited",
                value=judgement["payload"].get("value", statement["value"]),
                certainty=judgement["payload"].get("certainty", statement["certainty"]),
            )
    return state
