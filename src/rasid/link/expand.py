"""Cross-script search: the Arabic forms a Latin query word or phrase stands for.

``rasid search Manbij`` must find Arabic articles about منبج, and
``rasid search "Omar al-Shishani"`` those about عمر الشيشاني. The store's query
parser (:mod:`rasid.kb.query`) asks an *expander* for alternatives of every
Latin phrase and word and ORs them into the same group. The Arabic forms come
from, in order:

1. the actor catalogue: a Latin alias names an organisation, and every Arabic
   alias of it is searched (``ISIS`` → داعش, تنظيم الدولة, ...);
2. the places gazetteer: a Latin place name gives the Arabic names of the
   places it keys to (``Kobani`` → عين العرب, كوباني), the curated and the
   most populated first;
3. entities in the knowledge base whose Latin spellings include the query
   (what the pipeline romanised from the texts: their Arabic names);
4. names back-transliteration (``rasid.names``): a Latin personal name gives
   its likely Arabic spellings (``Omar al-Shishani`` → عمر الشيشاني).

Alternatives are few (:data:`MAX_ALTERNATIVES`) and deduplicated on their
folded form so that a query stays a handful of FTS5 phrases.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from functools import lru_cache

from rasid.errors import RasidError
from rasid.kb.names import spelled_sql
from rasid.names.folding import fold, has_arabic, has_latin

__all__ = ["MAX_ALTERNATIVES", "arabic_forms", "expander_for", "is_latin", "load_catalogues"]

MAX_ALTERNATIVES = 8
_MAX_PLACES = 3
_MIN_POPULATION = 1000  # smaller GeoNames places are too many to expand to
_MAX_ENTITY_NAMES = 3
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f'’ʿʾ-]+")
#: English words that are never names: not worth a gazetteer look-up.
_STOP = frozenset(
    "a an and are as at be by for from in into is it of on or the to was were with".split()
)


def is_latin(text: str) -> bool:
    """Latin letters and no Arabic ones: a query piece worth expanding."""
    return has_latin(text) and not has_arabic(text)


def _from_actors(text: str) -> list[str]:
    from rasid.names.actors import load_actors

    actor = load_actors().match(text)
    if actor is None:
        return []
    return [actor.name_ar, *actor.aliases_ar]


def _from_places(text: str) -> list[str]:
    from rasid.places.gazetteer import load_gazetteer
    from rasid.places.keys import latin_place_key

    key = latin_place_key(text)
    if len(key) < 3:
        return []
    places = load_gazetteer().lookup_latin(key)
    kept = [p for p in places if p.curated or p.population >= _MIN_POPULATION or p.type in {
        "country", "admin1", "region", "facility"}]  # fmt: skip
    kept.sort(key=lambda p: (not p.curated, -p.population))
    return [p.name_ar for p in kept[:_MAX_PLACES] if p.name_ar]


def _from_names(text: str) -> list[str]:
    from rasid.names.parse import parse_name
    from rasid.names.romanize import back_transliterate

    words = text.split()
    try:
        if len(words) == 1:
            return back_transliterate(words[0])[:2]
        return parse_name(text).arabic[:2]
    except RasidError:
        return []


def _from_entities(connection: sqlite3.Connection, text: str) -> list[str]:
    """Arabic names of stored entities with a Latin spelling equal to ``text`` (case aside)."""
    wanted = text.casefold()
    # The name index (rasid.kb.names) finds them without reading every entity.
    named, params = spelled_sql(text)
    try:
        rows = connection.execute(
            "SELECT label, label_latin, attributes FROM entities "
            f"WHERE id IN ({named}) ORDER BY rowid LIMIT 200",
            params,
        ).fetchall()
    except sqlite3.OperationalError:
        return []  # a store without the entities table yet
    found: list[tuple[int, str]] = []
    for label, label_latin, attributes in rows:
        data = json.loads(attributes)
        latin = [label_latin or "", *data.get("latin_names", [])]
        if not any(spelling.casefold() == wanted for spelling in latin if spelling):
            continue
        names = data.get("names") or {label: 1}
        for name, count in names.items():
            found.append((int(count), name))
    found.sort(key=lambda item: -item[0])
    return [name for _, name in found[:_MAX_ENTITY_NAMES]]


def arabic_forms(text: str, connection: sqlite3.Connection | None = None) -> list[str]:
    """Arabic alternatives for a Latin word or phrase; [] for anything else."""
    text = " ".join(text.split())
    if not text or not is_latin(text) or not _WORD.search(text):
        return []
    if text.casefold() in _STOP or len(text) < 3:
        return []
    forms = list(_static_forms(text))
    if connection is not None:
        forms = forms[:1] + _from_entities(connection, text) + forms[1:]
    out: list[str] = []
    seen: set[str] = set()
    for form in forms:
        key = fold(form)
        if form and key not in seen:
            seen.add(key)
            out.append(form)
    return out[:MAX_ALTERNATIVES]


@lru_cache(maxsize=4096)
def _static_forms(text: str) -> tuple[str, ...]:
    # The catalogues do not change while a process runs; the store does.
    return (*_from_actors(text), *_from_places(text), *_from_names(text))


def load_catalogues() -> None:
    """Read the catalogues (actors, places, the names table) now rather than at the
    first Latin query: about a second of CPU that a server would otherwise spend
    while answering, holding up every request behind it."""
    _static_forms.__wrapped__("Aleppo")


def expander_for(connection: sqlite3.Connection | None) -> Callable[[str], list[str]]:
    """The expander :mod:`rasid.kb.query` calls, reading entities from ``connection``."""

    def expand(text: str) -> list[str]:
        return arabic_forms(text, connection)

    return expand
