"""PDF text layers (pypdf), with repair of Arabic stored in visual order.

Pages with Arabic are extracted in pypdf's layout mode, which keeps the stored
glyph order: pypdf's plain mode reverses right-to-left runs on its own and
scrambles the numbers inside them, so the order is decided here instead
(see :mod:`rasid.ingest.visual`).
"""

from __future__ import annotations

import io
import re
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from rasid.errors import PdfTextError
from rasid.ingest.base import (
    ReadContext,
    ReadResult,
    Source,
    clean_field,
    finish,
    input_error,
    parse_date,
    sha256_hex,
)
from rasid.ingest.visual import fold_presentation_forms, is_visual_order, visual_to_logical
from rasid.model import Document

READER = "ingest.pdf.v1"

_ARABIC = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufefe]")
_PRESENTATION = re.compile(r"[\ufb50-\ufdff\ufe70-\ufefe]")
_RUNS_OF_SPACES = re.compile(r"[ \t]{2,}")
_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?")
NO_TEXT = "PDF has no text layer (scanned?): run OCR first (e.g. ocrmypdf -l ara in.pdf out.pdf)"


def _tidy_layout(text: str) -> str:
    """Layout mode pads with spaces to mimic positions; keep words and line breaks only."""
    lines = [_RUNS_OF_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _page_text(page: Any) -> str:
    plain: str = page.extract_text() or ""
    if not _ARABIC.search(plain):
        return plain.strip()
    try:
        return _tidy_layout(page.extract_text(extraction_mode="layout") or "")
    except Exception:  # layout mode trips over fonts plain mode reads; keep plain text
        return plain.strip()


def _pdf_date(raw: str | None) -> str | None:
    if not raw:
        return None
    found = _PDF_DATE.match(raw)
    if not found:
        return parse_date(raw)
    year, month, day = found.group(1), found.group(2), found.group(3)
    return "-".join(part for part in (year, month, day) if part)


def read_pdf(source: Source, ctx: ReadContext) -> ReadResult:
    data = source.read_bytes()
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfTextError(
                "PDF is encrypted with a password; decrypt it first (e.g. qpdf --decrypt)"
            )
        pages = [_page_text(page) for page in reader.pages]
        info = reader.metadata
    except (PdfReadError, PyPdfError, ValueError, KeyError) as err:
        raise input_error(
            PdfTextError, f"PDF is damaged or not a PDF ({err}); try re-saving it", "pdf-damaged"
        ) from None
    if not any(pages):
        raise input_error(PdfTextError, NO_TEXT, "pdf-no-text")
    repairs: list[str] = []
    joined = "\n\n".join(pages)
    if _ARABIC.search(joined) and is_visual_order(joined):
        pages = [visual_to_logical(page) for page in pages]
        repairs.append("visual-order")
    if any(_PRESENTATION.search(page) for page in pages):
        pages = [fold_presentation_forms(page) for page in pages]
        repairs.append("presentation-forms")
    offsets: list[list[int]] = []
    parts: list[str] = []
    position = 0
    for page in pages:
        if parts:
            parts.append("\n\n")
            position += 2
        offsets.append([position, position + len(page)])
        parts.append(page)
        position += len(page)
    text = "".join(parts)
    raw_date = clean_field(info.get("/CreationDate")) if info else None
    meta: dict[str, Any] = {**source.meta, "pages": offsets}
    if raw_date:
        # When the file was made, not when the text was published: kept apart.
        meta["pdf_created"] = _pdf_date(raw_date)
    if repairs:
        meta["pdf_repairs"] = repairs
    yield finish(
        Document(
            text=text,
            sha256=sha256_hex(data),
            source_uri=source.uri,
            title=clean_field(info.get("/Title")) if info else None,
            author=clean_field(info.get("/Author")) if info else None,
            content_type="application/pdf",
            reader=READER,
            meta=meta,
        )
    )
