"""The ingest workflow end to end: readers → pipeline → store, de-duplication, crash safety."""

from __future__ import annotations

import gc
import gzip
import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rasid.kb.store import Store
from rasid.text.sentences import split_sentences
from rasid.workflows import (
    Analyzer,
    ExtractRequest,
    analysis_to_json,
    document_from_request,
    ingest,
    parse_jsonl_requests,
)

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "examples"


def test_bundled_examples_go_in_once(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    first = ingest([str(BUNDLED)], db)
    assert first.failed == []
    assert first.taken_in == 4  # three .txt reports and one .html page (see docs/examples.md)
    second = ingest([str(BUNDLED)], db)
    assert second.taken_in == 0
    assert second.already_known == first.taken_in
    with Store(db) as store:
        assert store.stats()["documents"] == first.taken_in


def test_examples_searchable_and_shown(tmp_path: Path, examples_dir: Path) -> None:
    db = tmp_path / "kb.db"
    report = ingest([str(examples_dir)], db)
    assert report.taken_in == 2 and report.failed == []
    assert ingest([str(examples_dir)], db).taken_in == 0
    with Store(db) as store:
        hits = store.search("جيش دابق")
        assert hits and hits[0].source_uri.endswith("raqqa-caliphate-army.txt")
        text = store.get_document(hits[0].doc_id).document.text
        assert {text[s:e] for s, e in hits[0].highlights} <= {"جيش", "دابق", "لجيش", "بجيش"}
        manbij = store.search("منبج")
        assert manbij and manbij[0].source_uri.endswith("raqqa-caliphate-army.txt")
        assert any("منبج" in text[s:e] for s, e in manbij[0].highlights)
        stored = store.get_document(hits[0].doc_id)
        assert stored.document.sha256 and len(stored.document.sha256) == 64
        assert stored.document.language == "ar"
        assert stored.sentences


def test_failures_reported_and_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "أعلن الجيش العراقي السيطرة على حي الأندلس في الموصل.", "utf-8"
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "legacy.txt").write_bytes(
        "قالت وكالة الأنباء إن الاشتباكات تواصلت في ريف حلب.".encode("cp1256")
    )
    (folder / "wide.txt").write_bytes(
        "سيطرت القوات على مدينة منبج بعد معارك عنيفة.".encode("utf-16")
    )
    lines = [
        json.dumps({"text": "خبر أول عن مدينة الرقة وسد تشرين"}, ensure_ascii=False),
        "{not json",
        "",
    ]
    (folder / "corpus.jsonl").write_text("\n".join(lines), "utf-8")
    db = tmp_path / "kb.db"
    thresholds = gc.get_threshold()
    report = ingest([str(folder), str(tmp_path / "missing.txt")], db)
    # The collector runs rarely during an ingest, as before once it is over.
    assert gc.get_threshold() == thresholds
    assert report.taken_in == 4
    failed = {Path(f["source"].split("#")[0]).name for f in report.failed}
    assert {"empty.txt", "binary.bin", "corpus.jsonl", "missing.txt"} <= failed
    assert all(f["reason"] for f in report.failed)
    assert report.exit_code == 3
    with Store(db) as store:
        assert store.search("حلب") and store.search("منبج")


def test_near_duplicate_is_kept_and_linked(tmp_path: Path) -> None:
    base = (
        "أعلنت قوات سوريا الديمقراطية سيطرتها الكاملة على مدينة منبج في ريف حلب الشرقي بعد معارك "
        "استمرت أكثر من شهرين مع عناصر تنظيم الدولة الإسلامية، وقال متحدث باسم المجلس العسكري إن "
        "مقاتلي التنظيم انسحبوا باتجاه مدينة جرابلس قرب الحدود التركية."
    )
    copy = base + " وأضاف أن المدنيين بدأوا بالعودة."
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(base, "utf-8")
    (folder / "b.txt").write_text(copy, "utf-8")
    (folder / "c.txt").write_text(
        "ـ" + base.replace("قوات", "قوّات"), "utf-8"
    )  # same once normalised
    db = tmp_path / "kb.db"
    report = ingest([str(folder)], db, near_threshold=0.7)
    assert report.taken_in == 3
    assert report.near_duplicates == 1 and report.duplicates == 1
    with Store(db) as store:
        assert store.stats()["documents"] == 3


def test_worker_leaves_out_tokens_only_when_nothing_needs_them() -> None:
    from rasid.model import Document
    from rasid.workflows import _init_worker, _worker_prepare

    text = "قالت مصادر محلية إن 3 مقاتلين قتلوا في اشتباكات قرب منبج يوم 5 آذار."
    document = Document(text=text, sha256="0" * 64, source_uri="test", language="ar")
    _init_worker("text")
    prepared = _worker_prepare(document)
    full = Analyzer("text")(document)
    # Same record of what ran, same mentions; tokens are not built for the writer.
    assert prepared.components == full.components
    assert "text.tokens.v1" in full.components
    assert full.tokens
    # Without entities nothing can re-point the rows: the objects are not sent.
    assert not full.entities and prepared.objects is None
    # The rows the writer binds are those the store builds from the whole analysis.
    from rasid.kb.rows import analysis_rows

    assert prepared.rows == analysis_rows(full)
    assert prepared.rows is not None and prepared.rows.mentions
    lean = Analyzer("text")(document, leave_out=("tokens",))
    assert lean.tokens == [] and lean.components == full.components
    # A later component that requires tokens keeps them.
    from rasid.pipeline import Component, Pipeline, registry

    needs = Component("needs", "v1", lambda a: None, requires=("tokens",))
    pipeline = Pipeline([registry.create("text.tokens"), needs])
    assert pipeline(document, leave_out=("tokens",)).tokens


def test_extract_json_shape_and_offsets() -> None:
    text = "قال المقدم مهند التميمي إن نحو 1500 عنصر من داعش ما زالوا في الموصل الشهر الماضي."
    document = document_from_request(ExtractRequest(text=text, published="2017-03-05"))
    result = analysis_to_json(Analyzer()(document))
    assert {"mentions", "entities", "statements", "events", "sentences"} <= result.keys()
    for mention in result["mentions"]:
        assert text[mention["start"] : mention["end"]] == mention["text"]
    assert any(m["type"] == "QUANTITY" for m in result["mentions"])


def test_jsonl_requests_report_bad_lines() -> None:
    parsed = list(parse_jsonl_requests(['{"id": 1, "text": "نص"}', "nope", '{"title": "x"}']))
    assert isinstance(parsed[0], ExtractRequest) and parsed[0].id == "1"
    assert isinstance(parsed[1], str) and "line 2" in parsed[1]
    assert isinstance(parsed[2], str) and "line 3" in parsed[2]


@pytest.mark.slow
def test_killed_ingest_leaves_whole_documents_and_resumes(tmp_path: Path, news_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    with gzip.open(news_path, "rt", encoding="utf-8") as source:
        corpus.write_text("".join(itertools.islice(source, 2000)), "utf-8")
    db = tmp_path / "kb.db"
    command = [sys.executable, "-m", "rasid", "ingest", str(corpus), "--db", str(db), "--json"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            time.sleep(0.5)
            if db.exists() and _count(db, "documents") >= 150:
                break
        else:
            pytest.fail("ingest did not store 150 documents in 240 s")
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    # The database opens and holds only whole documents.
    with Store(db) as store:
        partial = store.stats()["documents"]
        assert 0 < partial < 2000
    connection = sqlite3.connect(db)
    rows = connection.execute(
        "SELECT d.id, d.text, COUNT(s.idx) FROM documents d LEFT JOIN sentences s ON s.doc_id = d.id "
        "GROUP BY d.id"
    ).fetchall()
    connection.close()
    for _doc_id, text, sentence_count in rows:
        assert sentence_count == len(split_sentences(text))
    # A re-run completes the rest with exactly one copy of each document.
    report = ingest([str(corpus)], db)
    assert report.failed == []
    with Store(db) as store:
        total = store.stats()["documents"]
    assert report.already_known >= partial
    connection = sqlite3.connect(db)
    distinct = connection.execute("SELECT COUNT(DISTINCT id), COUNT(*) FROM documents").fetchone()
    keys = connection.execute("SELECT COUNT(DISTINCT text) FROM documents").fetchone()[0]
    connection.close()
    assert distinct[0] == distinct[1] == total == keys
    texts = {json.loads(line)["text"] for line in corpus.read_text("utf-8").splitlines()}
    assert total == len({t for t in texts if t.strip()})


def _count(db: Path, table: str) -> int:
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.Error:
        return 0


def test_worker_processes_give_the_same_store(tmp_path: Path) -> None:
    records = [
        {
            "id": str(i),
            "text": f"قالت مصادر محلية إن {i + 2} مقاتلين قتلوا في اشتباكات قرب منبج يوم {i + 1} آذار.",
        }
        for i in range(12)
    ]
    records += records[:3]  # repeated records: recorded as extra sources, never analysed twice
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    serial = ingest([str(corpus)], tmp_path / "one.db", workers=1)
    parallel = ingest([str(corpus)], tmp_path / "two.db", workers=2)
    assert (
        (serial.taken_in, serial.already_known)
        == (parallel.taken_in, parallel.already_known)
        == (12, 3)
    )
    counts = []
    for name in ("one.db", "two.db"):
        connection = sqlite3.connect(tmp_path / name)
        counts.append(
            [
                connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("documents", "document_sources", "mentions", "sentences")
            ]
        )
        connection.close()
    assert counts[0] == counts[1]


def test_entity_rows_written_once_and_the_last_kept_for_unmentioned(tmp_path: Path) -> None:
    from rasid.kb.rows import entity_rows
    from rasid.model import Analysis, Document, Mention
    from rasid.workflows import _EntityWrites

    def entity(entity_id: str, label: str) -> dict[str, object]:
        return {"id": entity_id, "type": "PERSON", "label": label}

    with Store(tmp_path / "kb.db") as store:
        text = "قال أحمد إن الوضع هادئ."
        document = Document(text=text, sha256="0" * 64, source_uri="t")
        mention = Mention(4, 8, "أحمد", "PERSON", entity_id="ent-a")
        store.add_analysis(Analysis(document=document, mentions=[mention]), content_key="k")
        store.upsert_entities([entity("ent-old", "قديم")])
        writes = _EntityWrites({"ent-old"})
        first = entity_rows([entity("ent-a", "أحمد"), entity("ent-s", "سعيد")])
        assert writes.first_seen(first) == first  # new ones are written with their document
        store.upsert_entity_rows(first)
        again = entity_rows([entity("ent-a", "أحمد 2"), entity("ent-s", "سعيد 2")])
        stored = entity_rows([entity("ent-old", "قديم 2")])
        assert writes.first_seen(again) == [] and writes.first_seen(stored) == []
        writes.write_unmentioned(store)
        labels = dict(store.connection.execute("SELECT id, label FROM entities").fetchall())
    # Entities no mention names end with the last row given, as if upserted each time;
    # the others are left to the assembly from their mentions.
    assert labels == {"ent-a": "أحمد", "ent-s": "سعيد 2", "ent-old": "قديم 2"}


def test_parallel_ingest_refuses_an_unknown_pipeline_before_starting(tmp_path: Path) -> None:
    from rasid.errors import PipelineError

    corpus = tmp_path / "c.txt"
    corpus.write_text("قالت مصادر محلية إن 3 مقاتلين قتلوا.", "utf-8")
    with pytest.raises(PipelineError, match="unknown pipeline"):
        ingest([str(corpus)], tmp_path / "kb.db", workers=2, pipeline="nope")
