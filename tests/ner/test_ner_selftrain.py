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


def test_silver_file_reads_the_first_n_sentences(tmp_path: Path) -> None:
    from rasid.ner.train import TrainConfig, silver_file

    path = tmp_path / "silver.conll"
    path.write_text("زار O\nبغداد B-LOC\n\nقال O\nمحمد B-PERS\nعلي I-PERS\n\n", "utf-8")
    assert silver_file(TrainConfig()) == []
    assert len(silver_file(TrainConfig(silver=str(path)))) == 2
    (first,) = silver_file(TrainConfig(silver=str(path), silver_limit=1))
    assert first.tokens == ("زار", "بغداد")
    assert first.flat_tags() == ["O", "B-LOC"]
