"""Speed of the facts layer on the ANT news corpus (words per second).

Runs the pipeline (text layer, NER when its model is trained, facts) over the
first N articles and reports words/s for the whole pipeline and for the facts
component alone (CPU seconds of this process, so that other jobs on a shared
machine do not skew it).

    python benchmarks/events_speed.py [--docs 2000] [--news PATH]
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

from rasid.model import Document
from rasid.pipeline import Pipeline
from rasid.workflows import arabic_pipeline

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "data" / "news" / "ant-v2.1-non-middle-east.jsonl.gz"


def build() -> Pipeline:
    return arabic_pipeline(until="facts")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=Path, default=NEWS)
    parser.add_argument("--docs", type=int, default=2000)
    args = parser.parse_args()
    pipeline = build()
    print("components:", ", ".join(pipeline.names))
    timings = {c.qualified_name: 0.0 for c in pipeline.components}
    words = sentences = statements = events = 0
    with gzip.open(args.news, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number >= args.docs:
                break
            record = json.loads(line)
            document = Document(text=record["text"], sha256="0" * 64, source_uri=record["id"])
            from rasid.model import Analysis

            analysis = Analysis(document=document)
            for component in pipeline.components:
                started = time.process_time()
                component.fn(analysis)
                timings[component.qualified_name] += time.process_time() - started
            words += len(record["text"].split())
            sentences += len(analysis.sentences)
            statements += len(analysis.statements)
            events += len(analysis.events)
    total = sum(timings.values())
    print(f"{args.docs} documents, {words} words, {sentences} sentences")
    print(f"statements {statements}, events {events}")
    for name, seconds in timings.items():
        print(f"  {name:20s} {seconds:7.2f} s  {words / seconds if seconds else 0:12,.0f} words/s")
    print(f"  {'whole pipeline':20s} {total:7.2f} s  {words / total:12,.0f} words/s")


if __name__ == "__main__":
    main()
