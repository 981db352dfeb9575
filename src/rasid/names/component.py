"""Pipeline component ``names``: parse PERSON mentions, identify ORG mentions.

A PERSON mention gets ``value["name"]`` (kunya, ism, nasab, nisbas with the
origin they suggest, laqab, titles, Latin spellings, matching keys); an ORG
mention the catalogue knows gets ``value["actor"]`` (id, English name, type,
parent, Wikidata ID); a NORP mention that is a nationality word (بلجيكي، الشيشان،
العراقيون) gets ``value["origin"]``, the country or region it names. Nothing else is touched: the mention's span and type are
the tagger's.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from rasid.errors import RasidError
from rasid.model import Analysis
from rasid.names.actors import ActorCatalogue, load_actors
from rasid.names.nisba import NisbaCatalogue, load_nisbas
from rasid.names.parse import ParsedName, parse_name
from rasid.pipeline import Component, registry

NAME = "names"
VERSION = "v1"


def name_value(parsed: ParsedName) -> dict[str, Any]:
    """The compact form of a parse stored on a mention."""
    value: dict[str, Any] = {"script": parsed.script, "keys": parsed.keys}
    for part in ("kunya", "ism"):
        if getattr(parsed, part):
            value[part] = getattr(parsed, part)
    for part in ("titles", "nasab", "laqab"):
        if getattr(parsed, part):
            value[part] = list(getattr(parsed, part))
    if parsed.nisbas:
        value["nisbas"] = [
            {"form": n.form, "kind": n.kind, "latin": n.latin}
            | ({"origin_suggested": n.origin} if n.origin else {})
            for n in parsed.nisbas
        ]
    if parsed.romanized:
        value["latin"] = parsed.romanized[:3]
    if parsed.arabic:
        value["arabic"] = parsed.arabic[:3]
    return value


@lru_cache(maxsize=50_000)
def _person_value(text: str) -> dict[str, Any] | None:
    """A name's parse, once per spelling: names recur across a corpus, parsing costs ~2 ms."""
    try:
        return name_value(parse_name(text))
    except RasidError:
        return None


def _fresh(value: Any) -> Any:
    """What ``copy.deepcopy`` gives for a cached parse (dicts, lists and scalars),
    several times faster: each mention gets its own value to change."""
    if isinstance(value, dict):
        return {key: _fresh(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_fresh(item) for item in value]
    if value is None or isinstance(value, (str, int, float)):
        return value
    return copy.deepcopy(value)


class NamesComponent:
    def __init__(self, actors: ActorCatalogue, nisbas: NisbaCatalogue) -> None:
        self.actors = actors
        self.nisbas = nisbas
        self.component_name = f"{NAME}.{VERSION}"

    def __call__(self, analysis: Analysis) -> None:
        for mention in analysis.mentions:
            if mention.type == "PERSON":
                value = _person_value(mention.text)
                if value is None:
                    continue  # a tagger span that is not a name stays as tagged
                mention.value["name"] = _fresh(value) | {"component": self.component_name}
            elif mention.type == "NORP":
                info = self.nisbas.nationality(mention.text)
                if info is not None and info.origin() is not None:
                    origin = info.origin() or {}
                    mention.value["origin"] = origin | {"component": self.component_name}
            elif mention.type in {"ORG", "MISC"}:
                actor = self.actors.match(mention.text)
                if actor is not None:
                    mention.value["actor"] = {
                        "id": actor.id,
                        "name_en": actor.name_en,
                        "type": actor.type,
                        "parent": actor.parent,
                        "wikidata": actor.wikidata,
                        "component": self.component_name,
                    }


@registry.register(NAME)
def names_component() -> Component:
    return Component(
        NAME,
        VERSION,
        NamesComponent(load_actors(), load_nisbas()),
        requires=("mentions",),
        assigns=("names",),
    )
