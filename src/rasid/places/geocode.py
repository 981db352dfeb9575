"""Geocoding place names, Arabic or Latin, with the document as context.

``geocode("بمنبج")`` strips the clitic and finds Manbij; ``geocode("محافظة
حلب")`` finds the governorate where ``geocode("حلب")`` finds the city;
``geocode("ريف حلب الشرقي")`` gives the eastern countryside (curated, or
derived from the city with its centre shifted east); a village name shared by
several provinces goes to the one nearest the other places in ``context``, and
countries named in the context (or ``country_hint``) are preferred.

Scores are relative: the candidates of one query share a total of 1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from rasid.errors import EmptyInputError, InputError
from rasid.names.folding import fold, has_arabic, has_latin
from rasid.places.gazetteer import Gazetteer, Place, load_gazetteer
from rasid.places.keys import arabic_place_key, latin_place_key

__all__ = ["MAX_QUERY_WORDS", "PlaceCandidate", "geocode"]

MAX_QUERY_WORDS = 10
MAX_QUERY_CHARS = 120


@dataclass(slots=True)
class PlaceCandidate:
    id: str
    name_ar: str
    name_en: str
    lat: float
    lon: float
    type: str  # country | admin1 | district | city | town | village | neighbourhood | region | facility
    country: str  # ISO 3166-1 alpha-2
    admin1: str  # governorate name in English ("" when unknown)
    admin1_ar: str
    population: int
    precision: int  # 1 exact town/facility, 2 near/part of, 3 province/region
    score: float
    source: str
    subtype: str = ""
    matched: str = ""  # the form of the query that matched
    derived_from: str = ""  # for relative regions: the id of the place they are relative to

    def to_dict(self) -> dict[str, Any]:
        # What dataclasses.asdict gives (every field is a str or a number, which
        # it returns as they are), without its generic recursion: a document
        # has dozens of candidates.
        return {name: getattr(self, name) for name in _CANDIDATE_FIELDS}


_CANDIDATE_FIELDS = tuple(f.name for f in fields(PlaceCandidate))

# Words written before a name that say what kind of place it is.
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "مدينه": ("city", "town"),
    "بلده": ("town", "village"),
    "قريه": ("village", "town"),
    "محافظه": ("admin1",),
    "ولايه": ("admin1", "region"),
    "منطقه": ("region", "district", "town", "city"),
    "ناحيه": ("town", "district"),
    "قضاء": ("district", "town"),
    "حي": ("neighbourhood",),
    "دوله": ("country",),
}
_LATIN_TRIGGERS: dict[str, tuple[str, ...]] = {
    "city": ("city", "town"),
    "town": ("town", "village"),
    "village": ("village", "town"),
    "governorate": ("admin1",),
    "province": ("admin1",),
}
# Compass words: (dlat, dlon) unit vectors.
_DIRECTIONS: dict[str, tuple[float, float]] = {
    "شرق": (0, 1), "غرب": (0, -1), "شمال": (1, 0), "جنوب": (-1, 0),
    "شرقي": (0, 1), "غربي": (0, -1), "شمالي": (1, 0), "جنوبي": (-1, 0),
    "الشرقي": (0, 1), "الغربي": (0, -1), "الشمالي": (1, 0), "الجنوبي": (-1, 0),
    "الشرقيه": (0, 1), "الغربيه": (0, -1), "الشماليه": (1, 0), "الجنوبيه": (-1, 0),
}  # fmt: skip
# Facility words: "مطار X" not in the gazetteer is placed at the town X, less precisely.
_FACILITIES: dict[str, str] = {
    "مطار": "airport", "قاعده": "base", "سد": "dam", "مخيم": "camp", "معبر": "border crossing",
    "معسكر": "camp", "سجن": "prison", "ميناء": "port", "مرفا": "port", "مستشفي": "hospital",
    "جامعه": "university", "محطه": "station", "حقل": "field",
}  # fmt: skip
_NEAR = ("بالقرب من", "قرب", "محيط", "اطراف", "ضواحي", "جوار", "بالقرب", "قريبا من")
_PROXIMATE = ("ريف",)


def _check(name: str) -> str:
    if not isinstance(name, str):
        raise InputError(f"a place name must be text, got {type(name).__name__}")
    text = " ".join(name.split())
    if not text:
        raise EmptyInputError("the place name is empty; give a name such as 'منبج' or 'Mosul'")
    if len(text) > MAX_QUERY_CHARS or len(text.split()) > MAX_QUERY_WORDS:
        raise InputError(
            f"{len(text.split())} words / {len(text)} characters is not a place name "
            f"(at most {MAX_QUERY_WORDS} words, {MAX_QUERY_CHARS} characters)"
        )
    if not has_arabic(text) and not has_latin(text):
        raise InputError(f"{text!r} contains no Arabic or Latin letters; it is not a place name")
    return text


def _clitic_variants(word: str) -> list[tuple[str, float]]:
    """(form, penalty) for a first word that may carry و ف ب ل ك or لل."""
    out: list[tuple[str, float]] = [(word, 0.0)]
    bases = [(word, 0.0)]
    if len(word) >= 4 and word[0] in "وف":
        bases.append((word[1:], 0.1))
    for base, penalty in bases:
        if base is not word:
            out.append((base, penalty))
        if len(base) >= 4 and base.startswith("لل"):
            out.append(("ال" + base[2:], penalty + 0.1))
        # بحي is ب + حي: a short word loses its clitic only before a place word
        if base[0:1] in ("ب", "ل", "ك") and (len(base) >= 4 or base[1:] in _TRIGGERS):
            out.append((base[1:], penalty + 0.1))
    return list(dict.fromkeys(out))


@dataclass(slots=True)
class _Query:
    words: list[str]  # folded, clitics taken off the first word
    penalty: float
    types: tuple[str, ...] = ()  # hinted feature types
    direction: tuple[float, float] | None = None
    relation: str = ""  # "" | "countryside" | "near" | "direction" | "facility"
    facility: str = ""  # for relation "facility": airport, dam, camp...


def _arabic_queries(text: str) -> list[_Query]:
    words = fold(text).split()
    queries: list[_Query] = []
    for first, penalty in _clitic_variants(words[0]):
        rest = [first, *words[1:]]
        queries.append(_Query(rest, penalty))
        head = rest[0]
        if head in _TRIGGERS and len(rest) > 1:
            queries.append(_Query(rest[1:], penalty + 0.05, _TRIGGERS[head]))
        if head in _FACILITIES and len(rest) > 1:
            queries.append(_Query(rest[1:], penalty + 0.1, (), None, "facility", _FACILITIES[head]))
        if head in _PROXIMATE and len(rest) > 1:
            target, direction = rest[1:], None
            if target[-1] in _DIRECTIONS and len(target) > 1:
                target, direction = target[:-1], _DIRECTIONS[target[-1]]
            queries.append(_Query(target, penalty, (), direction, "countryside"))
        if head in _DIRECTIONS and len(rest) > 1:
            target = rest[1:]
            direction = _DIRECTIONS[head]
            if target[0] in _DIRECTIONS:  # جنوب شرق X
                d2 = _DIRECTIONS[target[0]]
                direction, target = (direction[0] + d2[0], direction[1] + d2[1]), target[1:]
            if target:
                queries.append(_Query(target, penalty, (), direction, "direction"))
        joined = " ".join(rest)
        for near in _NEAR:
            if joined.startswith(near + " ") and len(joined) > len(near) + 1:
                queries.append(_Query(joined[len(near) + 1 :].split(), penalty, (), None, "near"))
    return queries


def _latin_queries(text: str) -> list[_Query]:
    words = text.lower().split()
    queries = [_Query(words, 0.0)]
    for i, word in enumerate(words):
        hint = _LATIN_TRIGGERS.get(word.strip(",."))
        if hint and len(words) > 1:
            rest = words[:i] + words[i + 1 :]
            rest = [w for w in rest if w not in {"of", "the"}]
            queries.append(_Query(rest, 0.05, hint))
    return queries


def _lookup(gazetteer: Gazetteer, query: _Query, latin: bool) -> list[Place]:
    text = " ".join(query.words)
    if latin:
        return gazetteer.lookup_latin(latin_place_key(text))
    return gazetteer.lookup_arabic(arabic_place_key(text))


@dataclass(slots=True)
class _Context:
    countries: set[str]
    places: list[Place]


def _resolve_context(gazetteer: Gazetteer, context: Sequence[str]) -> _Context:
    countries: set[str] = set()
    places: list[Place] = []
    cache = gazetteer.context_cache
    if len(cache) > 100_000:
        cache.clear()
    for item in context[:50]:
        # Every mention of a document is looked up with all the others as its
        # context, so most items are already cached under their own spelling:
        # a key of the cache is a text in its normal form, checked already.
        best: Place | None
        if type(item) is str and item in cache:
            best = cache[item]
        else:
            if not isinstance(item, str) or not item.strip() or len(item) > MAX_QUERY_CHARS:
                continue
            text = " ".join(item.split())
            if text not in cache:
                if not has_arabic(text) and not has_latin(text):
                    cache[text] = None
                else:
                    found = _candidates(gazetteer, text, None, None)
                    cache[text] = max(found, key=lambda pair: pair[1])[0] if found else None
            best = cache[text]
        if best is None:
            continue
        if best.country:
            countries.add(best.country)
        if best.type != "country":
            places.append(best)
    return _Context(countries, places)


def _prior(place: Place, query: _Query, primary: bool) -> float:
    score = 1.0 - query.penalty
    score += 0.25 if primary else 0.0
    score += 0.4 * math.log10(place.population + 1) / 7
    if place.type == "country":
        score += 0.35
    if place.type == "admin1":
        # A name shared by a city and its province means the city unless the
        # text says محافظة (the trigger then adds the type bonus below).
        score -= 0.3
    if place.curated:
        score += 0.3  # curated rows are the places our sources write about
    if query.types:
        score += 1.0 if place.type in query.types else -0.5
    return score


def _candidates(
    gazetteer: Gazetteer,
    text: str,
    context: _Context | None,
    country_hint: str | None,
) -> list[tuple[Place, float, _Query]]:
    latin = not has_arabic(text)
    queries = _latin_queries(text) if latin else _arabic_queries(text)
    best: dict[str, tuple[Place, float, _Query]] = {}
    for query in queries:
        if not query.words:
            continue
        for place in _lookup(gazetteer, query, latin):
            if query.types and place.type == "country" and "country" not in query.types:
                continue  # "بلدة سورية" is a Syrian town, not Syria
            key = latin_place_key(place.name_en) if latin else arabic_place_key(place.name_ar)
            primary = key == (latin_place_key if latin else arabic_place_key)(" ".join(query.words))
            score = _prior(place, query, primary)
            if query.relation:
                score -= 0.05  # a relative place is one step removed from the name
            if context is not None:
                score += _context_bonus(place, context)
            if country_hint and place.country == country_hint.upper():
                score += 0.8
            tag = f"{place.id}|{query.relation}|{query.direction}"
            if tag not in best or best[tag][1] < score:
                best[tag] = (place, score, query)
    return list(best.values())


def _context_bonus(place: Place, context: _Context) -> float:
    bonus = 0.5 if place.country in context.countries else 0.0
    others = [p for p in context.places if p.id != place.id]
    if others:
        nearest = min(place.distance_km(p) for p in others)
        bonus += 0.8 * math.exp(-nearest / 80.0)
    return bonus


def _relative(place: Place, query: _Query, gazetteer: Gazetteer, text: str) -> PlaceCandidate:
    """A region defined relative to ``place``: its countryside, a side of it, or its vicinity."""
    big = place.type in {"admin1", "country"} or (
        place.type == "city"
        and (gov := gazetteer.admin1(place.admin1)) is not None
        and arabic_place_key(gov.name_ar).endswith(arabic_place_key(place.name_ar))
    )
    # How far a side of a place is from its centre: a country's "north" is far
    # out, a town's countryside is a few kilometres.
    shift = 1.5 if place.type == "country" else 0.35 if big else 0.1
    lat, lon = place.lat, place.lon
    if query.direction is not None:
        dlat, dlon = query.direction
        norm = math.hypot(dlat, dlon) or 1.0
        lat += shift * dlat / norm
        lon += shift * dlon / norm / max(0.2, math.cos(math.radians(place.lat)))
    side = ""
    if query.direction is not None:
        dlat, dlon = query.direction
        parts = [
            "north" if dlat > 0 else "south" if dlat < 0 else "",
            "east" if dlon > 0 else "west" if dlon < 0 else "",
        ]
        side = "-".join(p for p in parts if p)
    kind = "region"
    if query.relation == "facility":
        name_en = f"{query.facility} at {place.name_en}"
        precision, kind = 2, "facility"
    elif query.relation == "countryside":
        name_en = f"{side + ' ' if side else ''}{place.name_en} countryside".strip()
        precision = 3 if big else 2
    elif query.relation == "direction":
        name_en = f"{side} of {place.name_en}"
        precision = 3 if big else 2
    else:
        name_en = f"near {place.name_en}"
        precision = 2
    suffix = f"{query.relation}-{side}" if side else query.relation
    if query.facility:
        suffix = f"facility-{query.facility.replace(' ', '-')}"
    return PlaceCandidate(
        id=f"{place.id}#{suffix}",
        name_ar=" ".join(text.split()),
        name_en=name_en,
        lat=round(lat, 4),
        lon=round(lon, 4),
        type=kind,
        country=place.country,
        admin1="",
        admin1_ar="",
        population=0,
        precision=precision,
        score=0.0,
        source=f"derived from {place.id} ({place.source})",
        subtype=query.facility or query.relation,
        matched=" ".join(query.words),
        derived_from=place.id,
    )


def _to_candidate(place: Place, gazetteer: Gazetteer, matched: str) -> PlaceCandidate:
    gov = gazetteer.admin1(place.admin1) if place.admin1 and place.type != "admin1" else None
    return PlaceCandidate(
        id=place.id,
        name_ar=place.name_ar,
        name_en=place.name_en,
        lat=place.lat,
        lon=place.lon,
        type=place.type,
        country=place.country,
        admin1=gov.name_en if gov else "",
        admin1_ar=gov.name_ar if gov else "",
        population=place.population,
        precision=place.precision,
        score=0.0,
        source=place.source,
        subtype=place.subtype,
        matched=matched,
    )


def geocode(
    name: str,
    *,
    context: Sequence[str] = (),
    country_hint: str | None = None,
    limit: int = 5,
    gazetteer: Gazetteer | None = None,
) -> list[PlaceCandidate]:
    """Candidate places for ``name``, best first (empty when nothing matches).

    ``context``: other place names (and country names) of the same document;
    they pull the choice towards their countries and their neighbourhood.
    ``country_hint``: an ISO 3166-1 alpha-2 code to prefer.
    Raises :class:`rasid.errors.EmptyInputError` / :class:`rasid.errors.InputError`
    for an empty or over-long name.
    """
    text = _check(name)
    if country_hint is not None and not re.fullmatch(r"[A-Za-z]{2}", country_hint):
        raise InputError(f"country hint {country_hint!r} is not an ISO 3166-1 alpha-2 code")
    gaz = gazetteer or load_gazetteer()
    ctx = _resolve_context(gaz, context) if context else None
    found = _candidates(gaz, text, ctx, country_hint)
    words = text.split()
    dropped = 0
    while not found and dropped < 2 and len(words) - dropped > 1:
        # Trailing words that are not part of the name: "مطار الشعيرات السوري".
        dropped += 1
        shorter = " ".join(words[: len(words) - dropped])
        last = fold(words[len(words) - dropped])
        adjective = last.startswith("ال") and last.endswith(("ي", "يه"))
        introduced = fold(words[0]).lstrip("وف") in _TRIGGERS or fold(words[0]) in _FACILITIES
        if fold(shorter) in _TRIGGERS or fold(shorter) in _FACILITIES:
            break
        if not (adjective or introduced):
            break  # حمام العليل is not حمام plus a stray word
        found = [
            (place, score - 0.15 * dropped, query)
            for place, score, query in _candidates(gaz, shorter, ctx, country_hint)
        ]
        text = shorter
    # The whole name as written (ريف حلب الشرقي is curated) beats a derived region.
    exact = [f for f in found if not f[2].relation]
    scored: list[tuple[float, PlaceCandidate]] = []
    for place, score, query in found:
        if query.relation:
            if exact:
                continue
            candidate = _relative(place, query, gaz, text)
        else:
            candidate = _to_candidate(place, gaz, " ".join(query.words))
        scored.append((score, candidate))
    if not scored:
        return []
    top = max(s for s, _ in scored)
    weights = [(math.exp(4.0 * (s - top)), c) for s, c in scored]
    total = sum(w for w, _ in weights)
    out: list[PlaceCandidate] = []
    seen: set[str] = set()
    for weight, candidate in sorted(weights, key=lambda pair: -pair[0]):
        if candidate.id in seen:
            continue
        seen.add(candidate.id)
        candidate.score = round(weight / total, 4)
        out.append(candidate)
    return out[: max(1, limit)]
