"""A result cache for page data, emptied by any write to the knowledge base.

Full-text search over a whole corpus costs tens of milliseconds per query in
SQLite; analysts repeat queries (paging back, reloading, opening the same
entity from several documents), and a server under load should not run the
same query twenty times at once. So the views' results are cached:

- keyed by the view and its parameters;
- stamped with the database's *version*: the size and modification time of
  the database file and its write-ahead log, and the log's salts. Every
  commit (an ingest, a judgement, a linker run, from this process or
  another) changes the log, so a stale entry is not served;
- computed once when several requests want the same missing key at the same
  time (the others wait for it);
- heavy computations (searches) run under a bound on concurrent database work
  (about one per core), so cheap requests are not starved by a crowd of
  expensive ones.

``rasid serve --no-cache`` turns the keeping off (the bound stays): the load
benchmark uses it so that every request it times is a real query.

Cached values are shared between requests: callers must not change them.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
Version = tuple[int, int, int, int, bytes]


class ResultCache:
    def __init__(
        self,
        db_path: Path,
        *,
        maxsize: int = 4096,
        workers: int | None = None,
        enabled: bool = True,
    ) -> None:
        self.db_path = db_path
        #: Off: every call computes (still under the work bound), nothing is kept.
        self.enabled = enabled
        self.wal_path = Path(f"{db_path}-wal")
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, tuple[Version, Any]] = OrderedDict()
        self._pending: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()
        self._work = threading.BoundedSemaphore(workers or max(2, (os.cpu_count() or 2) + 1))
        self.hits = 0
        self.misses = 0

    def version(self) -> Version:
        def stamp(path: Path) -> tuple[int, int]:
            try:
                info = os.stat(path)
            except FileNotFoundError:
                return 0, 0
            return info.st_size, info.st_mtime_ns

        # A WAL that restarts after a checkpoint is rewritten from its start at
        # the same size; its header's salts change then, so they are read too.
        try:
            with open(self.wal_path, "rb") as fh:
                salts = fh.read(24)[16:24]
        except FileNotFoundError:
            salts = b""
        return (*stamp(self.db_path), *stamp(self.wal_path), salts)

    def get(self, key: Hashable, compute: Callable[[], T], *, heavy: bool = False) -> T:
        """The cached value for ``key``, computing it (once) when missing or stale.

        ``heavy`` computations (full-text searches) wait for one of the
        bounded work slots; light ones (a document by id) never queue behind them.
        """
        if not self.enabled:
            self.misses += 1
            if heavy:
                with self._work:
                    return compute()
            return compute()
        while True:
            version = self.version()
            with self._lock:
                entry = self._data.get(key)
                if entry is not None and entry[0] == version:
                    self._data.move_to_end(key)
                    self.hits += 1
                    value: T = entry[1]
                    return value
                waiting = self._pending.get(key)
                if waiting is None:
                    done = threading.Event()
                    self._pending[key] = done
                    self.misses += 1
                    break
            waiting.wait(timeout=60)  # then look again: computed, or compute it ourselves
        try:
            if heavy:
                with self._work:
                    value = compute()
            else:
                value = compute()
            with self._lock:
                self._data[key] = (version, value)
                self._data.move_to_end(key)
                while len(self._data) > self.maxsize:
                    self._data.popitem(last=False)
            return value
        finally:
            with self._lock:
                self._pending.pop(key, None)
            done.set()

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
