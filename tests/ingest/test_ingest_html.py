"""HTML pages: main text and metadata, never scripts or styles."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rasid.ingest.base import ReadFailure
from rasid.ingest.html import extract_html, html_to_text
from rasid.model import Document


def test_article_page_text_and_metadata(fixtures: Path, read_one) -> None:
    path = fixtures / "page.html"
    doc = read_one(path)
    assert isinstance(doc, Document), doc
    assert doc.reader == "ingest.html.v1"
    assert doc.content_type == "text/html"
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.title == "تنظيم داعش يخسر آخر معاقله في المدينة"
    assert doc.publisher == "موقع الأخبار"
    assert doc.author == "سامر الأحمد"
    assert doc.published_raw == "2018-03-09T07:45:00+03:00"
    assert doc.published is not None and doc.published.startswith("2018-03-09")
    assert "فككت أكثر من مئتي عبوة ناسفة" in doc.text
    for secret in ("SECRET_SCRIPT", "SECRET_STYLE", "SECRET_INLINE", "dataLayer"):
        assert secret not in doc.text


def test_scripts_never_reach_the_plain_fallback() -> None:
    markup = (
        "<html><head><style>p{color:red}</style></head><body>"
        "<p>سطر أول</p><script>alert('SECRET')</script><!-- تعليق خفي -->"
        "<div>سطر<br>ثان</div><noscript>SECRET2</noscript></body></html>"
    )
    assert html_to_text(markup) == "سطر أول\nسطر\nثان"


def test_tiny_page_falls_back_to_plain_extraction(tmp_path: Path, read_one) -> None:
    path = tmp_path / "tiny.htm"
    path.write_text(
        "<html><head><title>قصير</title><script>var SECRET=1</script></head>"
        # trafilatura treats a footer as boilerplate and returns nothing here.
        "<body><footer><p>خبر قصير.</p></footer></body></html>",
        encoding="utf-8",
    )
    doc = read_one(path)
    assert isinstance(doc, Document), doc
    assert doc.text == "خبر قصير."
    assert doc.title == "قصير"
    assert doc.meta["extracted_by"] == "plain"


def test_meta_charset_windows_1256_is_honoured(tmp_path: Path, read_one) -> None:
    body = "<p>" + "أعلنت وزارة الدفاع مقتل عشرة مسلحين في غارة جوية. " * 5 + "</p>"
    markup = f'<html><head><meta charset="windows-1256"><title>غارة</title></head><body>{body}</body></html>'
    path = tmp_path / "legacy.html"
    path.write_bytes(markup.encode("cp1256"))
    doc = read_one(path)
    assert isinstance(doc, Document), doc
    assert "أعلنت وزارة الدفاع" in doc.text
    assert doc.meta["encoding"] == "cp1256"


def test_page_without_visible_text_is_empty(tmp_path: Path, read_one) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<html><head><script>var x = 1;</script></head><body> </body></html>")
    failure = read_one(path)
    assert isinstance(failure, ReadFailure)
    assert failure.code == "empty"


def test_html_is_sniffed_without_an_extension(tmp_path: Path, fixtures: Path, read_one) -> None:
    path = tmp_path / "download"
    path.write_bytes((fixtures / "page.html").read_bytes())
    doc = read_one(path)
    assert isinstance(doc, Document)
    assert doc.reader == "ingest.html.v1"


def test_extract_html_with_xml_declaration() -> None:
    found = extract_html(
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>نص</p></body></html>'
    )
    assert found["text"] == "نص"
