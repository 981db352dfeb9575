"""Arabic text stored in visual order (as laid out left to right), and its repair.

Many PDF producers store Arabic glyphs in the order they are painted: a line's
words come last-first and each word's letters are reversed, often as
presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF). The detector counts letter
positions that only one of the two orders produces: ة and ى end Arabic words,
the article ال starts them; in visual order they appear at word starts
(ة…, ى…) and word ends (…لا). When the word-frequency lexicon of
:mod:`rasid.text` is installed, words found only when read backwards add to
the evidence.
"""

from __future__ import annotations

import re
import unicodedata

from rasid.errors import RasidError
from rasid.text.normalize import normalize_key

_PRESENTATION = re.compile(r"[\ufb50-\ufdff\ufe70-\ufeff]")
_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefe]")
# Left-to-right runs inside an RTL line (numbers, Latin words) keep their own order.
_LTR = "A-Za-z0-9\u0660-\u0669\u06f0-\u06f9\u00c0-\u024f"
_LTR_RUN = re.compile(rf"[{_LTR}](?:[{_LTR}.,:/%'\- ]*[{_LTR}])?")
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")


def fold_presentation_forms(text: str) -> str:
    """Presentation-form glyphs to the letters they show (NFKC on those code points only)."""
    return _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def order_scores(text: str) -> tuple[int, int]:
    """(logical evidence, visual evidence) counted over the Arabic words of ``text``."""
    plain = _DIACRITICS.sub("", fold_presentation_forms(text))
    logical = visual = 0
    for word in _ARABIC_WORD.findall(plain):
        if len(word) < 2:
            continue
        if word[-1] in "ةى":
            logical += 1
        if word[0] in "ةى":
            visual += 1
        if len(word) >= 4:
            if word.startswith("ال"):
                logical += 1
            if word.endswith("لا"):
                visual += 1
    return logical, visual


def _lexicon() -> dict[str, int] | None:
    try:
        from rasid.text.clitics import load_lexicon

        return load_lexicon()
    except (ImportError, RasidError):
        return None


def lexicon_scores(text: str, limit: int = 2000) -> tuple[int, int]:
    """(words found as written, words found only when reversed) in the word-frequency lexicon."""
    counts = _lexicon()
    if not counts:
        return 0, 0
    forward = backward = 0
    words = _ARABIC_WORD.findall(normalize_key(_DIACRITICS.sub("", fold_presentation_forms(text))))
    for word in words[:limit]:
        if len(word) < 3 or word == word[::-1]:
            continue
        if word in counts:
            forward += 1
        elif word[::-1] in counts:
            backward += 1
    return forward, backward


def is_visual_order(text: str) -> bool:
    """Does the evidence (letter positions, and the lexicon when present) say visual order?"""
    logical, visual = order_scores(text)
    forward, backward = lexicon_scores(text)
    logical += forward
    visual += backward
    return visual >= 2 and visual > 2 * logical


def visual_line_to_logical(line: str) -> str:
    """One visually ordered line in logical order; lines without Arabic are left alone."""
    if not _ARABIC_LETTER.search(line):
        return line
    # Reverse first, fold after: the lam-alef ligature is one glyph that stands for two letters.
    reversed_line = line[::-1]
    reversed_line = _LTR_RUN.sub(lambda m: m.group(0)[::-1], reversed_line)
    pieces: list[str] = []
    last = 0
    for run in _LTR_RUN.finditer(reversed_line):
        pieces.append(reversed_line[last : run.start()].translate(_MIRROR))
        pieces.append(run.group(0))
        last = run.end()
    pieces.append(reversed_line[last:].translate(_MIRROR))
    return fold_presentation_forms("".join(pieces))


def visual_to_logical(text: str) -> str:
    return "\n".join(visual_line_to_logical(line) for line in text.split("\n"))
