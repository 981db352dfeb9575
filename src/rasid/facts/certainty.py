"""Certainty: how sure the text is of each statement.

Levels and their precedence come from ``schema.yaml`` (``certainty``); the cue
words from ``data/facts/certainty.yaml``. A statement's level is the strongest
of: its attribution (a quoted or relayed source makes it *reported*, a belief
verb *believed*, a denial *denied*, a claim verb *uncertain*), doubt cues that
govern it in the sentence (``يصعب التأكد``), an estimate on its figure
(``تقريباً``) and negation inside the claim (``لم يتم``).

Doubt and denial cues govern what follows them in the sentence; a cue after a
comma near the end (``..., وهو ما لم يتسن التحقق منه``) governs what precedes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rasid.facts.attribution import KIND_CERTAINTY
from rasid.facts.lexicon import Folded, Lexicon, lexicon_from
from rasid.facts.schema import load_schema
from rasid.facts.words import Word

_FILE = "certainty.yaml"
CUE_LEVELS = ("uncertain", "believed", "estimated", "denied", "negation", "planned")
# Negation reaches this many words back from a trigger, within its clause.
NEGATION_WINDOW = 5
_POSTPOSED = ("وهو ما", "وهذا ما", "وهي ما", ",", "، ")


@dataclass(frozen=True, slots=True)
class Cue:
    level: str  # one of CUE_LEVELS
    start: int  # original offsets
    end: int
    text: str
    postposed: bool = False


class CertaintyCues:
    """The cue lexicons, compiled once."""

    def __init__(self) -> None:
        self.lexicons: dict[str, Lexicon] = {
            level: lexicon_from(_FILE, level, prefixes="particle") for level in CUE_LEVELS
        }

    def find(self, folded: Folded, text: str, levels: Iterable[str] = CUE_LEVELS) -> list[Cue]:
        cues: list[Cue] = []
        for level in levels:
            lexicon = self.lexicons[level]
            if not lexicon.search(folded):
                continue
            for hit in lexicon.finditer(folded, text):
                before = folded.text[: folded.from_original(hit.start)].rstrip()
                postposed = before.endswith(_POSTPOSED) or before.endswith(",")
                cues.append(Cue(level, hit.start, hit.end, hit.text, postposed))
        return cues

    def negated_before(self, folded: Folded, words: Sequence[Word], word_index: int) -> bool:
        """Whether a negation particle precedes word ``word_index`` in its clause."""
        lexicon = self.lexicons["negation"]
        for i in range(word_index - 1, max(-1, word_index - 1 - NEGATION_WINDOW), -1):
            word = words[i]
            if word.is_punct:
                return False
            if word.text in lexicon.entries or word.text.lstrip("وف") in lexicon.entries:
                return True
        return False


def governs(cue: Cue, offset: int) -> bool:
    """Whether a doubt or denial cue applies to a statement anchored at ``offset``."""
    return offset >= cue.start or cue.postposed


def certainty_of(
    anchor: int,
    attribution_kind: str,
    chain_length: int,
    cues: Sequence[Cue],
    extra: Iterable[str] = (),
) -> str:
    """The certainty level of a statement anchored at ``anchor`` (original offset)."""
    levels = set(extra)
    levels.add(KIND_CERTAINTY.get(attribution_kind, "asserted"))
    if chain_length > 1:
        levels.add("reported")
    for cue in cues:
        if cue.level in {"uncertain", "believed", "denied"} and governs(cue, anchor):
            levels.add(cue.level)
    return load_schema().strongest(levels)
