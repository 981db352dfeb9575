"""Ingest from the web: uploads saved safely, a job id, a status to poll."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from helpers_web import csrf

from rasid.web.app import create_app
from rasid.web.config import WebConfig
from rasid.web.jobs import safe_filename


@dataclass
class FakeReport:
    taken_in: int
    failed: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"taken_in": self.taken_in, "failed": self.failed}


def test_safe_filename() -> None:
    taken: set[str] = set()
    assert safe_filename("../../etc/passwd", taken) == "passwd"
    assert safe_filename("C:\\Users\\x\\تقرير الرقة.txt", taken) == "تقرير_الرقة.txt"
    assert safe_filename("D:/y/تقرير الرقة.txt", taken) == "تقرير_الرقة-2.txt"
    assert safe_filename("...", taken) == "upload"
    assert safe_filename(".hidden", taken) == "hidden"


def test_ingest_job_runs_and_reports(kb: tuple[Path, dict[str, str]]) -> None:
    seen: dict[str, Any] = {}

    def fake_ingest(
        inputs: list[str], db: Path, *, on_progress: Any = None, **_: Any
    ) -> FakeReport:
        folder = Path(inputs[0])
        seen["files"] = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
        seen["db"] = db
        for count, name in enumerate(seen["files"], start=1):
            on_progress(name, count)
        return FakeReport(len(seen["files"]))

    app = create_app(WebConfig(db_path=kb[0]), ingest=fake_ingest)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        c.get("/")
        response = c.post(
            "/api/ingest",
            data={"text": "نص ملصوق"},
            files=[
                ("files", ("../report.html", b"<html><body>x</body></html>", "text/html")),
                ("files", ("feed.jsonl", b'{"text": "y"}\n', "application/octet-stream")),
            ],
            headers=csrf(c),
        )
        assert response.status_code == 202, response.text
        job_id = response.json()["job_id"]
        assert response.json()["status_url"] == f"/api/ingest/{job_id}"
        job = app.state.workbench.jobs.wait(job_id, timeout=10)
        assert job is not None and job.state == "done", job
        status = c.get(f"/api/ingest/{job_id}").json()
        assert status["state"] == "done" and status["taken_in"] == 3
        assert status["inputs"] == ["pasted text", "../report.html", "feed.jsonl"]
        page = c.get(f"/ingest/{job_id}")
        assert page.status_code == 200 and "done" in page.text
    assert seen["db"] == kb[0]
    assert set(seen["files"]) == {"pasted.txt", "report.html", "feed.jsonl"}
    assert seen["files"]["pasted.txt"].decode() == "نص ملصوق"


def test_failed_job_says_why(kb: tuple[Path, dict[str, str]]) -> None:
    from rasid.errors import StoreError

    def broken(inputs: list[str], db: Path, **_: Any) -> FakeReport:
        raise StoreError("the disk is full")

    app = create_app(WebConfig(db_path=kb[0]), ingest=broken)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        c.get("/")
        form = c.post(
            "/ingest",
            data={"text": "x", "csrf_token": c.cookies.get("rasid_csrf")},
            follow_redirects=False,
        )
        assert form.status_code == 303
        job_id = form.headers["location"].rsplit("/", 1)[1]
        app.state.workbench.jobs.wait(job_id, timeout=10)
        status = c.get(f"/api/ingest/{job_id}").json()
        assert status["state"] == "failed" and "disk is full" in status["error"]


def test_a_job_is_known_to_every_process_of_the_server(
    kb: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    from rasid.web.jobs import JobQueue

    release = threading.Event()

    def slow_ingest(inputs: list[str], db: Path, *, on_progress: Any) -> FakeReport:
        on_progress("first.txt", 1)
        release.wait(10)
        return FakeReport(1)

    shared = tmp_path / "jobs"
    shared.mkdir()
    # Two processes' queues, as ``rasid serve --workers 2`` gives them.
    running_here = JobQueue(kb[0], slow_ingest, state_dir=shared)
    elsewhere = JobQueue(kb[0], slow_ingest, state_dir=shared)
    alone = JobQueue(kb[0], slow_ingest)
    try:
        folder = running_here.new_folder()
        job = running_here.submit(folder, ["first.txt"])
        deadline = time.monotonic() + 10
        while (seen := elsewhere.get(job.id)) is None or seen.current != "first.txt":
            assert time.monotonic() < deadline, seen
            time.sleep(0.02)
        assert seen.inputs == ["first.txt"] and seen.state == "running"
        release.set()
        running_here.wait(job.id)
        finished = elsewhere.get(job.id)
        assert finished is not None and finished.to_dict() == running_here.get(job.id).to_dict()  # type: ignore[union-attr]
        assert finished.state == "done" and finished.taken_in == 1
        assert alone.get(job.id) is None  # a one-process server keeps its jobs to itself
        assert elsewhere.get("../../etc/passwd") is None and elsewhere.get("0" * 32) is None
        assert not folder.exists() and not list(shared.glob("*.tmp"))
    finally:
        release.set()
        for queue in (running_here, elsewhere, alone):
            queue.close()


def test_the_configuration_travels_whole_to_worker_processes(tmp_path: Path) -> None:
    config = WebConfig(
        db_path=tmp_path / "kb.db",
        host="0.0.0.0",
        port=8123,
        token="t" * 20,
        max_upload_bytes=1234,
        cache=False,
        threads=2,
        jobs_dir=tmp_path,
        balance_dir=tmp_path / "load",
        extra_hosts=("testserver",),
    )
    again = WebConfig.from_json(config.to_json())
    assert again == config
    assert again.secret == config.secret  # a session from one process is valid in the others
