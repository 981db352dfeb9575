"""The JSON API: every endpoint, with good and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from helpers_web import csrf


def test_openapi_describes_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    for path in (
        "/api/search",
        "/api/documents",
        "/api/documents/{doc_id}",
        "/api/entities",
        "/api/entities/{entity_id}",
        "/api/statements",
        "/api/statements/{statement_id}",
        "/api/judgements",
        "/api/ingest",
        "/api/ingest/{job_id}",
        "/api/export/{fmt}",
        "/api/stats",
    ):
        assert path in paths, path
    assert not any(p.startswith(("/documents", "/review", "/login")) for p in paths)
    # No CDN-backed documentation pages.
    assert client.get("/docs").status_code == 404


def test_search_ranks_highlights_and_pages(client: TestClient, ids: dict[str, str]) -> None:
    body = client.get("/api/search", params={"q": "الرقة", "limit": 1}).json()
    assert body["total"] == 2
    assert len(body["items"]) == 1 and body["next_offset"] == 1
    hit = body["items"][0]
    start, end = hit["highlights"][0]
    text = client.get(f"/api/documents/{hit['doc_id']}").json()["document"]["text"]
    assert text[start:end] == "الرقة"
    second = client.get("/api/search", params={"q": "الرقة", "limit": 1, "offset": 1}).json()
    assert second["items"][0]["doc_id"] != hit["doc_id"]
    assert second["next_offset"] is None and second["previous_offset"] == 0
    labels = {e["id"] for e in body["entities"]["items"]}
    assert "ent-raqqa" in labels


def test_search_filters(client: TestClient, ids: dict[str, str]) -> None:
    def found(**params: str) -> set[str]:
        body = client.get("/api/search", params={"q": "داعش", **params}).json()
        return {item["doc_id"] for item in body["items"]}

    assert found() == {ids["doc1"], ids["doc2"]}
    assert found(certainty="estimated") == {ids["doc2"]}
    assert found(entity_type="PERSON") == {ids["doc1"]}
    assert found(date_from="2017") == {ids["doc2"]}
    assert found(date_to="2016-12-31") == {ids["doc1"]}
    assert found(source="raqqa") == {ids["doc2"]}
    # Without words: documents matching the filters, newest first.
    body = client.get("/api/search", params={"entity_type": "PERSON"}).json()
    assert [i["doc_id"] for i in body["items"]] == [ids["xss"], ids["doc1"]]


def test_search_rejects_malformed_parameters(client: TestClient) -> None:
    for params in (
        {"q": "x", "date_from": "yesterday"},
        {"q": "x", "certainty": "sure"},
        {"q": "x", "entity_type": "person; drop"},
        {"q": "x", "limit": "0"},
        {"q": "x", "limit": "201"},
        {"q": "x", "offset": "-1"},
        {"q": "x", "limit": "ten"},
    ):
        response = client.get("/api/search", params=params)
        assert response.status_code == 422, params
        assert "detail" in response.json()


def test_documents(client: TestClient, ids: dict[str, str]) -> None:
    listing = client.get("/api/documents", params={"limit": 2}).json()
    assert listing["total"] == 3 and len(listing["items"]) == 2
    doc = client.get(f"/api/documents/{ids['doc1']}").json()
    assert (
        doc["document"]["sha256"] and doc["document"]["source_uri"] == "https://example.org/manbij"
    )
    first = doc["sentences"][0]
    assert first["text"] == doc["document"]["text"][first["start"] : first["end"]]
    assert {s["property"] for s in doc["sentences"][1]["statements"]} >= {"strength"}
    assert all(m["id"] for m in doc["mentions"])
    # A unique prefix of the id works; an unknown id is 404.
    assert client.get(f"/api/documents/{ids['doc1'][:12]}").status_code == 200
    missing = client.get("/api/documents/doc-ffffffffffffffffffff")
    assert missing.status_code == 404 and "no document" in missing.json()["detail"]


def test_entities(client: TestClient) -> None:
    listing = client.get("/api/entities", params={"type": "GPE"}).json()
    assert {e["id"] for e in listing["items"]} == {"ent-manbij", "ent-raqqa"}
    # Spelled without hamzas, as mentions are matched after normalisation.
    by_norm = client.get("/api/entities", params={"q": "ابو محمد الامريكي"}).json()
    assert [e["id"] for e in by_norm["items"]] == ["ent-amriki"]
    search = client.get("/api/search", params={"q": "ابو محمد الامريكي"}).json()
    assert [e["id"] for e in search["entities"]["items"]] == ["ent-amriki"]
    by_alias = client.get("/api/entities", params={"q": "قسد"}).json()
    assert [e["id"] for e in by_alias["items"]] == ["ent-sdf"]
    entity = client.get("/api/entities/ent-isis").json()
    assert entity["entity"]["label_latin"] == "ISIS"
    assert [f["best"] for f in entity["figures"]] == [2000.0, 3000.0]
    assert {n["id"] for n in entity["network"]} >= {"ent-amriki", "ent-raqqa", "ent-sdf"}
    assert {p["id"] for p in entity["places"]} == {"ent-raqqa", "ent-manbij"}
    assert entity["source_count"] == 2
    assert client.get("/api/entities/ent-nope").status_code == 404
    assert client.get("/api/entities", params={"type": "gpe"}).status_code == 422


def test_statements(client: TestClient, ids: dict[str, str]) -> None:
    listing = client.get("/api/statements", params={"subject": "ent-isis"}).json()
    assert listing["total"] == 3
    assert all(item["state"]["status"] == "machine" for item in listing["items"])
    one = client.get(f"/api/statements/{ids['st_strength']}").json()
    assert one["evidence"] == "نحو ٢٠٠٠ مقاتل من التنظيم يتمركزون في الرقة"
    assert one["attribution"][1]["role"] == "quoted"
    assert client.get("/api/statements/st-unknown").status_code == 404
    assert client.get("/api/statements", params={"certainty": "nope"}).status_code == 422


def test_judgements_are_recorded_and_change_the_state(
    client: TestClient, ids: dict[str, str]
) -> None:
    st = ids["st_strength"]
    body = {
        "kind": "edit",
        "target_ids": [st],
        "author": "analyst-1",
        "payload": {"value": "2500", "note": "the second source says 2,500"},
    }
    created = client.post("/api/judgements", json=body, headers=csrf(client))
    assert created.status_code == 201, created.text
    state = client.get(f"/api/statements/{st}").json()["state"]
    assert state["status"] == "edited" and state["value"] == "2500"
    client.post(
        "/api/judgements",
        json={"kind": "reject", "target_ids": [st], "author": "a2"},
        headers=csrf(client),
    )
    statement = client.get(f"/api/statements/{st}").json()
    assert statement["state"]["status"] == "rejected"
    assert [j["kind"] for j in statement["judgements"]] == ["edit", "reject"]
    # The machine's statement is untouched.
    assert statement["value"] == "2000" and statement["review_status"] == "machine"
    listing = client.get("/api/judgements", params={"target": st}).json()
    assert listing["total"] == 2 and listing["items"][0]["author"] == "a2"


def test_entity_judgements(client: TestClient) -> None:
    merge = {
        "kind": "merge",
        "target_ids": ["ent-isis", "ent-sdf"],
        "author": "x",
        "payload": {"into": "ent-isis"},
    }
    assert client.post("/api/judgements", json=merge, headers=csrf(client)).status_code == 201
    mentions = client.get("/api/entities/ent-isis").json()["mentions"]
    split = {
        "kind": "split",
        "target_ids": ["ent-isis"],
        "author": "x",
        "payload": {"mention_ids": [mentions[0]["id"]]},
    }
    assert client.post("/api/judgements", json=split, headers=csrf(client)).status_code == 201
    kinds = [j["kind"] for j in client.get("/api/entities/ent-isis").json()["judgements"]]
    assert kinds == ["merge", "split"]
    wrong = {**split, "payload": {"mention_ids": ["m-not-this-entity"]}}
    assert client.post("/api/judgements", json=wrong, headers=csrf(client)).status_code == 422


def test_bad_judgements(client: TestClient, ids: dict[str, str]) -> None:
    headers = {**csrf(client), "Content-Type": "application/json"}
    st = ids["st_strength"]
    cases = [
        (b"{not json", 422),
        (json.dumps({"kind": "approve", "target_ids": [st], "author": "a"}).encode(), 422),
        (json.dumps({"kind": "accept", "target_ids": [], "author": "a"}).encode(), 422),
        (json.dumps({"kind": "accept", "target_ids": [st]}).encode(), 422),
        (json.dumps({"kind": "accept", "target_ids": [st], "author": "a", "x": 1}).encode(), 422),
        (json.dumps({"kind": "accept", "target_ids": ["st-nope"], "author": "a"}).encode(), 404),
        (json.dumps({"kind": "edit", "target_ids": [st], "author": "a"}).encode(), 422),
        (
            json.dumps(
                {
                    "kind": "edit",
                    "target_ids": [st],
                    "author": "a",
                    "payload": {"certainty": "sure"},
                }
            ).encode(),
            422,
        ),
        (json.dumps({"kind": "merge", "target_ids": ["ent-isis"], "author": "a"}).encode(), 422),
        (json.dumps({"kind": "accept", "target_ids": [st], "author": "a\u202eb"}).encode(), 422),
    ]
    for content, status in cases:
        response = client.post("/api/judgements", content=content, headers=headers)
        assert response.status_code == status, (content, response.text)
    assert client.get("/api/judgements").json()["total"] == 0


def test_state_changes_need_the_csrf_token(client: TestClient, ids: dict[str, str]) -> None:
    body = {"kind": "accept", "target_ids": [ids["st_strength"]], "author": "a"}
    assert client.post("/api/judgements", json=body).status_code == 403
    wrong = client.post("/api/judgements", json=body, headers={"X-CSRF-Token": "x" * 43})
    assert wrong.status_code == 403 and "CSRF" in wrong.json()["detail"]
    form = client.post(
        f"/review/statement/{ids['st_strength']}",
        data={"action": "accept", "author": "a", "csrf_token": "wrong"},
    )
    assert form.status_code == 403
    assert client.get("/api/judgements").json()["total"] == 0


def test_exports_download(client: TestClient) -> None:
    for fmt, media in (
        ("jsonl", "application/x-ndjson"),
        ("acled-csv", "text/csv"),
        ("ftm", "application/x-ndjson"),
        ("geojson", "application/geo+json"),
        ("graphml", "application/graphml+xml"),
    ):
        response = client.get(f"/api/export/{fmt}")
        assert response.status_code == 200, fmt
        assert response.headers["content-type"].startswith(media)
        assert "attachment" in response.headers["content-disposition"]
        assert response.content
    assert client.get("/api/export/xlsx").status_code == 404


def test_stats(client: TestClient) -> None:
    stats = client.get("/api/stats").json()
    assert stats["documents"] == 3 and stats["entities"] == 6


def test_unknown_ingest_job(client: TestClient) -> None:
    assert client.get("/api/ingest/0123").status_code == 404


def test_database_path_errors(tmp_path: Path) -> None:
    from rasid.errors import StoreError, WebConfigError
    from rasid.web.app import create_app
    from rasid.web.config import WebConfig

    bad = tmp_path / "not-a-db.db"
    bad.write_text("hello")
    try:
        create_app(WebConfig(db_path=bad))
    except StoreError as exc:
        assert "not a SQLite database" in str(exc)
    else:
        raise AssertionError("a text file was accepted as a database")
    try:
        create_app(WebConfig(db_path=tmp_path / "missing" / "kb.db"))
    except WebConfigError as exc:
        assert "does not exist" in str(exc)
    else:
        raise AssertionError("a missing folder was accepted")


def test_empty_form_fields_mean_any(client: TestClient, ids: dict[str, str]) -> None:
    params = {
        "q": "داعش",
        "entity_type": "",
        "source": "",
        "date_from": "",
        "date_to": "",
        "certainty": "",
    }
    body = client.get("/api/search", params=params).json()
    assert {i["doc_id"] for i in body["items"]} == {ids["doc1"], ids["doc2"]}
    assert client.get("/", params=params).status_code == 200
    assert client.get("/entities", params={"q": "", "type": ""}).status_code == 200
