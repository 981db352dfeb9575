"""URLs, fetched from a real HTTP server started on 127.0.0.1 for the test."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from ingest_pdf_helpers import make_pdf

from rasid.errors import FetchError
from rasid.ingest.base import ReadStats
from rasid.ingest.web import fetch
from rasid.model import Document

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "ingest"
PLAIN = "أعلن الجيش العراقي استعادة السيطرة على قرى جنوب الموصل بعد معارك عنيفة.\n"


def _routes() -> dict[str, tuple[int, str, bytes]]:
    return {
        "/article": (200, "text/html; charset=utf-8", (FIXTURES / "page.html").read_bytes()),
        "/feed": (200, "application/rss+xml", (FIXTURES / "feed.rss").read_bytes()),
        "/plain": (200, "text/plain; charset=windows-1256", PLAIN.encode("cp1256")),
        "/report": (200, "application/pdf", make_pdf([["Fetched PDF text layer."]])),
        "/records": (
            200,
            "application/octet-stream",
            '{"id": "w1", "text": "سجل من الشبكة"}\n'.encode(),
        ),
        "/big": (200, "text/plain", b"x" * 5000),
        "/broken": (500, "text/plain", b"oops"),
    }


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, str, bytes]]] = {}
    agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, content_type, body = self.routes.get(self.path, (404, "text/plain", b"not here"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output quiet


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    _Handler.routes = _routes()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)


def test_html_page_by_url(server: str, read_all) -> None:
    docs, failures = read_all([f"{server}/article"])
    assert failures == []
    (doc,) = docs
    assert doc.source_uri == f"{server}/article"
    assert doc.reader == "ingest.html.v1"
    assert doc.sha256 == hashlib.sha256((FIXTURES / "page.html").read_bytes()).hexdigest()
    assert "SECRET_SCRIPT" not in doc.text
    assert _Handler.agents[-1] == "rasid/0.1"


def test_redirect_is_followed_and_recorded(server: str, read_all) -> None:
    (doc,), _ = read_all([f"{server}/moved"])
    assert doc.source_uri == f"{server}/article"
    assert doc.meta["fetched_from"] == f"{server}/moved"


def test_feed_by_url_skips_seen_items(server: str, read_all) -> None:
    stats = ReadStats()
    docs, _ = read_all(
        [f"{server}/feed"], seen_urls=lambda url: url.endswith("/news/1"), stats=stats
    )
    assert [d.source_uri for d in docs] == [
        "https://example.org/news/2",
        "https://example.org/news/0",
    ]
    assert stats.skipped_seen == 1


def test_text_with_declared_charset(server: str, read_all) -> None:
    (doc,), _ = read_all([f"{server}/plain"])
    assert doc.text == PLAIN
    assert doc.meta["encoding"] == "cp1256"
    assert doc.meta["encoding_detected_by"] == "declared"


def test_pdf_by_url(server: str, read_all) -> None:
    (doc,), _ = read_all([f"{server}/report"])
    assert isinstance(doc, Document)
    assert doc.text == "Fetched PDF text layer."


def test_unknown_content_type_is_sniffed(server: str, read_all) -> None:
    (doc,), _ = read_all([f"{server}/records"])
    assert doc.source_uri == f"{server}/records#id=w1"
    assert doc.reader == "ingest.jsonl.v1"


def test_http_errors_are_failures(server: str, read_all) -> None:
    docs, failures = read_all([f"{server}/nothing", f"{server}/broken", f"{server}/article"])
    assert len(docs) == 1
    assert [(f.code, f.reason) for f in failures] == [
        ("fetch", f"HTTP 404 Not Found for {server}/nothing"),
        ("fetch", f"HTTP 500 Internal Server Error for {server}/broken"),
    ]


def test_size_cap(server: str) -> None:
    with pytest.raises(FetchError, match="larger than"):
        fetch(f"{server}/big", max_bytes=1000)
    assert fetch(f"{server}/big", max_bytes=5000).data == b"x" * 5000


def test_connection_refused_is_a_failure(read_all) -> None:
    # A port that was just free: nothing listens there.
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _, failures = read_all([f"http://127.0.0.1:{port}/x"])
    assert failures[0].code == "fetch"
    assert failures[0].reason.startswith(f"could not fetch http://127.0.0.1:{port}/x")
