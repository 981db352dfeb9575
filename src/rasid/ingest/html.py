"""HTML pages: the main text through trafilatura, a plain extraction when it finds none."""

from __future__ import annotations

import re
from typing import Any

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from rasid.errors import EmptyInputError
from rasid.ingest.base import (
    ReadContext,
    ReadResult,
    Source,
    clean_field,
    finish,
    parse_date,
    sha256_hex,
)
from rasid.ingest.encoding import decode_bytes
from rasid.model import Document

READER = "ingest.html.v1"

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE
)
_DROP = ("script", "style", "noscript", "template", "iframe", "svg", "canvas", "head", "object")
_BLOCK = frozenset(
    "p div br li ul ol tr table h1 h2 h3 h4 h5 h6 section article header footer aside nav "
    "blockquote pre figure figcaption dd dt dl hr main form address".split()
)
_SPACES = re.compile(r"[ \t\u00a0\u200f\u200e]+")
# Where a page states its publication date, most specific first.
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "sailthru.date",
)


def declared_charset(head: bytes) -> str | None:
    found = _META_CHARSET.search(head[:4096])
    return found.group(1).decode("ascii", "replace") if found else None


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _parse(markup: str) -> Any:
    # lxml refuses str input that still carries an encoding declaration.
    return lxml_html.fromstring(_XML_DECLARATION.sub("", markup, count=1))


def html_to_text(markup: str) -> str:
    """Visible text of HTML (a page or a fragment): blocks become lines, scripts vanish."""
    if not markup.strip():
        return ""
    try:
        root = _parse(markup)
    except (etree.ParserError, ValueError):
        return ""
    for element in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _remove_keep_tail(element)
    for element in list(root.iter(*_DROP)):
        _remove_keep_tail(element)
    for element in root.iter(*_BLOCK):
        element.tail = "\n" + (element.tail or "")
        if element.tag == "br":
            continue
        element.text = "\n" + (element.text or "")
    raw = "".join(root.itertext())
    lines = [_SPACES.sub(" ", line).strip() for line in raw.splitlines()]
    return "\n".join(line for line in lines if line)


def _remove_keep_tail(element: Any) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _meta_date(tree: Any) -> str | None:
    for name in _DATE_META:
        for attr in ("property", "name", "itemprop"):
            found = tree.xpath(f'//meta[@{attr}="{name}"]/@content')
            if found and str(found[0]).strip():
                return str(found[0]).strip()
    times = tree.xpath("//time/@datetime")
    return str(times[0]).strip() if times else None


def _title(tree: Any) -> str | None:
    found = tree.xpath("//title/text()")
    return clean_field(found[0]) if found else None


def extract_html(markup: str, url: str | None = None) -> dict[str, str | None]:
    """Text and metadata of one page (keys: text, title, author, publisher, published_raw, date)."""
    result: dict[str, str | None] = {}
    extracted = trafilatura.bare_extraction(
        markup,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
    )
    if extracted is not None:
        result["text"] = clean_field(getattr(extracted, "text", None))
        result["title"] = clean_field(getattr(extracted, "title", None))
        result["author"] = clean_field(getattr(extracted, "author", None))
        result["publisher"] = clean_field(getattr(extracted, "sitename", None))
        result["date"] = clean_field(getattr(extracted, "date", None))
    try:
        tree = _parse(markup)
    except (etree.ParserError, ValueError):
        tree = None
    if tree is not None:
        result["published_raw"] = _meta_date(tree)
        if not result.get("title"):
            result["title"] = _title(tree)
    if not result.get("text"):
        result["text"] = html_to_text(markup) or None
        result["extracted_by"] = "plain"
    else:
        result["extracted_by"] = "trafilatura"
    return result


def decode_html(source: Source, data: bytes) -> tuple[str, str]:
    decoded = decode_bytes(data, declared=source.charset or declared_charset(data))
    return decoded.text, decoded.encoding


def read_html(source: Source, ctx: ReadContext) -> ReadResult:
    data = source.read_bytes()
    markup, encoding = decode_html(source, data)
    url = source.uri if source.uri.startswith(("http://", "https://")) else None
    found = extract_html(markup, url)
    text = found.get("text")
    if not text:
        raise EmptyInputError("empty: the page has no visible text")
    raw_date = found.get("published_raw") or found.get("date")
    doc = Document(
        text=text,
        sha256=sha256_hex(data),
        source_uri=source.uri,
        title=found.get("title"),
        publisher=found.get("publisher"),
        author=found.get("author"),
        published=parse_date(raw_date) or found.get("date"),
        published_raw=raw_date,
        content_type="text/html",
        reader=READER,
        meta={
            **source.meta,
            "encoding": encoding,
            "extracted_by": found.get("extracted_by") or "trafilatura",
        },
    )
    yield finish(doc)
