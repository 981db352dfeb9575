"""Self-training: silver sentences from unlabelled news, tagged by a gold-trained CRF.

Only sentences whose every tag the CRF is confident about (marginal
probability at or above ``threshold``) and that contain at least one name are
kept: they add new names in familiar contexts without adding much noise.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pycrfsuite

from rasid.errors import InputError
from rasid.ner.conll import TaggedSentence, spans_from_tags
from rasid.ner.features import FeatureExtractor

# News sentences are cut at . ! ? ؟ and tokenised like ANERcorp (clitics attached).
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")
_TOKEN = re.compile(r"(?:[^\W_]|[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640])+|[^\w\s]")


def silver_sentences(
    news_path: Path,
    crf_path: Path,
    extractor: FeatureExtractor,
    limit: int = 3000,
    threshold: float = 0.9,
    min_tokens: int = 6,
    max_tokens: int = 60,
) -> list[TaggedSentence]:
    """Up to ``limit`` confidently tagged news sentences, in corpus order."""
    if not news_path.exists():
        raise InputError(f"news corpus not found at {news_path}")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(crf_path))
    silver: list[TaggedSentence] = []
    try:
        for tokens in news_sentences(news_path, min_tokens, max_tokens):
            tags = tagger.tag(extractor.sentence(tokens))
            if not spans_from_tags(tags):
                continue
            if all(tagger.marginal(t, i) >= threshold for i, t in enumerate(tags)):
                silver.append(TaggedSentence(tuple(tokens), tuple((t,) for t in tags)))
                if len(silver) >= limit:
                    break
    finally:
        tagger.close()
    return silver[:limit]


def news_sentences(path: Path, min_tokens: int = 6, max_tokens: int = 60) -> Iterator[list[str]]:
    """News sentences (JSONL.gz records' ``text``) cut and tokenised the ANERcorp way."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            try:
                text = str(json.loads(line).get("text") or "")
            except json.JSONDecodeError:
                continue
            for paragraph in text.split("\n"):
                for sentence in _SENTENCE_END.split(paragraph):
                    tokens = _TOKEN.findall(sentence)
                    if min_tokens <= len(tokens) <= max_tokens:
                        yield tokens
