"""Fast string folding and clitic stripping for NER features.

The tagger needs one folding that is identical at training time (ANERcorp and
Wojood tokens, the news corpus for clusters, gazetteer entries) and at
inference time (tokens from :mod:`rasid.text.tokenize`), and it must be cheap:
features are computed for every token at tens of thousands of tokens a second.
So this is a single ``str.translate`` table rather than the text layer's
offset-preserving normaliser; the model file is tied to this folding.
"""

from __future__ import annotations

import re

_FOLD_MAP: dict[int, str | None] = {}
for _cp in range(0x064B, 0x0653):  # tanween, harakat, shadda, sukun, maddah above
    _FOLD_MAP[_cp] = None
for _cp in (
    0x0670,
    0x0640,
    0x200C,
    0x200D,
    0x200E,
    0x200F,
    0x061C,
):  # dagger alef, tatweel, ZW*, marks
    _FOLD_MAP[_cp] = None
for _src, _dst in {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ی": "ي",
    "ک": "ك",
    "ۀ": "ه",
}.items():
    _FOLD_MAP[ord(_src)] = _dst
for _i, _d in enumerate("٠١٢٣٤٥٦٧٨٩"):
    _FOLD_MAP[ord(_d)] = str(_i)
for _i, _d in enumerate("۰۱۲۳۴۵۶۷۸۹"):
    _FOLD_MAP[ord(_d)] = str(_i)
_FOLD_TABLE = str.maketrans(_FOLD_MAP)

ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3]")
_DIGIT = re.compile(r"\d")

#: Proclitic strings tried longest first; "ال" is the article, kept apart from
#: the conjunction/preposition clitics because mentions keep it.
_PREFIXES = (
    "وبال",
    "وكال",
    "فبال",
    "وال",
    "فال",
    "بال",
    "كال",
    "لل",
    "ال",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
)
_MIN_STEM = 2
# The first of _PREFIXES (in their order) that leaves a stem of _MIN_STEM
# letters: a regex tries the alternatives in order, so one C call does the loop.
_PREFIX_RE = re.compile("(" + "|".join(_PREFIXES) + ")(?=" + "." * _MIN_STEM + ")", re.DOTALL)


def fold(text: str) -> str:
    """Matching form: no diacritics or tatweel, one alef, ya, ha; Western digits."""
    return text.translate(_FOLD_TABLE).lower()


# Memos for the two functions below: the rule layer asks about the same few
# thousand words again and again. Plain dicts, emptied when full, rather than
# lru_cache: a hit is one look-up, and a miss adds no linked-list node for the
# garbage collector to walk on every full collection.
_MEMO_LIMIT = 262_144
_SPLIT_MEMO: dict[str, tuple[str, str]] = {}
_STRIP_MEMO: dict[str, str] = {}


def split_proclitics(folded: str) -> tuple[str, str]:
    """Split a folded word into (proclitics, stem) with the article dropped.

    ``"والعراق" -> ("وال", "عراق")``; the stem keeps at least two letters so
    short words such as ``"بل"`` or ``"لا"`` are left whole. Memoised.
    """
    found = _SPLIT_MEMO.get(folded)
    if found is not None:
        return found
    # "للعراق" is ل + ال + عراق: the article is dropped with the prefix.
    match = _PREFIX_RE.match(folded)
    found = (match.group(1), folded[match.end() :]) if match is not None else ("", folded)
    if len(_SPLIT_MEMO) >= _MEMO_LIMIT:
        _SPLIT_MEMO.clear()
    _SPLIT_MEMO[folded] = found
    return found


def strip_conj_prep(folded: str) -> str:
    """Drop و/ف/ب/ل/ك (and their combination with ال) but keep the article.

    Used to look up gazetteers whose entries carry the article (الموصل). Memoised.
    """
    found = _STRIP_MEMO.get(folded)
    if found is not None:
        return found
    prefix, stem = split_proclitics(folded)
    if not prefix or prefix == "ال":
        found = folded
    elif prefix.endswith("ال") or prefix == "لل":
        found = "ال" + stem
    else:
        found = stem
    if len(_STRIP_MEMO) >= _MEMO_LIMIT:
        _STRIP_MEMO.clear()
    _STRIP_MEMO[folded] = found
    return found


def shape(token: str) -> str:
    """A coarse word shape: Arabic, Latin, digits, punctuation or mixed."""
    if ARABIC_LETTER.search(token):
        return "ar" if not _DIGIT.search(token) else "ar0"
    if token.isdigit():
        return "d"
    if _DIGIT.search(token):
        return "d+"
    if token.isalpha():
        return "Aa" if token[:1].isupper() else "a"
    return "p"


# Arabic letters, marks and digits, but not the Arabic comma, semicolon,
# question mark or percent sign, which are tokens of their own.
_CORPUS_TOKEN = re.compile(
    r"(?:[^\W_]|[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640])+|[^\w\s]"
)


def corpus_tokens(text: str) -> list[str]:
    """Whitespace-and-punctuation tokens in ANERcorp's style, folded."""
    return [f for f in (fold(t) for t in _CORPUS_TOKEN.findall(text)) if f]
