"""Entities assembled from their mentions: the ``entities`` table is a cache of this.

An entity row (label, names in both scripts, type, attributes, matching keys)
is rebuilt from the mentions that point at it, so it never drifts from the
evidence; entities that only statements name keep the row linking wrote.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from rasid.kb.store import Store
from rasid.link.keys import canonical_key
from rasid.model import Mention

_CHUNK = 500
_ATTRIBUTE_PARTS = ("kunya", "ism", "nasab", "laqab", "titles", "nisbas")


def _mention_from_row(row: tuple[Any, ...]) -> Mention:
    text, mention_type, subtype, value = row
    return Mention(0, len(text), text, mention_type, subtype=subtype, value=json.loads(value))


def assemble_entities(store: Store, entity_ids: Iterable[str]) -> int:
    """Rebuild the rows of ``entity_ids`` from their mentions; returns rows written."""
    ids = sorted(set(entity_ids))
    rows: list[dict[str, Any]] = []
    connection = store.connection
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        grouped: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for entity_id, *rest in connection.execute(
            f"SELECT entity_id, text, type, subtype, value FROM mentions WHERE entity_id IN ({marks})",
            chunk,
        ):
            grouped[entity_id].append(tuple(rest))
        existing = {
            row[0]: row
            for row in connection.execute(
                f"SELECT id, type, subtype, label, label_latin, attributes FROM entities "
                f"WHERE id IN ({marks})",
                chunk,
            )
        }
        # An entity is mostly named the same way in document after document: each
        # distinct row is parsed once (nothing below changes a mention).
        parsed: dict[tuple[Any, ...], Mention] = {}
        for entity_id in chunk:
            mentions = []
            for row in grouped.get(entity_id, []):
                mention = parsed.get(row)
                if mention is None:
                    mention = parsed[row] = _mention_from_row(row)
                mentions.append(mention)
            if mentions:
                rows.append(_assemble(entity_id, mentions))
            elif entity_id in existing:
                continue  # named only by statements: keep what linking wrote
    if rows:
        store.upsert_entities(rows)
    return len(rows)


def _assemble(entity_id: str, all_mentions: list[Mention]) -> dict[str, Any]:
    # Back-references ("التنظيم", "الشيشاني" alone) count as mentions, never as names.
    mentions = [m for m in all_mentions if not m.value.get("anaphor")] or all_mentions
    names = Counter(m.text for m in mentions)
    types = Counter(m.type for m in mentions)
    subtypes = Counter(m.subtype for m in mentions if m.subtype)
    keys: set[str] = set()
    attributes: dict[str, Any] = {}
    latin: Counter[str] = Counter()
    for mention in {id(m): m for m in mentions}.values():  # the same key set, each once
        if not mention.value.get("anaphor"):
            keys.update(canonical_key(mention)[1])
    for mention in mentions:
        value = mention.value
        name = value.get("name")
        if isinstance(name, dict):
            for part in _ATTRIBUTE_PARTS:
                if part in name:
                    attributes.setdefault(part, name[part])
            latin.update(name.get("latin", [])[:1])
            nisbas = name.get("nisbas") or []
            origins = [n["origin_suggested"] for n in nisbas if n.get("origin_suggested")]
            if origins:
                attributes.setdefault("origin_suggested_by_nisba", origins)
        origin = value.get("origin")
        if mention.type == "NORP" and isinstance(origin, dict):
            attributes.setdefault("origin", {k: v for k, v in origin.items() if k != "component"})
        for source in ("actor", "geo"):
            item = value.get(source)
            if isinstance(item, dict):
                attributes.setdefault(source, {k: v for k, v in item.items() if k != "component"})
                if item.get("name_en"):
                    latin[item["name_en"]] += 1
    label = max(names.items(), key=lambda item: (item[1], len(item[0])))[0]
    return {
        "id": entity_id,
        "type": types.most_common(1)[0][0],
        "subtype": subtypes.most_common(1)[0][0] if subtypes else None,
        "label": label,
        "label_latin": latin.most_common(1)[0][0] if latin else None,
        "attributes": attributes,
        "names": dict(names.most_common()),
        "latin_names": [name for name, _ in latin.most_common(5)],
        "keys": sorted(keys),
        "mention_count": len(all_mentions),
    }


def unassembled_entity_ids(store: Store) -> list[str]:
    """Entity IDs that mentions point at but the cache lacks (an ingest was interrupted)."""
    rows = store.connection.execute(
        "SELECT DISTINCT m.entity_id FROM mentions m LEFT JOIN entities e ON e.id = m.entity_id "
        "WHERE m.entity_id IS NOT NULL AND e.id IS NULL"
    )
    return [row[0] for row in rows]


def load_key_index_rows(store: Store) -> Iterable[tuple[str, str, list[str]]]:
    for entity_id, entity_type, attributes in store.connection.execute(
        "SELECT id, type, attributes FROM entities"
    ):
        yield entity_id, entity_type, json.loads(attributes).get("keys", [])
