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
