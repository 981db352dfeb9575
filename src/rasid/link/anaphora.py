"""Back-references inside a document: "التنظيم", "للجيش", "الصحيفة", "الشيشاني".

A definite head noun alone refers to the last entity named with that head, the
rule ``rasid.facts.units`` applies to its statements, with the facts package's
head nouns (``data/facts``); a bare nisba after an indefinite noun ("حلم
الشيشاني") to the last person with that nisba; a short personal name (a lone
nisba, surname, kunya or ism) to the last full name that has it. ``Memory``
holds what the document has named so far, in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rasid.link.keys import fold_name
from rasid.model import Analysis, Mention
from rasid.text.normalize import normalize_key

#: Media nouns that say "the report" or "the site/position" more often than an outlet.
_NOT_OUTLETS = frozenset({"تقرير", "موقع"})
#: Words that look like a definite nisba adjective and are not (إلى, الذي, التي).
_NOT_ADJECTIVES = frozenset({"الي", "الذي", "التي", "اللتي", "اللذي"})


def short_name(mention: Mention) -> str | None:
    """A name too short to identify anyone on its own: a bare nisba or surname
    ("الشيشاني", "التميمي"), a kunya alone ("أبو محمد") or an ism alone ("حيدر").
    Returns the folded form it refers back with."""
    name = mention.value.get("name")
    if not isinstance(name, dict):
        return None
    singles = [n.get("form", "") for n in name.get("nisbas", [])] + list(name.get("laqab", []))
    parts = [name.get("kunya"), name.get("ism"), *name.get("nasab", []), *singles]
    present = [str(p) for p in parts if p]
    if len(present) != 1:
        return None
    return fold_name(present[0]) or None


def reference_words(mention: Mention) -> set[str]:
    """The parts of a full personal name that can stand for the person later on."""
    name = mention.value.get("name")
    if not isinstance(name, dict) or short_name(mention) is not None:
        return set()
    words = [str(n.get("form", "")) for n in name.get("nisbas", [])] + list(name.get("laqab", []))
    words += [str(name.get("kunya") or ""), str(name.get("ism") or "")]
    words.append(mention.text.split()[-1])
    return {fold_name(w) for w in words if w} - {""}


@dataclass(slots=True)
class Antecedent:
    start: int
    key: str
    head: str  # folded head noun without article, "" when none
    level: str  # "organisation" | "unit" | "media" | "person"


@dataclass(slots=True)
class Memory:
    """What the document has named so far, in order, for anaphora and back-references."""

    items: list[Antecedent] = field(default_factory=list)
    persons: list[tuple[int, set[str], str]] = field(default_factory=list)

    def last(self, before: int, head: str | None = None, level: str | None = None) -> str | None:
        for item in reversed(self.items):
            if item.start >= before:
                continue
            if (head is None or item.head == head) and (level is None or item.level == level):
                return item.key
        return None

    def person(self, word: str, before: int) -> str | None:
        for start, words, key in reversed(self.persons):
            if start < before and word in words:
                return key
        return None


@lru_cache(maxsize=1)
def head_nouns() -> dict[str, str]:
    """Head nouns an anaphor may be made of: the facts package's unit heads and
    media nouns (``rasid/data/facts``), folded, mapped to their kind."""
    from rasid.facts.lexicon import fold_key, lexicon_from, load_data

    heads = {key: "unit" for key in lexicon_from("relations.yaml", "unit_heads").entries}
    for entry in load_data("reporting.yaml").get("source_nouns", []):
        if (
            isinstance(entry, dict)
            and entry.get("kind") == "media"
            and entry["word"] not in _NOT_OUTLETS
        ):
            heads[fold_key(str(entry["word"]))] = "media"
    # Keyed as the text layer normalises a token segment, so a token is one look-up.
    return {normalize_key(key): kind for key, kind in heads.items() if " " not in key}


def _bare(word: str) -> str:
    """A folded word without a leading و/ف, preposition and article."""
    from rasid.facts.words import strip_clitics

    return strip_clitics(word)


def entity_head(analysis: Analysis, mention: Mention, heads: dict[str, str]) -> str:
    """The head noun a mention is named with: its first word (جيش الخلافة), or the
    word just before it ("صحيفة واشنطن بوست")."""
    from rasid.facts.lexicon import fold_key

    words = fold_key(mention.text).split()
    if words and _bare(words[0]) in heads:
        return _bare(words[0])
    before = analysis.document.text[max(0, mention.start - 20) : mention.start].split()
    if before:
        word = _bare(fold_key(before[-1]))
        if word in heads:
            return word
    return ""


def unit_level(mention: Mention, head: str, heads: dict[str, str]) -> str:
    actor = mention.value.get("actor")
    if isinstance(actor, dict):
        if actor.get("type") == "media":
            return "media"
        if not actor.get("parent") and actor.get("type") == "armed_group":
            return "organisation"
    if heads.get(head) == "media":
        return "media"
    return "organisation" if head == "تنظيم" else "unit"


def find_anaphora(
    analysis: Analysis, memory: Memory, heads: dict[str, str], component: str
) -> list[Mention]:
    """ "التنظيم", "للجيش", "الصحيفة": a definite head noun alone refers to the last
    entity named with that head (facts.units resolves its statements the same
    way); "التنظيم" with no تنظيم named before is the organisation last named."""
    taken = sorted((m.start, m.end) for m in analysis.mentions)
    tokens = analysis.tokens
    found: list[Mention] = []
    k = 0
    for i, token in enumerate(tokens):
        # One dictionary look-up per token on the common path (not a head noun).
        segments = token.segments
        if not segments or (kind := heads.get(segments[-1].norm)) is None:
            continue
        head = segments[-1].norm
        article = next((s for s in segments if s.role == "article"), None)
        if article is None or token.kind != "word":
            continue
        while k < len(taken) and taken[k][1] <= token.start:
            k += 1
        if k < len(taken) and taken[k][0] < token.end:
            continue  # part of a name ("الجيش العراقي" tagged as one organisation)
        following = tokens[i + 1].norm if i + 1 < len(tokens) else ""
        if (
            following.startswith("ال")
            and following.endswith(("ي", "يه"))
            and following not in _NOT_ADJECTIVES
        ):
            continue  # "الجيش العراقي", "الصحيفة الأمريكية": a description, not a back-reference
        if kind == "media":
            key = memory.last(token.start, head=head) or memory.last(token.start, level="media")
        else:
            key = memory.last(token.start, head=head)
            if key is None and head == "تنظيم":
                key = memory.last(token.start, level="organisation")
        if key is None:
            continue
        start = article.start
        found.append(
            Mention(
                start,
                token.end,
                analysis.document.text[start : token.end],
                "ORG",
                norm=normalize_key(analysis.document.text[start : token.end]),
                subtype="anaphor",
                component=component,
                value={"anaphor": True, "head": head, "antecedent_key": key},
            )
        )
    return found


def nisba_reference(analysis: Analysis, mention: Mention, memory: Memory) -> str | None:
    """A NORP mention that is a person: "حلم الشيشاني" (after an indefinite noun, so not
    an adjective) once a الشيشاني has been named."""
    words = normalize_key(mention.text).split()
    if len(words) != 1 or not words[0].startswith("ال") or not words[0].endswith("ي"):
        return None
    before = analysis.document.text[max(0, mention.start - 30) : mention.start].split()
    previous = normalize_key(before[-1]) if before else ""
    if previous.startswith(("ال", "وال", "بال", "لل")):
        return None  # "المقاتل الشيشاني": an adjective of a definite noun
    return memory.person(fold_name(mention.text), mention.start)
