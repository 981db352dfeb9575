"""What the extractors know about one sentence while they work on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasid.facts.attribution import SentenceAttribution
from rasid.facts.certainty import Cue, certainty_of
from rasid.facts.lexicon import Folded
from rasid.facts.words import Word, split_words
from rasid.model import Mention, SourceLink


@dataclass(slots=True)
class SentenceContext:
    index: int
    start: int
    end: int
    text: str  # the whole document text (offsets are document offsets)
    folded: Folded
    attribution: SentenceAttribution
    cues: list[Cue]
    mentions: list[Mention]  # mentions inside the sentence, in order
    _words: list[Word] | None = field(default=None, repr=False)

    @property
    def words(self) -> list[Word]:
        if self._words is None:
            self._words = split_words(self.folded)
        return self._words

    @property
    def sentence(self) -> str:
        return self.text[self.start : self.end]

    def word_index(self, offset: int) -> int:
        """Index of the word containing or following original ``offset``."""
        local = self.folded.from_original(offset)
        for i, word in enumerate(self.words):
            if word.end > local:
                return i
        return len(self.words)

    def word_span(self, i: int, j: int) -> tuple[int, int]:
        """Original offsets covering words ``i..j-1``."""
        start, _ = self.folded.to_original(self.words[i].start, self.words[i].start)
        _, end = self.folded.to_original(self.words[j - 1].end, self.words[j - 1].end)
        return start, end

    def chain(self, anchor: int) -> tuple[tuple[SourceLink, ...], str]:
        return self.attribution.at(anchor)

    def certainty(self, anchor: int, extra: tuple[str, ...] = ()) -> str:
        chain, kind = self.chain(anchor)
        return certainty_of(anchor, kind, len(chain), self.cues, extra)

    def mentions_of(self, *types: str) -> list[Mention]:
        return [m for m in self.mentions if m.type in types]

    def cue_levels(self) -> set[str]:
        return {cue.level for cue in self.cues}

    def has_cue(self, level: str, after: int | None = None) -> bool:
        return any(c.level == level and (after is None or c.start >= after) for c in self.cues)


def chain_dicts(chain: tuple[SourceLink, ...]) -> list[dict[str, Any]]:
    return [
        {
            "name": link.name,
            "role": link.role,
            "entity_id": link.entity_id,
            "start": link.start,
            "end": link.end,
        }
        for link in chain
    ]
