"""The trained NER model at run time: load the bundle once, tag word sequences.

Only python-crfsuite and the two small tables are needed: no network, no
torch. :meth:`NerModel.tag` returns ANERcorp-labelled spans (PERS, LOC, ORG,
MISC) over word indices with a confidence from crfsuite's marginals;
:mod:`rasid.ner.rules` turns them into rasid's types.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rasid.errors import ModelError
from rasid.ner.clusters import ClusterTable
from rasid.ner.conll import Span, spans_from_tags
from rasid.ner.crf import CrfWeights, Matrix, marginals, viterbi
from rasid.ner.features import FeatureConfig, FeatureExtractor, Lexical
from rasid.ner.gazetteer import Gazetteer
from rasid.ner.scoring import WordScorer

DEFAULT_MODEL_NAME = "ner-crf.v1.crfsuite"
#: Longest run of words tagged as one CRF sequence: keeps cost linear on
#: unpunctuated input (1 MB of one word) without changing normal sentences.
MAX_SEQUENCE = 120


def _label_spans(path: list[int], names: Sequence[str], outside: int) -> list[Span]:
    """:func:`spans_from_tags` of a path of label IDs (``outside``: the ID of O).

    An O ends any span and starts none, so each run of other labels is read
    on its own, and the O tokens, most of a sentence, are never looked at one by one."""
    if outside < 0:
        return spans_from_tags([names[y] for y in path])
    spans: list[Span] = []
    # Label IDs are bytes: crf.CrfWeights.read refuses more than 256 labels.
    for run in re.finditer(b"[^" + re.escape(bytes((outside,))) + b"]+", bytes(path)):
        lo = run.start()
        for label, start, end in spans_from_tags([names[y] for y in run.group()]):
            spans.append((label, lo + start, lo + end))
    return spans


def default_model_path() -> Path:
    return Path(str(resources.files("rasid") / "data" / "models" / DEFAULT_MODEL_NAME))


@dataclass(frozen=True, slots=True)
class CrfSpan:
    label: str  # PERS | LOC | ORG | MISC
    start: int  # word index
    end: int  # exclusive
    confidence: float


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
        weights = CrfWeights.read(path)
        # Attributes without a weight change nothing: they are not emitted.
        extractor.restrict_to(frozenset(weights.attributes))
        self._setup(path, meta, extractor, gazetteer, weights)

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
        model._setup(crf_path, meta, extractor, gazetteer, CrfWeights.read(crf_path))
        return model

    def _setup(
        self,
        path: Path,
        meta: dict[str, object],
        extractor: FeatureExtractor,
        gazetteer: Gazetteer | None,
        weights: CrfWeights,
    ) -> None:
        self.meta = meta
        self.name = str(meta.get("name", "ner-crf"))
        self.version = str(meta.get("version", "v1"))
        # The rule layer uses the gazetteer even when the CRF features do not.
        self.gazetteer = gazetteer
        self.extractor = extractor
        self.weights = weights
        self.labels = set(weights.labels)
        # Scores many sentences at once; `extractor` stays the string form for training.
        self._scorer = WordScorer(extractor, weights)

    def tag_chunks(
        self,
        chunks: Sequence[Sequence[str]],
        confidence: bool = True,
        lexical: Sequence[Lexical] | None = None,
    ) -> list[list[CrfSpan]]:
        """CRF spans of each word sequence (each at most ``MAX_SEQUENCE`` long),
        with the mean marginal probability of their tags; ``lexical`` is what
        :meth:`lexical` gave for the same chunks, if the caller has it."""
        if not all(chunks):
            keep = [k for k, c in enumerate(chunks) if c]
            tagged = iter(
                self.tag_chunks(
                    [chunks[k] for k in keep],
                    confidence,
                    None if lexical is None else [lexical[k] for k in keep],
                )
            )
            return [next(tagged) if c else [] for c in chunks]
        if not chunks:
            return []
        emissions = self._scorer.emissions(chunks, lexical)
        names = self.weights.labels
        paths = viterbi(emissions, self.weights.transition)
        outside = names.index("O") if "O" in names else -1
        found = [_label_spans(path, names, outside) for path in paths]
        probs: list[Matrix | None] = [None] * len(chunks)
        if confidence:
            todo = [k for k, spans in enumerate(found) if spans]
            for k, probable in zip(
                todo,
                marginals([emissions[k] for k in todo], self.weights.transition),
                strict=True,
            ):
                probs[k] = probable
        out: list[list[CrfSpan]] = []
        for k, spans in enumerate(found):
            table, path = probs[k], paths[k]
            row: list[CrfSpan] = []
            for label, start, end in spans:
                conf = 1.0
                if table is not None:
                    conf = float(sum(table[i, path[i]] for i in range(start, end))) / (end - start)
                row.append(CrfSpan(label, start, end, conf))
            out.append(row)
        return out

    def lexical(self, words: Sequence[str]) -> Lexical:
        """Folded forms, gazetteer classes and matches of a word run (cached per word).

        With ``gazetteer`` the table the rule layer uses; else only the folded forms count."""
        return self._scorer.lexical(words)

    def lexical_runs(
        self, words: Sequence[str], ranges: Sequence[tuple[int, int]]
    ) -> list[Lexical]:
        """:meth:`lexical` of each run ``words[lo:hi]`` of a document, its words looked up once."""
        return self._scorer.runs(words, ranges)

    @property
    def shares_gazetteer(self) -> bool:
        """Whether the features look words up in the rule layer's gazetteer."""
        return self._scorer.gazetteer is self.gazetteer

    def tag_labels(self, words: Sequence[str]) -> list[str]:
        """IOB2 tags for a word sequence (chunked at ``MAX_SEQUENCE``)."""
        chunks = [words[lo : lo + MAX_SEQUENCE] for lo in range(0, len(words), MAX_SEQUENCE)]
        chunks = [c for c in chunks if c]
        if not chunks:
            return []
        names = self.weights.labels
        paths = viterbi(self._scorer.emissions(chunks), self.weights.transition)
        return [names[y] for path in paths for y in path]

    def tag(self, words: Sequence[str], confidence: bool = True) -> list[CrfSpan]:
        """CRF spans with the mean marginal probability of their tags."""
        los = range(0, len(words), MAX_SEQUENCE)
        chunks = [words[lo : lo + MAX_SEQUENCE] for lo in los]
        return [
            CrfSpan(s.label, lo + s.start, lo + s.end, s.confidence)
            for lo, spans in zip(los, self.tag_chunks(chunks, confidence), strict=True)
            for s in spans
        ]
