"""Strength: how many fighters or members a unit has, as of when, and where.

A QUANTITY mention of people (``٤٠٠٠ عنصر تقريباً``, ``يقدر بحوالي 1500 عنصر``)
is a strength figure when its clause has a strength cue (تعداد، عدد، يقدر،
يضم...) or names a unit, and no casualty word (قتل، جرحى...) makes it a toll.
The subject is the unit named before the figure in the clause, else the unit
the article is about. A place named in the clause (``في مدينة منبج حيث تحوي
المدينة العدد الأكبر ... ويقدر بحوالي 1500 عنصر``) makes it a local figure.
The as-of date is a DATE in the clause, else the publication date (qualifier
``as_of_basis``: ``explicit``, ``relative`` or ``publication``).
"""

from __future__ import annotations

from typing import Any

from rasid.facts.context import SentenceContext
from rasid.facts.lexicon import lexicon_from
from rasid.facts.phrases import place_at
from rasid.facts.relations import clause, word_of
from rasid.facts.state import DocState
from rasid.facts.units import UnitRef

_FILE = "relations.yaml"
_PEOPLE = frozenset({"person"})
_MIN_STRENGTH = 10
#: Counted nouns (lemma keys from text.numbers) that measure an armed force.
_FIGHTERS = frozenset({"عنصر", "مقاتل", "جندي", "مسلح", "عضو", "مجند", "انتحاري", "قناص", "ضابط"})
_RELATIVE_TIME = ("الفترة الاخيره", "بالفتره الاخيره", "حاليا", "الان", "مؤخرا", "اليوم")


class StrengthRule:
    def __init__(self) -> None:
        self.cues = lexicon_from(_FILE, "strength_cues")
        self.casualty = lexicon_from(_FILE, "casualty_cues")
        self.leadership = lexicon_from(_FILE, "leadership")

    def apply(self, ctx: SentenceContext, units: list[UnitRef], state: DocState) -> None:
        numbers = [m for m in ctx.mentions if m.type == "QUANTITY" and m.subtype in _PEOPLE]
        if not numbers:
            return
        cue_hits = list(self.cues.finditer(ctx.folded, ctx.text))
        casualty_hits = list(self.casualty.finditer(ctx.folded, ctx.text))
        leadership_hits = list(self.leadership.finditer(ctx.folded, ctx.text))
        for number in numbers:
            k = word_of(ctx, number.start)
            a, b = clause(ctx, k)
            lo = ctx.word_span(a, a + 1)[0]
            hi = ctx.word_span(b - 1, b)[1] if b > a else number.end
            if " من " in f" {number.text} " or number.text.split()[0] in {"من"}:
                continue  # "ثلاثة من الاوزبك": a breakdown, not a total
            if any(lo <= h.start < hi for h in casualty_hits + leadership_hits):
                continue
            in_clause = [u for u in units if lo <= u.start < number.start]
            has_cue = any(lo <= h.start < number.end for h in cue_hits)
            if not has_cue and not in_clause:
                continue
            if float(number.value.get("value") or 0) < _MIN_STRENGTH and not has_cue:
                continue  # "مقاتلان من كوسوفو": people in the story, not a force
            if not in_clause or number.value.get("unit_key") not in _FIGHTERS:
                # A count of "أشخاص" or one with no unit in its clause is not a strength.
                continue
            subject = state.units.canonical(in_clause[-1])
            value = number.value
            best = float(value.get("value") or 0)
            quals: dict[str, Any] = {
                "best": best,
                "low": float(value.get("low", best)),
                "high": float(value.get("high", best)),
                "approximate": bool(value.get("approximate")),
                "unit": value.get("unit"),
                "figure_text": number.text,
            }
            if value.get("hedge"):
                quals["hedge"] = value["hedge"]
            place = self._place(ctx, a, k, b)
            if place is not None:
                quals["place"] = place.text
            quals.update(self._as_of(ctx, lo, hi, state))
            extra = ("estimated",) if quals["approximate"] else ()
            state.add(
                ctx,
                subject,
                "strength",
                str(int(best)) if best.is_integer() else str(best),
                (min(lo, number.start), number.end),
                anchor=number.start,
                qualifiers=quals,
                extra=extra,
            )

    def _place(self, ctx: SentenceContext, a: int, k: int, b: int) -> Any:
        """A place in the clause: before the figure, else right after it."""
        for lo, hi in ((a, k), (k, b)):
            for i in range(lo, hi):
                if ctx.words[i].text == "في":
                    found = place_at(ctx, i + 1)
                    if found is not None and found.j <= hi and not self._is_date(ctx, found):
                        return found
        return None

    def _is_date(self, ctx: SentenceContext, found: Any) -> bool:
        return any(m.start < found.end and found.start < m.end for m in ctx.mentions_of("DATE"))

    def _as_of(self, ctx: SentenceContext, lo: int, hi: int, state: DocState) -> dict[str, Any]:
        dates = [m for m in ctx.mentions_of("DATE") if lo <= m.start < hi]
        if dates:
            return {
                "as_of": dates[0].value.get("value") or dates[0].text,
                "as_of_text": dates[0].text,
                "as_of_basis": "explicit",
            }
        local = ctx.folded.text[ctx.folded.from_original(lo) : ctx.folded.from_original(hi)]
        relative = next((w for w in _RELATIVE_TIME if w in local), None)
        result: dict[str, Any] = {"as_of": state.published, "as_of_basis": "publication"}
        if relative is not None:
            result["as_of_basis"] = "relative"
            result["as_of_text"] = relative
        return result
