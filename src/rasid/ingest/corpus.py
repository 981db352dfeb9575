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
JSON_READER = "ingest.json.v1"
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


#: A file whose first this-many records all fail is not JSON lines: stop, don't flood.
GIVE_UP_AFTER = 20


def read_jsonl(source: Source, ctx: ReadContext) -> ReadResult:
    line = 0
    good = bad = 0
    gzipped = is_gzip(source)
    with source.open() as handle:
        stream: io.BufferedIOBase | Any = (
            gzip.GzipFile(fileobj=handle, mode="rb") if gzipped else handle
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
                result = (
                    parsed
                    if isinstance(parsed, ReadFailure)
                    else record_to_document(
                        parsed,
                        raw=raw,
                        base_uri=source.uri,
                        line=line,
                        reader=JSONL_READER,
                        content_type=content_type,
                    )
                )
                if isinstance(result, ReadFailure):
                    bad += 1
                else:
                    good += 1
                yield result
                if bad >= GIVE_UP_AFTER and not good:
                    raise MalformedRecordError(
                        f"stopped after {bad} bad lines without one good record; rasid reads "
                        'JSON lines as one JSON object per line with a "text" field'
                    )
        except (OSError, EOFError, zlib.error) as err:
            where = "compressed data is damaged" if gzipped else "reading failed"
            yield ReadFailure(
                source.uri,
                "unreadable",
                f"{where} after line {line} ({err}); the records before it were read",
            )


def read_json(source: Source, ctx: ReadContext) -> ReadResult:
    """A ``.json`` file: one record object, or an array of them (``PATH#item=N``)."""
    data = source.read_bytes()
    decoded = decode_bytes(data, declared=source.charset)
    try:
        value = json.loads(decoded.text)
    except json.JSONDecodeError as err:
        if "\n{" in decoded.text or decoded.text.lstrip().startswith("{"):
            # Not one document but several objects: JSON lines under a .json name.
            yield from read_jsonl(source, ctx)
            return
        raise MalformedRecordError(
            f"not valid JSON: {err.msg} at line {err.lineno} column {err.colno}"
        ) from None
    if not isinstance(value, list):
        yield _json_record(value, data, source.uri, source.uri, 1)
        return
    for index, (raw_item, record) in enumerate(_array_items(decoded.text), 1):
        item_uri = f"{source.uri}#item={index}"
        yield _json_record(record, raw_item.encode(decoded.encoding), source.uri, item_uri, index)


def _array_items(text: str) -> Iterator[tuple[str, Any]]:
    """(original text, value) of each element of a JSON array (already known to be valid)."""
    decoder = json.JSONDecoder()
    position = text.index("[") + 1
    while True:
        while text[position].isspace():
            position += 1
        if text[position] == "]":
            return
        value, end = decoder.raw_decode(text, position)
        yield text[position:end], value
        position = end
        while text[position].isspace():
            position += 1
        if text[position] == ",":
            position += 1


def _json_record(
    record: Any, raw: bytes, base_uri: str, uri: str, index: int
) -> Document | ReadFailure:
    if not isinstance(record, dict):
        return ReadFailure(
            uri,
            "malformed",
            f'item {index} is a JSON {type(record).__name__}, not an object with a "text" field',
        )
    result = record_to_document(
        record,
        raw=raw,
        base_uri=base_uri,
        line=index,
        reader=JSON_READER,
        content_type="application/json",
    )
    if isinstance(result, ReadFailure):
        return ReadFailure(
            uri if result.source.endswith(f"#line={index}") else result.source,
            result.code,
            result.reason.replace(f"line {index}", f"item {index}", 1),
        )
    del result.meta["line"]
    if uri != base_uri:
        result.meta["item"] = index
    if not result.external_id:
        result.source_uri = uri
    return result


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
