"""Self-training: confidently tagged news sentences become silver training data."""

from __future__ import annotations

from pathlib import Path

from rasid.ner.conll import spans_from_tags
from rasid.ner.selftrain import silver_sentences
from rasid.ner.tagger import NerModel, default_model_path


def test_silver_sentences_are_confident_and_named(news_path: Path) -> None:
    model = NerModel()
    silver = silver_sentences(news_path, default_model_path(), model.extractor, limit=5)
    assert len(silver) == 5
    for sentence in silver:
        assert 6 <= len(sentence.tokens) <= 60
        assert spans_from_tags(sentence.flat_tags())
