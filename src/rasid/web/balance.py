"""Several server processes kept equally busy (``rasid serve --workers N``).

A keep-alive connection stays with the process that accepted it, and the
process that wakes first on a burst of new connections accepts all of them
that are waiting: of the load test's 20 clients, 15 to 20 landed on one of
the two processes, which then queued three times the other's requests while
the other idled. So each process publishes how many requests it is working
on (:class:`LoadBoard`: one small shared file per process), and a process
answering more than ``margin`` requests beyond the least busy other process
asks the client to reconnect (``Connection: close`` on the response,
:class:`ConnectionBalancer`). The client's next request opens a new
connection, taken by whichever process accepts first; a busy one goes on
shedding until its load is level with the others'. Nothing else changes for
the client: browsers and HTTP libraries reconnect on their own.
"""

from __future__ import annotations

import mmap
import os
import struct
import time
from pathlib import Path

from rasid.web.security import ASGIApp, Message, Receive, Scope, Send

_SLOT = struct.Struct("=i")
#: Seconds between looks at the folder for processes started or gone.
_RESCAN_SECONDS = 1.0
_CLOSE = (b"connection", b"close")


class LoadBoard:
    """Requests in progress in each server process, in ``folder``: one file per process.

    Each process writes its own count (a 4-byte memory-mapped file named by
    its process id) and reads the others'. A process that ends removes its
    file; one that died is left out by its id, and its file removed.
    """

    def __init__(self, folder: Path, pid: int | None = None) -> None:
        self.folder = folder
        self.pid = os.getpid() if pid is None else pid
        self._own: mmap.mmap | None = None
        self._others: dict[int, mmap.mmap] = {}
        self._scanned = float("-inf")

    def _path(self, pid: int) -> Path:
        return self.folder / f"{pid}.load"

    def publish(self, in_progress: int) -> None:
        """Set this process's count (creating its file on first use)."""
        if self._own is None:
            path = self._path(self.pid)
            path.write_bytes(_SLOT.pack(0))
            with path.open("r+b") as file:
                self._own = mmap.mmap(file.fileno(), _SLOT.size)
        _SLOT.pack_into(self._own, 0, in_progress)

    def least_other(self) -> int | None:
        """The smallest count among the other live processes (None: there are none)."""
        now = time.monotonic()
        if now - self._scanned >= _RESCAN_SECONDS:
            self._scanned = now
            self._rescan()
        if not self._others:
            return None
        return min(int(_SLOT.unpack_from(view, 0)[0]) for view in self._others.values())

    def _rescan(self) -> None:
        found: dict[int, Path] = {}
        for path in self.folder.glob("*.load"):
            if path.stem.isdigit() and int(path.stem) != self.pid:
                found[int(path.stem)] = path
        for pid in [p for p in self._others if p not in found or not _alive(p)]:
            self._others.pop(pid).close()
        for pid, path in found.items():
            if pid in self._others:
                continue
            if not _alive(pid):
                # A process that died mid-request would hold its last count forever.
                path.unlink(missing_ok=True)
                continue
            try:
                with path.open("rb") as file:
                    self._others[pid] = mmap.mmap(
                        file.fileno(), _SLOT.size, access=mmap.ACCESS_READ
                    )
            except (OSError, ValueError):
                continue  # removed, or not written yet: seen at the next look

    def close(self) -> None:
        """Leave the board: this process's file goes, the others' are let go."""
        for view in self._others.values():
            view.close()
        self._others.clear()
        if self._own is not None:
            self._own.close()
            self._own = None
            self._path(self.pid).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process holds the id: not ours, but alive
    return True


class ConnectionBalancer:
    """ASGI middleware: ``Connection: close`` on the answers of a process busier than the rest.

    ``margin``: how many more requests in progress than the least busy other
    process a process may have before it sheds connections (counts taken as
    each answer starts, so a little slack keeps it from shedding on noise).
    """

    def __init__(self, app: ASGIApp, board: LoadBoard, margin: int = 2) -> None:
        self.app = app
        self.board = board
        self.margin = margin
        # Only the event loop's thread changes it: no lock.
        self.in_progress = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.in_progress += 1
        self.board.publish(self.in_progress)

        async def send_balanced(message: Message) -> None:
            if message["type"] == "http.response.start" and self.overloaded():
                message["headers"] = [*message.get("headers", []), _CLOSE]
            await send(message)

        try:
            await self.app(scope, receive, send_balanced)
        finally:
            self.in_progress -= 1
            self.board.publish(self.in_progress)

    def overloaded(self) -> bool:
        least = self.board.least_other()
        return least is not None and self.in_progress > least + self.margin
