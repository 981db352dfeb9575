"""One entry point for every input: paths, folders, stdin and URLs → documents or failures.

Readers are registered in :data:`READERS` (name, extensions, content types,
a sniffing test on the first bytes); adding a format is adding one entry.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rasid.errors import InputError, UnsupportedFormatError
from rasid.ingest.base import (
    ReadContext,
    ReadFailure,
    ReadResult,
    ReadStats,
    Source,
    failure_from_error,
)
from rasid.ingest.corpus import read_csv, read_json, read_jsonl
from rasid.ingest.feeds import read_feed
from rasid.ingest.html import read_html
from rasid.ingest.pdf import read_pdf
from rasid.ingest.text import read_text
from rasid.ingest.trec import looks_like_trec, read_trec, root_tag
from rasid.ingest.web import fetch, is_url
from rasid.model import Document

ReaderFn = Callable[[Source, ReadContext], ReadResult]

_FEED_ROOTS = {"rss", "feed", "rdf:rdf", "rdf"}
_HTML_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


def _head_text(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    return head.decode("utf-8", errors="ignore").lstrip("\ufeff")


def _xml_kind(head: bytes) -> str | None:
    text = _head_text(head)
    root = root_tag(text)
    if root is None:
        return None
    if root.lower() in _FEED_ROOTS:
        return "feed"
    if root.lower() == "html":
        return "html"
    if looks_like_trec(text):
        return "trec"
    return f"xml:{root}"


def _sniff_feed(head: bytes) -> bool:
    return _xml_kind(head) == "feed"


def _sniff_trec(head: bytes) -> bool:
    return _xml_kind(head) == "trec"


def _sniff_html(head: bytes) -> bool:
    return _HTML_START.match(head[:4096]) is not None


def _sniff_jsonl(head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not first.startswith(b"{"):
        return False
    line = first.split(b"\n", 1)[0]
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return b"\n" not in first  # one long record cut by the sniffing window


def read_xml(source: Source, ctx: ReadContext) -> ReadResult:
    """``.xml`` files: a feed or a TREC collection; any other XML is refused clearly."""
    kind = _xml_kind(source.head())
    if kind == "feed":
        return read_feed(source, ctx)
    if kind == "trec":
        return read_trec(source, ctx)
    if kind == "html":
        return read_html(source, ctx)
    root = kind.partition(":")[2] if kind else "unknown"
    raise UnsupportedFormatError(
        f"XML with root <{root}> is not a format rasid reads; XML must be a TREC-style "
        "<DOC> collection or an RSS/Atom feed"
    )


@dataclass(frozen=True, slots=True)
class ReaderSpec:
    name: str
    read: ReaderFn
    extensions: tuple[str, ...] = ()
    content_types: tuple[str, ...] = ()
    sniff: Callable[[bytes], bool] | None = None


def _sniff_pdf(head: bytes) -> bool:
    return head[:1024].lstrip().startswith(b"%PDF-")


def _sniff_gzip(head: bytes) -> bool:
    return head.startswith(b"\x1f\x8b")


#: Sniffing runs in this order; the text reader is the fallback and refuses binaries itself.
READERS: list[ReaderSpec] = [
    ReaderSpec("pdf", read_pdf, (".pdf",), ("application/pdf",), _sniff_pdf),
    ReaderSpec(
        "jsonl",
        read_jsonl,
        (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".json.gz"),
        ("application/x-ndjson", "application/jsonl", "application/jsonlines"),
        _sniff_gzip,
    ),
    ReaderSpec("json", read_json, (".json",), ("application/json",), None),
    ReaderSpec(
        "feed",
        read_feed,
        (".rss", ".atom"),
        ("application/rss+xml", "application/atom+xml", "application/rdf+xml"),
        _sniff_feed,
    ),
    ReaderSpec("trec", read_trec, (".trec", ".sgml", ".sgm"), (), _sniff_trec),
    ReaderSpec("xml", read_xml, (".xml",), ("application/xml", "text/xml"), None),
    ReaderSpec(
        "html",
        read_html,
        (".html", ".htm", ".xhtml"),
        ("text/html", "application/xhtml+xml"),
        _sniff_html,
    ),
    ReaderSpec("jsonl-sniffed", read_jsonl, (), (), _sniff_jsonl),
    ReaderSpec(
        "csv", read_csv, (".csv", ".tsv", ".tab"), ("text/csv", "text/tab-separated-values"), None
    ),
    ReaderSpec("text", read_text, (".txt", ".text", ".md"), ("text/plain",), None),
]
_TEXT = READERS[-1]


def pick_reader(source: Source) -> ReaderSpec:
    """Content type (for URLs), then file extension, then the first bytes."""
    if source.content_type:
        for spec in READERS:
            if source.content_type in spec.content_types:
                return spec
    name = source.name.lower()
    by_extension = [
        (len(ext), spec) for spec in READERS for ext in spec.extensions if name.endswith(ext)
    ]
    if by_extension:
        return max(by_extension, key=lambda pair: pair[0])[1]
    head = source.head()
    for spec in READERS:
        if spec.sniff is not None and spec.sniff(head):
            return spec
    return _TEXT


def read_source(source: Source, ctx: ReadContext) -> ReadResult:
    """Run the reader for one source; whatever goes wrong becomes a failure for it alone."""
    spec = pick_reader(source)
    try:
        yield from spec.read(source, ctx)
    except InputError as err:
        yield failure_from_error(source.uri, err)
    except MemoryError:
        yield ReadFailure(source.uri, "too-large", "not enough memory to read this input")
    except OSError as err:
        yield ReadFailure(source.uri, "unreadable", f"cannot read: {err.strerror or err}")
    except Exception as err:  # a reader bug or a library choking on odd input
        yield ReadFailure(
            source.uri,
            "unreadable",
            f"the {spec.name} reader failed ({type(err).__name__}: {err}); please report it",
        )


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def walk_folder(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` in name order, skipping hidden files and folders."""
    seen: set[Path] = set()

    def walk(current: Path) -> Iterator[Path]:
        real = current.resolve()
        if real in seen:  # a symlink loop
            return
        seen.add(real)
        try:
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError:
            return
        for entry in entries:
            if _is_hidden(entry.name):
                continue
            path = Path(entry.path)
            if entry.is_dir():
                yield from walk(path)
            elif entry.is_file():
                yield path

    yield from walk(folder)


def _file_source(path: Path) -> Source:
    absolute = path.resolve()
    return Source(uri=str(absolute), name=absolute.name, path=absolute)


def _iter_one(item: str, stdin: BinaryIO | None, ctx: ReadContext) -> ReadResult:
    item = os.fspath(item)  # Path objects work too
    if item == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield from read_source(Source(uri="stdin", name="", data=stream.read()), ctx)
        return
    if is_url(item):
        try:
            source = fetch(item)
        except InputError as err:
            yield failure_from_error(item, err)
            return
        yield from read_source(source, ctx)
        return
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]+://", item):
        yield ReadFailure(item, "unsupported", "only http:// and https:// URLs can be fetched")
        return
    path = Path(item).expanduser()
    if not path.exists():
        yield ReadFailure(item, "not-found", f"no such file or directory: {item}")
        return
    if path.is_dir():
        for file in walk_folder(path):
            yield from read_source(_file_source(file), ctx)
        return
    if not os.access(path, os.R_OK):
        yield ReadFailure(str(path.resolve()), "unreadable", f"permission denied: {item}")
        return
    yield from read_source(_file_source(path), ctx)


def iter_inputs(
    inputs: Iterable[str],
    *,
    stdin: BinaryIO | None = None,
    seen_urls: Callable[[str], bool] | None = None,
    stats: ReadStats | None = None,
) -> Iterator[Document | ReadFailure]:
    """Documents and failures from every input, in order; a bad input never stops the rest.

    ``inputs`` are file paths, folders (recursive, name order, hidden entries
    skipped), ``-`` for ``stdin`` and http(s) URLs. ``seen_urls`` tells which
    feed item links the store already holds (they are skipped and counted in
    ``stats.skipped_seen``).
    """
    ctx = ReadContext(seen_urls=seen_urls, stats=stats if stats is not None else ReadStats())
    for item in inputs:
        for result in _iter_one(item, stdin, ctx):
            if isinstance(result, ReadFailure):
                ctx.stats.failures += 1
            else:
                ctx.stats.documents += 1
                reader = result.reader or "unknown"
                ctx.stats.by_reader[reader] = ctx.stats.by_reader.get(reader, 0) + 1
            yield result
