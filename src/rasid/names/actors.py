"""The curated catalogue of organisations, units and outlets (``data/actors.yaml``).

``load_actors().match("لداعش")`` is the Islamic State; ``.parent(actor)`` goes
from a unit (جيش الخلافة) to its organisation. Aliases are matched on their
name fold (hamza, ta marbuta, alef maqsura, diacritics), with or without the
article on each word, and with the clitics و ف ب ل ك (and لل) taken off the
front; Latin aliases are matched without case or accents. A broken file (an
unknown parent, an alias given to two actors, a missing field) raises
:class:`rasid.errors.DataFileError` with the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from rasid.errors import DataFileError
from rasid.names.folding import fold, fold_latin, has_arabic, strip_article

__all__ = ["ACTORS_PATH", "ACTOR_TYPES", "Actor", "ActorCatalogue", "load_actors"]

ACTORS_PATH = Path(__file__).resolve().parents[1] / "data" / "actors.yaml"
ACTOR_TYPES = ("armed_group", "state_force", "government", "media", "other")
_FIELDS = {
    "id", "type", "name_ar", "name_en", "aliases_ar", "aliases_en", "parent", "wikidata", "note",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    type: str
    name_ar: str
    name_en: str
    aliases_ar: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()
    parent: str | None = None
    wikidata: str | None = None
    note: str = ""
    line: int = field(default=0, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "name_ar": self.name_ar,
            "name_en": self.name_en,
            "aliases_ar": list(self.aliases_ar),
            "aliases_en": list(self.aliases_en),
            "parent": self.parent,
            "wikidata": self.wikidata,
            "note": self.note,
        }


def _arabic_keys(text: str) -> set[str]:
    folded = fold(text)
    return {folded, " ".join(strip_article(w) for w in folded.split())} - {""}


def _latin_key(text: str) -> str:
    return " ".join(fold_latin(text).replace("-", " ").split())


def _clitic_forms(folded: str) -> list[str]:
    """The folded text and what it is with a leading و/ف, ب/ل/ك or لل taken off."""
    forms = [folded]
    first, _, rest = folded.partition(" ")
    heads = [first]
    if len(first) >= 4 and first[0] in "وف":
        heads.append(first[1:])
    for head in list(heads):
        if len(head) >= 4 and head.startswith("لل"):
            heads.append("ال" + head[2:])
        if len(head) >= 3 and head[0] in "بلك":
            heads.append(head[1:])
    for head in heads[1:]:
        forms.append(f"{head} {rest}".strip())
    return forms


class ActorCatalogue:
    def __init__(self, actors: list[Actor], path: Path) -> None:
        self.path = path
        self.actors = actors
        self._by_id = {a.id: a for a in actors}
        self._arabic: dict[str, Actor] = {}
        self._latin: dict[str, Actor] = {}
        for actor in actors:
            for alias in (actor.name_ar, *actor.aliases_ar):
                for key in _arabic_keys(alias):
                    self._claim(self._arabic, key, actor, alias)
            for alias in (actor.name_en, *actor.aliases_en):
                self._claim(self._latin, _latin_key(alias), actor, alias)
        for actor in actors:
            if actor.parent is not None and actor.parent not in self._by_id:
                raise DataFileError(
                    f"{path}:{actor.line}: {actor.id}: unknown parent {actor.parent!r}"
                )
            self._check_cycle(actor)

    def _claim(self, table: dict[str, Actor], key: str, actor: Actor, alias: str) -> None:
        if not key:
            raise DataFileError(f"{self.path}:{actor.line}: {actor.id}: empty alias {alias!r}")
        owner = table.get(key)
        if owner is not None and owner.id != actor.id:
            raise DataFileError(
                f"{self.path}:{actor.line}: alias {alias!r} of {actor.id} is already an alias "
                f"of {owner.id} (line {owner.line})"
            )
        table[key] = actor

    def _check_cycle(self, actor: Actor) -> None:
        seen = {actor.id}
        current = actor
        while current.parent is not None:
            if current.parent in seen:
                raise DataFileError(f"{self.path}:{actor.line}: {actor.id}: parent chain loops")
            seen.add(current.parent)
            current = self._by_id[current.parent]

    def __len__(self) -> int:
        return len(self.actors)

    def by_id(self, actor_id: str) -> Actor | None:
        return self._by_id.get(actor_id)

    def parent(self, actor: Actor) -> Actor | None:
        return self._by_id.get(actor.parent) if actor.parent else None

    def ancestors(self, actor: Actor) -> list[Actor]:
        out: list[Actor] = []
        current = self.parent(actor)
        while current is not None:
            out.append(current)
            current = self.parent(current)
        return out

    def match(self, text: str) -> Actor | None:
        """The actor ``text`` names (the whole text, as a mention), or None."""
        if not text or not text.strip():
            return None
        if has_arabic(text):
            for form in _clitic_forms(fold(text)):
                for key in (form, " ".join(strip_article(w) for w in form.split())):
                    if key in self._arabic:
                        return self._arabic[key]
            return None
        return self._latin.get(_latin_key(text))


_BaseLoader: Any = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)  # libyaml when available: 10x faster


class _LineLoader(_BaseLoader):  # type: ignore[misc]
    """A safe loader that records the line of every mapping as ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _text_list(raw: Any, where: str, name: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str | int) for x in raw):
        raise DataFileError(f"{where}: {name} must be a list of names")
    return tuple(str(x).strip() for x in raw if str(x).strip())


def _actor(entry: Any, path: Path) -> Actor:
    if not isinstance(entry, dict):
        raise DataFileError(f"{path}: every item of 'actors' must be a mapping")
    line = int(entry.get("__line__", 0))
    where = f"{path}:{line}"
    unknown = set(entry) - _FIELDS - {"__line__"}
    if unknown:
        raise DataFileError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for required in ("id", "type", "name_ar", "name_en"):
        if not isinstance(entry.get(required), str) or not entry[required].strip():
            raise DataFileError(f"{where}: field {required!r} is missing or empty")
    if entry["type"] not in ACTOR_TYPES:
        raise DataFileError(
            f"{where}: type {entry['type']!r} is not one of {', '.join(ACTOR_TYPES)}"
        )
    wikidata = entry.get("wikidata")
    if wikidata is not None and not (
        isinstance(wikidata, str) and wikidata.startswith("Q") and wikidata[1:].isdigit()
    ):
        raise DataFileError(f"{where}: wikidata {wikidata!r} is not a Q-number")
    return Actor(
        id=entry["id"].strip(),
        type=entry["type"],
        name_ar=entry["name_ar"].strip(),
        name_en=entry["name_en"].strip(),
        aliases_ar=_text_list(entry.get("aliases_ar"), where, "aliases_ar"),
        aliases_en=_text_list(entry.get("aliases_en"), where, "aliases_en"),
        parent=entry.get("parent") or None,
        wikidata=wikidata,
        note=str(entry.get("note") or ""),
        line=line,
    )


@cache
def load_actors(path: Path = ACTORS_PATH) -> ActorCatalogue:
    """Load and check the actor catalogue (cached per path)."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except FileNotFoundError:
        raise DataFileError(f"{path}: actor file is missing") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise DataFileError(f"{path}{line}: not valid YAML ({err})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("actors"), list):
        raise DataFileError(f"{path}: expected a mapping with an 'actors' list")
    actors = [_actor(entry, path) for entry in raw["actors"]]
    seen: dict[str, int] = {}
    for actor in actors:
        if actor.id in seen:
            raise DataFileError(
                f"{path}:{actor.line}: id {actor.id!r} is already used on line {seen[actor.id]}"
            )
        seen[actor.id] = actor.line
    return ActorCatalogue(actors, path)
