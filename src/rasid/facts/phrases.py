"""Phrases inside a sentence: names, lists of names, places.

The rules find a cue ("القائد العام ... هو", "يسكن في") and then need the
phrase it governs. Mentions from NER decide when they cover the spot; when NER
has nothing there, a phrase runs over content words up to a function word,
punctuation, a relative pronoun or a conjunction, so the rules keep working on
names the tagger does not know.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rasid.errors import DataFileError, RasidError
from rasid.facts.context import SentenceContext
from rasid.facts.lexicon import fold_key, load_data
from rasid.facts.words import Word
from rasid.model import Mention
from rasid.places.geocode import geocode

_FILE = "relations.yaml"

#: Words that end a name or place phrase (folded).
STOP = frozenset(
    fold_key(w)
    for w in """في من على الى إلى عن مع ثم الذي التي الذين اللذين هو هي هم قد كان كانت او أو
    بعد قبل حيث ان أن إن انه انها لم لا لن ما بين ضد عند لدى منذ خلال حتى كل بعض هذا هذه ذلك
    تلك وهو وهي وهم الا إلا لكن ولكن بل اي أي جميع جميعهم جميعا نحو حوالي تقريبا فقط ايضا أيضا
    قرب داخل خارج حول عبر ضمن بسبب رغم اذ إذ اذا إذا عندما بينما فيما كما ليصبح لتصبح يوم اليوم
    امس أمس الان الآن سابقا لاحقا فيما بعد نسبة بشكل له لها لهم لهما عليه عليها عليهم فيه فيها فيهم
    منه منها منهم به بها بهم قسم القسم الاقسام المعسكرات المقرات المناطق المدن القرى الناس
    غرب شرق شمال جنوب وسط""".split()
)
#: Words that join items of a list.
JOINERS = frozenset({"و", "ومعه", "ومعهم", "ومعها", ","})
#: Words that continue a personal name: "طارق بن زياد", "أبو محمد".
NAME_LINKS = frozenset({"بن", "ابن", "بنت", "ابو", "ابي", "ام", "عبد", "ال"})
#: Words between two parts of one name: "طارق بن زياد".
CONNECTORS = frozenset({"بن", "ابن", "بنت"})
NAME_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FACILITY", "NORP")
PLACE_TYPES = ("GPE", "LOC", "FACILITY")


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words ``i..j-1`` of the sentence; ``start``/``end`` are original offsets."""

    i: int
    j: int
    start: int
    end: int
    text: str
    mention: Mention | None = None


def _word_list(key: str) -> frozenset[str]:
    raw = load_data(_FILE).get(key)
    if not isinstance(raw, list):
        raise DataFileError(f"facts/{_FILE}: {key!r} must be a list of words")
    return frozenset(fold_key(str(w)) for w in raw)


PLACE_HEADS = _word_list("place_heads")
DIRECTIONS = _word_list("directions")


def _section_words(filename: str, key: str) -> frozenset[str]:
    raw = load_data(filename).get(key)
    words = raw.get("words") if isinstance(raw, dict) else raw
    if not isinstance(words, list):
        raise DataFileError(f"facts/{filename}: {key!r} needs a list of words")
    return frozenset(fold_key(str(w if isinstance(w, str) else w["word"])) for w in words)


#: Words a clitic may be taken off with confidence: "لكتيبة" -> "كتيبة" but
#: "لواء" stays "لواء" and "وزارة" stays "وزارة".
KNOWN = (
    STOP
    | PLACE_HEADS
    | NAME_LINKS
    | _section_words(_FILE, "unit_heads")
    | _section_words("events.yaml", "fighters")
)


def _strip_prep(word: str) -> str:
    if word.startswith("لل") and len(word) > 3:
        return "ال" + word[2:]
    if word[:1] in "بلك" and len(word) > 2 and (word[1:].startswith("ال") or word[1:] in KNOWN):
        return word[1:]
    return word


def strip_preposition(word: str, conj: bool = False) -> str:
    """Take off a conjunction (و/ف) and a preposition (ب/ل/ك) when sure of them.

    ``بحي`` -> ``حي``, ``للجيش`` -> ``الجيش``, ``لكتيبة`` -> ``كتيبة``,
    ``والباب`` -> ``الباب``; ``conj=True`` (inside a list joined by و) also
    takes the و off unknown names: ``وجرابلس`` -> ``جرابلس``.
    """
    if word[:1] in "وف" and len(word) > 2:
        rest = word[1:]
        if conj or rest.startswith("ال") or rest in KNOWN or _strip_prep(rest) != rest:
            return _strip_prep(rest)
    return _strip_prep(word)


def is_stop(ctx: SentenceContext, i: int) -> bool:
    """A stop word at word ``i``; "علي" is the name Ali unless written "على"."""
    word = ctx.words[i]
    if word.is_punct:
        return True
    text = strip_preposition(word.text)
    if text == "علي":
        start, end = ctx.word_span(i, i + 1)
        return "على" in ctx.text[start:end]
    return text in STOP


_KUNYA = frozenset({"ابو", "ام", "ابن", "عبد", "ابي"})


def looks_like_name(ctx: SentenceContext, found: Phrase, loose: bool = False) -> bool:
    """Whether a phrase found without NER is shaped like a personal name.

    A PERSON mention always is. Otherwise: a kunya or "عبد" start (أبو محمد
    الأمريكي، عبد الناصر شمير), a "بن" inside, or a first name plus a nisba
    (عمر الشيشاني، حيدر العبادي); a lone nisba surname (التميمي) counts too.
    ``loose`` also accepts two or three words not starting with the article
    (زهران علوش، أحمد الحسن), where the construction already says a name follows.
    """
    if found.mention is not None:
        return found.mention.type == "PERSON"
    words = [strip_preposition(w.text, conj=True) for w in ctx.words[found.i : found.j]]
    if not words or any(is_stop(ctx, i) for i in range(found.i, found.j)):
        return False
    if words[0] in _KUNYA or any(w in CONNECTORS for w in words):
        return True
    nisba = words[-1].startswith("ال") and words[-1].endswith("ي") and len(words[-1]) > 4
    if len(words) == 1:
        return nisba
    if nisba and not words[0].startswith("ال"):
        return True
    if any(m.component.startswith("ner.") for m in ctx.mentions):
        # NER ran on this sentence and did not call these words a person.
        return False
    return loose and len(words) <= 3 and not words[0].startswith("ال")


def mention_at(ctx: SentenceContext, i: int, types: tuple[str, ...] = NAME_TYPES) -> Mention | None:
    """The mention of one of ``types`` that starts in word ``i``."""
    if i >= len(ctx.words):
        return None
    start, end = ctx.word_span(i, i + 1)
    for mention in ctx.mentions:
        if mention.type in types and start <= mention.start < end:
            return mention
    return None


def phrase(
    ctx: SentenceContext, i: int, j: int, mention: Mention | None = None, conj: bool = False
) -> Phrase:
    start, end = ctx.word_span(i, j)
    first = ctx.words[i].text
    # Leave the conjunction or preposition glued to the first word out of the span.
    # ("للجيش" keeps its letters: the article's alef is not written).
    skip = len(first) - len(strip_preposition(first, conj))
    if skip > 0:
        start = ctx.folded.to_original(ctx.words[i].start + skip, ctx.words[i].start + skip)[0]
    if mention is not None:
        start, end = mention.start, mention.end
    return Phrase(i, j, start, end, ctx.text[start:end], mention)


def _mention_phrase(ctx: SentenceContext, i: int, types: tuple[str, ...]) -> Phrase | None:
    mention = mention_at(ctx, i, types)
    if mention is None:
        return None
    j = i
    while j < len(ctx.words) and ctx.word_span(j, j + 1)[0] < mention.end:
        j += 1
    return phrase(ctx, i, j, mention)


def name_at(
    ctx: SentenceContext,
    i: int,
    max_words: int = 4,
    types: tuple[str, ...] = NAME_TYPES,
    limit: int | None = None,
    conj: bool = False,
) -> Phrase | None:
    """A name starting at word ``i`` (and ending before word ``limit``): a mention,
    else content words up to a stop."""
    end = len(ctx.words) if limit is None else min(limit, len(ctx.words))
    if i >= end:
        return None
    found = _mention_phrase(ctx, i, types)
    if found is not None and found.j <= end:
        return found
    words = ctx.words
    j = i
    while j < end and j - i < max_words:
        word = words[j]
        text = word.text
        if is_stop(ctx, j):
            break
        if j > i and text[:1] == "و" and text not in NAME_LINKS and len(text) > 2:
            break
        j += 1
    if j == i or (strip_preposition(words[i].text, conj) in STOP and is_stop(ctx, i)):
        return None
    return phrase(ctx, i, j, conj=conj)


def name_list(ctx: SentenceContext, i: int, limit: int, max_words: int = 4) -> list[Phrase]:
    """Names from word ``i`` joined by و / ، / ومعه, up to word ``limit``."""
    names: list[Phrase] = []
    k = i
    while k < min(limit, len(ctx.words)):
        word = ctx.words[k].text
        if word in JOINERS:
            k += 1
            continue
        found = name_at(ctx, k, max_words, limit=limit, conj=bool(names))
        if found is None:
            break
        names.append(found)
        k = found.j
        if k < len(ctx.words) and ctx.words[k].text not in JOINERS and ctx.words[k].text[:1] != "و":
            break
    return names


@lru_cache(maxsize=65536)
def known_place(name: str) -> bool:
    """Whether the gazetteer has a place of that name."""
    try:
        return bool(geocode(name, limit=1))
    except RasidError:
        return False


def _place_name_end(words: list[Word], k: int) -> int:
    """End of the name after a place head: "منبج", "دير الزور", "اسامة بن لادن"."""
    if k >= len(words):
        return k
    first = words[k].text
    if (
        words[k].is_punct
        or first in STOP
        or first in DIRECTIONS
        or first.startswith(("بال", "لل", "كال", "فال"))
    ):
        return k
    if first[:1] == "و" and first not in NAME_LINKS and len(first) > 3:
        return k
    j = k + 1
    if j + 1 < len(words) and words[j].text in CONNECTORS:
        return j + 2
    if (
        not first.startswith("ال")
        and j < len(words)
        and words[j].text.startswith("ال")
        and words[j].text not in DIRECTIONS
        and words[j].text not in STOP
    ):
        return j + 1  # "دير الزور", "عين العرب"
    return j


def place_at(ctx: SentenceContext, i: int, conj: bool = False) -> Phrase | None:
    """A place starting at word ``i``: a place mention, or a place head and its name."""
    if i >= len(ctx.words):
        return None
    found = _mention_phrase(ctx, i, PLACE_TYPES)
    words = ctx.words
    head = strip_preposition(words[i].text, conj)
    if head.startswith("ال") and head[2:] in PLACE_HEADS and head not in {"الحدود"}:
        head_is_place = False  # "المطار": a back reference, not a new place
    else:
        head_is_place = head in PLACE_HEADS or head in {"الحدود"}
    if found is not None and not head_is_place:
        return found
    if head_is_place:
        j = _place_name_end(words, i + 1)
        if j == i + 1 and head not in {"الحدود"}:
            return None
        while j < len(words) and words[j].text in DIRECTIONS:
            j += 1
        return phrase(ctx, i, j, conj=conj)
    if found is not None:
        return found
    text = strip_preposition(words[i].text, conj)
    if words[i].is_punct or text in STOP or len(text) < 3:
        return None
    j = i + 1
    while j < len(words) and words[j].text in DIRECTIONS:
        j += 1
    found = phrase(ctx, i, j, conj=conj)
    # A bare word is a place only if the gazetteer knows it ("منبج", "جرابلس").
    return found if known_place(found.text) else None


@dataclass(frozen=True, slots=True)
class PlaceItem:
    place: Phrase
    within: Phrase | None = None  # "معسكر اسامة بن لادن في ريف الرقة"


def place_list(ctx: SentenceContext, i: int, limit: int) -> list[PlaceItem]:
    """Places from word ``i`` joined by و / ، (``منبج والباب وجرابلس``)."""
    places: list[PlaceItem] = []
    k = i
    while k < min(limit, len(ctx.words)):
        word = ctx.words[k].text
        if word in JOINERS:
            k += 1
            continue
        found = place_at(ctx, k, conj=bool(places))
        if found is None:
            break
        places.append(PlaceItem(found))
        k = found.j
        if k >= len(ctx.words):
            break
        following = ctx.words[k].text
        if following == "في":
            within = place_at(ctx, k + 1)
            if within is not None:
                places[-1] = PlaceItem(found, within)
                k = within.j
                if k >= len(ctx.words):
                    break
                following = ctx.words[k].text
        if following not in JOINERS and following[:1] != "و":
            break
    return places
