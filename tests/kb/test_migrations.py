"""Opening a knowledge base: migrations, reopening, and files that are not one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from rasid.errors import StoreError
from rasid.kb.migrations import Migrations, migrations
from rasid.kb.store import Store


def test_new_store_records_its_migrations(tmp_path: Path) -> None:
    path = tmp_path / "kb.db"
    with Store(path) as store:
        assert store.migrations_applied == migrations.names
        assert store.migrations_applied[0] == "0001_initial"
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT name, applied_at FROM _migrations").fetchall()
    conn.close()
    assert [r[0] for r in rows] == migrations.names
    assert all(r[1] for r in rows)


def test_reopening_applies_nothing_again(tmp_path: Path) -> None:
    path = tmp_path / "kb.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    before = conn.execute("SELECT name, applied_at FROM _migrations").fetchall()
    conn.close()
    with Store(path) as store:
        assert migrations.apply(store.connection) == []
    conn = sqlite3.connect(path)
    after = conn.execute("SELECT name, applied_at FROM _migrations").fetchall()
    conn.close()
    assert after == before


def test_pragmas(store: Store) -> None:
    conn = store.connection
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_tables_exist(store: Store) -> None:
    names = {
        r[0]
        for r in store.connection.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
        )
    }
    for table in (
        "documents",
        "document_sources",
        "sentences",
        "mentions",
        "statements",
        "entities",
        "judgements",
        "events",
        "minhash",
        "feed_items_seen",
        "search_fts",
        "search_rows",
        "_migrations",
    ):
        assert table in names


def _memory() -> sqlite3.Connection:
    return sqlite3.connect(":memory:", isolation_level=None)


def test_migrations_run_in_order_once() -> None:
    calls: list[str] = []
    mine = Migrations()

    @mine("a")
    def _a(conn: sqlite3.Connection) -> None:
        calls.append("a")
        conn.execute("CREATE TABLE t (x)")

    @mine("b")
    def _b(conn: sqlite3.Connection) -> None:
        calls.append("b")
        conn.execute("ALTER TABLE t ADD COLUMN y")

    conn = _memory()
    assert mine.apply(conn) == ["a", "b"]
    assert mine.apply(conn) == []
    assert calls == ["a", "b"]
    assert mine.applied(conn) == ["a", "b"]

    @mine("c")
    def _c(conn: sqlite3.Connection) -> None:
        calls.append("c")

    assert mine.pending(conn) == ["c"]
    assert mine.apply(conn) == ["c"]
    assert calls == ["a", "b", "c"]


def test_a_failing_migration_is_rolled_back_and_not_recorded() -> None:
    mine = Migrations()

    @mine("good")
    def _good(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE t (x)")

    @mine("bad")
    def _bad(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE u (x)")
        raise RuntimeError("boom")

    conn = _memory()
    with pytest.raises(RuntimeError):
        mine.apply(conn)
    assert mine.applied(conn) == ["good"]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "t" in tables and "u" not in tables


def test_duplicate_migration_names_are_refused() -> None:
    mine = Migrations()
    mine("x")(lambda conn: None)
    with pytest.raises(ValueError, match="defined twice"):
        mine("x")(lambda conn: None)


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kb.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _migrations VALUES ('9999_from_the_future', '2100-01-01')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer version"):
        Store(path)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("هذا ليس قاعدة بيانات\n" * 20, encoding="utf-8")
    with pytest.raises(StoreError, match="not a SQLite database"):
        Store(path)
    assert path.read_text(encoding="utf-8").startswith("هذا")  # untouched


def test_another_applications_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a rasid knowledge base"):
        Store(path)


def test_create_false_and_missing_paths(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no knowledge base"):
        Store(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "no" / "such" / "kb.db")
    with pytest.raises(StoreError, match="directory"):
        Store(tmp_path)


def test_an_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with Store(path) as store:
        assert store.migrations_applied == migrations.names


def test_readonly_store_reads_but_does_not_write(tmp_path: Path) -> None:
    path = tmp_path / "kb.db"
    Store(path).close()
    with Store(path, readonly=True) as store:
        assert store.stats()["documents"] == 0
        with pytest.raises(StoreError):
            store.mark_url_seen("https://example.org/a")
    with pytest.raises(StoreError, match="no knowledge base"):
        Store(tmp_path / "absent.db", readonly=True)
