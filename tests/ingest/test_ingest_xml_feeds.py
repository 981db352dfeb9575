"""TREC-style XML collections, other XML, RSS and Atom feeds."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rasid.ingest.base import ReadStats
from rasid.model import Document


def test_trec_collection(fixtures: Path, read_all) -> None:
    path = fixtures / "trec-sample.xml"
    docs, failures = read_all([path])
    base = str(path.resolve())
    assert [d.external_id for d in docs] == ["SKY-politics-101-20180305", "BBC-world-7-20180306"]
    first, second = docs
    assert first.source_uri == f"{base}#id=SKY-politics-101-20180305"
    assert first.title == "قوات سوريا الديمقراطية تسحب مقاتلين من دير الزور"
    assert first.publisher == "Sky News Arabia"
    assert first.published == "2018-03-05T14:20:00+04:00"
    assert first.meta["url"] == "https://www.skynewsarabia.com/middle-east/101"
    assert first.meta["dateline"] == "أبوظبي - سكاي نيوز عربية"
    assert first.text.split("\n") == [
        "أعلنت قوات سوريا الديمقراطية، الاثنين، سحب نحو 1700 مقاتل من جبهات القتال ضد تنظيم داعش في ريف دير الزور الشرقي.",
        "وقال المتحدث باسم القوات إن المقاتلين سيتوجهون إلى عفرين & المناطق المحيطة بها.",
    ]
    raw = path.read_text(encoding="utf-8")
    block = raw[raw.index("<DOC>") : raw.index("</DOC>") + len("</DOC>")]
    assert first.sha256 == hashlib.sha256(block.encode("utf-8")).hexdigest()
    assert first.reader == "ingest.trec.v1"
    # lenient tag names: TITLE/DATE_TIME/AUTHOR/BODY
    assert second.title == "الأمم المتحدة تحذر من أزمة إنسانية في الغوطة الشرقية"
    assert second.author == "بي بي سي عربي"
    assert second.published == "2018-03-06T09:15:00+00:00"
    assert second.text.startswith("حذرت الأمم المتحدة")
    assert [(f.source, f.code) for f in failures] == [
        (f"{base}#id=CNN-tech-3-20180307", "malformed")
    ]
    assert "has no <TEXT>" in failures[0].reason


def test_trec_without_xml_prolog_or_root_and_sgml_extension(tmp_path: Path, read_all) -> None:
    path = tmp_path / "ar.sgml"
    path.write_bytes(
        "<DOC>\n<DOCNO>A1</DOCNO>\n<TEXT>\nنص أول & بلا ترميز\n</TEXT>\n</DOC>\n"
        "<DOC>\n<DOCNO>A2</DOCNO>\n<TEXT>\nنص ثان\n</TEXT>\n</DOC>\n".encode("cp1256")
    )
    docs, failures = read_all([path])
    assert failures == []
    assert [(d.external_id, d.text) for d in docs] == [
        ("A1", "نص أول & بلا ترميز"),
        ("A2", "نص ثان"),
    ]


def test_other_xml_is_refused_clearly(tmp_path: Path, read_all) -> None:
    path = tmp_path / "config.xml"
    path.write_text('<?xml version="1.0"?>\n<settings><item>1</item></settings>\n')
    docs, failures = read_all([path])
    assert docs == []
    assert failures[0].code == "unsupported"
    assert failures[0].reason.startswith("XML with root <settings> is not a format rasid reads")


def test_rss_items_become_documents_and_seen_ones_are_skipped(fixtures: Path, read_all) -> None:
    seen = {"https://example.org/news/0"}
    asked: list[str] = []

    def seen_urls(url: str) -> bool:
        asked.append(url)
        return url in seen

    stats = ReadStats()
    docs, failures = read_all([fixtures / "feed.rss"], seen_urls=seen_urls, stats=stats)
    assert failures == []
    assert [d.source_uri for d in docs] == [
        "https://example.org/news/1",
        "https://example.org/news/2",
    ]
    assert stats.skipped_seen == 1
    assert asked == [
        "https://example.org/news/1",
        "https://example.org/news/2",
        "https://example.org/news/0",
    ]
    first = docs[0]
    assert (
        first.text == "شنت طائرات التحالف غارات على ريف الرقة الشمالي.\nوأفاد ناشطون بسقوط ضحايا."
    )
    assert "track" not in first.text
    assert first.title == "قصف جوي على ريف الرقة الشمالي"
    assert first.publisher == "الرقة تذبح بصمت"
    assert first.author == "مراسل الرقة"
    assert first.external_id == "raqqa-1"
    assert first.published_raw == "Tue, 06 Mar 2018 10:00:00 +0000"
    assert first.published == "2018-03-06T10:00:00+00:00"
    assert first.content_type == "application/rss+xml"
    raw = (fixtures / "feed.rss").read_bytes()
    item = raw[raw.index(b"<item>") : raw.index(b"</item>") + len(b"</item>")]
    assert first.sha256 == hashlib.sha256(item).hexdigest()


def test_without_seen_callback_every_item_is_read(fixtures: Path, read_all) -> None:
    docs, _ = read_all([fixtures / "feed.rss"])
    assert len(docs) == 3


def test_atom_entry(fixtures: Path, read_all) -> None:
    docs, failures = read_all([fixtures / "feed.atom"])
    assert failures == []
    (doc,) = docs
    assert isinstance(doc, Document)
    assert doc.source_uri == "https://example.org/mosul/files"
    assert (
        doc.text
        == "عثرت القوات العراقية على ملفات شخصية لمقاتلين أجانب رفضوا القتال في معركة الموصل."
    )
    assert doc.author == "فريق التحرير"
    assert doc.publisher == "نشرة الموصل"
    assert doc.published == "2018-03-08T11:00:00+00:00"
    assert doc.content_type == "application/atom+xml"


def test_feed_in_a_xml_file_is_sniffed(tmp_path: Path, fixtures: Path, read_all) -> None:
    path = tmp_path / "news.xml"
    path.write_bytes((fixtures / "feed.atom").read_bytes())
    docs, _ = read_all([path])
    assert [d.reader for d in docs] == ["ingest.feed.v1"]


def test_feed_without_items_is_empty(tmp_path: Path, read_all) -> None:
    path = tmp_path / "empty.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    )
    _, failures = read_all([path])
    assert failures[0].code == "empty"
