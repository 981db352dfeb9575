"""Speed of the text layer: normalize + tokenize + split_sentences on news.

    python benchmarks/text_speed.py [CORPUS.jsonl.gz] [--articles N] [--processes P]

Words are whitespace-separated words of the article texts. The corpus is read
and decompressed, and the lexicon loaded, before the clock starts; times are
CPU seconds of one process (one core).
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import time
from pathlib import Path

from _checkouts import NEWS

from rasid.text.normalize import normalize
from rasid.text.sentences import split_sentences
from rasid.text.tokenize import tokenize

DEFAULT = NEWS


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--processes", type=int, default=2, help="also run this many in parallel")
    args = parser.parse_args()
    texts: list[str] = []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as handle:
        for line in handle:
            texts.append(json.loads(line)["text"])
            if len(texts) >= args.articles:
                break
    words = sum(len(text.split()) for text in texts)
    tokenize("تحميل")  # load the lexicon before the clock starts
    timings: dict[str, float] = {}
    for name, fn in (
        ("normalize", normalize),
        ("tokenize", tokenize),
        ("split_sentences", split_sentences),
    ):
        # CPU time of this process: other jobs on a shared machine do not count.
        began = time.process_time()
        for text in texts:
            fn(text)
        timings[name] = time.process_time() - began
    total = sum(timings.values())
    print(f"{len(texts)} articles, {words} words")
    for name, seconds in timings.items():
        print(f"  {name:16s} {seconds:6.2f} s  {words / seconds:>10,.0f} words/s")
    print(f"  {'all three':16s} {total:6.2f} s  {words / total:>10,.0f} words/s (one core)")
    if args.processes > 1:
        chunks = [texts[i :: args.processes] for i in range(args.processes)]
        began = time.perf_counter()
        with multiprocessing.Pool(args.processes) as pool:
            cpu = sum(pool.map(_all_three, chunks))
        wall = time.perf_counter() - began
        print(
            f"  {args.processes} processes: {wall:6.2f} s wall ({words / wall:,.0f} words/s), "
            f"{cpu:6.2f} CPU s in workers ({words / cpu * args.processes:,.0f} words/s "
            f"if each had a core)"
        )


def _all_three(texts: list[str]) -> float:
    tokenize("تحميل")
    began = time.process_time()
    for text in texts:
        normalize(text)
        tokenize(text)
        split_sentences(text)
    return time.process_time() - began


if __name__ == "__main__":
    main()
