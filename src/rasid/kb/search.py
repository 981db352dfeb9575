"""Full-text search over the stored documents: ranking, filters, snippets.

Two FTS5 indexes hold the same terms (see :mod:`rasid.kb.query`): one row
per document (``search_doc_fts``) and one per sentence and title
(``search_fts``). A query is matched and ranked on the document rows, by the
bm25 of the whole document (title and text) for the query, so the words of an
AND query may sit in different sentences. Only the page asked for is then
looked at sentence by sentence, in Python over the page's own index rows:
each hit's snippet is the sentence that matches the most groups (ties: BM25's
term-frequency part summed over its groups; then the first), cut from the
original text, with the matched words' original offsets (the row's matched
tokens, found again in the sentence: :func:`rasid.kb.query.row_spans`).

Ranking every match is the cost of a search, so it is done once, on the
smaller index (a common word has a quarter as many document rows as sentence
rows), and nothing else is computed for documents off the page. A phrase is
found by FTS5 as its words close together and then checked word by word on
sentence rows (:func:`rasid.kb.query.phrase_in_row`), unless another
alternative of its group holds it (صلاح for "محمد صلاح"). A page checks the
ranked documents in turn, as the ranking reaches them (a common phrase has
thousands of sentences, a page twenty documents); a count checks every
sentence the sentence index finds for the phrase.
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
    count_words,
    fts_expression,
    parse_query,
    phrase_in_row,
    row_matches,
    row_spans,
    text_match_spans,
)
from rasid.kb.records import SearchHit

SNIPPET_CHARS = 240
_SNIPPET_LEAD = 60  # characters kept before the first match when trimming
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2}([T ][0-9:.+\-Z]*)?)?)?")
MAX_LIMIT = 1000
MAX_PIECES = 64  # AND-ed words and phrases in one query (SQLite caps a UNION at 500 parts)
_LATE_BATCH = 64  # ranked documents checked at a time against the late filters
#: Ranked documents checked in turn against the document filters and the
#: phrases before every match is filtered instead (see :meth:`_Plan.ranked`).
_LAZY_CHECK_DOCS = 8 * _LATE_BATCH
_MAX_PREFILTER_TERMS = 32  # more query terms: every row of the page's documents is read
_AVERAGE_ROW_TOKENS = 23.3  # tokens in a sentence's index row, on average over the news corpus


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
        """A WHERE fragment over ``documents d`` and its parameters (every filter)."""
        where, params = self.document_sql()
        late, late_params = self.late_sql("d.id")
        if late == "1":
            return where, params
        return f"{where} AND {late}", [*params, *late_params]

    def late_sql(self, doc_id: str) -> tuple[str, list[Any]]:
        """The filters that look beyond the document's own columns, over the
        document id ``doc_id`` (SQL); a search applies them to the ranked
        documents one page at a time instead of to every match. None here."""
        return "1", []

    def document_sql(self) -> tuple[str, list[Any]]:
        """The filters on the document's own columns, over ``documents d``."""
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
        # A phrase holding another alternative of its group adds no document.
        groups = [f"({_any(_necessary(group))})" for group in query.required]
        expression = " AND ".join(groups)
        excluded_words = [p for group in query.excluded for p in group if len(p.terms) == 1]
        if excluded_words:
            expression = f"({expression}) NOT ({_any(excluded_words)})"
        self.expression = expression
        self.where: list[str] = []
        self.params: list[Any] = []
        # Groups with phrases: the index finds a phrase's words close together,
        # and whether they stand in order in one sentence is checked on the
        # sentence rows. A ranking checks only the documents it reaches
        # (:meth:`_holding_phrases`); a count, every match (:meth:`_phrases_where`).
        self.phrase_groups = [
            group
            for group in map(_necessary, query.required)
            if any(len(p.terms) > 1 for p in group)
        ]
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
                "SELECT r.id, r.doc_id, c.c0 FROM search_fts "
                "JOIN search_rows r ON r.id = search_fts.rowid "
                "JOIN search_fts_content c ON c.id = search_fts.rowid WHERE search_fts MATCH ?",
                (fts_expression(phrase),),
            )
            found = {
                row_id: doc_id for row_id, doc_id, terms in rows if phrase_in_row(terms, phrase)
            }
            self._verified[phrase] = found
        return found

    def _phrases_where(self) -> tuple[list[str], list[Any]]:
        """WHERE clauses (over ``r``: search_doc_rows) for the phrase groups,
        each phrase verified on every sentence row the index finds for it.

        A group matches a document holding one of its phrases, checked, or one
        of its words.
        """
        where: list[str] = []
        params: list[Any] = []
        for group in self.phrase_groups:
            phrases = [p for p in group if len(p.terms) > 1]
            docs = sorted({d for p in phrases for d in self.verified(p).values()})
            alternatives = ["+r.doc_id IN (SELECT value FROM json_each(?))"]
            params.append(json.dumps(docs))
            words = [p for p in group if len(p.terms) == 1]
            if words:
                alternatives.append(
                    "r.id IN (SELECT rowid FROM search_doc_fts WHERE search_doc_fts MATCH ?)"
                )
                params.append(_any(words))
            where.append(f"({' OR '.join(alternatives)})")
        return where, params

    def _holding_phrases(self, docs: dict[int, str]) -> set[int]:
        """Which of ``docs`` ({search_doc_rows id: doc id}) match every phrase group.

        The same test as :meth:`_phrases_where`, asked of these documents only:
        their sentence rows holding a phrase's first word are read and checked,
        and the group's words are asked of the index for these rows alone.
        """
        passing = set(docs)
        phrases = list(
            dict.fromkeys(p for group in self.phrase_groups for p in group if len(p.terms) > 1)
        )
        firsts = sorted({p.terms[0] for p in phrases})
        rows = self.conn.execute(
            "SELECT r.doc_id, f.c0 FROM search_rows r "
            "JOIN search_fts_content f ON f.id = r.id "
            "WHERE r.doc_id IN (SELECT value FROM json_each(?)) AND ("
            + " OR ".join(["instr(f.c0, ?)"] * len(firsts))
            + ")",
            (json.dumps(sorted(set(docs.values()))), *firsts),
        ).fetchall()
        held: dict[Phrase, set[str]] = {
            p: {doc_id for doc_id, row in rows if phrase_in_row(row, p)} for p in phrases
        }
        ids = json.dumps(sorted(docs))
        for group in self.phrase_groups:
            holding = set().union(*(held[p] for p in group if len(p.terms) > 1))
            keep = {i for i in passing if docs[i] in holding}
            words = [p for p in group if len(p.terms) == 1]
            if words and len(keep) < len(passing):
                keep |= {
                    i
                    for (i,) in self.conn.execute(
                        "SELECT rowid FROM search_doc_fts WHERE search_doc_fts MATCH ? "
                        "AND rowid IN (SELECT value FROM json_each(?))",
                        (_any(words), ids),
                    )
                }
            passing &= keep
        return passing

    def documents_sql(
        self, filters: Filters, columns: str, *, late: bool = True
    ) -> tuple[str, list[Any]]:
        """SELECT ``columns`` over the matching documents (``r``: search_doc_rows),
        every phrase verified.

        ``late=False`` leaves out the filters :meth:`Filters.late_sql` gives.
        """
        where, filter_params = filters.sql() if late else filters.document_sql()
        phrase_clauses, phrase_params = self._phrases_where()
        clauses = [*self.where, *phrase_clauses]
        params = [*self.params, *phrase_params]
        # Each matching row costs a look-up in documents: only when a filter needs it.
        join = (
            ""
            if where == "1"
            else "JOIN documents d INDEXED BY documents_filters ON d.id = r.doc_id "
        )
        sql = (
            f"SELECT {columns} FROM search_doc_fts "
            f"JOIN search_doc_rows r ON r.id = search_doc_fts.rowid {join}"
            f"WHERE search_doc_fts MATCH ? AND {' AND '.join([where, *clauses])}"
        )
        return sql, [self.expression, *filter_params, *params]

    def ranked(self, filters: Filters, limit: int, offset: int) -> list[tuple[str, float]]:
        """(doc_id, score) of the matching documents from ``offset``, best first
        (ties: the first stored), at most ``limit`` of them."""
        where, _ = filters.document_sql()
        if where != "1" or self.phrase_groups:
            # A filter on the documents' columns (dates, language, source)
            # holds for a good share of them, and a phrase's words close
            # together mostly stand in order: both are checked on the ranked
            # documents as the ranking reaches them, and the ranking reads the
            # index alone. Past _LAZY_CHECK_DOCS ranked documents without a
            # full page (a narrow filter, words rarely in order), every match
            # is filtered in the ranking query instead.
            page = self._ranked(filters, limit, offset, lazy=True)
            if page is not None:
                return page
        page = self._ranked(filters, limit, offset, lazy=False)
        assert page is not None  # not lazy: the ranking runs to its end
        return page

    def _ranked(
        self, filters: Filters, limit: int, offset: int, *, lazy: bool
    ) -> list[tuple[str, float]] | None:
        """The page of :meth:`ranked`; with ``lazy``, the document filters and
        the phrases are checked on the ranked documents, and None is returned
        when _LAZY_CHECK_DOCS of them did not fill the page."""
        where, where_params = filters.document_sql()
        late, late_params = filters.late_sql("r.doc_id")
        # (search_doc_rows id, score) of every match, best first.
        if lazy or (where == "1" and not self.where and not self.phrase_groups):
            # The index's rows are ranked alone, with no look-up per match.
            ranking = (
                "SELECT rowid AS id, bm25(search_doc_fts) AS score FROM search_doc_fts "
                "WHERE search_doc_fts MATCH ? ORDER BY score, rowid"
            )
            params: list[Any] = [self.expression]
        else:
            ranking, params = self.documents_sql(
                filters, "r.id AS id, bm25(search_doc_fts) AS score", late=False
            )
            ranking += " ORDER BY score, r.id"
        conditions, check_params = [late], list(late_params)
        join = ""
        if lazy:
            conditions = [*self.where, where, late]
            check_params = [*self.params, *where_params, *late_params]
            if where != "1":
                join = "JOIN documents d INDEXED BY documents_filters ON d.id = r.doc_id "
        phrases = lazy and bool(self.phrase_groups)
        if conditions == ["1"] and not phrases:
            # Only the page's documents are looked up.
            sql = (
                f"SELECT r.doc_id, ranked.score FROM ({ranking} LIMIT ? OFFSET ?) AS ranked "
                "JOIN search_doc_rows r ON r.id = ranked.id ORDER BY ranked.score, ranked.id"
            )
            return [
                (doc_id, score)
                for doc_id, score in self.conn.execute(sql, [*params, limit, offset])
            ]
        # Filters on other tables (a mention of a type, a statement of a
        # certainty) hold for most documents: asked of every match they cost
        # more than the ranking; asked of the ranked documents in turn, about
        # a page's worth. The ranked rows come a batch at a time, and each
        # batch is checked in one query (and its phrases in one more).
        check = (
            "SELECT r.id, r.doc_id FROM json_each(?) AS j "
            f"JOIN search_doc_rows r ON r.id = j.value {join}WHERE {' AND '.join(conditions)}"
        )
        cursor = self.conn.execute(ranking, params)
        kept: list[tuple[str, float]] = []
        seen = 0
        try:
            while len(kept) < offset + limit:
                if lazy and seen >= _LAZY_CHECK_DOCS:
                    return None
                batch = cursor.fetchmany(_LATE_BATCH)
                if not batch:
                    break
                seen += len(batch)
                passing = dict(
                    self.conn.execute(check, [json.dumps([i for i, _ in batch]), *check_params])
                )
                if phrases and passing:
                    holding = self._holding_phrases(passing)
                    passing = {i: d for i, d in passing.items() if i in holding}
                kept += [(passing[i], score) for i, score in batch if i in passing]
        finally:
            cursor.close()
        return kept[offset : offset + limit]

    def best_sentences(self, doc_ids: list[str]) -> dict[str, _Best]:
        """Each document's snippet sentence, with the pieces of its row that match.

        Read from the page's own rows and matched here, not through the
        sentence index: a common word's matches in the index number tens of
        thousands, the page's rows a few hundred.
        """
        # Rows holding none of the query's terms are left out by SQLite (a
        # substring test: a term that matches is in its row's text). The rows'
        # text is read from the index's content table (FTS5's "%_content"
        # shadow table, by rowid): through the FTS5 table, each row would be a
        # query of its own.
        terms = sorted({term for group in self.query.required for p in group for term in p.terms})
        held = ""
        if len(terms) <= _MAX_PREFILTER_TERMS:
            held = " AND (" + " OR ".join(["instr(f.c0, ?)"] * len(terms)) + ")"
        rows = self.conn.execute(
            "SELECT r.doc_id, r.sentence_idx, f.c0 FROM search_rows r "
            "JOIN search_fts_content f ON f.id = r.id "
            f"WHERE r.doc_id IN (SELECT value FROM json_each(?)){held} ORDER BY r.id",
            (json.dumps(doc_ids), *(terms if held else ())),
        ).fetchall()
        groups = self.query.required
        # Words alone (most queries): each row's occurrences are counted, and
        # where they are is read on the chosen rows only.
        words_only = [
            tuple(p.terms[0] for p in group)
            if all(len(p.terms) == 1 and not p.prefix for p in group)
            else None
            for group in groups
        ]
        group_terms = [{t for p in group for t in p.terms} for group in groups]
        chosen: dict[str, tuple[tuple[bool, int, float], int | None, str]] = {}
        for doc_id, idx, row in rows:
            counts = [
                count_words(row, words)
                if words is not None
                else len(row_matches(row, group))
                if any(t in row for t in terms)
                else 0
                for group, words, terms in zip(groups, words_only, group_terms, strict=True)
            ]
            matched = sum(1 for count in counts if count)
            if not matched:
                continue
            # BM25's term-frequency part per group (k1 = 1.2, b = 0.75) over the
            # row's length in tokens; the groups' idf is left out, as the rows
            # compared are one document's and mostly match the same groups.
            norm = 1.2 * (0.25 + 0.75 * (row.count(" ") + 1) / _AVERAGE_ROW_TOKENS)
            score = sum(count * 2.2 / (count + norm) for count in counts if count)
            # Real sentences before the title, then most groups, then the score;
            # the first such sentence on a tie.
            key = (idx is not None, matched, score)
            if doc_id not in chosen or key > chosen[doc_id][0]:
                chosen[doc_id] = (key, idx, row)
        best: dict[str, _Best] = {}
        for doc_id, (_, idx, row) in chosen.items():
            pieces = frozenset(
                first + k
                for group in groups
                for first, count in row_matches(row, group)
                for k in range(count)
            )
            best[doc_id] = _Best(idx, row, pieces)
        return best


@dataclass(frozen=True, slots=True)
class _Best:
    """A document's snippet sentence (None: its title), its index row, the row's matched pieces."""

    sentence_idx: int | None
    row: str
    pieces: frozenset[int]


def _necessary(group: list[Phrase]) -> list[Phrase]:
    """The group's alternatives less the phrases that hold another alternative.

    A document with "محمد صلاح" holds صلاح: when the word is an alternative in
    the same group, the phrase adds no document, and is neither matched nor
    verified (cross-script expansion often gives both, and a common phrase is
    costly to verify).
    """
    exact = [p.terms for p in group if not p.prefix]
    return [
        p
        for p in group
        if len(p.terms) == 1
        # A prefix's last term is not a whole word: only the words before it count.
        or not any(
            other != p.terms and _contains(p.terms[:-1] if p.prefix else p.terms, other)
            for other in exact
        )
    ]


def _contains(terms: tuple[str, ...], part: tuple[str, ...]) -> bool:
    size = len(part)
    return any(terms[i : i + size] == part for i in range(len(terms) - size + 1))


def _any(phrases: list[Phrase]) -> str:
    return " OR ".join(f"({fts_expression(p)})" for p in phrases)


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
    page = plan.ranked(filters, limit + 1, offset)
    more = len(page) > limit
    page = page[:limit]
    if not page:
        return [], False
    sentences = plan.best_sentences([doc_id for doc_id, _ in page])
    wanted = [
        [doc_id, best.sentence_idx if (best := sentences.get(doc_id)) else None]
        for doc_id, _ in page
    ]
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
        best = sentences.get(doc_id)
        base = int(start) if start is not None else 0
        spans: list[tuple[int, int]] = []
        if start is not None and best is not None:
            # Only the title matched: the text it opens with holds no match to mark.
            aligned = row_spans(passage or "", best.row, best.pieces)
            spans = aligned if aligned is not None else text_match_spans(passage or "", phrases)
        snippet, snippet_start, highlights = make_snippet(passage or "", base, spans)
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
                sentence_idx=best.sentence_idx if best else None,
            )
        )
    return hits, more


def make_snippet(
    passage: str, base: int, spans: list[tuple[int, int]]
) -> tuple[str, int, list[tuple[int, int]]]:
    """Cut ``passage`` (which starts at document offset ``base``) to a snippet.

    ``spans`` are the matched words' offsets in the passage. Returns the
    snippet, its document offset and the document offsets of the matched
    words that lie inside it.
    """
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
