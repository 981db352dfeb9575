"""What every reader shares: the failure record, the input source, metadata helpers.

Readers raise :class:`rasid.errors.InputError` subclasses for a whole input and
yield :class:`ReadFailure` for a single bad record; the dispatcher turns raised
errors into failures so one bad input never stops a batch.
"""

from __future__ import annotations

import email.utils
import hashlib
import importlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO, TypeVar

from rasid.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    FetchError,
    InputError,
    MalformedRecordError,
    PdfTextError,
    UnsupportedFormatError,
)
from rasid.model import Document

#: Stable failure codes (the ``code`` of a :class:`ReadFailure`) and the error
#: catalogue entry each one corresponds to.
FAILURE_CODES: dict[str, str] = {
    "not-found": InputError.code,
    "unreadable": InputError.code,
    "encoding": EncodingError.code,
    "empty": EmptyInputError.code,
    "binary": BinaryInputError.code,
    "unsupported": UnsupportedFormatError.code,
    "fetch": FetchError.code,
    "too-large": FetchError.code,
    "pdf-no-text": PdfTextError.code,
    "pdf-damaged": PdfTextError.code,
    "malformed": MalformedRecordError.code,
}

_ERROR_SLUGS: list[tuple[type[InputError], str]] = [
    (EncodingError, "encoding"),
    (EmptyInputError, "empty"),
    (BinaryInputError, "binary"),
    (UnsupportedFormatError, "unsupported"),
    (FetchError, "fetch"),
    (PdfTextError, "pdf-no-text"),
    (MalformedRecordError, "malformed"),
]

#: Formats named in messages, so a user knows what would have worked.
SUPPORTED_FORMATS = "text, HTML, JSONL, CSV, XML, PDF"


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """An input (or one record of it) that could not be read, and why."""

    source: str
    code: str  # one of FAILURE_CODES
    reason: str  # what happened and what to do, for a user

    @property
    def error_code(self) -> str:
        """The ``E###`` code of the matching :mod:`rasid.errors` class."""
        return FAILURE_CODES.get(self.code, InputError.code)

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def failure_from_error(source: str, err: InputError, code: str | None = None) -> ReadFailure:
    slug = code or getattr(err, "slug", None)
    if slug is None:
        slug = next((s for cls, s in _ERROR_SLUGS if isinstance(err, cls)), "unreadable")
    return ReadFailure(source, slug, err.message)


_E = TypeVar("_E", bound=InputError)


def input_error(cls: type[_E], message: str, slug: str) -> _E:
    """An error carrying a finer failure code than its class (e.g. ``too-large``)."""
    err = cls(message)
    err.slug = slug  # type: ignore[attr-defined]
    return err


@dataclass(slots=True)
class ReadStats:
    """Counters a caller can pass to :func:`iter_inputs` to learn what was skipped."""

    documents: int = 0
    failures: int = 0
    skipped_seen: int = 0  # feed items whose link the store already holds
    by_reader: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class ReadContext:
    seen_urls: Callable[[str], bool] | None = None
    stats: ReadStats = field(default_factory=ReadStats)

    def already_seen(self, url: str) -> bool:
        if self.seen_urls is not None and self.seen_urls(url):
            self.stats.skipped_seen += 1
            return True
        return False


@dataclass(slots=True)
class Source:
    """One input as bytes on disk, from a fetch or from stdin."""

    uri: str  # what goes into Document.source_uri
    name: str  # file name or URL path: its extension picks a reader
    path: Path | None = None
    data: bytes | None = None
    content_type: str | None = None  # from an HTTP response
    charset: str | None = None  # from an HTTP response
    meta: dict[str, str] = field(default_factory=dict)

    def open(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return self.path.open("rb")

    def read_bytes(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()

    def head(self, size: int = 65536) -> bytes:
        if self.data is not None:
            return self.data[:size]
        with self.open() as handle:
            return handle.read(size)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _optional(module: str, name: str) -> Callable[[str], str | None] | None:
    """A function of the text layer if that module is there yet (it is built in parallel)."""
    try:
        found = getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None
    return found if callable(found) else None


# Plenty to tell the script and language apart; detection cost grows with the sample.
_LANGUAGE_SAMPLE = 1000


def detect_language(text: str) -> str | None:
    detect = _optional("rasid.text.language", "detect_language")
    if detect is None:
        return None
    return detect(text[:_LANGUAGE_SAMPLE])


_ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)


def parse_date(raw: str | None) -> str | None:
    """ISO 8601 for a publication date as found in a file or feed, or None."""
    if raw is None or not raw.strip():
        return None
    raw = raw.strip()
    parse = _optional("rasid.text.dates", "parse_publication_date")
    if parse is not None:
        parsed = parse(raw)
        if parsed:
            return parsed
    return _fallback_parse_date(raw)


def _iso(value: datetime | date) -> str:
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == 0 and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    return value.isoformat()


def _fallback_parse_date(raw: str) -> str | None:
    if _ISO_DATE.match(raw):
        try:
            return _iso(datetime.fromisoformat(raw.replace("Z", "+00:00")))
        except ValueError:
            pass
    try:
        return _iso(email.utils.parsedate_to_datetime(raw))  # RFC 2822, as in RSS
    except (TypeError, ValueError, IndexError):
        pass
    import dateparser  # imported late: it is slow to load and rarely needed

    # A date without a year would silently become "this year": require all parts.
    parsed = dateparser.parse(
        raw, languages=["ar", "en", "fr"], settings={"REQUIRE_PARTS": ["day", "month", "year"]}
    )
    return _iso(parsed) if parsed is not None else None


def finish(doc: Document) -> Document:
    """Fill what every reader leaves to the end: language."""
    if doc.language is None and doc.text:
        doc.language = detect_language(doc.text)
    return doc


def clean_field(value: object) -> str | None:
    """A metadata value as a stripped string, None when absent or blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


ReadResult = Iterator[Document | ReadFailure]
