"""Read queries the workbench needs and the Store does not offer (yet).

Everything here reads the knowledge base tables (schema in
``rasid.kb.migrations``) and never writes. Functions take a
:class:`rasid.kb.store.Store` and query its connection directly: give them a
store that no other thread is using at the time (the server keeps one
read-only store per worker thread, see :mod:`rasid.web.db`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rasid.errors import NotFoundError, QueryError
from rasid.kb.names import containing_sql
from rasid.kb.records import SearchHit
from rasid.kb.search import Filters
from rasid.kb.search import count as search_count
from rasid.kb.search import search_page as search_hits_page
from rasid.kb.store import Store
from rasid.model import CERTAINTIES
from rasid.text.normalize import normalize_key
from rasid.web.shapes import PLACE_TYPES, coordinates

#: Mention/entity types that are places (shown on maps, exported as GeoJSON).
ENTITY_TYPES = (
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "FACILITY",
    "NORP",
    "ROLE",
    "EVENT",
    "MISC",
)
_LIKE_ESCAPE = re.compile(r"([\\%_])")


def _like(text: str) -> str:
    return "%" + _LIKE_ESCAPE.sub(r"\\\1", text) + "%"


def _rows(store: Store, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cursor = store.connection.execute(sql, tuple(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _scalar(store: Store, sql: str, params: Sequence[Any] = ()) -> int:
    row = store.connection.execute(sql, tuple(params)).fetchone()
    return int(row[0] or 0) if row else 0


# --------------------------------------------------------------------------- search


@dataclass(frozen=True, slots=True)
class WebFilters(Filters):
    """The store's search filters plus the workbench's: entity type and certainty."""

    entity_type: str | None = None
    certainty: str | None = None

    def check(self) -> None:
        Filters.check(self)
        if self.certainty is not None and self.certainty not in CERTAINTIES:
            raise QueryError(
                f"certainty={self.certainty!r} is not known; use one of {', '.join(CERTAINTIES)}"
            )
        if self.entity_type is not None and not re.fullmatch(r"[A-Z_]{2,20}", self.entity_type):
            raise QueryError(f"entity_type={self.entity_type!r} is not a type name like PERSON")

    def late_sql(self, doc_id: str) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.entity_type:
            clauses.append(
                f"EXISTS (SELECT 1 FROM mentions fm WHERE fm.doc_id = {doc_id} AND fm.type = ?)"
            )
            params.append(self.entity_type)
        if self.certainty:
            clauses.append(
                f"EXISTS (SELECT 1 FROM statements fs WHERE fs.document_id = {doc_id} "
                "AND fs.certainty = ?)"
            )
            params.append(self.certainty)
        return " AND ".join(clauses) or "1", params


def search_documents(
    store: Store,
    query: str,
    filters: WebFilters,
    *,
    limit: int,
    offset: int,
    exact_total: bool = True,
) -> tuple[int | None, bool, list[SearchHit]]:
    """(total, more pages?, one page of hits) for a query with the workbench's filters.

    Counting every match costs more than finding the page: one hit more than
    the page is ranked, which says whether a next page exists; the total is
    counted only with ``exact_total`` when the page does not show it (it is
    None otherwise).
    """
    hits, more = search_hits_page(store.connection, query, filters, limit=limit, offset=offset)
    if not more and (hits or not offset):
        return offset + len(hits), False, hits  # the last page: the total is known
    if not exact_total:
        return None, more, hits
    total = search_count(store.connection, query, filters)
    return total, offset + len(hits) < total, hits


def list_documents(
    store: Store, filters: WebFilters, *, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    """Documents (newest first) matching the filters alone, for a search without words."""
    filters.check()
    where, params = filters.sql()
    total = _scalar(store, f"SELECT COUNT(*) FROM documents d WHERE {where}", params)
    rows = _rows(
        store,
        "SELECT d.id AS doc_id, d.title, d.published, d.source_uri, d.publisher, d.language, "
        f"substr(d.text, 1, 240) AS snippet FROM documents d WHERE {where} "
        "ORDER BY d.published IS NULL, d.published DESC, d.rowid DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return total, rows


# --------------------------------------------------------------------------- entities


def _entity(row: dict[str, Any]) -> dict[str, Any]:
    row["attributes"] = json.loads(row.get("attributes") or "{}")
    return row


def search_entities(
    store: Store,
    query: str,
    *,
    entity_type: str | None,
    limit: int,
    offset: int,
    aliases: bool = True,
) -> tuple[int, list[dict[str, Any]]]:
    """Entities named by ``query``.

    Matches the label or Latin label containing the words (from the name
    index, :mod:`rasid.kb.names`), any mention of the entity spelled like the
    query (after Arabic normalisation: hamza, ta marbuta, diacritics), and
    with ``aliases`` the attributes (alias lists; slower, a scan of every
    entity's attributes).
    """
    words = query.strip()
    if words:
        named, params = containing_sql(words, ("label", "label_latin"))
        marks = ",".join("?" * len(ENTITY_TYPES))
        # (type, norm, entity_id) is indexed: the IN list over types lets SQLite use it.
        found = [
            named,
            # DISTINCT: a common name has thousands of mentions and a few
            # entities, and the index gives them grouped, without a sort.
            f"SELECT DISTINCT entity_id FROM mentions WHERE type IN ({marks}) AND norm = ? "
            "AND entity_id IS NOT NULL",
        ]
        params += [*ENTITY_TYPES, normalize_key(words)]
        if aliases:
            found.append("SELECT id FROM entities WHERE attributes LIKE ? ESCAPE '\\'")
            params.append(_like(words))
        source = f"({' UNION '.join(found)}) AS found JOIN entities e ON e.id = found.entity_id"
    else:
        source, params = "entities e", []
    where = "1"
    if entity_type:
        where = "e.type = ?"
        params.append(entity_type)
    columns = "e.id, e.type, e.subtype, e.label, e.label_latin, e.attributes"
    order = "ORDER BY length(e.label), e.label, e.id LIMIT ? OFFSET ?"
    if not words:
        # Every entity (of a type): a count from the index and the first page
        # by a bounded sort, cheaper than numbering all of them.
        total = _scalar(store, f"SELECT COUNT(*) FROM {source} WHERE {where}", params)
        rows = _rows(
            store, f"SELECT {columns} FROM {source} WHERE {where} {order}", [*params, limit, offset]
        )
        return total, [_entity(r) for r in rows]
    # Named ones: the total comes with the page (one pass over the matches, not two).
    rows = _rows(
        store,
        f"SELECT {columns}, COUNT(*) OVER () AS total FROM {source} WHERE {where} {order}",
        [*params, limit, offset],
    )
    if rows:
        total = int(rows[0].pop("total"))
        for row in rows[1:]:
            del row["total"]
    elif offset:
        total = _scalar(store, f"SELECT COUNT(*) FROM {source} WHERE {where}", params)
    else:
        total = 0
    return total, [_entity(r) for r in rows]


def get_entity(store: Store, entity_id: str) -> dict[str, Any]:
    rows = _rows(
        store,
        "SELECT id, type, subtype, label, label_latin, attributes FROM entities WHERE id = ?",
        [entity_id],
    )
    if not rows:
        raise NotFoundError(f"no entity with id {entity_id!r}")
    return _entity(rows[0])


def entities_by_id(store: Store, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    wanted = sorted(set(ids))
    found: dict[str, dict[str, Any]] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for row in _rows(
            store,
            "SELECT id, type, subtype, label, label_latin, attributes FROM entities "
            f"WHERE id IN ({marks})",
            chunk,
        ):
            found[row["id"]] = _entity(row)
    return found


def entity_mentions(store: Store, entity_id: str, *, limit: int = 200) -> list[dict[str, Any]]:
    """The entity's most recently stored mentions, with their sentence.

    Ordered by storing order (the index on entity_id gives it for free), not
    by publication date, which would mean sorting every mention of a
    frequent entity.
    """
    return _rows(
        store,
        'SELECT m.id, m.doc_id, m.sentence_idx, m.start, m."end", m.text, m.type, m.component '
        "FROM mentions m WHERE m.entity_id = ? ORDER BY m.rowid DESC LIMIT ?",
        [entity_id, limit],
    )


def entity_names(store: Store, entity_id: str, *, limit: int = 30) -> list[dict[str, Any]]:
    """The spellings the entity is mentioned under, most frequent first."""
    return _rows(
        store,
        "SELECT text, COUNT(*) AS n FROM mentions WHERE entity_id = ? "
        "GROUP BY text ORDER BY n DESC, text LIMIT ?",
        [entity_id, limit],
    )


def entity_sources(
    store: Store, entity_id: str, *, limit: int = 200
) -> tuple[int, list[dict[str, Any]]]:
    """(how many, the first ``limit`` by date) documents that mention the entity
    or state something about it; one pass over its mentions for both."""
    rows = _rows(
        store,
        "WITH ids AS (SELECT doc_id FROM mentions WHERE entity_id = ?1 "
        "UNION SELECT document_id FROM statements WHERE subject = ?1 OR object_entity = ?1) "
        "SELECT d.id AS doc_id, d.title, d.published, d.source_uri, d.publisher, d.sha256, "
        "COUNT(*) OVER () AS total FROM ids JOIN documents d ON d.id = ids.doc_id "
        "ORDER BY d.published IS NULL, d.published, d.id LIMIT ?2",
        [entity_id, limit],
    )
    total = int(rows[0]["total"]) if rows else 0
    for row in rows:
        del row["total"]
    return total, rows


_STATEMENT_COLUMNS = (
    "s.id, s.subject, s.property, s.value, s.object_entity, s.qualifiers, s.document_id, "
    's.sentence_idx, s.start, s."end", s.attribution, s.certainty, s.component, '
    "s.review_status, s.created_at, d.published AS document_published, "
    'd.title AS document_title, substr(d.text, s.start + 1, s."end" - s.start) AS evidence'
)


def _statement(row: dict[str, Any]) -> dict[str, Any]:
    row["qualifiers"] = json.loads(row.get("qualifiers") or "{}")
    row["attribution"] = json.loads(row.get("attribution") or "[]")
    return row


def entity_statements(store: Store, entity_id: str, *, limit: int = 500) -> list[dict[str, Any]]:
    """Statements about the entity or pointing at it, oldest evidence first."""
    rows = _rows(
        store,
        f"SELECT {_STATEMENT_COLUMNS} FROM statements s JOIN documents d ON d.id = s.document_id "
        "WHERE s.subject = ?1 OR s.object_entity = ?1 "
        "ORDER BY d.published IS NULL, d.published, s.document_id, s.start LIMIT ?2",
        [entity_id, limit],
    )
    return [_statement(r) for r in rows]


@dataclass(frozen=True, slots=True)
class StatementFilters:
    subject: str | None = None
    document_id: str | None = None
    property: str | None = None
    certainty: str | None = None

    def sql(self) -> tuple[str, list[Any]]:
        clauses, params = ["1"], []
        for column, value in (
            ("s.subject", self.subject),
            ("s.document_id", self.document_id),
            ("s.property", self.property),
            ("s.certainty", self.certainty),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        return " AND ".join(clauses), params


def list_statements(
    store: Store, filters: StatementFilters, *, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    where, params = filters.sql()
    total = _scalar(store, f"SELECT COUNT(*) FROM statements s WHERE {where}", params)
    rows = _rows(
        store,
        f"SELECT {_STATEMENT_COLUMNS} FROM statements s JOIN documents d ON d.id = s.document_id "
        f"WHERE {where} ORDER BY s.document_id, s.start, s.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return total, [_statement(r) for r in rows]


def get_statement(store: Store, statement_id: str) -> dict[str, Any]:
    rows = _rows(
        store,
        f"SELECT {_STATEMENT_COLUMNS} FROM statements s JOIN documents d ON d.id = s.document_id "
        "WHERE s.id = ?",
        [statement_id],
    )
    if not rows:
        raise NotFoundError(f"no statement with id {statement_id!r}")
    return _statement(rows[0])


def existing_ids(store: Store, table: str, ids: Sequence[str]) -> set[str]:
    """Which of ``ids`` exist in ``table`` (entities, statements, mentions, documents)."""
    if table not in {"entities", "statements", "mentions", "documents", "events"}:
        raise ValueError(table)
    if not ids:
        return set()
    marks = ",".join("?" * len(ids))
    rows = _rows(store, f"SELECT id FROM {table} WHERE id IN ({marks})", ids)
    return {r["id"] for r in rows}


def document_mention_ids(store: Store, doc_id: str) -> dict[tuple[int, int, str], str]:
    """Mention ids of a document, by (start, end, type) (get_document omits them)."""
    rows = _rows(store, 'SELECT id, start, "end", type FROM mentions WHERE doc_id = ?', [doc_id])
    return {(r["start"], r["end"], r["type"]): r["id"] for r in rows}


# --------------------------------------------------------------------------- network


def entity_network(store: Store, entity_id: str, *, limit: int = 30) -> list[dict[str, Any]]:
    """Related entities: by statements linking the two, then by sharing sentences.

    Each neighbour has ``statements`` (properties linking them) and
    ``together`` (its mentions in sentences naming the entity, over the
    entity's 300 most recent sentences, so a very frequent entity stays fast).
    """
    linked = _rows(
        store,
        "SELECT CASE WHEN subject = ?1 THEN object_entity ELSE subject END AS other, "
        "property, COUNT(*) AS n FROM statements "
        "WHERE (subject = ?1 AND object_entity IS NOT NULL) OR object_entity = ?1 "
        "GROUP BY other, property",
        [entity_id],
    )
    together = _rows(
        store,
        "WITH mine AS (SELECT DISTINCT doc_id, sentence_idx FROM mentions WHERE entity_id = ?1 "
        "AND sentence_idx IS NOT NULL ORDER BY rowid DESC LIMIT 300) "
        "SELECT m.entity_id AS other, COUNT(*) AS n "
        "FROM mine JOIN mentions m ON m.doc_id = mine.doc_id AND m.sentence_idx = mine.sentence_idx "
        "WHERE m.entity_id IS NOT NULL AND m.entity_id != ?1 "
        "GROUP BY m.entity_id ORDER BY n DESC LIMIT ?2",
        [entity_id, limit * 2],
    )
    neighbours: dict[str, dict[str, Any]] = {}
    for row in linked:
        if not row["other"] or row["other"] == entity_id:
            continue
        item = neighbours.setdefault(
            row["other"], {"id": row["other"], "statements": {}, "together": 0}
        )
        item["statements"][row["property"]] = item["statements"].get(row["property"], 0) + row["n"]
    for row in together:
        item = neighbours.setdefault(
            row["other"], {"id": row["other"], "statements": {}, "together": 0}
        )
        item["together"] = row["n"]
    known = entities_by_id(store, neighbours)
    result = []
    for other, item in neighbours.items():
        entity = known.get(other)
        if entity is None:
            continue  # an id the entity cache does not hold (yet)
        item.update(
            label=entity["label"],
            label_latin=entity["label_latin"],
            type=entity["type"],
            attributes=entity["attributes"],
        )
        result.append(item)
    result.sort(key=lambda i: (-sum(i["statements"].values()) * 1000 - i["together"], i["label"]))
    return result[:limit]


def network_edges(store: Store) -> Iterable[tuple[str, str, str, int]]:
    """Every entity-to-entity edge: (source, target, kind, weight).

    ``kind`` is a statement property, or ``co_mention`` for entities sharing a
    sentence (weight: how many sentences).
    """
    for row in _rows(
        store,
        "SELECT subject, object_entity, property, COUNT(*) AS n FROM statements "
        "WHERE object_entity IS NOT NULL AND object_entity != subject "
        "GROUP BY subject, object_entity, property",
    ):
        yield row["subject"], row["object_entity"], row["property"], row["n"]
    for row in _rows(
        store,
        "SELECT a.entity_id AS s, b.entity_id AS t, COUNT(*) AS n FROM mentions a "
        "JOIN mentions b ON a.doc_id = b.doc_id AND a.sentence_idx = b.sentence_idx "
        "AND a.entity_id < b.entity_id "
        "WHERE a.entity_id IS NOT NULL AND b.entity_id IS NOT NULL "
        "GROUP BY a.entity_id, b.entity_id",
    ):
        yield row["s"], row["t"], "co_mention", row["n"]


def _keyset(store: Store, sql: str) -> Iterator[dict[str, Any]]:
    """Every row of ``sql`` (which ends in ``WHERE <id> > ? ORDER BY <id>``), 500 at a time.

    Exports walk whole tables without holding them in memory or an open cursor.
    """
    last = ""
    while True:
        rows = _rows(store, sql + " LIMIT 500", [last])
        if not rows:
            return
        yield from rows
        last = rows[-1]["id"]


def iter_entities(store: Store) -> Iterable[dict[str, Any]]:
    sql = (
        "SELECT id, type, subtype, label, label_latin, attributes FROM entities "
        "WHERE id > ? ORDER BY id"
    )
    return (_entity(row) for row in _keyset(store, sql))


def iter_statements(store: Store) -> Iterable[dict[str, Any]]:
    sql = (
        f"SELECT {_STATEMENT_COLUMNS}, d.source_uri AS document_source, "
        "d.publisher AS document_publisher, d.sha256 AS document_sha256 "
        "FROM statements s JOIN documents d ON d.id = s.document_id "
        "WHERE s.id > ? ORDER BY s.id"
    )
    return (_statement(row) for row in _keyset(store, sql))


def iter_events(store: Store) -> Iterable[dict[str, Any]]:
    sql = (
        'SELECT e.id, e.doc_id, e.type, e.status, e.arguments, e.start, e."end", '
        "e.sentence_idx, e.certainty, e.attribution, e.component, d.published, d.title, "
        "d.source_uri, d.publisher, "
        'CASE WHEN e.start IS NULL THEN NULL ELSE substr(d.text, e.start + 1, e."end" - e.start) '
        "END AS evidence FROM events e JOIN documents d ON d.id = e.doc_id "
        "WHERE e.id > ? ORDER BY e.id"
    )
    for row in _keyset(store, sql):
        row["arguments"] = json.loads(row["arguments"] or "{}")
        row["attribution"] = json.loads(row["attribution"] or "[]")
        yield row


# --------------------------------------------------------------------------- judgements


def judgements_for(store: Store, target_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Judgements naming any of ``target_ids``, oldest first."""
    if not target_ids:
        return []
    marks = ",".join("?" * len(target_ids))
    rows = _rows(
        store,
        "SELECT j.id, j.kind, j.target_ids, j.payload, j.author, j.created_at FROM judgements j "
        f"WHERE EXISTS (SELECT 1 FROM json_each(j.target_ids) t WHERE t.value IN ({marks})) "
        "ORDER BY j.created_at, j.rowid",
        list(target_ids),
    )
    return [_judgement(r) for r in rows]


def _judgement(row: dict[str, Any]) -> dict[str, Any]:
    row["target_ids"] = json.loads(row["target_ids"])
    row["payload"] = json.loads(row["payload"])
    return row


def list_judgements(
    store: Store, *, kind: str | None, target: str | None, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    clauses, params = ["1"], []
    if kind:
        clauses.append("j.kind = ?")
        params.append(kind)
    if target:
        clauses.append("EXISTS (SELECT 1 FROM json_each(j.target_ids) t WHERE t.value = ?)")
        params.append(target)
    where = " AND ".join(clauses)
    total = _scalar(store, f"SELECT COUNT(*) FROM judgements j WHERE {where}", params)
    rows = _rows(
        store,
        "SELECT j.id, j.kind, j.target_ids, j.payload, j.author, j.created_at FROM judgements j "
        f"WHERE {where} ORDER BY j.created_at DESC, j.rowid DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return total, [_judgement(r) for r in rows]


# --------------------------------------------------------------------------- places


def places_of(
    store: Store, entity: dict[str, Any], neighbours: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Places to map for an entity: itself if a place, and its related places."""
    places = []
    for item in [entity, *neighbours]:
        point = coordinates(item.get("attributes") or {})
        if point is not None and (item is entity or item.get("type") in PLACE_TYPES):
            places.append(
                {
                    "id": item["id"],
                    "label": item["label"],
                    "label_latin": item.get("label_latin"),
                    "lat": point[0],
                    "lon": point[1],
                    "self": item is entity,
                }
            )
    return places


def place_entities(store: Store) -> Iterable[tuple[dict[str, Any], tuple[float, float]]]:
    for entity in iter_entities(store):
        point = coordinates(entity["attributes"])
        if point is not None:
            yield entity, point
