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

import re
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
    "ambiguous",
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
    #: aliases that are also ordinary words (القاعدة "the base", النصرة "support"):
    #: they name the actor when a tagger has marked them as one, but
    #: :meth:`ActorCatalogue.find` does not pick them out of running text
    ambiguous: tuple[str, ...] = ()
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
            "ambiguous": list(self.ambiguous),
        }


def _arabic_keys(text: str) -> set[str]:
    folded = fold(text)
    if " " not in folded:
        # one word keeps its article: القاعدة is al-Qaeda, قاعدة is "a base"
        return {folded} - {""}
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
        self._longest = max(
            (
                _alias_words(a)
                for actor in actors
                for a in (actor.name_ar, *actor.aliases_ar, actor.name_en, *actor.aliases_en)
            ),
            default=1,
        )
        self._ambiguous: set[tuple[str, str]] = set()
        for actor in actors:
            names = {fold(a) for a in (actor.name_ar, *actor.aliases_ar)}
            names |= {_latin_key(a) for a in (actor.name_en, *actor.aliases_en)}
            for alias in actor.ambiguous:
                key = fold(alias) if has_arabic(alias) else _latin_key(alias)
                if key not in names:
                    raise DataFileError(
                        f"{path}:{actor.line}: {actor.id}: ambiguous {alias!r} is not one of its aliases"
                    )
                self._ambiguous.add((actor.id, key))
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

    def _is_ambiguous(self, actor: Actor, surface: str) -> bool:
        if not self._ambiguous:
            return False
        if not has_arabic(surface):
            return (actor.id, _latin_key(surface)) in self._ambiguous
        return any((actor.id, form) in self._ambiguous for form in _clitic_forms(fold(surface)))

    def find(self, text: str) -> list[tuple[int, int, Actor]]:
        """Every alias occurrence in ``text``: ``(start, end, actor)``, longest first, no overlaps.

        Offsets are into ``text`` and cover whole words, a leading clitic
        included (لداعش is found as [start of ل, end of ش)).
        """
        words = [(m.start(), m.end()) for m in _WORD_RE.finditer(text)]
        found: list[tuple[int, int, Actor]] = []
        i = 0
        while i < len(words):
            for n in range(min(self._longest, len(words) - i), 0, -1):
                start, end = words[i][0], words[i + n - 1][1]
                if n > 1 and any(
                    text[words[k][1] : words[k + 1][0]].strip(" -") for k in range(i, i + n - 1)
                ):
                    continue  # punctuation (other than a hyphen) between the words
                surface = text[start:end]
                actor = self.match(surface)
                if actor is not None and not self._is_ambiguous(actor, surface):
                    found.append((start, end, actor))
                    i += n
                    break
            else:
                i += 1
        return found

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


_WORD_RE = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u0640'’]+")


def _alias_words(text: str) -> int:
    return len(text.split())


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
        ambiguous=_text_list(entry.get("ambiguous"), where, "ambiguous"),
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
