"""RSS and Atom feeds: every item is a document; items the store already holds are skipped."""

from __future__ import annotations

import calendar
import json
import re
import time
from datetime import UTC, datetime
from typing import Any

import feedparser

from rasid.errors import EmptyInputError, UnsupportedFormatError
from rasid.ingest.base import (
    ReadContext,
    ReadFailure,
    ReadResult,
    Source,
    clean_field,
    finish,
    parse_date,
    sha256_hex,
)
from rasid.ingest.html import html_to_text
from rasid.model import Document

READER = "ingest.feed.v1"

_ITEM = re.compile(rb"<(item|entry)\b[^>]*>.*?</\1\s*>", re.DOTALL)
_LOOKS_HTML = re.compile(r"<[a-zA-Z/][^>]*>|&[a-z]+;|&#\d+;")


def _strip(value: str | None) -> str:
    if not value:
        return ""
    return html_to_text(value) if _LOOKS_HTML.search(value) else value.strip()


def _entry_text(entry: Any) -> str:
    candidates = [c.get("value", "") for c in entry.get("content", []) or []]
    candidates.append(entry.get("summary", "") or "")
    texts = [_strip(c) for c in candidates if c]
    return max(texts, key=len, default="")


def _struct_iso(value: time.struct_time | None) -> str | None:
    if value is None:
        return None
    return datetime.fromtimestamp(calendar.timegm(value), tz=UTC).isoformat()


def read_feed(source: Source, ctx: ReadContext) -> ReadResult:
    data = source.read_bytes()
    parsed = feedparser.parse(data, response_headers={"content-type": source.content_type or ""})
    entries = parsed.entries
    if not entries:
        if parsed.get("bozo") and not parsed.get("version"):
            raise UnsupportedFormatError(
                f"not a readable RSS/Atom feed ({parsed.get('bozo_exception')})"
            )
        raise EmptyInputError("empty: the feed has no items")
    # Each item's own bytes give its hash, when the blocks line up with what feedparser found.
    raw_blocks = [m.group(0) for m in _ITEM.finditer(data)]
    if len(raw_blocks) != len(entries):
        raw_blocks = []
    feed_title = clean_field(_strip(parsed.feed.get("title")))
    version = str(parsed.get("version") or "")
    content_type = "application/atom+xml" if version.startswith("atom") else "application/rss+xml"
    for index, entry in enumerate(entries):
        link = clean_field(entry.get("link"))
        uri = link or f"{source.uri}#item={index + 1}"
        if link and ctx.already_seen(link):
            continue
        text = _entry_text(entry)
        if not text:
            yield ReadFailure(
                uri, "empty", f"empty: feed item {index + 1} has no summary or content"
            )
            continue
        raw = (
            raw_blocks[index]
            if raw_blocks
            else json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
        )
        raw_date = clean_field(entry.get("published") or entry.get("updated"))
        published = parse_date(raw_date) or _struct_iso(
            entry.get("published_parsed") or entry.get("updated_parsed")
        )
        meta: dict[str, Any] = {**source.meta, "feed": source.uri, "item": index + 1}
        tags = [t.get("term") for t in entry.get("tags", []) or [] if t.get("term")]
        if tags:
            meta["tags"] = tags
        yield finish(
            Document(
                text=text,
                sha256=sha256_hex(raw),
                source_uri=uri,
                title=clean_field(_strip(entry.get("title"))),
                publisher=feed_title,
                author=clean_field(entry.get("author")),
                published=published,
                published_raw=raw_date,
                content_type=content_type,
                reader=READER,
                external_id=clean_field(entry.get("id")),
                meta=meta,
            )
        )
