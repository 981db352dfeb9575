"""Scoring the shipped tagger (CRF + rule layer) on CoNLL files.

rasid's types are mapped back onto the file's label set before scoring; for
ANERcorp that is PERSON→PERS, GPE/LOC/FACILITY→LOC, ORG→ORG, EVENT/MISC→MISC,
and NORP, ROLE, DATE, QUANTITY, PERCENT → O (ANERcorp does not annotate them).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from rasid.errors import InputError
from rasid.ner.conll import TaggedSentence, read_conll, score, tags_from_spans
from rasid.ner.lexical import fold
from rasid.ner.rules import _CRF_TYPE, TypedSpan, propagate, resolve
from rasid.ner.tagger import NerModel

SCHEMES: dict[str, dict[str, str | None]] = {
    "anercorp": {
        "PERSON": "PERS",
        "GPE": "LOC",
        "LOC": "LOC",
        "FACILITY": "LOC",
        "ORG": "ORG",
        "EVENT": "MISC",
        "MISC": "MISC",
        "NORP": None,
        "ROLE": None,
        "DATE": None,
        "QUANTITY": None,
        "PERCENT": None,
    },
    # rasid's own labels, for files annotated with them.
    "rasid": {
        t: t
        for t in (
            "PERSON",
            "ORG",
            "GPE",
            "LOC",
            "FACILITY",
            "NORP",
            "ROLE",
            "EVENT",
            "MISC",
            "DATE",
            "QUANTITY",
            "PERCENT",
        )
    },
}


def typed_spans(model: NerModel, words: Sequence[str], rules: bool = True) -> list[TypedSpan]:
    """The full tagger on one sentence of raw words."""
    crf = model.tag(words, confidence=False)
    if not rules or model.gazetteer is None:
        return [
            TypedSpan(_CRF_TYPE[s.label], None, s.start, s.end, s.confidence, "crf") for s in crf
        ]
    return resolve([fold(w) for w in words], crf, model.gazetteer)


def predict(
    model: NerModel,
    sentences: Sequence[TaggedSentence],
    scheme: str,
    rules: bool = True,
    document: bool = True,
) -> list[list[str]]:
    """Tags in the file's label set; with ``document``, the file is one document."""
    mapping = SCHEMES[scheme]
    per_sentence = [typed_spans(model, s.tokens, rules=rules) for s in sentences]
    if rules and document and model.gazetteer is not None:
        folded = [[fold(w) for w in s.tokens] for s in sentences]
        per_sentence = propagate(folded, per_sentence, model.gazetteer)
    out: list[list[str]] = []
    for sentence, spans in zip(sentences, per_sentence, strict=True):
        out.append(tags_from_spans(len(sentence.tokens), _named(spans, scheme, mapping)))
    return out


def _named(
    spans: list[TypedSpan], scheme: str, mapping: dict[str, str | None]
) -> list[tuple[str, int, int]]:
    kept: list[tuple[str, int, int]] = []
    inner = [s for s in spans if s.source == "nested"]
    if scheme != "rasid":
        # Name-only schemes mark الموصل in معركة الموصل, not the event phrase.
        spans = [
            s
            for s in spans
            if s.source == "nested" or not any(s.start <= i.start and i.end <= s.end for i in inner)
        ]
    else:
        spans = [s for s in spans if s.source != "nested"]
    for span in spans:
        label = mapping.get(span.type)
        # Name-only schemes mark the bare name: غزة, not قطاع غزة.
        bounds = span.named_span() if scheme != "rasid" else (span.start, span.end)
        if label and bounds is not None:
            kept.append((label, *bounds))
    return kept


def evaluate_file(
    path: Path, scheme: str = "anercorp", model_path: Path | None = None, rules: bool = True
) -> dict[str, object]:
    """Precision/recall/F1 (seqeval default spans) of the tagger on a CoNLL file."""
    if scheme not in SCHEMES:
        raise InputError(f"unknown scheme {scheme!r}; choose one of {', '.join(SCHEMES)}")
    sentences = read_conll(path)
    model = NerModel(model_path)
    # CPU time of this process: the throughput of one core, whatever else runs.
    started = time.process_time()
    predicted = predict(model, sentences, scheme, rules=rules)
    elapsed = time.process_time() - started
    n_tokens = sum(len(s.tokens) for s in sentences)
    scores = score([s.flat_tags() for s in sentences], predicted).to_dict()
    return {
        **scores,
        "sentences": len(sentences),
        "tokens": n_tokens,
        "tokens_per_second": round(n_tokens / elapsed) if elapsed > 0 else None,
        "scheme": scheme,
        "rules": rules,
        "model": {"name": model.name, "version": model.version},
    }
