"""How a rasid server is configured, and the rule that binding beyond loopback needs a token."""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
from dataclasses import dataclass, field, fields
from pathlib import Path

from rasid.errors import WebConfigError

#: Uploads larger than this are refused with 413 unless configured otherwise.
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: Shortest token accepted: a guessable token is no protection on a network.
MIN_TOKEN_LENGTH = 16

__all__ = ["DEFAULT_MAX_UPLOAD_BYTES", "WebConfig", "WebConfigError", "is_loopback"]


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost`` (names that never leave the machine)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(slots=True)
class WebConfig:
    """Everything :func:`rasid.web.app.create_app` needs.

    ``token`` is required when ``host`` is not a loopback address; without a
    token the server also refuses requests whose ``Host`` header is not a
    loopback name, so a web page elsewhere cannot reach it by DNS rebinding.
    """

    db_path: Path
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    #: Key for the session cookie set after a token login (random per process).
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    #: Extra Host header values accepted without a token (tests use "testserver").
    extra_hosts: tuple[str, ...] = ()
    #: Keep page data and rendered pages until the next write (rasid.web.cache).
    cache: bool = True
    #: Requests worked on at once (the others wait their turn, in order). A
    #: page is Python under one lock and SQLite beside it: past about one per
    #: core, more threads only switch between each other (measured: 24% more
    #: CPU a request at 40 than at 3, and the slow searches starve the rest).
    threads: int = field(default_factory=lambda: (os.cpu_count() or 1) + 1)
    #: Where ingest jobs' statuses are written for the server's other processes
    #: (``rasid serve --workers N``); None: one process, kept in memory.
    jobs_dir: Path | None = None
    #: Where the server's processes publish how busy they are, so that a busy
    #: one hands connections over (rasid.web.balance); None: one process.
    balance_dir: Path | None = None

    def to_json(self) -> str:
        """The whole configuration, for a server's worker processes (the secret included)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["db_path"] = str(self.db_path)
        data["secret"] = self.secret.hex()
        for name in ("jobs_dir", "balance_dir"):
            folder = getattr(self, name)
            data[name] = None if folder is None else str(folder)
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> WebConfig:
        data = json.loads(text)
        data["db_path"] = Path(data["db_path"])
        data["secret"] = bytes.fromhex(data["secret"])
        for name in ("jobs_dir", "balance_dir"):
            data[name] = None if data[name] is None else Path(data[name])
        data["extra_hosts"] = tuple(data["extra_hosts"])
        return cls(**data)

    def check(self) -> None:
        if self.token is not None and len(self.token) < MIN_TOKEN_LENGTH:
            raise WebConfigError(
                f"the token is too short ({len(self.token)} characters); "
                f"use at least {MIN_TOKEN_LENGTH}, e.g. `python -c 'import secrets; "
                "print(secrets.token_urlsafe(24))'`"
            )
        if not is_loopback(self.host) and not self.token:
            raise WebConfigError(
                f"refusing to listen on {self.host} without a token: anyone on the network "
                "could read and change the knowledge base; pass --token or set RASID_TOKEN, "
                "or bind to 127.0.0.1"
            )
        if self.threads < 1:
            raise WebConfigError("the server needs at least 1 thread")
        if self.max_upload_bytes < 1:
            raise WebConfigError("the upload limit must be at least 1 byte")
        if self.db_path.is_dir():
            raise WebConfigError(f"{self.db_path} is a directory; --db needs a file")
        if not self.db_path.parent.exists():
            raise WebConfigError(f"the folder {self.db_path.parent} does not exist")
