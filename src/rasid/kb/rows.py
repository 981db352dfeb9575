"""The table rows an analysis is stored as, built without a connection.

The store writes these; an ingest worker builds them beside the analysis, so
the writer (one process for all workers) only binds them. Both go through
:func:`analysis_rows`, so the rows are the same whoever builds them.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from rasid.errors import StoreError
from rasid.model import Analysis, Sentence, SourceLink, stable_id

__all__ = [
    "AnalysisRows",
    "analysis_rows",
    "entity_rows",
    "event_row",
    "json_text",
    "sentence_finder",
    "stored_sentences",
]

# One encoder for every row: json.dumps with options builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)

SentenceRow = tuple[str, int, int, int]
MentionRow = tuple[Any, ...]
#: A statement row less its last column, ``created_at``: the time it is written.
StatementRow = tuple[Any, ...]
EventRow = tuple[Any, ...]
EntityRow = tuple[str, str, str | None, str, str | None, str]


def json_text(value: Any) -> str:
    """The JSON text stored for ``value`` (keys sorted, non-ASCII kept)."""
    return _ENCODER.encode(value)


@dataclass(slots=True)
class AnalysisRows:
    """The rows of one analysis, in the column order of the store's inserts."""

    sentences: list[SentenceRow]
    mentions: list[MentionRow]
    statements: list[StatementRow]
    events: list[EventRow]
    entities: list[EntityRow]


def stored_sentences(analysis: Analysis) -> list[Sentence]:
    """The sentences stored for ``analysis``: its own, or the text layer's when it has none."""
    if not analysis.sentences and analysis.document.text.strip():
        # Search and evidence need sentence units; these are the text layer's.
        from rasid.text.sentences import split_sentences

        return split_sentences(analysis.document.text)
    return analysis.sentences


def sentence_finder(sentences: Sequence[Sentence]) -> Callable[[int], int | None]:
    """A function from a character offset to the index of the sentence holding it."""
    starts = [s.start for s in sentences]

    def sentence_of(offset: int) -> int | None:
        i = bisect_right(starts, offset) - 1
        if i >= 0 and offset < sentences[i].end:
            return sentences[i].index
        return None

    return sentence_of


def analysis_rows(analysis: Analysis, sentences: Sequence[Sentence] | None = None) -> AnalysisRows:
    """Every row of ``analysis`` but its document's and search rows.

    Raises :class:`StoreError` for data the store refuses (an event without a
    type, an entity without id, type or label).
    """
    doc_id = analysis.document.id
    if sentences is None:
        sentences = stored_sentences(analysis)
    sentence_of = sentence_finder(sentences)
    return AnalysisRows(
        [(doc_id, s.index, s.start, s.end) for s in sentences],
        [
            (
                stable_id("m", doc_id, m.start, m.end, m.type, m.component),
                doc_id, sentence_of(m.start), m.start, m.end, m.text, m.norm, m.type,
                m.subtype, m.confidence, m.component, json_text(m.value), m.entity_id,
            )
            for m in analysis.mentions
        ],
        [
            (
                st.id, st.subject, st.property, st.value, st.object_entity,
                json_text(st.qualifiers), st.document_id,
                st.sentence_index if st.sentence_index is not None else sentence_of(st.start),
                st.start, st.end, json_text([asdict(a) for a in st.attribution]), st.certainty,
                st.component, st.review_status,
            )
            for st in analysis.statements
        ],
        [event_row(doc_id, event, sentence_of) for event in analysis.events],
        entity_rows(analysis.entities),
    )  # fmt: skip


_EVENT_COLUMNS = frozenset(
    {"id", "type", "status", "arguments", "start", "end", "sentence_idx", "sentence_index",
     "certainty", "attribution", "component"}
)  # fmt: skip


def event_row(
    doc_id: str, event: dict[str, Any], sentence_of: Callable[[int], int | None]
) -> EventRow:
    if not event.get("type"):
        raise StoreError(f"an event of document {doc_id} has no type: {event!r}")
    # Keys the table has no column for are kept, inside the arguments.
    raw = event.get("arguments") or {}
    # rasid.facts gives a list of {"role", "text", ...} records: kept under "arguments".
    arguments = {"arguments": raw} if isinstance(raw, list) else dict(raw)
    arguments.update({k: v for k, v in event.items() if k not in _EVENT_COLUMNS})
    start, end = event.get("start"), event.get("end")
    sentence_idx = event.get("sentence_idx", event.get("sentence_index"))
    if sentence_idx is None and start is not None:
        sentence_idx = sentence_of(int(start))
    attribution = [
        asdict(a) if isinstance(a, SourceLink) else a for a in event.get("attribution") or []
    ]
    event_id = event.get("id") or stable_id(
        "ev", doc_id, event["type"], start, end, json_text(arguments)
    )
    return (
        event_id, doc_id, event["type"], event.get("status"), json_text(arguments), start, end,
        sentence_idx, event.get("certainty"), json_text(attribution), event.get("component", ""),
    )  # fmt: skip


_ENTITY_COLUMNS = frozenset({"id", "type", "subtype", "label", "label_latin", "attributes"})


def entity_rows(entities: Sequence[dict[str, Any]]) -> list[EntityRow]:
    """Rows of the ``entities`` table: keys without a column go into ``attributes``."""
    rows: list[EntityRow] = []
    for entity in entities:
        missing = [k for k in ("id", "type", "label") if not entity.get(k)]
        if missing:
            raise StoreError(f"an entity lacks {', '.join(missing)}: {entity!r}")
        attributes = dict(entity.get("attributes") or {})
        attributes.update({k: v for k, v in entity.items() if k not in _ENTITY_COLUMNS})
        rows.append(
            (entity["id"], entity["type"], entity.get("subtype"), entity["label"],
             entity.get("label_latin"), json_text(attributes))
        )  # fmt: skip
    return rows
