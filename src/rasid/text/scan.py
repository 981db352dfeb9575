"""Length-preserving Arabic folding and the cheap trigger pre-check.

Shared by :mod:`rasid.text.numbers` and :mod:`rasid.text.dates`: both fold a
text once (offsets stay those of the original) and look at whitespace-separated
words before doing any regex work, so an article with no number or date costs
one split and a few set lookups.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import chain
from typing import Any

from rasid.text.normalize import normalize_key

__all__ = ["PROCLITICS", "Triggers", "fold_arabic", "fold_key", "windows"]

#: One-letter proclitics that may stand before a number or a date word.
PROCLITICS = "وفبلك"

_DIACRITICS = "".join(chr(c) for c in range(0x064B, 0x0660)) + "\u0670"
# A chain of str.replace is ~30x faster than str.translate on Arabic text
# (translate has a fast path for ASCII only), and most pairs are absent.
_FOLD_PAIRS: tuple[tuple[str, str], ...] = (
    ("أ", "ا"),
    ("إ", "ا"),
    ("آ", "ا"),
    ("ٱ", "ا"),
    ("ى", "ي"),
    ("ة", "ه"),
    ("ؤ", "و"),
    ("ئ", "ي"),
    # Persian/Urdu letter shapes, as in rasid.text.normalize
    ("ی", "ي"),
    ("ې", "ي"),
    ("ک", "ك"),
    ("ھ", "ه"),
    ("ە", "ه"),
    ("ۃ", "ه"),
    ("ٲ", "ا"),
    ("ٳ", "ا"),
    ("٪", "%"),
    *((chr(0x0660 + d), str(d)) for d in range(10)),  # Arabic-Indic digits
    *((chr(0x06F0 + d), str(d)) for d in range(10)),  # Persian digits
    *((mark, "\u0640") for mark in _DIACRITICS),
)


def fold_arabic(text: str) -> str:
    """Fold for matching without changing length (offsets stay valid).

    Hamza-alefs → ا, ى → ي, ة → ه, ؤ → و, ئ → ي, Arabic-Indic and Persian digits →
    ASCII, ٪ → %, diacritics → tatweel (which token keys drop). ``٬``
    (thousands) and ``٫`` (decimal) are kept because they are unambiguous.
    """
    for old, new in _FOLD_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


def fold_key(text: str) -> str:
    """A lexicon key: the project-wide :func:`rasid.text.normalize.normalize_key`
    with spaces collapsed; token keys made by :func:`fold_arabic` agree with it
    for Arabic letters, digits and marks."""
    return " ".join(normalize_key(text).split())


# One regex tokenises the folded text: digit runs with separators, Arabic words
# (tatweel inside, so "بـ" and "هـ" stay one token), percent signs, other marks.
_LETTERS = "\u0621-\u064a\u0671-\u06d3\u0640"
_DIGIT = re.compile(r"\d")
_WEAK_REACH = 16  # "بين عامي 2014": a cue word and a space or two


def _trie(words: Iterable[str]) -> str:
    """A regex alternation shaped like a trie, so a failing position costs one
    or two character tests; tatweel (folded diacritics) may follow any letter."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(c) + "\u0640*" + emit(sub) for c, sub in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


class Triggers:
    """Finds the words that can start a match: lexicon words behind at most two
    proclitics, and (with ``digits``) digit runs. Words in ``weak`` (very common
    ones such as "في", "من") count only when a digit follows within a few words."""

    def __init__(
        self, words: Iterable[str], *, digits: bool = False, weak: Iterable[str] = ()
    ) -> None:
        keys = {w for w in words if w}
        self.weak = frozenset(weak)
        word = (
            rf"(?:[وفبلك]\u0640*|[وف]\u0640*[بلك]\u0640*)?"
            rf"(?P<k>{_trie(sorted(keys))})(?![{_LETTERS}])"
        )
        # The definition, one regex; offsets() finds the same starts faster with
        # the regexes below.
        pattern = rf"(?<![{_LETTERS}\d]){word}"
        if digits:
            # A digit run behind proclitics starts at them ("و2016"); any other
            # starts at its first digit, even inside a word ("الـ50", "يتجاوز10").
            pattern += (
                rf"|(?<![{_LETTERS}\d.,٫٬/:\-])(?:[وفبل]\u0640*){{1,2}}\d"
                rf"|(?<![{_LETTERS}])ال\u0640*(?=\d)"  # "الـ10 من حزيران"
                rf"|(?<![\d.,٫٬/:\-])\d"
            )
        self.regex = re.compile(pattern)
        # A regex that opens with a lookbehind is tried at every position of the
        # text; one that opens with a character class lets the engine skip, in C,
        # to the characters that can begin a match. So a word trigger is found
        # with the non-letter before it (one character; the text's first word
        # is checked on its own), and the digit forms by their first character,
        # their lookbehinds moved behind it. Word and digit triggers never
        # overlap (trigger words hold no digits), so the two searches give the
        # definition's starts between them.
        self._first_word = re.compile(word)
        self._words = re.compile(rf"[^{_LETTERS}\d]{word}")
        self._digits = (
            re.compile(
                rf"[وفبلا\d](?:"
                rf"(?<=\d)(?<![\d.,٫٬/:\-].)"
                rf"|(?<=[وفبل])(?<![{_LETTERS}\d.,٫٬/:\-].)\u0640*(?:[وفبل]\u0640*)?\d"
                rf"|(?<=ا)(?<![{_LETTERS}].)ل\u0640*(?=\d))"
            )
            if digits
            else None
        )

    def offsets(self, folded: str) -> list[int]:
        """Start offsets (at a proclitic if there is one) of the triggers in ``folded``."""
        out: list[int] = []
        weak = self.weak
        first = self._first_word.match(folded)
        found = self._words.finditer(folded)
        for m in chain((first,), found) if first is not None else found:
            key = m.group("k")
            if weak:
                if "\u0640" in key:
                    key = key.replace("\u0640", "")
                if key in weak and _DIGIT.search(folded, m.end(), m.end() + _WEAK_REACH) is None:
                    continue
            out.append(m.start() if m is first else m.start() + 1)
        if self._digits is not None:
            digit_starts = _digit_starts(self._digits, folded)
            if digit_starts:
                out = sorted({*out, *digit_starts})
        return out


# The digit triggers are the same for every finder, and the dates and numbers
# components look at the same folded text one after the other: the last
# result is kept (comparing two equal strings is one memcmp).
_last_digits: tuple[str, str, list[int]] = ("", "", [])


def _digit_starts(regex: re.Pattern[str], folded: str) -> list[int]:
    global _last_digits
    pattern, text, starts = _last_digits
    if pattern == regex.pattern and text == folded:
        return starts
    starts = [m.start() for m in regex.finditer(folded)]
    _last_digits = (regex.pattern, folded, starts)
    return starts


def windows(folded: str, cands: list[int], before: int, after: int) -> list[tuple[int, int]]:
    """Merged [lo, hi) windows around sorted offsets, widened to whitespace."""
    n = len(folded)
    spans: list[list[int]] = []
    for c in cands:
        lo, hi = max(0, c - before), min(n, c + after)
        if spans and lo <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], hi)
        else:
            spans.append([lo, hi])
    out: list[tuple[int, int]] = []
    for lo, hi in spans:
        if lo > 0:
            lo = max(folded.rfind(" ", 0, lo), folded.rfind("\n", 0, lo)) + 1
        if hi < n:
            cut = [x for x in (folded.find(" ", hi), folded.find("\n", hi)) if x >= 0]
            hi = min(cut) if cut else n
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out
