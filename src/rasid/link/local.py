"""In-document linking: mentions and fact keys become entities with deterministic IDs.

Runs after ``facts``. Every entity mention gets an ``entity_id``; statement
subjects/objects named by provisional ``local:`` keys are rewritten to the same
IDs; alias statements ("جيش الخلافة او جيش دابق") join their two names.

An entity's ID is a hash of its *canonical key*, so the same organisation,
place or person seen in two documents gets the same ID without looking at the
store: a catalogue actor (``actor:<id>``), a geocoded place (``geo:<id>``), a
parsed personal name (its first Arabic-script matching key), otherwise the
type plus the folded name. The store-side resolver (``rasid.link.resolve``)
then joins spellings whose keys overlap across documents.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rasid.facts.keys import is_local_key, local_key
from rasid.model import Analysis, Mention, stable_id
from rasid.pipeline import Component, registry
from rasid.text.normalize import normalize_key

NAME = "link"
VERSION = "v1"

#: Mention types that name things an analyst tracks across documents.
ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FACILITY", "NORP", "EVENT", "MISC"})
PLACE_TYPES = frozenset({"GPE", "LOC", "FACILITY"})
#: Statement properties whose object is a place, and those whose subject is a person.
_PLACE_OBJECTS = frozenset({"based_at", "present_in", "deployed_to", "withdrew_from"})
_PERSON_SUBJECTS = frozenset({"commander_of", "deputy_of", "member_of", "role"})
_PERSON_OBJECTS = frozenset({"founded_by"})
_ARTICLE = "ال"


def entity_id(canonical_key: str) -> str:
    return stable_id("ent", canonical_key)


def _fold(text: str) -> str:
    """Folded name without a leading article, so الرقة and رقة share a key."""
    words = normalize_key(text).split()
    return " ".join(w[2:] if w.startswith(_ARTICLE) and len(w) > 4 else w for w in words)


def canonical_key(mention: Mention) -> tuple[str, list[str]]:
    """The key that names this mention's entity, and every key it can be matched by."""
    value = mention.value
    actor = value.get("actor")
    if isinstance(actor, dict) and actor.get("id"):
        return f"actor:{actor['id']}", [f"actor:{actor['id']}", f"name:ORG:{_fold(mention.text)}"]
    geo = value.get("geo")
    if mention.type in PLACE_TYPES and isinstance(geo, dict) and geo.get("id"):
        return f"geo:{geo['id']}", [f"geo:{geo['id']}", f"name:PLACE:{_fold(mention.text)}"]
    name = value.get("name")
    if mention.type == "PERSON" and isinstance(name, dict) and name.get("keys"):
        keys = [f"person:{k}" for k in name["keys"] if k.startswith("ar:")]
        if keys:
            return keys[0], keys
    family = "PLACE" if mention.type in PLACE_TYPES else mention.type
    key = f"name:{family}:{_fold(mention.text)}"
    return key, [key]


@dataclass
class LocalEntity:
    key: str
    type: str
    keys: set[str] = field(default_factory=set)
    names: Counter[str] = field(default_factory=Counter)
    mentions: list[int] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    subtype: str | None = None

    @property
    def id(self) -> str:
        return entity_id(self.key)

    def label(self) -> str:
        # The most frequent spelling, the longer one on ties (full names over fragments).
        return max(self.names.items(), key=lambda item: (item[1], len(item[0])))[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "key": self.key,
            "type": self.type,
            "subtype": self.subtype,
            "label": self.label() if self.names else self.key.split(":", 2)[-1],
            "label_latin": self.attributes.get("latin", [None])[0],
            "names": dict(self.names),
            "keys": sorted(self.keys),
            "mentions": self.mentions,
            "attributes": self.attributes,
        }


def _attributes(mention: Mention) -> dict[str, Any]:
    attributes: dict[str, Any] = {}
    name = mention.value.get("name")
    if isinstance(name, dict):
        for part in ("kunya", "ism", "nasab", "laqab", "titles", "nisbas", "latin"):
            if part in name:
                attributes[part] = name[part]
    actor = mention.value.get("actor")
    if isinstance(actor, dict):
        attributes["actor"] = {k: v for k, v in actor.items() if k != "component"}
        if actor.get("name_en"):
            attributes["latin"] = [actor["name_en"]]
    geo = mention.value.get("geo")
    if isinstance(geo, dict):
        attributes["geo"] = {k: v for k, v in geo.items() if k != "component"}
        if geo.get("name_en"):
            attributes["latin"] = [geo["name_en"]]
    return attributes


class _Entities:
    """Local entities of one document, with a union of keys for aliasing."""

    def __init__(self) -> None:
        self.by_key: dict[str, LocalEntity] = {}
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        while self.parent.get(key, key) != key:
            key = self.parent[key]
        return key

    def entity(self, key: str) -> LocalEntity:
        return self.by_key[self.find(key)]

    def add(self, key: str, keys: list[str], type_: str) -> LocalEntity:
        for alt in keys:
            if alt in self.by_key or alt in self.parent:
                existing = self.entity(alt)
                if existing.key != key and key not in self.by_key:
                    self.parent[key] = existing.key
                return existing
        entity = self.by_key.get(key)
        if entity is None:
            entity = self.by_key[key] = LocalEntity(key=key, type=type_)
        for alt in keys:
            self.parent.setdefault(alt, key)
        entity.keys.update(keys)
        return entity

    def join(self, first: str, second: str) -> None:
        a, b = self.find(first), self.find(second)
        if a == b or a not in self.by_key or b not in self.by_key:
            return
        # The catalogue's or gazetteer's key wins over a plain name.
        if b.startswith(("actor:", "geo:")) and not a.startswith(("actor:", "geo:")):
            a, b = b, a
        keep, gone = self.by_key[a], self.by_key.pop(b)
        keep.keys |= gone.keys
        keep.names.update(gone.names)
        keep.mentions.extend(gone.mentions)
        for k, v in gone.attributes.items():
            keep.attributes.setdefault(k, v)
        self.parent[b] = a

    def roots(self) -> list[LocalEntity]:
        return list(self.by_key.values())


def _nisba_only(mention: Mention) -> str | None:
    """ "الشيشاني" alone: a bare nisba that refers back to a person named before."""
    name = mention.value.get("name")
    if not isinstance(name, dict):
        return None
    parts = {"kunya", "ism", "nasab", "laqab"}
    if any(name.get(p) for p in parts) or not name.get("nisbas"):
        return None
    return str(name["nisbas"][-1].get("form", "")) or None


def link_document(analysis: Analysis) -> None:
    entities = _Entities()
    by_local: dict[str, str] = {}  # local: key of a name → canonical key
    persons_by_nisba: dict[str, str] = {}
    for index, mention in enumerate(analysis.mentions):
        if mention.type not in ENTITY_TYPES:
            continue
        key, keys = canonical_key(mention)
        nisba = _nisba_only(mention) if mention.type == "PERSON" else None
        if nisba and normalize_key(nisba) in persons_by_nisba:
            key = persons_by_nisba[normalize_key(nisba)]
            keys = [key]
        entity = entities.add(key, keys, mention.type)
        entity.names[mention.text] += 1
        entity.mentions.append(index)
        for k, v in _attributes(mention).items():
            entity.attributes.setdefault(k, v)
        if mention.subtype and not entity.subtype:
            entity.subtype = mention.subtype
        by_local.setdefault(local_key(mention.text), entity.key)
        by_local.setdefault(local_key(_fold(mention.text)), entity.key)
        if mention.type == "PERSON":
            for nisba_info in mention.value.get("name", {}).get("nisbas", []):
                form = normalize_key(str(nisba_info.get("form", "")))
                if form:
                    persons_by_nisba.setdefault(form, entity.key)

    def resolve(value: str, role: str, prop: str, surface: str | None = None) -> str:
        if not is_local_key(value):
            return value
        bare = value.split("@", 1)[0]
        key = by_local.get(bare) or by_local.get(local_key(_fold(bare[len("local:") :])))
        if key is None:
            # The surface as written when the statement gives it, else the folded key.
            name = surface or bare[len("local:") :]
            if role == "object" and prop in _PLACE_OBJECTS:
                type_ = "GPE"
            elif (role == "subject" and prop in _PERSON_SUBJECTS) or (
                role == "object" and prop in _PERSON_OBJECTS
            ):
                type_ = "PERSON"
            else:
                type_ = "ORG"
            family = "PLACE" if type_ in PLACE_TYPES else type_
            key = f"name:{family}:{_fold(name)}" if "@" not in value else f"thing:{value}"
            entity = entities.add(key, [key], type_)
            entity.names[name] += 1
            by_local[bare] = entity.key
        return key

    # Aliases first, so statements land on the joined entity.
    for statement in analysis.statements:
        if statement.property == "alias":
            subject = resolve(statement.subject, "subject", "alias")
            other = resolve(local_key(statement.value), "object", "alias", statement.value)
            entities.join(subject, other)

    keyed_statements = []
    for statement in analysis.statements:
        subject_key = resolve(statement.subject, "subject", statement.property)
        object_key = (
            resolve(statement.object_entity, "object", statement.property, statement.value)
            if statement.object_entity
            else None
        )
        keyed_statements.append((statement, subject_key, object_key))
    for event in analysis.events:
        for argument in event.get("arguments", []):
            entity_ref = argument.get("entity")
            if isinstance(entity_ref, str):
                argument["entity_key"] = resolve(entity_ref, "argument", event.get("type", ""))

    ids = {key: entities.entity(key).id for key in list(entities.parent) + list(entities.by_key)}
    for entity in entities.roots():
        for index in entity.mentions:
            analysis.mentions[index].entity_id = entity.id
    for statement, subject_key, object_key in keyed_statements:
        statement.subject = ids.get(subject_key, statement.subject)
        if object_key is not None:
            statement.object_entity = ids.get(object_key, statement.object_entity)
    for event in analysis.events:
        for argument in event.get("arguments", []):
            key = argument.pop("entity_key", None)
            if key is not None:
                argument["entity"] = ids.get(key, argument.get("entity"))
    analysis.entities = [entity.to_dict() for entity in entities.roots()]


@registry.register(NAME)
def link_component() -> Component:
    return Component(
        NAME, VERSION, link_document, requires=("mentions", "statements"), assigns=("entities",)
    )
