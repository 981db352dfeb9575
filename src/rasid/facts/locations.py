"""Where a unit is: bases, places its members live or spread to, places it left.

* base nouns: ``كان مطار الجراح ... هو القاعدة الاساسية للتدريب`` (the place
  before ``هو``), ``منزل بحي الأندلس بالموصل الذي كان قاعدة إدارية لكتيبة طارق
  بن زياد`` (the place before ``الذي``, the unit after the base noun);
* ``معسكرات التدريب ليصبح مطار الجراح ومدينة مسكنة ومعسكر اسامة بن لادن``;
* verbs: ``يسكن في مدينة منبج والباب وجرابلس`` (present_in), ``وزعت على ريف
  الرقة الشرقي وسد تشرين`` (deployed_to), ``والانسحاب من ريف حلب الشمالي``
  (withdrew_from); the subject is a unit named earlier in the clause, else the
  unit the article is about. A definite place head alone (``في المطار``)
  refers back to the last place with that head.
"""

from __future__ import annotations

from typing import Any

from rasid.facts.context import SentenceContext
from rasid.facts.lexicon import build_lexicon, lexicon_from
from rasid.facts.phrases import (
    PLACE_HEADS,
    Phrase,
    PlaceItem,
    place_at,
    place_list,
    strip_preposition,
)
from rasid.facts.relations import clause, unit_at, word_of
from rasid.facts.state import DocState
from rasid.facts.units import UnitRef

_FILE = "relations.yaml"
_MEMBERS = (
    "العناصر",
    "عناصر",
    "الجنود",
    "جنود",
    "المقاتلين",
    "مقاتلين",
    "قسم",
    "الاقسام",
    "جميعهم",
)
_PURPOSES = {
    "للتدريب": "training",
    "التدريب": "training",
    "اداريه": "administrative",
    "الاداريه": "administrative",
}
_GENERIC = frozenset({"منزل", "مبنى", "شارع", "طريق", "مقر"})
_PREPOSITIONS = {
    "present_in": ("في",),
    "deployed_to": ("في", "الى", "على"),
    "withdrew_from": ("من",),
    "based_at": ("في",),
}
_LEAD_INS = frozenset({"في", "على", "من", "الى", "بين", "خصوصا", "خاصه", "الناس", "لا", "سيما"})


class LocationRules:
    def __init__(self) -> None:
        self.cues = lexicon_from(_FILE, "location_cues")
        self.heads = build_lexicon("place_heads", sorted(PLACE_HEADS))

    def remember(self, ctx: SentenceContext, state: DocState) -> None:
        """Keep the places named in this sentence for later back references."""
        if not self.heads.search(ctx.folded):
            return
        for hit in self.heads.finditer(ctx.folded, ctx.text):
            found = place_at(ctx, ctx.word_index(hit.start))
            if found is not None:
                state.places.append(found)

    def _resolve(self, ctx: SentenceContext, item: PlaceItem, state: DocState) -> PlaceItem | None:
        """ "في المطار": the last airport named; None when there was none."""
        head = strip_preposition(ctx.words[item.place.i].text)
        if item.place.j - item.place.i == 1 and head.startswith("ال") and head[2:] in PLACE_HEADS:
            for earlier in reversed(state.places):
                if strip_preposition(earlier.text.split()[0]) == head[
                    2:
                ] or earlier.text.startswith(head[2:]):
                    return PlaceItem(
                        Phrase(
                            item.place.i,
                            item.place.j,
                            item.place.start,
                            item.place.end,
                            earlier.text,
                        ),
                        item.within,
                    )
            return None
        return item

    def apply(self, ctx: SentenceContext, units: list[UnitRef], state: DocState) -> None:
        if not self.cues.search(ctx.folded):
            return
        for hit in self.cues.finditer(ctx.folded, ctx.text):
            prop = str(hit.info["property"])
            k = word_of(ctx, hit.start)
            a, b = clause(ctx, k)
            end_k = word_of(ctx, hit.end)
            subject, places, quals = self._read(ctx, units, state, hit.key, prop, k, end_k, a, b)
            if subject is None or not places:
                continue
            for found in places:
                item = self._resolve(ctx, found, state)
                if item is None:
                    continue
                extra: dict[str, Any] = dict(quals)
                if item.within is not None:
                    extra["within"] = item.within.text
                span = (min(hit.start, item.place.start), max(hit.end, item.place.end))
                state.add(
                    ctx,
                    subject,
                    prop,
                    item.place.text,
                    span,
                    anchor=hit.start,
                    obj=item.place,
                    qualifiers=extra,
                )

    def _read(
        self,
        ctx: SentenceContext,
        units: list[UnitRef],
        state: DocState,
        cue: str,
        prop: str,
        k: int,
        end_k: int,
        a: int,
        b: int,
    ) -> tuple[UnitRef | None, list[PlaceItem], dict[str, Any]]:
        words = ctx.words
        quals: dict[str, Any] = {}
        clause_text = " ".join(w.text for w in words[a:b])
        for word, purpose in _PURPOSES.items():
            if prop == "based_at" and word in clause_text.split():
                quals["purpose"] = purpose
                break
        members = [w.text for w in words[a:b] if strip_preposition(w.text) in _MEMBERS]
        if members:
            quals["members"] = True
        before_units = [
            u for u in units if ctx.word_span(a, a + 1)[0] <= u.start < ctx.word_span(k, k + 1)[0]
        ]
        if (
            prop == "based_at"
            and not cue.startswith(("ليصبح", "لتصبح", "يتمركز", "تتمركز", "يتخذ"))
            and "معسكرات" not in cue
        ):
            # A base noun: the place comes before it, the unit after it.
            unit = unit_at(ctx, units, end_k, window=2)
            subject: UnitRef | None
            if unit is not None:
                subject = state.units.canonical(unit)
            elif before_units:
                subject = state.units.canonical(before_units[-1])
            elif members:
                # "... هو القاعدة الاساسية للتدريب": a base of the article's unit.
                subject = state.units.topic
            else:
                return None, [], quals
            place = self._place_before(ctx, a, k)
            return subject, ([place] if place is not None else []), quals
        after_units = [
            u for u in units if word_of(ctx, u.start) >= end_k and word_of(ctx, u.start) < b
        ]
        if before_units:
            subject = state.units.canonical(before_units[-1])
        elif after_units:
            subject = state.units.canonical(after_units[0])  # "ويتمركز لواء صقور الجبل في ..."
        elif members:
            subject = state.units.topic  # "قسم من العناصر يبيت في ...": the article's unit
        else:
            return None, [], quals
        prepositions = _PREPOSITIONS.get(prop, ("في",))
        folded_cue = cue.split()
        if cue.startswith(("ليصبح", "لتصبح")) or (
            len(folded_cue) > 1 and folded_cue[-1] in {"على", "من", "في", "إلى", "الى"}
        ):
            i = end_k
        else:
            # A verb cue without its preposition: "انتشر الجنود بين الناس خصوصا في ...".
            j = end_k
            while j < b and j - end_k < 7 and words[j].text not in prepositions:
                j += 1
            if j >= b or words[j].text not in prepositions:
                return subject, [], quals
            i = j + 1
        return subject, place_list(ctx, i, b), quals

    def _place_before(self, ctx: SentenceContext, a: int, k: int) -> PlaceItem | None:
        """The place a base noun describes: the nearest named place before ``هو``/``الذي``."""
        words = ctx.words
        marker = next(
            (i for i in range(k - 1, a - 1, -1) if words[i].text in {"هو", "الذي", "التي"}), None
        )
        if marker is None:
            return None
        end = marker
        inner: tuple[int, int] | None = None
        if end > a and words[end - 1].text == '"':
            # "مطار الجراح ” مطار كشيش في ريف حلب الشرقي ” هو": skip the aside.
            q = end - 2
            while q > a and words[q].text != '"':
                q -= 1
            inner, end = (q + 1, end - 1), q
        candidates: list[Phrase] = []
        i = a
        while i < end:
            found = place_at(ctx, i)
            head = strip_preposition(words[i].text)
            if (
                found is not None
                and found.j <= end
                and (found.mention is not None or (head in PLACE_HEADS and head not in _GENERIC))
            ):
                candidates.append(found)
                i = found.j
            else:
                i += 1
        if not candidates:
            return None
        headed = [c for c in candidates if strip_preposition(words[c.i].text) in PLACE_HEADS]
        place = headed[-1] if headed else candidates[-1]
        within = next((c for c in candidates if c.i >= place.j), None)
        if within is None and inner is not None:
            for j in range(inner[0], inner[1]):
                if words[j].text == "في":
                    within = place_at(ctx, j + 1)
                    break
        return PlaceItem(place, within)
