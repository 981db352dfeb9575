"""Connections for the server: a read-only Store per request in flight, one writer.

SQLite in WAL mode lets readers run beside a writer; a connection per
request lets requests query at the same time instead of queueing on one
connection's lock. A request borrows an idle read-only Store (opening one
when none is idle) and gives it back when it is done, so no two requests
share a connection, whichever threads they run on; the most recently
returned is lent first, so the few connections in steady use keep their
caches warm. Judgements go through the single writer Store; ingest jobs open
their own (the workflow does).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rasid.kb.store import Store


class Stores:
    """The server's access to one knowledge base file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Opening read-write first creates the file and applies migrations, so
        # that the read-only connections find a current schema.
        self.writer = Store(path)
        self._idle: list[Store] = []
        self._all: list[Store] = []
        self._lock = threading.Lock()

    @contextmanager
    def reader(self) -> Iterator[Store]:
        """A read-only Store that nothing else uses until the block ends."""
        with self._lock:
            store = self._idle.pop() if self._idle else None
        if store is None:
            store = Store(self.path, readonly=True)
            with self._lock:
                self._all.append(store)
        try:
            yield store
        finally:
            with self._lock:
                self._idle.append(store)

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                store.close()
            self._all.clear()
            self._idle.clear()
        self.writer.close()
