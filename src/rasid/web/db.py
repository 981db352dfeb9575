"""Connections for the server: one read-only Store per worker thread, one writer.

SQLite in WAL mode lets readers run beside a writer; a connection per thread
lets the server's worker threads query at the same time instead of queueing on
one connection's lock. Judgements go through the single writer Store; ingest
jobs open their own (the workflow does).
"""

from __future__ import annotations

import threading
from pathlib import Path

from rasid.kb.store import Store


class Stores:
    """The server's access to one knowledge base file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Opening read-write first creates the file and applies migrations, so
        # that the read-only connections find a current schema.
        self.writer = Store(path)
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()

    def reader(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.path, readonly=True)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                store.close()
            self._all.clear()
        self.writer.close()
