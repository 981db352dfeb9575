"""The server's connections: a read-only store per request in flight."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from helpers_web import make_client

from rasid.errors import WebConfigError
from rasid.kb.store import Store
from rasid.web.config import WebConfig
from rasid.web.db import Stores


def test_requests_in_flight_never_share_a_store(kb: tuple[Path, dict[str, str]]) -> None:
    stores = Stores(kb[0])
    try:
        with stores.reader() as first, stores.reader() as second:
            assert first is not second
            assert first.connection.execute("SELECT COUNT(*) FROM documents").fetchone()[0] > 0
        # Returned stores are lent again, the last returned first (its cache is warm).
        with stores.reader() as again:
            assert again is first
    finally:
        stores.close()


def test_a_store_is_returned_when_the_request_fails(kb: tuple[Path, dict[str, str]]) -> None:
    stores = Stores(kb[0])
    try:
        try:
            with stores.reader() as lent:
                raise RuntimeError("the page failed")
        except RuntimeError:
            pass
        with stores.reader() as again:
            assert again is lent
    finally:
        stores.close()


def test_no_more_requests_are_worked_on_at_once_than_threads(
    kb: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasid.web import views

    active, most = 0, 0
    lock = threading.Lock()
    real = views.document_view

    def slow_view(store: Store, doc_id: str) -> dict[str, Any]:
        nonlocal active, most
        with lock:
            active += 1
            most = max(most, active)
        time.sleep(0.15)
        with lock:
            active -= 1
        return real(store, doc_id)

    monkeypatch.setattr(views, "document_view", slow_view)
    doc_id = kb[1]["doc1"]
    with make_client(kb[0], threads=2, cache=False) as client:
        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = list(
                pool.map(lambda _: client.get(f"/documents/{doc_id}").status_code, range(6))
            )
    assert statuses == [200] * 6
    assert most == 2  # requests waited their turn, and two did run side by side


def test_the_thread_count_is_checked(tmp_path: Path) -> None:
    with pytest.raises(WebConfigError, match="at least 1 thread"):
        WebConfig(db_path=tmp_path / "kb.db", threads=0).check()
