"""Helpers the workbench tests share (a module of its own: conftest names collide)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from rasid.web.app import create_app
from rasid.web.config import WebConfig

TOKEN = "test-token-0123456789abcdef"


def make_client(db: Path, **config: object) -> TestClient:
    app = create_app(WebConfig(db_path=db, extra_hosts=("testserver",), **config))  # type: ignore[arg-type]
    return TestClient(app, base_url="http://127.0.0.1")


def csrf(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": client.cookies.get("rasid_csrf") or ""}
