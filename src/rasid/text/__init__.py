"""rasid.text: the Arabic text core.

Normalisation with offset maps, tokens with clitic segments, sentences and a
language guess; every offset points into the exact original text. See
docs/text.md. Numbers and dates live in :mod:`rasid.text.numbers` and
:mod:`rasid.text.dates`.
"""

from rasid.text.language import detect_language
from rasid.text.normalize import NormalizedText, fold, normalize, normalize_key
from rasid.text.sentences import split_sentences
from rasid.text.tokenize import iter_tokens, segment_norms, tokenize

__all__ = [
    "NormalizedText",
    "detect_language",
    "fold",
    "iter_tokens",
    "normalize",
    "normalize_key",
    "segment_norms",
    "split_sentences",
    "tokenize",
]
