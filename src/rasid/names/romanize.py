"""Arabic names to Latin script and back, in the spellings the press uses.

The dictionary and model of ``arabic-name-romanizer`` (offline: an SQLite
table of attested spellings and a small ONNX model) give the spelling of each
word. Its answers are checked against the word's consonant skeleton, because
its whole-name table holds aliases that are other people's names (أبو أيمن →
"Ibrahim"); particles and curated nisbas are spelled from our own tables; and a
rule-based transliteration covers whatever is left. Latin → Arabic runs the
same table backwards (plus the curated nisbas) to give Arabic matching keys to
names that reached us in Latin script only.
"""

from __future__ import annotations

import sqlite3
import string
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

from rasid.names.folding import fold, fold_latin, skeleton, strip_article, strip_latin_article
from rasid.names.nisba import load_nisbas

__all__ = [
    "PARTICLES_AR",
    "back_transliterate",
    "romanize_unit",
    "rule_romanize",
]

# Particles are spelled from this table: the dictionary's answers for them are
# unreliable (بن → "Ben-Haim").
PARTICLES_AR: dict[str, tuple[str, ...]] = {
    "ابو": ("Abu", "Abou"),
    "ابا": ("Aba",),
    "ابي": ("Abi",),
    "ام": ("Umm", "Um"),
    "بن": ("bin", "ibn", "ben"),
    "ابن": ("ibn", "bin"),
    "بنت": ("bint",),
    "عبد": ("Abd",),
    "ذو": ("Dhu",),
    "ذي": ("Dhi",),
}
# Latin spellings of the particles, folded, and their Arabic key.
PARTICLES_LATIN: dict[str, str] = {
    "abu": "ابو", "abou": "ابو", "abo": "ابو", "aboo": "ابو", "ebu": "ابو", "abi": "ابي",
    "umm": "ام", "um": "ام", "oum": "ام", "om": "ام", "umm-e": "ام",
    "bin": "بن", "ibn": "بن", "ben": "بن", "bint": "بنت",
    "abd": "عبد", "abdel": "عبد ال", "abdul": "عبد ال", "abdal": "عبد ال", "abdol": "عبد ال",
}  # fmt: skip
# The spelling English-language reporting on Syria and Iraq uses most for the
# commonest names; the dictionary's top answer leans French/Egyptian (Mohamed).
PREFERRED: dict[str, tuple[str, ...]] = {
    "محمد": ("Muhammad", "Mohammed", "Mohamed", "Mohammad"),
    "احمد": ("Ahmed", "Ahmad"),
    "محمود": ("Mahmoud", "Mahmud"),
    "عمر": ("Omar", "Umar"),
    "عثمان": ("Othman", "Uthman"),
    "علي": ("Ali",),
    "حسن": ("Hassan", "Hasan"),
    "حسين": ("Hussein", "Husayn", "Hussain"),
    "يوسف": ("Yusuf", "Youssef"),
    "ابراهيم": ("Ibrahim",),
    "مصطفي": ("Mustafa", "Moustafa"),
    "خالد": ("Khalid", "Khaled"),
    "بكر": ("Bakr",),
    "ايمن": ("Ayman", "Aymen"),
    "عبد الله": ("Abdullah", "Abdallah"),
    "عبد الرحمن": ("Abd al-Rahman", "Abdulrahman", "Abdel Rahman"),
    "الله": ("Allah",),
}

_CONSONANTS = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "پ": "p", "چ": "ch", "ڤ": "v", "گ": "g",
}  # fmt: skip


def rule_romanize(word: str) -> str:
    """A plain transliteration of one folded Arabic word (our fallback).

    Short vowels are not written in Arabic, so an ``a`` is put between two
    consonants; ا و ي are read as long vowels inside a word and as consonants
    at its start; ع at the start is a vowel onset (عمر → "Amr" is wrong but
    "Omar" is not derivable, which is why this is the last resort).
    """
    article = ""
    if word.startswith("ال") and len(word) >= 4 and word != "الله":
        article, word = "al-", word[2:]
    out: list[str] = []
    prev_consonant = False
    for i, ch in enumerate(word):
        last = i == len(word) - 1
        if ch in "اآ":
            out.append("a")
            prev_consonant = False
        elif ch == "و":
            if i == 0 or (not prev_consonant and not last):
                out.append("w")
                prev_consonant = True
            else:
                out.append("u")
                prev_consonant = False
        elif ch in "يى":
            if i == 0:
                out.append("y")
                prev_consonant = True
            else:
                out.append("i")
                prev_consonant = False
        elif ch == "ه" and last and i > 0:
            out.append("a")  # ta marbuta, folded to ه
            prev_consonant = False
        elif ch == "ع":
            if i == 0:
                out.append("a")
            prev_consonant = False
        elif ch in _CONSONANTS:
            if prev_consonant:
                out.append("a")
            out.append(_CONSONANTS[ch])
            prev_consonant = True
    body = "".join(out)
    return article + body[:1].upper() + body[1:]


#: Whether romanisation may run the romanizer's neural model for units its
#: dictionary lacks. Off by default: the model costs ~20 ms a unit, which a
#: corpus ingest cannot afford (dictionary + rules are ~100x faster); the
#: ``rasid name`` command turns it on for one careful answer.
_NEURAL = {"enabled": False}


def use_neural_model(enabled: bool) -> None:
    _NEURAL["enabled"] = enabled


@cache
def _transliterator(neural: bool = False) -> Any:
    # Loaded once and only when a name is romanised: it opens an SQLite file
    # (and, with ``neural``, an ONNX session: about half a second).
    from arabic_name_romanizer import Transliterator

    if neural:
        return Transliterator()
    return Transliterator(auto_load_model=False, model_below_trust=False)


def _names_db() -> Path:
    from arabic_name_romanizer.api import default_resources_dir

    return default_resources_dir() / "names.sqlite3"


def _skeleton_close(arabic: str, latin: str) -> bool:
    a, b = skeleton(arabic).replace(" ", ""), skeleton(latin).replace(" ", "")
    if not a or not b:
        return False
    return Levenshtein.normalized_distance(a, b) <= 0.34


def _with_article(spelling: str) -> str:
    bare = strip_latin_article(spelling.lower())
    body = spelling[len(spelling) - len(bare) :] if len(bare) < len(spelling) else spelling
    body = body.strip(" -")
    return "al-" + body[:1].upper() + body[1:]


def romanize_unit(unit: str, *, top_k: int = 3) -> list[str]:
    """Latin spellings of one name unit (a word, or a compound like عبد الله), best first."""
    return list(_romanize_unit(unit, top_k, _NEURAL["enabled"]))


@lru_cache(maxsize=100_000)
def _romanize_unit(unit: str, top_k: int, neural: bool) -> tuple[str, ...]:
    return tuple(_romanize_unit_uncached(unit, top_k, neural))


def _romanize_unit_uncached(unit: str, top_k: int, neural: bool) -> list[str]:
    key = " ".join(fold(unit).split())
    if not key:
        return []
    if key in PARTICLES_AR:
        return list(PARTICLES_AR[key][:top_k])
    if key in PREFERRED:
        return list(PREFERRED[key][:top_k])
    has_article = key.startswith("ال") and len(key) >= 4 and key != "الله"
    nisba = load_nisbas().lookup(key)
    if nisba is not None and nisba.latin:
        spellings = list(nisba.latin)
        return (
            spellings[:top_k]
            if has_article
            else [strip_latin_article(s.lower()).capitalize() for s in spellings][:top_k]
        )
    out: list[str] = []
    for candidate in _transliterator(neural).transliterate(unit, top_k=top_k + 2):
        text = candidate.text.strip()
        if not text or len(text.split()) > len(key.split()) or not _skeleton_close(key, text):
            continue
        text = _with_article(text) if has_article else text[:1].upper() + text[1:]
        if text.casefold() not in {o.casefold() for o in out}:
            out.append(text)
    fallback = " ".join(rule_romanize(w) for w in key.split())
    if not out:
        out.append(fallback)
    return out[:top_k]


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


@cache
def _latin_units() -> dict[str, dict[str, int]]:
    """Latin spelling (ASCII case folded, as SQLite's NOCASE) → one-word Arabic key → count.

    Read once: the table has no index on ``latin``, so a query per name scanned it."""
    path = _names_db()
    table: dict[str, dict[str, int]] = {}
    if not path.exists():
        return table
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        for key, latin, count in conn.execute(
            "SELECT arabic_key, latin, count FROM units WHERE arabic_key NOT LIKE '% %'"
        ):
            counts = table.setdefault(latin.translate(_ASCII_LOWER), {})
            counts[key] = counts.get(key, 0) + count
    return table


@cache
def _reverse(latin: str) -> tuple[str, ...]:
    """Arabic keys the names table spells as ``latin`` (any case), commonest first."""
    counts = _latin_units().get(latin.translate(_ASCII_LOWER))
    if not counts:
        return ()
    # Commonest first; equal counts in key order (what the former SQL query gave).
    rows = sorted(sorted(counts.items()), key=lambda kv: -kv[1])[:4]
    # Only spellings with exactly the same skeleton: the table also files
    # fused and longer names under a short spelling (Muhammad → محمدعلي).
    # and a particle must not appear from nowhere (Bakr → ابوبكر).
    wanted = skeleton(latin).replace(" ", "")
    particle = fold_latin(latin).startswith(("ab", "um", "om"))
    return tuple(
        fold(r[0])
        for r in rows
        if skeleton(r[0]).replace(" ", "") == wanted
        and (particle or not fold(r[0]).startswith(("ابو", "ام", "عبد")))
    )


def back_transliterate(word: str) -> list[str]:
    """Folded Arabic forms a Latin name word may stand for ("al-Shishani" → الشيشاني)."""
    folded = fold_latin(word)
    if not folded:
        return []
    if folded in PARTICLES_LATIN:
        return [PARTICLES_LATIN[folded]]
    nisba = load_nisbas().lookup_latin(folded)
    bare = strip_latin_article(folded)
    has_article = bare != folded
    if nisba is not None:
        form = fold(nisba.form)
        return [form if has_article else strip_article(form)]
    out: list[str] = []
    for spelling in dict.fromkeys([bare, bare.replace("-", " "), bare.replace("-", "")]):
        for arabic in _reverse(spelling):
            arabic = strip_article(arabic)
            if has_article:
                arabic = "ال" + arabic
            if arabic not in out:
                out.append(arabic)
    return out
