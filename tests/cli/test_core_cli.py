"""The core commands as a user runs them: exit codes, output, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasid.cli import app

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "kb.db"
    result = runner.invoke(app, ["ingest", str(REPO / "examples"), "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "taken in: 4" in result.output
    return path


def test_second_ingest_adds_nothing(db: Path) -> None:
    result = runner.invoke(app, ["ingest", str(REPO / "examples"), "--db", str(db), "--json"])
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["taken_in"] == 0 and report["already_known"] == 4


def test_ingest_with_failures_exits_3_and_names_them(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("سيطرت القوات على مدينة منبج.", "utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(
        app,
        [
            "ingest",
            str(good),
            str(empty),
            str(tmp_path / "nope.txt"),
            "--db",
            str(tmp_path / "k.db"),
        ],
    )
    assert result.exit_code == 3
    assert "taken in: 1" in result.output
    assert "empty.txt" in result.output and "nope.txt" in result.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["ingest"]).exit_code == 2
    assert (
        runner.invoke(
            app, ["ingest", "x", "--pipeline", "bogus", "--db", str(tmp_path / "k.db")]
        ).exit_code
        == 2
    )
    assert (
        runner.invoke(app, ["search", "منبج", "--db", str(tmp_path / "missing.db")]).exit_code == 2
    )


def test_search_json_highlights_slice_the_document(db: Path) -> None:
    result = runner.invoke(app, ["search", "منبج", "--db", str(db), "--json"])
    assert result.exit_code == 0
    hits = json.loads(result.output)
    assert hits and "manbij" in hits[0]["source_uri"]
    shown = runner.invoke(app, ["show", hits[0]["doc_id"], "--db", str(db), "--json"])
    text = json.loads(shown.output)["document"]["text"]
    assert all("منبج" in text[s:e] for s, e in hits[0]["highlights"])


def test_search_survives_hostile_queries(db: Path) -> None:
    for query in ['"', "AND (", "NEAR(", "*", "-", "ال"]:
        result = runner.invoke(app, ["search", query, "--db", str(db)])
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output


def test_show_document_prints_provenance(db: Path) -> None:
    hits = json.loads(runner.invoke(app, ["search", "الرقة", "--db", str(db), "--json"]).output)
    result = runner.invoke(app, ["show", hits[0]["doc_id"][:10], "--db", str(db)])
    assert result.exit_code == 0
    assert "sha256" in result.output and "source" in result.output


def test_show_unknown_ids_fail_clearly(db: Path) -> None:
    for reference in ["doc-ffffffffffff", "ent-ffffffffffff", "لا يوجد كيان بهذا الاسم"]:
        result = runner.invoke(app, ["show", reference, "--db", str(db)])
        assert result.exit_code == 1
        assert "error" in result.output


def test_stats_json(db: Path) -> None:
    stats = json.loads(runner.invoke(app, ["stats", "--db", str(db), "--json"]).output)
    assert stats["documents"] == 4


def test_extract_text_and_jsonl(tmp_path: Path) -> None:
    text = "قال المقدم مهند التميمي إن نحو 1500 عنصر من داعش ما زالوا في الموصل."
    single = runner.invoke(app, ["extract", "-"], input=text)
    assert single.exit_code == 0
    result = json.loads(single.output)
    assert any(m["type"] == "QUANTITY" for m in result["mentions"])
    lines = "\n".join(
        [
            json.dumps({"id": "a", "text": text}, ensure_ascii=False),
            "not json",
            json.dumps({"id": "b", "text": "منبج"}),
        ]
    )
    batch = runner.invoke(app, ["extract", "--jsonl", "-"], input=lines)
    assert batch.exit_code == 3
    outputs = [json.loads(line) for line in batch.stdout.splitlines() if line.startswith("{")]
    assert [o.get("external_id") for o in outputs if "error" not in o] == ["a", "b"]
    assert any("error" in o and "line 2" in o["error"] for o in outputs)


def test_entities_facts_merge_split(db: Path) -> None:
    listed = json.loads(
        runner.invoke(app, ["entities", "--db", str(db), "--json", "--type", "GPE"]).output
    )
    assert listed["total"] > 3 and all(item["type"] == "GPE" for item in listed["items"])
    a, b = listed["items"][0]["id"], listed["items"][1]["id"]
    assert runner.invoke(app, ["merge", a, "--db", str(db)]).exit_code == 2
    assert runner.invoke(app, ["merge", a, b, "--db", str(db), "--author", "tester"]).exit_code == 0
    merged = json.loads(runner.invoke(app, ["show", b, "--db", str(db), "--json"]).output)
    assert merged["id"] == a and set(merged["members"]) == {a, b}
    assert runner.invoke(app, ["split", a, b, "--db", str(db), "--author", "tester"]).exit_code == 0
    separate = json.loads(runner.invoke(app, ["show", b, "--db", str(db), "--json"]).output)
    assert separate["id"] == b
    facts = runner.invoke(app, ["facts", a, "--db", str(db), "--json"])
    assert facts.exit_code == 0 and isinstance(json.loads(facts.output), list)


def test_show_finds_a_catalogued_actor_by_any_alias(db: Path) -> None:
    # The bundled reports write تنظيم داعش / تنظيم الدولة الإسلامية, never bare داعش or ISIS.
    ids = set()
    for alias in ["داعش", "ISIS", "تنظيم الدولة الإسلامية"]:
        result = runner.invoke(app, ["show", alias, "--db", str(db), "--json"])
        assert result.exit_code == 0, result.output
        ids.add(json.loads(result.output)["id"])
    assert len(ids) == 1
