"""Pipeline components for the text layer: sentences and tokens."""

from __future__ import annotations

from rasid.model import Analysis
from rasid.pipeline import Component, registry
from rasid.text.sentences import split_sentences
from rasid.text.tokenize import tokenize


def _add_sentences(analysis: Analysis) -> None:
    analysis.sentences = split_sentences(analysis.document.text)


def _add_tokens(analysis: Analysis) -> None:
    analysis.tokens = tokenize(analysis.document.text)


@registry.register("text.sentences")
def sentences_component() -> Component:
    return Component("text.sentences", "v1", _add_sentences, requires=(), assigns=("sentences",))


@registry.register("text.tokens")
def tokens_component() -> Component:
    return Component("text.tokens", "v1", _add_tokens, requires=(), assigns=("tokens",))
