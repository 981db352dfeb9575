"""`rasid name` and `rasid geocode`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from rasid.cli import app

runner = CliRunner()


def test_name_json() -> None:
    result = runner.invoke(app, ["name", "أبو محمد الأمريكي", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kunya"] == "أبو محمد"
    assert data["nisbas"][0]["origin"]["country"] == "US"
    assert data["romanized"][0] == "Abu Muhammad al-Amriki"


def test_name_table_and_bad_input() -> None:
    result = runner.invoke(app, ["name", "Omar al-Shishani"])
    assert result.exit_code == 0
    assert "Chechnya" in result.stdout
    bad = runner.invoke(app, ["name", ""])
    assert bad.exit_code == 2
    assert "E102" in bad.output


def test_geocode_json() -> None:
    result = runner.invoke(app, ["geocode", "منبج", "--json"])
    assert result.exit_code == 0, result.output
    [best, *_] = json.loads(result.stdout)
    assert best["name_en"] == "Manbij"
    assert best["precision"] == 1
    assert abs(best["lat"] - 36.53) < 0.01
    assert 0 < best["score"] <= 1


def test_geocode_context_and_not_found() -> None:
    result = runner.invoke(app, ["geocode", "طرابلس", "--context", "لبنان", "--json"])
    assert json.loads(result.stdout)[0]["country"] == "LB"
    missing = runner.invoke(app, ["geocode", "قزقزستان العظمى"])
    assert missing.exit_code == 1
