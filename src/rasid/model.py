"""The shared vocabulary of rasid: documents, spans, tokens, mentions, statements.

Every analysed item points at character offsets ``[start, end)`` in the *exact
original text* of its document (``document.text[start:end] == item.text``).
Normalised text exists only for matching and search, through offset maps.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

#: Review status of machine output; judgements change it, never the machine.
REVIEW_STATUSES = ("machine", "accepted", "rejected", "edited")

#: Certainty levels a statement can carry (labels live in data/schema.yaml).
CERTAINTIES = ("asserted", "reported", "estimated", "believed", "uncertain", "denied", "negated")


# json.dumps with options builds an encoder per call; ingest makes an ID per mention.
_ID_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def stable_id(prefix: str, *parts: object) -> str:
    """A deterministic ID: the same identifying parts always give the same ID."""
    payload = _ID_ENCODER.encode([str(p) for p in parts])
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]
    return f"{prefix}-{digest}"


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range in a document's original text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def slice(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(slots=True)
class Document:
    """A document exactly as published, plus where it came from."""

    text: str
    sha256: str  # of the original bytes as received
    source_uri: str  # path, URL or "stdin"
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 date or datetime, parsed
    published_raw: str | None = None  # the string as found
    language: str | None = None
    ingested_at: str | None = None  # ISO 8601 UTC, set by the store
    content_type: str | None = None  # text/plain, text/html, application/pdf, ...
    reader: str | None = None  # name of the reader that produced it
    external_id: str | None = None  # id given by the corpus/feed, if any
    meta: dict[str, Any] = field(default_factory=dict)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            # Identity is the content: the same article taken in twice is one document.
            self.id = document_id(self.text)


def document_id(text: str) -> str:
    return stable_id("doc", text)


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Token:
    """A token with its clitic segments. ``norm`` is the matching form."""

    text: str
    start: int
    end: int
    norm: str
    kind: str  # "word" | "number" | "punct" | "latin" | "symbol"
    # Sub-tokens from clitic segmentation, each with original offsets; a token
    # with no clitics has a single segment equal to itself.
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    start: int
    end: int
    norm: str
    role: str  # "proclitic" | "article" | "stem"


@dataclass(slots=True)
class Mention:
    """A typed span found in the text (an entity name, a date, a quantity...)."""

    start: int
    end: int
    text: str
    type: str  # PERSON, ORG, GPE, LOC, FACILITY, NORP, ROLE, DATE, QUANTITY, PERCENT, EVENT, MISC
    norm: str = ""
    subtype: str | None = None
    confidence: float = 1.0
    component: str = ""  # e.g. "ner.crf.v1"
    value: dict[str, Any] = field(default_factory=dict)  # parsed value for DATE/QUANTITY/...
    entity_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class SourceLink:
    """One link of an attribution chain: publisher → relayed source → quoted person."""

    name: str
    role: str  # "publisher" | "relayed" | "quoted"
    entity_id: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class Statement:
    """The unit of knowledge: one claim, with its evidence and who made it."""

    subject: str  # entity id (or document id for document-level claims)
    property: str  # e.g. "commander_of", "strength"
    value: str  # literal value or object entity id
    document_id: str
    start: int  # evidence span in the original text
    end: int
    sentence_index: int | None = None
    object_entity: str | None = None
    qualifiers: dict[str, Any] = field(default_factory=dict)
    attribution: list[SourceLink] = field(default_factory=list)
    certainty: str = "asserted"
    component: str = ""
    review_status: str = "machine"
    id: str = ""

    def __post_init__(self) -> None:
        if self.certainty not in CERTAINTIES:
            raise ValueError(f"unknown certainty {self.certainty!r}")
        if not self.id:
            self.id = stable_id(
                "st",
                self.subject,
                self.property,
                self.value,
                self.document_id,
                self.start,
                self.end,
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Analysis:
    """Everything the pipeline found in one document."""

    document: Document
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    components: list[str] = field(default_factory=list)  # "name.version" that ran

    def sentence_at(self, offset: int) -> Sentence | None:
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None
