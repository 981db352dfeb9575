"""Storing and reading documents: round trip, duplicates, transactions, stats."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from rasid.errors import NotFoundError, StoreError
from rasid.kb.migrations import migrations
from rasid.kb.store import Store, StoreItem
from rasid.model import Analysis, Mention, SourceLink, Statement

TEXT = (
    "قال أبو محمد الأمريكي إن جيش دابق يضم 1,500 مقاتل.\n"
    "وأضاف أن الجيش انسحب من منبج إلى الرقة في آذار 2016."
)


def _rich_analysis(make_analysis: Callable[..., Analysis]) -> Analysis:
    analysis = make_analysis(
        TEXT,
        title="جيش دابق",
        publisher="الرقة تذبح بصمت",
        published="2016-03-05",
        published_raw="5 آذار 2016",
        language="ar",
        source_uri="https://example.org/a",
        meta={"category": "تقارير"},
    )
    doc = analysis.document
    start = TEXT.index("أبو محمد الأمريكي")
    analysis.mentions = [
        Mention(start, start + len("أبو محمد الأمريكي"), "أبو محمد الأمريكي", "PERSON",
                norm="ابو محمد الامريكي", component="ner.test.v1", confidence=0.9),
        Mention(TEXT.index("1,500"), TEXT.index("1,500") + 5, "1,500", "QUANTITY",
                component="text.numbers.v1", value={"value": 1500}),
        Mention(TEXT.index("منبج"), TEXT.index("منبج") + 4, "منبج", "GPE", component="ner.test.v1"),
    ]  # fmt: skip
    analysis.statements = [
        Statement(
            subject="ent-army", property="strength", value="1500", document_id=doc.id,
            start=0, end=TEXT.index("\n"), qualifiers={"approximate": False},
            attribution=[SourceLink("الرقة تذبح بصمت", "publisher"),
                         SourceLink("أبو محمد الأمريكي", "quoted", start=start, end=start + 17)],
            certainty="reported", component="facts.test.v1",
        )
    ]  # fmt: skip
    analysis.events = [
        {"type": "withdrawal", "status": "past", "arguments": {"from": "منبج"},
         "start": TEXT.index("انسحب"), "end": TEXT.index("انسحب") + 5, "component": "facts.test.v1",
         "extra_note": "kept"},
    ]  # fmt: skip
    analysis.entities = [
        {"id": "ent-army", "type": "ORG", "label": "جيش دابق", "aliases": ["جيش الخلافة"]}
    ]
    analysis.components = ["text.tokens.v1", "ner.test.v1"]
    return analysis


def test_round_trip(make_analysis: Callable[..., Analysis], store: Store) -> None:
    analysis = _rich_analysis(make_analysis)
    doc = analysis.document
    assert store.add_analysis(analysis, content_key="ck", signature=b"\x01\x02") is True
    got = store.get_document(doc.id)
    assert got.document.text == TEXT
    assert got.document.title == "جيش دابق"
    assert got.document.meta == {"category": "تقارير"}
    assert got.document.ingested_at is not None
    assert got.content_key == "ck"
    assert got.components == ["text.tokens.v1", "ner.test.v1"]
    assert got.sentences == analysis.sentences
    assert [(m.start, m.end, m.type) for m in got.mentions] == sorted(
        (m.start, m.end, m.type) for m in analysis.mentions
    )
    person = got.mentions[0]
    assert TEXT[person.start : person.end] == person.text
    assert person.confidence == 0.9 and person.norm == "ابو محمد الامريكي"
    quantity = next(m for m in got.mentions if m.type == "QUANTITY")
    assert quantity.value == {"value": 1500}
    row = store.connection.execute(
        "SELECT sentence_idx FROM mentions WHERE type = 'GPE'"
    ).fetchone()
    assert row[0] == 1
    (statement,) = got.statements
    expected = analysis.statements[0]
    expected.sentence_index = 0  # the store fills it in from the evidence offsets
    assert statement == expected
    assert statement.attribution[1].role == "quoted"
    assert statement.certainty == "reported"
    (event,) = got.events
    assert event["type"] == "withdrawal"
    assert event["arguments"] == {"from": "منبج", "extra_note": "kept"}
    assert event["sentence_idx"] == 1
    assert store.stats()["entities_by_type"] == {"ORG": 1}
    assert list(store.iter_signatures()) == [(doc.id, b"\x01\x02")]
    assert got.to_analysis().document.id == doc.id


def test_adding_twice_keeps_one_document_and_records_the_new_source(
    make_analysis: Callable[..., Analysis], store: Store
) -> None:
    first = make_analysis(TEXT, source_uri="https://a.example/1", sha256="a" * 64)
    second = make_analysis(TEXT, source_uri="https://b.example/2", sha256="b" * 64)
    assert first.document.id == second.document.id
    assert store.add_analysis(first, content_key="k") is True
    assert store.add_analysis(second, content_key="k") is False
    assert store.add_analysis(second, content_key="k") is False  # same place again: no new row
    conn = store.connection
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 1
    assert conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0] == 2
    sources = store.get_document(first.document.id).sources
    assert [s.source_uri for s in sources] == ["https://a.example/1", "https://b.example/2"]
    assert store.search_count("منبج") == 1


def _counts(store: Store) -> dict[str, int]:
    tables = ("documents", "document_sources", "sentences", "mentions", "statements", "events",
              "entities", "minhash", "search_rows", "search_fts")  # fmt: skip
    return {t: store.connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}


def test_a_failure_mid_write_leaves_no_partial_rows(
    make_analysis: Callable[..., Analysis], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = _counts(store)

    def explode(*args: object) -> None:
        raise RuntimeError("killed while indexing")

    # Everything but the search rows is written by the time _index runs.
    monkeypatch.setattr(Store, "_index", explode)
    with pytest.raises(RuntimeError):
        store.add_analysis(_rich_analysis(make_analysis), content_key="ck", signature=b"sig")
    assert _counts(store) == empty
    monkeypatch.undo()
    assert store.add_analysis(_rich_analysis(make_analysis), content_key="ck") is True
    assert _counts(store)["documents"] == 1


def test_a_bad_item_rejects_the_whole_document(
    make_analysis: Callable[..., Analysis], store: Store
) -> None:
    analysis = _rich_analysis(make_analysis)
    analysis.events.append({"status": "no type"})
    with pytest.raises(StoreError, match="no type"):
        store.add_analysis(analysis, content_key="ck")
    assert _counts(store)["documents"] == 0
    with pytest.raises(StoreError, match="refused"):
        store.add_analysis(make_analysis(TEXT), content_key="ck", duplicate_of="doc-unknown")
    assert _counts(store)["documents"] == 0


def test_add_many_is_all_or_nothing(
    make_analysis: Callable[..., Analysis], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [
        StoreItem(make_analysis(f"نص رقم {i} عن منبج."), content_key=f"k{i}") for i in range(5)
    ]
    assert store.add_many(items) == [True] * 5
    assert store.add_many(items[:2]) == [False, False]
    bad = [StoreItem(make_analysis(f"نص آخر {i}."), content_key=f"x{i}") for i in range(3)]
    bad.append(StoreItem(make_analysis("نص مكرر."), content_key="d", duplicate_of="doc-nowhere"))
    with pytest.raises(StoreError):
        store.add_many(bad)
    assert _counts(store)["documents"] == 5


def test_duplicates_are_stored_but_not_searchable(
    make_analysis: Callable[..., Analysis], store: Store
) -> None:
    original = make_analysis("وصل الجيش إلى منبج.")
    copy = make_analysis("وصل  الجيش إلى منبج .")
    assert store.add_analysis(original, content_key="same") is True
    assert store.add_analysis(copy, content_key="same", duplicate_of=original.document.id)
    near = make_analysis("وصل الجيش إلى منبج أمس.")
    store.add_analysis(
        near, content_key="other", near_duplicate_of=original.document.id, near_similarity=0.8
    )
    assert store.find_by_content_key("same") == original.document.id
    assert store.find_by_content_key("missing") is None
    assert store.get_document(copy.document.id).duplicate_of == original.document.id
    assert store.get_document(near.document.id).near_similarity == 0.8
    assert {h.doc_id for h in store.search("منبج")} == {original.document.id, near.document.id}
    stats = store.stats()
    assert stats["documents"] == 3 and stats["duplicates"] == 1 and stats["near_duplicates"] == 1
    assert [d.id for d in store.iter_documents(include_duplicates=False)] == [
        original.document.id,
        near.document.id,
    ]
    assert len(list(store.iter_documents())) == 3


def test_signatures_come_back_in_storing_order(
    make_analysis: Callable[..., Analysis], store: Store
) -> None:
    expected, items = [], []
    for i in range(1203):  # more than one page
        analysis = make_analysis(f"خبر {i}.")
        signature = i.to_bytes(4, "big") * 8
        items.append(StoreItem(analysis, content_key=str(i), signature=signature))
        expected.append((analysis.document.id, signature))
    store.add_many(items)
    assert list(store.iter_signatures()) == expected


def test_lookups(store: Store, add: Callable[..., Analysis]) -> None:
    analysis = add("نص قصير عن الرقة.")
    doc_id = analysis.document.id
    assert store.has_document(doc_id)
    assert not store.has_document("doc-0000")
    assert not store.seen_url("https://example.org/feed/1")
    store.mark_url_seen("https://example.org/feed/1")
    store.mark_url_seen("https://example.org/feed/1")
    assert store.seen_url("https://example.org/feed/1")
    assert store.stats()["feed_items_seen"] == 1


def test_id_prefixes(make_analysis: Callable[..., Analysis], store: Store) -> None:
    # Find two texts whose ids share their first four hex digits.
    by_prefix: dict[str, Analysis] = {}
    for i in itertools.count():
        analysis = make_analysis(f"خبر رقم {i}.")
        prefix = analysis.document.id[4:8]
        if prefix in by_prefix:
            pair = (by_prefix[prefix], analysis)
            break
        by_prefix[prefix] = analysis
    for analysis in pair:
        store.add_analysis(analysis, content_key=analysis.document.id)
    first_id = pair[0].document.id
    assert store.get_document(first_id).id == first_id
    assert store.get_document(first_id[:12]).id == first_id
    assert store.get_document(first_id[4:12]).id == first_id  # without "doc-"
    with pytest.raises(NotFoundError, match="ambiguous") as info:
        store.get_document(first_id[4:8])
    assert first_id in str(info.value) and pair[1].document.id in str(info.value)
    with pytest.raises(NotFoundError, match="no document"):
        store.get_document("doc-ffffffffffffffff")
    with pytest.raises(NotFoundError, match="at least"):
        store.get_document("ab")
    with pytest.raises(NotFoundError):
        store.get_document("  ")


def test_stats(make_analysis: Callable[..., Analysis], store: Store) -> None:
    store.add_analysis(_rich_analysis(make_analysis), content_key="a")
    store.add_analysis(
        make_analysis("A report in English about Manbij.", language="en", publisher="Wire",
                      published="2018-01-02T10:00:00"),
        content_key="b",
    )  # fmt: skip
    store.add_judgement("accept", ["st-1"], author="analyst")
    stats = store.stats()
    assert stats["documents"] == 2
    assert stats["sentences"] == 3
    assert stats["mentions_by_type"] == {"GPE": 1, "PERSON": 1, "QUANTITY": 1}
    assert stats["statements_by_property"] == {"strength": 1}
    assert stats["events_by_type"] == {"withdrawal": 1}
    assert stats["judgements"] == 1 and stats["judgements_by_kind"] == {"accept": 1}
    assert stats["languages"] == {"ar": 1, "en": 1}
    assert stats["publishers"] == {"Wire": 1, "الرقة تذبح بصمت": 1}
    assert stats["published_from"] == "2016-03-05"
    assert stats["published_to"] == "2018-01-02T10:00:00"
    assert stats["db_bytes"] > 0
    assert stats["migrations"] == migrations.names


def test_judgements(store: Store) -> None:
    first = store.add_judgement("merge", ["ent-a", "ent-b"], author="rana", payload={"why": "same"})
    store.add_judgement("reject", ["st-9"], author="rana")
    listed = store.judgements()
    assert listed[0]["id"] == first
    assert listed[0]["target_ids"] == ["ent-a", "ent-b"] and listed[0]["payload"] == {"why": "same"}
    assert [j["kind"] for j in store.judgements("reject")] == ["reject"]
    with pytest.raises(StoreError, match="unknown judgement kind"):
        store.add_judgement("delete", ["x"], author="rana")
    with pytest.raises(StoreError, match="target"):
        store.add_judgement("accept", [], author="rana")
    store.clear_entities()  # the entity cache goes; judgements stay
    assert len(store.judgements()) == 2


def test_entities_upsert(store: Store) -> None:
    assert store.upsert_entities([{"id": "e1", "type": "PERSON", "label": "عمر الشيشاني"}]) == 1
    store.upsert_entities([{"id": "e1", "type": "PERSON", "label": "عمر الشيشاني",
                            "label_latin": "Omar al-Shishani"}])  # fmt: skip
    row = store.connection.execute("SELECT label_latin FROM entities WHERE id = 'e1'").fetchone()
    assert row[0] == "Omar al-Shishani"
    with pytest.raises(StoreError, match="lacks"):
        store.upsert_entities([{"id": "e2", "type": "PERSON"}])


def test_reopening_keeps_everything(make_analysis: Callable[..., Analysis], tmp_path: Path) -> None:
    path = tmp_path / "kb.db"
    with Store(path) as store:
        store.add_analysis(_rich_analysis(make_analysis), content_key="ck")
    with Store(path, create=False) as store:
        assert store.stats()["documents"] == 1
        assert store.search_count("الشيشاني OR الأمريكي") == 1


def test_without_tokens_or_sentences_the_store_makes_them(
    make_analysis: Callable[..., Analysis], store: Store
) -> None:
    analysis = make_analysis("قال القائد إن القوات وصلت إلى منبج. ثم انسحبت.")
    analysis.tokens = []
    analysis.sentences = []
    store.add_analysis(analysis, content_key="k")
    assert store.search_count("منبج") == 1
    stored = store.get_document(analysis.document.id)
    assert len(stored.sentences) == 2
    (hit,) = store.search("انسحبت")
    assert hit.sentence_idx == 1 and hit.snippet == "ثم انسحبت."


def test_replace_analysis_keeps_reviewed_statements(
    make_analysis: Callable[..., Analysis], store: Store
) -> None:
    first = _rich_analysis(make_analysis)
    store.add_analysis(first, content_key="ck", signature=b"sig")
    reviewed = first.statements[0].id
    store.connection.execute(
        "UPDATE statements SET review_status = 'accepted' WHERE id = ?", (reviewed,)
    )
    again = make_analysis(TEXT, source_uri="https://example.org/a")
    start = TEXT.index("الرقة")
    again.mentions = [Mention(start, start + 5, "الرقة", "GPE", component="ner.better.v2")]
    again.statements = [
        Statement(subject="ent-x", property="located_in", value="الرقة",
                  document_id=again.document.id, start=start, end=start + 5)
    ]  # fmt: skip
    again.components = ["ner.better.v2"]
    store.replace_analysis(again)
    got = store.get_document(first.document.id)
    assert [m.component for m in got.mentions] == ["ner.better.v2"]
    assert {st.id for st in got.statements} == {reviewed, again.statements[0].id}
    assert got.events == [] and got.components == ["ner.better.v2"]
    assert [s.source_uri for s in got.sources] == ["https://example.org/a"]
    assert list(store.iter_signatures()) == [(first.document.id, b"sig")]
    assert store.search_count("منبج") == 1
    rows = store.connection.execute("SELECT COUNT(*) FROM search_fts").fetchone()[0]
    assert rows == len(got.sentences) + 1  # and the stored title
    assert store.search_count("دابق") == 1
    with pytest.raises(NotFoundError, match="store it first"):
        store.replace_analysis(make_analysis("نص لم يخزن."))


def test_document_ids_and_content_keys_answer_as_the_single_look_ups(
    store: Store, make_analysis: Callable[..., Analysis]
) -> None:
    first = make_analysis("نص أول عن منبج.")
    copy = make_analysis("نص أول عن منبج!")
    other = make_analysis("نص آخر.")
    store.add_analysis(copy, content_key="k")  # stored first, but a copy of what comes next
    store.add_analysis(first, content_key="k")
    store.connection.execute(
        "UPDATE documents SET duplicate_of = ? WHERE id = ?",
        (first.document.id, copy.document.id),
    )
    store.add_analysis(other, content_key="k2")
    ids = {a.document.id for a in (first, copy, other)}
    assert store.document_ids() == ids
    keys = store.content_keys()
    assert keys == {key: store.find_by_content_key(key) for key in ("k", "k2")}
    assert keys["k"] == first.document.id
