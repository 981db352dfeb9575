"""CPU time of each pipeline component, per word, over news articles.

    python benchmarks/components_speed.py [CORPUS.jsonl.gz] [--articles N] [--skip K]
        [--warm W] [--pipeline full|text] [--profile OUT.prof]

Runs the Arabic pipeline in this process, one article at a time, and charges
each component's CPU time (``time.process_time``: other jobs on a shared
machine do not count) to it. Words are whitespace-separated words of the
texts. Models and lexicons are loaded, and the corpus read, before the clock
starts. With ``--profile`` the whole run is also written as a cProfile file.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import gzip
import json
import time
from pathlib import Path

from _checkouts import NEWS

from rasid.model import Analysis, Document
from rasid.workflows import PIPELINES, Analyzer

DEFAULT = NEWS


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--skip", type=int, default=0)
    parser.add_argument("--pipeline", choices=sorted(PIPELINES), default="full")
    parser.add_argument(
        "--warm", type=int, default=0, help="first analyse this many more articles, untimed"
    )
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    texts: list[str] = []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number < args.skip:
                continue
            if len(texts) >= args.warm + args.articles:
                break
            texts.append(json.loads(line)["text"])
    pipeline = Analyzer(args.pipeline).arabic
    pipeline(Document(text="تحميل النماذج في بيروت.", sha256="-", source_uri="warm-up"))
    # Caches fill as a long ingest goes on; --warm measures a later stretch of it.
    for text in texts[: args.warm]:
        pipeline(Document(text=text, sha256="-", source_uri="warm-up"))
    texts = texts[args.warm :]
    # As in an ingest worker: the models' tables are kept out of the collector's walks.
    gc.freeze()
    words = sum(len(text.split()) for text in texts)
    seconds = {component.qualified_name: 0.0 for component in pipeline.components}
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    for text in texts:
        analysis = Analysis(document=Document(text=text, sha256="-", source_uri="bench"))
        for component in pipeline.components:
            began = time.process_time()
            component.fn(analysis)
            seconds[component.qualified_name] += time.process_time() - began
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    total = sum(seconds.values())
    print(f"{len(texts)} articles, {words} words")
    for name, spent in seconds.items():
        print(f"  {name:16s} {spent:7.2f} s  {spent / words * 1e6:6.2f} µs/word")
    print(f"  {'all':16s} {total:7.2f} s  {total / words * 1e6:6.2f} µs/word")


if __name__ == "__main__":
    main()
