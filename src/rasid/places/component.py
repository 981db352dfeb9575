"""Pipeline component ``places``: geocode the place mentions of a document.

Every GPE, LOC and FACILITY mention is geocoded with the document's other
place mentions as context, so a village name goes to the one near the rest of
the story; the best candidate is stored as ``value["geo"]`` (with its score
and how many other candidates there were). Mentions nothing matches are left
as they are.
"""

from __future__ import annotations

from rasid.errors import RasidError
from rasid.model import Analysis
from rasid.pipeline import Component, registry
from rasid.places.gazetteer import Gazetteer, load_gazetteer
from rasid.places.geocode import geocode

NAME = "places"
VERSION = "v1"
PLACE_TYPES = frozenset({"GPE", "LOC", "FACILITY"})


class PlacesComponent:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.component_name = f"{NAME}.{VERSION}"

    def __call__(self, analysis: Analysis) -> None:
        places = [m for m in analysis.mentions if m.type in PLACE_TYPES]
        names = list(dict.fromkeys(m.text for m in places))
        cache: dict[str, dict[str, object] | None] = {}
        for mention in places:
            if mention.text not in cache:
                context = [n for n in names if n != mention.text]
                try:
                    found = geocode(mention.text, context=context, gazetteer=self.gazetteer)
                except RasidError:
                    found = []
                if found:
                    best = found[0].to_dict()
                    best["candidates"] = len(found)
                    best["component"] = self.component_name
                    cache[mention.text] = best
                else:
                    cache[mention.text] = None
            geo = cache[mention.text]
            if geo is not None:
                mention.value["geo"] = dict(geo)


@registry.register(NAME)
def places_component() -> Component:
    return Component(
        NAME,
        VERSION,
        PlacesComponent(load_gazetteer()),
        requires=("mentions",),
        assigns=("places",),
    )
