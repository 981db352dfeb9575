"""Ingest speed and memory over the ANT news corpus (or any input), end to end.

    python benchmarks/ingest_speed.py --pipeline text --workers 2
    python benchmarks/ingest_speed.py --pipeline full --workers 2 [--limit 5000]

Takes the corpus into a fresh database in a temporary folder through the same
library call as `rasid ingest`, then prints one JSON object: articles, words,
seconds, articles/s, words/s, the CPU seconds of the main process and of the
workers (and CPU µs per word, what a loaded machine does not distort), and the
peak resident memory of the main process and of the largest worker.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from rasid.workflows import ingest

NEWS = Path(__file__).resolve().parents[2] / "shared/data/news/ant-v2.1-non-middle-east.jsonl.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=NEWS)
    parser.add_argument("--pipeline", default="full", choices=["full", "text"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="only the first N records")
    parser.add_argument("--db", type=Path, default=None, help="keep the database here")
    args = parser.parse_args()
    if not args.input.exists():
        sys.exit(f"input not found: {args.input}")
    with tempfile.TemporaryDirectory() as tmp:
        source = args.input
        if args.limit:
            source = Path(tmp) / "subset.jsonl"
            with gzip.open(args.input, "rt", encoding="utf-8") as lines:
                source.write_text("".join(itertools.islice(lines, args.limit)), "utf-8")
        db = args.db or Path(tmp) / "bench.db"
        start = time.perf_counter()
        report = ingest([str(source)], db, workers=args.workers, pipeline=args.pipeline)
        seconds = time.perf_counter() - start
    own_usage = resource.getrusage(resource.RUSAGE_SELF)
    child_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = own_usage.ru_maxrss / 1024
    children = child_usage.ru_maxrss / 1024
    # CPU seconds, which other jobs on a shared machine do not inflate as they do the wall time.
    cpu_main = own_usage.ru_utime + own_usage.ru_stime
    cpu_workers = child_usage.ru_utime + child_usage.ru_stime
    print(
        json.dumps(
            {
                "pipeline": args.pipeline,
                "workers": args.workers,
                "articles": report.taken_in,
                "already_known": report.already_known,
                "failed": len(report.failed),
                "words": report.words,
                "seconds": round(seconds, 1),
                "articles_per_second": round(report.taken_in / seconds, 1),
                "words_per_second": round(report.words / seconds),
                "cpu_seconds_main": round(cpu_main, 1),
                "cpu_seconds_workers": round(cpu_workers, 1),
                "cpu_us_per_word": round(1e6 * (cpu_main + cpu_workers) / max(report.words, 1), 1),
                "peak_rss_mb_main": round(own),
                "peak_rss_mb_largest_worker": round(children),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
