"""Events: a trigger plus who took part, where, when, how many died, and who says so.

The trigger layer (:mod:`rasid.facts.triggers`) gives type and status; this
module fills the arguments from the units, mentions and phrases of the clause:

* ``actor``: the unit or person before the trigger in its clause, or right after
  a verb trigger ("قصفت طائرات التحالف"); ``target`` after ``على``/``ضد``/``استهدف``;
* ``participant``: the unit in a (non-)participation phrase
  (``لم يتم اشراك جيش الخلافة فيها``; ``أشراكهم`` -> the unit the article is about);
  ``فيها`` refers back to the last battle of the document;
* ``victim`` of a killing (``أبو محمد الأمريكي الذي قتل فيما بعد``, ``مقتل X``);
* ``fighters`` for refusals (``لمقاتل بلجيكي``, ``مقاتلان من كوسوفو``);
* ``place``: a named battle (``معركة عين عرب ” كوباني ”``), else the first place
  after ``في`` in the clause; ``date`` from a DATE mention; ``fatalities`` from a
  casualty count (``مقتل 14 شخصا``).
"""

from __future__ import annotations

from typing import Any

from rasid.facts.context import SentenceContext, chain_dicts
from rasid.facts.keys import local_key
from rasid.facts.lexicon import lexicon_from
from rasid.facts.phrases import (
    PLACE_HEADS,
    STOP,
    Phrase,
    known_place,
    mention_at,
    name_at,
    phrase,
    place_at,
    strip_preposition,
)
from rasid.facts.relations import clause, word_of
from rasid.facts.state import COMPONENT, DocState
from rasid.facts.triggers import Trigger, TriggerFinder
from rasid.facts.units import UnitRef
from rasid.model import stable_id

_TARGET_MARKERS = frozenset({"على", "ضد", "استهدف", "استهدفت", "مستهدفا", "تستهدف", "يستهدف"})
_KILL_WORDS = ("قتل", "مقتل", "قتلى", "قتيل", "مصرع", "حتف")
_GENERIC_PLACES = frozenset({"منزل", "مبنى", "شارع", "طريق"})
_PLACE_WINDOW = 14
_ACTOR_WINDOW = 5
_PLACE_PREPOSITIONS = {
    "withdrawal": ("من",),
    "seizure": ("على", "في"),
    "bombardment": ("على", "في"),
    "documents_found": ("في",),
}
_STATUS_CERTAINTY = {"did_not_happen": ("negated",), "denied": ("denied",)}


class EventRules:
    def __init__(self, finder: TriggerFinder) -> None:
        self.finder = finder
        self.fighters = lexicon_from("events.yaml", "fighters")
        self.role_words = frozenset(lexicon_from("relations.yaml", "roles").entries)

    def apply(self, ctx: SentenceContext, units: list[UnitRef], state: DocState) -> None:
        triggers = self.finder.find(ctx.folded, ctx.text)
        seen: dict[tuple[str, str, int], dict[str, Any]] = {}
        for trigger in triggers:
            trigger = self.finder.with_status(trigger, ctx.folded, ctx.words, ctx.cues)
            event = self._event(ctx, trigger, units, state)
            # "تفجير انتحاري استهدف سوقا": two triggers, one event per clause and type.
            key = (event["type"], event["status"], event["start"])
            first = seen.get(key)
            if first is None:
                seen[key] = event
                state.events.append(event)
                continue
            for field in ("place", "date", "date_text", "fatalities", "subtype"):
                if first[field] is None:
                    first[field] = event[field]
            names = {(x["role"], x["name"]) for x in first["arguments"]}
            first["arguments"] += [
                x for x in event["arguments"] if (x["role"], x["name"]) not in names
            ]

    def _event(
        self, ctx: SentenceContext, trigger: Trigger, units: list[UnitRef], state: DocState
    ) -> dict[str, Any]:
        k = word_of(ctx, trigger.start)
        end_k = max(k + 1, word_of(ctx, trigger.end))
        a, b = clause(ctx, k)
        arguments: list[dict[str, Any]] = []
        skip_actors = False
        place: str | None = None
        refers_to: str | None = None
        inherited: tuple[str | None, str | None] | None = None

        def argument(role: str, item: UnitRef | Phrase) -> None:
            if isinstance(item, UnitRef):
                canonical = state.units.canonical(item)
                entry = {
                    "role": role,
                    "text": ctx.text[item.start : item.end],
                    "name": canonical.name,
                    "start": item.start,
                    "end": item.end,
                    "entity": canonical.key,
                }
            else:
                entity = (
                    item.mention.entity_id
                    if item.mention and item.mention.entity_id
                    else local_key(item.text)
                )
                entry = {
                    "role": role,
                    "text": ctx.text[item.start : item.end],
                    "name": item.text,
                    "start": item.start,
                    "end": item.end,
                    "entity": entity,
                }
            if not any(x["role"] == role and x["name"] == entry["name"] for x in arguments):
                arguments.append(entry)

        if trigger.pattern in {"participation", "participation_anaphoric"}:
            inside = [u for u in units if trigger.start <= u.start < trigger.end]
            if inside:
                argument("participant", inside[0])
            elif state.units.topic is not None:
                topic = state.units.topic
                argument(
                    "participant",
                    UnitRef(
                        topic.name,
                        topic.head,
                        topic.level,
                        trigger.start,
                        trigger.end,
                        trigger.text,
                        True,
                    ),
                )
            if trigger.pattern == "participation_anaphoric":
                earlier = next(
                    (e for e in reversed(state.events) if e["type"] == "battle" and e["place"]),
                    None,
                )
                if earlier is not None:
                    place, refers_to = earlier["place"], earlier["id"]
                    inherited = (earlier["place_within"], earlier["place_alias"])
        elif trigger.type == "killing":
            victim = self._victim(ctx, k, end_k, a, b)
            if victim is not None:
                argument("victim", victim)
                skip_actors = True
        elif trigger.type == "refusal_to_fight":
            fighters = self._fighters(ctx, trigger)
            if fighters is not None:
                argument("fighters", fighters)
        if not skip_actors:
            for role, item in self._actors(ctx, units, k, end_k, a, b, trigger):
                argument(role, item)
        if place is None and trigger.pattern not in {"participation", "participation_anaphoric"}:
            place = self._place(ctx, trigger, end_k, b, units)
        if place is None and trigger.type == "documents_found":
            # "عثر ... على هذه الوثائق بعد سيطرته على قاعدة لكتيبة ...": where they were taken.
            seized = [
                e
                for e in state.events
                if e["sentence_index"] == ctx.index and e["type"] == "seizure"
            ]
            later = self.finder.find(ctx.folded, ctx.text)
            for other in later:
                if other.type == "seizure" and other.start > trigger.start:
                    place = self._place(
                        ctx,
                        other,
                        max(word_of(ctx, other.end), word_of(ctx, other.start) + 1),
                        b,
                        units,
                    )
                    break
            if place is None and seized:
                place = seized[-1]["place"]
        detail = inherited or self._place_detail(ctx, place, trigger, b)
        date, date_text = self._date(ctx, trigger, a, b)
        fatalities = self._fatalities(ctx, a, b)
        chain, _ = ctx.chain(trigger.start)
        lo, hi = ctx.word_span(a, a + 1)[0], ctx.word_span(b - 1, b)[1]
        event: dict[str, Any] = {
            "id": stable_id("ev", state.document_id, trigger.type, trigger.start, trigger.end),
            "type": trigger.type,
            "subtype": trigger.subtype,
            "status": trigger.status,
            "arguments": arguments,
            "date": date,
            "date_text": date_text,
            "place": place,
            "place_within": detail[0],
            "place_alias": detail[1],
            "fatalities": fatalities,
            "certainty": ctx.certainty(trigger.start, _STATUS_CERTAINTY.get(trigger.status, ())),
            "attribution": chain_dicts(chain),
            "sentence_index": ctx.index,
            "start": min(lo, trigger.start),
            "end": max(hi, trigger.end),
            "trigger": {"text": trigger.text, "start": trigger.start, "end": trigger.end},
            "component": COMPONENT,
        }
        if refers_to is not None:
            event["refers_to"] = refers_to
        return event

    def _actors(
        self,
        ctx: SentenceContext,
        units: list[UnitRef],
        k: int,
        end_k: int,
        a: int,
        b: int,
        trigger: Trigger,
    ) -> list[tuple[str, UnitRef | Phrase]]:
        found: list[tuple[str, UnitRef | Phrase]] = []
        lo = ctx.word_span(a, a + 1)[0]
        hi = ctx.word_span(b - 1, b)[1]
        # Names inside the reporting frame ("قالت صحيفة واشنطن بوست الأمريكية إن")
        # are the source, not the actors of what it reports.
        for frame in ctx.attribution.frames:
            if frame.scope_start <= trigger.start < frame.scope_end:
                lo = max(lo, frame.scope_start)
        candidates: list[UnitRef | Phrase] = [u for u in units if lo <= u.start < hi]
        for mention in ctx.mentions_of("PERSON", "NORP"):
            if lo <= mention.start < hi and not any(
                c.start <= mention.start < c.end for c in candidates
            ):
                i = word_of(ctx, mention.start)
                candidates.append(
                    phrase(ctx, i, max(i + 1, word_of(ctx, mention.end - 1) + 1), mention)
                )
        near = ctx.word_span(max(a, k - _ACTOR_WINDOW), max(a, k - _ACTOR_WINDOW) + 1)[0]
        before = [c for c in candidates if near <= c.start and c.end <= trigger.start]
        after = [c for c in candidates if c.start >= trigger.end]
        if trigger.pattern in {"participation", "participation_anaphoric"}:
            return found
        head = ctx.folded.text[
            ctx.folded.from_original(trigger.start) : ctx.folded.from_original(trigger.end)
        ].split()[0]
        if not before and head.endswith(("ته", "تها", "تهم")):
            # "بعد سيطرته على ...": "his" is the subject of the sentence.
            earlier = [c for c in candidates if c.end <= trigger.start] or [
                u for u in units if u.end <= trigger.start
            ]
            if earlier:
                before = [earlier[0]]
        if before:
            found.append(("actor", before[-1]))
        for item in after:
            i = word_of(ctx, item.start)
            marker = ctx.words[i - 1].text if i > 0 else ""
            first = ctx.words[i].text
            if (
                marker in _TARGET_MARKERS
                or strip_preposition(marker) in _TARGET_MARKERS
                or first.startswith("ل")
            ):
                found.append(("target", item))
            elif not before and word_of(ctx, item.start) <= end_k + 1:
                found.append(("actor", item))
        return found

    def _victim(self, ctx: SentenceContext, k: int, end_k: int, a: int, b: int) -> Phrase | None:
        if k > 0 and ctx.words[k - 1].text in {"الذي", "التي"}:
            # "أبو محمد الامريكي الذي قتل": the name before the relative pronoun.
            j = k - 1
            i = j
            while (
                i > a
                and j - i < 4
                and not ctx.words[i - 1].is_punct
                and ctx.words[i - 1].text not in STOP
                and ctx.words[i - 1].text not in self.role_words
            ):
                i -= 1
                if (
                    ctx.words[i].text[:1] == "و"
                    and len(ctx.words[i].text) > 3
                    and ctx.words[i].text[1:3] != "ال"
                ):
                    i += 1
                    break
            if i < j:
                return phrase(ctx, i, j)
        if ctx.words[k].text.endswith(("مقتل", "مصرع")) and end_k < b:
            return name_at(ctx, end_k, types=("PERSON",))
        return None

    def _fighters(self, ctx: SentenceContext, trigger: Trigger) -> Phrase | None:
        hits = list(self.fighters.finditer(ctx.folded, ctx.text))
        before = [h for h in hits if h.start < trigger.end]
        after = [
            h
            for h in hits
            if h.start >= trigger.end and word_of(ctx, h.start) - word_of(ctx, trigger.end) <= 3
        ]
        if not before and not after:
            return None
        hit = before[-1] if before else after[0]
        i = word_of(ctx, hit.start)
        j = i + 1
        words = ctx.words
        if j < len(words) and words[j].text == "من" and j + 1 < len(words):
            j += 2  # "مقاتلان من كوسوفو"
        elif j < len(words) and (
            words[j].text.endswith(("ي", "يه", "يين", "ين", "ان")) or words[j].text.startswith("ال")
        ):
            j += 1  # "مقاتل بلجيكي", "مقاتليها الأجانب"
        return phrase(ctx, i, min(j, len(words)))

    def _with_owner(self, ctx: SentenceContext, found: Phrase, units: list[UnitRef]) -> str:
        """ "قاعدة لكتيبة طارق بن زياد": a base named by the unit that holds it."""
        for unit in units:
            if found.start < unit.start <= found.end + 2 and ctx.text[unit.start - 1] == "ل":
                return ctx.text[found.start : unit.end]
        return found.text

    def _place(
        self, ctx: SentenceContext, trigger: Trigger, end_k: int, b: int, units: list[UnitRef]
    ) -> str | None:
        words = ctx.words
        if (
            trigger.pattern not in {"participation", "participation_anaphoric"}
            and end_k < b
            and strip_preposition(words[end_k - 1].text).endswith(("معركه", "معارك"))
        ):
            named = self._named_battle(ctx, end_k, b)
            if named is not None:
                return named  # "معركة عين عرب", "معركة الموصل"
        prepositions = _PLACE_PREPOSITIONS.get(trigger.type, ("في",))
        if trigger.text.split()[-1] in prepositions or ctx.folded.text[
            ctx.folded.from_original(trigger.start) : ctx.folded.from_original(trigger.end)
        ].endswith((" على", " من", " في")):
            found = place_at(ctx, end_k)  # "السيطرة على مدينة حلب"
            if found is not None and strip_preposition(words[found.i].text) not in STOP:
                return self._with_owner(ctx, found, units)
        if end_k < b and strip_preposition(words[end_k].text) in PLACE_HEADS:
            found = place_at(ctx, end_k)  # "استعادة حي الأندلس"
            if found is not None:
                return found.text
        for i in range(end_k, min(b, end_k + _PLACE_WINDOW)):
            word = words[i].text
            if (
                word in prepositions
                or (word[:1] == "ب" and strip_preposition(word) in PLACE_HEADS)
                or word.startswith("بال")
            ):
                start = i + 1 if word in prepositions else i
                if start < b and strip_preposition(words[start].text).endswith(("معركه", "معارك")):
                    named = self._named_battle(ctx, start + 1, b)
                    if named is not None:
                        return named
                found = place_at(ctx, start)
                if found is None:
                    continue
                head = strip_preposition(words[found.i].text)
                if head in _GENERIC_PLACES:
                    continue
                return self._with_owner(ctx, found, units)
        return None

    def _place_detail(
        self, ctx: SentenceContext, place: str | None, trigger: Trigger, b: int
    ) -> tuple[str | None, str | None]:
        """What follows the place: the area it lies in ("بحي الأندلس بالموصل")
        and another name in quotes ("عين عرب ” كوباني ”")."""
        if not place:
            return None, None
        at = ctx.text.find(place, trigger.start, ctx.end)
        if at < 0:
            return None, None
        words = ctx.words
        j = word_of(ctx, at + len(place))
        if j >= min(b + 1, len(words)):
            return None, None
        if words[j].text == '"':
            k = j + 1
            while k < len(words) and words[k].text != '"' and k - j <= 3:
                k += 1
            if k < len(words) and words[k].text == '"' and k > j + 1:
                return None, phrase(ctx, j + 1, k).text
            return None, None
        if words[j].text == "في" or words[j].text.startswith("بال"):
            within = place_at(ctx, j + 1 if words[j].text == "في" else j)
            if within is not None:
                return within.text, None
        return None, None

    def _named_battle(self, ctx: SentenceContext, k: int, b: int) -> str | None:
        words = ctx.words
        if (
            k >= b
            or words[k].text[:1] == "و"
            or strip_preposition(words[k].text) in STOP
            or words[k].is_punct
        ):
            return None
        j = k + 1
        # "عين عرب", "دير الزور": a construct name takes a second word.
        if (
            j < b
            and not words[k].text.startswith("ال")
            and not words[j].is_punct
            and words[j].text not in STOP
        ):
            j += 1
        found = phrase(ctx, k, j)
        if j == k + 1 and found.mention is None and not known_place(found.text):
            if mention_at(ctx, k, ("GPE", "LOC", "FACILITY", "EVENT")) is None:
                return None  # "المعارك الكبيرة": an adjective, not the battle's place
        return found.text

    def _date(
        self, ctx: SentenceContext, trigger: Trigger, a: int, b: int
    ) -> tuple[str | None, str | None]:
        lo = ctx.word_span(a, a + 1)[0]
        hi = ctx.word_span(b - 1, b)[1]
        dates = sorted(
            (m for m in ctx.mentions_of("DATE") if lo <= m.start < hi),
            key=lambda m: abs(m.start - trigger.start),
        )
        if dates:
            value = dates[0].value.get("value") or None
            return (str(value) if value else None), dates[0].text
        tail = ctx.folded.text[ctx.folded.from_original(trigger.end) :][:20]
        if tail.lstrip().startswith(("فيما بعد", "لاحقا")):
            return "later", "فيما بعد" if "فيما" in tail else "لاحقا"
        return None, None

    def _fatalities(self, ctx: SentenceContext, a: int, b: int) -> int | None:
        lo = ctx.word_span(a, a + 1)[0]
        hi = ctx.word_span(b - 1, b)[1]
        local = ctx.folded.text
        for mention in ctx.mentions:
            if mention.type != "QUANTITY" or not lo <= mention.start < hi:
                continue
            if mention.subtype == "casualty" and str(
                mention.value.get("unit_key") or ""
            ).startswith(("قتيل", "قتلى", "القتلى")):
                return int(mention.value.get("value") or 0)
            if mention.subtype == "person":
                around = local[
                    max(0, ctx.folded.from_original(mention.start) - 12) : ctx.folded.from_original(
                        mention.end
                    )
                    + 12
                ]
                if any(w in around for w in _KILL_WORDS):
                    return int(mention.value.get("value") or 0)
        return None
