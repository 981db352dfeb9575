"""Who a unit is made of, who it keeps out, how it picks members, what it is for.

* share: ``يشكل الشيشان والقوقازيون نسبة 50 % من هذا الجيش`` -> composition
  ``الشيشان والقوقازيون`` with ``share`` 0.5;
* majority: ``كتيبة طارق بن زياد، المكونة في غالبها من أجانب`` -> ``share: majority``;
* recruitment drive: ``بجلب المقاتلين الشيشان والاوزبك والافريقيين`` -> one
  composition statement per group, ``presence: recruited``;
* exclusion: ``لا يسمح للسورين بدخول هذا الجيش`` -> excluded_origin ``السورين``;
* selection: ``وبتزكية من القضاء الشرعي`` -> recruitment_criterion;
* mission: ``وكانت مهمتهم التدريب فقط`` -> mission.
"""

from __future__ import annotations

from rasid.facts.context import SentenceContext
from rasid.facts.lexicon import fold_key, lexicon_from
from rasid.facts.phrases import STOP, Phrase, name_at, name_list, phrase, strip_preposition
from rasid.facts.relations import clause, word_of
from rasid.facts.state import DocState
from rasid.facts.units import UnitRef

_FILE = "relations.yaml"
# Quantity words are not origins: "يستقطب الآلاف من المجندين".
_NOT_GROUPS = frozenset(
    {"الالاف", "المئات", "العشرات", "العديد", "الكثير", "المزيد", "البعض", "الشباب"}
)
_MEMBERS = frozenset(
    {"المقاتلين", "مقاتلين", "العناصر", "عناصر", "الجنود", "جنود", "مقاتلي", "المجندين"}
)


def is_origin_word(word: str) -> bool:
    """Shaped like a plural of nationality or origin: الشيشان، الأوزبك، الأجانب، السوريين."""
    key = fold_key(word)
    if key.startswith("لل"):
        key = "ال" + key[2:]
    if not key.startswith("ال") or len(key) < 5:
        return False
    return key.endswith(("يين", "يون", "ين", "ون", "ان", "ك", "ب")) and key not in _NOT_GROUPS


class CompositionRules:
    def __init__(self) -> None:
        self.share_verbs = lexicon_from(_FILE, "share_verbs")
        self.majority = lexicon_from(_FILE, "majority")
        self.recruit = lexicon_from(_FILE, "recruit_verbs")
        self.exclusion = lexicon_from(_FILE, "exclusion")
        self.recruitment = lexicon_from(_FILE, "recruitment")
        self.mission = lexicon_from(_FILE, "mission")
        self.selection = lexicon_from(_FILE, "selection_context")

    def apply(self, ctx: SentenceContext, units: list[UnitRef], state: DocState) -> None:
        folded = ctx.folded
        if self.share_verbs.search(folded):
            self._share(ctx, units, state)
        if self.majority.search(folded):
            self._majority(ctx, units, state)
        if self.recruit.search(folded):
            self._recruited(ctx, units, state)
        if self.exclusion.search(folded):
            self._excluded(ctx, units, state)
        if self.recruitment.search(folded):
            self._criterion(ctx, units, state)
        if self.mission.search(folded):
            self._mission(ctx, units, state)

    def _subject_after(
        self, ctx: SentenceContext, units: list[UnitRef], offset: int, end: int, state: DocState
    ) -> UnitRef | None:
        after = [u for u in units if offset <= u.start < end]
        if after:
            return state.units.canonical(after[0])
        return state.units.topic

    def _share(self, ctx: SentenceContext, units: list[UnitRef], state: DocState) -> None:
        for hit in self.share_verbs.finditer(ctx.folded, ctx.text):
            k = word_of(ctx, hit.end)
            _a, b = clause(ctx, k)
            clause_end = ctx.word_span(b - 1, b)[1]
            percents = [
                m for m in ctx.mentions if m.type == "PERCENT" and hit.end <= m.start < clause_end
            ]
            if not percents:
                continue
            percent = percents[0]
            groups = [m for m in ctx.mentions_of("NORP") if hit.end <= m.start < percent.start]
            limit = word_of(ctx, percent.start)
            if limit > k and ctx.words[limit - 1].text in {"نسبه", "بنسبه"}:
                limit -= 1
            if groups:
                value = ctx.text[groups[0].start : groups[-1].end]
                names = [g.text for g in groups]
            else:
                found = name_list(ctx, k, limit)
                if not found:
                    continue
                value = ctx.text[found[0].start : found[-1].end]
                names = [p.text for p in found]
            after = [u for u in units if percent.end <= u.start < clause_end]
            if not after:
                continue  # "يمثل المسلمون 90 في المائة من سكان إندونيسيا": not a unit
            subject = state.units.canonical(after[0])
            share = float(percent.value.get("value") or 0)
            share = share / 100 if percent.subtype == "percent" or share > 1 else share
            state.add(
                ctx,
                subject,
                "composition",
                value,
                (hit.start, clause_end),
                anchor=hit.start,
                qualifiers={"share": round(share, 4), "groups": names, "share_text": percent.text},
            )

    def _majority(self, ctx: SentenceContext, units: list[UnitRef], state: DocState) -> None:
        for hit in self.majority.finditer(ctx.folded, ctx.text):
            k = word_of(ctx, hit.end)
            if k >= len(ctx.words) or ctx.words[k].text != "من":
                continue
            group = name_at(ctx, k + 1, max_words=2)
            subject = state.units.subject_before(units, hit.start)
            if group is None or subject is None:
                continue
            state.add(
                ctx,
                subject,
                "composition",
                group.text,
                (hit.start, group.end),
                anchor=hit.start,
                qualifiers={"share": "majority", "groups": [group.text]},
            )

    def _recruited(self, ctx: SentenceContext, units: list[UnitRef], state: DocState) -> None:
        for hit in self.recruit.finditer(ctx.folded, ctx.text):
            k = word_of(ctx, hit.end)
            if k < len(ctx.words) and ctx.words[k].text in _MEMBERS:
                k += 1
            _a, b = clause(ctx, k)
            # The list of origin words after the verb; NER's NORP mentions fill in
            # the ones the word shape misses.
            groups = [g for g in self._group_words(ctx, k, b) if is_origin_word(g.text)]
            end = groups[-1].end if groups else ctx.word_span(min(b, k + 1) - 1, min(b, k + 1))[1]
            for m in ctx.mentions_of("NORP"):
                if hit.end <= m.start <= end and not any(
                    g.start <= m.start < g.end for g in groups
                ):
                    groups.append(
                        phrase(ctx, word_of(ctx, m.start), word_of(ctx, m.end - 1) + 1, m)
                    )
            subject = state.units.subject_before(units, hit.start)
            if subject is None:
                continue
            for group in groups:
                state.add(
                    ctx,
                    subject,
                    "composition",
                    group.text,
                    (hit.start, group.end),
                    anchor=hit.start,
                    qualifiers={"presence": "recruited", "groups": [group.text]},
                )

    def _group_words(self, ctx: SentenceContext, k: int, b: int) -> list[Phrase]:
        """Nationality words joined by و: "الشيشان والاوزبك والافريقيين"."""
        groups: list[Phrase] = []
        i = k
        while i < b:
            text = strip_preposition(ctx.words[i].text)
            if (
                ctx.words[i].is_punct
                or text in STOP
                or text in _NOT_GROUPS
                or not text.startswith("ال")
            ):
                break
            groups.append(phrase(ctx, i, i + 1))
            i += 1
            if i < b and not ctx.words[i].text.startswith("وال"):
                break
        return groups

    def _excluded(self, ctx: SentenceContext, units: list[UnitRef], state: DocState) -> None:
        for hit in self.exclusion.finditer(ctx.folded, ctx.text):
            k = word_of(ctx, hit.end)
            if k >= len(ctx.words) or not ctx.words[k].text.startswith("ل"):
                continue
            group = phrase(ctx, k, k + 1)
            mention = next(
                (m for m in ctx.mentions_of("NORP") if group.start <= m.start < group.end + 1), None
            )
            text = mention.text if mention is not None else group.text
            word = ctx.text[group.start : group.end]
            if word.startswith("لل"):
                text = "ال" + word[2:]  # "للسورين": لـ + the article whose alef is not written
            if mention is None and not is_origin_word(text):
                continue  # "لا يسمح لنا بأن ...": not a group of people
            _a, b = clause(ctx, k)
            clause_end = ctx.word_span(b - 1, b)[1]
            after = [u for u in units if group.end <= u.start < clause_end]
            if not after:
                continue  # "لا يسمح للأقارب بنيل الدعم": no unit to join
            subject = state.units.canonical(after[0])
            state.add(
                ctx,
                subject,
                "excluded_origin",
                text,
                (hit.start, ctx.word_span(b - 1, b)[1]),
                anchor=hit.start,
                qualifiers={"groups": [text]},
            )

    def _criterion(self, ctx: SentenceContext, units: list[UnitRef], state: DocState) -> None:
        for hit in self.recruitment.finditer(ctx.folded, ctx.text):
            k = word_of(ctx, hit.start)
            _a, b = clause(ctx, k)
            j = k
            while j < min(b, k + 6) and not (j > k and ctx.words[j].text.startswith("و")):
                j += 1
            criterion = phrase(ctx, k, j, conj=True)
            if not self.selection.search(ctx.folded):
                continue  # "شرط لاستئناف المفاوضات": a condition, not a way of picking members
            subject = state.units.topic
            in_sentence = [u for u in units if u.level == "unit"]
            if in_sentence:
                subject = state.units.canonical(in_sentence[-1])
            if subject is None:
                continue
            state.add(
                ctx,
                subject,
                "recruitment_criterion",
                criterion.text,
                (criterion.start, criterion.end),
                anchor=hit.start,
            )

    def _mission(self, ctx: SentenceContext, units: list[UnitRef], state: DocState) -> None:
        for hit in self.mission.finditer(ctx.folded, ctx.text):
            k = word_of(ctx, hit.end)
            if k >= len(ctx.words):
                continue
            task = name_at(ctx, k, max_words=2)
            subject = state.units.topic
            if task is None or subject is None:
                continue
            only = (
                k + 1 < len(ctx.words) and ctx.words[task.j].text == "فقط"
                if task.j < len(ctx.words)
                else False
            )
            state.add(
                ctx,
                subject,
                "mission",
                task.text,
                (hit.start, task.end),
                anchor=hit.start,
                qualifiers={"exclusive": only},
            )
