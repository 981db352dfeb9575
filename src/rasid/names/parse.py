"""Parsing Arabic personal names: kunya, ism, nasab, nisba, laqab.

``parse_name("أبو محمد الأمريكي")`` gives kunya أبو محمد and nisba الأمريكي
(which suggests the United States); ``parse_name("Omar al-Shishani")`` parses
a Latin spelling the same way and back-transliterates it so that its keys meet
those of عمر الشيشاني. :func:`name_keys` gives the matching keys: the same for
spellings that differ only in the article, hamza, ta marbuta or alef maqsura,
different for names that differ in any part (two men called أبو محمد with
different nisbas never share a key).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from rasid.errors import EmptyInputError, InputError
from rasid.names.folding import (
    fold,
    fold_latin,
    has_arabic,
    has_latin,
    skeleton,
    strip_article,
    strip_latin_article,
)
from rasid.names.nisba import load_nisbas
from rasid.names.romanize import back_transliterate, romanize_unit

__all__ = ["MAX_NAME_WORDS", "Nisba", "ParsedName", "name_keys", "parse_name"]

#: The longest personal name accepted, in words (a full nasab chain with
#: titles stays well under it; a sentence does not).
MAX_NAME_WORDS = 15
MAX_NAME_CHARS = 200

_KUNYA = {"ابو", "ابا", "ابي", "ام"}
_NASAB = {"بن", "ابن", "بنت"}
# Honorifics, ranks and functions written before a name; they are not part of it.
_TITLES_AR = {
    "الشيخ", "الحاج", "الحاجه", "الدكتور", "الدكتوره", "د", "المهندس", "الاستاذ", "السيد", "السيده",
    "الامير", "القائد", "القاضي", "الملا", "الامام", "الرئيس", "الوزير", "النائب", "العقيد", "العميد",
    "اللواء", "الفريق", "المقدم", "الرائد", "النقيب", "الملازم", "الجنرال", "المشير", "الرقيب",
    "العريف", "الجندي", "المجاهد", "الاخ", "المحلل", "الصحفي", "الناشط", "المتحدث", "الخليفه",
}  # fmt: skip
_TITLES_LATIN = {
    "sheikh", "shaykh", "sheik", "dr", "doctor", "mr", "mrs", "ms", "gen", "general", "col",
    "colonel", "lt", "lieutenant", "maj", "major", "brig", "brigadier", "capt", "captain",
    "emir", "amir", "mullah", "imam", "haji", "hajji", "sayyid", "president", "minister",
}  # fmt: skip
# Second halves of compound names: نور الدين، سيف الله، عبد الله.
_COMPOUND_TAILS = {"الدين", "الله", "الرحمن", "الاسلام"}
_LATIN_ABD = frozenset({"abd", "abdul", "abdel", "abdal", "abdol", "abdur", "abdu", "abdel-"})
_PUNCT_RE = re.compile(r"[^\w\s'ʿʾ’‘-]|_")
# Diacritics, Quranic marks and tatweel are dropped before punctuation is: they
# are not word characters, and must not split a word (أَبو is أبو, not أ بو).
_MARKS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


@dataclass(slots=True)
class Nisba:
    form: str  # as written: الأمريكي
    kind: str  # country | region | city | ethnic | tribal | unknown
    latin: str  # usual Latin spelling: al-Amriki
    #: the place the nisba *suggests* (country/region codes and names); an
    #: attribute of the name, never a fact about the person
    origin: dict[str, str] | None = None


@dataclass(slots=True)
class ParsedName:
    text: str
    script: str  # "arabic" | "latin"
    titles: list[str] = field(default_factory=list)
    kunya: str | None = None
    ism: str | None = None
    nasab: list[str] = field(default_factory=list)  # father, grandfather...: بن X بن Y, or X Y
    nisbas: list[Nisba] = field(default_factory=list)
    laqab: list[str] = field(default_factory=list)
    romanized: list[str] = field(default_factory=list)  # Latin spellings, preferred first
    arabic: list[str] = field(default_factory=list)  # Arabic forms of a Latin-script name
    keys: list[str] = field(default_factory=list)

    @property
    def parts(self) -> list[str]:
        """The name's own parts in order, without titles."""
        out = [p for p in (self.kunya, self.ism) if p]
        out += self.nasab + [n.form for n in self.nisbas] + self.laqab
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check(text: str) -> str:
    if not isinstance(text, str):
        raise InputError(f"a name must be text, got {type(text).__name__}")
    stripped = " ".join(text.split())
    if not stripped:
        raise EmptyInputError("the name is empty; give a personal name such as 'أبو محمد الأمريكي'")
    if len(stripped) > MAX_NAME_CHARS or len(stripped.split()) > MAX_NAME_WORDS:
        raise InputError(
            f"this is {len(stripped.split())} words / {len(stripped)} characters long, not a "
            f"personal name (at most {MAX_NAME_WORDS} words, {MAX_NAME_CHARS} characters); "
            "pass one name at a time"
        )
    if not has_arabic(stripped) and not has_latin(stripped):
        raise InputError(f"{stripped!r} contains no Arabic or Latin letters; it is not a name")
    return stripped


def _units_arabic(words: list[str]) -> list[str]:
    """Join compounds: عبد + X, X + الدين/الله; keep everything else one word a unit."""
    folded = [fold(w) for w in words]
    units: list[str] = []
    i = 0
    while i < len(words):
        word, key = words[i], folded[i]
        if key.startswith("عبدال") and len(key) >= 7:  # عبدالله written solid
            units.append(word)
        elif key == "عبد" and i + 1 < len(words):
            units.append(f"{word} {words[i + 1]}")
            i += 1
        elif units and key in _COMPOUND_TAILS and fold(units[-1]) not in _KUNYA | _NASAB:
            units[-1] = f"{units[-1]} {word}"
        else:
            units.append(word)
        i += 1
    return units


def _nisba_of(unit: str, *, latin: bool) -> Nisba | None:
    catalogue = load_nisbas()
    info = catalogue.lookup_latin(unit) if latin else catalogue.lookup(unit)
    if info is not None:
        if latin:
            spelling = unit
        else:
            spelling = (info.latin[0] if info.latin else "") or romanize_unit(unit, top_k=1)[0]
        return Nisba(form=unit, kind=info.kind, latin=spelling, origin=info.origin())
    return None


def _looks_like_nisba(key: str, *, latin: bool) -> bool:
    if latin:
        bare = strip_latin_article(key)
        return bare != key and (bare.endswith("i") or bare.endswith("y"))
    return key.startswith("ال") and key.endswith("ي") and len(key) >= 5


def _classify(parsed: ParsedName, units: list[str], *, latin: bool) -> None:
    key_of = fold_latin if latin else fold
    kunya_words = {"abu", "abou", "abo", "aboo", "umm", "um", "oum"} if latin else _KUNYA
    nasab_words = {"bin", "ibn", "ben", "bint"} if latin else _NASAB
    titles = _TITLES_LATIN if latin else _TITLES_AR
    i = 0
    while i < len(units) and key_of(units[i]).rstrip(".") in titles and i + 1 < len(units):
        parsed.titles.append(units[i])
        i += 1
    while i < len(units):
        unit, key = units[i], key_of(units[i])
        has_next = i + 1 < len(units)
        if key in kunya_words and has_next and parsed.kunya is None:
            parsed.kunya = f"{unit} {units[i + 1]}"
            i += 2
            continue
        if key in nasab_words and has_next:
            parsed.nasab.append(f"{unit} {units[i + 1]}")
            i += 2
            continue
        nisba = _nisba_of(unit, latin=latin)
        if nisba is not None and (nisba.kind != "tribal" or _looks_like_nisba(key, latin=latin)):
            parsed.nisbas.append(nisba)
        elif _looks_like_nisba(key, latin=latin):
            spelling = unit if latin else romanize_unit(unit, top_k=1)[0]
            parsed.nisbas.append(Nisba(form=unit, kind="unknown", latin=spelling))
        elif (strip_latin_article(key) != key) if latin else (strip_article(key) != key):
            parsed.laqab.append(unit)  # an epithet with the article: الذباح، al-Muhajir
        elif parsed.ism is None and not parsed.nasab and not parsed.nisbas:
            parsed.ism = unit
        elif not parsed.nisbas and not parsed.laqab:
            parsed.nasab.append(unit)  # father's and grandfather's names without بن
        else:
            parsed.laqab.append(unit)
        i += 1


def _latin_units(words: list[str]) -> list[str]:
    """ "Al Shishani" → "Al-Shishani"; "Abd al-Rahman" stays two units (particle + name)."""
    units: list[str] = []
    i = 0
    while i < len(words):
        if fold_latin(words[i]) in {"al", "el", "ul"} and i + 1 < len(words):
            units.append(f"{words[i]}-{words[i + 1]}")
            i += 2
            continue
        if fold_latin(words[i]) in _LATIN_ABD and i + 1 < len(words):
            units.append(f"{words[i]} {words[i + 1]}")  # Abdul Rahman is one name
            i += 2
            continue
        units.append(words[i])
        i += 1
    return units


def _romanize(parsed: ParsedName, *, limit: int = 6) -> list[str]:
    options: list[list[str]] = []
    for part in parsed.parts:
        spellings: list[str] = []
        for unit in _units_arabic(part.split()):
            spellings.append(" ".join(romanize_unit(unit, top_k=3)[:1]))
        preferred = " ".join(spellings)
        alternatives = [preferred]
        # Variation comes from the one unit with several spellings at a time,
        # so the list stays short and every item is a plausible full spelling.
        for j, unit in enumerate(_units_arabic(part.split())):
            for other in romanize_unit(unit, top_k=3)[1:]:
                alternatives.append(" ".join([*spellings[:j], other, *spellings[j + 1 :]]))
        options.append(list(dict.fromkeys(alternatives)))
    if not options:
        return []
    out = [" ".join(choice[0] for choice in options)]
    for k, choices in enumerate(options):
        for alt in choices[1:]:
            out.append(
                " ".join([*(c[0] for c in options[:k]), alt, *(c[0] for c in options[k + 1 :])])
            )
    return list(dict.fromkeys(out))[:limit]


def _arabic_key(words: list[str]) -> str:
    out: list[str] = []
    for word in words:
        for piece in fold(word).split():
            if piece == "ابن":
                piece = "بن"
            if piece.startswith("عبدال") and len(piece) >= 7:
                out.extend(["عبد", strip_article(piece[3:])])
                continue
            out.append(strip_article(piece))
    return " ".join(out)


def _keys(parsed: ParsedName) -> list[str]:
    keys: set[str] = set()
    if parsed.script == "arabic":
        arabic_forms = [_arabic_key(parsed.parts)] if parsed.parts else []
    else:
        arabic_forms = [_arabic_key(form.split()) for form in parsed.arabic]
    keys.update(f"ar:{form}" for form in arabic_forms if form)
    skel = skeleton(" ".join(parsed.parts)).replace(" ", "")
    if skel:
        keys.add(f"sk:{skel}")
    return sorted(keys)


def _back_transliterations(parsed: ParsedName, *, limit: int = 4) -> list[str]:
    per_word: list[list[str]] = []
    for part in parsed.parts:
        for word in part.replace("-", " - ").split():
            if word == "-":
                continue
            if fold_latin(word) in {"al", "el", "ul"}:
                per_word.append(["ال"])
                continue
            options = back_transliterate(word)
            if not options:
                return []  # one unknown word: no reliable Arabic form, the skeleton key remains
            per_word.append(options[:2])
    joined: list[str] = []
    for combo in itertools.islice(itertools.product(*per_word), limit):
        text = " ".join(combo).replace("ال ", "ال")
        joined.append(text)
    return joined


def parse_name(text: str, *, romanize: bool = True) -> ParsedName:
    """Parse one personal name written in Arabic or Latin script.

    Raises :class:`rasid.errors.EmptyInputError` for an empty name and
    :class:`rasid.errors.InputError` for text that cannot be one name (no
    letters, or longer than :data:`MAX_NAME_WORDS` words).
    """
    stripped = _check(text)
    cleaned = " ".join(_PUNCT_RE.sub(" ", _MARKS_RE.sub("", stripped)).split())
    if not cleaned:
        raise InputError(f"{stripped!r} contains no name words")
    arabic = has_arabic(cleaned)
    parsed = ParsedName(text=text, script="arabic" if arabic else "latin")
    if arabic:
        words = [w for w in cleaned.split() if has_arabic(w)]
        _classify(parsed, _units_arabic(words), latin=False)
        if romanize:
            parsed.romanized = _romanize(parsed)
    else:
        words = [w for w in cleaned.split() if fold_latin(w)]
        _classify(parsed, _latin_units(words), latin=True)
        parsed.romanized = [" ".join(parsed.parts)]
        parsed.arabic = _back_transliterations(parsed)
    parsed.keys = _keys(parsed)
    return parsed


def name_keys(text: str) -> set[str]:
    """Matching keys of a personal name.

    ``ar:...`` keys are the folded Arabic name without articles, titles or
    punctuation (for a Latin-script name: its back-transliterations); two
    spellings of the same name share one. ``sk:...`` is the cross-script
    consonant skeleton: a weaker key that also joins Latin spellings.
    """
    return set(parse_name(text, romanize=False).keys)
