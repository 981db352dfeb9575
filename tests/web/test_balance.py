"""Server processes kept level: the shared load board and the connection balancer."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from rasid.web import balance
from rasid.web.balance import ConnectionBalancer, LoadBoard
from rasid.web.security import Message, Receive, Scope, Send


@pytest.fixture(autouse=True)
def _look_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(balance, "_RESCAN_SECONDS", 0.0)


@pytest.fixture
def other_process() -> Iterator[subprocess.Popen[bytes]]:
    """A live process other than this one, for the board's other slot."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process
    process.kill()
    process.wait()


def test_each_process_sees_the_least_busy_other(
    tmp_path: Path, other_process: subprocess.Popen[bytes]
) -> None:
    mine, theirs = LoadBoard(tmp_path), LoadBoard(tmp_path, pid=other_process.pid)
    assert mine.least_other() is None  # alone on the board
    theirs.publish(7)
    mine.publish(2)
    assert mine.least_other() == 7
    theirs.publish(1)
    assert mine.least_other() == 1  # read through the shared file, no new look needed
    theirs.close()
    assert not (tmp_path / f"{other_process.pid}.load").exists()
    assert mine.least_other() is None
    mine.close()
    assert list(tmp_path.iterdir()) == []


def test_a_dead_process_is_left_out_and_its_file_removed(tmp_path: Path) -> None:
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                           capture_output=True, text=True)  # fmt: skip
    dead = int(ended.stdout)
    LoadBoard(tmp_path, pid=dead).publish(0)  # it died before leaving the board
    mine = LoadBoard(tmp_path)
    assert mine.least_other() is None
    assert not (tmp_path / f"{dead}.load").exists()
    mine.close()


async def _answer_all(balancer: ConnectionBalancer, requests: int) -> list[bool]:
    """Send ``requests`` at once (each held until all have started); which were told to close."""
    started = 0
    all_started = asyncio.Event()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal started
        started += 1
        if started == requests:
            all_started.set()
        await all_started.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    balancer.app = app
    closing: list[bool] = []

    async def one() -> None:
        async def receive() -> Message:
            return {"type": "http.request", "body": b""}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                closing.append((b"connection", b"close") in message["headers"])

        await balancer({"type": "http"}, receive, send)

    await asyncio.gather(*(one() for _ in range(requests)))
    return closing


def test_a_busier_process_asks_clients_to_reconnect(
    tmp_path: Path, other_process: subprocess.Popen[bytes]
) -> None:
    board = LoadBoard(tmp_path)
    LoadBoard(tmp_path, pid=other_process.pid).publish(3)

    async def never_called(scope: Scope, receive: Receive, send: Send) -> None:
        raise AssertionError

    balancer = ConnectionBalancer(never_called, board, margin=2)
    # Five in progress against the other's three: within the margin.
    assert asyncio.run(_answer_all(balancer, 5)) == [False] * 5
    assert balancer.in_progress == 0
    # Eight: the first answers leave while the count is over 3 + 2.
    closing = asyncio.run(_answer_all(balancer, 8))
    assert closing == [True, True, True, False, False, False, False, False]
    board.close()


def test_alone_no_connection_is_closed(tmp_path: Path) -> None:
    async def never_called(scope: Scope, receive: Receive, send: Send) -> None:
        raise AssertionError

    balancer = ConnectionBalancer(never_called, LoadBoard(tmp_path))
    assert asyncio.run(_answer_all(balancer, 20)) == [False] * 20
