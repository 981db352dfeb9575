"""Building small PDFs for the tests with reportlab."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
)


def arabic_font() -> str:
    """Register a TTF with Arabic glyphs with reportlab and return its name (or skip)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            if "ArabicTest" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("ArabicTest", candidate))
            return "ArabicTest"
    pytest.skip("no TrueType font with Arabic glyphs (install fonts-dejavu-core)")


def make_pdf(pages: list[list[str]], font: str = "Helvetica", title: str | None = None) -> bytes:
    """One PDF page per list of lines; each line is drawn as one string, left to right."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=True)
    if title:
        pdf.setTitle(title)
    for lines in pages:
        pdf.setFont(font, 12)
        y = 800
        for line in lines:
            pdf.drawString(40, y, line)
            y -= 20
        if not lines:
            pdf.rect(50, 50, 300, 300)  # a drawing with no text, like a scanned page
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
