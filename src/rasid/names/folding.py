"""Matching forms of names, shared by personal names, places and actors.

``rasid.text.normalize.normalize_key`` does the common fold (diacritics,
tatweel, alef/ya/ta marbuta, digits, case). Names need a harder fold on top of
it: a bare hamza is dropped (سامراء = سامرا), punctuation becomes a space and
the article can be taken off, because writers of names disagree on exactly
those points and a dictionary key must not. The cross-script *skeleton* maps
both Arabic and Latin spellings to consonant classes, so "Omar al-Shishani"
and عمر الشيشاني meet even when no dictionary knows the spelling.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rasid.text.normalize import normalize_key

__all__ = [
    "ARABIC_LETTER_RE",
    "fold",
    "fold_latin",
    "has_arabic",
    "has_latin",
    "skeleton",
    "strip_article",
    "strip_latin_article",
    "words",
]

ARABIC_LETTER_RE = re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f]")
_LATIN_LETTER_RE = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_NON_WORD_RE = re.compile(r"[^\w\s]|_")
_WS_RE = re.compile(r"\s+")


def has_arabic(text: str) -> bool:
    return bool(ARABIC_LETTER_RE.search(text))


def has_latin(text: str) -> bool:
    return bool(_LATIN_LETTER_RE.search(text))


# Name keys of short texts, kept: the names, places and linking components fold
# the same mention texts and words many times over (a hundred calls a document).
_FOLD_CACHE: dict[str, str] = {}
_FOLD_CACHE_LIMIT = 100_000
_FOLD_CACHE_TEXT = 64  # longer texts are folded each time


def fold(text: str) -> str:
    """The name key of ``text``: normalize_key, no bare hamza, no punctuation."""
    key = _FOLD_CACHE.get(text)
    if key is None:
        key = normalize_key(text).replace("ء", "")
        key = _NON_WORD_RE.sub(" ", key)
        key = _WS_RE.sub(" ", key).strip()
        if len(text) <= _FOLD_CACHE_TEXT:
            if len(_FOLD_CACHE) >= _FOLD_CACHE_LIMIT:
                _FOLD_CACHE.clear()
            _FOLD_CACHE[text] = key
    return key


def words(text: str) -> list[str]:
    return fold(text).split()


def strip_article(word: str) -> str:
    """Take ال off a folded word, unless what is left would be too short to be a name."""
    if word.startswith("ال") and len(word) >= 4 and word != "الله":
        return word[2:]
    return word


# Latin renderings of the article, assimilated or not: al-, el-, ar-, ash-...
_LATIN_ARTICLE_RE = re.compile(
    r"^(?:al|el|ul|il|ar|as|ash|ad|an|at|az|ath|adh|az|er|es|esh|ed|en|et|ez)[-\s']+(?=\w)"
)


def fold_latin(text: str) -> str:
    """Lower case, no accents or apostrophes (ʿ ' ’), hyphens and punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = re.sub(r"[ʿʾ'’‘`´ʻʼ]", "", stripped.lower())
    stripped = re.sub(r"[^\w\s-]|_", " ", stripped)
    stripped = re.sub(r"\s*-+\s*", "-", stripped)
    return _WS_RE.sub(" ", stripped).strip(" -")


def strip_latin_article(text: str) -> str:
    """ "al-Shishani" → "Shishani", "Ar Raqqah" → "Raqqah" (folded input)."""
    return _LATIN_ARTICLE_RE.sub("", text)


# Consonant classes: letters writers confuse across and within scripts share a
# class (ت ط ث / t th; د ض ذ ظ / d dh; س ص / s; ق ك / q k ...). Vowels, ع and
# hamza are dropped; و and ي count only at the start of a word.
_AR_SKELETON = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "x", "د": "d", "ذ": "d",
    "ر": "r", "ز": "z", "س": "s", "ش": "c", "ص": "s", "ض": "d", "ط": "t", "ظ": "d",
    "غ": "g", "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
    "پ": "b", "چ": "c", "ڤ": "f", "گ": "g",
}  # fmt: skip
_LATIN_DIGRAPHS = (
    ("sch", "c"), ("tch", "c"), ("dsh", "j"), ("dzh", "j"), ("kh", "x"), ("gh", "g"),
    ("sh", "c"), ("ch", "c"), ("th", "t"), ("dh", "d"), ("dj", "j"), ("zh", "j"),
    ("ph", "f"),
)  # fmt: skip
_LATIN_SKELETON = {
    "b": "b", "p": "b", "t": "t", "j": "j", "g": "j", "h": "h", "x": "x", "d": "d",
    "r": "r", "z": "z", "s": "s", "c": "c", "f": "f", "v": "f", "q": "k", "k": "k",
    "l": "l", "m": "m", "n": "n",
}  # fmt: skip


def _dedupe_runs(text: str) -> str:
    return re.sub(r"(.)\1+", r"\1", text)


def _arabic_word_skeleton(word: str) -> str:
    if word.startswith("عبدال") and len(word) >= 7:  # عبدالرحمن written solid
        return "bd" + _arabic_word_skeleton(word[3:])
    word = strip_article(word)
    out: list[str] = []
    for i, ch in enumerate(word):
        if ch in _AR_SKELETON:
            out.append(_AR_SKELETON[ch])
        elif i == 0 and ch in "وي":
            out.append("w" if ch == "و" else "y")
    return _dedupe_runs("".join(out))


_LATIN_ARTICLES = frozenset({"al", "el", "ul", "il", "ar", "as", "ash", "ad", "an", "at", "az"})


_LATIN_ABD_PREFIXES = ("abdul", "abdel", "abdal", "abdol", "abdur", "abdoul")


def _latin_word_skeleton(word: str) -> str:
    if word in _LATIN_ARTICLES:
        return ""
    for prefix in _LATIN_ABD_PREFIXES:
        # Abdul Rahman, Abdulrahman = عبد الرحمن: the l is the article's
        if word.startswith(prefix):
            rest = word[len(prefix) :].lstrip("-")
            return "bd" + (_latin_word_skeleton(rest) if rest else "")
    word = strip_latin_article(word).replace("-", "")
    for digraph, cls in _LATIN_DIGRAPHS:
        word = word.replace(digraph, "\x00" + cls)
    out: list[str] = []
    i = 0
    first = True
    while i < len(word):
        ch = word[i]
        if ch == "\x00":
            out.append(word[i + 1])
            i += 2
            first = False
            continue
        if first and ch in "wy":
            out.append(ch)
        elif ch == "g" and out and out[-1] == "n":
            pass  # "ng" is one sound in most transliterations of Turkic names
        elif ch in _LATIN_SKELETON:
            out.append(_LATIN_SKELETON[ch])
        i += 1
        first = False
    return _dedupe_runs("".join(out))


def skeleton(text: str) -> str:
    """A consonant skeleton, the same for Arabic and Latin spellings of a name.

    A weak key: it merges more than the Arabic keys do (عمر = عامر = Amer), so
    callers treat a skeleton match as a hint, never as identity on its own.
    """
    parts: list[str] = []
    for raw in text.split():
        parts.extend(_word_skeletons(raw))
    return " ".join(p for p in parts if p)


@lru_cache(maxsize=100_000)
def _word_skeletons(raw: str) -> tuple[str, ...]:
    # Per written word, kept: romanisation compares the skeletons of the same
    # names and spellings over and over.
    if has_arabic(raw):
        return tuple(_arabic_word_skeleton(w) for w in fold(raw).split())
    return tuple(_latin_word_skeleton(w) for w in fold_latin(raw).split())
