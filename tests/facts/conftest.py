"""Helpers for the facts tests: plain-text sentences without the text layer."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from rasid.facts.attribution import Attributor, SentenceAttribution
from rasid.model import Document


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
