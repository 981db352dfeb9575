"""Every offset the full pipeline emits slices the original text to exactly its surface."""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest

from rasid.workflows import Analyzer, ExtractRequest, analysis_to_json, document_from_request


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer("full")


def _check(text: str, result: dict[str, object]) -> None:
    for sentence in result["sentences"]:  # type: ignore[attr-defined]
        assert 0 <= sentence["start"] < sentence["end"] <= len(text)
        assert (
            text[sentence["start"] : sentence["end"]].strip()
            == text[sentence["start"] : sentence["end"]]
        )
    for mention in result["mentions"]:  # type: ignore[attr-defined]
        assert text[mention["start"] : mention["end"]] == mention["text"], mention
    for statement in result["statements"]:  # type: ignore[attr-defined]
        assert 0 <= statement["start"] < statement["end"] <= len(text), statement
        for link in statement["attribution"]:
            if link.get("start") is not None:
                assert text[link["start"] : link["end"]].strip(), link
    for event in result["events"]:  # type: ignore[attr-defined]
        if event.get("start") is not None:
            assert 0 <= event["start"] < event["end"] <= len(text), event
        trigger = event.get("trigger") or {}
        if trigger.get("start") is not None:
            assert text[trigger["start"] : trigger["end"]] == trigger["text"], event
        for argument in event.get("arguments", []):
            if argument.get("start") is not None:
                assert text[argument["start"] : argument["end"]] == argument["text"], argument


@pytest.mark.slow
def test_offsets_over_news_sample(analyzer: Analyzer, news_path: Path) -> None:
    with gzip.open(news_path, "rt", encoding="utf-8") as lines:
        # Every 97th article of the first ~7,800: a deterministic spread over sources and topics.
        records = [json.loads(line) for line in itertools.islice(lines, 0, 7800, 97)]
    assert len(records) >= 80
    mentions = 0
    for record in records:
        request = ExtractRequest(text=record["text"], published=record.get("published"))
        result = analysis_to_json(analyzer(document_from_request(request)))
        _check(record["text"], result)
        mentions += len(result["mentions"])
    assert mentions > 1000  # the sample is real news: entities must be found


def test_offsets_on_the_examples(analyzer: Analyzer, examples_dir: Path) -> None:
    for path in sorted(examples_dir.glob("*.txt")):
        text = path.read_text("utf-8")
        result = analysis_to_json(analyzer(document_from_request(ExtractRequest(text=text))))
        _check(text, result)
        assert result["mentions"] and result["statements"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n ",
        "No Arabic here at all, only an English sentence about Mosul.",
        "مرحبا 👋🏽 hello ‏عالم‎ \u202eمقلوب\u202c ١٢٣ abc",
        "جيش " * 5000,
    ],
)
def test_odd_inputs_do_not_crash(analyzer: Analyzer, text: str) -> None:
    result = analysis_to_json(analyzer(document_from_request(ExtractRequest(text=text))))
    _check(text, result)
