"""Named, recorded schema migrations (in the style of sqlite-utils' ``migrations``).

Each migration is a named function run once, in order, inside its own
transaction together with the row that records it in ``_migrations``; so a
crash half-way through a migration leaves it unapplied, and applying the set
again is a no-op. A database that records a migration this code does not know
was written by a newer rasid, and opening it is refused rather than guessed at.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby
from operator import itemgetter

from rasid.errors import StoreError

MigrationFn = Callable[[sqlite3.Connection], None]

_LEDGER = """
CREATE TABLE IF NOT EXISTS _migrations (
    name TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Migration:
    name: str
    fn: MigrationFn


class Migrations:
    """An ordered set of named migrations for one database schema."""

    def __init__(self) -> None:
        self._items: list[Migration] = []

    def __call__(self, name: str) -> Callable[[MigrationFn], MigrationFn]:
        """Register the decorated function as the next migration, called ``name``."""

        def decorator(fn: MigrationFn) -> MigrationFn:
            if any(m.name == name for m in self._items):
                raise ValueError(f"migration {name!r} is defined twice")
            self._items.append(Migration(name, fn))
            return fn

        return decorator

    @property
    def names(self) -> list[str]:
        return [m.name for m in self._items]

    def applied(self, conn: sqlite3.Connection) -> list[str]:
        """Names recorded in the database, oldest first ([] for a fresh file)."""
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'"
        ).fetchone()
        if not exists:
            return []
        rows = conn.execute("SELECT name FROM _migrations ORDER BY applied_at, rowid").fetchall()
        return [str(r[0]) for r in rows]

    def pending(self, conn: sqlite3.Connection) -> list[str]:
        self.check_known(conn)
        done = set(self.applied(conn))
        return [m.name for m in self._items if m.name not in done]

    def check_known(self, conn: sqlite3.Connection) -> None:
        known = set(self.names)
        unknown = [name for name in self.applied(conn) if name not in known]
        if unknown:
            raise StoreError(
                "this knowledge base was written by a newer version of rasid "
                f"(it has migrations this version does not know: {', '.join(unknown)}); "
                "upgrade rasid to open it"
            )

    def apply(self, conn: sqlite3.Connection) -> list[str]:
        """Apply every pending migration; return the names applied now.

        ``conn`` must be in autocommit mode (``isolation_level=None``): each
        migration gets its own ``BEGIN IMMEDIATE`` so two processes opening the
        same new file do not both apply it.
        """
        self.check_known(conn)
        done_now: list[str] = []
        for migration in self._items:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(_LEDGER)
                already = conn.execute(
                    "SELECT 1 FROM _migrations WHERE name = ?", (migration.name,)
                ).fetchone()
                if not already:
                    migration.fn(conn)
                    conn.execute(
                        "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                        (migration.name, datetime.now(UTC).isoformat(timespec="microseconds")),
                    )
                    done_now.append(migration.name)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return done_now


def _run(conn: sqlite3.Connection, statements: list[str]) -> None:
    # executescript() would COMMIT the surrounding transaction; run one by one.
    for statement in statements:
        conn.execute(statement)


migrations = Migrations()


@migrations("0001_initial")
def _initial(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        [
            """
            CREATE TABLE documents (
                id TEXT PRIMARY KEY,
                sha256 TEXT NOT NULL,
                source_uri TEXT NOT NULL,
                title TEXT,
                publisher TEXT,
                author TEXT,
                published TEXT,
                published_raw TEXT,
                language TEXT,
                ingested_at TEXT NOT NULL,
                content_type TEXT,
                reader TEXT,
                external_id TEXT,
                meta TEXT NOT NULL DEFAULT '{}',
                text TEXT NOT NULL,
                content_key TEXT NOT NULL,
                duplicate_of TEXT REFERENCES documents(id),
                near_duplicate_of TEXT REFERENCES documents(id),
                near_similarity REAL,
                components TEXT NOT NULL DEFAULT '[]'
            )
            """,
            "CREATE INDEX documents_content_key ON documents(content_key)",
            "CREATE INDEX documents_published ON documents(published)",
            "CREATE INDEX documents_publisher ON documents(publisher)",
            "CREATE INDEX documents_duplicate_of ON documents(duplicate_of)",
            "CREATE INDEX documents_near_duplicate_of ON documents(near_duplicate_of)",
            """
            CREATE TABLE document_sources (
                doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                source_uri TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                seen_at TEXT NOT NULL,
                UNIQUE (doc_id, source_uri, sha256)
            )
            """,
            "CREATE INDEX document_sources_uri ON document_sources(source_uri)",
            """
            CREATE TABLE sentences (
                doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                idx INTEGER NOT NULL,
                start INTEGER NOT NULL,
                "end" INTEGER NOT NULL,
                PRIMARY KEY (doc_id, idx)
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE mentions (
                id TEXT PRIMARY KEY,
                doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                sentence_idx INTEGER,
                start INTEGER NOT NULL,
                "end" INTEGER NOT NULL,
                text TEXT NOT NULL,
                norm TEXT NOT NULL,
                type TEXT NOT NULL,
                subtype TEXT,
                confidence REAL NOT NULL,
                component TEXT NOT NULL,
                value TEXT NOT NULL DEFAULT '{}',
                entity_id TEXT
            )
            """,
            "CREATE INDEX mentions_doc ON mentions(doc_id, start)",
            "CREATE INDEX mentions_type_norm ON mentions(type, norm)",
            "CREATE INDEX mentions_entity ON mentions(entity_id)",
            """
            CREATE TABLE statements (
                id TEXT PRIMARY KEY,
                subject TEXT NOT NULL,
                property TEXT NOT NULL,
                value TEXT NOT NULL,
                object_entity TEXT,
                qualifiers TEXT NOT NULL DEFAULT '{}',
                document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                sentence_idx INTEGER,
                start INTEGER NOT NULL,
                "end" INTEGER NOT NULL,
                attribution TEXT NOT NULL DEFAULT '[]',
                certainty TEXT NOT NULL,
                component TEXT NOT NULL,
                review_status TEXT NOT NULL DEFAULT 'machine',
                created_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX statements_doc ON statements(document_id, start)",
            "CREATE INDEX statements_subject ON statements(subject, property)",
            "CREATE INDEX statements_object ON statements(object_entity)",
            "CREATE INDEX statements_property ON statements(property)",
            """
            CREATE TABLE entities (
                id TEXT PRIMARY KEY,
                type TEXT NOT NULL,
                subtype TEXT,
                label TEXT NOT NULL,
                label_latin TEXT,
                attributes TEXT NOT NULL DEFAULT '{}'
            )
            """,
            "CREATE INDEX entities_type ON entities(type, label)",
            """
            CREATE TABLE judgements (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL CHECK (
                    kind IN ('merge', 'split', 'not_same', 'accept', 'reject', 'edit')
                ),
                target_ids TEXT NOT NULL,
                payload TEXT NOT NULL DEFAULT '{}',
                author TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX judgements_kind ON judgements(kind, created_at)",
            """
            CREATE TABLE events (
                id TEXT PRIMARY KEY,
                doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                type TEXT NOT NULL,
                status TEXT,
                arguments TEXT NOT NULL DEFAULT '{}',
                start INTEGER,
                "end" INTEGER,
                sentence_idx INTEGER,
                certainty TEXT,
                attribution TEXT NOT NULL DEFAULT '[]',
                component TEXT NOT NULL DEFAULT ''
            )
            """,
            "CREATE INDEX events_doc ON events(doc_id, start)",
            "CREATE INDEX events_type ON events(type)",
            """
            CREATE TABLE minhash (
                doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
                signature BLOB NOT NULL
            )
            """,
            """
            CREATE TABLE feed_items_seen (
                url TEXT PRIMARY KEY,
                seen_at TEXT NOT NULL
            )
            """,
            # Search: one row per sentence (and one per title, sentence_idx
            # NULL). The FTS table holds Python-normalised, clitic-split terms;
            # search_rows maps its rowid back to the document and sentence.
            """
            CREATE TABLE search_rows (
                id INTEGER PRIMARY KEY,
                doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                sentence_idx INTEGER
            )
            """,
            "CREATE INDEX search_rows_doc ON search_rows(doc_id)",
            """
            CREATE VIRTUAL TABLE search_fts USING fts5(
                terms,
                tokenize = 'unicode61 remove_diacritics 0'
            )
            """,
            # Deleting a document cascades to search_rows; keep the index in step.
            """
            CREATE TRIGGER search_rows_delete AFTER DELETE ON search_rows BEGIN
                DELETE FROM search_fts WHERE rowid = old.id;
            END
            """,
        ],
    )


@migrations("0002_document_search_index")
def _document_search_index(conn: sqlite3.Connection) -> None:
    """One search row per document beside the per-sentence rows.

    Ranking a common word over its sentence rows cost bm25 on every one of
    them (10,000 rows for ترامب in the news corpus); a row per document ranks
    the same documents in a quarter of the work. The sentence rows stay: they
    pick each hit's snippet and check phrases. The row holds the document's
    sentence rows (title first) joined by spaces, so its terms are theirs.
    """
    _run(
        conn,
        [
            """
            CREATE TABLE search_doc_rows (
                id INTEGER PRIMARY KEY,
                doc_id TEXT NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE
            )
            """,
            """
            CREATE VIRTUAL TABLE search_doc_fts USING fts5(
                terms,
                tokenize = 'unicode61 remove_diacritics 0'
            )
            """,
            """
            CREATE TRIGGER search_doc_rows_delete AFTER DELETE ON search_doc_rows BEGIN
                DELETE FROM search_doc_fts WHERE rowid = old.id;
            END
            """,
        ],
    )
    # Existing sentence rows, a document's together (search_rows_doc gives that
    # order without a sort), each document's in the order they were written.
    rows = conn.execute(
        "SELECT r.doc_id, f.terms FROM search_rows r JOIN search_fts f ON f.rowid = r.id "
        "ORDER BY r.doc_id, r.id"
    )
    documents = (
        (doc_id, " ".join(t for _, t in group))
        for doc_id, group in groupby(rows, key=itemgetter(0))
    )
    for number, (doc_id, terms) in enumerate(documents, start=1):
        conn.execute("INSERT INTO search_doc_rows (id, doc_id) VALUES (?, ?)", (number, doc_id))
        conn.execute("INSERT INTO search_doc_fts (rowid, terms) VALUES (?, ?)", (number, terms))
    conn.execute("INSERT INTO search_doc_fts (search_doc_fts) VALUES ('optimize')")


# The Latin spellings linking found for an entity, one a line (none: NULL).
_LATIN_NAMES = (
    "CASE WHEN json_valid({row}.attributes) THEN (SELECT group_concat(value, char(10)) "
    "FROM json_each({row}.attributes, '$.latin_names')) END"
)
_ENTITY_NAME_ROW = (
    "INSERT OR REPLACE INTO entity_names_fts (rowid, entity_id, label, label_latin, latin_names) "
    "VALUES ({row}.rowid, {row}.id, {row}.label, {row}.label_latin, " + _LATIN_NAMES + ")"
)


@migrations("0003_entity_name_index")
def _entity_name_index(conn: sqlite3.Connection) -> None:
    """A trigram index of entity names, for ``label LIKE '%words%'`` without a scan.

    The search page lists the entities named by the query beside the
    documents; scanning 60,000 labels (and their Latin forms) with LIKE cost
    about 100 ms a search. FTS5's trigram tokenizer answers the same LIKE
    patterns (three characters or more) from an index. Triggers keep it in
    step with ``entities`` whoever writes; ``entity_id`` is stored so that
    readers join on the entity's key, never on a rowid alone.
    """
    insert = _ENTITY_NAME_ROW.format(row="new")
    _run(
        conn,
        [
            """
            CREATE VIRTUAL TABLE entity_names_fts USING fts5(
                entity_id UNINDEXED,
                label,
                label_latin,
                latin_names,
                tokenize = 'trigram'
            )
            """,
            f"""
            CREATE TRIGGER entities_names_insert AFTER INSERT ON entities BEGIN
                {insert};
            END
            """,
            """
            CREATE TRIGGER entities_names_delete AFTER DELETE ON entities BEGIN
                DELETE FROM entity_names_fts WHERE rowid = old.rowid;
            END
            """,
            # Ingest upserts every entity a document names, mostly unchanged:
            # re-indexing the trigrams each time cost ~150 µs a row, so only a
            # change to what the index holds re-indexes.
            f"""
            CREATE TRIGGER entities_names_update AFTER UPDATE OF id, label, label_latin, attributes
            ON entities
            WHEN old.id IS NOT new.id OR old.label IS NOT new.label
                OR old.label_latin IS NOT new.label_latin
                OR ({_LATIN_NAMES.format(row="old")}) IS NOT ({_LATIN_NAMES.format(row="new")})
            BEGIN
                DELETE FROM entity_names_fts WHERE rowid = old.rowid;
                {insert};
            END
            """,
            "INSERT INTO entity_names_fts (rowid, entity_id, label, label_latin, latin_names) "
            "SELECT e.rowid, e.id, e.label, e.label_latin, "
            + _LATIN_NAMES.format(row="e")
            + " FROM entities e",
        ],
    )


@migrations("0004_mention_lookup_indexes")
def _mention_lookup_indexes(conn: sqlite3.Connection) -> None:
    """Indexes that answer the search page's two questions about mentions alone.

    Does a document mention a type of entity (the ``entity_type`` filter,
    asked of every matching document): with ``mentions_doc`` (doc_id, start)
    that read each of its mention rows, 300 ms for a common word. Which
    entities are mentioned under a spelling (the entity list beside the
    results): ``mentions_type_norm`` found the rows but read each for its
    entity, 8 ms for سوريا; with the entity in the index, under 1 ms. The
    new index begins with the old one's columns, so it replaces it.
    """
    _run(
        conn,
        [
            "CREATE INDEX mentions_doc_type ON mentions(doc_id, type)",
            "CREATE INDEX mentions_type_norm_entity ON mentions(type, norm, entity_id)",
            "DROP INDEX mentions_type_norm",
        ],
    )


@migrations("0005_document_filter_index")
def _document_filter_index(conn: sqlite3.Connection) -> None:
    """An index that answers the search filters on a document without its row.

    A date or language filter is asked of every document a query matches
    (3,670 for روسيا): through the primary key, each is an index search and
    then a search of the table for ``published``; with the filtered columns
    beside the id, one search. (SQLite picks the primary key's index by
    itself, so the search names this one: ``INDEXED BY``.)
    """
    _run(conn, ["CREATE INDEX documents_filters ON documents(id, published, language)"])
