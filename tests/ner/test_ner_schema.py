"""The entity types in schema.yaml agree with what the tagger emits."""

from __future__ import annotations

import pytest

from rasid.errors import DataFileError
from rasid.ner.component import ENTITY_TYPES
from rasid.ner.schema import entity_types, parse_entity_types


def test_schema_lists_every_type_with_labels() -> None:
    types = entity_types()
    assert set(ENTITY_TYPES) | {"DATE", "QUANTITY", "PERCENT"} == set(types)
    assert set(types["ORG"].subtypes) == {
        "armed_group",
        "state_force",
        "government",
        "media",
        "other",
    }
    assert types["FACILITY"].ar == "منشأة"


def test_broken_schema_is_reported() -> None:
    with pytest.raises(DataFileError, match="entity_types"):
        parse_entity_types({"properties": {}})
    with pytest.raises(DataFileError, match="PERSON"):
        parse_entity_types({"entity_types": {"PERSON": {"en": "person"}}})
