"""Helpers for the facts tests: plain-text sentences without the text layer."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable

import pytest

from rasid.errors import ModelError
from rasid.facts.attribution import Attributor, SentenceAttribution
from rasid.model import Analysis, Document
from rasid.pipeline import Pipeline, registry


def simple_sentences(text: str) -> list[tuple[int, int]]:
    """Sentences split at full stops and line breaks (enough for unit tests)."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^.\n]+\.?", text) if m.group().strip()]


@pytest.fixture(scope="session")
def attributor() -> Attributor:
    return Attributor()


Attributed = tuple[list[tuple[int, int]], list[SentenceAttribution]]


@pytest.fixture(scope="session")
def attribute(attributor: Attributor) -> Callable[[str], Attributed]:
    """Attribute every sentence of a plain text."""

    def run(text: str) -> Attributed:
        document = Document(text=text, sha256="0" * 64, source_uri="test")
        spans = simple_sentences(text)
        return spans, attributor.analyse(text, spans, attributor.publisher(document))

    return run


# The default order of the contract up to facts (linking, which rewrites the
# local keys these tests look at, is left out); components not registered, or
# whose model is not trained yet, are left out and the rules run on the rest.
_ORDER = (
    "text.sentences",
    "text.tokens",
    "text.dates",
    "text.numbers",
    "ner.crf",
    "names",
    "places",
    "facts",
)
_MODULES = (
    "rasid.text.components",
    "rasid.text.dates",
    "rasid.text.numbers",
    "rasid.ner.component",
    "rasid.names.component",
    "rasid.places.component",
    "rasid.facts.component",
)


@pytest.fixture(scope="session")
def facts_pipeline() -> Pipeline:
    for module in _MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError:
            continue
    components = []
    for name in _ORDER:
        if name not in registry.factories:
            continue
        try:
            components.append(registry.create(name))
        except ModelError:
            continue  # e.g. the NER model is not trained in this checkout
    return Pipeline(components)


@pytest.fixture(scope="session")
def analyse(facts_pipeline: Pipeline) -> Callable[[str], Analysis]:
    def run(text: str) -> Analysis:
        return facts_pipeline(Document(text=text, sha256="0" * 64, source_uri="test"))

    return run
