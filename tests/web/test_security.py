"""The guard: headers, token, host check, upload limits, CSRF, escaping, redirects."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from helpers_web import TOKEN, csrf, make_client

from rasid.errors import WebConfigError
from rasid.web.config import WebConfig, is_loopback

CSP = "default-src 'self'; script-src 'self'"


def test_security_headers_on_every_response(client: TestClient, ids: dict[str, str]) -> None:
    for url in (
        "/",
        f"/documents/{ids['doc1']}",
        "/api/search?q=x",
        "/static/app.css",
        "/nowhere",
        "/api/documents/doc-ffffffff",
        "/openapi.json",
    ):
        response = client.get(url)
        csp = response.headers["content-security-policy"]
        assert csp.startswith(CSP), url
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"


def test_pages_have_no_inline_script_style_or_handlers(
    client: TestClient, ids: dict[str, str]
) -> None:
    for url in (
        "/",
        "/?q=داعش",
        f"/documents/{ids['doc1']}",
        f"/documents/{ids['xss']}",
        "/entities",
        "/entities/ent-isis",
        "/entities/ent-xss",
        "/review",
        "/ingest",
        "/export",
        "/login",
    ):
        html = client.get(url).text
        assert re.findall(r"<script(?![^>]*\bsrc=\"/static/)", html) == [], url
        assert " style=" not in html and "<style" not in html, url
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), url
        assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', ""), url
        assert "https://" not in re.sub(
            r'href="https://example\.org/[a-z]+"|>https://example\.org/[a-z]+<', "", html
        ), url


def test_untrusted_text_is_escaped(client: TestClient, ids: dict[str, str]) -> None:
    html = client.get(f"/documents/{ids['xss']}").text
    assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    # A javascript: source is shown, never linked; bidi overrides are shown, not applied.
    assert 'href="javascript:' not in html
    assert "\u202e" not in html and "⟦U+202E⟧" in html
    entity = client.get("/entities/ent-xss").text
    assert "<img src=x" not in entity and "<b>bold</b>" not in entity and "\u202e" not in entity


def test_lang_toggle(client: TestClient) -> None:
    arabic = client.get("/").text
    assert '<html lang="ar" dir="rtl">' in arabic
    english = client.get("/?lang=en")
    assert '<html lang="en" dir="ltr">' in english.text
    assert client.cookies.get("rasid_lang") == "en"
    assert '<html lang="en" dir="ltr">' in client.get("/entities").text


def test_config_refuses_unsafe_binding(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    with pytest.raises(WebConfigError, match="without a token"):
        WebConfig(db_path=db, host="0.0.0.0").check()
    with pytest.raises(WebConfigError, match="too short"):
        WebConfig(db_path=db, host="0.0.0.0", token="short").check()
    WebConfig(db_path=db, host="0.0.0.0", token=TOKEN).check()
    WebConfig(db_path=db, host="127.0.0.1").check()
    assert is_loopback("::1") and is_loopback("localhost") and not is_loopback("192.168.1.2")


def test_cli_refuses_to_start_beyond_loopback_without_token(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from rasid.cli import app

    result = CliRunner().invoke(
        app,
        ["serve", "--db", str(tmp_path / "kb.db"), "--host", "0.0.0.0"],
        env={"RASID_TOKEN": ""},
    )
    assert result.exit_code == 2
    assert "without a token" in result.output


def test_foreign_host_header_is_refused_without_token(kb: tuple[Path, dict[str, str]]) -> None:
    with make_client(kb[0]) as c:
        assert c.get("/", headers={"Host": "evil.example:8000"}).status_code == 400
        assert c.get("/", headers={"Host": "localhost:8000"}).status_code == 200
        assert c.get("/", headers={"Host": "[::1]:8000"}).status_code == 200


def test_token_is_checked_on_every_request(kb: tuple[Path, dict[str, str]]) -> None:
    with make_client(kb[0], token=TOKEN, host="0.0.0.0") as c:
        assert c.get("/api/search?q=x").status_code == 401
        assert (
            c.get("/api/search?q=x", headers={"Authorization": "Bearer wrong-token"}).status_code
            == 403
        )
        assert (
            c.get("/api/search?q=x", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
        )
        ok = c.get("/api/search?q=x", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200
        page = c.get("/", headers={"Accept": "text/html"})
        assert page.status_code == 401 and 'name="token"' in page.text
        assert page.headers["content-security-policy"].startswith(CSP)
        # With a bearer token a script needs no CSRF token (browsers never add the header).
        body = {"kind": "accept", "target_ids": [kb[1]["st_strength"]], "author": "api"}
        posted = c.post("/api/judgements", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert posted.status_code == 201
        # The static stylesheet and the login form are reachable without it.
        assert c.get("/static/app.css").status_code == 200
        c.get("/login")
        wrong = c.post("/login", data={"token": "nope", **_form_csrf(c)})
        assert wrong.status_code == 403
        assert c.post("/login", data={"token": TOKEN}).status_code == 403  # no CSRF field
        logged = c.post("/login", data={"token": TOKEN, **_form_csrf(c)}, follow_redirects=False)
        assert logged.status_code == 303
        assert c.get("/api/search?q=x").status_code == 200  # the session cookie now
        c.cookies.clear()
        c.cookies.set("rasid_session", "forged")
        assert c.get("/api/search?q=x").status_code == 403


def _form_csrf(c: TestClient) -> dict[str, str]:
    return {"csrf_token": c.cookies.get("rasid_csrf") or ""}


def test_upload_limits(kb: tuple[Path, dict[str, str]]) -> None:
    calls: list[list[str]] = []

    def fake_ingest(inputs: list[str], db: Path, **_: object) -> object:
        calls.append(sorted(p.name for p in Path(inputs[0]).iterdir()))
        raise AssertionError("not reached in this test")

    from rasid.web.app import create_app

    app = create_app(WebConfig(db_path=kb[0], max_upload_bytes=1000), ingest=fake_ingest)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        c.get("/")
        headers = csrf(c)
        big = c.post(
            "/api/ingest", files={"files": ("a.txt", b"x" * 2000, "text/plain")}, headers=headers
        )
        assert big.status_code == 413
        for name, data, kind in (
            ("a.exe", b"MZ", "application/octet-stream"),
            ("a.pdf", b"not a pdf", "application/pdf"),
            ("a.txt", b"\x00\x01binary", "text/plain"),
            ("a.txt", b"text", "image/png"),
        ):
            response = c.post("/api/ingest", files={"files": (name, data, kind)}, headers=headers)
            assert response.status_code == 415, name
        assert c.post("/api/ingest", json={"text": "x"}, headers=headers).status_code == 415
        assert c.post("/api/ingest", data={"text": "  "}, headers=headers).status_code == 422
        assert c.post("/api/ingest", data={"text": "نص"}).status_code == 403
    assert calls == []


def test_review_redirects_stay_on_this_site(client: TestClient, ids: dict[str, str]) -> None:
    for back, expected in (
        ("https://evil.example/", "/review"),
        ("//evil.example", "/review"),
        ("/entities/ent-isis", "/entities/ent-isis"),
    ):
        response = client.post(
            f"/review/statement/{ids['st_controls']}",
            data={"action": "accept", "author": "r", "back": back, **_form_csrf(client)},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert response.headers["location"].split("#")[0] == expected


def test_streamed_body_over_the_limit_is_refused(kb: tuple[Path, dict[str, str]]) -> None:
    from rasid.web.app import create_app

    app = create_app(WebConfig(db_path=kb[0], max_upload_bytes=1000))

    def chunks() -> Iterator[bytes]:
        yield b'--x\r\nContent-Disposition: form-data; name="text"\r\n\r\n'
        for _ in range(10):
            yield b"a" * 500

    with TestClient(app, base_url="http://127.0.0.1") as c:
        c.get("/")
        headers = {**csrf(c), "Content-Type": "multipart/form-data; boundary=x"}
        response = c.post("/api/ingest", content=chunks(), headers=headers)
        assert response.status_code == 413
