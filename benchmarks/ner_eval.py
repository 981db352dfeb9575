"""NER quality on the development split (last 10% of ANERcorp train, contiguous).

    python benchmarks/ner_eval.py [--data-dir ../shared/data] [--iterations 150]
    python benchmarks/ner_eval.py --shipped    # score the shipped model as is
    python benchmarks/ner_eval.py --silver FILE [--silver-limit N]   # + silver CoNLL

By default it refits the CRF on the train part only (the shipped model has also
seen the dev sentences), with the shipped model's feature settings, cluster
table and gazetteer, then scores the full tagger (CRF + rule layer, mapped to
ANERcorp's labels, seqeval default spans) and the CRF alone on the dev part.
``--shipped`` writes the dev sentences to a temporary CoNLL file (never into
the repo) and runs ``rasid eval ner`` on it: an optimistic, seen-data figure.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from rasid.ner.evaluate import evaluate_file
from rasid.ner.tagger import NerModel
from rasid.ner.train import TrainConfig, anercorp_split, experiment, silver_file

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=DEFAULT)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--iterations", type=int, default=None)
    parser.add_argument("--shipped", action="store_true")
    parser.add_argument("--silver", type=Path, default=None, help="extra silver CoNLL file")
    parser.add_argument("--silver-limit", type=int, default=0, help="first N silver sentences")
    args = parser.parse_args()
    train, dev = anercorp_split(args.data_dir)
    with tempfile.TemporaryDirectory() as tmp:
        if args.shipped:
            path = Path(tmp) / "dev.conll"
            with path.open("w", encoding="utf-8") as handle:
                for sentence in dev:
                    for token, tag in zip(sentence.tokens, sentence.flat_tags(), strict=True):
                        handle.write(f"{token} {tag}\n")
                    handle.write("\n")
            result = evaluate_file(path, scheme="anercorp", model_path=args.model)
        else:
            shipped = NerModel(args.model)
            training = dict(shipped.meta.get("training", {}))  # type: ignore[arg-type]
            config = TrainConfig(
                c1=float(training.get("c1", 0.05)),
                c2=float(training.get("c2", 0.05)),
                max_iterations=args.iterations or int(training.get("max_iterations", 150)),
                self_train=int(training.get("self_train", 0) or 0),
                silver=str(args.silver) if args.silver else "",
                silver_limit=args.silver_limit,
            )
            extra = []
            silver_n = int(training.get("self_train", 0) or 0)
            if silver_n:
                # Same procedure as training: silver from a train-part-only CRF.
                from rasid.ner.selftrain import silver_sentences
                from rasid.ner.train import train_crf

                gold = Path(tmp) / "gold.crfsuite"
                train_crf(train, shipped.extractor, gold, config)
                extra = silver_sentences(
                    args.data_dir / "news" / "ant-v2.1-non-middle-east.jsonl.gz",
                    gold,
                    shipped.extractor,
                    limit=silver_n,
                    threshold=float(training.get("self_train_threshold", 0.9)),
                )
            silver = silver_file(config)
            extra = extra + silver
            result = experiment(
                list(train) + extra, dev, shipped.extractor, config, Path(tmp), shipped.gazetteer
            )
            result["model"] = {
                "name": shipped.name,
                "version": shipped.version,
                "refit": "train part only",
            }
            if args.silver:
                result["silver"] = {"file": str(args.silver), "sentences": len(silver)}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
