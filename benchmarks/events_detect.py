"""Event-detection benchmark: does a sentence report an attack, battle or bombardment?

Labels are in ``benchmarks/data/events_dev.jsonl`` as ``{id, sentence_start,
sentence_end, label, split}``: the sentence text is read from the ANT corpus in
../shared at run time (corpus text is never committed). The labels were written
by hand before the lexicon was tuned; lexicon changes were made looking only at
the ``tune`` half, and the ``heldout`` half is reported untouched.

    python benchmarks/events_detect.py [--news PATH] [--errors tune]

``--errors SPLIT`` prints the misclassified sentences of that split (to the
terminal only).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

from rasid.facts.triggers import default_finder, reports_violence

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "benchmarks" / "data" / "events_dev.jsonl"
NEWS = ROOT.parent / "shared" / "data" / "news" / "ant-v2.1-non-middle-east.jsonl.gz"


def load(labels: Path, news: Path) -> list[dict[str, object]]:
    rows = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines() if line]
    wanted = {row["id"] for row in rows}
    texts: dict[str, str] = {}
    with gzip.open(news, "rt", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            if doc["id"] in wanted:
                texts[doc["id"]] = doc["text"]
    missing = wanted - set(texts)
    if missing:
        sys.exit(f"{len(missing)} labelled documents are not in {news}: {sorted(missing)[:3]}")
    for row in rows:
        row["text"] = texts[str(row["id"])][int(row["sentence_start"]) : int(row["sentence_end"])]
    return rows


def scores(rows: list[dict[str, object]]) -> dict[str, float]:
    tp = sum(1 for r in rows if r["label"] and r["predicted"])
    fp = sum(1 for r in rows if not r["label"] and r["predicted"])
    fn = sum(1 for r in rows if r["label"] and not r["predicted"])
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n": len(rows),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=Path, default=NEWS)
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--errors", choices=("tune", "heldout", "all"), default=None)
    args = parser.parse_args()
    rows = load(args.labels, args.news)
    finder = default_finder()
    started = time.perf_counter()
    for row in rows:
        row["predicted"] = reports_violence(str(row["text"]), finder)
    elapsed = time.perf_counter() - started
    for split in ("tune", "heldout", "all"):
        subset = [r for r in rows if split == "all" or r["split"] == split]
        s = scores(subset)
        print(
            f"{split:8s} n={s['n']:3d} P={s['precision']:.3f} R={s['recall']:.3f} "
            f"F1={s['f1']:.3f} (tp={s['tp']} fp={s['fp']} fn={s['fn']})"
        )
    print(f"{len(rows)} sentences in {elapsed * 1000:.1f} ms")
    if args.errors:
        for row in rows:
            if row["label"] != row["predicted"] and (
                args.errors == "all" or row["split"] == args.errors
            ):
                kind = "FN" if row["label"] else "FP"
                print(f"{kind} {row['id']}:{row['sentence_start']} | {row['text']}")


if __name__ == "__main__":
    main()
