"""Folding Arabic text for matching, with a map back to the original offsets.

The original text is never rewritten: :func:`normalize` returns a folded copy
plus, for every folded character, the index of the original character it came
from, so anything found in the folded copy can be pointed at in the original.
:func:`normalize_key` is the same folding without the map, for dictionary keys.

The whole fold is one ``str.translate`` table: 1:1 replacements, deletions
(diacritics, tatweel, bidi controls) and expansions (presentation-form
ligatures, which NFKC turns into several letters). Only the characters whose
replacement is not exactly one character need the slower offset bookkeeping,
and they are found with one compiled regex.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "FOLD_TABLE",
    "LENGTH_CHANGING_RE",
    "NormalizedText",
    "fold",
    "normalize",
    "normalize_key",
]


def _chars(first: int, last: int) -> range:
    return range(first, last + 1)


# Diacritics and other combining marks of the Arabic script; they are deleted.
_ARABIC_MARKS: list[int] = [
    *_chars(0x0610, 0x061A),  # honorific signs, small high letters
    *_chars(0x064B, 0x065F),  # harakat, tanwin, shadda, sukun, hamza marks
    0x0670,  # superscript alef
    *_chars(0x06D6, 0x06ED),  # Quranic annotation marks
    *_chars(0x08D3, 0x08E1),
    *_chars(0x08E3, 0x08FF),  # extended-A marks
]

# Invisible controls that only steer display: bidi marks and embeddings,
# zero-width space/joiners, the BOM and the Arabic letter mark.
_INVISIBLES: list[int] = [
    *_chars(0x200B, 0x200F),
    *_chars(0x202A, 0x202E),
    *_chars(0x2066, 0x2069),
    0x2060,  # word joiner
    0xFEFF,
    0x061C,
    0x00AD,  # soft hyphen
]

TATWEEL = "\u0640"

_ONE_TO_ONE: dict[str, str] = {
    # hamza-carrying and decorated alefs
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ۃ": "ه",
    "ؤ": "و",
    "ئ": "ي",
    # Persian/Urdu letter shapes that Arabic writers and keyboards mix in
    "ی": "ي",
    "ې": "ي",
    "ک": "ك",
    "ھ": "ه",
    "ە": "ه",
    # Arabic punctuation
    "،": ",",
    "؛": ";",
    "؟": "?",
    "٪": "%",
    "٫": ".",
    "٬": ",",
    "۔": ".",
    "٭": "*",
    # quotation marks
    "“": '"',
    "”": '"',
    "«": '"',
    "»": '"',
    "„": '"',
    "‟": '"',
    "″": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "‹": "'",
    "›": "'",
    # dashes and hyphens
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    "―": "-",
    "−": "-",
    # spaces other than the ordinary one (newlines and tabs are kept as they are)
    "\u00a0": " ",
    "\u2000": " ",
    "\u2001": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2004": " ",
    "\u2005": " ",
    "\u2006": " ",
    "\u2007": " ",
    "\u2008": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u202f": " ",
    "\u205f": " ",
    "\u3000": " ",
}


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for src, dst in _ONE_TO_ONE.items():
        table[ord(src)] = dst
    for i, digit in enumerate("0123456789"):
        table[0x0660 + i] = digit  # Arabic-Indic
        table[0x06F0 + i] = digit  # Persian/Urdu
    # Latin (and Greek/Cyrillic) capitals; U+0130 lowercases to two characters.
    for cp in [*range(0x0041, 0x0530), *range(0x1E00, 0x2000)]:
        ch = chr(cp)
        if unicodedata.category(ch) == "Lu" and ch.lower() != ch:
            table[cp] = ch.lower()
    table[0x0130] = "i"  # dotted capital I: "i" rather than "i" + combining dot
    for cp in _ARABIC_MARKS:
        table[cp] = ""
    for cp in _INVISIBLES:
        table[cp] = ""
    table[ord(TATWEEL)] = ""
    # Presentation forms (PDF extraction): NFKC, then fold what NFKC gives.
    for cp in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF)]:
        ch = chr(cp)
        if unicodedata.category(ch) == "Cn":
            continue
        decomposed = unicodedata.normalize("NFKC", ch)
        if decomposed == ch:
            continue
        # Isolated harakat forms (and shadda ligatures such as U+FC5E)
        # decompose to a space plus marks: drop both.
        if decomposed.startswith(" "):
            decomposed = decomposed.strip()
        folded = "".join(table.get(ord(c), c) for c in decomposed)
        table[cp] = folded
    return table


#: The folding as a ``str.translate`` table (code point → replacement string).
FOLD_TABLE: dict[int, str] = _build_table()

# Every character whose replacement is not exactly one character.
_LENGTH_CHANGING = sorted(cp for cp, rep in FOLD_TABLE.items() if len(rep) != 1)


def _char_class(code_points: Sequence[int]) -> str:
    parts: list[str] = []
    run_start = prev = code_points[0]
    for cp in [*code_points[1:], -2]:
        if cp == prev + 1:
            prev = cp
            continue
        if run_start == prev:
            parts.append(re.escape(chr(run_start)))
        else:
            parts.append(f"{re.escape(chr(run_start))}-{re.escape(chr(prev))}")
        run_start = prev = cp
    return "[" + "".join(parts) + "]"


#: Runs of characters whose fold is not exactly one character.
LENGTH_CHANGING_RE = re.compile(_char_class(_LENGTH_CHANGING) + "+")
_SPACE_RUN_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Folded text and its map back to the original.

    ``offsets[i]`` is the index in the original of the character that produced
    folded character ``i``; ``offsets[len(text)]`` is the length of the original.
    The map is non-decreasing.
    """

    text: str
    offsets: Sequence[int]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The tightest original span ``[start, end)`` that covers folded ``[start, end)``.

        Characters deleted by the fold (diacritics, tatweel, bidi marks) at the
        edges are left out; those inside are covered.
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(
                f"span [{start}, {end}) is outside the normalised text of length {len(self.text)}"
            )
        original_start = self.offsets[start]
        if end == start:
            return original_start, original_start
        # Several folded characters may come from one original (a ligature),
        # so the end is one past the original of the last covered character.
        return original_start, self.offsets[end - 1] + 1

    def to_original_index(self, index: int) -> int:
        """The original index of folded position ``index`` (``len(text)`` maps the end)."""
        if not 0 <= index <= len(self.text):
            raise ValueError(f"index {index} is outside 0..{len(self.text)}")
        return self.offsets[index]


_FOLD_STR: dict[str, str] = {chr(cp): replacement for cp, replacement in FOLD_TABLE.items()}
_FOLDABLE_RE = re.compile(_char_class(sorted(FOLD_TABLE)))
_SHORT = 64


def _fold(text: str) -> str:
    # str.translate looks every character up in the table (fast for ASCII
    # only); finding the foldable characters with one regex and replacing
    # each distinct one with str.replace is about four times as fast on
    # Arabic prose. Same result, because no replacement contains a foldable
    # character (a test checks it).
    if len(text) < _SHORT:
        return text.translate(FOLD_TABLE)
    for char in set(_FOLDABLE_RE.findall(text)):
        text = text.replace(char, _FOLD_STR[char])
    return text


def fold(text: str) -> str:
    """The fold alone: no map, no whitespace changes."""
    return _fold(text)


def normalize(text: str) -> NormalizedText:
    """Fold ``text`` for matching and keep a map to the original offsets.

    Whitespace is kept as is (runs are not collapsed; unusual spaces become a
    plain space), so a folded position is easy to relate to the original.
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize() needs a str, got {type(text).__name__}")
    folded = _fold(text)
    if len(folded) == len(text) and LENGTH_CHANGING_RE.search(text) is None:
        return NormalizedText(folded, range(len(text) + 1))
    offsets: list[int] = []
    extend = offsets.extend
    position = 0
    table = FOLD_TABLE
    for match in LENGTH_CHANGING_RE.finditer(text):
        run_start, run_end = match.span()
        extend(range(position, run_start))
        for index in range(run_start, run_end):
            width = len(table[ord(text[index])])
            if width:
                extend([index] * width)
        position = run_end
    extend(range(position, len(text) + 1))
    return NormalizedText(folded, offsets)


# normalize_key of short texts: a document's analysis asks for the keys of the
# same names and words again and again (nine in ten calls repeat a text), from
# many components. Long texts are not kept: they seldom repeat. A plain dict
# emptied at its limit, not functools.lru_cache: a hit costs half as much
# (measured on news bigrams), and the same holds for names.folding.fold.
_KEY_CACHE: dict[str, str] = {}
_KEY_CACHE_LIMIT = 100_000


def normalize_key(text: str) -> str:
    """The fold for dictionary keys: also trims and collapses whitespace."""
    key = _KEY_CACHE.get(text)
    if key is None:
        key = _SPACE_RUN_RE.sub(" ", _fold(text)).strip()
        if len(text) < _SHORT:
            if len(_KEY_CACHE) >= _KEY_CACHE_LIMIT:
                _KEY_CACHE.clear()
            _KEY_CACHE[text] = key
    return key
