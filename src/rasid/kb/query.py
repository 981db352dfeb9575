"""The search vocabulary: how text becomes index terms and a query becomes FTS5.

SQLite's ``unicode61`` tokenizer splits Arabic words at harakat and knows
nothing of clitics, so the store never lets it see raw text. Tokens come from
the text layer, normalised (no diacritics or tatweel, one alef/ya/ta marbuta,
Western digits; Latin case-folded) and segmented into clitics.

A query word is reduced to one term, the *stem* the segmenter gives it
(لمنبج → منبج, الرقة → رقه). A document token is indexed under its stem and
under every reading with a proclitic chain taken off (و ف ب ل, كال, ال, لل and
their combinations), because the corpus-based segmenter keeps rare names whole
(بمنبج, لجيش): so منبج finds منبج, لمنبج, بمنبج and وبمنبج, and رقة finds
الرقة and بالرقة. A token's terms are written ``a/b/c`` in the index row: FTS5
sees separate words, and phrase checks read the token boundaries back (FTS5
cannot place two words at one position, so a phrase is matched by FTS5 as AND
within a sentence and then verified here, token by token).

Query syntax (AND by default)::

    جيش دابق            both words, anywhere in the document
    "جيش دابق"          the phrase (also “...”, «...»)
    داعش OR الدولة      either
    -حلب / -"ريف حلب"   exclude documents that contain it
    الشيشا*             prefix of the last word

Anything else is text: FTS5 syntax characters in user input are never passed
through, so no query can raise a syntax error.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress
from operator import itemgetter
from typing import cast

from rasid.model import Sentence, Token
from rasid.text.normalize import normalize_key
from rasid.text.tokenize import split_tokens, tokenize

__all__ = [
    "Expander",
    "Phrase",
    "Query",
    "count_words",
    "fts_expression",
    "index_pieces",
    "index_text",
    "match_spans",
    "parse_query",
    "phrase_in_row",
    "query_term",
    "row_matches",
    "row_spans",
    "search_terms",
    "text_match_spans",
    "text_search_units",
    "token_terms",
]

_SKIP_KINDS = frozenset({"punct", "symbol"})
_TERM_SEP = "/"  # between the terms of one token in an index row (a separator for FTS5)
# Proclitic chains (normalised): conjunction? preposition? article?, and لل
# (ل + ال). ك alone is left out (كبير is not ك + بير), as is the future س.
_CHAINS = frozenset(
    chain
    for conj in ("", "و", "ف")
    for tail in ("", "ب", "ل", "ال", "بال", "لال", "كال", "لل")
    if (chain := conj + tail)
)
_MAX_CHAIN = max(map(len, _CHAINS))
_MIN_REST = 3  # letters left after a chain without the article
_MIN_REST_ARTICLE = 2
# Most terms one token can carry (its stem and each chain taken off its full
# form and its stem); NEAR distances for phrases are counted in these.
_NEAR_PER_WORD = 2 * _MAX_CHAIN + 1


def _clean(term: str) -> str:
    # Only letters and digits: then one term is exactly one FTS5 token
    # (unicode61 would split "1,500" or "o'neil" into two).
    folded = term.casefold()
    if folded.isalnum():
        return folded
    return "".join(ch for ch in folded if ch.isalnum())


def _stripped(norm: str) -> Iterable[str]:
    """``norm`` without each proclitic chain it may start with."""
    for end in range(1, min(len(norm), _MAX_CHAIN + 1)):
        head = norm[:end]
        if head not in _CHAINS:
            continue
        rest = norm[end:]
        with_article = head.endswith(("ال", "لل"))
        if len(rest) >= (_MIN_REST_ARTICLE if with_article else _MIN_REST):
            yield rest


def _norm(surface: str, norm: str) -> str:
    # The text layer folds ؤ to و and ئ to ي, so مسؤول and مسئول (both common
    # spellings) would differ; for search, both hamza seats fold to ي.
    return normalize_key(surface.replace("ؤ", "ئ")) if "ؤ" in surface else norm


def _compute_terms(token: Token) -> tuple[str, ...]:
    if token.kind in _SKIP_KINDS:
        return ()
    stems = [_norm(s.text, s.norm) for s in token.segments if s.role == "stem" and s.norm]
    first = _clean(stems[-1] if stems else _norm(token.text, token.norm or token.text))
    if not first:
        return ()
    terms = [first]
    if token.kind == "word":
        for form in (_clean(_norm(token.text, token.norm)), first):
            for rest in _stripped(form):
                if rest not in terms:
                    terms.append(rest)
    return tuple(terms)


# Word forms repeat (Zipf), and the tokenizer gives a surface form the same
# kind and segments wherever it stands, so the terms of each form are computed
# once: otherwise this is most of the cost of indexing.
_CACHE_LIMIT = 300_000
_cache: dict[str, tuple[tuple[str, ...], str]] = {}


def _fill(token: Token) -> tuple[tuple[str, ...], str]:
    terms = _compute_terms(token)
    entry = (terms, _TERM_SEP.join(terms))
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    _cache[token.text] = entry
    return entry


def _entry(token: Token) -> tuple[tuple[str, ...], str]:
    return _cache.get(token.text) or _fill(token)


def query_term(token: Token) -> str | None:
    """The one term a query word stands for: its stem, normalised."""
    terms = _entry(token)[0]
    return terms[0] if terms else None


def token_terms(token: Token) -> tuple[str, ...]:
    """Every term a document token is indexed under, its stem first."""
    return _entry(token)[0]


def index_pieces(tokens: Sequence[Token]) -> list[str]:
    """Each token's part of an index row (its terms joined by ``/``; "" for none)."""
    get = _cache.get
    return [(get(token.text) or _fill(token))[1] for token in tokens]


def index_text(tokens: Sequence[Token]) -> str:
    """One FTS row: tokens separated by spaces, a token's terms by ``/``."""
    return " ".join(piece for piece in index_pieces(tokens) if piece)


SearchUnits = list[tuple[int | None, str]]


def search_units(
    tokens: Sequence[Token], sentences: Sequence[Sentence], title: str | None
) -> SearchUnits:
    """The FTS rows of a document: the title (sentence ``None``) and one row per sentence.

    Pure, so ingest workers compute it beside the analysis and the writer only inserts.
    """
    return _rows(index_pieces(tokens), [token.start for token in tokens], sentences, title)


def _rows(
    pieces: list[str], starts: list[int], sentences: Sequence[Sentence], title: str | None
) -> SearchUnits:
    """Search rows from each token's index piece ("" for none) and start."""
    kept = list(map(bool, pieces))
    pieces = list(compress(pieces, kept))
    starts = list(compress(starts, kept))
    units: SearchUnits = []
    if title:
        units.append((None, _text_row(title)))
    for sentence in sentences:
        first = bisect_left(starts, sentence.start)
        last = bisect_left(starts, sentence.end, first)
        if last > first:
            units.append((sentence.index, " ".join(pieces[first:last])))
    return [(idx, terms) for idx, terms in units if terms]


def _surface_entries(
    text: str,
) -> tuple[list[str], list[int], list[tuple[tuple[str, ...], str]]]:
    """Each token's surface, start and (terms, index piece), without building tokens.

    A token's terms depend on its surface form alone, so a new form is
    tokenised once, by itself; the per-token work is a split, a running sum
    of lengths and dictionary lookups, all in C.
    """
    surfaces, starts = _surfaces(text)
    # The forms not seen before, each analysed once however often it stands here;
    # then every token's entry is one lookup (a set difference and a map, in C,
    # where a loop over the tokens in Python cost more than the lookups).
    for surface in set(surfaces).difference(_cache):
        _surface_entry(surface)
    get = _cache.get
    entries = list(map(get, surfaces))
    if None in entries:
        # The cache was emptied at its limit while new forms were added.
        entries = [get(surface) or _surface_entry(surface) for surface in surfaces]
    return surfaces, starts, cast(list[tuple[tuple[str, ...], str]], entries)  # no None left


def _surfaces(text: str) -> tuple[list[str], list[int]]:
    """Each token's surface and start in ``text``: a split and a running sum, in C."""
    parts = split_tokens(text)
    surfaces = parts[1::2]
    return surfaces, list(accumulate(map(len, parts)))[::2][: len(surfaces)]


def _surface_entry(surface: str) -> tuple[tuple[str, ...], str]:
    """(terms, index piece) of a token's surface form, analysed by itself when new."""
    entry = _cache.get(surface)
    if entry is None:
        (token,) = tokenize(surface)
        entry = _fill(token)
    return entry


def _text_row(text: str) -> str:
    """``index_text(tokenize(text))`` without building the tokens (a title's row)."""
    return " ".join(piece for _, piece in _surface_entries(text)[2] if piece)


def text_search_units(text: str, sentences: Sequence[Sentence], title: str | None) -> SearchUnits:
    """``search_units(tokenize(text), sentences, title)`` without building the tokens
    (see :func:`_surface_entries`): for an ingest that keeps no tokens, most of
    the tokenizer's cost saved."""
    _, starts, entries = _surface_entries(text)
    return _rows(list(map(itemgetter(1), entries)), starts, sentences, title)


def search_terms(text: str) -> list[str]:
    """Normalise free text (a query word or phrase) into query terms, in order.

    This is the single place where a query's words become what the index
    holds; cross-script expansion (Latin ↔ Arabic names) belongs here.
    """
    terms = (query_term(token) for token in tokenize(text))
    return [term for term in terms if term]


#: Arabic forms for a Latin word or phrase (cross-script search).
Expander = Callable[[str], list[str]]


@dataclass(frozen=True, slots=True)
class Phrase:
    """A sequence of index terms that must be adjacent (one term: a word)."""

    terms: tuple[str, ...]
    prefix: bool = False  # the last term is a prefix


@dataclass(slots=True)
class Query:
    """``required``: groups that must all match (each group an OR of phrases)."""

    required: list[list[Phrase]] = field(default_factory=list)
    excluded: list[list[Phrase]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.required

    @property
    def phrases(self) -> list[Phrase]:
        return [p for group in self.required for p in group]


# Opening quote → closing quotes accepted for it.
_QUOTES = {'"': '"“”', "“": '”“"', "”": '“”"', "«": '»"', "»": '«"', "„": '“”"'}


@dataclass(slots=True)
class _Piece:
    text: str
    quoted: bool
    negated: bool


def _split_pieces(query: str) -> list[_Piece]:
    pieces: list[_Piece] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        if ch == "-" and i + 1 < n and not query[i + 1].isspace():
            negated = True
            i += 1
            ch = query[i]
        if ch in _QUOTES:
            closers = _QUOTES[ch]
            j = i + 1
            while j < n and query[j] not in closers:
                j += 1
            pieces.append(_Piece(query[i + 1 : j], True, negated))
            i = j + 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in _QUOTES:
                j += 1
            pieces.append(_Piece(query[i:j], False, negated))
            i = j
    return pieces


def _phrase(text: str, *, quoted: bool) -> Phrase | None:
    prefix = False
    if not quoted and text.endswith("*"):
        text = text.rstrip("*")
        prefix = True
    terms = tuple(search_terms(text))
    if not terms:
        return None
    return Phrase(terms, prefix)


def _has_latin(text: str) -> bool:
    return any(ch.isalpha() and ord(ch) < 0x250 for ch in text)


def _alternatives(piece: _Piece, expander: Expander | None) -> list[Phrase]:
    """The piece's phrase, then those of the Arabic forms the expander gives it."""
    first = _phrase(piece.text, quoted=piece.quoted)
    phrases = [first] if first else []
    if expander is not None and _has_latin(piece.text):
        for form in expander(piece.text.rstrip("*")):
            phrase = _phrase(form, quoted=True)
            if phrase is not None and phrase not in phrases:
                phrases.append(phrase)
    return phrases


def parse_query(query: str, expander: Expander | None = None) -> Query:
    """Parse user input into required and excluded groups; never raises.

    ``expander`` maps a Latin word or quoted phrase to Arabic forms of it
    (``Manbij`` → منبج): they join the piece's group as alternatives, so a
    Latin query finds Arabic text (see :mod:`rasid.link.expand`).
    """
    parsed = Query()
    pending_or = False
    for piece in _split_pieces(query):
        if not piece.quoted and not piece.negated and piece.text == "OR":
            pending_or = bool(parsed.required)
            continue
        phrases = _alternatives(piece, expander)
        if not phrases:
            continue
        if piece.negated:
            parsed.excluded.append(phrases)
            pending_or = False
        elif pending_or:
            parsed.required[-1].extend(p for p in phrases if p not in parsed.required[-1])
            pending_or = False
        else:
            parsed.required.append(phrases)
    return parsed


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_expression(phrase: Phrase) -> str:
    """An FTS5 MATCH expression for ``phrase``; every term is quoted.

    A phrase of several words becomes a NEAR group wide enough for the extra
    terms a token may carry: the rows it matches are then checked in order
    with :func:`phrase_in_row`.
    """
    quoted = [_quote(term) for term in phrase.terms]
    if phrase.prefix:
        quoted[-1] += " *"
    if len(quoted) == 1:
        return quoted[0]
    return f"NEAR({' '.join(quoted)}, {_NEAR_PER_WORD * (len(quoted) - 1)})"


def _term_matches(terms: Iterable[str], wanted: str, prefix: bool) -> bool:
    if prefix:
        return any(term.startswith(wanted) for term in terms)
    return wanted in terms


def _find(sequence: Sequence[Sequence[str]], phrase: Phrase) -> Iterable[int]:
    size = len(phrase.terms)
    if size == 1 and not phrase.prefix:
        # The common case (one word), once per search hit: a membership test.
        wanted = phrase.terms[0]
        yield from (i for i, terms in enumerate(sequence) if wanted in terms)
        return
    for i in range(len(sequence) - size + 1):
        if all(
            _term_matches(sequence[i + k], wanted, phrase.prefix and k == size - 1)
            for k, wanted in enumerate(phrase.terms)
        ):
            yield i


def phrase_in_row(row: str, phrase: Phrase) -> bool:
    """Whether an index row (see :func:`index_text`) holds ``phrase`` in order."""
    if phrase.prefix:
        return _phrase_pattern(phrase).search(row) is not None
    return next(_occurrences(row, phrase.terms), None) is not None


def _occurrences(row: str, terms: tuple[str, ...]) -> Iterator[int]:
    """The piece index where each occurrence of ``terms`` (in order) starts in a row.

    A common word or phrase is looked for in thousands of rows: its first term
    is found as a substring (C speed), kept where it is a whole term (between
    separators), and only there are the next tokens read.
    """
    first, *others = terms
    for at in _term_starts(row, first):
        if not others:
            yield row.count(" ", 0, at)
        elif (piece_end := row.find(" ", at + len(first))) >= 0:
            following = row[piece_end + 1 :].split(" ", len(others))[: len(others)]
            if len(following) == len(others) and all(
                term in piece.split(_TERM_SEP)
                for term, piece in zip(others, following, strict=True)
            ):
                yield row.count(" ", 0, at)


def _term_starts(row: str, term: str) -> Iterator[int]:
    """Where ``term`` stands whole in a row (between separators), in characters."""
    size, end_of_row = len(term), len(row)
    at = row.find(term)
    while at >= 0:
        end = at + size
        if (at == 0 or row[at - 1] in " /") and (end == end_of_row or row[end] in " /"):
            yield at
        at = row.find(term, end)


def count_words(row: str, words: Iterable[str]) -> int:
    """How often any of ``words`` stands whole in an index row: the number of
    :func:`row_matches` of those words, without placing them."""
    return sum(1 for word in words for _ in _term_starts(row, word))


@lru_cache(maxsize=256)
def _phrase_pattern(phrase: Phrase) -> re.Pattern[str]:
    # The row read as text: tokens apart by one space, a token's terms by "/",
    # a term only letters and digits. A common phrase is checked on thousands
    # of rows, so by one regular expression rather than token by token.
    tokens = []
    for k, term in enumerate(phrase.terms):
        rest = r"[^ /]*" if phrase.prefix and k == len(phrase.terms) - 1 else ""
        tokens.append(rf"(?:[^ /]*/)*{re.escape(term)}{rest}(?=[/ ]|$)[^ ]*")
    return re.compile(r"(?:^| )" + " ".join(tokens))


def row_matches(row: str, phrases: Iterable[Phrase]) -> list[tuple[int, int]]:
    """Where any of ``phrases`` occurs in an index row, in token pieces.

    Each occurrence is ``(first, count)``: the index of its first piece (the
    row's tokens are apart by one space) and how many pieces it covers.
    """
    found: set[tuple[int, int]] = set()
    for phrase in phrases:
        if not phrase.prefix:
            size = len(phrase.terms)
            found.update((first, size) for first in _occurrences(row, phrase.terms))
            continue
        for match in _phrase_pattern(phrase).finditer(row):
            start, end = match.span()
            if row.startswith(" ", start):
                start += 1  # the pattern takes the space before its first token
            found.add((row.count(" ", 0, start), row.count(" ", start, end) + 1))
    return sorted(found)


# A letter or digit other than tatweel: a token without one (punctuation, a
# symbol, a run of tatweel) has no index terms.
_HAS_TERM = re.compile(r"[^\W_\u0640]")


def row_spans(passage: str, row: str, pieces: Iterable[int]) -> list[tuple[int, int]] | None:
    """Offsets in ``passage`` of the tokens behind some of a row's ``pieces``.

    ``row`` is the index row of the sentence ``passage`` (:func:`search_units`):
    the pieces of its tokens that have terms, in order. The passage's tokens
    are told apart without analysing new word forms (the tokens without terms
    are punctuation and symbols: no letter or digit), and each token found is
    checked against its piece. None when the two do not line up, so the
    caller can fall back to :func:`text_match_spans`.
    """
    wanted = sorted(set(pieces))
    if not wanted:
        return []
    surfaces, starts = _surfaces(passage)
    get = _cache.get
    has_term = _HAS_TERM.search
    # The surfaces with a piece in the row, in order.
    indexed = list(
        compress(
            range(len(surfaces)),
            [
                entry[1] if entry is not None else has_term(surface)
                for entry, surface in zip(map(get, surfaces), surfaces, strict=True)
            ],
        )
    )
    row_pieces = row.split(" ")
    if len(indexed) != len(row_pieces) or wanted[-1] >= len(row_pieces):
        return None
    spans = []
    for k in wanted:
        i = indexed[k]
        surface = surfaces[i]
        if _surface_entry(surface)[1] != row_pieces[k]:
            return None
        spans.append((starts[i], starts[i] + len(surface)))
    return spans


def text_match_spans(text: str, phrases: Sequence[Phrase]) -> list[tuple[int, int]]:
    """``match_spans(tokenize(text), phrases)``; words-only queries without building tokens.

    Run on every sentence shown in a page of search results.
    """
    if not phrases or not all(len(p.terms) == 1 and not p.prefix for p in phrases):
        return match_spans(tokenize(text), phrases)
    wanted = {p.terms[0] for p in phrases}
    surfaces, starts, entries = _surface_entries(text)
    return [
        (start, start + len(surface))
        for surface, start, (terms, _) in zip(surfaces, starts, entries, strict=True)
        if not wanted.isdisjoint(terms)
    ]


def match_spans(tokens: Sequence[Token], phrases: Sequence[Phrase]) -> list[tuple[int, int]]:
    """Original ``[start, end)`` of the tokens that make up any occurrence of ``phrases``."""
    if all(len(p.terms) == 1 and not p.prefix for p in phrases):
        # Words only (most queries; once per search hit): one pass, a set test a token.
        wanted = {p.terms[0] for p in phrases}
        get = _cache.get
        return [
            (token.start, token.end)
            for token in tokens
            if not wanted.isdisjoint((get(token.text) or _fill(token))[0])
        ]
    kept = [(token, terms) for token in tokens if (terms := token_terms(token))]
    sequence = [terms for _, terms in kept]
    hit: set[int] = set()
    for phrase in phrases:
        for i in _find(sequence, phrase):
            hit.update(range(i, i + len(phrase.terms)))
    return sorted((kept[i][0].start, kept[i][0].end) for i in hit)
