"""A writer killed with SIGKILL mid-transaction leaves only whole documents."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rasid.kb.store import Store

# The writer stores documents of varying size forever, each recording in its
# metadata how many sentences and mentions it has, and prints after each commit.
WRITER = r"""
import sys
from rasid.kb.store import Store
from rasid.model import Analysis, Document, Mention, Sentence
from rasid.text.tokenize import tokenize

start_at = int(sys.argv[2])
with Store(sys.argv[1]) as store:
    i = start_at
    while True:
        n = 5 + i % 40
        parts, sentences, mentions, pos = [], [], [], 0
        for k in range(n):
            s = f"الجملة {k} من الوثيقة {i} تذكر منبج والرقة وجيش دابق مرة أخرى."
            sentences.append(Sentence(k, pos, pos + len(s)))
            at = pos + s.index("منبج")
            mentions.append(Mention(at, at + 4, "منبج", "GPE", component="test.v1"))
            parts.append(s)
            pos += len(s) + 1
        text = " ".join(parts)
        doc = Document(text=text, sha256=str(i), source_uri=f"test://{i}", meta={"n": n})
        analysis = Analysis(document=doc, sentences=sentences, tokens=tokenize(text),
                            mentions=mentions)
        store.add_analysis(analysis, content_key=str(i))
        print(i, flush=True)
        i += 1
"""


def _run_and_kill(db: Path, start_at: int, wait_for: int, extra_delay: float) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), str(start_at)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            deadline = time.monotonic() + 60
            for _ in range(wait_for):
                if not process.stdout.readline():
                    error = process.stderr.read() if process.stderr else ""
                    pytest.fail(f"the writer stopped early: {error}")
                assert time.monotonic() < deadline, "the writer is too slow"
            time.sleep(extra_delay)  # land somewhere inside a later transaction
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
    assert process.returncode == -signal.SIGKILL


def _check_whole(db: Path) -> int:
    # A plain sqlite3 connection, as any reader would open it.
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        docs = conn.execute("SELECT id, meta FROM documents").fetchall()
        for doc_id, meta in docs:
            n = json.loads(meta)["n"]
            counts = [
                conn.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE doc_id = ?", (doc_id,)
                ).fetchone()[0]
                for table in ("sentences", "mentions", "search_rows", "document_sources")
            ]
            assert counts == [n, n, n, 1], (doc_id, n, counts)
        orphans = conn.execute(
            "SELECT COUNT(*) FROM search_fts WHERE rowid NOT IN (SELECT id FROM search_rows)"
        ).fetchone()[0]
        assert orphans == 0
        conn.execute("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")
        return len(docs)
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_mid_write_leaves_only_whole_documents(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    total = 0
    for round_number, delay in enumerate((0.0, 0.013, 0.031)):
        _run_and_kill(db, start_at=round_number * 10_000, wait_for=15, extra_delay=delay)
        stored = _check_whole(db)
        assert stored >= total + 15
        total = stored
    with Store(db) as store:  # the store opens the recovered file and goes on
        assert store.stats()["documents"] == total
        assert store.search_count('"جيش دابق"') == total
