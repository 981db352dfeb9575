"""Does a change to the text layer or the NER tagger keep its output? Compares two checkouts.

    git worktree add /tmp/rasid-base <commit>
    python benchmarks/ner_same_output.py /tmp/rasid-base/src [CORPUS.jsonl.gz] [--articles N] [--skip K]

Runs this checkout's ``rasid`` and the one under OTHER_SRC, each in its own
process, over the same news articles (sentences, tokens, then ``ner.crf``) and
compares: the sentences, the tokens with their segments, the mentions (type,
subtype, offsets, text, norm, rounded confidence, source) and the CRF's own
spans with their unrounded confidences. Prints the counts and the largest
confidence difference; exits 1 on any difference or a confidence difference
above 1e-9.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

from _checkouts import checkout_arguments, dumps_of_both


def dump(corpus: Path, articles: int, skip: int, out: Path) -> None:
    from rasid.model import Analysis, Document
    from rasid.ner.component import NerTagger
    from rasid.text.sentences import split_sentences
    from rasid.text.tokenize import tokenize

    tagger = NerTagger()
    rows: list[dict[str, Any]] = []
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number < skip:
                continue
            if len(rows) >= articles:
                break
            text = json.loads(line)["text"]
            analysis = Analysis(document=Document(text=text, sha256="-", source_uri="check"))
            analysis.sentences = split_sentences(text)
            analysis.tokens = tokenize(text)
            tagger(analysis)
            runs = [[t.text for t in run] for run in tagger.chunks(analysis)]
            crf = tagger.model.tag_chunks([run for run in runs if run])
            rows.append(
                {
                    "sentences": [[s.start, s.end] for s in analysis.sentences],
                    "tokens": [
                        [t.text, t.start, t.end, t.norm, t.kind]
                        + [[s.text, s.start, s.end, s.norm, s.role] for s in t.segments]
                        for t in analysis.tokens
                    ],
                    "mentions": [
                        [m.type, m.subtype, m.start, m.end, m.text, m.norm, m.confidence, m.value]
                        for m in analysis.mentions
                    ],
                    "crf": [[[s.label, s.start, s.end, s.confidence] for s in run] for run in crf],
                }
            )
    out.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


def compare(ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> tuple[int, int, float]:
    """(differing articles, mentions, largest CRF confidence difference)."""
    bad, worst = 0, 0.0
    for a, b in zip(ours, theirs, strict=True):
        same = all(a[k] == b[k] for k in ("sentences", "tokens", "mentions"))
        same = same and len(a["crf"]) == len(b["crf"])
        for x, y in zip(a["crf"], b["crf"], strict=False):
            same = same and [s[:3] for s in x] == [s[:3] for s in y]
            for s, t in zip(x, y, strict=False):
                worst = max(worst, abs(s[3] - t[3]))
        bad += not same
    return bad, sum(len(a["mentions"]) for a in ours), worst


def main() -> None:
    args = checkout_arguments(articles=1500).parse_args()
    if args.dump is not None:
        dump(args.corpus, args.articles, args.skip, args.dump)
        return
    found = [json.loads(text) for text in dumps_of_both(__file__, args)]
    bad, mentions, worst = compare(found[0], found[1])
    print(
        json.dumps(
            {
                "articles": len(found[0]),
                "mentions": mentions,
                "articles_differing": bad,
                "max_crf_confidence_difference": worst,
            }
        )
    )
    sys.exit(1 if bad or worst > 1e-9 else 0)


if __name__ == "__main__":
    main()
