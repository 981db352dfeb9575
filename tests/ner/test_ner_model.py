"""The shipped model: loads offline and fast, tags, reports its size."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from rasid.errors import ModelError
from rasid.ner.tagger import NerModel, default_model_path
from rasid.ner.train import bundle_paths


def test_bundle_is_shipped_small_and_credited() -> None:
    paths = bundle_paths(default_model_path())
    for path in paths.values():
        assert path.exists(), path
        assert path.stat().st_size < 50 * 1024 * 1024
    meta = json.loads(paths["meta"].read_text("utf-8"))
    assert meta["name"] == "ner-crf" and meta["version"] == "v1"
    assert meta["dev"]["f1"] > 0.6
    models_dir = default_model_path().parent
    credits = (models_dir / "LICENSE").read_text("utf-8")
    assert "CC BY-SA 4.0" in credits and "Benajiba" in credits


def test_loads_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the NER model tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    model = NerModel()  # load time is measured in benchmarks/ner_speed.py
    spans = model.tag("وقال الرئيس الفرنسي إيمانويل ماكرون في باريس".split())
    assert {s.label for s in spans} >= {"PERS", "LOC"}
    assert all(0.0 < s.confidence <= 1.0 for s in spans)


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="rasid train ner"):
        NerModel(tmp_path / "nothing.crfsuite")
