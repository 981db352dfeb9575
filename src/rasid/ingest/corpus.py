"""Corpus files with one article per record: JSON lines (optionally gzipped) and CSV/TSV.

Records stream one at a time (a 24k-article corpus never sits in memory as
objects); a bad record becomes a :class:`ReadFailure` and the rest goes on.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import zlib
from collections.abc import Iterator, Mapping
from typing import Any

from rasid.errors import MalformedRecordError
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
from rasid.ingest.encoding import decode_bytes
from rasid.model import Document

JSONL_READER = "ingest.jsonl.v1"
CSV_READER = "ingest.csv.v1"

# Accepted spellings of each field, first match wins (the ANT corpus uses the first ones).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "published": ("published", "date", "pubdate", "published_at", "datetime"),
    "publisher": ("source", "publisher", "site", "sitename"),
    "external_id": ("id", "doc_id", "docno", "guid"),
    "author": ("author", "byline", "authors"),
}
_CLAIMED = {"text"} | {alias for aliases in FIELD_ALIASES.values() for alias in aliases}
_GZIP_MAGIC = b"\x1f\x8b"


def _pick(record: Mapping[str, Any], field: str) -> str | None:
    for alias in FIELD_ALIASES[field]:
        value = clean_field(record.get(alias))
        if value is not None:
            return value
    return None


def record_uri(base: str, line: int, external_id: str | None) -> str:
    return f"{base}#id={external_id}" if external_id else f"{base}#line={line}"


def record_to_document(
    record: Mapping[str, Any],
    *,
    raw: bytes,
    base_uri: str,
    line: int,
    reader: str,
    content_type: str,
) -> Document | ReadFailure:
    """One corpus record (already parsed) as a document, or why it cannot be one."""
    if "text" not in record:
        fields = ", ".join(sorted(str(k) for k in record)) or "none"
        return ReadFailure(
            f"{base_uri}#line={line}",
            "malformed",
            f'line {line} has no "text" field (fields found: {fields})',
        )
    text = record["text"]
    if not isinstance(text, str):
        return ReadFailure(
            f"{base_uri}#line={line}",
            "malformed",
            f'line {line}: "text" is a {type(text).__name__}, not a string',
        )
    external_id = _pick(record, "external_id")
    uri = record_uri(base_uri, line, external_id)
    if not text.strip():
        return ReadFailure(uri, "empty", f'empty: line {line} has an empty "text" field')
    raw_date = _pick(record, "published")
    meta: dict[str, Any] = {"line": line}
    url = _pick(record, "url")
    if url:
        meta["url"] = url
    for key, value in record.items():
        if key not in _CLAIMED and value is not None and value != "":
            meta[str(key)] = value
    doc = Document(
        text=text,
        sha256=sha256_hex(raw),
        source_uri=uri,
        title=_pick(record, "title"),
        publisher=_pick(record, "publisher"),
        author=_pick(record, "author"),
        published=parse_date(raw_date),
        published_raw=raw_date,
        content_type=content_type,
        reader=reader,
        external_id=external_id,
        meta=meta,
    )
    return finish(doc)


def is_gzip(source: Source) -> bool:
    return source.name.lower().endswith(".gz") or source.head(2) == _GZIP_MAGIC


def _json_line(raw: bytes, line: int, base: str) -> dict[str, Any] | ReadFailure:
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return ReadFailure(
            f"{base}#line={line}",
            "encoding",
            f"line {line} is not valid UTF-8 (byte 0x{raw[err.start]:02x} at byte "
            f"{err.start + 1}); JSON lines must be UTF-8",
        )
    try:
        value = json.loads(decoded)
    except json.JSONDecodeError as err:
        return ReadFailure(
            f"{base}#line={line}",
            "malformed",
            f"line {line} is not valid JSON: {err.msg} at column {err.colno}",
        )
    if not isinstance(value, dict):
        return ReadFailure(
            f"{base}#line={line}",
            "malformed",
            f'line {line} is a JSON {type(value).__name__}, not an object with a "text" field',
        )
    return value


def read_jsonl(source: Source, ctx: ReadContext) -> ReadResult:
    line = 0
    with source.open() as handle:
        stream: io.BufferedIOBase | Any = (
            gzip.GzipFile(fileobj=handle, mode="rb") if is_gzip(source) else handle
        )
        content_type = "application/x-ndjson"
        try:
            for line, chunk in enumerate(stream, 1):
                raw = chunk.rstrip(b"\r\n")
                if line == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                if not raw.strip():
                    continue
                parsed = _json_line(raw, line, source.uri)
                if isinstance(parsed, ReadFailure):
                    yield parsed
                    continue
                yield record_to_document(
                    parsed,
                    raw=raw,
                    base_uri=source.uri,
                    line=line,
                    reader=JSONL_READER,
                    content_type=content_type,
                )
        except (OSError, EOFError, zlib.error) as err:
            yield ReadFailure(
                source.uri,
                "unreadable",
                f"compressed data is damaged after line {line} ({err}); "
                "the records before it were read",
            )


def _sniff_dialect(sample: str, name: str) -> type[csv.Dialect] | csv.Dialect:
    if name.lower().endswith((".tsv", ".tab")):
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def read_csv(source: Source, ctx: ReadContext) -> ReadResult:
    data = source.read_bytes()
    decoded = decode_bytes(data, declared=source.charset)
    del data
    text = decoded.text
    # Articles are longer than csv's default 128 KiB field limit.
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    dialect = _sniff_dialect(text[:8192], source.name)
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        for physical in io.StringIO(text, newline=""):
            consumed.append(physical)
            yield physical

    reader = csv.reader(lines(), dialect)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as err:
        raise MalformedRecordError(f"the CSV header cannot be parsed: {err}") from None
    names = [name.strip().lstrip("\ufeff").lower() for name in header]
    if "text" not in names:
        raise MalformedRecordError(
            f'the CSV header has no "text" column (columns: {", ".join(names) or "none"}); '
            "rasid needs the article text in a column named text"
        )
    line = len(consumed)
    consumed.clear()
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            line = start + max(len(consumed) - 1, 0)
            consumed.clear()
            yield ReadFailure(f"{source.uri}#line={start}", "malformed", f"line {start}: {err}")
            continue
        raw = "".join(consumed).rstrip("\r\n")
        line = start + max(len(consumed) - 1, 0)
        consumed.clear()
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            yield ReadFailure(
                f"{source.uri}#line={start}",
                "malformed",
                f"line {start} has {len(row)} fields but the header has {len(names)}",
            )
            continue
        yield record_to_document(
            dict(zip(names, row, strict=True)),
            raw=raw.encode(decoded.encoding),
            base_uri=source.uri,
            line=start,
            reader=CSV_READER,
            content_type="text/csv",
        )
