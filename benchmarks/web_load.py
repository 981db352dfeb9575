"""Load test of the workbench: search, entity and document pages under concurrent clients.

A bounded test on loopback only: it starts ``rasid serve`` on 127.0.0.1 (a
free port) over a knowledge base of the whole news corpus, sends a fixed
number of requests from N concurrent asyncio clients (keep-alive HTTP/1.1
connections, a lean client: see ``Connection``), then stops and
reports latency percentiles per page kind. The target: the 95th percentile of
search and entity pages under 200 ms with 20 clients.

    .venv/bin/python benchmarks/web_load.py                      # builds the db if absent
    .venv/bin/python benchmarks/web_load.py --db benchmarks/out/news.db --requests 3000

The database is built once with ``rasid ingest <news corpus> --db DB`` when
it does not exist. Results are printed and written to
``benchmarks/out/web_load.json``.

The server runs with ``--no-cache`` unless ``--cache`` is given: its result
and page caches would answer repeated URLs without querying, and the figure
is meant to be the cost of real queries. With ``--cache`` the "first" columns
give the requests not seen before (cache misses).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

REPO = Path(__file__).resolve().parents[1]
NEWS = REPO.parent / "shared" / "data" / "news" / "ant-v2.1-non-middle-east.jsonl.gz"
OUT = REPO / "benchmarks" / "out"
HOST = "127.0.0.1"  # never anything else: this is a loopback benchmark
#: Queries of one to three words, common and rare, as an analyst would type them.
QUERIES = (
    "ترامب",
    "روسيا",
    "الاقتصاد",
    "كأس العالم",
    "الرئيس الأمريكي",
    "كوريا الشمالية",
    "النفط",
    "الانتخابات",
    "محمد صلاح",
    "الصين",
    "الاتحاد الأوروبي",
    "الهجرة",
    "بوتين",
    "فرنسا",
    "البنك المركزي",
    "الذكاء الاصطناعي",
    "اللاجئين",
    "ماكرون",
    "هجوم",
    "الشرطة",
    '"وزير الخارجية"',
    "الدولار",
    "كرة القدم",
    "الشيشا*",
    # A conflict analyst's: places, groups and people, common words, Latin
    # spellings found through cross-script expansion (Manbij → منبج).
    "سوريا",
    "الجيش",
    "حلب",
    "داعش",
    "حزب الله",
    "الحكومة السورية",
    '"مجلس الأمن"',
    "Manbij",
    "Aleppo",
    "Mosul",
    "Hezbollah",
    "Mohamed Salah",
)


def _rasid() -> str:
    candidate = Path(sys.executable).with_name("rasid")
    return str(candidate) if candidate.exists() else "rasid"


def build_db(db: Path, workers: int) -> None:
    if not NEWS.exists():
        raise SystemExit(f"the news corpus is missing at {NEWS}")
    db.parent.mkdir(parents=True, exist_ok=True)
    command = [_rasid(), "ingest", str(NEWS), "--db", str(db), "--workers", str(workers)]
    print("building:", " ".join(command), file=sys.stderr)
    started = time.monotonic()
    result = subprocess.run(command, check=False)
    if result.returncode not in (0, 3):  # 3: some records failed, the rest is stored
        raise SystemExit(f"ingest failed with status {result.returncode}")
    print(f"built in {time.monotonic() - started:.0f} s", file=sys.stderr)


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children alive now (Linux /proc), in s."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(_stat(int(entry.name))[1])
            except (OSError, IndexError, ValueError):
                continue  # ended meanwhile
    tree, changed = {pid}, True
    while changed:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        changed = bool(more)
    total = 0
    for member in tree:
        try:
            fields = _stat(member)
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _sample(conn: sqlite3.Connection, sql: str, rng: random.Random, count: int) -> list[Any]:
    """``count`` values of ``sql``'s first column, drawn with ``rng`` (the same each run)."""
    values = [r[0] for r in conn.execute(sql)]
    return rng.sample(values, min(count, len(values)))


def _title_words(conn: sqlite3.Connection, rng: random.Random, count: int) -> list[str]:
    """Words an analyst might look for: taken from random titles of the corpus."""
    titles = _sample(
        conn, "SELECT title FROM documents WHERE title IS NOT NULL ORDER BY id", rng, 2000
    )
    words = sorted({w for t in titles for w in t.split() if len(w) >= 4 and w.isalpha()})
    rng.shuffle(words)
    return words[:count]


def targets(db: Path, count: int, seed: int, pool_words: int = 300) -> list[tuple[str, str]]:
    """(kind, path) pairs: a fixed, seeded mix of search, entity and document pages.

    Half the searches are the analyst queries above, half words from the
    corpus's titles (rare and common ones); each with or without a filter, or
    on the second page. Entities and documents are drawn from 800 of each.
    """
    rng = random.Random(seed)
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        entity_ids = _sample(conn, "SELECT id FROM entities ORDER BY id", rng, 800)
        doc_ids = _sample(conn, "SELECT id FROM documents ORDER BY id", rng, 800)
        words = _title_words(conn, rng, pool_words) if pool_words else []
    finally:
        conn.close()
    kinds = ["search"] * 5 + (["entity"] * 3 if entity_ids else []) + ["document"] * 2
    out = []
    for _ in range(count):
        kind = rng.choice(kinds)
        if kind == "search":
            q = rng.choice(QUERIES if not words or rng.random() < 0.5 else words)
            extra = rng.choice(["", "", "&date_from=2018-03", "&entity_type=PERSON", "&offset=20"])
            out.append((kind, f"/?{urlencode({'q': q})}{extra}"))
        elif kind == "entity":
            out.append((kind, f"/entities/{rng.choice(entity_ids)}"))
        else:
            out.append((kind, f"/documents/{rng.choice(doc_ids)}"))
    return out


class Connection:
    """One keep-alive HTTP/1.1 connection to the server, as lean as a client can be.

    The clients run on the machine they measure: httpx spent about 4 ms of
    CPU per request, a quarter of the server's, taken from the server's two
    cores. This speaks just what ``rasid serve`` answers (a status line,
    headers, a body of ``Content-Length`` bytes or chunked).
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.cookies: dict[str, str] = {}  # kept and sent back, as a browser does

    async def get(self, path: str) -> tuple[int, bytes]:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\nAccept: text/html\r\n"
            + (f"Cookie: {cookie}\r\n" if cookie else "")
            + "\r\n"
        )
        self.writer.write(request.encode("ascii"))
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers: dict[str, str] = {}
        for name, _, value in (line.partition(":") for line in lines[1:] if line):
            name = name.strip().lower()
            if name == "set-cookie":
                key, _, rest = value.strip().partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
            headers[name] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append(await self.reader.readexactly(size))
                await self.reader.readuntil(b"\r\n")
            await self.reader.readuntil(b"\r\n")  # the empty trailer
            body = b"".join(parts)
        else:
            raise ConnectionError(f"no body length in the answer to {path}")
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def run_load(base: str, plan: list[tuple[str, str]], clients: int) -> list[dict[str, Any]]:
    host, port = base.removeprefix("http://").rsplit(":", 1)
    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    for item in plan:
        queue.put_nowait(item)
    results: list[dict[str, Any]] = []

    async def client() -> None:
        connection = Connection(host, int(port))
        try:
            while True:
                try:
                    kind, path = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                started = time.perf_counter()
                try:
                    status, _ = await asyncio.wait_for(connection.get(path), timeout=60)
                except (
                    TimeoutError,
                    OSError,
                    asyncio.IncompleteReadError,
                    asyncio.LimitOverrunError,
                    ValueError,
                ):
                    status = 0  # counted as an error, the run goes on
                    connection.close()
                results.append(
                    {
                        "kind": kind,
                        "path": path,
                        "status": status,
                        "started": started,
                        "ms": (time.perf_counter() - started) * 1000,
                    }
                )
        finally:
            connection.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return results


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def summarise(results: list[dict[str, Any]], seconds: float, seen: set[str]) -> dict[str, Any]:
    """Percentiles per page kind, for all requests and for first-time ones (cache misses)."""
    summary: dict[str, Any] = {
        "requests": len(results),
        "seconds": round(seconds, 2),
        "throughput_rps": round(len(results) / seconds, 1),
        "kinds": {},
    }
    first_seen: set[str] = set(seen)
    for result in sorted(results, key=lambda r: r["started"]):
        result["first"] = result["path"] not in first_seen
        first_seen.add(result["path"])
    for kind in sorted({r["kind"] for r in results}):
        mine = [r for r in results if r["kind"] == kind]
        ms = [r["ms"] for r in mine]
        first = [r["ms"] for r in mine if r["first"]]
        summary["kinds"][kind] = {
            "n": len(ms),
            "errors": sum(r["status"] != 200 for r in mine),
            "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(percentile(ms, 0.95), 1),
            "p99_ms": round(percentile(ms, 0.99), 1),
            "max_ms": round(max(ms), 1),
            "first_time_n": len(first),
            "first_time_p95_ms": round(percentile(first, 0.95), 1) if first else None,
        }
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, default=OUT / "news.db")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--ingest-workers", type=int, default=max(1, (os.cpu_count() or 2)))
    parser.add_argument("--target-ms", type=float, default=200.0)
    parser.add_argument(
        "--server-workers",
        type=int,
        default=os.cpu_count() or 1,
        help="server processes, `rasid serve --workers` (default: one per core)",
    )
    parser.add_argument(
        "--server-threads",
        type=int,
        default=None,
        help="requests each server process works on at once, `rasid serve --threads`",
    )
    parser.add_argument(
        "--cache",
        action="store_true",
        help="let the server keep results and pages (off by default: every timed "
        "request is a real query, `rasid serve --no-cache`)",
    )
    parser.add_argument(
        "--pool-words",
        type=int,
        default=300,
        help="title words added to the analyst queries (0: those queries only)",
    )
    args = parser.parse_args()
    if not args.db.exists():
        build_db(args.db, args.ingest_workers)
    port = _free_port()
    base = f"http://{HOST}:{port}"
    server = subprocess.Popen(
        [
            _rasid(),
            "serve",
            "--db",
            str(args.db),
            "--host",
            HOST,
            "--port",
            str(port),
            "--cache" if args.cache else "--no-cache",
            "--workers",
            str(args.server_workers),
            *(["--threads", str(args.server_threads)] if args.server_threads else []),
        ],
        env={**os.environ, "RASID_TOKEN": ""},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/stats", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        stats = httpx.get(f"{base}/api/stats", timeout=30).json()
        warmup = targets(args.db, args.warmup, args.seed + 1, args.pool_words)
        asyncio.run(run_load(base, warmup, args.clients))
        plan = targets(args.db, args.requests, args.seed, args.pool_words)
        cpu_before = _cpu_seconds(server.pid)
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        results = asyncio.run(run_load(base, plan, args.clients))
        summary = summarise(results, time.perf_counter() - started, {p for _, p in warmup})
        cpu = _cpu_seconds(server.pid) - cpu_before
        # CPU time the server spent per request does not depend on what else
        # the machine runs; latencies do (the load average is reported with them).
        summary["server_cpu_ms_per_request"] = round(1000 * cpu / max(1, len(results)), 2)
        summary["load_average_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    summary.update(
        clients=args.clients,
        server_workers=args.server_workers,
        server_threads=args.server_threads,
        pool_words=args.pool_words,
        server_cache=args.cache,
        db=str(args.db),
        documents=stats["documents"],
        entities=stats["entities"],
        target_p95_ms=args.target_ms,
        command=" ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
    )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "web_load.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(
        f"server CPU per request: {summary['server_cpu_ms_per_request']} ms; "
        f"load average (1 min) before/after: {summary['load_average_1min']}"
    )
    print(
        f"{summary['requests']} requests, {args.clients} clients, {summary['seconds']} s "
        f"({summary['throughput_rps']} req/s); {stats['documents']} documents, "
        f"{stats['entities']} entities; server cache {'on' if args.cache else 'off'}, "
        f"{args.server_workers} server processes"
    )
    print(
        f"{'kind':<10}{'n':>6}{'err':>5}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}"
        f"{'first n':>9}{'first p95':>11}  (ms)"
    )
    ok = True
    for kind, row in summary["kinds"].items():
        print(
            f"{kind:<10}{row['n']:>6}{row['errors']:>5}{row['p50_ms']:>9}{row['p95_ms']:>9}"
            f"{row['p99_ms']:>9}{row['max_ms']:>9}{row['first_time_n']:>9}"
            f"{row['first_time_p95_ms'] or '-':>11}"
        )
        if row["errors"] or (kind in ("search", "entity") and row["p95_ms"] >= args.target_ms):
            ok = False
    print(
        "target met" if ok else f"target missed: p95 must be < {args.target_ms:.0f} ms, no errors"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
