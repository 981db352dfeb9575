"""CoNLL reading and seqeval-default span scoring."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasid.errors import EmptyInputError, MalformedRecordError
from rasid.ner.conll import (
    nested_spans,
    parse_conll,
    read_conll,
    score,
    spans_from_tags,
    tags_from_spans,
)


def test_spans_follow_seqeval_default() -> None:
    # An I- after O opens a span; a type change closes one; B- after I- splits.
    tags = ["I-PERS", "I-PERS", "O", "B-LOC", "I-ORG", "B-ORG", "I-ORG", "B-ORG"]
    assert spans_from_tags(tags) == [
        ("PERS", 0, 2),
        ("LOC", 3, 4),
        ("ORG", 4, 5),
        ("ORG", 5, 7),
        ("ORG", 7, 8),
    ]


def test_score_micro_and_per_type() -> None:
    gold = [["B-PERS", "I-PERS", "O", "B-LOC"], ["B-ORG", "O"]]
    pred = [["B-PERS", "I-PERS", "O", "O"], ["B-ORG", "B-LOC"]]
    s = score(gold, pred)
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == pytest.approx(2 / 3)
    assert s.per_type["LOC"]["f1"] == 0.0
    assert s.per_type["PERS"]["support"] == 1
    assert s.support == 3


def test_parse_and_errors(tmp_path: Path) -> None:
    sentences = parse_conll(["a B-PERS", "b I-PERS", "", "c O", "$#$ O", ""])
    assert [s.tokens for s in sentences] == [("a", "b"), ("c",)]
    with pytest.raises(MalformedRecordError):
        parse_conll(["lonely"])
    with pytest.raises(MalformedRecordError):
        parse_conll(["a PERSON"])
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(EmptyInputError):
        read_conll(empty)


def test_nested_tags_per_type() -> None:
    (sentence,) = parse_conll(
        [
            "سكرتير B-OCC",
            "اللجنة I-OCC B-ORG",
            "القومية I-OCC I-ORG",
            "في I-OCC",
            "نابلس I-OCC B-GPE",
        ],
        nested=True,
    )
    spans = nested_spans(sentence.tags)
    assert ("OCC", 0, 5) in spans and ("ORG", 1, 3) in spans and ("GPE", 4, 5) in spans
    # Flattening keeps the outermost span.
    assert tags_from_spans(5, spans) == ["B-OCC", "I-OCC", "I-OCC", "I-OCC", "I-OCC"]
