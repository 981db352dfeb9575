"""The knowledge base: one SQLite file holding documents, their analyses and search.

Writes are one transaction per document (or per batch of whole documents with
:meth:`Store.add_many`), in WAL mode: a reader, or a process opening the file
after the writer was killed, sees whole documents or nothing of them.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from types import TracebackType
from typing import Any, ParamSpec, TypeVar

from rasid.errors import NotFoundError, StoreError
from rasid.kb.migrations import migrations
from rasid.kb.query import SearchUnits, search_units
from rasid.kb.records import DocumentSource, SearchHit, StoredDocument
from rasid.kb.rows import (
    AnalysisRows,
    EntityRow,
    analysis_rows,
    entity_rows,
    json_text,
    stored_sentences,
)
from rasid.kb.search import Filters
from rasid.kb.search import count as _count
from rasid.kb.search import search as _search
from rasid.model import Analysis, Document, Mention, Sentence, SourceLink, Statement, stable_id
from rasid.text.tokenize import tokenize

__all__ = ["JUDGEMENT_KINDS", "Store", "StoreItem"]

JUDGEMENT_KINDS = ("merge", "split", "not_same", "accept", "reject", "edit")
_SQLITE_HEADER = b"SQLite format 3\x00"
_MIN_PREFIX = 4

P = ParamSpec("P")
R = TypeVar("R")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_json = json_text


def _locked(method: Callable[P, R]) -> Callable[P, R]:
    """Serialise use of the one connection when a Store is shared by threads."""

    @wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        store = args[0]
        assert isinstance(store, Store)
        with store._lock:
            return method(*args, **kwargs)

    return wrapper


@dataclass(frozen=True, slots=True)
class StoreItem:
    """One document to store with :meth:`Store.add_many` (same meaning as add_analysis)."""

    analysis: Analysis
    content_key: str
    signature: bytes | None = None
    duplicate_of: str | None = None
    near_duplicate_of: str | None = None
    near_similarity: float | None = None
    search_units: SearchUnits | None = None  # precomputed by an ingest worker
    #: The analysis's rows, when built already (by an ingest worker); they are
    #: written instead of rows built from ``analysis`` here.
    rows: AnalysisRows | None = None


class Store:
    """A rasid knowledge base in one SQLite file.

    ``create=False`` refuses to make a new file; ``readonly=True`` opens it for
    reading only (for servers beside a running ingest).
    """

    def __init__(self, path: str | Path, *, create: bool = True, readonly: bool = False) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        #: The next free search row id, known only inside a write transaction.
        self._next_search_row: int | None = None
        self._check_file(create=create and not readonly)
        try:
            if readonly:
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                conn = sqlite3.connect(
                    uri, uri=True, timeout=30.0, isolation_level=None, check_same_thread=False
                )
            else:
                conn = sqlite3.connect(
                    str(self.path), timeout=30.0, isolation_level=None, check_same_thread=False
                )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the knowledge base {self.path}: {exc}") from exc
        self._conn = conn
        try:
            self._setup(readonly)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(
                f"{self.path} is not a usable SQLite database ({exc}); check the --db path"
            ) from exc
        except BaseException:
            conn.close()
            raise

    # -- opening ---------------------------------------------------------------

    def _check_file(self, *, create: bool) -> None:
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a directory, not a knowledge base file")
        if not self.path.exists():
            if not create:
                raise StoreError(
                    f"no knowledge base at {self.path}; check the --db path or ingest first"
                )
            if not self.path.parent.exists():
                raise StoreError(f"the folder {self.path.parent} does not exist")
            return
        with self.path.open("rb") as fh:
            header = fh.read(len(_SQLITE_HEADER))
        if header and header != _SQLITE_HEADER:
            raise StoreError(f"{self.path} is not a SQLite database; check the --db path")

    def _setup(self, readonly: bool) -> None:
        conn = self._conn
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 30000")
        tables = {
            str(r[0])
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        }
        if tables and "_migrations" not in tables:
            raise StoreError(
                f"{self.path} is a SQLite database but not a rasid knowledge base "
                f"(it has tables {', '.join(sorted(tables)[:5])}); use another --db path"
            )
        if readonly:
            pending = migrations.pending(conn)
            if pending:
                raise StoreError(
                    f"{self.path} needs migrations {', '.join(pending)}; "
                    "open it once read-write (e.g. run an ingest) first"
                )
        else:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            # Checkpoints are where WAL mode syncs to disk; with one small
            # transaction per document, the default (every 1000 pages) made
            # them half the cost of storing.
            conn.execute("PRAGMA wal_autocheckpoint = 8192")
            conn.execute("PRAGMA journal_size_limit = 67108864")
            migrations.apply(conn)
        conn.execute("PRAGMA temp_store = MEMORY")
        if readonly:
            # Readers (a server keeps one per request in flight) map the file
            # instead: pages are read from the OS cache they all share, with
            # no copy, and each keeps a small cache of its own.
            conn.execute("PRAGMA mmap_size = 1073741824")
            conn.execute("PRAGMA cache_size = -8192")
        else:
            conn.execute("PRAGMA cache_size = -65536")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def connection(self) -> sqlite3.Connection:
        """The raw connection, for read queries the Store does not offer yet."""
        return self._conn

    @property
    def migrations_applied(self) -> list[str]:
        return migrations.applied(self._conn)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(f"cannot write to {self.path}: {exc}") from exc
            self._next_search_row = None  # another writer may have added rows since
            try:
                yield conn
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK")
                raise StoreError(f"cannot write to {self.path}: {exc}") from exc
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK")
                raise StoreError(f"cannot commit to {self.path}: {exc}") from exc

    # -- writing documents -------------------------------------------------------

    def add_analysis(
        self,
        analysis: Analysis,
        *,
        content_key: str,
        signature: bytes | None = None,
        duplicate_of: str | None = None,
        near_duplicate_of: str | None = None,
        near_similarity: float | None = None,
        search_units: SearchUnits | None = None,
    ) -> bool:
        """Store a document with its analysis in one transaction.

        Returns True when stored now, False when the document id was already
        there (then only the extra source is recorded). Documents with
        ``duplicate_of`` set are stored but not indexed for search, so a search
        never lists the same text twice.
        """
        item = StoreItem(
            analysis,
            content_key,
            signature,
            duplicate_of,
            near_duplicate_of,
            near_similarity,
            search_units,
        )
        with self._transaction() as conn:
            return self._write(conn, item)

    def add_many(self, items: Iterable[StoreItem]) -> list[bool]:
        """Store several documents in one transaction (all of them or none)."""
        with self._transaction() as conn:
            return [self._write(conn, item) for item in items]

    def _write(self, conn: sqlite3.Connection, item: StoreItem) -> bool:
        doc = item.analysis.document
        now = _now()
        try:
            return self._write_rows(conn, item, doc, now)
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"document {doc.id} from {doc.source_uri} was refused: {exc}") from exc
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot write document {doc.id} to {self.path}: {exc}") from exc

    def _write_rows(
        self, conn: sqlite3.Connection, item: StoreItem, doc: Document, now: str
    ) -> bool:
        analysis = item.analysis
        source_row = (doc.id, doc.source_uri, doc.sha256, now)
        # One statement both inserts and finds a stored copy (no look-up first);
        # the conflict clause covers the id alone, so bad rows still fail.
        inserted = conn.execute(
            "INSERT INTO documents (id, sha256, source_uri, title, publisher, author, published, "
            "published_raw, language, ingested_at, content_type, reader, external_id, meta, text, "
            "content_key, duplicate_of, near_duplicate_of, near_similarity, components) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO NOTHING",
            (
                doc.id, doc.sha256, doc.source_uri, doc.title, doc.publisher, doc.author,
                doc.published, doc.published_raw, doc.language,
                now if doc.ingested_at is None else doc.ingested_at,
                doc.content_type, doc.reader, doc.external_id, _json(doc.meta), doc.text,
                item.content_key, item.duplicate_of, item.near_duplicate_of,
                item.near_similarity, _json(analysis.components),
            ),
        ).rowcount  # fmt: skip
        if not inserted:
            conn.execute(
                "INSERT OR IGNORE INTO document_sources (doc_id, source_uri, sha256, seen_at) "
                "VALUES (?, ?, ?, ?)",
                source_row,
            )
            return False
        if doc.ingested_at is None:
            doc.ingested_at = now
        conn.execute(
            "INSERT INTO document_sources (doc_id, source_uri, sha256, seen_at) "
            "VALUES (?, ?, ?, ?)",
            source_row,
        )
        self._write_analysis(
            conn,
            analysis,
            now,
            index=item.duplicate_of is None,
            title=doc.title,
            units=item.search_units,
            rows=item.rows,
        )
        if item.signature is not None:
            conn.execute(
                "INSERT INTO minhash (doc_id, signature) VALUES (?, ?)",
                (doc.id, item.signature),
            )
        return True

    def _write_analysis(
        self,
        conn: sqlite3.Connection,
        analysis: Analysis,
        now: str,
        *,
        index: bool,
        title: str | None,
        units: SearchUnits | None = None,
        rows: AnalysisRows | None = None,
    ) -> None:
        """Sentences, mentions, statements, events, entities and search rows."""
        doc = analysis.document
        sentences: list[Sentence] | None = None
        if rows is None:
            sentences = stored_sentences(analysis)
            rows = analysis_rows(analysis, sentences)
        conn.executemany(
            'INSERT INTO sentences (doc_id, idx, start, "end") VALUES (?, ?, ?, ?)', rows.sentences
        )
        conn.executemany(
            'INSERT OR IGNORE INTO mentions (id, doc_id, sentence_idx, start, "end", text, norm, '
            "type, subtype, confidence, component, value, entity_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows.mentions,
        )
        if rows.statements:
            conn.executemany(
                "INSERT OR IGNORE INTO statements (id, subject, property, value, object_entity, "
                'qualifiers, document_id, sentence_idx, start, "end", attribution, certainty, '
                "component, review_status, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(*row, now) for row in rows.statements],
            )
        if rows.events:
            conn.executemany(
                'INSERT OR IGNORE INTO events (id, doc_id, type, status, arguments, start, "end", '
                "sentence_idx, certainty, attribution, component) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows.events,
            )
        if rows.entities:
            _upsert_entity_rows(conn, rows.entities)
        if index:
            if units is None:
                if sentences is None:
                    sentences = [Sentence(*row[1:]) for row in rows.sentences]
                units = search_units(analysis.tokens or tokenize(doc.text), sentences, title)
            self._index(conn, doc.id, units)

    def replace_analysis(self, analysis: Analysis) -> None:
        """Replace the machine output of a stored document (after a better model).

        The document row, its sources and signature stay; sentences, mentions,
        events and search rows are rewritten; statements a person has reviewed
        (``review_status`` other than ``machine``) are kept as they are.
        """
        doc = analysis.document
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT duplicate_of, title FROM documents WHERE id = ?", (doc.id,)
            ).fetchone()
            if row is None:
                raise NotFoundError(f"no document {doc.id} to re-analyse; store it first")
            for sql in (
                "DELETE FROM search_rows WHERE doc_id = ?",
                "DELETE FROM search_doc_rows WHERE doc_id = ?",
                "DELETE FROM sentences WHERE doc_id = ?",
                "DELETE FROM mentions WHERE doc_id = ?",
                "DELETE FROM events WHERE doc_id = ?",
                "DELETE FROM statements WHERE document_id = ? AND review_status = 'machine'",
            ):
                conn.execute(sql, (doc.id,))
            conn.execute(
                "UPDATE documents SET components = ? WHERE id = ?",
                (_json(analysis.components), doc.id),
            )
            try:
                self._write_analysis(conn, analysis, _now(), index=row[0] is None, title=row[1])
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"the new analysis of {doc.id} was refused: {exc}") from exc

    def _index(self, conn: sqlite3.Connection, doc_id: str, units: SearchUnits) -> None:
        if not units:
            return
        first_id = self._next_search_row
        if first_id is None:
            row = conn.execute("SELECT COALESCE(MAX(id), 0) FROM search_rows").fetchone()
            first_id = int(row[0]) + 1
        # Within one write transaction no one else adds rows: the next id is known.
        self._next_search_row = first_id + len(units)
        conn.executemany(
            "INSERT INTO search_rows (id, doc_id, sentence_idx) VALUES (?, ?, ?)",
            [(first_id + i, doc_id, idx) for i, (idx, _) in enumerate(units)],
        )
        conn.executemany(
            "INSERT INTO search_fts (rowid, terms) VALUES (?, ?)",
            [(first_id + i, terms) for i, (_, terms) in enumerate(units)],
        )
        # The document's row for ranking (see migration 0002): its sentence rows in one.
        doc_row = conn.execute("INSERT INTO search_doc_rows (doc_id) VALUES (?)", (doc_id,))
        conn.execute(
            "INSERT INTO search_doc_fts (rowid, terms) VALUES (?, ?)",
            (doc_row.lastrowid, " ".join(terms for _, terms in units)),
        )

    # -- small writes ---------------------------------------------------------------

    @_locked
    def mark_url_seen(self, url: str) -> None:
        with self._transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO feed_items_seen (url, seen_at) VALUES (?, ?)", (url, _now())
            )

    @_locked
    def seen_url(self, url: str) -> bool:
        row = self._conn.execute("SELECT 1 FROM feed_items_seen WHERE url = ?", (url,)).fetchone()
        return row is not None

    def upsert_entities(self, entities: Iterable[dict[str, Any]]) -> int:
        """Write assembled entities (the cache rebuilt from mentions/statements)."""
        with self._transaction() as conn:
            return _upsert_entities(conn, list(entities))

    def upsert_entity_rows(self, rows: Sequence[EntityRow]) -> int:
        """Write entity rows built already (:func:`rasid.kb.rows.entity_rows`)."""
        if not rows:
            return 0
        with self._transaction() as conn:
            return _upsert_entity_rows(conn, rows)

    def clear_entities(self) -> None:
        """Empty the entity cache before rebuilding it (judgements stay)."""
        with self._transaction() as conn:
            conn.execute("DELETE FROM entities")

    def add_judgement(
        self,
        kind: str,
        target_ids: Sequence[str],
        *,
        author: str,
        payload: dict[str, Any] | None = None,
    ) -> str:
        """Record a human decision; judgements are never changed by machine runs."""
        if kind not in JUDGEMENT_KINDS:
            raise StoreError(f"unknown judgement kind {kind!r}; use one of {JUDGEMENT_KINDS}")
        if not target_ids:
            raise StoreError("a judgement needs at least one target id")
        created = datetime.now(UTC).isoformat(timespec="microseconds")
        judgement_id = stable_id("j", kind, *target_ids, author, created)
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO judgements (id, kind, target_ids, payload, author, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (judgement_id, kind, _json(list(target_ids)), _json(payload or {}), author,
                 created),
            )  # fmt: skip
        return judgement_id

    @_locked
    def judgements(self, kind: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT id, kind, target_ids, payload, author, created_at FROM judgements"
        params: tuple[str, ...] = ()
        if kind is not None:
            sql += " WHERE kind = ?"
            params = (kind,)
        rows = self._conn.execute(sql + " ORDER BY created_at, rowid", params).fetchall()
        return [
            {
                "id": r[0],
                "kind": r[1],
                "target_ids": json.loads(r[2]),
                "payload": json.loads(r[3]),
                "author": r[4],
                "created_at": r[5],
            }
            for r in rows
        ]

    def optimize(self) -> None:
        """Merge the search index's segments and refresh planner statistics."""
        with self._transaction() as conn:
            for table in ("search_fts", "search_doc_fts", "entity_names_fts"):
                conn.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        with self._lock:
            self._conn.execute("PRAGMA optimize")
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- reading ----------------------------------------------------------------------

    @_locked
    def has_document(self, doc_id: str) -> bool:
        row = self._conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row is not None

    @_locked
    def find_by_content_key(self, key: str) -> str | None:
        """The id of the original document with this exact-duplicate key, if any."""
        row = self._conn.execute(
            "SELECT id FROM documents WHERE content_key = ? "
            "ORDER BY duplicate_of IS NOT NULL, rowid LIMIT 1",
            (key,),
        ).fetchone()
        return str(row[0]) if row else None

    @_locked
    def document_ids(self) -> set[str]:
        """The ids of every stored document (an ingest asks once, not per document)."""
        return {str(row[0]) for row in self._conn.execute("SELECT id FROM documents")}

    @_locked
    def content_keys(self) -> dict[str, str]:
        """:meth:`find_by_content_key` for every stored key at once: key → original's id."""
        first: dict[str, str] = {}
        for key, doc_id in self._conn.execute(
            "SELECT content_key, id FROM documents ORDER BY duplicate_of IS NOT NULL, rowid"
        ):
            first.setdefault(str(key), str(doc_id))
        return first

    def iter_signatures(self) -> Iterator[tuple[str, bytes]]:
        """Every stored MinHash signature, in storing order (to rebuild the LSH index)."""
        last = 0
        while True:
            with self._lock:
                rows = self._conn.execute(
                    "SELECT d.rowid, m.doc_id, m.signature FROM minhash m "
                    "JOIN documents d ON d.id = m.doc_id WHERE d.rowid > ? "
                    "ORDER BY d.rowid LIMIT 1000",
                    (last,),
                ).fetchall()
            if not rows:
                return
            for _, doc_id, signature in rows:
                yield str(doc_id), bytes(signature)
            last = int(rows[-1][0])

    def resolve_id(self, doc_id: str) -> str:
        """The full id for ``doc_id`` or a unique prefix of it (with or without ``doc-``)."""
        wanted = doc_id.strip()
        if not wanted:
            raise NotFoundError("an empty document id was given")
        with self._lock:
            if self._conn.execute("SELECT 1 FROM documents WHERE id = ?", (wanted,)).fetchone():
                return wanted
            prefix = wanted if wanted.startswith("doc-") else f"doc-{wanted}"
            if len(prefix) - len("doc-") < _MIN_PREFIX:
                raise NotFoundError(
                    f"no document {wanted!r}; give at least {_MIN_PREFIX} characters of its id"
                )
            upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            rows = self._conn.execute(
                "SELECT id FROM documents WHERE id >= ? AND id < ? ORDER BY id LIMIT 6",
                (prefix, upper),
            ).fetchall()
        if not rows:
            raise NotFoundError(f"no document with id {wanted!r}; `rasid search` finds ids")
        if len(rows) > 1:
            shown = ", ".join(str(r[0]) for r in rows[:5])
            more = " and more" if len(rows) > 5 else ""
            raise NotFoundError(
                f"document id {wanted!r} is ambiguous: it starts {shown}{more}; give more characters"
            )
        return str(rows[0][0])

    @_locked
    def get_document(self, doc_id: str) -> StoredDocument:
        """A stored document with its sentences, mentions, statements and events."""
        full_id = self.resolve_id(doc_id)
        conn = self._conn
        row = conn.execute(
            "SELECT id, sha256, source_uri, title, publisher, author, published, published_raw, "
            "language, ingested_at, content_type, reader, external_id, meta, text, content_key, "
            "duplicate_of, near_duplicate_of, near_similarity, components "
            "FROM documents WHERE id = ?",
            (full_id,),
        ).fetchone()
        stored = StoredDocument(
            document=_document(row),
            content_key=row[15],
            duplicate_of=row[16],
            near_duplicate_of=row[17],
            near_similarity=row[18],
            components=json.loads(row[19]),
        )
        stored.sources = [
            DocumentSource(*r)
            for r in conn.execute(
                "SELECT source_uri, sha256, seen_at FROM document_sources WHERE doc_id = ? "
                "ORDER BY rowid",
                (full_id,),
            )
        ]
        stored.sentences = [
            Sentence(*r)
            for r in conn.execute(
                'SELECT idx, start, "end" FROM sentences WHERE doc_id = ? ORDER BY idx', (full_id,)
            )
        ]
        stored.mentions = [
            Mention(
                start=r[0], end=r[1], text=r[2], type=r[3], norm=r[4], subtype=r[5],
                confidence=r[6], component=r[7], value=json.loads(r[8]), entity_id=r[9],
            )
            for r in conn.execute(
                'SELECT start, "end", text, type, norm, subtype, confidence, component, value, '
                "entity_id FROM mentions WHERE doc_id = ? ORDER BY start, \"end\", rowid",
                (full_id,),
            )
        ]  # fmt: skip
        stored.statements = [
            Statement(
                subject=r[0], property=r[1], value=r[2], object_entity=r[3],
                qualifiers=json.loads(r[4]), document_id=r[5], sentence_index=r[6],
                start=r[7], end=r[8],
                attribution=[SourceLink(**a) for a in json.loads(r[9])],
                certainty=r[10], component=r[11], review_status=r[12], id=r[13],
            )
            for r in conn.execute(
                "SELECT subject, property, value, object_entity, qualifiers, document_id, "
                'sentence_idx, start, "end", attribution, certainty, component, review_status, '
                'id FROM statements WHERE document_id = ? ORDER BY start, "end", rowid',
                (full_id,),
            )
        ]  # fmt: skip
        stored.events = [
            {
                "id": r[0], "type": r[1], "status": r[2], "arguments": json.loads(r[3]),
                "start": r[4], "end": r[5], "sentence_idx": r[6], "certainty": r[7],
                "attribution": json.loads(r[8]), "component": r[9],
            }
            for r in conn.execute(
                'SELECT id, type, status, arguments, start, "end", sentence_idx, certainty, '
                "attribution, component FROM events WHERE doc_id = ? ORDER BY start, rowid",
                (full_id,),
            )
        ]  # fmt: skip
        return stored

    def iter_documents(self, *, include_duplicates: bool = True) -> Iterator[Document]:
        """Every stored document, in storing order (read in pages, not all at once)."""
        where = "" if include_duplicates else "WHERE duplicate_of IS NULL "
        last = 0
        while True:
            with self._lock:
                rows = self._conn.execute(
                    "SELECT id, sha256, source_uri, title, publisher, author, published, "
                    "published_raw, language, ingested_at, content_type, reader, external_id, "
                    f"meta, text, rowid FROM documents {where}"
                    f"{'AND' if where else 'WHERE'} rowid > ? ORDER BY rowid LIMIT 200",
                    (last,),
                ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _document(row)
            last = int(rows[-1][15])

    # -- search and statistics ----------------------------------------------------------

    @_locked
    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        language: str | None = None,
        source: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        expand: bool = True,
    ) -> list[SearchHit]:
        """Documents matching ``query``, best first (syntax in docs/kb.md).

        ``expand`` lets Latin words also find their Arabic forms (Manbij → منبج).
        """
        filters = Filters(language, source, date_from, date_to)
        return _search(self._conn, query, filters, limit=limit, offset=offset, expand=expand)

    @_locked
    def search_count(
        self,
        query: str,
        *,
        language: str | None = None,
        source: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        expand: bool = True,
    ) -> int:
        """How many documents :meth:`search` would list in all pages."""
        filters = Filters(language, source, date_from, date_to)
        return _count(self._conn, query, filters, expand=expand)

    @_locked
    def stats(self) -> dict[str, Any]:
        """Counts for ``rasid stats``; every value is JSON-serialisable."""
        conn = self._conn

        def scalar(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0] or 0)

        def by(sql: str) -> dict[str, int]:
            return {str(k): int(v) for k, v in conn.execute(sql).fetchall()}

        first, last = conn.execute(
            "SELECT MIN(published), MAX(published) FROM documents WHERE published IS NOT NULL"
        ).fetchone()
        page_size = scalar("PRAGMA page_size")
        wal = Path(f"{self.path}-wal")
        return {
            "documents": scalar("SELECT COUNT(*) FROM documents"),
            "duplicates": scalar("SELECT COUNT(*) FROM documents WHERE duplicate_of IS NOT NULL"),
            "near_duplicates": scalar(
                "SELECT COUNT(*) FROM documents WHERE near_duplicate_of IS NOT NULL"
            ),
            "sources": scalar("SELECT COUNT(*) FROM document_sources"),
            "sentences": scalar("SELECT COUNT(*) FROM sentences"),
            "mentions": scalar("SELECT COUNT(*) FROM mentions"),
            "mentions_by_type": by(
                "SELECT type, COUNT(*) FROM mentions GROUP BY type ORDER BY 2 DESC, 1"
            ),
            "statements": scalar("SELECT COUNT(*) FROM statements"),
            "statements_by_property": by(
                "SELECT property, COUNT(*) FROM statements GROUP BY property ORDER BY 2 DESC, 1"
            ),
            "entities": scalar("SELECT COUNT(*) FROM entities"),
            "entities_by_type": by(
                "SELECT type, COUNT(*) FROM entities GROUP BY type ORDER BY 2 DESC, 1"
            ),
            "events": scalar("SELECT COUNT(*) FROM events"),
            "events_by_type": by(
                "SELECT type, COUNT(*) FROM events GROUP BY type ORDER BY 2 DESC, 1"
            ),
            "judgements": scalar("SELECT COUNT(*) FROM judgements"),
            "judgements_by_kind": by(
                "SELECT kind, COUNT(*) FROM judgements GROUP BY kind ORDER BY 2 DESC, 1"
            ),
            "languages": by(
                "SELECT COALESCE(language, 'und'), COUNT(*) FROM documents "
                "GROUP BY 1 ORDER BY 2 DESC, 1"
            ),
            "publishers": by(
                "SELECT COALESCE(publisher, '?'), COUNT(*) FROM documents "
                "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50"
            ),
            "published_from": first,
            "published_to": last,
            "feed_items_seen": scalar("SELECT COUNT(*) FROM feed_items_seen"),
            "migrations": migrations.applied(conn),
            "db_bytes": scalar("PRAGMA page_count") * page_size
            + (wal.stat().st_size if wal.exists() else 0),
        }


def _document(row: Sequence[Any]) -> Document:
    return Document(
        id=row[0], sha256=row[1], source_uri=row[2], title=row[3], publisher=row[4],
        author=row[5], published=row[6], published_raw=row[7], language=row[8],
        ingested_at=row[9], content_type=row[10], reader=row[11], external_id=row[12],
        meta=json.loads(row[13]), text=row[14],
    )  # fmt: skip


def _upsert_entities(conn: sqlite3.Connection, entities: Sequence[dict[str, Any]]) -> int:
    return _upsert_entity_rows(conn, entity_rows(entities))


def _upsert_entity_rows(conn: sqlite3.Connection, rows: Sequence[EntityRow]) -> int:
    conn.executemany(
        "INSERT INTO entities (id, type, subtype, label, label_latin, attributes) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET type = excluded.type, "
        "subtype = excluded.subtype, label = excluded.label, "
        "label_latin = excluded.label_latin, attributes = excluded.attributes",
        rows,
    )
    return len(rows)
