"""Fixtures for the NER tests: the shipped model, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasid.ner.component import NerTagger

DATA = Path(__file__).resolve().parents[1] / "data" / "ner"


@pytest.fixture(scope="session")
def ner_tagger() -> NerTagger:
    return NerTagger()


@pytest.fixture(scope="session")
def ner_sample_conll() -> Path:
    return DATA / "sample.conll"
