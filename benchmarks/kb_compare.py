"""Compare two knowledge bases built from the same input: are they the same knowledge?

    python benchmarks/kb_compare.py before.db after.db [--query منبج ...]

Checks every table's rows (ingest and review timestamps left out, since two
runs never share them), the search indexes' terms and the entity name index,
and a few searches. Prints what differs and exits 1, or prints the row counts
and exits 0. Used to check that a faster ingest stores the same thing.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from rasid.kb.store import Store

# Columns that hold a clock reading, not knowledge.
_TIMESTAMPS = {"ingested_at", "seen_at", "created_at", "applied_at"}

# The order every table's rows are read in: a key, or for rowid-keyed tables the rowid
# (entities and index rows must keep their rowids, since the indexes refer to them).
_TABLES: dict[str, str] = {
    "documents": "rowid",
    "document_sources": "rowid",
    "sentences": "doc_id, idx",
    "mentions": "rowid",
    "statements": "rowid",
    "events": "rowid",
    "entities": "rowid",
    "judgements": "id",
    "minhash": "doc_id",
    "feed_items_seen": "url",
    "search_rows": "id",
    "search_doc_rows": "id",
    "_migrations": "name",
}
_FTS = {
    "search_fts": "rowid, terms",
    "search_doc_fts": "rowid, terms",
    "entity_names_fts": "rowid, entity_id, label, label_latin, latin_names",
}
_QUERIES = ("منبج", "الجيش", '"وزير الخارجية"', "ترامب", "2016", "Manbij", "الأمم المتحدة")


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")]


def _rows(conn: sqlite3.Connection, table: str, order: str) -> list[tuple[object, ...]]:
    columns = [c for c in _columns(conn, table) if c not in _TIMESTAMPS]
    keys = ["rowid"] if order == "rowid" else []  # tables WITHOUT ROWID have none
    select = ", ".join([*keys, *[f'"{c}"' for c in columns]])
    return list(conn.execute(f"SELECT {select} FROM {table} ORDER BY {order}"))


def compare(before: Path, after: Path, queries: tuple[str, ...] = _QUERIES) -> list[str]:
    """What differs between the two files, one line each (empty when they agree)."""
    problems: list[str] = []
    with Store(before, create=False) as old, Store(after, create=False) as new:
        a, b = old.connection, new.connection
        checks = {**_TABLES, **{t: "rowid" for t in _FTS}}
        for table, order in checks.items():
            if table in _FTS:
                sql = f"SELECT {_FTS[table]} FROM {table} ORDER BY {order}"
                rows_a, rows_b = list(a.execute(sql)), list(b.execute(sql))
            else:
                rows_a, rows_b = _rows(a, table, order), _rows(b, table, order)
            if rows_a == rows_b:
                print(f"{table}: {len(rows_a)} rows, same")
                continue
            problems.append(f"{table}: {len(rows_a)} rows before, {len(rows_b)} after")
            for i, (x, y) in enumerate(zip(rows_a, rows_b, strict=False)):
                if x != y:
                    problems.append(f"  first difference at row {i}: {x!r:.400} != {y!r:.400}")
                    break
        for query in queries:
            hits_a, hits_b = old.search(query, limit=50), new.search(query, limit=50)
            same = hits_a == hits_b and old.search_count(query) == new.search_count(query)
            print(f"search {query!r}: {len(hits_a)} hits, {'same' if same else 'DIFFERENT'}")
            if not same:
                problems.append(f"search {query!r} differs")
        stats_a, stats_b = old.stats(), new.stats()
        for key in ("db_bytes",):
            stats_a.pop(key), stats_b.pop(key)
        if stats_a != stats_b:
            problems.append("stats differ")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--query", action="append", help="a search to compare (repeatable)")
    args = parser.parse_args()
    problems = compare(args.before, args.after, tuple(args.query or _QUERIES))
    for line in problems:
        print(line)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
