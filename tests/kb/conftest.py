"""Helpers for the knowledge-base tests: small analyses built from text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from rasid.kb.store import Store
from rasid.model import Analysis, Document, Sentence
from rasid.text.tokenize import tokenize

_SENTENCE = re.compile(r"[^.!?؟\n]+[.!?؟]*")


def sentences_of(text: str) -> list[Sentence]:
    """A plain splitter, so these tests do not depend on the sentence component."""
    found = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            found.append(Sentence(len(found), start, end))
    return found


def make_analysis(text: str, **fields: Any) -> Analysis:
    fields.setdefault("sha256", "0" * 64)
    fields.setdefault("source_uri", "test://doc")
    document = Document(text=text, **fields)
    return Analysis(document=document, sentences=sentences_of(text), tokens=tokenize(text))


MakeAnalysis = Callable[..., Analysis]


@pytest.fixture(name="make_analysis")
def make_analysis_fixture() -> MakeAnalysis:
    """``make_analysis(text, **document_fields)``: an analysis with tokens and sentences."""
    return make_analysis


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "kb.db") as opened:
        yield opened


@pytest.fixture
def add(store: Store) -> Callable[..., Analysis]:
    """Store a document made from ``text`` and return its analysis."""

    def _add(text: str, **fields: Any) -> Analysis:
        analysis = make_analysis(text, **fields)
        store.add_analysis(analysis, content_key=f"key-{analysis.document.id}")
        return analysis

    return _add
