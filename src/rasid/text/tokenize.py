"""Tokens with original offsets, and their clitic segments.

One compiled regex finds the tokens (Arabic words, other-script words, numbers
with separators in any digit script, punctuation, symbols and emoji);
whitespace and invisible controls (bidi marks, zero-width characters) lie
between tokens and belong to none. Arabic words are then split into clitic
segments by :mod:`rasid.text.clitics`; the split of a word form is cached, so
a long document pays for each distinct form once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from rasid.model import Segment, Token
from rasid.text.clitics import SegmentTuple, segment_word
from rasid.text.normalize import FOLD_TABLE

__all__ = [
    "ARABIC_WORD_PATTERN",
    "iter_tokens",
    "segment_norms",
    "split_tokens",
    "tokenize",
]

# Letters of the Arabic script, including the presentation forms of PDFs.
_AR_LETTER = (
    "\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufd3d\ufd50-\ufdff\ufe70-\ufefc"
)
# Diacritics, Quranic marks and tatweel: they live inside words.
_AR_MARK = "\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u08d3-\u08e1\u08e3-\u08ff"
_AR_BLOCKS = "\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff"

#: An Arabic-script word: letters, marks and tatweel, with ZWNJ/ZWJ inside.
ARABIC_WORD_PATTERN = f"[{_AR_LETTER}{_AR_MARK}]+(?:[\u200c\u200d]+[{_AR_LETTER}{_AR_MARK}]+)*"

# Digits with inner separators: 1,500 ١٬٥٠٠ 4.5 ٤٫٥ 106,78 (a decimal comma).
_NUMBER = r"\d+(?:[,.\u066b\u066c]\d+)*"
_OTHER_WORD = (
    rf"[^\W\d_{_AR_BLOCKS}](?:[^\W_{_AR_BLOCKS}]|[\u0300-\u036f])*"
    rf"(?:['’][^\W\d_{_AR_BLOCKS}](?:[^\W_{_AR_BLOCKS}]|[\u0300-\u036f])*)*"
)
# Characters that are neither tokens nor whitespace: layout controls.
_INVISIBLE = "\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"
_EMOJI_TAIL = "\ufe0e\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"
_OTHER = (
    r"\.{2,}"
    r"|[\U0001f1e6-\U0001f1ff]{2}"
    rf"|[^\s{_INVISIBLE}](?:[{_EMOJI_TAIL}]|\u200d[^\s\w{_INVISIBLE}])*"
)

_TOKEN_RE = re.compile(
    f"(?P<number>{_NUMBER})|(?P<word>{ARABIC_WORD_PATTERN})|(?P<latin>{_OTHER_WORD})|(?P<other>{_OTHER})"
)


_SINGLE_CLITICS = frozenset(("و", "ف", "ب", "ل", "ك"))

# Tokens are built as instances of a plain class with the same slots, filled by
# ordinary attribute stores, and then given their real class: a frozen
# dataclass's __init__ costs about three times as much, and a news article has
# thousands of tokens. CPython allows the class change because the two layouts
# are the same (same base, same slots); the objects are then ordinary Tokens and
# Segments (equal, hashable, immutable).
_new = object.__new__


class _TokenSlots:
    __slots__ = ("end", "kind", "norm", "segments", "start", "text")
    text: str
    start: int
    end: int
    norm: str
    kind: str
    segments: tuple[Segment, ...]


class _SegmentSlots:
    __slots__ = ("end", "norm", "role", "start", "text")
    text: str
    start: int
    end: int
    norm: str
    role: str


if sorted(_TokenSlots.__slots__) != sorted(Token.__slots__) or sorted(
    _SegmentSlots.__slots__
) != sorted(Segment.__slots__):
    raise ImportError("rasid.text.tokenize: Token/Segment fields changed; update _TokenSlots")


# surface → (kind, norm, clitic pieces or None for one segment, that segment's
# role, whether it is a clitic letter that may be written onto a number); the
# same surface always gets the same. The one-segment case (most tokens) is
# decided here once, so the per-token loop reads flags instead of re-testing.
_Analysis = tuple[str, str, tuple[SegmentTuple, ...] | None, str, bool]
_CACHE: dict[str, _Analysis] = {}
_CACHE_LIMIT = 300_000


def _analyse(surface: str) -> _Analysis:
    match = _TOKEN_RE.match(surface)
    group = match.lastgroup if match else None
    norm = surface.translate(FOLD_TABLE)
    if group == "word" and norm:
        pieces = segment_word(surface, norm)
        if len(pieces) > 1:
            return "word", norm, pieces, "", False
        return "word", norm, None, pieces[0][4], norm in _SINGLE_CLITICS
    if group == "word":
        # Only diacritics or tatweel, with no letter to carry them.
        return "symbol", norm, None, "stem", False
    if group == "other":
        kind = "punct" if unicodedata.category(surface[0]).startswith("P") else "symbol"
    else:
        kind = group or "symbol"
    return kind, norm, None, "stem", False


def iter_tokens(text: str) -> Iterator[Token]:
    """Tokens of ``text`` in order, one at a time (over :func:`tokenize`'s list,
    which is built faster than a generator could yield them)."""
    return iter(tokenize(text))


# The same tokens with one capturing group, for re.split.
_SPLIT_RE = re.compile(f"({_NUMBER}|{ARABIC_WORD_PATTERN}|{_OTHER_WORD}|{_OTHER})")


def split_tokens(text: str) -> list[str]:
    """``text`` cut into ``[gap, token, gap, token, ..., gap]`` without building tokens.

    The pieces join back to ``text``: a token's start is the length of all
    pieces before it. ``tokenize(token)`` is the one token of that surface
    (offsets from 0), so a consumer that needs only surfaces and positions (the
    search index of an ingest) can work per distinct form, with every
    per-token step left to C.
    """
    return _SPLIT_RE.split(text)


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text``; ``text[t.start:t.end] == t.text`` for each."""
    if not isinstance(text, str):
        raise TypeError(f"tokenize() needs a str, got {type(text).__name__}")
    cache = _CACHE
    new = _new
    text_length = len(text)
    out: list[Token] = []
    append = out.append
    # re.split finds the tokens in C; offsets are a running sum of the pieces'
    # lengths. A surface seen for the first time is matched again on its own for
    # its kind (the regex has no look-around, so the same alternative wins).
    # Attributes are stored one by one: cheaper than packing and unpacking a tuple.
    pieces = iter(_SPLIT_RE.split(text))
    position = len(next(pieces))
    for surface, gap in zip(pieces, pieces, strict=True):
        start = position
        end = position = start + len(surface)
        position += len(gap)
        analysis = cache.get(surface)
        if analysis is None:
            analysis = _analyse(surface)
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            cache[surface] = analysis
        kind, norm, clitic_pieces, role, clitic_letter = analysis
        if clitic_pieces is None:
            if clitic_letter and end < text_length and text[end].isdecimal():
                role = "proclitic"  # و٤٫٥, ب1,500: a clitic letter written onto a number
            built = new(_SegmentSlots)
            built.text = surface
            built.start = start
            built.end = end
            built.norm = norm
            built.role = role
            built.__class__ = Segment  # type: ignore[assignment]
            segments: tuple[Segment, ...] = (built,)  # type: ignore[assignment]
        else:
            parts: list[Segment] = []
            for piece, rel_start, rel_end, piece_norm, piece_role in clitic_pieces:
                built = new(_SegmentSlots)
                built.text = piece
                built.start = start + rel_start
                built.end = start + rel_end
                built.norm = piece_norm
                built.role = piece_role
                built.__class__ = Segment  # type: ignore[assignment]
                parts.append(built)  # type: ignore[arg-type]
            segments = tuple(parts)
        token = new(_TokenSlots)
        token.text = surface
        token.start = start
        token.end = end
        token.norm = norm
        token.kind = kind
        token.segments = segments
        token.__class__ = Token  # type: ignore[assignment]
        append(token)  # type: ignore[arg-type]
    return out


def segment_norms(text: str) -> list[str]:
    """Search terms of ``text``: stem norms of words (clitics and article split
    off), norms of numbers and Latin words; punctuation and symbols are left out.

    ``segment_norms("لمنبج")`` and ``segment_norms("منبج")`` both give ``["منبج"]``.
    """
    terms: list[str] = []
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup
        if kind == "word":
            for _piece, _s, _e, piece_norm, role in segment_word(match.group()):
                if role == "stem" and piece_norm:
                    terms.append(piece_norm)
        elif kind in ("number", "latin"):
            terms.append(match.group().translate(FOLD_TABLE))
    return terms
