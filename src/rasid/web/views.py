"""What a page shows, as plain data: the HTML pages and the JSON API share these.

Each function reads one store and returns JSON-serialisable dicts; the pages
add markup (highlighted text, SVG) on top, the API returns them as they are.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from functools import lru_cache
from typing import Any

from rasid.kb.store import Store
from rasid.model import Mention
from rasid.web import queries, review, shapes
from rasid.web.charts import figures_from

_MENTION_FIELDS = tuple(f.name for f in fields(Mention))


@lru_cache(maxsize=4096)
def romanise_person(label: str) -> str | None:
    """A Latin spelling of an Arabic personal name (rasid.names), or None."""
    try:
        from rasid.names.parse import parse_name

        parsed = parse_name(label)
    except Exception:  # no romanisation is better than a broken page
        return None
    if parsed.script != "arabic" or not parsed.romanized:
        return None
    return parsed.romanized[0]


def latin_name(entity: dict[str, Any]) -> str | None:
    """The Latin form shown beside an Arabic name: stored, else romanised for people."""
    stored = entity.get("label_latin") or (entity.get("attributes") or {}).get("latin")
    if isinstance(stored, list):
        stored = stored[0] if stored else None
    if stored:
        return str(stored)
    if entity.get("type") == "PERSON" and entity.get("label"):
        return romanise_person(str(entity["label"]))
    return None


def _labels(store: Store, ids: set[str]) -> dict[str, dict[str, Any]]:
    known = queries.entities_by_id(store, {i for i in ids if i})
    return {
        i: {"id": i, "label": e["label"], "label_latin": latin_name(e), "type": e["type"]}
        for i, e in known.items()
    }


def _with_states(
    store: Store, statements: list[dict[str, Any]], extra_targets: list[str]
) -> list[dict[str, Any]]:
    judgements = queries.judgements_for(store, [s["id"] for s in statements] + extra_targets)
    for st in statements:
        st["state"] = review.statement_state(st, judgements)
        st["judgements"] = [j for j in judgements if st["id"] in j["target_ids"]]
    return judgements


def search_view(
    store: Store,
    query: str,
    filters: queries.WebFilters,
    *,
    limit: int,
    offset: int,
    entity_limit: int = 10,
    exact_total: bool = True,
) -> dict[str, Any]:
    """Documents (ranked when there are words, newest first otherwise) and entities.

    ``total`` is None when ``exact_total`` is off and more pages follow (then
    ``more`` is True and the total was not counted).
    """
    filters.check()
    total: int | None
    if query.strip():
        total, more, hits = queries.search_documents(
            store, query, filters, limit=limit, offset=offset, exact_total=exact_total
        )
        items = [hit.to_dict() for hit in hits]
    else:
        total, items = queries.list_documents(store, filters, limit=limit, offset=offset)
        more = offset + len(items) < total
        for item in items:
            item.update(snippet_start=0, highlights=[], score=None, sentence_idx=None)
    entities: list[dict[str, Any]] = []
    entity_total = 0
    if (query.strip() or filters.entity_type) and offset == 0:
        # No scan of every entity's attributes here: this runs with every search.
        entity_total, entities = queries.search_entities(
            store,
            query,
            entity_type=filters.entity_type,
            limit=entity_limit,
            offset=0,
            aliases=False,
        )
        for entity in entities:
            entity["label_latin"] = latin_name(entity)
    return {
        "query": query,
        "total": total,
        "more": more,
        "limit": limit,
        "offset": offset,
        "items": items,
        "entities": {"total": entity_total, "items": entities},
    }


def document_view(store: Store, doc_id: str) -> dict[str, Any]:
    """A document with provenance, sentences, mentions, and its facts per sentence."""
    stored = store.get_document(doc_id)
    doc = stored.document
    text = doc.text
    mention_ids = queries.document_mention_ids(store, doc.id)
    mentions = []
    for m in stored.mentions:
        # Not m.to_dict(): asdict() deep-copies every value dict, half the cost
        # of this page; these were just read from the store and are not shared.
        item = {name: getattr(m, name) for name in _MENTION_FIELDS}
        item["id"] = mention_ids.get((m.start, m.end, m.type))
        mentions.append(item)
    statements = [st.to_dict() for st in stored.statements]
    for st in statements:
        st["evidence"] = text[st["start"] : st["end"]]
    judgements = _with_states(store, statements, [])
    referenced = {m["entity_id"] for m in mentions if m["entity_id"]}
    referenced |= {st["subject"] for st in statements} | {
        st["object_entity"] for st in statements if st["object_entity"]
    }
    events = [dict(e) for e in stored.events]
    for event in events:
        for values in shapes.event_roles(event).values():
            for value in values:
                key = (
                    value.get("entity_id") or value.get("entity")
                    if isinstance(value, dict)
                    else value
                )
                if isinstance(key, str):
                    referenced.add(key)
    entities = _labels(store, referenced)
    for event in events:
        event["display"] = shapes.event_arguments(event, entities)
    sentences = []
    by_sentence: dict[int | None, dict[str, list[dict[str, Any]]]] = {}
    for st in statements:
        by_sentence.setdefault(st["sentence_index"], {"statements": [], "events": []})[
            "statements"
        ].append(st)
    for event in stored.events:
        by_sentence.setdefault(event.get("sentence_idx"), {"statements": [], "events": []})[
            "events"
        ].append(event)
    for sentence in stored.sentences:
        found = by_sentence.get(sentence.index, {"statements": [], "events": []})
        sentences.append(
            {
                "index": sentence.index,
                "start": sentence.start,
                "end": sentence.end,
                "text": text[sentence.start : sentence.end],
                "statements": found["statements"],
                "events": found["events"],
            }
        )
    unplaced = by_sentence.get(None, {"statements": [], "events": []})
    document = asdict(doc)
    return {
        "document": document,
        "duplicate_of": stored.duplicate_of,
        "near_duplicate_of": stored.near_duplicate_of,
        "near_similarity": stored.near_similarity,
        "components": stored.components,
        "sources": [asdict(s) for s in stored.sources],
        "sentences": sentences,
        "mentions": mentions,
        "statements": statements,
        "events": events,
        "unplaced": unplaced,
        "entities": entities,
        "judgements": judgements,
    }


def entity_view(store: Store, entity_id: str) -> dict[str, Any]:
    """An entity: names, attributes, timeline, figures, places, network, sources, reviews."""
    entity = queries.get_entity(store, entity_id)
    entity["label_latin"] = latin_name(entity)
    statements = queries.entity_statements(store, entity_id)
    judgements = _with_states(store, statements, [entity_id])
    network = queries.entity_network(store, entity_id)
    for item in network:
        item["label_latin"] = latin_name(item)
    referenced = {st["subject"] for st in statements} | {
        st["object_entity"] for st in statements if st["object_entity"]
    }
    figures = [
        {
            "date": f.day.isoformat(),
            "best": f.best,
            "low": f.low,
            "high": f.high,
            "series": f.series,
            "evidence": f.label,
        }
        for f in figures_from(statements)
    ]
    source_count, sources = queries.entity_sources(store, entity_id)
    return {
        "entity": entity,
        "names": queries.entity_names(store, entity_id),
        "statements": statements,
        "figures": figures,
        "network": network,
        "places": queries.places_of(store, entity, network),
        "sources": sources,
        "source_count": source_count,
        "mentions": queries.entity_mentions(store, entity_id, limit=100),
        "entities": _labels(store, referenced),
        "judgements": [j for j in judgements if entity_id in j["target_ids"]],
    }
