"""A fast language guess: script first, then letters and stopwords.

Only the first few thousand characters are read. Arabic-script text is "ar"
unless letters that only Persian ("fa") or Urdu ("ur") use outweigh the
Arabic-only ones; Latin-script text is told apart by stopwords; other scripts
map to their main language. "und" when there is nothing to go on.
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["SAMPLE_CHARS", "detect_language"]

#: How much of the text is looked at.
SAMPLE_CHARS = 4000

# (script name, character class); the order matters only for overlaps.
_SCRIPTS: tuple[tuple[str, str], ...] = (
    ("arabic", "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"),
    ("latin", "A-Za-z\u00c0-\u024f\u1e00-\u1eff"),
    ("cyrillic", "\u0400-\u052f"),
    ("greek", "\u0370-\u03ff"),
    ("hebrew", "\u0590-\u05ff"),
    ("devanagari", "\u0900-\u097f"),
    ("thai", "\u0e00-\u0e7f"),
    ("hangul", "\uac00-\ud7af\u1100-\u11ff"),
    ("kana", "\u3040-\u30ff"),
    ("han", "\u4e00-\u9fff"),
    ("armenian", "\u0530-\u058f"),
    ("georgian", "\u10a0-\u10ff"),
    ("ethiopic", "\u1200-\u137f"),
)
# One run-matching regex per script: counting letters run by run keeps the work in C
# (a match object per character was most of the cost of reading a corpus).
_SCRIPT_RUNS = tuple((name, re.compile(f"[{chars}]+")) for name, chars in _SCRIPTS)
_ARABIC_RUNS = _SCRIPT_RUNS[0][1]
_SCRIPT_LANGUAGE = {
    "greek": "el",
    "hebrew": "he",
    "devanagari": "hi",
    "thai": "th",
    "hangul": "ko",
    "kana": "ja",
    "han": "zh",
    "armenian": "hy",
    "georgian": "ka",
    "ethiopic": "am",
}

# Letters Arabic does not use (Persian/Urdu) and letters Persian does not use.
_PERSIAN_RE = re.compile("[پچژگکی]")
_URDU_RE = re.compile("[ٹڈڑںےۓ]")
_ARABIC_ONLY_RE = re.compile("[ةيكىـ\u064b-\u0652]")
_UKRAINIAN_RE = re.compile("[іїєґІЇЄҐ]")
_LATIN_WORD_RE = re.compile(r"[a-zà-ÿßœæ]+")

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and of to in is that for with on was are by this from it at as be have".split()
    ),
    "fr": frozenset(
        "le la les de des du et est un une que qui dans pour sur pas au aux avec".split()
    ),
    "es": frozenset("el la los las de del y que en un una es por con para se al como".split()),
    "de": frozenset(
        "der die das und ist nicht ein eine zu den mit von sich auf dem des im".split()
    ),
    "it": frozenset("il lo la gli le di che e è un una per non con del della nel sono".split()),
    "pt": frozenset("o a os as de do da e que em um uma não para com por no na são".split()),
    "nl": frozenset("de het een en van is dat niet op te zijn met voor in die".split()),
    "tr": frozenset("ve bir bu da de için ile olan gibi çok daha ama ne mi".split()),
    "id": frozenset("yang dan di ini itu dengan untuk dari tidak ke dalam akan pada".split()),
}


def detect_language(text: str) -> str:
    """ISO 639-1 code of the dominant language of ``text``, or "und"."""
    if not isinstance(text, str):
        raise TypeError(f"detect_language() needs a str, got {type(text).__name__}")
    sample = text[:SAMPLE_CHARS]
    # Most input is Arabic prose: when Arabic letters are more than half the
    # sample, no other script can have more, and the other counts are skipped.
    arabic = sum(map(len, _ARABIC_RUNS.findall(sample)))
    if 2 * arabic > len(sample) and arabic >= 2:
        return _arabic_script_language(sample)
    scripts: Counter[str] = Counter()
    for name, runs in _SCRIPT_RUNS:
        letters = sum(map(len, runs.findall(sample)))
        if letters:
            scripts[name] = letters
    if not scripts:
        return "und"
    script, count = scripts.most_common(1)[0]
    if count < 2:
        return "und"
    if script == "arabic":
        return _arabic_script_language(sample)
    if script == "latin":
        return _latin_language(sample)
    if script == "cyrillic":
        return "uk" if len(_UKRAINIAN_RE.findall(sample)) > 2 else "ru"
    if script in ("han", "kana"):
        # Japanese mixes kanji with kana; any real share of kana says Japanese.
        return "ja" if scripts["kana"] * 5 >= scripts["han"] else "zh"
    return _SCRIPT_LANGUAGE.get(script, "und")


def _arabic_script_language(sample: str) -> str:
    persian = len(_PERSIAN_RE.findall(sample))
    urdu = len(_URDU_RE.findall(sample))
    arabic_only = len(_ARABIC_ONLY_RE.findall(sample))
    if persian + urdu > arabic_only:
        return "ur" if urdu * 3 >= persian else "fa"
    return "ar"


def _latin_language(sample: str) -> str:
    words = _LATIN_WORD_RE.findall(sample.lower())
    if not words:
        return "und"
    scores = {
        language: sum(1 for word in words if word in stopwords)
        for language, stopwords in _STOPWORDS.items()
    }
    best = max(scores, key=lambda language: scores[language])
    if scores[best] == 0:
        return "und"
    return best
