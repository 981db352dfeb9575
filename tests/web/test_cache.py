"""The result cache: shared results, dropped by any write, computed once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from helpers_web import make_client

from rasid.kb.store import Store
from rasid.web.cache import ResultCache


def test_a_write_makes_entries_stale(kb: tuple[Path, dict[str, str]]) -> None:
    db, ids = kb
    cache = ResultCache(db)
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.get("k", compute) == 1
    assert cache.get("k", compute) == 1 and cache.hits == 1
    with Store(db) as store:
        store.add_judgement("accept", [ids["st_strength"]], author="a")
    assert cache.get("k", compute) == 2
    with Store(db) as store:
        store.optimize()  # a checkpoint: the main file changes, the log restarts
        store.add_judgement("reject", [ids["st_strength"]], author="a")
    assert cache.get("k", compute) == 3


def test_concurrent_misses_compute_once(kb: tuple[Path, dict[str, str]]) -> None:
    cache = ResultCache(kb[0])
    calls = []

    def slow() -> str:
        calls.append(1)
        time.sleep(0.2)
        return "value"

    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get("q", slow))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["value"] * 8 and len(calls) == 1


def test_errors_are_not_cached(kb: tuple[Path, dict[str, str]]) -> None:
    cache = ResultCache(kb[0])
    outcomes = iter([KeyError("first"), "second"])

    def flaky() -> str:
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    try:
        cache.get("x", flaky)
    except KeyError:
        pass
    assert cache.get("x", flaky) == "second"


def test_a_cache_turned_off_keeps_nothing(kb: tuple[Path, dict[str, str]]) -> None:
    cache = ResultCache(kb[0], enabled=False)
    calls = []
    assert cache.get("k", lambda: calls.append(1) or len(calls)) == 1
    assert cache.get("k", lambda: calls.append(1) or len(calls), heavy=True) == 2
    assert cache.hits == 0 and cache.misses == 2


def test_the_server_without_cache_queries_every_time(kb: tuple[Path, dict[str, str]]) -> None:
    with make_client(kb[0], cache=False) as client:
        first = client.get("/", params={"q": "الرقة"})
        second = client.get("/", params={"q": "الرقة"})
        bench = client.app.state.workbench  # type: ignore[attr-defined]
    assert first.status_code == second.status_code == 200
    assert bench.pages.hits == 0 and bench.pages.misses == 2
    assert bench.cache.hits == 0
