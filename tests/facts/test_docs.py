"""docs/facts.md stays true: every declared property, event type and certainty is documented."""

from __future__ import annotations

from pathlib import Path

from rasid.facts.schema import load_schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "facts.md"


def test_every_schema_id_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    schema = load_schema()
    for section in (schema.properties, schema.event_types, schema.certainty):
        for key in section:
            assert f"`{key}`" in text, f"{key} is declared in schema.yaml but not in docs/facts.md"


def test_registered_component() -> None:
    import rasid.facts.component  # noqa: F401
    from rasid.pipeline import registry

    component = registry.create("facts")
    assert component.qualified_name == "facts.v1"
    assert component.requires == ("sentences", "tokens", "mentions")
    assert component.assigns == ("statements", "events")
