"""Speed of entity linking on the ANT news corpus (words per second).

Analyses the first N articles with the full Arabic pipeline once (timed per
component), then replays what an ingest does after analysis for linking:
cross-document resolution against the in-memory key index, then assembling the
entity rows in a scratch store. Reports words/s for the ``link`` component,
for resolution and for assembly, the share of linking in the whole, and how
entities were joined (keys, kunya keys, scores).

    python benchmarks/link_speed.py [--docs 2000] [--news PATH] [--model PATH]
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
import time
from collections import Counter
from pathlib import Path

from rasid.model import Analysis, Document

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "data" / "news" / "ant-v2.1-non-middle-east.jsonl.gz"


def read(path: Path, limit: int) -> list[Document]:
    documents = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            text = (record.get("title") or "") + "\n\n" + (record.get("text") or "")
            documents.append(Document(text=text, sha256=str(record["id"]), source_uri="ant"))
            if len(documents) >= limit:
                break
    return documents


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--news", type=Path, default=NEWS)
    parser.add_argument("--model", type=Path, help="NER model file (default: the bundled one)")
    args = parser.parse_args()
    if args.model:
        import rasid.ner.tagger as tagger

        model: Path = args.model
        tagger.default_model_path = lambda: model

    from rasid.kb.store import Store
    from rasid.link.assemble import assemble_entities
    from rasid.link.judgements import Resolver
    from rasid.link.resolve import KeyIndex, resolve_analysis
    from rasid.workflows import Analyzer

    documents = read(args.news, args.docs)
    words = sum(len(d.text.split()) for d in documents)
    pipeline = Analyzer().arabic
    per_component: Counter[str] = Counter()
    analyses: list[Analysis] = []
    for document in documents:
        analysis = Analysis(document=document)
        for component in pipeline.components:
            start = time.perf_counter()
            component.fn(analysis)
            per_component[component.name] += time.perf_counter() - start
        analyses.append(analysis)
    pipeline_s = sum(per_component.values())

    index = KeyIndex(Resolver())
    reasons: Counter[str] = Counter()
    start = time.perf_counter()
    for analysis in analyses:
        resolve_analysis(analysis, index)
        for mention in analysis.mentions:
            if "linked_by" in mention.value:
                reasons[str(mention.value["linked_by"]).split(":")[0]] += 1
    resolve_s = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as scratch:
        with Store(Path(scratch) / "kb.db") as store:
            for analysis in analyses:
                # Only mentions matter to assembly; events are the facts layer's.
                store.add_analysis(
                    Analysis(
                        document=analysis.document,
                        sentences=analysis.sentences,
                        tokens=analysis.tokens,
                        mentions=analysis.mentions,
                    ),
                    content_key=analysis.document.id,
                )
            touched = {e["id"] for a in analyses for e in a.entities}
            start = time.perf_counter()
            assembled = assemble_entities(store, touched)
            assemble_s = time.perf_counter() - start

    link_s = per_component["link"]
    total = pipeline_s + resolve_s + assemble_s
    print(f"{len(documents)} documents, {words} words")
    print(f"pipeline (all components): {words / pipeline_s:,.0f} words/s ({pipeline_s:.1f} s)")
    for name, seconds in per_component.most_common():
        print(f"  {name:16} {seconds:7.2f} s  {100 * seconds / pipeline_s:5.1f}%")
    print(f"link component: {words / link_s:,.0f} words/s ({link_s:.2f} s)")
    print(f"resolution (KeyIndex, {len(index)} entities): {words / resolve_s:,.0f} words/s")
    print(f"assembly ({assembled} rows): {words / assemble_s:,.0f} words/s ({assemble_s:.2f} s)")
    share = (link_s + resolve_s + assemble_s) / total
    print(f"linking share of analysis + linking: {100 * share:.1f}%")
    print(f"mentions joined across documents by: {dict(reasons)}")


if __name__ == "__main__":
    main()
