"""JSONL (plain and gzipped) and CSV/TSV corpora: per-record documents and failures."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from rasid.ingest.base import ReadFailure, ReadStats
from rasid.model import Document


def test_jsonl_fixture_records_and_line_failures(fixtures: Path, read_all) -> None:
    path = fixtures / "corpus.jsonl"
    docs, failures = read_all([path])
    base = str(path.resolve())
    assert [d.source_uri for d in docs] == [f"{base}#id=AL-world-1-20180218", f"{base}#line=5"]
    first = docs[0]
    assert first.title == "مقتل جنديين في هجوم"
    assert first.publisher == "Alarabia"
    assert first.author == "بغداد - العربية"
    assert first.external_id == "AL-world-1-20180218"
    assert first.published_raw == "Sun, 18 Feb 2018 21:35:43 +0400"
    assert first.published == "2018-02-18T21:35:43+04:00"
    assert first.meta["url"] == "https://www.alarabiya.net/ar/1.html"
    assert first.meta["category"] == "world"
    assert first.meta["abstract"] == "ملخص"
    assert first.reader == "ingest.jsonl.v1"
    line1 = path.read_bytes().split(b"\n")[0]
    assert first.sha256 == hashlib.sha256(line1).hexdigest()
    assert docs[1].published == "2018-02-19"
    assert [(f.source, f.code, f.reason) for f in failures] == [
        (
            f"{base}#line=2",
            "malformed",
            'line 2 has no "text" field (fields found: id, source, title)',
        ),
        (
            f"{base}#line=3",
            "malformed",
            "line 3 is not valid JSON: Expecting ',' delimiter at column 52",
        ),
    ]


def test_jsonl_gz_streams_every_record(tmp_path: Path, read_all) -> None:
    path = tmp_path / "news.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for i in range(500):
            record = {"id": f"n{i}", "source": "BBC", "text": f"خبر رقم {i} عن الموصل"}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        handle.write("[1, 2]\n")
    stats = ReadStats()
    docs, failures = read_all([path], stats=stats)
    assert len(docs) == 500
    assert docs[499].text == "خبر رقم 499 عن الموصل"
    assert failures[0].reason == 'line 501 is a JSON list, not an object with a "text" field'
    assert stats.by_reader == {"ingest.jsonl.v1": 500}


def test_invalid_utf8_line_fails_alone(tmp_path: Path, read_all) -> None:
    path = tmp_path / "mixed.jsonl"
    good = json.dumps({"text": "سطر سليم"}, ensure_ascii=False).encode("utf-8")
    bad = b'{"text": "' + "سطر".encode("cp1256") + b'"}'
    path.write_bytes(good + b"\n" + bad + b"\r\n" + good + b"\n")
    docs, failures = read_all([path])
    assert len(docs) == 2
    assert failures[0].code == "encoding"
    assert failures[0].reason.startswith("line 2 is not valid UTF-8")


def test_truncated_gzip_keeps_what_was_read(tmp_path: Path, read_all) -> None:
    blob = gzip.compress(
        "".join(
            json.dumps({"text": f"خبر {i} " * 40}, ensure_ascii=False) + "\n" for i in range(200)
        ).encode("utf-8")
    )
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(blob[: len(blob) // 2])
    docs, failures = read_all([path])
    assert 0 < len(docs) < 200
    assert len(failures) == 1
    assert failures[0].code == "unreadable"
    assert "compressed data is damaged" in failures[0].reason


def test_csv_fixture_with_multiline_field(fixtures: Path, read_all) -> None:
    path = fixtures / "corpus.csv"
    docs, failures = read_all([path])
    base = str(path.resolve())
    assert [d.source_uri for d in docs] == [f"{base}#id=c1", f"{base}#id=c3"]
    assert docs[0].text == "نص الخبر الأول، وفيه فاصلة وسطر\nثان داخل الحقل."
    assert docs[0].meta["line"] == 2
    assert docs[1].meta["line"] == 5
    # csv writes \r\n between records; the field's own line break is a bare \n.
    raw_records = path.read_bytes().split(b"\r\n")
    assert docs[1].sha256 == hashlib.sha256(raw_records[3]).hexdigest()
    assert [(f.source, f.code) for f in failures] == [(f"{base}#id=c2", "empty")]


def test_tsv_in_windows_1256(tmp_path: Path, read_all) -> None:
    path = tmp_path / "legacy.tsv"
    rows = ["id\ttitle\ttext", "t1\tعنوان\tنص عربي قديم الترميز عن حلب", "t2\tناقص"]
    path.write_bytes("\r\n".join(rows).encode("cp1256"))
    docs, failures = read_all([path])
    assert [d.text for d in docs] == ["نص عربي قديم الترميز عن حلب"]
    assert docs[0].reader == "ingest.csv.v1"
    assert failures[0].reason == "line 3 has 2 fields but the header has 3"


def test_csv_without_text_column_fails_for_the_file(tmp_path: Path, read_all) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("id,body\n1,نص\n", encoding="utf-8")
    docs, failures = read_all([path])
    assert docs == []
    assert failures[0].code == "malformed"
    assert 'no "text" column (columns: id, body)' in failures[0].reason


@pytest.mark.shared
def test_ant_news_corpus_streams(news_path: Path, read_all) -> None:
    from itertools import islice

    from rasid.ingest.readers import iter_inputs

    results = list(islice(iter_inputs([str(news_path)]), 300))
    docs = [r for r in results if isinstance(r, Document)]
    assert len(docs) >= 295
    assert all(d.external_id and d.source_uri.endswith(f"#id={d.external_id}") for d in docs)
    assert all(d.published and d.published.startswith(("2018", "2017", "2014")) for d in docs[:50])
    assert not any(isinstance(r, ReadFailure) and r.code == "malformed" for r in results)


def test_json_array_items_keep_their_original_bytes(tmp_path: Path, read_all) -> None:
    path = tmp_path / "export.json"
    item = '{\n    "title": "عنوان",\n    "text": "نص المادة الأولى"\n  }'
    path.write_text(
        f'[\n  {item},\n  {{"id": "b2", "text": "نص ثان"}},\n  "نص بلا كائن",\n  {{"title": "بلا نص"}}\n]\n',
        encoding="utf-8",
    )
    docs, failures = read_all([path])
    base = str(path.resolve())
    assert [(d.source_uri, d.text) for d in docs] == [
        (f"{base}#item=1", "نص المادة الأولى"),
        (f"{base}#id=b2", "نص ثان"),
    ]
    assert docs[0].sha256 == hashlib.sha256(item.encode("utf-8")).hexdigest()
    assert docs[0].meta == {"item": 1}
    assert docs[0].reader == "ingest.json.v1"
    assert [(f.source, f.code, f.reason) for f in failures] == [
        (f"{base}#item=3", "malformed", 'item 3 is a JSON str, not an object with a "text" field'),
        (f"{base}#item=4", "malformed", 'item 4 has no "text" field (fields found: title)'),
    ]


def test_single_json_object_and_json_lines_named_json(tmp_path: Path, read_all) -> None:
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"text": "مادة واحدة", "title": "ت"}, indent=2), encoding="utf-8")
    lines = tmp_path / "many.json"
    lines.write_text('{"text": "أ"}\n{"text": "ب"}\n', encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('[{"text": "أ"},', encoding="utf-8")
    docs, failures = read_all([single, lines, broken])
    assert [d.source_uri for d in docs] == [
        str(single.resolve()),
        f"{lines.resolve()}#line=1",
        f"{lines.resolve()}#line=2",
    ]
    assert docs[0].sha256 == hashlib.sha256(single.read_bytes()).hexdigest()
    assert [(f.code, f.reason) for f in failures] == [
        ("malformed", "not valid JSON: Expecting value at line 1 column 16")
    ]


def test_a_file_that_is_not_json_lines_stops_after_20_bad_lines(tmp_path: Path, read_all) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_text("".join(f"ملاحظة رقم {i}\n" for i in range(1000)), encoding="utf-8")
    docs, failures = read_all([path])
    assert docs == []
    assert len(failures) == 21
    assert failures[-1].source == str(path.resolve())
    assert failures[-1].reason.startswith("stopped after 20 bad lines without one good record")
