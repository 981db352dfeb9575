"""Word positions inside one folded sentence, for the rules that look left and right.

The facts rules reason over short windows ("the six words before the trigger",
"the noun phrase between the verb and إن"), on the folded text so that spelling
variants compare equal. Offsets here are *folded* indices; ``Folded.to_original``
maps them back.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from rasid.facts.lexicon import Folded

# Words are runs of letters and digits, and single punctuation marks; as one
# capturing group for re.split, whose pieces alternate gap, word, gap, ..., gap.
_SPLIT = re.compile(r"([^\W_]+|[^\w\s])", re.UNICODE)
_CONJUNCTIONS = ("و", "ف")
_ARTICLE = "ال"

#: Punctuation that closes a clause for the left/right window rules.
CLAUSE_PUNCT = frozenset({",", ".", "؛", ";", ":", "!", "?", "؟", '"', "(", ")", "-", "–", "—"})


class Word(NamedTuple):
    # A named tuple, not a dataclass: sentences are split into words a great
    # many times, and tuples are several times cheaper to build.
    text: str  # folded
    start: int  # folded offsets within the sentence
    end: int

    @property
    def is_punct(self) -> bool:
        return not self.text[0].isalnum()

    @property
    def bare(self) -> str:
        """Without a leading و/ف and the article: "والصحيفة" -> "صحيفه"."""
        return strip_clitics(self.text)


def strip_clitics(word: str) -> str:
    if len(word) > 3 and word[0] in _CONJUNCTIONS and word[1:3] in {"ال", "لل", "با", "بال"}:
        word = word[1:]
    if len(word) > 4 and word.startswith("لل"):
        return word[2:]
    if len(word) > 4 and word.startswith("بال"):
        return word[3:]
    if len(word) > 3 and word.startswith(_ARTICLE):
        return word[2:]
    return word


def split_words(folded: Folded) -> list[Word]:
    return _split(folded.text)


_new_word = tuple.__new__


@lru_cache(maxsize=64)
def _split(text: str) -> list[Word]:
    # Cached: attribution and the extractors split the same sentence.
    # re.split finds the words in C and their offsets are a running sum of the
    # pieces' lengths (cheaper than a match object per word); tuple.__new__
    # builds each Word without a call through the named tuple's __new__.
    pieces = _SPLIT.split(text)
    words: list[Word] = []
    append = words.append
    position = len(pieces[0])
    for index in range(1, len(pieces), 2):
        word = pieces[index]
        end = position + len(word)
        append(_new_word(Word, (word, position, end)))
        position = end + len(pieces[index + 1])
    return words


def index_at(words: list[Word], offset: int) -> int:
    """Index of the first word that ends after ``offset`` (folded)."""
    for i, word in enumerate(words):
        if word.end > offset:
            return i
    return len(words)
