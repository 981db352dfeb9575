"""Full-text search over the stored documents: ranking, filters, snippets.

Two FTS5 indexes hold the same terms (see :mod:`rasid.kb.query`): one row
per document (``search_doc_fts``) and one per sentence and title
(``search_fts``). A query is matched and ranked on the document rows, by the
bm25 of the whole document (title and text) for the query, so the words of an
AND query may sit in different sentences. Only the page asked for is then
looked at sentence by sentence: each hit's snippet is the sentence that
matches the most groups (ties: the best bm25 summed over its groups), cut from
the original text, with the matched words' original offsets.

Ranking every match is the cost of a search, so it is done once, on the
smaller index (a common word has a quarter as many document rows as sentence
rows), and nothing else is computed for documents off the page. A phrase is
found by FTS5 as its words close together and then checked word by word on
the sentence rows it found (:func:`rasid.kb.query.phrase_in_row`).
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
    parse_query,
    phrase_in_row,
    text_match_spans,
)
from rasid.kb.records import SearchHit

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


class _Plan:
    """A parsed query in SQL: the documents it matches, and how to find its sentences."""

    def __init__(self, conn: sqlite3.Connection, query: Query) -> None:
        pieces = len(query.required) + len(query.excluded)
        if pieces > MAX_PIECES:
            raise QueryError(
                f"the query has {pieces} words or phrases; search with at most {MAX_PIECES}"
            )
        self.conn = conn
        self.query = query
        # Sentence rows that really hold each phrase: {row id: document id}.
        self._verified: dict[Phrase, dict[int, str]] = {}
        groups = [f"({_any(group)})" for group in query.required]
        expression = " AND ".join(groups)
        excluded_words = [p for group in query.excluded for p in group if len(p.terms) == 1]
        if excluded_words:
            expression = f"({expression}) NOT ({_any(excluded_words)})"
        self.expression = expression
        self.where: list[str] = []
        self.params: list[Any] = []
        for group in query.required:
            self._require_phrases(group)
        excluded_phrases = [p for group in query.excluded for p in group if len(p.terms) > 1]
        if excluded_phrases:
            docs = sorted({d for p in excluded_phrases for d in self.verified(p).values()})
            self.where.append("r.doc_id NOT IN (SELECT value FROM json_each(?))")
            self.params.append(json.dumps(docs))

    def verified(self, phrase: Phrase) -> dict[int, str]:
        """The sentence rows holding ``phrase`` in order, with their documents."""
        found = self._verified.get(phrase)
        if found is None:
            rows = self.conn.execute(
                "SELECT r.id, r.doc_id, search_fts.terms FROM search_fts "
                "JOIN search_rows r ON r.id = search_fts.rowid WHERE search_fts MATCH ?",
                (fts_expression(phrase),),
            )
            found = {
                row_id: doc_id for row_id, doc_id, terms in rows if phrase_in_row(terms, phrase)
            }
            self._verified[phrase] = found
        return found

    def _require_phrases(self, group: list[Phrase]) -> None:
        """A group with phrases matches a document holding one, checked, or one of its words."""
        phrases = [p for p in group if len(p.terms) > 1]
        if not phrases:
            return  # words alone: the MATCH expression decides exactly
        docs = sorted({d for p in phrases for d in self.verified(p).values()})
        alternatives = ["+r.doc_id IN (SELECT value FROM json_each(?))"]
        self.params.append(json.dumps(docs))
        words = [p for p in group if len(p.terms) == 1]
        if words:
            alternatives.append(
                "r.id IN (SELECT rowid FROM search_doc_fts WHERE search_doc_fts MATCH ?)"
            )
            self.params.append(_any(words))
        self.where.append(f"({' OR '.join(alternatives)})")

    def documents_sql(self, filters: Filters, columns: str) -> tuple[str, list[Any]]:
        """SELECT ``columns`` over the matching documents (``r``: search_doc_rows)."""
        where, filter_params = filters.sql()
        # Each matching row costs a look-up in documents: only when a filter needs it.
        join = "" if where == "1" else "JOIN documents d ON d.id = r.doc_id "
        sql = (
            f"SELECT {columns} FROM search_doc_fts "
            f"JOIN search_doc_rows r ON r.id = search_doc_fts.rowid {join}"
            f"WHERE search_doc_fts MATCH ? AND {' AND '.join([where, *self.where])}"
        )
        return sql, [self.expression, *filter_params, *self.params]

    def best_sentences(self, doc_ids: list[str]) -> dict[str, int | None]:
        """Each document's snippet sentence (None: its title row)."""
        rows = self.conn.execute(
            "SELECT id, doc_id, sentence_idx FROM search_rows "
            "WHERE doc_id IN (SELECT value FROM json_each(?))",
            (json.dumps(doc_ids),),
        ).fetchall()
        where = {row_id: (doc_id, idx) for row_id, doc_id, idx in rows}
        parts: list[str] = []
        params: list[Any] = []
        for number, group in enumerate(self.query.required):
            words = [p for p in group if len(p.terms) == 1]
            if words:
                parts.append(_sentence_hits(number))
                params += [_any(words), json.dumps(sorted(where))]
            for phrase in (p for p in group if len(p.terms) > 1):
                held = sorted(set(self.verified(phrase)) & where.keys())
                if held:
                    parts.append(_sentence_hits(number))
                    params += [fts_expression(phrase), json.dumps(held)]
        # Per sentence row: the groups it matches and its summed bm25 (lower is better).
        matched: dict[int, tuple[set[int], float]] = {}
        if parts:
            for row_id, number, score in self.conn.execute(" UNION ALL ".join(parts), params):
                groups, total = matched.get(row_id, (set(), 0.0))
                groups.add(number)
                matched[row_id] = (groups, total + score)
        best: dict[str, tuple[tuple[bool, int, float], int | None]] = {}
        for row_id in sorted(matched):
            doc_id, idx = where[row_id]
            groups, total = matched[row_id]
            # Real sentences before the title, then most groups, then best bm25.
            key = (idx is not None, len(groups), -total)
            if doc_id not in best or key > best[doc_id][0]:
                best[doc_id] = (key, idx)
        return {doc_id: idx for doc_id, (_, idx) in best.items()}


def _any(phrases: list[Phrase]) -> str:
    return " OR ".join(f"({fts_expression(p)})" for p in phrases)


def _sentence_hits(number: int) -> str:
    # "+" keeps SQLite from running the MATCH once per listed rowid: FTS5 walks
    # the matches once, and bm25 is computed for the listed rows only.
    return (
        f"SELECT search_fts.rowid, {number}, bm25(search_fts) FROM search_fts "
        "WHERE search_fts MATCH ? AND +search_fts.rowid IN (SELECT value FROM json_each(?))"
    )


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
    sql, params = _Plan(conn, parsed).documents_sql(filters, "COUNT(*)")
    row = conn.execute(sql, params).fetchone()
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
    """One page of hits, best first."""
    return search_page(conn, query, filters, limit=limit, offset=offset, expand=expand)[0]


def search_page(
    conn: sqlite3.Connection,
    query: str,
    filters: Filters,
    *,
    limit: int,
    offset: int,
    expand: bool = True,
) -> tuple[list[SearchHit], bool]:
    """One page of hits, best first, and whether another page follows.

    One document more than the page is ranked to tell, instead of counting
    every match (:func:`count`), and nothing but its id is looked at.
    """
    filters.check()
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise QueryError(f"offset must be 0 or more, got {offset}")
    parsed = _parse(conn, query, expand)
    if parsed.empty:
        return [], False
    plan = _Plan(conn, parsed)
    sql, params = plan.documents_sql(filters, "r.doc_id, bm25(search_doc_fts) AS score")
    page = conn.execute(
        sql + " ORDER BY score, r.doc_id LIMIT ? OFFSET ?", [*params, limit + 1, offset]
    ).fetchall()
    more = len(page) > limit
    page = page[:limit]
    if not page:
        return [], False
    sentences = plan.best_sentences([doc_id for doc_id, _ in page])
    wanted = [[doc_id, sentences.get(doc_id)] for doc_id, _ in page]
    rows = conn.execute(
        "SELECT d.id, d.title, d.published, d.source_uri, d.publisher, d.language, se.start, "
        "CASE WHEN se.start IS NULL THEN substr(d.text, 1, ?) "
        'ELSE substr(d.text, se.start + 1, se."end" - se.start) END '
        "FROM json_each(?) w JOIN documents d ON d.id = json_extract(w.value, '$[0]') "
        "LEFT JOIN sentences se ON se.doc_id = d.id "
        "AND se.idx = json_extract(w.value, '$[1]')",
        (SNIPPET_CHARS * 2, json.dumps(wanted)),
    ).fetchall()
    found = {row[0]: row for row in rows}
    phrases = parsed.phrases
    hits: list[SearchHit] = []
    for doc_id, score in page:
        _, title, published, source_uri, publisher, language, start, passage = found[doc_id]
        base = int(start) if start is not None else 0
        # Only the title matched: the text it opens with holds no match to mark.
        marked = phrases if start is not None else []
        snippet, snippet_start, highlights = make_snippet(passage or "", base, marked)
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
                sentence_idx=sentences.get(doc_id),
            )
        )
    return hits, more


def make_snippet(
    passage: str, base: int, phrases: list[Phrase]
) -> tuple[str, int, list[tuple[int, int]]]:
    """Cut ``passage`` (which starts at document offset ``base``) to a snippet.

    Returns the snippet, its document offset and the document offsets of the
    matched words that lie inside it.
    """
    spans = text_match_spans(passage, phrases) if phrases else []
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
