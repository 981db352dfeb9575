"""Who leads a unit, what it belongs to, what else it is called, who founded it.

Rules (cue words in ``data/facts/relations.yaml``):

* role noun + unit + ``هو`` + person: ``القائد العام للجيش هو عمر الشيشاني``;
  deputies after ``ثم مساعديه`` / ``ونائبه`` get ``deputy_to`` the commander;
  a relative clause ``الذي قتل فيما بعد`` ends the role (``end``, ``status``).
* person + role noun + unit: ``أبو محمد الأمريكي أمير داعش في منطقة اعزاز سابقاً``.
* role noun + unit + person: ``قائد جيش الخلافة عمر الشيشاني``.
* person + ``الذي يقود`` + unit, person + ``انضم إلى`` + unit.
* descriptor + parent: ``القوات الخاصة لتنظيم داعش ” جيش الخلافة “``,
  ``جيش النخبة لدى تنظيم داعش`` -> part_of; unit + ``التابع لـ`` + parent.
* unit + ``أو`` / ``ما يسمى بـ`` + unit -> alias.
* founding noun or verb + unit, founders before it:
  ``قرر عمر الشيشاني ومعه ... بانشاء جيش اطلقو عليه اسم ” جيش الخلافة ”``.
* ``تتألف قيادة جيش الخلافة من 5 اشخاص ثلاثة من الاوزبك و 2 من الشيشان``.
"""

from __future__ import annotations

import itertools
from typing import Any

from rasid.facts.context import SentenceContext
from rasid.facts.lexicon import LexMatch, lexicon_from
from rasid.facts.phrases import (
    Phrase,
    is_stop,
    looks_like_name,
    name_at,
    name_list,
    phrase,
    place_at,
)
from rasid.facts.state import DocState
from rasid.facts.units import UnitRef

_FILE = "relations.yaml"
_CLAUSE_END = frozenset({",", ".", "؛", ";", "?", "؟", "!"})
_RELATIVES = frozenset({"الذي", "التي", "الذين"})
_PRONOUN_SUFFIXES = ("يه", "ه", "هم", "ها")
_FOUNDING_WINDOW = 10
_DECISION_VERBS = frozenset({"قرر", "قررت", "قام", "قامت", "اعلن", "اعلنت", "بادر", "تم"})


def clause(ctx: SentenceContext, i: int) -> tuple[int, int]:
    """Word range of the clause around word ``i`` (commas and stops end clauses)."""
    words = ctx.words
    a = i
    while a > 0 and words[a - 1].text not in _CLAUSE_END:
        a -= 1
    b = i
    while b < len(words) and words[b].text not in _CLAUSE_END:
        b += 1
    return a, b


def unit_at(ctx: SentenceContext, units: list[UnitRef], i: int, window: int = 1) -> UnitRef | None:
    """The first unit starting in words ``i .. i+window-1``."""
    if i >= len(ctx.words):
        return None
    last = min(len(ctx.words), i + window)
    lo = ctx.word_span(i, i + 1)[0]
    hi = ctx.word_span(last - 1, last)[1]
    for ref in units:
        if lo <= ref.start < hi:
            return ref
    return None


def word_of(ctx: SentenceContext, offset: int) -> int:
    return ctx.word_index(offset)


def _relative_clause(ctx: SentenceContext, k: int) -> tuple[int, int] | None:
    """Words of ``الذي ...`` starting at ``k``, up to a standalone و or a comma."""
    words = ctx.words
    if k >= len(words) or words[k].text not in _RELATIVES:
        return None
    j = k + 1
    while j < len(words) and words[j].text not in {"و", ","} and words[j].text not in _CLAUSE_END:
        j += 1
    return k, j


class RelationRules:
    def __init__(self) -> None:
        self.roles = lexicon_from(_FILE, "roles")
        self.role_verbs = lexicon_from(_FILE, "role_verbs")
        self.role_end = lexicon_from(_FILE, "role_end")
        self.descriptors = lexicon_from(_FILE, "elite_descriptors")
        self.parent_links = lexicon_from(_FILE, "parent_links")
        self.alias_cues = lexicon_from(_FILE, "alias_cues")
        self.founding = lexicon_from(_FILE, "founding")
        self.leadership = lexicon_from(_FILE, "leadership")
        self.consists = lexicon_from(_FILE, "consists_of")
        self.alias_words = frozenset(self.alias_cues.entries)

    # -- helpers -------------------------------------------------------------------

    def _ending(self, ctx: SentenceContext, span: tuple[int, int] | None) -> dict[str, Any]:
        """``end``/``status`` qualifiers from a relative clause or a trailing سابقاً."""
        if span is None:
            return {}
        start, end = ctx.word_span(span[0], span[1])
        for hit in self.role_end.finditer(ctx.folded, ctx.text):
            if start <= hit.start < end:
                return {"end": hit.info["end"], "status": hit.info["status"]}
        return {}

    def _people(
        self, ctx: SentenceContext, k: int, limit: int
    ) -> list[tuple[Phrase, dict[str, Any]]]:
        """Names from word ``k``, each with the end qualifiers of its relative clause."""
        people: list[tuple[Phrase, dict[str, Any]]] = []
        while k < limit:
            names = name_list(ctx, k, limit)
            if not names:
                break
            if not all(
                looks_like_name(ctx, name, loose=True) and (name.j - name.i > 1 or name.mention)
                for name in names
            ):
                break
            for name in names[:-1]:
                people.append((name, {}))
            last = names[-1]
            relative = _relative_clause(ctx, last.j)
            people.append((last, self._ending(ctx, relative)))
            if relative is None:
                break
            k = relative[1]
            if k < limit and ctx.words[k].text == "و":
                k += 1
            else:
                break
        return people

    def _person_before(self, ctx: SentenceContext, i: int, single: bool = False) -> Phrase | None:
        """A name ending right before word ``i`` (a PERSON mention, else 1-4 name words)."""
        if i <= 0:
            return None
        start_of_i = ctx.word_span(i, i + 1)[0]
        for mention in ctx.mentions_of("PERSON"):
            gap = ctx.text[mention.end : start_of_i]
            if mention.end <= start_of_i and not gap.strip(" \u00a0,،"):
                j = i
                a = word_of(ctx, mention.start)
                return phrase(ctx, a, j, mention)
        a = i
        while a > 0 and i - a < 4:
            text = ctx.words[a - 1].text
            if is_stop(ctx, a - 1) or text in self.roles.entries:
                break
            a -= 1
            if text[:1] == "و" and len(text) > 3:
                a += 1
                break
        if a == i:
            return None
        found = phrase(ctx, a, i)
        if found.j - found.i == 1 and not single:
            return None  # a lone "البرازيلي" before "زعيم" is an adjective, not a name
        return found if looks_like_name(ctx, found) else None

    # -- rules -----------------------------------------------------------------------

    def apply(self, ctx: SentenceContext, units: list[UnitRef], state: DocState) -> None:
        descriptors = (
            list(self.descriptors.finditer(ctx.folded, ctx.text))
            if self.descriptors.search(ctx.folded)
            else []
        )
        units = [u for u in units if not any(d.start <= u.start < d.end for d in descriptors)]
        self._aliases(ctx, units, state)
        if descriptors:
            self._part_of(ctx, units, descriptors, state)
        if self.parent_links.search(ctx.folded):
            self._affiliation(ctx, units, state)
        if self.roles.search(ctx.folded):
            self._roles(ctx, units, state)
        if self.role_verbs.search(ctx.folded):
            self._role_verbs(ctx, units, state)
        if self.founding.search(ctx.folded):
            self._founding(ctx, units, state)
        if self.leadership.search(ctx.folded) and self.consists.search(ctx.folded):
            self._leadership(ctx, units, state)

    def _aliases(self, ctx: SentenceContext, units: list[UnitRef], state: DocState) -> None:
        for first, second in itertools.pairwise(units):
            if first.anaphoric or second.anaphoric or first.name == second.name:
                continue
            between = ctx.folded.text[
                ctx.folded.from_original(first.end) : ctx.folded.from_original(second.start)
            ]
            tokens = [
                t
                for t in between.replace('"', " ").replace("–", " ").replace("-", " ").split()
                if t
            ]
            if not tokens or not all(
                t in self.alias_words or t in {"ما", "يسمي", "تسمي", "ب"} for t in tokens
            ):
                continue
            if not any(t in self.alias_words and t not in {"ب"} for t in tokens):
                continue  # "قوات الاحتياط بالجيش اليمني": a part, not another name
            if first.level == "organisation" or second.level == "organisation":
                continue
            state.units.alias(first, second)
            state.add(ctx, first, "alias", second.text.strip(' "“”'), (first.start, second.end))

    def _part_of(
        self,
        ctx: SentenceContext,
        units: list[UnitRef],
        descriptors: list[LexMatch],
        state: DocState,
    ) -> None:
        for hit in descriptors:
            k = word_of(ctx, hit.end)
            parent = unit_at(ctx, units, k, window=3)
            if parent is None:
                following = " ".join(w.text for w in ctx.words[k : k + 2])
                if any(p in following for p in ("به", "له", "لديه")):
                    parent = state.units.parent
            if parent is None:
                continue
            described = next(
                (
                    u
                    for u in units
                    if u.start >= parent.end and u.level == "unit" and u.name != parent.name
                ),
                None,
            )
            if described is None:
                before = [u for u in units if u.end <= hit.start and u.level == "unit"]
                described = before[-1] if before else state.units.topic
            if described is None or described.name == parent.name:
                continue
            described = state.units.canonical(described)
            span = (min(hit.start, described.start), max(parent.end, described.end, hit.end))
            state.add(
                ctx,
                described,
                "part_of",
                parent.name,
                span,
                anchor=hit.start,
                obj=parent,
                qualifiers={"descriptor": hit.text},
            )

    def _affiliation(self, ctx: SentenceContext, units: list[UnitRef], state: DocState) -> None:
        for hit in self.parent_links.finditer(ctx.folded, ctx.text):
            before = [u for u in units if u.end <= hit.start]
            k = word_of(ctx, hit.end)
            parent = unit_at(ctx, units, k, window=2)
            if not before or parent is None:
                continue
            child = state.units.canonical(before[-1])
            gap = ctx.text[child.end : hit.start]
            if len(gap.split()) > 2 or child.name == parent.name:
                continue
            state.add(ctx, child, "part_of", parent.name, (child.start, parent.end), obj=parent)

    def _roles(self, ctx: SentenceContext, units: list[UnitRef], state: DocState) -> None:
        hits = list(self.roles.finditer(ctx.folded, ctx.text))
        commander: Phrase | None = None
        commander_unit: UnitRef | None = None
        for n, hit in enumerate(hits):
            prop = str(hit.info["property"])
            k = word_of(ctx, hit.end)
            a, b = clause(ctx, k - 1)
            limit = min(b, word_of(ctx, hits[n + 1].start)) if n + 1 < len(hits) else b
            unit = unit_at(ctx, units, k, window=1)
            pronoun = hit.text.endswith(_PRONOUN_SUFFIXES) and unit is None
            if unit is None and pronoun:
                unit = commander_unit  # "ثم مساعديه": the unit of the commander just named
            if unit is None:
                continue
            unit = state.units.canonical(unit)
            after = word_of(ctx, unit.end) if not pronoun else k
            people: list[tuple[Phrase, dict[str, Any]]] = []
            if after < limit and ctx.words[after].text in {"هو", "هي", "هم"}:
                people = self._people(ctx, after + 1, limit)
            elif pronoun:
                people = self._people(ctx, k, limit)
            elif (
                after < limit
                and name_at(ctx, after, types=("PERSON",)) is not None
                and ctx.words[after].text not in {"في"}
            ):
                people = self._people(ctx, after, limit)
            if not people:
                person = self._person_before(ctx, word_of(ctx, hit.start))
                if person is not None:
                    tail = (after, min(b, after + 6))
                    people = [(person, self._ending(ctx, tail))]
            dates = [m for m in ctx.mentions_of("DATE") if ctx.word_span(a, a + 1)[0] <= m.start]
            dates = [m for m in dates if m.start < ctx.word_span(b - 1, b)[1]]
            for person, ending in people:
                quals: dict[str, Any] = dict(ending)
                if dates:
                    # "عُيّن ... قائدا لجيش العسرة في مارس 2015": the date the text gives.
                    quals["date"] = dates[0].value.get("value") or None
                    quals["date_text"] = dates[0].text
                if prop == "deputy_of" and commander is not None:
                    quals["deputy_to"] = commander.text
                if prop == "role":
                    quals["role"] = hit.text
                    place = self._place_after(ctx, after, b)
                    if place is not None:
                        quals["place"] = place.text
                value = unit.name if prop != "role" else hit.text
                span = (min(hit.start, person.start), max(person.end, unit.end))
                state.add(
                    ctx, person, prop, value, span, anchor=hit.start, obj=unit, qualifiers=quals
                )
                if prop == "commander_of" and commander is None:
                    commander, commander_unit = person, unit

    def _place_after(self, ctx: SentenceContext, k: int, limit: int) -> Phrase | None:
        for i in range(k, min(limit, k + 3)):
            if ctx.words[i].text == "في":
                return place_at(ctx, i + 1)
        return None

    def _role_verbs(self, ctx: SentenceContext, units: list[UnitRef], state: DocState) -> None:
        for hit in self.role_verbs.finditer(ctx.folded, ctx.text):
            k = word_of(ctx, hit.end)
            unit = unit_at(ctx, units, k, window=2)
            if unit is None:
                continue
            v = word_of(ctx, hit.start)
            anchor = v - 1 if v > 0 and ctx.words[v - 1].text in _RELATIVES else v
            # "العتيبي الذي يقود": a lone surname is fine before a relative pronoun.
            person = self._person_before(ctx, anchor, single=anchor != v)
            if person is None:
                continue
            unit = state.units.canonical(unit)
            state.add(
                ctx,
                person,
                str(hit.info["property"]),
                unit.name,
                (person.start, unit.end),
                anchor=hit.start,
                obj=unit,
            )

    def _founding(self, ctx: SentenceContext, units: list[UnitRef], state: DocState) -> None:
        for hit in self.founding.finditer(ctx.folded, ctx.text):
            k = word_of(ctx, hit.start)
            a, b = clause(ctx, k)
            after = [
                u
                for u in units
                if u.start >= hit.end and word_of(ctx, u.start) < min(b, k + _FOUNDING_WINDOW)
            ]
            named = [
                u
                for u in after
                if word_of(ctx, u.start) > 0 and ctx.words[word_of(ctx, u.start) - 1].text == '"'
            ]
            if not (named or after):
                continue
            unit = (named or after)[0]
            unit = state.units.canonical(unit)
            founders = [
                phrase(ctx, word_of(ctx, m.start), word_of(ctx, m.end - 1) + 1, m)
                for m in ctx.mentions_of("PERSON")
                if ctx.word_span(a, a + 1)[0] <= m.start < hit.start
            ]
            decision = next(
                (i for i in range(k - 1, a - 1, -1) if ctx.words[i].text in _DECISION_VERBS), None
            )
            if not founders:
                start = decision + 1 if decision is not None else a
                founders = [f for f in name_list(ctx, start, k) if f.j <= k]
            if not founders:
                # "أسس أبو محمد الجولاني جبهة النصرة": the founder between verb and unit.
                founders = [
                    f
                    for f in name_list(ctx, k + 1, word_of(ctx, unit.start))
                    if f.end <= unit.start
                ]
            founders = [f for f in founders if looks_like_name(ctx, f) and f.j - f.i > 1]
            quals: dict[str, Any] = {}
            dates = [
                m for m in ctx.mentions_of("DATE") if m.start < hit.start or m.start > unit.end
            ]
            if dates:
                quals["date"] = dates[0].value.get("value") or dates[0].text
                quals["date_text"] = dates[0].text
            elif decision is not None and ctx.words[a].text in {"بعد", "قبل", "خلال", "منذ"}:
                quals["period"] = ctx.text[
                    ctx.word_span(a, decision)[0] : ctx.word_span(a, decision)[1]
                ]
            for founder in founders:
                state.add(
                    ctx,
                    unit,
                    "founded_by",
                    founder.text,
                    (founder.start, unit.end),
                    anchor=hit.start,
                    obj=founder,
                    qualifiers=quals,
                )

    def _leadership(self, ctx: SentenceContext, units: list[UnitRef], state: DocState) -> None:
        for hit in self.leadership.finditer(ctx.folded, ctx.text):
            k = word_of(ctx, hit.end)
            _a, b = clause(ctx, k)
            unit = unit_at(ctx, units, k, window=2)
            if unit is None and hit.text.endswith("ه"):
                unit = state.units.topic
            if unit is None:
                continue
            unit = state.units.canonical(unit)
            end = ctx.word_span(b - 1, b)[1] if b > 0 else hit.end
            numbers = [m for m in ctx.mentions if m.type == "QUANTITY" and hit.end <= m.start < end]
            if not numbers:
                continue
            size = numbers[0]
            breakdown = [
                {
                    "group": str(m.value.get("unit") or ""),
                    "count": int(m.value.get("value") or 0),
                    "text": m.text,
                }
                for m in numbers[1:]
                if " من " in f" {m.text} "
            ]
            quals: dict[str, Any] = {
                "size": int(size.value.get("value") or 0),
                "size_text": size.text,
            }
            if breakdown:
                quals["breakdown"] = breakdown
            state.add(
                ctx,
                unit,
                "leadership_body",
                str(quals["size"]),
                (hit.start, numbers[-1].end),
                anchor=hit.start,
                qualifiers=quals,
            )
