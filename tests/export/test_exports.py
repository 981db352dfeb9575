"""Every export format, read back with the tool that owns the format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from followthemoney import model
from typer.testing import CliRunner

from rasid.cli import app
from rasid.export import FORMATS, ExportError, export
from rasid.export.acled import COLUMNS, acled_type
from rasid.kb.store import Store


def _run(db: Path, fmt: str) -> str:
    buffer = io.StringIO()
    with Store(db, readonly=True) as store:
        count = FORMATS[fmt].writer(store, buffer)
    assert count > 0
    return buffer.getvalue()


def test_statements_jsonl_carries_evidence_source_and_review(
    export_kb: tuple[Path, dict[str, str]],
) -> None:
    db, ids = export_kb
    with Store(db) as store:
        store.add_judgement("edit", [ids["st_strength"]], author="r1", payload={"value": "2500"})
        store.add_judgement("reject", [ids["st_controls"]], author="r2")
    lines = [json.loads(line) for line in _run(db, "jsonl").splitlines()]
    assert len(lines) == 6
    by_id = {line["id"]: line for line in lines}
    edited = by_id[ids["st_strength"]]
    assert edited["value"] == "2500" and edited["review"]["machine_value"] == "2000"
    assert edited["review"]["status"] == "edited" and edited["review"]["author"] == "r1"
    assert edited["subject_label"] == "تنظيم داعش"
    assert edited["evidence"]["text"] == "نحو ٢٠٠٠ مقاتل من التنظيم يتمركزون في الرقة"
    assert edited["document"]["source_uri"] == "https://example.org/manbij"
    assert len(edited["document"]["sha256"]) == 64
    assert [a["role"] for a in edited["attribution"]] == ["publisher", "quoted"]
    assert by_id[ids["st_controls"]]["review"]["status"] == "rejected"


def test_acled_csv_layout(export_kb: tuple[Path, dict[str, str]]) -> None:
    rows = list(csv.DictReader(io.StringIO(_run(export_kb[0], "acled-csv"))))
    assert tuple(rows[0]) == COLUMNS
    for column in (
        "event_date",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "admin1",
        "admin2",
        "admin3",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "source",
        "notes",
        "fatalities",
    ):
        assert column in COLUMNS
    battle = next(r for r in rows if "rasid_type:battle" in r["tags"])
    assert battle["event_date"] == "2016-08-12" and battle["time_precision"] == "1"
    assert (battle["event_type"], battle["sub_event_type"]) == ("Battles", "Armed clash")
    assert battle["actor1"] == "قوات سوريا الديمقراطية" and battle["actor2"] == "تنظيم داعش"
    assert battle["location"] == "منبج" and battle["admin1"] == "Aleppo"
    assert (float(battle["latitude"]), float(battle["longitude"])) == (36.5281, 37.9549)
    assert battle["geo_precision"] == "1" and battle["fatalities"] == "12"
    assert battle["source"] == "وكالة المثال" and battle["notes"].startswith("سيطرت")
    strike = next(r for r in rows if "rasid_type:air_strike" in r["tags"])
    # No date of its own: the report's date, with a looser time precision; no toll reported.
    assert strike["event_date"] == "2017-03-20" and strike["time_precision"] == "2"
    assert strike["sub_event_type"] == "Air/drone strike" and strike["fatalities"] == ""
    assert strike["location"] == "الرقة" and strike["admin1"] == "Ar-Raqqa"
    assert strike["country"] == "SY" and strike["geo_precision"] == "2"  # from the geocoder


@pytest.mark.parametrize(
    ("rasid_type", "expected"),
    [
        ("suicide_bombing", ("Explosions/Remote violence", "Suicide bomb")),
        ("shelling", ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
        ("seizure", ("Battles", "Non-state actor overtakes territory")),
        ("withdrawal", ("Strategic developments", "Non-violent transfer of territory")),
        ("kidnapping", ("Violence against civilians", "Abduction/forced disappearance")),
        ("something_new", ("Strategic developments", "Other")),
    ],
)
def test_acled_type_mapping(rasid_type: str, expected: tuple[str, str]) -> None:
    assert acled_type(rasid_type) == expected


def test_ftm_entities_validate(export_kb: tuple[Path, dict[str, str]]) -> None:
    records = [json.loads(line) for line in _run(export_kb[0], "ftm").splitlines()]
    schemas = {}
    for record in records:
        proxy = model.get_proxy(record)
        assert proxy.schema.validate(record) is None
        schemas[record["id"]] = record["schema"]
    assert schemas["ent-amriki"] == "Person" and schemas["ent-isis"] == "Organization"
    assert schemas["ent-raqqa"] == "Address"
    raqqa = next(r for r in records if r["id"] == "ent-raqqa")
    assert raqqa["properties"]["latitude"] == ["35.9528"]
    links = [r for r in records if r["schema"] in ("Membership", "UnknownLink")]
    membership = next(r for r in links if r["schema"] == "Membership")
    assert membership["properties"]["member"] == ["ent-amriki"]
    assert membership["properties"]["organization"] == ["ent-isis"]
    assert any(r["properties"].get("role") == ["controls"] for r in links)


def test_geojson_places(export_kb: tuple[Path, dict[str, str]]) -> None:
    data = json.loads(_run(export_kb[0], "geojson"))
    assert data["type"] == "FeatureCollection"
    by_id = {f["properties"]["id"]: f for f in data["features"]}
    assert set(by_id) == {"ent-manbij", "ent-raqqa"}
    manbij = by_id["ent-manbij"]
    assert manbij["geometry"] == {"type": "Point", "coordinates": [37.9549, 36.5281]}  # lon, lat
    assert manbij["properties"]["documents"] == 1 and manbij["properties"]["admin1"] == "Aleppo"


def test_graphml_reads_back(export_kb: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    out = tmp_path / "net.graphml"
    with Store(export_kb[0], readonly=True) as store:
        export(store, "graphml", out)
    graph = nx.read_graphml(out)
    assert graph.nodes["ent-isis"]["label"] == "تنظيم داعش"
    assert graph.nodes["ent-isis"]["type"] == "ORG"
    kinds = {(s, t, d["kind"]) for s, t, d in graph.edges(data=True)}
    assert ("ent-amriki", "ent-isis", "member_of") in kinds
    assert ("ent-sdf", "ent-manbij", "controls") in kinds
    assert any(kind == "co_mention" for _, _, kind in kinds)
    weights = [d["weight"] for _, _, d in graph.edges(data=True)]
    assert all(isinstance(w, int) and w >= 1 for w in weights)


def test_export_errors(export_kb: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    with Store(export_kb[0], readonly=True) as store:
        with pytest.raises(ExportError, match="unknown export format"):
            export(store, "xlsx", tmp_path / "x")
        with pytest.raises(ExportError, match="cannot write"):
            export(store, "jsonl", tmp_path / "missing" / "x.jsonl")


def test_cli_export(export_kb: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "events.csv"
    result = runner.invoke(
        app, ["export", "--format", "acled-csv", "--db", str(export_kb[0]), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("event_id_cnty,event_date")
    stdout = runner.invoke(app, ["export", "-f", "geojson", "--db", str(export_kb[0])])
    assert stdout.exit_code == 0 and json.loads(stdout.stdout)["type"] == "FeatureCollection"
    bad = runner.invoke(app, ["export", "-f", "xlsx", "--db", str(export_kb[0])])
    assert bad.exit_code == 2 and "unknown format" in bad.output
    missing = runner.invoke(app, ["export", "-f", "jsonl", "--db", str(tmp_path / "no.db")])
    assert missing.exit_code == 2 and "no knowledge base" in missing.output


def test_acled_reads_the_facts_event_shape() -> None:
    from rasid.export.acled import event_row

    entities = {
        "ent-raqqa": {"id": "ent-raqqa", "type": "GPE", "label": "الرقة",
                      "attributes": {"geo": {"lat": 35.95, "lon": 39.01, "admin1": "Ar-Raqqa",
                                             "country": "SY", "precision": 1}}},
    }  # fmt: skip
    places = {"الرقة": entities["ent-raqqa"]}
    event = {
        "id": "ev-1", "doc_id": "doc-1", "type": "seizure", "status": "happened",
        "certainty": "reported", "published": "2014-01-20", "evidence": "سيطر التنظيم على الرقة",
        "arguments": [
            {"role": "actor", "text": "التنظيم", "name": "داعش", "entity": "org:isis"},
            {"role": "target", "text": "الجيش الحر", "name": "الجيش الحر", "entity": "org:fsa"},
        ],
        "date": "2014-01-13", "place": "الرقة", "fatalities": 40,
    }  # fmt: skip
    row = event_row(event, entities, places)
    assert (row["event_type"], row["sub_event_type"]) == (
        "Battles",
        "Non-state actor overtakes territory",
    )
    assert row["actor1"] == "التنظيم" and row["actor2"] == "الجيش الحر"
    assert row["event_date"] == "2014-01-13" and row["time_precision"] == "1"
    assert (
        row["location"] == "الرقة" and row["latitude"] == "35.9500" and row["admin1"] == "Ar-Raqqa"
    )
    assert row["fatalities"] == "40" and "status:happened" in row["tags"]
    # The same, with the store's habit of folding extra keys into a mapping of arguments.
    folded = {**event, "arguments": {"roles": event["arguments"], "date": "2014-01-13",
                                     "place": "الرقة", "fatalities": 40}}  # fmt: skip
    del folded["date"], folded["place"], folded["fatalities"]
    assert event_row(folded, entities, places) == row
