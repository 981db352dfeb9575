"""TREC-style SGML/XML collections (``<DOC><DOCNO>..</DOCNO><TEXT>..</TEXT></DOC>``).

Such files are rarely well-formed XML (several roots, bare ``&``), so records are
found with a lenient scan rather than an XML parser, and tag names vary between
collections (HEADLINE or TITLE, DATE or DATE_TIME...).
"""

from __future__ import annotations

import html
import re
from typing import Any

from rasid.errors import UnsupportedFormatError
from rasid.ingest.base import (
    ReadContext,
    ReadFailure,
    ReadResult,
    Source,
    finish,
    parse_date,
    sha256_hex,
)
from rasid.ingest.corpus import record_uri
from rasid.ingest.encoding import decode_bytes
from rasid.model import Document

READER = "ingest.trec.v1"

_DOC = re.compile(r"<DOC\b[^>]*>(.*?)</DOC\s*>", re.IGNORECASE | re.DOTALL)
_FIELD = re.compile(r"<([A-Za-z][\w.:-]*)\b[^>]*>(.*?)</\1\s*>", re.DOTALL)
_PARAGRAPH = re.compile(r"<P\b[^>]*>(.*?)(?=</P\s*>|<P\b|\Z)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_ROOT = re.compile(r"<([A-Za-z][\w.:-]*)")
_PROLOG = re.compile(r"\A\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*", re.DOTALL)

_ROLES: dict[str, tuple[str, ...]] = {
    "id": ("DOCNO", "DOCID", "ID", "DOC_ID"),
    "title": ("TITLE", "HEADLINE", "HEAD", "HL", "HEADER"),
    "date": ("DATE", "DATE_TIME", "PUBDATE", "DATETIME", "PUBLISHED", "PUB_DATE"),
    "text": ("TEXT", "BODY", "CONTENT", "LP", "STORY"),
    "publisher": ("SOURCE", "PUBLISHER", "AGENCY", "NEWSPAPER"),
    "url": ("URL", "LINK"),
    "author": ("AUTHOR", "BYLINE", "WRITER"),
}
_ROLE_OF = {tag: role for role, tags in _ROLES.items() for tag in tags}


def root_tag(head: str) -> str | None:
    """Name of the first element after the XML prolog, comments and doctype."""
    rest = head[_PROLOG.match(head).end() :]  # type: ignore[union-attr]
    found = _ROOT.match(rest)
    return found.group(1) if found else None


def looks_like_trec(head: str) -> bool:
    return re.search(r"<DOC\b[^>]*>", head[:8192], re.IGNORECASE) is not None and (
        re.search(r"<(DOCNO|DOCID|TEXT)\b", head, re.IGNORECASE) is not None
    )


def _plain(value: str) -> str:
    return html.unescape(_TAG.sub("", value)).strip()


def _body(value: str) -> str:
    paragraphs = [_plain(p) for p in _PARAGRAPH.findall(value)]
    paragraphs = [p for p in paragraphs if p]
    if paragraphs:
        return "\n".join(paragraphs)
    return _plain(value)


def read_trec(source: Source, ctx: ReadContext) -> ReadResult:
    data = source.read_bytes()
    decoded = decode_bytes(data, declared=source.charset)
    text = decoded.text
    del data
    found_any = False
    for match in _DOC.finditer(text):
        found_any = True
        line = text.count("\n", 0, match.start()) + 1
        fields: dict[str, str] = {}
        extra: dict[str, Any] = {}
        for field in _FIELD.finditer(match.group(1)):
            tag, value = field.group(1).upper(), field.group(2)
            role = _ROLE_OF.get(tag)
            if role is None:
                extra.setdefault(tag.lower(), _plain(value))
            elif role not in fields:
                fields[role] = _body(value) if role == "text" else _plain(value)
        external_id = fields.get("id") or None
        uri = record_uri(source.uri, line, external_id)
        body = fields.get("text")
        if body is None:
            yield ReadFailure(
                uri,
                "malformed",
                f"<DOC> at line {line} has no <TEXT> (or BODY/CONTENT) element",
            )
            continue
        if not body:
            yield ReadFailure(uri, "empty", f"empty: <DOC> at line {line} has an empty text")
            continue
        meta: dict[str, Any] = {"line": line, "encoding": decoded.encoding, **extra}
        if fields.get("url"):
            meta["url"] = fields["url"]
        raw_date = fields.get("date") or None
        yield finish(
            Document(
                text=body,
                sha256=sha256_hex(match.group(0).encode(decoded.encoding)),
                source_uri=uri,
                title=fields.get("title") or None,
                publisher=fields.get("publisher") or None,
                author=fields.get("author") or None,
                published=parse_date(raw_date),
                published_raw=raw_date,
                content_type="application/xml",
                reader=READER,
                external_id=external_id,
                meta=meta,
            )
        )
    if not found_any:
        raise UnsupportedFormatError(
            "no <DOC> records found; rasid reads XML as TREC-style <DOC> collections "
            "or RSS/Atom feeds"
        )
