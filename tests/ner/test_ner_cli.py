"""``rasid eval ner`` and ``rasid train ner --sample``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasid.cli import app
from rasid.errors import InputError
from rasid.ner.train import read_silver

runner = CliRunner()


def test_eval_prints_one_json_object(ner_sample_conll: Path) -> None:
    result = runner.invoke(app, ["eval", "ner", str(ner_sample_conll)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    for key in ("precision", "recall", "f1", "per_type", "tokens_per_second", "model"):
        assert key in report
    assert report["model"] == {"name": "ner-crf", "version": "v1"}
    assert set(report["per_type"]) <= {"PERS", "LOC", "ORG", "MISC"}
    # Our own sentences with famous names: the tagger must get most of them.
    assert report["f1"] > 0.5
    for scores in report["per_type"].values():
        assert set(scores) == {"precision", "recall", "f1", "support"}


def test_eval_rejects_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.conll"
    bad.write_text("كلمة\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "ner", str(bad)])
    assert result.exit_code == 2
    result = runner.invoke(app, ["eval", "ner", str(tmp_path / "missing.conll")])
    assert result.exit_code == 2
    result = runner.invoke(app, ["eval", "ner", str(bad), "--scheme", "nope"])
    assert result.exit_code == 2


SILVER = "قال O\nبشار B-PERS\nالأسد I-PERS\nفي O\nدمشق B-LOC\n\nوصل O\nوفد O\nالأمم B-ORG\nالمتحدة I-ORG\n"


def test_silver_file_is_checked(tmp_path: Path) -> None:
    good = tmp_path / "good.conll"
    good.write_text(SILVER, encoding="utf-8")
    sentences = read_silver(good)
    assert [s.flat_tags() for s in sentences][1] == ["O", "O", "B-ORG", "I-ORG"]
    bad = tmp_path / "bad.conll"
    bad.write_text("دمشق B-GPE\n", encoding="utf-8")
    with pytest.raises(InputError, match="B-GPE"):
        read_silver(bad)
    result = runner.invoke(
        app, ["train", "ner", "--silver", str(bad), "--out", str(tmp_path / "m")]
    )
    assert result.exit_code == 2


@pytest.mark.slow
def test_train_sample_reproduces_the_path(anercorp_train: Path, tmp_path: Path) -> None:
    data_dir = anercorp_train.parents[1]
    out = tmp_path / "ner-crf.v1.crfsuite"
    silver = tmp_path / "silver.conll"
    silver.write_text(SILVER, encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "train",
            "ner",
            "--data-dir",
            str(data_dir),
            "--out",
            str(out),
            "--sample",
            "150",
            "--iterations",
            "30",
            "--silver",
            str(silver),
        ],
    )
    assert result.exit_code == 0, result.output
    meta = json.loads(result.stdout)
    assert meta["training"]["sample"] == 150
    assert meta["training"]["silver"] == {"file": "silver.conll", "sentences": 2}
    assert 0.0 < meta["dev"]["f1"] <= 1.0
    assert out.exists() and out.with_suffix(".json").exists()
    # The freshly trained bundle evaluates like the shipped one.
    sample = Path(__file__).resolve().parents[1] / "data" / "ner" / "sample.conll"
    result = runner.invoke(app, ["eval", "ner", str(sample), "--model", str(out)])
    assert result.exit_code == 0, result.output
    assert "f1" in json.loads(result.stdout)
