"""Ingest jobs started from the web: one at a time, in a background thread.

SQLite has one writer at a time, so jobs run one after another in a single
worker thread; each has an id and a status that the page polls. Uploaded
files are written to a private temporary folder (names reduced to safe
characters) that is removed when the job ends.

A server of several processes (``rasid serve --workers N``) gives each a
``state_dir`` it shares with the others: a job's status is written there as
it changes, so the process that a status request reaches knows it, whichever
process runs the job. (Two processes' jobs can then run at once; SQLite
serialises their writes, each waiting its turn.)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
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
_JOB_ID = re.compile(r"[0-9a-f]{32}")  # uuid4().hex: nothing else is read from the state folder
_PROGRESS_EVERY = 0.25  # seconds between two writes of a running job's progress
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

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Job:
        return cls(**{name: data[name] for name in cls.__dataclass_fields__ if name in data})

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

    def __init__(
        self, db_path: Path, ingest: IngestFn | None = None, *, state_dir: Path | None = None
    ) -> None:
        self.db_path = db_path
        self._ingest = ingest
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rasid-ingest")
        #: Shared with the server's other processes (None: this process alone).
        self.state_dir = state_dir
        self._progress_saved_at: dict[str, float] = {}

    def new_folder(self) -> Path:
        return Path(tempfile.mkdtemp(prefix="rasid-upload-"))

    def submit(self, folder: Path, names: list[str]) -> Job:
        job = Job(id=uuid.uuid4().hex, inputs=names)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > _KEEP_JOBS:
                self._jobs.popitem(last=False)
        self._save(job)
        self._pool.submit(self._run, job, folder)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is not None or self.state_dir is None or not _JOB_ID.fullmatch(job_id):
            return job
        try:  # a job of another process of this server
            return Job.from_dict(json.loads((self.state_dir / f"{job_id}.json").read_text()))
        except (OSError, ValueError, TypeError):
            return None

    def _save(self, job: Job, *, progress: bool = False) -> None:
        """Write the job's status where the server's other processes read it."""
        if self.state_dir is None:
            return
        if progress:
            # Progress is written a few times a second, not per document (the
            # first at once: a job may then work a long while on one file).
            now = time.monotonic()
            if now - self._progress_saved_at.get(job.id, -_PROGRESS_EVERY) < _PROGRESS_EVERY:
                return
            self._progress_saved_at[job.id] = now
        path = self.state_dir / f"{job.id}.json"
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        try:
            partial.write_text(json.dumps(job.to_dict()), encoding="utf-8")
            partial.replace(path)  # atomic: a reader sees the old status or the new one
        except OSError as exc:  # the job goes on; this process still knows its status
            print(f"rasid: cannot write the status of job {job.id}: {exc}", file=sys.stderr)

    def _run(self, job: Job, folder: Path) -> None:
        job.state, job.started_at = "running", _now()
        self._save(job)
        try:
            ingest: IngestFn
            if self._ingest is not None:
                ingest = self._ingest
            else:
                from rasid.workflows import ingest

            def on_progress(label: str, count: int) -> None:
                job.current, job.taken_in = label[:200], count
                self._save(job, progress=True)

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
            self._save(job)

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
