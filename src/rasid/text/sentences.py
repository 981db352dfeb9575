"""Sentence splitting for Arabic news, with offsets into the original text.

Rules, in order:

1. Line breaks end sentences: news text puts one paragraph on a line, and a
   title or caption line without final punctuation is a sentence of its own.
   A single line break is read as a soft wrap only when the line ends in a
   comma, semicolon, colon or hyphen, or the next line starts with a Latin
   lower-case letter. A blank line always ends a sentence.
2. Inside a line, a stop (``. ! ? ؟ … ...``) ends a sentence when whitespace or
   the end of the line follows it, after any closing quotes or brackets, which
   stay with the sentence, also when spaced out ("لا تكشف . “").
   A full stop between two Arabic words with no space ("الأخرى.وقال") ends one
   too. A space before the stop (" . ") is allowed; a comma never ends one.
3. Not a stop: decimals (4.5), Latin abbreviations (Dr., U.S., e.g., a.m.,
   initials such as "J. Smith"), single Arabic letters (د. أ.ف.ب.), list
   markers ("1. "), a double dot (a pause in Arabic press: "الآن.. وليس غدا"),
   a stop followed by a Latin lower-case word, and any stop
   inside a short quotation (under 250 characters) that the sentence goes on
   after.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from rasid.model import Sentence
from rasid.text.normalize import normalize_key

__all__ = ["split_sentences"]

_MAX_SHORT_QUOTE = 250

_SOFT_WRAP_END = frozenset(",،;؛:-–—")
_SYMMETRIC_QUOTES = frozenset('"“”„‟')
_QUOTES_RE = re.compile('["“”„‟«»]')
_CLOSERS = frozenset(")]}’'")
_ARABIC_LETTER_RE = re.compile("[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f]")
_LINE_RE = re.compile("[^\n\r\u2028\u2029]+")
_BREAK_RE = re.compile("\r\n|[\n\r\u2028\u2029]")
_STOP_RE = re.compile(r"\.{2,}|…+|[.!?؟۔](?:[.!?؟۔…]*)")
_WORD_BEFORE_RE = re.compile(r"[\w.]+$")
_LATIN_LOWER_RE = re.compile(r"[a-zà-ÿ]")
_LIST_MARKER_RE = re.compile(r"\s*(?:\d{1,3}|[A-Za-z]|[\u0621-\u064a])\s*$")
_TRIM = " \t\r\n\f\v\u00a0\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u061c"

# Words that go on with a sentence after a quotation that ends with a stop
# (normalised): attributions, not a new clause (which would begin with و/ف).
_CONTINUATIONS = frozenset(
    normalize_key(word)
    for word in """
    بحسب حسب وفق وفقا طبقا نقلا على قال قالت قالوا يقول تقول أضاف أضافت يضيف
    تضيف أكد أكدت يؤكد حسبما كما according said says told added
    """.split()
)
_NEXT_WORD_RE = re.compile(r"[^\s.,،:;؛!?؟]+")

# Lower-case, without the final dot.
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st gen col lt maj capt cpt sgt gov sen rep rev hon
    vs v no nos vol pp fig inc ltd co corp dept est approx mt ft
    jan feb mar apr jun jul aug sep sept oct nov dec
    u.s u.k u.n u.s.a e.g i.e a.m p.m d.c n.y
    """.split()
)
# Names of Latin letters written in Arabic, as in transliterated initials.
_ARABIC_LETTER_NAMES = frozenset(
    normalize_key(word)
    for word in "إيه بي سي دي إي إف جي جيه إتش آي كيه إل إم إن أو يو آر إس تي في واي زد إكس".split()
)
# Web-address tails: العربية.نت is a name, not two sentences.
_DOMAIN_TAILS = frozenset(("نت", "كوم", "نيت"))
_SINGLE_LETTER_RE = re.compile(r"[A-Za-z\u0621-\u064a]")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Line spans, with soft-wrapped lines joined."""
    blocks: list[tuple[int, int]] = []
    for match in _LINE_RE.finditer(text):
        start, end = match.span()
        if not match.group().strip(_TRIM):
            continue
        if blocks:
            prev_start, prev_end = blocks[-1]
            gap = text[prev_end:start]
            if len(_BREAK_RE.findall(gap)) == 1 and _is_soft_wrap(
                text[prev_start:prev_end], match.group()
            ):
                blocks[-1] = (prev_start, end)
                continue
        blocks.append((start, end))
    return blocks


def _is_soft_wrap(line: str, next_line: str) -> bool:
    tail = line.rstrip(_TRIM)
    head = next_line.lstrip(_TRIM)
    if not tail or not head:
        return False
    return tail[-1] in _SOFT_WRAP_END or bool(_LATIN_LOWER_RE.match(head[0]))


def _quote_pairs(line: str) -> list[tuple[int, int]]:
    """(open, close) index pairs of quotation marks in a line.

    Curly quotes come in either direction in Arabic text (” ... “ as often as
    “ ... ”), so they are paired in order like straight quotes. Guillemets pair
    with guillemets.
    """
    pairs: list[tuple[int, int]] = []
    open_symmetric = -1
    open_guillemet = -1
    for match in _QUOTES_RE.finditer(line):
        index = match.start()
        if match.group() in _SYMMETRIC_QUOTES:
            if open_symmetric < 0:
                open_symmetric = index
            else:
                pairs.append((open_symmetric, index))
                open_symmetric = -1
        elif open_guillemet < 0:
            open_guillemet = index
        else:
            pairs.append((open_guillemet, index))
            open_guillemet = -1
    pairs.sort()
    return pairs


def _enclosing(
    pairs: list[tuple[int, int]], opens: list[int], index: int
) -> tuple[int, int] | None:
    """The innermost quotation pair that contains ``index``."""
    i = bisect_right(opens, index) - 1
    best: tuple[int, int] | None = None
    while i >= 0:
        open_at, close_at = pairs[i]
        if open_at < index < close_at and (best is None or open_at > best[0]):
            best = pairs[i]
        i -= 1
    return best


def _skip_closers(line: str, index: int, pairs: list[tuple[int, int]]) -> int:
    """Move past closing quotes and brackets after a stop, spaces allowed."""
    closing = {close for _open, close in pairs}
    length = len(line)
    while True:
        j = index
        while j < length and line[j] in " \t\u00a0":
            j += 1
        if j < length and (j in closing or line[j] in _CLOSERS):
            index = j + 1
            continue
        return index


def _is_abbreviation(line: str, stop: int, next_start: int) -> bool:
    match = _WORD_BEFORE_RE.search(line[max(0, stop - 24) : stop])
    if match is None:
        return False
    word = match.group()
    lowered = word.lower().rstrip(".")
    if lowered in _ABBREVIATIONS:
        return True
    if normalize_key(word) in _ARABIC_LETTER_NAMES:
        # Latin initials spelt in Arabic: جيه. بي. مورغان (J. P. Morgan).
        return True
    if _SINGLE_LETTER_RE.fullmatch(word):
        # An initial (J. Smith) or an Arabic letter abbreviation (د. أ.ف.ب.).
        return next_start < len(line)
    # Dotted acronyms written without the last letter group: "U.S" already
    # covered; "a.m" style handled above. Anything with inner dots is one.
    return "." in word and all(len(part) <= 2 for part in word.split(".") if part)


def _continues_after_quote(line: str, index: int) -> bool:
    """Does an attribution ("... مشوقة!" بحسب الصحيفة) carry the sentence on
    after a quotation that ends with a stop?"""
    return _next_word(line, index) in _CONTINUATIONS


def _next_word(line: str, index: int) -> str:
    """The normalised word that starts at ``index`` ("" if none)."""
    match = _NEXT_WORD_RE.match(line, index)
    return normalize_key(match.group()) if match else ""


def _line_boundaries(line: str) -> list[int]:
    """End offsets (exclusive, in the line) of the sentences of one line."""
    ends: list[int] = []
    pairs: list[tuple[int, int]] | None = None
    opens: list[int] = []
    length = len(line)
    sentence_start = 0
    for match in _STOP_RE.finditer(line):
        stop_start, stop_end = match.span()
        if pairs is None:
            pairs = _quote_pairs(line)
            opens = [open_at for open_at, _close in pairs]
        end = _skip_closers(line, stop_end, pairs)
        next_start = end
        while next_start < length and line[next_start].isspace():
            next_start += 1
        if next_start >= length:
            continue  # the line end is a boundary anyway
        stop = match.group()
        if stop == "..":
            continue  # a pause in Arabic press ("وأقول.. هذه الحياة"), not an ending
        if next_start == end:
            # No space after the stop: only "word.word" in Arabic is a boundary.
            if not (
                stop == "."
                and stop_start >= 2
                and _ARABIC_LETTER_RE.match(line[stop_start - 1])
                and _ARABIC_LETTER_RE.match(line[stop_start - 2])
                and _ARABIC_LETTER_RE.match(line[end])
                and end + 1 < length
                and _ARABIC_LETTER_RE.match(line[end + 1])
                and _next_word(line, end) not in _DOMAIN_TAILS
            ):
                continue
        if _LATIN_LOWER_RE.match(line[next_start]):
            continue
        if stop == "." and _is_abbreviation(line, stop_start, next_start):
            continue
        if stop == "." and _LIST_MARKER_RE.fullmatch(line, sentence_start, stop_start):
            continue
        if end > stop_end and _continues_after_quote(line, next_start):
            continue
        quote = _enclosing(pairs, opens, stop_start)
        if quote is not None and quote[1] >= end and quote[1] - quote[0] <= _MAX_SHORT_QUOTE:
            continue
        ends.append(end)
        sentence_start = end
    ends.append(length)
    return ends


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` as original-offset spans, trimmed, never empty."""
    if not isinstance(text, str):
        raise TypeError(f"split_sentences() needs a str, got {type(text).__name__}")
    sentences: list[Sentence] = []
    for block_start, block_end in _paragraphs(text):
        line = text[block_start:block_end]
        begin = 0
        for end in _line_boundaries(line):
            piece = line[begin:end]
            stripped = piece.lstrip(_TRIM)
            start = begin + len(piece) - len(stripped)
            stop = start + len(stripped.rstrip(_TRIM))
            begin = end
            if stop <= start:
                continue
            absolute_start, absolute_end = block_start + start, block_start + stop
            if sentences and not any(ch.isalnum() for ch in line[start:stop]):
                previous = sentences[-1]
                if previous.end >= block_start:
                    # A stray stop or quote: it belongs to the sentence before.
                    sentences[-1] = Sentence(previous.index, previous.start, absolute_end)
                    continue
            sentences.append(Sentence(len(sentences), absolute_start, absolute_end))
    return sentences
