"""Reading entities back: lists, one entity's page, its facts, conflicts between sources.

Everything is seen through the analysts' judgements (``Resolver``): merged
entities appear once under their canonical ID, reviewed statements carry their
review status, rejected ones are kept but marked.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from rasid.errors import NotFoundError, QueryError
from rasid.kb.store import Store
from rasid.link.judgements import Resolver
from rasid.link.resolve import LINKED_FROM
from rasid.model import stable_id
from rasid.text.normalize import normalize_key


def resolver_for(store: Store) -> Resolver:
    return Resolver.from_judgements(store.judgements())


@dataclass
class EntitySummary:
    id: str
    type: str
    label: str
    label_latin: str | None
    mentions: int
    documents: int
    members: list[str] = field(default_factory=list)


def _rows_by_id(store: Store, ids: list[str]) -> dict[str, tuple[Any, ...]]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {
        row[0]: row
        for row in store.connection.execute(
            f"SELECT id, type, subtype, label, label_latin, attributes FROM entities WHERE id IN ({marks})",
            ids,
        )
    }


def find_entity_id(
    store: Store, reference: str, resolver: Resolver | None = None, *, strict: bool = False
) -> str:
    """An entity by ID, unique ID prefix, or exact name (any spelling seen); canonical ID.

    A name several entities carry gives the most mentioned one, or with
    ``strict`` (for judgements) an error that lists them.
    """
    resolver = resolver or resolver_for(store)
    connection = store.connection
    if reference.startswith("ent-"):
        rows = connection.execute(
            "SELECT id FROM entities WHERE id >= ? AND id < ? LIMIT 3",
            (reference, reference + "\uffff"),
        ).fetchall()
        if len(rows) == 1:
            return resolver.canonical(rows[0][0])
        if len(rows) > 1:
            raise NotFoundError(f"{reference!r} matches several entities; give more characters")
        if _joined_rows(store, reference):
            return reference  # a document's entity the machine joined into another
        raise NotFoundError(f"no entity {reference!r}; list them with `rasid entities`")
    wanted = normalize_key(reference)
    candidates: Counter[str] = Counter()
    for entity_id, label, label_latin, attributes in connection.execute(
        "SELECT id, label, label_latin, attributes FROM entities"
    ):
        names = json.loads(attributes).get("names", {})
        spellings = [
            label,
            label_latin or "",
            *names,
            *json.loads(attributes).get("latin_names", []),
        ]
        if any(normalize_key(s) == wanted for s in spellings if s):
            candidates[resolver.canonical(entity_id)] += 1 + sum(names.values())
    if not candidates:
        catalogued = _catalogued_entity(store, reference)
        if catalogued is not None:
            return resolver.canonical(catalogued)
        raise NotFoundError(
            f"no entity named {reference!r}; try `rasid entities --name {reference!r}` or an entity ID"
        )
    if strict and len(candidates) > 1:
        listed = ", ".join(entity_id for entity_id, _ in candidates.most_common(5))
        raise NotFoundError(
            f"{reference!r} names {len(candidates)} entities ({listed}); give an entity ID"
        )
    return candidates.most_common(1)[0][0]


def _catalogued_entity(store: Store, reference: str) -> str | None:
    """The stored entity of a catalogue actor named by any of its aliases (داعش → ISIS)."""
    from rasid.link.keys import entity_id
    from rasid.names.actors import load_actors

    actor = load_actors().match(reference)
    if actor is None:
        return None
    candidate = entity_id(f"actor:{actor.id}")
    row = store.connection.execute("SELECT 1 FROM entities WHERE id = ?", (candidate,)).fetchone()
    return candidate if row else None


def _joined_rows(store: Store, machine_id: str) -> list[tuple[str, str]]:
    """(entity it was joined into, doc) for mentions whose in-document ID was ``machine_id``."""
    return store.connection.execute(
        "SELECT DISTINCT entity_id, doc_id FROM mentions "
        "WHERE json_extract(value, '$.linked_from') = ? AND entity_id <> ?",
        (machine_id, machine_id),
    ).fetchall()


def joined_into(store: Store, entity_ids: list[str]) -> list[dict[str, Any]]:
    """In-document entities the machine joined into ``entity_ids`` across documents,
    with how (``key``, ``kunya``, ``score:NN``) and where: what ``rasid split`` can undo."""
    if not entity_ids:
        return []
    marks = ",".join("?" * len(entity_ids))
    found: dict[str, dict[str, Any]] = {}
    for origin, linked_by, doc_id, text in store.connection.execute(
        f"SELECT json_extract(value, '$.linked_from'), json_extract(value, '$.linked_by'), "
        f"doc_id, text FROM mentions WHERE entity_id IN ({marks}) "
        f"AND json_extract(value, '$.linked_from') IS NOT NULL ORDER BY doc_id, start",
        entity_ids,
    ):
        item = found.setdefault(
            origin, {"id": origin, "linked_by": linked_by, "documents": [], "names": []}
        )
        if doc_id not in item["documents"]:
            item["documents"].append(doc_id)
        if text not in item["names"]:
            item["names"].append(text)
    return list(found.values())


def apply_split(store: Store, entity_ids: list[str]) -> list[str]:
    """Re-point the rows the machine joined across these entities back to their own IDs.

    Called after a ``split`` judgement is recorded: mentions and statements of
    entity A whose in-document ID was B (``linked_from``) go back to B, and both
    entity rows are rebuilt. This is what re-running the linker under the
    judgement gives (its key index refuses the pair); the judgement is the
    record, this is its effect. Returns the entity IDs whose rows changed.
    """
    from rasid.link.assemble import assemble_entities

    wanted = set(entity_ids)
    conn = store.connection
    touched: set[str] = set()
    conn.execute("BEGIN IMMEDIATE")
    try:
        for entity_id in sorted(wanted):
            others = sorted(wanted - {entity_id})
            marks = ",".join("?" * len(others))
            cursor = conn.execute(
                f"UPDATE mentions SET entity_id = json_extract(value, '$.linked_from') "
                f"WHERE entity_id = ? AND json_extract(value, '$.linked_from') IN ({marks})",
                [entity_id, *others],
            )
            if cursor.rowcount:
                touched.add(entity_id)
            for role, column in (("subject", "subject"), ("object", "object_entity")):
                path = f"$.linked_from.{role}"
                cursor = conn.execute(
                    f"UPDATE statements SET {column} = json_extract(qualifiers, '{path}') "
                    f"WHERE {column} = ? AND json_extract(qualifiers, '{path}') IN ({marks})",
                    [entity_id, *others],
                )
                if cursor.rowcount:
                    touched.add(entity_id)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    if touched:
        assemble_entities(store, wanted)
    return sorted(touched)


def split_documents(
    store: Store, entity_id: str, documents: list[str], *, author: str, note: str = ""
) -> str:
    """Take what ``entity_id`` says in ``documents`` out of it: a new entity for them.

    For two people with one name (one key, hence one deterministic ID): the
    mentions and statements of ``entity_id`` in those documents move to the ID
    ``stable_id("ent", entity_id, *documents)`` (marked ``linked_from`` like any
    machine join), a ``split`` judgement between the two is recorded (with the
    documents in its payload) so nothing joins them again, and both rows are
    rebuilt. Returns the new entity's ID.
    """
    from rasid.link.assemble import assemble_entities

    if not documents:
        raise QueryError("name the documents to take out of the entity")
    wanted = sorted({store.resolve_id(doc) for doc in documents})
    marks = ",".join("?" * len(wanted))
    present = {
        row[0]
        for row in store.connection.execute(
            f"SELECT DISTINCT doc_id FROM mentions WHERE entity_id = ? AND doc_id IN ({marks}) "
            f"UNION SELECT DISTINCT document_id FROM statements WHERE (subject = ? OR "
            f"object_entity = ?) AND document_id IN ({marks})",
            [entity_id, *wanted, entity_id, entity_id, *wanted],
        )
    }
    missing = [doc for doc in wanted if doc not in present]
    if missing:
        raise NotFoundError(f"{entity_id} is not mentioned in {', '.join(missing)}")
    new_id = stable_id("ent", entity_id, *wanted)
    conn = store.connection
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            f"UPDATE mentions SET entity_id = ?, value = json_set(value, '$.{LINKED_FROM}', ?) "
            f"WHERE entity_id = ? AND doc_id IN ({marks})",
            [new_id, new_id, entity_id, *wanted],
        )
        for role, column in (("subject", "subject"), ("object", "object_entity")):
            conn.execute(
                f"UPDATE statements SET {column} = ?, qualifiers = json_patch(qualifiers, "
                f"json_object('{LINKED_FROM}', json_object('{role}', ?))) "
                f"WHERE {column} = ? AND document_id IN ({marks})",
                [new_id, new_id, entity_id, *wanted],
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    store.add_judgement(
        "split", [entity_id, new_id], author=author, payload={"documents": wanted, "note": note}
    )
    assemble_entities(store, [entity_id, new_id])
    return new_id


def list_entities(
    store: Store,
    *,
    entity_type: str | None = None,
    name: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[EntitySummary]]:
    """Canonical entities with mention and document counts, most mentioned first."""
    resolver = resolver_for(store)
    counts: dict[str, list[int]] = {}
    for entity_id, mentions, documents in store.connection.execute(
        "SELECT entity_id, COUNT(*), COUNT(DISTINCT doc_id) FROM mentions "
        "WHERE entity_id IS NOT NULL GROUP BY entity_id"
    ):
        counts[entity_id] = [mentions, documents]
    groups: dict[str, list[str]] = defaultdict(list)
    sql = "SELECT id, type, label, label_latin, attributes FROM entities"
    rows = {row[0]: row for row in store.connection.execute(sql)}
    for entity_id in rows:
        groups[resolver.canonical(entity_id)].append(entity_id)
    wanted = normalize_key(name) if name else None
    summaries = []
    for canonical, members in groups.items():
        head = rows.get(canonical) or rows[members[0]]
        if entity_type and head[1] != entity_type:
            continue
        if wanted:
            spellings = [normalize_key(head[2]), normalize_key(head[3] or "")]
            for member in members:
                spellings += [
                    normalize_key(n) for n in json.loads(rows[member][4]).get("names", {})
                ]
            if not any(wanted in s for s in spellings):
                continue
        mentions = sum(counts.get(m, [0, 0])[0] for m in members)
        documents = sum(counts.get(m, [0, 0])[1] for m in members)
        summaries.append(
            EntitySummary(
                canonical, head[1], head[2], head[3], mentions, documents, sorted(members)
            )
        )
    summaries.sort(key=lambda s: (-s.mentions, s.label))
    return len(summaries), summaries[offset : offset + limit]


def entity_detail(store: Store, reference: str) -> dict[str, Any]:
    """Everything known about one entity: names, attributes, mentions, facts, conflicts."""
    resolver = resolver_for(store)
    canonical = find_entity_id(store, reference, resolver)
    members = sorted(resolver.members(canonical))
    rows = _rows_by_id(store, members)
    if not rows:
        raise NotFoundError(f"no entity {reference!r}")
    head = rows.get(canonical) or next(iter(rows.values()))
    names: Counter[str] = Counter()
    latin: list[str] = []
    attributes: dict[str, Any] = {}
    for row in rows.values():
        data = json.loads(row[5])
        names.update(data.get("names", {}))
        for spelling in [row[4], *data.get("latin_names", [])]:
            if spelling and spelling not in latin:
                latin.append(spelling)
        for key, value in data.items():
            if key not in {"names", "latin_names", "keys", "mention_count", "mentions", "key"}:
                attributes.setdefault(key, value)
    marks = ",".join("?" * len(members))
    mentions = [
        {
            "doc_id": r[0],
            "start": r[1],
            "end": r[2],
            "text": r[3],
            "type": r[4],
            "sentence": r[5][r[6] : r[7]] if r[6] is not None else None,
            "title": r[8],
            "published": r[9],
        }
        for r in store.connection.execute(
            f'SELECT m.doc_id, m.start, m."end", m.text, m.type, d.text, s.start, s."end", '
            f"d.title, d.published FROM mentions m JOIN documents d ON d.id = m.doc_id "
            f"LEFT JOIN sentences s ON s.doc_id = m.doc_id AND s.idx = m.sentence_idx "
            f"WHERE m.entity_id IN ({marks}) ORDER BY d.published, m.doc_id, m.start",
            members,
        )
    ]
    statements = statements_about(store, members, resolver)
    documents = sorted({m["doc_id"] for m in mentions} | {s["document_id"] for s in statements})
    return {
        "id": canonical,
        "members": members,
        "type": head[1],
        "subtype": head[2],
        "label": head[3],
        "label_latin": head[4] or (latin[0] if latin else None),
        "names": dict(names.most_common()),
        "latin_names": latin,
        "attributes": attributes,
        "documents": documents,
        "mentions": mentions,
        "statements": statements,
        "strength_timeline": strength_timeline(statements),
        "conflicts": conflicts(statements),
        "judgements": [j for j in store.judgements() if set(j["target_ids"]) & set(members)],
        "joined": joined_into(store, members),
    }


def statements_about(
    store: Store, entity_ids: list[str], resolver: Resolver | None = None
) -> list[dict[str, Any]]:
    """Statements whose subject or object is one of ``entity_ids``, with their sentence."""
    resolver = resolver or resolver_for(store)
    marks = ",".join("?" * len(entity_ids))
    labels = _labels(store)
    found = []
    for row in store.connection.execute(
        f"SELECT st.id, st.subject, st.property, st.value, st.object_entity, st.qualifiers, "
        f'st.document_id, st.sentence_idx, st.start, st."end", st.attribution, st.certainty, '
        f'st.component, st.review_status, d.text, s.start, s."end", d.published, d.title '
        f"FROM statements st JOIN documents d ON d.id = st.document_id "
        f"LEFT JOIN sentences s ON s.doc_id = st.document_id AND s.idx = st.sentence_idx "
        f"WHERE st.subject IN ({marks}) OR st.object_entity IN ({marks}) "
        f"ORDER BY d.published, st.document_id, st.start",
        entity_ids + entity_ids,
    ):
        subject = resolver.canonical(row[1])
        obj = resolver.canonical(row[4]) if row[4] else None
        found.append(
            {
                "id": row[0],
                "subject": subject,
                "subject_label": labels.get(subject, row[1]),
                "property": row[2],
                "value": row[3],
                "object_entity": obj,
                "object_label": labels.get(obj, row[3]) if obj else None,
                "qualifiers": json.loads(row[5]),
                "document_id": row[6],
                "sentence_idx": row[7],
                "start": row[8],
                "end": row[9],
                "evidence": row[14][row[8] : row[9]],
                "sentence": row[14][row[15] : row[16]] if row[15] is not None else None,
                "attribution": json.loads(row[10]),
                "certainty": row[11],
                "component": row[12],
                "review_status": resolver.status(row[0], row[13]),
                "published": row[17],
                "title": row[18],
            }
        )
    return found


def _labels(store: Store) -> dict[str, str]:
    return {row[0]: row[1] for row in store.connection.execute("SELECT id, label FROM entities")}


def _as_of(statement: dict[str, Any]) -> str | None:
    qualifiers = statement["qualifiers"]
    as_of = qualifiers.get("as_of") or qualifiers.get("date")
    if isinstance(as_of, dict):
        as_of = as_of.get("value")
    return str(as_of) if as_of else statement.get("published")


def strength_timeline(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Strength figures by date (as-of date, else publication date), oldest first."""
    points = []
    for st in statements:
        if st["property"] != "strength" or st["review_status"] == "rejected":
            continue
        q = st["qualifiers"]
        points.append(
            {
                "date": _as_of(st),
                "best": q.get("best", _number(st["value"])),
                "low": q.get("low"),
                "high": q.get("high"),
                "approximate": q.get("approximate", False),
                "place": q.get("place"),
                "document_id": st["document_id"],
                "statement_id": st["id"],
                "certainty": st["certainty"],
            }
        )
    return sorted(points, key=lambda p: (p["date"] or "", p["best"] or 0))


def _number(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def conflicts(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Different documents giving different values for the same property, place and date."""
    groups: dict[tuple[str, str, str | None, str], list[dict[str, Any]]] = defaultdict(list)
    for st in statements:
        if st["review_status"] == "rejected" or st["property"] not in {"strength", "commander_of"}:
            continue
        place = st["qualifiers"].get("place")
        key = (st["subject"], st["property"], _as_of(st), json.dumps(place, sort_keys=True))
        groups[key].append(st)
    found = []
    for (subject, prop, date, _place), items in groups.items():
        values = {item["value"] for item in items}
        documents = {item["document_id"] for item in items}
        if len(values) > 1 and len(documents) > 1:
            found.append(
                {
                    "subject": subject,
                    "property": prop,
                    "date": date,
                    "values": sorted(values),
                    "statements": [item["id"] for item in items],
                    "documents": sorted(documents),
                }
            )
    return found
