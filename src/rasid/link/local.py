"""In-document linking: mentions and fact keys become entities with deterministic IDs.

Runs after ``facts``. Every entity mention gets an ``entity_id``; statement
subjects/objects named by provisional ``local:`` keys are rewritten to the same
IDs; alias statements ("جيش الخلافة او جيش دابق") join their two names.

An entity's ID is a hash of its *canonical key* (``rasid.link.keys``), so the
same organisation, place or person seen in two documents gets the same ID
without looking at the store: a catalogue actor (``actor:<id>``), a geocoded
place (``geo:<id>``), a parsed personal name (its first Arabic-script matching
key), otherwise the type plus the folded name. A one-word personal name ("التميمي") is first
tied to the last full name in the document that ends with it; when there is
none its key is scoped to the document, because a lone surname in two
documents is most often two people. The store-side resolver
(``rasid.link.resolve``) then joins spellings whose keys overlap or whose
names score alike across documents.

Back-references (``rasid.link.anaphora``) become mentions of their antecedent
(component ``link.v1``, ``value["anaphor"]``): "التنظيم", "للجيش", "الصحيفة",
"حلم الشيشاني". They count as mentions of the entity, never as its names.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rasid.facts.keys import is_local_key, local_key
from rasid.link.anaphora import (
    Antecedent,
    Memory,
    entity_head,
    find_anaphora,
    head_nouns,
    nisba_reference,
    reference_words,
    short_name,
    unit_level,
)
from rasid.link.keys import ENTITY_TYPES, PLACE_TYPES, canonical_key, entity_id, fold_name

__all__ = ["ENTITY_TYPES", "NAME", "PLACE_TYPES", "VERSION", "canonical_key", "entity_id"]
from rasid.model import Analysis, Mention
from rasid.pipeline import Component, registry

NAME = "link"
VERSION = "v1"

#: Statement properties whose object is a place, and those whose subject is a person.
_PLACE_OBJECTS = frozenset({"based_at", "present_in", "deployed_to", "withdrew_from"})
_PERSON_SUBJECTS = frozenset({"commander_of", "deputy_of", "member_of", "role"})
_PERSON_OBJECTS = frozenset({"founded_by"})
#: Generic nouns before a place name in statements: "مدينة منبج" is منبج.
_PLACE_HEADS = frozenset({"مدينه", "بلده", "قريه", "منطقه", "محافظه", "حي", "ناحيه", "مخيم"})


@dataclass
class LocalEntity:
    key: str
    type: str
    keys: set[str] = field(default_factory=set)
    names: Counter[str] = field(default_factory=Counter)
    mentions: list[int] = field(default_factory=list)
    anaphors: list[int] = field(default_factory=list)  # mentions that refer back to it
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
            "mentions": self.mentions + self.anaphors,
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


class _Ids:
    """Entity ID of a key, after every join (computed for the keys asked about only)."""

    def __init__(self, entities: _Entities) -> None:
        self.entities = entities
        self.cache: dict[str, str] = {}

    def get(self, key: str, default: str | None) -> str | None:
        found = self.cache.get(key)
        if found is None:
            if key not in self.entities.by_key and key not in self.entities.parent:
                return default
            found = self.cache[key] = self.entities.entity(key).id
        return found


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
        keep.anaphors.extend(gone.anaphors)
        for k, v in gone.attributes.items():
            keep.attributes.setdefault(k, v)
        self.parent[b] = a

    def roots(self) -> list[LocalEntity]:
        return list(self.by_key.values())


def _actor(name: str) -> dict[str, Any] | None:
    """The catalogue actor a name in a statement is, in the shape mentions carry."""
    from rasid.names.actors import load_actors

    actor = load_actors().match(name)
    if actor is None:
        return None
    return {
        "id": actor.id,
        "name_en": actor.name_en,
        "type": actor.type,
        "parent": actor.parent,
        "wikidata": actor.wikidata,
    }


def link_document(analysis: Analysis) -> None:
    entities = _Entities()
    by_local: dict[str, str] = {}  # local: key of a name → canonical key
    memory = Memory()
    heads = head_nouns()
    doc_id = analysis.document.id
    anaphors: list[tuple[int, str]] = []  # mention index → canonical key it refers to
    for index, mention in enumerate(analysis.mentions):
        if mention.type not in ENTITY_TYPES or mention.value.get("anaphor"):
            continue
        if mention.type == "NORP":
            person = nisba_reference(analysis, mention, memory)
            if person is not None:
                mention.value["anaphor"] = True
                anaphors.append((index, person))
                continue
        key, keys = canonical_key(mention)
        if mention.type == "PERSON":
            short = short_name(mention)
            if short:
                person = memory.person(short, mention.start)
                if person is not None:
                    key, keys = person, [person]
                else:
                    # Too little to be the same person in another document.
                    key = f"person1:{short}@{doc_id}"
                    keys = [key]
        entity = entities.add(key, keys, mention.type)
        entity.names[mention.text] += 1
        entity.mentions.append(index)
        for k, v in _attributes(mention).items():
            entity.attributes.setdefault(k, v)
        if mention.subtype and not entity.subtype:
            entity.subtype = mention.subtype
        by_local.setdefault(local_key(mention.text), entity.key)
        by_local.setdefault(local_key(fold_name(mention.text)), entity.key)
        if mention.type == "PERSON":
            words = reference_words(mention)
            if words:
                memory.persons.append((mention.start, words, entity.key))
        elif mention.type in {"ORG", "MISC"}:
            head = entity_head(analysis, mention, heads)
            memory.items.append(
                Antecedent(mention.start, entity.key, head, unit_level(mention, head, heads))
            )

    def resolve(
        value: str, role: str, prop: str, surface: str | None = None, at: int | None = None
    ) -> str:
        if not is_local_key(value):
            return value
        bare = value.split("@", 1)[0]
        name = bare[len("local:") :]
        key = by_local.get(bare) or by_local.get(local_key(fold_name(name)))
        if key is None and role == "object" and prop in _PLACE_OBJECTS:
            # "مدينة منبج" is the town the text also calls منبج.
            words = name.split()
            if len(words) > 1 and words[0] in _PLACE_HEADS:
                key = by_local.get(local_key(" ".join(words[1:])))
        if key is None and at is not None and not (role == "object" and prop in _PLACE_OBJECTS):
            # "التميمي", "أبو محمد" alone: the last person named with that nisba, surname or kunya.
            key = memory.person(fold_name(name), at)
        if key is None:
            # The surface as written when the statement gives it, else the folded key.
            name = surface or name
            if "@" in value:
                type_ = "MISC"
            elif role == "object" and prop in _PLACE_OBJECTS:
                type_ = "GPE"
            elif (role == "subject" and prop in _PERSON_SUBJECTS) or (
                role == "object" and prop in _PERSON_OBJECTS
            ):
                type_ = "PERSON"
            else:
                type_ = "ORG"
            family = "PLACE" if type_ in PLACE_TYPES else type_
            key = f"name:{family}:{fold_name(name)}" if "@" not in value else f"thing:{value}"
            keys = [key]
            actor = _actor(name) if type_ == "ORG" and "@" not in value else None
            if actor is not None:
                # Facts name known organisations by one form ("داعش"): the catalogue's key.
                key = f"actor:{actor['id']}"
                keys = [key, *keys]
            elif type_ == "PERSON" and " " not in fold_name(name):
                key = f"person1:{fold_name(name)}@{doc_id}"
                keys = [key]
            entity = entities.add(key, keys, type_)
            entity.names[name] += 1
            if actor is not None:
                entity.attributes.setdefault("actor", actor)
                entity.attributes.setdefault("latin", [actor["name_en"]])
            by_local[bare] = entity.key
            key = entity.key
        return key

    # Aliases first, so statements land on the joined entity.
    for statement in analysis.statements:
        if statement.property == "alias":
            subject = resolve(statement.subject, "subject", "alias", at=statement.start)
            other = resolve(local_key(statement.value), "object", "alias", statement.value)
            entities.join(subject, other)

    keyed_statements = []
    for statement in analysis.statements:
        subject_key = resolve(
            statement.subject,
            "subject",
            statement.property,
            statement.qualifiers.get("subject_name"),
            at=statement.start,
        )
        object_key = (
            resolve(
                statement.object_entity,
                "object",
                statement.property,
                statement.value,
                at=statement.start,
            )
            if statement.object_entity
            else None
        )
        sources = [by_local.get(link.entity_id or "") for link in statement.attribution]
        keyed_statements.append((statement, subject_key, object_key, sources))
    for event in analysis.events:
        for argument in event.get("arguments", []):
            entity_ref = argument.get("entity")
            if isinstance(entity_ref, str):
                argument["entity_key"] = resolve(entity_ref, "argument", event.get("type", ""))

    new_mentions = find_anaphora(analysis, memory, heads, f"{NAME}.{VERSION}")
    for mention in new_mentions:
        anaphors.append((len(analysis.mentions), mention.value["antecedent_key"]))
        analysis.mentions.append(mention)

    ids = _Ids(entities)
    for entity in entities.roots():
        for index in entity.mentions:
            analysis.mentions[index].entity_id = entity.id
    for index, key in anaphors:
        referent = entities.entity(key)
        mention = analysis.mentions[index]
        mention.entity_id = referent.id
        mention.value.pop("antecedent_key", None)
        mention.value["antecedent"] = referent.label()
        referent.anaphors.append(index)
    for statement, subject_key, object_key, sources in keyed_statements:
        statement.subject = ids.get(subject_key, None) or statement.subject
        if object_key is not None:
            statement.object_entity = ids.get(object_key, statement.object_entity)
        for link, source in zip(statement.attribution, sources, strict=True):
            if source is not None:
                link.entity_id = ids.get(source, link.entity_id)
    for event in analysis.events:
        for argument in event.get("arguments", []):
            key = argument.pop("entity_key", None)
            if key is not None:
                argument["entity"] = ids.get(key, argument.get("entity"))
    analysis.entities = [entity.to_dict() for entity in entities.roots()]


@registry.register(NAME)
def link_component() -> Component:
    return Component(
        NAME,
        VERSION,
        link_document,
        requires=("mentions", "statements"),
        assigns=("entities", "mentions:anaphor"),
    )
