"""The facts sections of ``rasid/data/schema.yaml``: properties, event types, certainty.

Extractors only emit ids declared here; :func:`check_schema` runs when the
``facts`` component is built so a lexicon that names an unknown type fails at
start-up, not in the middle of a corpus.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from rasid.errors import DataFileError
from rasid.model import CERTAINTIES

_REQUIRED_LABELS = ("en", "ar")


@dataclass(frozen=True, slots=True)
class FactsSchema:
    properties: Mapping[str, Mapping[str, Any]]
    event_types: Mapping[str, Mapping[str, Any]]
    certainty: Mapping[str, Mapping[str, Any]]

    def certainty_rank(self, level: str) -> int:
        return int(self.certainty[level]["rank"])

    def strongest(self, levels: Iterable[str]) -> str:
        """The level that wins when several apply (lowest rank)."""
        chosen = "asserted"
        for level in levels:
            if self.certainty_rank(level) < self.certainty_rank(chosen):
                chosen = level
        return chosen


def _section(data: Mapping[str, Any], name: str) -> dict[str, Mapping[str, Any]]:
    raw = data.get(name)
    if not isinstance(raw, Mapping) or not raw:
        raise DataFileError(f"schema.yaml: section {name!r} is missing or empty")
    section: dict[str, Mapping[str, Any]] = {}
    for key, record in raw.items():
        if not isinstance(record, Mapping):
            raise DataFileError(f"schema.yaml: {name}.{key} must be a mapping")
        for label in _REQUIRED_LABELS:
            if not isinstance(record.get(label), str) or not record[label]:
                raise DataFileError(f"schema.yaml: {name}.{key} needs a non-empty {label!r} label")
        section[str(key)] = record
    return section


def parse_schema(data: Mapping[str, Any]) -> FactsSchema:
    schema = FactsSchema(
        properties=_section(data, "properties"),
        event_types=_section(data, "event_types"),
        certainty=_section(data, "certainty"),
    )
    levels = set(schema.certainty)
    if levels != set(CERTAINTIES):
        raise DataFileError(
            f"schema.yaml: certainty levels {sorted(levels)} must match "
            f"rasid.model.CERTAINTIES {sorted(CERTAINTIES)}"
        )
    ranks = [schema.certainty[level].get("rank") for level in levels]
    if not all(isinstance(rank, int) for rank in ranks) or len(set(ranks)) != len(ranks):
        raise DataFileError("schema.yaml: every certainty level needs a distinct integer 'rank'")
    return schema


@lru_cache(maxsize=1)
def load_schema() -> FactsSchema:
    resource = resources.files("rasid").joinpath("data", "schema.yaml")
    try:
        data = yaml.safe_load(resource.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError("rasid/data/schema.yaml is missing; reinstall rasid") from None
    except yaml.YAMLError as err:
        raise DataFileError(f"rasid/data/schema.yaml is not valid YAML: {err}") from None
    if not isinstance(data, Mapping):
        raise DataFileError("rasid/data/schema.yaml must hold a mapping")
    return parse_schema(data)


def check_property(schema: FactsSchema, prop: str) -> str:
    if prop not in schema.properties:
        raise DataFileError(f"property {prop!r} is not declared in schema.yaml 'properties'")
    return prop


def check_event_type(schema: FactsSchema, event_type: str) -> str:
    if event_type not in schema.event_types:
        raise DataFileError(
            f"event type {event_type!r} is not declared in schema.yaml 'event_types'"
        )
    return event_type
