"""PDF text layers: Latin, Arabic in logical and in visual order, no text at all."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ingest_pdf_helpers import arabic_font, make_pdf

from rasid.ingest.base import ReadFailure
from rasid.ingest.visual import (
    fold_presentation_forms,
    is_visual_order,
    order_scores,
    visual_line_to_logical,
    visual_to_logical,
)
from rasid.model import Document

LOGICAL = [
    "قتل ثلاثة جنود في هجوم على مدينة الرقة عام 2018",
    "وقالت وزارة الدفاع إن الهجوم استهدف نقطة التفتيش (بحسب المرصد)",
]
# The same lines as a visual-order PDF stores them: words and letters right to
# left, numbers still left to right, brackets mirrored (written out by hand).
VISUAL = [
    "2018 ماع ةقرلا ةنيدم ىلع موجه يف دونج ةثالث لتق",
    "(دصرملا بسحب) شيتفتلا ةطقن فدهتسا موجهلا نإ عافدلا ةرازو تلاقو",
]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_latin_pdf(tmp_path: Path, read_one) -> None:
    data = make_pdf(
        [
            ["Personnel files found in Mosul", "show foreign fighters refusing to fight."],
            ["Page two."],
        ],
        title="Mosul files",
    )
    doc = read_one(_write(tmp_path, "report.pdf", data))
    assert isinstance(doc, Document), doc
    assert doc.text == (
        "Personnel files found in Mosul\nshow foreign fighters refusing to fight.\n\nPage two."
    )
    assert doc.title == "Mosul files"
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.reader == "ingest.pdf.v1"
    assert doc.content_type == "application/pdf"
    start, end = doc.meta["pages"][1]
    assert doc.text[start:end] == "Page two."
    assert "pdf_repairs" not in doc.meta


def test_arabic_pdf_in_logical_order(tmp_path: Path, read_one) -> None:
    doc = read_one(_write(tmp_path, "logical.pdf", make_pdf([LOGICAL], arabic_font())))
    assert isinstance(doc, Document), doc
    assert doc.text.split("\n") == LOGICAL
    assert "pdf_repairs" not in doc.meta


def test_arabic_pdf_in_visual_order_is_repaired(tmp_path: Path, read_one) -> None:
    doc = read_one(_write(tmp_path, "visual.pdf", make_pdf([VISUAL], arabic_font())))
    assert isinstance(doc, Document), doc
    assert doc.text.split("\n") == LOGICAL
    assert doc.meta["pdf_repairs"] == ["visual-order"]


def test_pdf_without_text_layer(tmp_path: Path, read_one) -> None:
    failure = read_one(_write(tmp_path, "scan.pdf", make_pdf([[], []])))
    assert isinstance(failure, ReadFailure)
    assert failure.code == "pdf-no-text"
    assert failure.reason.startswith("PDF has no text layer (scanned?): run OCR first")


def test_damaged_pdf(tmp_path: Path, read_one) -> None:
    failure = read_one(_write(tmp_path, "broken.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog"))
    assert isinstance(failure, ReadFailure)
    assert failure.code == "pdf-damaged"


def test_pdf_is_sniffed_without_extension(tmp_path: Path, read_one) -> None:
    doc = read_one(_write(tmp_path, "download", make_pdf([["Sniffed by its magic number."]])))
    assert isinstance(doc, Document)
    assert doc.reader == "ingest.pdf.v1"


def test_order_detection_on_plain_strings() -> None:
    assert not is_visual_order("\n".join(LOGICAL))
    assert is_visual_order("\n".join(VISUAL))
    logical, visual = order_scores("\n".join(VISUAL))
    assert visual > logical
    assert not is_visual_order("English only, 2018.")


def test_visual_lines_with_latin_runs() -> None:
    assert visual_line_to_logical("Washington Post ةفيحص تلاقو") == "وقالت صحيفة Washington Post"
    assert visual_line_to_logical("English only (AP) 2018") == "English only (AP) 2018"
    assert visual_to_logical("\n".join(VISUAL)) == "\n".join(LOGICAL)


def test_presentation_forms_in_visual_order() -> None:
    # "المدينة السلام" as shaped glyphs, painted left to right: the lam-alef
    # ligature (U+FEFC) must become لا, not ال.
    shaped = "\ufee1\ufefc\ufeb4\ufedf\ufe8d \ufe94\ufee8\ufef3\ufeaa\ufee4\ufedf\ufe8d"
    assert visual_line_to_logical(shaped) == "المدينة السلام"
    assert fold_presentation_forms("\ufe8d\ufedf\ufee4\ufeaa\ufef3\ufee8\ufe94") == "المدينة"


def test_pdf_named_txt_says_what_it_is(tmp_path: Path, read_one) -> None:
    failure = read_one(_write(tmp_path, "report.txt", make_pdf([["Text."]])))
    assert isinstance(failure, ReadFailure)
    assert failure.code == "binary"
    assert "a PDF file: give it a .pdf extension" in failure.reason
