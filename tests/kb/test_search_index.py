"""The indexes behind search: per-document rows, entity names, and their upgrades.

Migrations 0002-0004 add them to knowledge bases written before; these tests
build such a base (the schema of 0001 with documents and entities in it),
open it, and check the indexes hold what the writers would have written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from rasid.kb.migrations import migrations
from rasid.kb.names import containing_sql, spelled_sql
from rasid.kb.query import Phrase, phrase_in_row
from rasid.kb.search import Filters, search_page
from rasid.kb.store import Store
from rasid.model import Analysis

Add = Callable[..., Analysis]

_ENTITIES = [
    {"id": "ent-manbij", "type": "GPE", "label": "منبج", "label_latin": "Manbij",
     "attributes": {"latin_names": ["Manbij", "Menbij"]}},
    {"id": "ent-army", "type": "ORG", "label": "جيش الخلافة", "label_latin": None,
     "attributes": {}},
    {"id": "ent-un", "type": "ORG", "label": "الأمم المتحدة", "label_latin": "UN",
     "attributes": {"latin_names": ["UN", "United Nations"]}},
]  # fmt: skip


def _doc_rows(store: Store) -> dict[str, str]:
    rows = store.connection.execute(
        "SELECT r.doc_id, f.terms FROM search_doc_rows r "
        "JOIN search_doc_fts f ON f.rowid = r.id ORDER BY r.doc_id"
    )
    return dict(rows.fetchall())


def _name_rows(store: Store) -> set[tuple[str, str, str | None, str | None]]:
    rows = store.connection.execute(
        "SELECT entity_id, label, label_latin, latin_names FROM entity_names_fts"
    )
    return set(rows.fetchall())


def _as_before_the_search_indexes(path: Path) -> None:
    """Take the knowledge base back to the schema of migration 0001 alone."""
    conn = sqlite3.connect(path, isolation_level=None)
    later = migrations.names[1:]
    for statement in (
        "DROP TABLE search_doc_rows",
        "DROP TABLE search_doc_fts",
        "DROP TABLE entity_names_fts",
        "DROP TRIGGER entities_names_insert",
        "DROP TRIGGER entities_names_update",
        "DROP TRIGGER entities_names_delete",
        "DROP INDEX mentions_doc_type",
        "DROP INDEX mentions_type_norm_entity",
        "CREATE INDEX mentions_type_norm ON mentions(type, norm)",
        "DROP INDEX documents_filters",
    ):
        conn.execute(statement)
    conn.execute(f"DELETE FROM _migrations WHERE name IN ({','.join('?' * len(later))})", later)
    conn.close()


def test_an_older_knowledge_base_gets_the_indexes_on_opening(tmp_path: Path, add: Add) -> None:
    # ``add`` writes to the ``store`` fixture's file; build it, then age it.
    store_path = tmp_path / "kb.db"
    add(
        "وصلت القوات إلى منبج. وقال بيان جيش الخلافة إن الرتل انسحب.",
        title="تقرير منبج",
        published="2016-05-01",
    )
    add("نص آخر عن الرقة.")
    with Store(store_path) as store:
        store.upsert_entities(_ENTITIES)
        written_docs = _doc_rows(store)
        written_names = _name_rows(store)
        before = [h.doc_id for h in store.search("منبج")]
    assert len(written_docs) == 2 and len(written_names) == 3
    _as_before_the_search_indexes(store_path)
    with Store(store_path) as store:
        assert store.migrations_applied == migrations.names
        # What the migrations built is what the writers write.
        assert _doc_rows(store) == written_docs
        assert _name_rows(store) == written_names
        assert [h.doc_id for h in store.search("منبج")] == before
        assert [h.doc_id for h in store.search("منبج", date_from="2016-05")] == before
        store.connection.execute(
            "INSERT INTO search_doc_fts (search_doc_fts) VALUES ('integrity-check')"
        )


def test_name_index_follows_every_write(store: Store) -> None:
    store.upsert_entities(_ENTITIES)
    store.upsert_entities([{**_ENTITIES[1], "label": "جيش الخلافة الإسلامية"}])
    names = {row[0]: row for row in _name_rows(store)}
    assert names["ent-army"][1] == "جيش الخلافة الإسلامية"
    assert names["ent-manbij"][3] == "Manbij\nMenbij"
    assert names["ent-army"][3] is None
    # An unchanged upsert leaves the index as it is; a new Latin name re-indexes.
    store.upsert_entities(_ENTITIES[:1])
    assert _name_rows(store) == set(names.values())
    store.upsert_entities(
        [{**_ENTITIES[0], "attributes": {"latin_names": ["Manbij", "Minbij"], "mentions": 3}}]
    )
    assert {row[0]: row for row in _name_rows(store)}["ent-manbij"][3] == "Manbij\nMinbij"
    store.upsert_entities([{**_ENTITIES[2], "label_latin": "U.N."}])
    assert {row[0]: row for row in _name_rows(store)}["ent-un"][2] == "U.N."
    store.connection.execute("DELETE FROM entities WHERE id = 'ent-un'")
    assert set(names) - {row[0] for row in _name_rows(store)} == {"ent-un"}
    store.clear_entities()
    assert _name_rows(store) == set()


def _ids(store: Store, sql_params: tuple[str, list[object]]) -> set[str]:
    sql, params = sql_params
    return {row[0] for row in store.connection.execute(sql, params)}


def test_names_containing_text_indexed_or_scanned(store: Store) -> None:
    store.upsert_entities(_ENTITIES)
    assert _ids(store, containing_sql("الخلافة", ("label",))) == {"ent-army"}
    assert _ids(store, containing_sql("manbij", ("label", "label_latin"))) == {"ent-manbij"}
    # Under three characters the trigram index has nothing: a scan answers.
    assert _ids(store, containing_sql("UN", ("label_latin",))) == {"ent-un"}
    # LIKE's wildcards in the text are text.
    assert _ids(store, containing_sql("ا_ل", ("label",))) == set()
    assert _ids(store, containing_sql("%", ("label",))) == set()


def test_names_spelled_exactly_case_aside(store: Store) -> None:
    store.upsert_entities(_ENTITIES)
    assert _ids(store, spelled_sql("menbij")) == {"ent-manbij"}
    assert _ids(store, spelled_sql("MANBIJ")) == {"ent-manbij"}
    assert _ids(store, spelled_sql("Manbi")) == set()  # contained is not spelled
    assert _ids(store, spelled_sql("United Nations")) == {"ent-un"}
    assert _ids(store, spelled_sql("un")) == {"ent-un"}


@pytest.mark.parametrize(
    ("row", "phrase", "found"),
    [
        ("قال/ال جيش خلافه/الخلافه", Phrase(("جيش", "خلافه")), True),
        ("قال جيش/ال خلافه", Phrase(("جيش", "خلافه")), True),
        ("جيش قال خلافه", Phrase(("جيش", "خلافه")), False),
        ("جيشان خلافه", Phrase(("جيش", "خلافه")), False),
        ("ا/جيش خلافهم", Phrase(("جيش", "خلافه"), prefix=True), True),
        ("جيش خلافهم", Phrase(("جيش", "خلافه")), False),
        ("x/جيش y/خلافه/z", Phrase(("جيش", "خلافه")), True),
        ("جيش", Phrase(("جيش", "خلافه")), False),
    ],
)
def test_phrases_are_checked_token_by_token(row: str, phrase: Phrase, found: bool) -> None:
    assert phrase_in_row(row, phrase) is found


def test_pages_say_whether_more_follow(store: Store, add: Add) -> None:
    for i in range(5):
        add(f"تقرير رقم {i} عن منبج " + "منبج " * i)
    conn = store.connection
    pages = [search_page(conn, "منبج", Filters(), limit=2, offset=o) for o in (0, 2, 4, 6)]
    assert [(len(hits), more) for hits, more in pages] == [
        (2, True),
        (2, True),
        (1, False),
        (0, False),
    ]
    ranked = [h.doc_id for h in store.search("منبج", limit=10)]
    assert [h.doc_id for hits, _ in pages for h in hits] == ranked
    assert store.search_count("منبج") == 5


def test_a_new_analysis_replaces_the_document_row(store: Store, add: Add) -> None:
    analysis = add("وصلت القوات إلى منبج.")
    doc_id = analysis.document.id
    assert [h.doc_id for h in store.search("منبج")] == [doc_id]
    store.replace_analysis(analysis)  # the same text analysed again: one row still
    rows = store.connection.execute(
        "SELECT COUNT(*) FROM search_doc_rows WHERE doc_id = ?", (doc_id,)
    ).fetchone()[0]
    assert rows == 1
    assert store.connection.execute("SELECT COUNT(*) FROM search_doc_fts").fetchone()[0] == 1
    assert [h.doc_id for h in store.search("منبج")] == [doc_id]
