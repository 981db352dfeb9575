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
from rasid.text.clitics import segment_word
from rasid.text.normalize import FOLD_TABLE

__all__ = [
    "ARABIC_WORD_PATTERN",
    "iter_tokens",
    "segment_norms",
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
ARABIC_WORD_PATTERN = f"[{_AR_LETTER}{_AR_MARK}][{_AR_LETTER}{_AR_MARK}\u200c\u200d]*"

_NUMBER = r"\d+(?:[,\u066c]\d{3})*(?:[.\u066b]\d+)*"
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


def next_number_start(text: str, index: int) -> int:
    """``index`` when a digit starts there, else -1."""
    return index if index < len(text) and text[index].isdecimal() else -1


def _other_kind(text: str) -> str:
    return "punct" if unicodedata.category(text[0]).startswith("P") else "symbol"


def iter_tokens(text: str) -> Iterator[Token]:
    """Tokens of ``text`` in order, one at a time."""
    if not isinstance(text, str):
        raise TypeError(f"tokenize() needs a str, got {type(text).__name__}")
    table = FOLD_TABLE
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup
        surface = match.group()
        start, end = match.span()
        norm = surface.translate(table)
        if kind == "word":
            if end == next_number_start(text, end) and norm in _SINGLE_CLITICS:
                # و٤٫٥, ب1,500: a clitic letter written onto a number.
                yield Token(
                    surface,
                    start,
                    end,
                    norm,
                    "word",
                    (Segment(surface, start, end, norm, "proclitic"),),
                )
                continue
            yield Token(
                surface,
                start,
                end,
                norm,
                "word",
                tuple(
                    Segment(piece, start + rel_start, start + rel_end, piece_norm, role)
                    for piece, rel_start, rel_end, piece_norm, role in segment_word(surface)
                ),
            )
            continue
        if kind == "other":
            kind = _other_kind(surface)
        yield Token(
            surface,
            start,
            end,
            norm,
            kind or "symbol",
            (Segment(surface, start, end, norm, "stem"),),
        )


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text``; ``text[t.start:t.end] == t.text`` for each."""
    return list(iter_tokens(text))


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
