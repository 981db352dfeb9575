"""Ingest jobs started from the web: one at a time, in a background thread.

SQLite has one writer at a time, so jobs run one after another in a single
worker thread; each has an id and a status that the page polls. Uploaded
files are written to a private temporary folder (names reduced to safe
characters) that is removed when the job ends.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import traceback
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rasid.errors import RasidError

_KEEP_JOBS = 200
_SAFE_NAME = re.compile(r"[^\w.\-]+", re.UNICODE)

IngestFn = Callable[..., Any]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def safe_filename(name: str, taken: set[str]) -> str:
    """A file name that cannot leave its folder, unique among ``taken`` (which it joins).

    The original name is kept as far as it is safe, because it becomes part of
    the document's recorded source.
    """
    base = Path(name.replace("\\", "/")).name
    base = _SAFE_NAME.sub("_", base).strip("._")[-120:] or "upload"
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    candidate, number = base, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{stem}-{number}.{extension}" if dot else f"{stem}-{number}"
    taken.add(candidate.lower())
    return candidate


@dataclass
class Job:
    id: str
    state: str = "queued"  # queued · running · done · failed
    created_at: str = field(default_factory=_now)
    started_at: str | None = None
    finished_at: str | None = None
    inputs: list[str] = field(default_factory=list)
    taken_in: int = 0
    current: str | None = None
    report: dict[str, Any] | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "state": self.state,
            "created_at": self.created_at,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "inputs": self.inputs,
            "taken_in": self.taken_in,
            "current": self.current,
            "report": self.report,
            "error": self.error,
        }


class JobQueue:
    """Runs ingest jobs against one database file, one after another."""

    def __init__(self, db_path: Path, ingest: IngestFn | None = None) -> None:
        self.db_path = db_path
        self._ingest = ingest
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rasid-ingest")

    def new_folder(self) -> Path:
        return Path(tempfile.mkdtemp(prefix="rasid-upload-"))

    def submit(self, folder: Path, names: list[str]) -> Job:
        job = Job(id=uuid.uuid4().hex, inputs=names)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > _KEEP_JOBS:
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job, folder)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _run(self, job: Job, folder: Path) -> None:
        job.state, job.started_at = "running", _now()
        try:
            ingest: IngestFn
            if self._ingest is not None:
                ingest = self._ingest
            else:
                from rasid.workflows import ingest

            def on_progress(label: str, count: int) -> None:
                job.current, job.taken_in = label[:200], count

            report = ingest([str(folder)], self.db_path, on_progress=on_progress)
            job.report = report.to_dict()
            job.taken_in = int(job.report.get("taken_in", job.taken_in))
            job.state = "done"
        except RasidError as exc:
            job.state, job.error = "failed", str(exc)
        except Exception as exc:  # a job must end with a status, whatever broke
            job.state = "failed"
            job.error = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        finally:
            job.finished_at = _now()
            job.current = None
            shutil.rmtree(folder, ignore_errors=True)

    def wait(self, job_id: str, timeout: float = 60.0) -> Job | None:
        """Block until the job ends (for tests and the CLI)."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.get(job_id)
            if job is None or job.state in ("done", "failed"):
                return job
            time.sleep(0.05)
        return self.get(job_id)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
