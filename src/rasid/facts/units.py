"""Armed units and organisations in a document, and what "الجيش" refers back to.

A unit is found as an ORG mention, a known organisation ("داعش", "تنظيم
الدولة الإسلامية في العراق والشام" -> one name), a head noun with its name
("جيش الخلافة", "كتيبة طارق بن زياد", "قوات مكافحة الإرهاب"), or a quoted name
after "اسم". The document memory keeps them in order so that a definite head
alone ("للجيش", "هذا الجيش", "التنظيم") or a pronoun resolves to the last unit
with that head; the *topic* is the last unit below organisation level (the
unit the article is about), which is what "العناصر" and "هم" refer to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rasid.facts.context import SentenceContext
from rasid.facts.keys import local_key
from rasid.facts.lexicon import Lexicon, fold_key, lexicon_from
from rasid.facts.phrases import (
    CONNECTORS,
    DIRECTIONS,
    STOP,
    Phrase,
    mention_at,
    phrase,
    strip_preposition,
)

_FILE = "relations.yaml"
_UNIT_SUBTYPES = frozenset({"armed_group", "state_force"})
_DEMONSTRATIVES = frozenset({"هذا", "هذه", "ذلك", "تلك"})


@dataclass(frozen=True, slots=True)
class UnitRef:
    name: str  # the name statements use (canonical for known organisations)
    head: str  # folded head noun without article ("جيش"), "" for bare names
    level: str  # "organisation" | "unit"
    start: int
    end: int
    text: str  # as written here
    anaphoric: bool = False
    entity_id: str | None = None  # set when NER/linking already named the entity

    @property
    def key(self) -> str:
        return self.entity_id or local_key(self.name)


@dataclass(slots=True)
class UnitMemory:
    """Units seen so far in the document, most recent last."""

    seen: list[UnitRef] = field(default_factory=list)
    # Another name -> the name first used for the unit ("جيش دابق" -> "جيش الخلافة").
    aliases: dict[str, str] = field(default_factory=dict)

    def canonical(self, ref: UnitRef) -> UnitRef:
        name = self.aliases.get(ref.name)
        if name is None:
            return ref
        return UnitRef(name, ref.head, ref.level, ref.start, ref.end, ref.text, ref.anaphoric)

    def add(self, ref: UnitRef) -> None:
        self.seen.append(self.canonical(ref))

    def alias(self, first: UnitRef, other: UnitRef) -> None:
        if other.name != first.name:
            self.aliases[other.name] = self.aliases.get(first.name, first.name)
            self.seen = [self.canonical(ref) for ref in self.seen]

    def last(self, head: str | None = None, level: str | None = None) -> UnitRef | None:
        for ref in reversed(self.seen):
            if (head is None or ref.head == head) and (level is None or ref.level == level):
                return ref
        return None

    @property
    def topic(self) -> UnitRef | None:
        return self.last(level="unit") or self.last()

    def subject_before(self, units: list[UnitRef], offset: int) -> UnitRef | None:
        """The last unit named in the sentence before ``offset``, else the document's topic."""
        before = [u for u in units if u.end <= offset]
        return self.canonical(before[-1]) if before else self.topic

    @property
    def parent(self) -> UnitRef | None:
        return self.last(level="organisation")


class UnitFinder:
    def __init__(self) -> None:
        self.heads: Lexicon = lexicon_from(_FILE, "unit_heads")
        self.known: Lexicon = lexicon_from(_FILE, "known_units")
        self.head_words = frozenset(self.heads.entries)

    def find(self, ctx: SentenceContext, memory: UnitMemory) -> list[UnitRef]:
        """Units named or referred to in the sentence, in order; adds them to ``memory``."""
        found: list[UnitRef] = []
        for hit in self.known.finditer(ctx.folded, ctx.text):
            found.append(
                UnitRef(
                    str(hit.info.get("name", hit.text)),
                    fold_key(hit.key.split()[0]) if len(hit.key.split()) > 1 else "",
                    str(hit.info.get("level", "organisation")),
                    hit.start,
                    hit.end,
                    hit.text,
                )
            )
        if self.heads.search(ctx.folded):
            for hit in self.heads.finditer(ctx.folded, ctx.text):
                if any(r.start <= hit.start < r.end for r in found):
                    continue
                i = ctx.word_index(hit.start)
                ref = self._at(ctx, i, memory, found)
                if ref is not None:
                    found.append(ref)
        for mention in ctx.mentions_of("ORG"):
            # Newspapers and ministries are sources, not units.
            if mention.subtype not in _UNIT_SUBTYPES:
                continue
            if not any(r.start < mention.end and mention.start < r.end for r in found):
                found.append(
                    UnitRef(
                        mention.text,
                        "",
                        "unit",
                        mention.start,
                        mention.end,
                        mention.text,
                        entity_id=mention.entity_id,
                    )
                )
        found.sort(key=lambda r: r.start)
        for ref in found:
            if not ref.anaphoric:
                memory.add(ref)
        return found

    def _at(
        self, ctx: SentenceContext, i: int, memory: UnitMemory, found: list[UnitRef]
    ) -> UnitRef | None:
        words = ctx.words
        word = strip_preposition(words[i].text)
        definite = word.startswith("ال")
        head = word[2:] if definite else word
        if head not in self.head_words:
            return None
        previous = words[i - 1].text if i > 0 else ""
        if definite:
            following = words[i + 1].text if i + 1 < len(words) else ""
            # "الجيش العراقي": a definite head with a nisba is a name of its own.
            if (
                following.startswith("ال")
                and following.endswith(("ي", "يه"))
                and following not in STOP
            ):
                p = phrase(ctx, i, i + 2)
                return UnitRef(p.text, head, "unit", p.start, p.end, p.text)
            target = memory.last(head=head) or self._recent(found, head)
            if target is None and head == "تنظيم":
                target = memory.parent
            if target is None:
                return None
            start, end = ctx.word_span(i, i + 1)
            if previous in _DEMONSTRATIVES:
                start = ctx.word_span(i - 1, i)[0]
            return UnitRef(
                target.name, target.head, target.level, start, end, ctx.text[start:end], True
            )
        name = self._name_after(ctx, i)
        if name is None:
            return None
        p = phrase(ctx, i, name.j)
        return UnitRef(p.text, head, "unit", p.start, p.end, p.text)

    def _recent(self, found: list[UnitRef], head: str) -> UnitRef | None:
        for ref in reversed(found):
            if ref.head == head and not ref.anaphoric:
                return ref
        return None

    def _name_after(self, ctx: SentenceContext, i: int) -> Phrase | None:
        """The name after an indefinite head: a mention, one definite word, or X بن Y."""
        words = ctx.words
        k = i + 1
        if k >= len(words):
            return None
        mention = mention_at(ctx, k, ("PERSON", "ORG", "GPE", "LOC", "FACILITY"))
        if mention is not None:
            j = k
            while j < len(words) and ctx.word_span(j, j + 1)[0] < mention.end:
                j += 1
            return phrase(ctx, k, j, mention)
        text = words[k].text
        if words[k].is_punct or text in STOP:
            return None
        if k + 2 < len(words) and words[k + 1].text in CONNECTORS and not text.startswith("ال"):
            return phrase(ctx, k, k + 3)  # "كتيبة طارق بن زياد"
        if text.startswith("ال"):
            j = k + 1
            while j < len(words) and words[j].text in DIRECTIONS:
                j += 1  # "جبهة الساحل الغربي"
            return phrase(ctx, k, j)
        if (
            k + 1 < len(words)
            and words[k + 1].text.startswith("ال")
            and words[k + 1].text not in STOP
        ):
            # "قوات مكافحة الإرهاب": an indefinite noun then its definite complement.
            return phrase(ctx, k, k + 2)
        if k + 1 >= len(words) or words[k + 1].is_punct:
            # "جيش دابق “": one proper word closing the phrase.
            return phrase(ctx, k, k + 1)
        return None

    def quoted_after_name_cue(self, ctx: SentenceContext, memory: UnitMemory) -> list[UnitRef]:
        """``أطلقوا عليه اسم ” جيش الخلافة ”``: the quoted name is a unit."""
        refs: list[UnitRef] = []
        if '"' not in ctx.folded.text or "اسم" not in ctx.folded.text:
            return refs
        words = ctx.words
        for i, word in enumerate(words):
            if word.text not in {"اسم", "باسم"} or i + 1 >= len(words) or words[i + 1].text != '"':
                continue
            j = i + 2
            while j < len(words) and words[j].text != '"' and j - i < 8:
                j += 1
            if j < len(words) and j > i + 2:
                p = phrase(ctx, i + 2, j)
                head = strip_preposition(words[i + 2].text)
                refs.append(
                    UnitRef(
                        p.text,
                        head if head in self.head_words else "",
                        "unit",
                        p.start,
                        p.end,
                        p.text,
                    )
                )
        for ref in refs:
            memory.add(ref)
        return refs
