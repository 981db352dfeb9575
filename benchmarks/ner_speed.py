"""Speed of the NER tagger end to end from text, on one core.

    python benchmarks/ner_speed.py [CORPUS.jsonl.gz] [--articles N] [--model PATH]

For each article: split sentences, tokenize, run ``ner.crf`` (features, CRF,
marginals, rule layer, mentions with offsets); the text layer's share of the
CPU time is reported beside the total. Tokens are rasid tokens (words,
numbers, punctuation). Times are CPU seconds of this one process, so other jobs
on a shared machine do not count; wall time is printed beside them. Also
reports model load time and peak resident memory.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import resource
import time
from pathlib import Path

from _checkouts import NEWS

DEFAULT = NEWS


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()
    texts: list[str] = []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as handle:
        for line in handle:
            texts.append(json.loads(line)["text"])
            if len(texts) >= args.articles:
                break

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from rasid.model import Analysis, Document
    from rasid.text.sentences import split_sentences
    from rasid.text.tokenize import tokenize

    tokenize("تحميل")  # the text layer's lexicon is not part of the NER load time
    wall0, cpu0 = time.perf_counter(), time.process_time()
    from rasid.ner.component import NerTagger

    tagger = NerTagger(args.model)
    load_wall, load_cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    gc.freeze()  # as the ingest workers do once their pipeline is loaded

    n_tokens = n_words = n_mentions = 0
    text_cpu = 0.0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for text in texts:
        started = time.process_time()
        analysis = Analysis(document=Document(text=text, sha256="-", source_uri="bench"))
        analysis.sentences = split_sentences(text)
        analysis.tokens = tokenize(text)
        text_cpu += time.process_time() - started
        tagger(analysis)
        n_tokens += len(analysis.tokens)
        n_words += len(text.split())
        n_mentions += len(analysis.mentions)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(
        json.dumps(
            {
                "articles": len(texts),
                "tokens": n_tokens,
                "words": n_words,
                "mentions": n_mentions,
                "tokens_per_second_cpu": round(n_tokens / cpu),
                "words_per_second_cpu": round(n_words / cpu),
                "tokens_per_second_wall": round(n_tokens / wall),
                "cpu_seconds": round(cpu, 2),
                # The split: sentences + tokens (the text layer) and the tagger alone.
                "text_layer_cpu_seconds": round(text_cpu, 2),
                "tagger_tokens_per_second_cpu": round(n_tokens / (cpu - text_cpu)),
                "wall_seconds": round(wall, 2),
                "model_load_seconds_wall": round(load_wall, 3),
                "model_load_seconds_cpu": round(load_cpu, 3),
                "model": {"name": tagger.model.name, "version": tagger.model.version},
                "rss_mb_before_load": round(rss_before / 1024, 1),
                "rss_mb_after_load": round(rss_loaded / 1024, 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
