"""Draw candidate sentences for the event-detection benchmark (run once, then label by hand).

The ANT corpus excludes the "middleEast" category, so conflict reports are
rare: candidates are drawn from sentences carrying conflict vocabulary (the
positive pool, which still holds many negatives: football "هجوم", political
"معركة") and from sentences with words that look like conflict vocabulary in
other senses (hard negatives), plus plain random sentences. The draw is seeded,
so the same candidates come out every time. Output: one JSON line per
candidate with doc id, offsets and the text, for the labeller's eyes only
(never committed: the committed labels keep offsets, not text).

    python benchmarks/events_sample.py ../shared/data/news/ant-v2.1-non-middle-east.jsonl.gz > /tmp/candidates.jsonl
"""

from __future__ import annotations

import gzip
import json
import random
import re
import sys

CONFLICT = re.compile(
    r"هجوم|هجمات|اشتباك|غارة|غارات|قصف|انفجار|تفجير|معارك|معركة|مسلح|كمين|انتحاري|مفخخ|ناسف|قذائف|اقتتال"
)
LOOKALIKE = re.compile(r"هجوم|هجمة|هجمات|معركة|قصف|انفجار|قذيفة|صاروخ|غزو|حرب|سلاح|ضرب")
SENTENCE = re.compile(r"[^.!؟?\n]+[.!؟?]?")


def sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in SENTENCE.finditer(text):
        start = match.start() + len(match.group()) - len(match.group().lstrip())
        end = match.end()
        if 40 <= end - start <= 400:
            spans.append((start, end))
    return spans


def main(path: str) -> None:
    rng = random.Random(20260425)
    pools: dict[str, list[dict[str, object]]] = {"conflict": [], "lookalike": [], "random": []}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            text = doc["text"]
            for start, end in sentences(text):
                sentence = text[start:end]
                row = {
                    "id": doc["id"],
                    "sentence_start": start,
                    "sentence_end": end,
                    "category": doc["category"],
                    "text": sentence,
                }
                if CONFLICT.search(sentence):
                    pools["conflict"].append(row)
                elif LOOKALIKE.search(sentence):
                    pools["lookalike"].append(row)
                elif rng.random() < 0.002:
                    pools["random"].append(row)
    picks = (
        rng.sample(pools["conflict"], 130)
        + rng.sample(pools["lookalike"], 50)
        + rng.sample(pools["random"], 20)
    )
    rng.shuffle(picks)
    for number, row in enumerate(picks):
        print(json.dumps({"n": number, **row}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
