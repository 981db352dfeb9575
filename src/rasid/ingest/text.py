"""Plain text files: decode (see :mod:`rasid.ingest.encoding`) and keep every character."""

from __future__ import annotations

from rasid.ingest.base import ReadContext, ReadResult, Source, finish, sha256_hex
from rasid.ingest.encoding import decode_bytes
from rasid.model import Document

READER = "ingest.text.v1"
_MAX_TITLE = 200


def first_line_title(text: str) -> str | None:
    """The first non-blank line when it reads like a headline (short, more text follows)."""
    head = text[:4096].lstrip()
    line, newline, rest = head.partition("\n")
    line = line.strip()
    if not line or not newline or not rest.strip() or len(line) > _MAX_TITLE:
        return None
    return line


def read_text(source: Source, ctx: ReadContext) -> ReadResult:
    data = source.read_bytes()
    decoded = decode_bytes(data, declared=source.charset)
    doc = Document(
        text=decoded.text,
        sha256=sha256_hex(data),
        source_uri=source.uri,
        title=first_line_title(decoded.text),
        content_type="text/plain",
        reader=READER,
        meta={
            **source.meta,
            "encoding": decoded.encoding,
            "encoding_detected_by": decoded.detected_by,
        },
    )
    del data
    yield finish(doc)
