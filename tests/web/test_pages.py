"""The HTML pages, rendered on the server: what each shows."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_search_page_highlights_and_lists_entities(client: TestClient, ids: dict[str, str]) -> None:
    html = client.get("/", params={"q": "منبج"}).text
    assert f'href="/documents/{ids["doc1"]}"' in html
    assert '<mark class="hit">منبج</mark>' in html
    assert 'href="/entities/ent-manbij"' in html and "Manbij" in html
    empty = client.get("/", params={"q": "كلمةغيرموجودة"}).text
    assert "لا نتائج" in empty


def test_search_page_reports_bad_filters(client: TestClient) -> None:
    response = client.get("/", params={"q": "x", "date_from": "last week"})
    assert response.status_code == 422 and "date_from" in response.text


def test_document_page(client: TestClient, ids: dict[str, str]) -> None:
    html = client.get(f"/documents/{ids['doc1']}").text
    assert "https://example.org/manbij" in html and 'rel="noopener noreferrer nofollow"' in html
    assert re.search(r"[0-9a-f]{64}", html)  # the hash
    assert '<a class="m m-org" href="/entities/ent-sdf"' in html
    assert '<mark class="m m-date"' in html
    # The facts sit in the row of the sentence they come from.
    row = html[html.index('id="s-1"') :]
    assert "strength" in row[: row.index("</div>\n      </div>")] or "strength" in row
    assert "منقول" in html  # certainty "reported"
    assert client.get("/documents/doc-ffffffffffff").status_code == 404


def test_entity_page(client: TestClient) -> None:
    html = client.get("/entities/ent-isis").text
    assert "ISIS" in html
    assert '<svg class="chart"' in html and "<polyline" in html
    assert '<svg class="map"' in html and 'href="/entities/ent-raqqa"' in html
    assert '<svg class="network"' in html and 'href="/entities/ent-amriki"' in html
    assert "https://example.org" not in html or "example.org/raqqa" not in html
    assert html.count('href="/documents/') >= 2
    person = client.get("/entities/ent-amriki").text
    assert "Abu" in person  # romanised by rasid.names where no Latin label is stored
    assert client.get("/entities/ent-unknown").status_code == 404


def test_review_from_the_page_is_kept(client: TestClient, ids: dict[str, str]) -> None:
    st = ids["st_strength"]
    page = client.get(f"/documents/{ids['doc1']}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    response = client.post(
        f"/review/statement/{st}",
        data={
            "action": "edit",
            "author": "محلل",
            "value": "2500",
            "certainty": "estimated",
            "note": "مصدر ثان",
            "back": f"/documents/{ids['doc1']}",
            "csrf_token": token[1],
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/documents/{ids['doc1']}#st-{st}"
    again = client.get(f"/documents/{ids['doc1']}").text
    card = again[again.index(f'id="st-{st}"') :]
    assert "status-edited" in again and "2500" in card and "محلل" in card
    assert client.cookies.get("rasid_reviewer")
    review = client.get("/review").text
    assert st in review and "محلل" in review


def test_entity_merge_and_split_forms(client: TestClient) -> None:
    token = client.cookies.get("rasid_csrf")
    merged = client.post(
        "/review/entity/ent-isis",
        data={"action": "merge", "other_id": "ent-sdf", "author": "r", "csrf_token": token},
    )
    assert merged.status_code == 200  # followed the redirect back to the entity page
    assert "j-merge" in merged.text
    page = client.get("/entities/ent-isis").text
    mention = re.search(r'name="mention_ids" value="([^"]+)"', page)
    assert mention is not None
    split = client.post(
        "/review/entity/ent-isis",
        data={"action": "split", "mention_ids": [mention[1]], "author": "r", "csrf_token": token},
    )
    assert split.status_code == 200 and "j-split" in split.text
    unknown = client.post(
        "/review/entity/ent-isis",
        data={"action": "merge", "other_id": "ent-nope", "author": "r", "csrf_token": token},
    )
    assert unknown.status_code == 404


def test_other_pages(client: TestClient) -> None:
    assert "ent-raqqa" in client.get("/entities", params={"type": "GPE"}).text
    assert 'enctype="multipart/form-data"' in client.get("/ingest").text
    exports = client.get("/export").text
    for fmt in ("jsonl", "acled-csv", "ftm", "geojson", "graphml"):
        assert f'href="/api/export/{fmt}"' in exports
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/../app.py").status_code == 404


def test_search_page_pages_without_counting(client: TestClient) -> None:
    first = client.get("/", params={"q": "داعش", "limit": 1}).text
    assert "(1+ " in first and "offset=1" in first  # a next page, total not counted
    last = client.get("/", params={"q": "داعش", "limit": 1, "offset": 1}).text
    assert "(2 " in last and 'rel="next"' not in last and 'rel="prev"' in last


def test_cached_pages_carry_each_browsers_own_token_and_name(
    client: TestClient, ids: dict[str, str]
) -> None:
    from urllib.parse import quote

    from fastapi.testclient import TestClient as Client

    url = f"/documents/{ids['doc1']}"
    first = client.get(url).text
    other = Client(client.app, base_url="http://127.0.0.1")
    other.cookies.set("rasid_reviewer", quote('<script>alert("r")</script>'))
    second = other.get(url).text
    mine, theirs = client.cookies.get("rasid_csrf"), other.cookies.get("rasid_csrf")
    assert mine and theirs and mine != theirs
    assert f'value="{mine}"' in first and theirs not in first
    assert f'value="{theirs}"' in second and mine not in second
    assert "&lt;script&gt;alert(&#34;r&#34;)&lt;/script&gt;" in second
    assert "<script>alert" not in second
    assert not re.search(r"(csrf|reviewer)-[0-9a-f]{32}", first + second)
    other.close()
