"""What the store hands back: a stored document with its analysis, a search hit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasid.model import Analysis, Document, Mention, Sentence, Statement


@dataclass(frozen=True, slots=True)
class DocumentSource:
    """One place a document was seen (the same text can arrive from several)."""

    source_uri: str
    sha256: str
    seen_at: str


@dataclass(slots=True)
class StoredDocument:
    """A document as stored, with everything the pipeline found in it."""

    document: Document
    content_key: str
    duplicate_of: str | None = None
    near_duplicate_of: str | None = None
    near_similarity: float | None = None
    components: list[str] = field(default_factory=list)
    sources: list[DocumentSource] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.document.id

    def to_analysis(self) -> Analysis:
        """The stored analysis (tokens are not stored: re-tokenise if needed)."""
        return Analysis(
            document=self.document,
            sentences=list(self.sentences),
            mentions=list(self.mentions),
            statements=list(self.statements),
            events=[dict(e) for e in self.events],
            components=list(self.components),
        )


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One matching document, with its best sentence as the snippet.

    ``highlights`` are ``[start, end)`` offsets of the matched words in the
    document's original text; ``snippet`` is ``text[snippet_start:snippet_start
    + len(snippet)]``, so a highlight ``(s, e)`` inside it is at
    ``(s - snippet_start, e - snippet_start)`` of the snippet.
    """

    doc_id: str
    title: str | None
    published: str | None
    source_uri: str
    publisher: str | None
    score: float  # higher is better
    snippet: str
    snippet_start: int
    highlights: list[tuple[int, int]]
    sentence_idx: int | None  # None when only the title matched
    language: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "published": self.published,
            "source_uri": self.source_uri,
            "publisher": self.publisher,
            "language": self.language,
            "score": self.score,
            "snippet": self.snippet,
            "snippet_start": self.snippet_start,
            "highlights": [list(h) for h in self.highlights],
            "sentence_idx": self.sentence_idx,
        }
