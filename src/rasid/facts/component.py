"""The ``facts`` pipeline component (v1)."""

from __future__ import annotations

from rasid.facts.extract import default_extractor
from rasid.model import Analysis
from rasid.pipeline import Component, registry


@registry.register("facts")
def facts_component() -> Component:
    """Statements (relations, strength, composition, places, documents) and events."""
    extractor = default_extractor()

    def run(analysis: Analysis) -> None:
        result = extractor(analysis)
        analysis.statements.extend(result.statements)
        analysis.events.extend(result.events)

    return Component(
        "facts",
        "v1",
        run,
        requires=("sentences", "tokens", "mentions"),
        assigns=("statements", "events"),
    )
