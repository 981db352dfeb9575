"""Helpers for the facts tests: plain-text sentences without the text layer."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from rasid.facts.attribution import Attributor, SentenceAttribution
from rasid.model import Analysis, Document
from rasid.pipeline import Pipeline
from rasid.workflows import arabic_pipeline


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


@pytest.fixture(scope="session")
def facts_pipeline() -> Pipeline:
    # Linking, which rewrites the local keys these tests look at, is left out.
    return arabic_pipeline(until="facts")


@pytest.fixture(scope="session")
def analyse(facts_pipeline: Pipeline) -> Callable[[str], Analysis]:
    def run(text: str) -> Analysis:
        return facts_pipeline(Document(text=text, sha256="0" * 64, source_uri="test"))

    return run
