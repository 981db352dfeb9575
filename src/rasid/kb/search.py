"""Full-text search over the stored sentences: ranking, filters, snippets.

Each required group of the query (see :mod:`rasid.kb.query`) is matched
against the sentence rows of the FTS5 index on its own, so the words of an
AND query may sit in different sentences of a document. A document's score
is the sum, over the groups, of the bm25 of its best sentence for that group;
its snippet is the sentence that matches the most groups (ties: best bm25),
cut from the original text, with the matched words' original offsets.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from rasid.errors import QueryError
from rasid.kb.query import (
    Expander,
    Phrase,
    Query,
    fts_expression,
    match_spans,
    parse_query,
    phrase_in_row,
)
from rasid.kb.records import SearchHit
from rasid.text.tokenize import tokenize

SNIPPET_CHARS = 240
_SNIPPET_LEAD = 60  # characters kept before the first match when trimming
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2}([T ][0-9:.+\-Z]*)?)?)?")
MAX_LIMIT = 1000
MAX_PIECES = 64  # AND-ed words and phrases in one query (SQLite caps a UNION at 500 parts)


@dataclass(frozen=True, slots=True)
class Filters:
    language: str | None = None
    source: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    def check(self) -> None:
        for name, value in (("date_from", self.date_from), ("date_to", self.date_to)):
            if value is not None and not _DATE.fullmatch(value):
                raise QueryError(
                    f"{name}={value!r} is not an ISO date; use YYYY, YYYY-MM or YYYY-MM-DD"
                )

    def sql(self) -> tuple[str, list[Any]]:
        """A WHERE fragment over ``documents d`` and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.language:
            clauses.append("d.language = ?")
            params.append(self.language)
        if self.source:
            like = "%" + re.sub(r"([\\%_])", r"\\\1", self.source) + "%"
            clauses.append(
                "(d.publisher LIKE ? ESCAPE '\\' OR d.source_uri LIKE ? ESCAPE '\\' OR "
                "EXISTS (SELECT 1 FROM document_sources s WHERE s.doc_id = d.id "
                "AND s.source_uri LIKE ? ESCAPE '\\'))"
            )
            params += [like, like, like]
        if self.date_from:
            # Compare as many characters as the bound has: '2018-03' includes March.
            clauses.append("substr(d.published, 1, ?) >= ?")
            params += [len(self.date_from), self.date_from]
        if self.date_to:
            clauses.append("substr(d.published, 1, ?) <= ?")
            params += [len(self.date_to), self.date_to]
        return (" AND ".join(clauses) or "1"), params


def _group_sql(conn: sqlite3.Connection, group: list[Phrase]) -> list[tuple[str, list[Any]]]:
    """WHERE fragments selecting the index rows that hold any phrase of ``group``.

    Single words go in one MATCH; phrases in another, restricted to the rows
    where their words stand in order (FTS5 found them close, in any order:
    see rasid.kb.query). At most two fragments a group, whatever its size.
    """
    fragments: list[tuple[str, list[Any]]] = []
    words = [p for p in group if len(p.terms) == 1]
    phrases = [p for p in group if len(p.terms) > 1]
    if words:
        expression = " OR ".join(fts_expression(p) for p in words)
        fragments.append(("search_fts MATCH ?", [expression]))
    if phrases:
        verified: set[int] = set()
        for phrase in phrases:
            rows = conn.execute(
                "SELECT rowid, terms FROM search_fts WHERE search_fts MATCH ?",
                (fts_expression(phrase),),
            ).fetchall()
            verified.update(rowid for rowid, terms in rows if phrase_in_row(terms, phrase))
        expression = " OR ".join(f"({fts_expression(p)})" for p in phrases)
        fragments.append(
            (
                # "+" keeps SQLite from running the MATCH once per listed rowid.
                "search_fts MATCH ? AND +search_fts.rowid IN (SELECT value FROM json_each(?))",
                [expression, json.dumps(sorted(verified))],
            )
        )
    return fragments


def _hits_cte(conn: sqlite3.Connection, query: Query) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    for number, group in enumerate(query.required):
        for where, where_params in _group_sql(conn, group):
            parts.append(
                f"SELECT r.doc_id AS doc_id, r.sentence_idx AS sentence_idx, {number} AS grp, "
                "bm25(search_fts) AS s FROM search_fts JOIN search_rows r "
                f"ON r.id = search_fts.rowid WHERE {where}"
            )
            params += where_params
    return " UNION ALL ".join(parts), params


def _excluded_sql(conn: sqlite3.Connection, query: Query) -> tuple[str, list[Any]]:
    if not query.excluded:
        return "1", []
    parts = []
    params: list[Any] = []
    for group in query.excluded:
        for where, where_params in _group_sql(conn, group):
            parts.append(
                "SELECT r.doc_id FROM search_fts JOIN search_rows r "
                f"ON r.id = search_fts.rowid WHERE {where}"
            )
            params += where_params
    return f"d.id NOT IN ({' UNION '.join(parts)})", params


def _documents_sql(
    conn: sqlite3.Connection, query: Query, filters: Filters
) -> tuple[str, list[Any]]:
    """CTEs ``hits`` and ``docs`` (matching, filtered documents with their score)."""
    pieces = len(query.required) + len(query.excluded)
    if pieces > MAX_PIECES:
        raise QueryError(
            f"the query has {pieces} words or phrases; search with at most {MAX_PIECES}"
        )
    hits, params = _hits_cte(conn, query)
    where, filter_params = filters.sql()
    excluded, excluded_params = _excluded_sql(conn, query)
    sql = (
        f"WITH hits AS MATERIALIZED ({hits}), "
        "per_group AS (SELECT doc_id, grp, MIN(s) AS s FROM hits GROUP BY doc_id, grp), "
        "scored AS (SELECT doc_id, SUM(s) AS score FROM per_group GROUP BY doc_id "
        "HAVING COUNT(*) = ?), "
        "docs AS (SELECT scored.doc_id, scored.score FROM scored "
        f"JOIN documents d ON d.id = scored.doc_id WHERE {where} AND {excluded}) "
    )
    return sql, [*params, len(query.required), *filter_params, *excluded_params]


def default_expander(conn: sqlite3.Connection) -> Expander:
    """Cross-script expansion from the linking layer (catalogues, gazetteer, entities)."""
    # Imported here: the linking layer builds on the store, not the other way.
    from rasid.link.expand import expander_for

    return expander_for(conn)


def _parse(conn: sqlite3.Connection, query: str, expand: bool) -> Query:
    expander: Expander | None = None
    if expand:

        def expander(text: str) -> list[str]:
            return default_expander(conn)(text)

    return parse_query(query, expander)


def count(conn: sqlite3.Connection, query: str, filters: Filters, *, expand: bool = True) -> int:
    filters.check()
    parsed = _parse(conn, query, expand)
    if parsed.empty:
        return 0
    sql, params = _documents_sql(conn, parsed, filters)
    row = conn.execute(sql + "SELECT COUNT(*) FROM docs", params).fetchone()
    return int(row[0])


def search(
    conn: sqlite3.Connection,
    query: str,
    filters: Filters,
    *,
    limit: int,
    offset: int,
    expand: bool = True,
) -> list[SearchHit]:
    filters.check()
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise QueryError(f"offset must be 0 or more, got {offset}")
    parsed = _parse(conn, query, expand)
    if parsed.empty:
        return []
    sql, params = _documents_sql(conn, parsed, filters)
    # The snippet sentence: real sentences before title rows, then the one that
    # matches most groups, then the best total bm25 (SQLite takes the bare
    # column sentence_idx from the row holding the MAX).
    sql += (
        ", page AS (SELECT doc_id, score FROM docs ORDER BY score, doc_id LIMIT ? OFFSET ?), "
        "sent AS (SELECT h.doc_id, h.sentence_idx, COUNT(DISTINCT h.grp) AS n, SUM(h.s) AS s "
        "FROM hits h JOIN page p ON p.doc_id = h.doc_id GROUP BY h.doc_id, h.sentence_idx), "
        "best AS (SELECT doc_id, sentence_idx, "
        "MAX((sentence_idx IS NOT NULL) * 1e15 + n * 1e9 - s) AS key FROM sent GROUP BY doc_id) "
        "SELECT p.doc_id, p.score, b.sentence_idx, d.title, d.published, d.source_uri, "
        'd.publisher, d.language, se.start, se."end", '
        "CASE WHEN se.start IS NULL THEN substr(d.text, 1, ?) "
        'ELSE substr(d.text, se.start + 1, se."end" - se.start) END '
        "FROM page p JOIN best b ON b.doc_id = p.doc_id JOIN documents d ON d.id = p.doc_id "
        "LEFT JOIN sentences se ON se.doc_id = p.doc_id AND se.idx = b.sentence_idx "
        "ORDER BY p.score, p.doc_id"
    )
    rows = conn.execute(sql, [*params, limit, offset, SNIPPET_CHARS * 2]).fetchall()
    phrases = parsed.phrases
    hits: list[SearchHit] = []
    for row in rows:
        (doc_id, score, sentence_idx, title, published, source_uri) = row[:6]
        publisher, language, start, _end, passage = row[6:]
        base = int(start) if start is not None else 0
        snippet, snippet_start, highlights = make_snippet(passage or "", base, phrases)
        hits.append(
            SearchHit(
                doc_id=doc_id,
                title=title,
                published=published,
                source_uri=source_uri,
                publisher=publisher,
                language=language,
                score=-float(score),
                snippet=snippet,
                snippet_start=snippet_start,
                highlights=highlights,
                sentence_idx=sentence_idx,
            )
        )
    return hits


def make_snippet(
    passage: str, base: int, phrases: list[Phrase]
) -> tuple[str, int, list[tuple[int, int]]]:
    """Cut ``passage`` (which starts at document offset ``base``) to a snippet.

    Returns the snippet, its document offset and the document offsets of the
    matched words that lie inside it.
    """
    spans = match_spans(tokenize(passage), phrases)
    lo, hi = 0, len(passage)
    if hi > SNIPPET_CHARS:
        first = spans[0][0] if spans else 0
        lo = max(0, first - _SNIPPET_LEAD)
        if lo > 0:
            # Start at a word boundary, never in the middle of a word.
            space = passage.rfind(" ", 0, lo + 1)
            lo = space + 1 if space >= 0 and lo - space < 30 else lo
        hi = min(len(passage), lo + SNIPPET_CHARS)
        if hi < len(passage):
            space = passage.rfind(" ", lo, hi)
            hi = space if space > lo + SNIPPET_CHARS // 2 else hi
    snippet = passage[lo:hi].strip()
    shift = passage[lo:hi].find(snippet) if snippet else 0
    lo += max(shift, 0)
    hi = lo + len(snippet)
    highlights = [(base + s, base + e) for s, e in spans if s >= lo and e <= hi]
    return snippet, base + lo, highlights
