"""The server's connections: a read-only store per request in flight."""

from __future__ import annotations

from pathlib import Path

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
