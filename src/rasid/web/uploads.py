"""Which uploads the ingest page takes: by extension, declared type and first bytes.

Accepted: text, HTML, JSONL, CSV, PDF, XML (feeds too). The extension decides
how the readers will treat the file, so it must be one of ours; the declared
Content-Type must not contradict it; and the bytes must look like it (a PDF
starts with ``%PDF-``, the others are text: no NUL bytes).
"""

from __future__ import annotations

from rasid.errors import RasidError

#: extension → kind
EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".pdf": "pdf",
    ".xml": "xml",
    ".rss": "xml",
    ".atom": "xml",
}
#: kind → declared content types that agree with it (browsers often say octet-stream)
CONTENT_TYPES: dict[str, frozenset[str]] = {
    "text": frozenset({"text/plain", "text/markdown"}),
    "html": frozenset({"text/html", "application/xhtml+xml"}),
    "jsonl": frozenset(
        {
            "application/jsonl",
            "application/x-ndjson",
            "application/json",
            "text/plain",
            "application/x-jsonlines",
            "application/jsonlines",
        }
    ),
    "csv": frozenset(
        {
            "text/csv",
            "text/tab-separated-values",
            "application/csv",
            "application/vnd.ms-excel",
            "text/plain",
        }
    ),
    "pdf": frozenset({"application/pdf", "application/x-pdf"}),
    "xml": frozenset(
        {"application/xml", "text/xml", "application/rss+xml", "application/atom+xml"}
    ),
}
_ANY = frozenset({"", "application/octet-stream"})


class UnsupportedUpload(RasidError):
    """An uploaded file is of a type the ingest page does not take (HTTP 415)."""

    code = "E602"


def check_upload(filename: str, content_type: str | None, head: bytes) -> str:
    """The kind of an upload, or :class:`UnsupportedUpload` saying why it is refused."""
    name = filename.lower()
    extension = next(
        (e for e in sorted(EXTENSIONS, key=len, reverse=True) if name.endswith(e)), None
    )
    if extension is None:
        allowed = ", ".join(sorted(EXTENSIONS))
        raise UnsupportedUpload(f"{filename!r}: unsupported file type; upload one of {allowed}")
    kind = EXTENSIONS[extension]
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared not in _ANY and declared not in CONTENT_TYPES[kind]:
        raise UnsupportedUpload(
            f"{filename!r} is declared as {declared}, which does not match its {extension} name"
        )
    if kind == "pdf":
        if not head.startswith(b"%PDF-"):
            raise UnsupportedUpload(f"{filename!r} does not start like a PDF file")
    elif b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedUpload(f"{filename!r} has binary content; a {kind} file must be text")
    return kind
