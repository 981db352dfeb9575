"""``rasid serve`` as a process: starts on loopback, answers, refuses unsafe starts."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

RASID = str(Path(sys.executable).with_name("rasid"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _serving(db: Path, log: Path, *options: str) -> Iterator[tuple[int, httpx.Response]]:
    """``rasid serve`` on a free loopback port, once it answers: (port, its /api/stats)."""
    port = _free_port()
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [RASID, "serve", "--db", str(db), "--port", str(port), *options],
            env={**os.environ, "RASID_TOKEN": ""},
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(log.read_text()) from None
                time.sleep(0.1)
        yield port, response
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_answers_on_loopback(kb: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    with _serving(kb[0], tmp_path / "serve.log") as (port, response):
        assert response.status_code == 200 and response.json()["documents"] == 3
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert "content-security-policy" in page.headers and "server" not in page.headers


def test_serve_refuses_a_network_address_without_token(tmp_path: Path) -> None:
    result = subprocess.run(
        [RASID, "serve", "--db", str(tmp_path / "kb.db"), "--host", "0.0.0.0"],
        env={**os.environ, "RASID_TOKEN": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "without a token" in result.stderr


def test_serve_with_several_processes(kb: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with _serving(kb[0], log, "--workers", "2") as (port, response):
        assert response.json()["documents"] == 3
        # Fresh connections, spread by the kernel over the processes.
        for _ in range(8):
            page = httpx.get(f"http://127.0.0.1:{port}/?q=%D9%85%D9%86%D8%A8%D8%AC", timeout=10)
            assert page.status_code == 200
        assert "2 processes" in log.read_text()
