"""The trained NER model at run time: load the bundle once, tag word sequences.

Only python-crfsuite and the two small tables are needed: no network, no
torch. :meth:`NerModel.tag` returns ANERcorp-labelled spans (PERS, LOC, ORG,
MISC) over word indices with a confidence from crfsuite's marginals;
:mod:`rasid.ner.rules` turns them into rasid's types.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pycrfsuite

from rasid.errors import ModelError
from rasid.ner.clusters import ClusterTable
from rasid.ner.conll import spans_from_tags
from rasid.ner.features import FeatureConfig, FeatureExtractor
from rasid.ner.gazetteer import Gazetteer

DEFAULT_MODEL_NAME = "ner-crf.v1.crfsuite"
#: Longest run of words tagged as one CRF sequence: keeps cost linear on
#: unpunctuated input (1 MB of one word) without changing normal sentences.
MAX_SEQUENCE = 120


def default_model_path() -> Path:
    return Path(str(resources.files("rasid") / "data" / "models" / DEFAULT_MODEL_NAME))


@dataclass(frozen=True, slots=True)
class CrfSpan:
    label: str  # PERS | LOC | ORG | MISC
    start: int  # word index
    end: int  # exclusive
    confidence: float


def _read_attributes(path: Path) -> frozenset[str]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return frozenset(line.rstrip("\n") for line in handle if line.strip())
    except OSError as exc:
        raise ModelError(f"cannot read model attributes {path}: {exc}") from exc


class NerModel:
    """A loaded CRF bundle (model, metadata, clusters, gazetteer)."""

    def __init__(self, path: Path | None = None) -> None:
        from rasid.ner.train import bundle_paths

        path = path or default_model_path()
        paths = bundle_paths(path)
        if not path.exists():
            raise ModelError(
                f"NER model not found at {path}; train one with `rasid train ner` or pass --model"
            )
        try:
            meta = json.loads(paths["meta"].read_text("utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ModelError(
                f"NER model metadata {paths['meta']} is missing or broken: {exc}"
            ) from exc
        config = FeatureConfig(**meta.get("features", {}))
        clusters = ClusterTable.load(paths["clusters"]) if config.clusters else None
        gazetteer = Gazetteer.load(paths["gazetteer"]) if paths["gazetteer"].exists() else None
        extractor = FeatureExtractor(clusters, gazetteer if config.gazetteer else None, config)
        if paths["attributes"].exists():
            extractor.restrict_to(_read_attributes(paths["attributes"]))
        self._setup(path, meta, extractor, gazetteer)

    @classmethod
    def from_parts(
        cls,
        crf_path: Path,
        meta: dict[str, object],
        extractor: FeatureExtractor,
        gazetteer: Gazetteer | None,
    ) -> NerModel:
        """A model from tables already in memory (used while training)."""
        model = cls.__new__(cls)
        model._setup(crf_path, meta, extractor, gazetteer)
        return model

    def _setup(
        self,
        path: Path,
        meta: dict[str, object],
        extractor: FeatureExtractor,
        gazetteer: Gazetteer | None,
    ) -> None:
        self.meta = meta
        self.name = str(meta.get("name", "ner-crf"))
        self.version = str(meta.get("version", "v1"))
        # The rule layer uses the gazetteer even when the CRF features do not.
        self.gazetteer = gazetteer
        self.extractor = extractor
        self._tagger = pycrfsuite.Tagger()
        try:
            self._tagger.open(str(path))
        except OSError as exc:
            raise ModelError(f"cannot open NER model {path}: {exc}") from exc
        self.labels = set(self._tagger.labels())

    def tag_labels(self, words: Sequence[str]) -> list[str]:
        """IOB2 tags for a word sequence (chunked at ``MAX_SEQUENCE``)."""
        tags: list[str] = []
        for lo in range(0, len(words), MAX_SEQUENCE):
            chunk = words[lo : lo + MAX_SEQUENCE]
            tags.extend(self._tagger.tag(self.extractor.sentence(chunk)))
        return tags

    def tag(self, words: Sequence[str], confidence: bool = True) -> list[CrfSpan]:
        """CRF spans with the mean marginal probability of their tags."""
        spans: list[CrfSpan] = []
        for lo in range(0, len(words), MAX_SEQUENCE):
            chunk = words[lo : lo + MAX_SEQUENCE]
            if not chunk:
                continue
            tags = self._tagger.tag(self.extractor.sentence(chunk))
            for label, start, end in spans_from_tags(tags):
                conf = 1.0
                if confidence:
                    probs = [self._tagger.marginal(tags[i], i) for i in range(start, end)]
                    conf = sum(probs) / len(probs)
                spans.append(CrfSpan(label, lo + start, lo + end, conf))
        return spans
