"""The ``entity_types`` section of ``rasid/data/schema.yaml``, loaded and checked."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from rasid.errors import DataFileError


@dataclass(frozen=True, slots=True)
class EntityType:
    name: str
    en: str
    ar: str
    description: str
    subtypes: dict[str, dict[str, str]]


def _check(name: str, body: Any) -> EntityType:
    if not isinstance(body, dict):
        raise DataFileError(f"schema.yaml: entity_types.{name} must be a mapping")
    for label in ("en", "ar"):
        if not isinstance(body.get(label), str) or not body[label].strip():
            raise DataFileError(
                f"schema.yaml: entity_types.{name} needs a non-empty {label!r} label"
            )
    subtypes = body.get("subtypes") or {}
    if not isinstance(subtypes, dict):
        raise DataFileError(f"schema.yaml: entity_types.{name}.subtypes must be a mapping")
    for key, labels in subtypes.items():
        if not isinstance(labels, dict) or not labels.get("en") or not labels.get("ar"):
            raise DataFileError(
                f"schema.yaml: entity_types.{name}.subtypes.{key} needs en and ar labels"
            )
    return EntityType(name, body["en"], body["ar"], str(body.get("description", "")), subtypes)


def parse_entity_types(document: Any) -> dict[str, EntityType]:
    section = document.get("entity_types") if isinstance(document, dict) else None
    if not isinstance(section, dict) or not section:
        raise DataFileError("schema.yaml: section 'entity_types' is missing or empty")
    return {name: _check(name, body) for name, body in section.items()}


@lru_cache(maxsize=1)
def entity_types() -> dict[str, EntityType]:
    """Entity types by name (PERSON, ORG, GPE, ...), with Arabic and English labels."""
    resource = resources.files("rasid").joinpath("data", "schema.yaml")
    try:
        document = yaml.safe_load(resource.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError("rasid/data/schema.yaml is missing; reinstall rasid") from None
    except yaml.YAMLError as exc:
        raise DataFileError(f"schema.yaml is not valid YAML: {exc}") from exc
    return parse_entity_types(document)
