"""Does a change to the analysis keep its output? Compares two checkouts, whole pipeline.

    git worktree add /tmp/rasid-base <commit>
    python benchmarks/analysis_same_output.py /tmp/rasid-base/src [CORPUS.jsonl.gz]
        [--articles N] [--skip K]

Runs this checkout's ``rasid`` and the one under OTHER_SRC, each in its own
process, over the same news articles through the full Arabic pipeline (as
``rasid extract`` builds documents: text, id, publication date, title,
source) and compares, article by article, what ``analysis_to_json`` gives
(sentences, mentions, entities, statements, events) and the tokens with their
segments. Prints the counts and, per part, how many articles differ; exits 1
on any difference.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

from _checkouts import checkout_arguments, dumps_of_both

PARTS = ("sentences", "tokens", "mentions", "entities", "statements", "events", "components")


def dump(corpus: Path, articles: int, skip: int, out: Path) -> None:
    from rasid.workflows import Analyzer, ExtractRequest, analysis_to_json, document_from_request

    analyzer = Analyzer("full")
    with gzip.open(corpus, "rt", encoding="utf-8") as handle, out.open("w") as sink:
        for number, line in enumerate(handle):
            if number < skip:
                continue
            if number >= skip + articles:
                break
            record = json.loads(line)
            document = document_from_request(
                ExtractRequest(
                    text=record["text"],
                    id=record.get("id"),
                    published=record.get("published"),
                    title=record.get("title"),
                    source=record.get("source"),
                )
            )
            analysis = analyzer(document)
            row: dict[str, Any] = analysis_to_json(analysis)
            row["tokens"] = [
                [t.text, t.start, t.end, t.norm, t.kind]
                + [[s.text, s.start, s.end, s.norm, s.role] for s in t.segments]
                for t in analysis.tokens
            ]
            sink.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


def main() -> None:
    args = checkout_arguments(articles=2000).parse_args()
    if args.dump is not None:
        dump(args.corpus, args.articles, args.skip, args.dump)
        return
    ours, theirs = (text.splitlines() for text in dumps_of_both(__file__, args))
    differing = {part: 0 for part in PARTS}
    counts = {part: 0 for part in PARTS}
    for a_line, b_line in zip(ours, theirs, strict=True):
        if a_line == b_line:
            a = b = json.loads(a_line)
        else:
            a, b = json.loads(a_line), json.loads(b_line)
        for part in PARTS:
            counts[part] += len(a[part])
            differing[part] += a[part] != b[part]
        if a_line != b_line and not any(a[part] != b[part] for part in PARTS):
            differing["components"] += 1  # some other field differs; count it somewhere
    print(json.dumps({"articles": len(ours), "items": counts, "articles_differing": differing}))
    sys.exit(1 if any(differing.values()) else 0)


if __name__ == "__main__":
    main()
