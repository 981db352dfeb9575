"""Entity keys and IDs: what names an entity in a document, and how it is matched.

An entity's ID is a hash of its *canonical key* (``entity_id``), so the same
organisation, place or person seen in two documents gets the same ID without
looking at the store. See docs/link.md for the table of keys.
"""

from __future__ import annotations

from functools import lru_cache

from rasid.model import Mention, stable_id
from rasid.text.normalize import normalize_key

#: Mention types that name things an analyst tracks across documents.
ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FACILITY", "NORP", "EVENT", "MISC"})
PLACE_TYPES = frozenset({"GPE", "LOC", "FACILITY"})
_ARTICLE = "ال"


@lru_cache(maxsize=200_000)
def entity_id(canonical_key: str) -> str:
    return stable_id("ent", canonical_key)


@lru_cache(maxsize=100_000)
def fold_name(text: str) -> str:
    """Folded name without a leading article, so الرقة and رقة share a key."""
    words = normalize_key(text).split()
    return " ".join(w[2:] if w.startswith(_ARTICLE) and len(w) > 4 else w for w in words)


def canonical_key(mention: Mention) -> tuple[str, list[str]]:
    """The key that names this mention's entity, and every key it can be matched by."""
    value = mention.value
    actor = value.get("actor")
    if isinstance(actor, dict) and actor.get("id"):
        return f"actor:{actor['id']}", [
            f"actor:{actor['id']}",
            f"name:ORG:{fold_name(mention.text)}",
        ]
    geo = value.get("geo")
    if mention.type in PLACE_TYPES and isinstance(geo, dict) and geo.get("id"):
        return f"geo:{geo['id']}", [f"geo:{geo['id']}", f"name:PLACE:{fold_name(mention.text)}"]
    name = value.get("name")
    if mention.type == "PERSON" and isinstance(name, dict) and name.get("keys"):
        keys = [f"person:{k}" for k in name["keys"] if k.startswith("ar:")]
        if keys:
            # The names layer's romanisations: cross-document scoring reads them
            # (rasid.link.resolve); they never match as keys.
            latin = [f"latin:{s.casefold()}" for s in name.get("latin", []) if s]
            return keys[0], keys + latin
    origin = value.get("origin")
    if mention.type == "NORP" and isinstance(origin, dict) and origin.get("nisba"):
        # العراقي، العراقية، عراقيين: one nationality, named by its nisba.
        key = f"norp:{fold_name(str(origin['nisba']))}"
        return key, [key, f"name:NORP:{fold_name(mention.text)}"]
    family = "PLACE" if mention.type in PLACE_TYPES else mention.type
    key = f"name:{family}:{fold_name(mention.text)}"
    return key, [key]
