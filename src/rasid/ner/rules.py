"""From the CRF's four ANERcorp labels to rasid's entity types.

ANERcorp has no ROLE, NORP, FACILITY or EVENT, and its LOC covers countries,
cities, rivers and airports alike. This layer works on word indices of one
sentence with the gazetteer and trigger words:

* curated multi-word names (orgs, facilities, natural places) override the CRF;
* a trigger word before a name makes a typed name of both (مطار + الجراح →
  FACILITY, كتيبة + طارق بن زياد → ORG, معركة + الموصل → EVENT, ريف + حلب + الشرقي
  → GPE);
* a kunya (أبو/أم + name) or a role word before a given name makes a PERSON,
  and nisbas (الشيشاني) directly after a person's name join it;
* roles and nationalities/ethnic groups come from the curated lists;
* remaining LOC spans become LOC (natural), FACILITY or GPE by their words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import compress

from rasid.ner.features import Lexical
from rasid.ner.gazetteer import Gazetteer
from rasid.ner.lexical import strip_conj_prep
from rasid.ner.tagger import CrfSpan

_CRF_TYPE = {"PERS": "PERSON", "ORG": "ORG", "LOC": "GPE", "MISC": "MISC"}
_KUNYA = {"ابو", "ام", "ابا", "ابي"}
_NASAB = {"بن", "ابن", "بنت"}
_DIRECTIONS = {
    "الشرقي",
    "الغربي",
    "الشمالي",
    "الجنوبي",
    "الشرقيه",
    "الغربيه",
    "الشماليه",
    "الجنوبيه",
    "الشمالي الشرقي",
}
_LOCATIVE = {"في", "الى", "الي", "نحو", "داخل", "شمال", "جنوب", "شرق", "غرب", "بين", "عبر"}
# Singular event heads that name an event when a name follows (not plurals).
_EVENT_HEADS = {"معركه", "حرب", "غزوه", "مجزره", "مذبحه", "مؤتمر", "قمه", "انتفاضه", "ثوره"}
# Org heads that, undetermined, take a definite word as the unit's name (جيش الخلافة).
_UNIT_HEADS = {"جيش", "كتيبه", "لواء", "فيلق", "سرايا", "جبهه", "حركه", "كتائب", "الويه", "جند"}
# Definite words that follow a unit/facility head without naming it.
_GENERIC = {
    "التدريب",
    "النظام",
    "النخبه",
    "الدوله",
    "الاحتلال",
    "المعارضه",
    "العدو",
    "الجديد",
    "الكبير",
    "الاول",
    "الثاني",
    "الثالث",
    "الرئيسي",
    "العسكري",
    "العسكريه",
    "الدولي",
    "الامن",
    "الاحتياط",
}
# Heads that name-only corpora leave outside the name (حركة حماس → حماس).
_DETACHABLE = {
    "حركه",
    "تنظيم",
    "قطاع",
    "مدينه",
    "بلده",
    "قريه",
    "صحيفه",
    "جريده",
    "قناه",
    "مجله",
    "محافظه",
    "حكومه",
    "وكاله",
}
# Unit heads that join the name after them (كتيبة طارق بن زياد).
_JOINING_HEADS = _UNIT_HEADS - {"حركه", "جبهه"}
_FUNCTION_WORDS = {
    "الا",
    "ولا",
    "او",
    "ثم",
    "انه",
    "كان",
    "الي",
    "علي",
    "في",
    "من",
    "عن",
    "مع",
    "ان",
    "قد",
    "لا",
    "ما",
    "هو",
    "هي",
    "هذا",
    "هذه",
    "الذي",
    "التي",
    "بعد",
    "قبل",
    "حتي",
    "منذ",
}
_STATE_FORCE_HEADS = {"الجيش", "القوات", "الشرطه", "الحرس", "قوات", "جيش"}
# Definite force heads that take a nationality after them (الجيش العراقي).
_DEFINITE_FORCES = frozenset(("الجيش", "القوات", "الشرطه"))
_ENTITY_CLASSES = ("fac", "org", "loc", "gpe")
_CLASS_TYPE = {"fac": "FACILITY", "org": "ORG", "loc": "LOC", "gpe": "GPE"}

# Priority when spans overlap: curated names beat rules beat the CRF.
_PRIORITY = {"gazetteer": 3, "rule": 2, "crf": 1}


@dataclass(frozen=True, slots=True)
class TypedSpan:
    type: str
    subtype: str | None
    start: int
    end: int
    confidence: float
    source: str  # "crf" | "gazetteer" | "rule" | "nested" (inside a wider mention)
    # The bare name inside the span, as ANERcorp-style corpora mark it
    # (غزة in قطاع غزة, حماس in حركة حماس); None when it is the whole span.
    core: tuple[int, int] | None = None
    # A descriptive mention (الجيش العراقي) rather than a name: rasid keeps it,
    # name-only schemes such as ANERcorp drop it.
    generic: bool = False

    def named_span(self) -> tuple[int, int] | None:
        """The span a name-only annotation scheme would mark, if any."""
        if self.generic:
            return None
        return self.core or (self.start, self.end)


def _definite(word: str) -> bool:
    return strip_conj_prep(word).startswith("ال")


def _nisba(word: str) -> bool:
    w = strip_conj_prep(word)
    return w.startswith("ال") and w.endswith("ي") and len(w) > 4


class _Sentence:
    def __init__(self, words: Sequence[str], gaz: Gazetteer, known: Lexical | None) -> None:
        self.words = list(words)
        self.n = len(words)
        self.gaz = gaz
        if known is not None:
            self.bare, self.classes, self.matches = known.bare, known.classes, known.matches
        else:
            self.bare = [strip_conj_prep(w) for w in words]
            self.classes = [gaz.token_classes(w) or {} for w in words]
            self.matches = gaz.matches(self.words, self.bare)
        # The words with a gazetteer class, a fifth of them in news: the rules
        # that start from a class look only at these.
        self.classed = list(compress(range(self.n), self.classes))
        self._spans: list[TypedSpan] = []
        self._owners: list[TypedSpan | None] | None = None
        # Places inside a wider mention (الرقة in ريف الرقة, الموصل in معركة الموصل),
        # kept as mentions of their own beside the wider one.
        self.nested: list[TypedSpan] = []

    @property
    def spans(self) -> list[TypedSpan]:
        return self._spans

    @spans.setter
    def spans(self, value: list[TypedSpan]) -> None:
        self._spans = value
        self._owners = None

    def owner(self, i: int) -> TypedSpan | None:
        owners = self._owners
        if owners is None:
            owners = [None] * self.n
            for span in self._spans:
                for j in range(span.start, span.end):
                    owners[j] = span
            self._owners = owners
        return owners[i]

    def free(self, start: int, end: int) -> bool:
        return all(self.owner(i) is None for i in range(start, end))

    def drop(self, span: TypedSpan) -> None:
        self.spans = [s for s in self._spans if s is not span]

    def put(self, new: TypedSpan) -> None:
        """Add ``new``, dropping what it overlaps unless that outranks it."""
        keep: list[TypedSpan] = []
        for old in self._spans:
            if old.end <= new.start or old.start >= new.end:
                keep.append(old)
                continue
            contains = old.start <= new.start and old.end >= new.end and old != new
            if contains and (old.end - old.start) > (new.end - new.start):
                if _PRIORITY[old.source] >= _PRIORITY[new.source]:
                    return
            elif _PRIORITY[old.source] > _PRIORITY[new.source] and not (
                new.start <= old.start and new.end >= old.end
            ):
                return
        self.spans = [*keep, new]

    def swap(self, old: TypedSpan, new: TypedSpan) -> None:
        self.spans = [new if s is old else s for s in self._spans]

    def has(self, i: int, cls: str) -> bool:
        return 0 <= i < self.n and cls in self.classes[i]


def _curated_names(sent: _Sentence) -> None:
    for start, end, classes in sent.matches:
        for cls in _ENTITY_CLASSES:
            if cls in classes:
                core = None
                if strip_conj_prep(sent.words[start]) in _DETACHABLE:
                    core = (start + 1, end)
                sent.put(
                    TypedSpan(
                        _CLASS_TYPE[cls], classes[cls] or None, start, end, 0.9, "gazetteer", core
                    )
                )
                break
    for i in sent.classed:
        classes = sent.classes[i]
        if any(c.endswith("trig") for c in classes):
            continue
        for cls in ("org", "fac", "loc"):
            if cls in classes:
                owner = sent.owner(i)
                if owner is None or (owner.source == "crf" and owner.end - owner.start == 1):
                    sent.put(
                        TypedSpan(
                            _CLASS_TYPE[cls], classes[cls] or None, i, i + 1, 0.85, "gazetteer"
                        )
                    )
                break
        else:
            if "gpe" in classes and sent.owner(i) is None and "norp" not in classes:
                sent.put(TypedSpan("GPE", classes["gpe"] or None, i, i + 1, 0.8, "gazetteer"))


def _trigger_before(sent: _Sentence) -> None:
    """A trigger word right before a name types the name and joins it."""
    for span in sorted(sent.spans, key=lambda s: s.start):
        t = span.start - 1
        if t < 0 or sent.owner(t) is not None or span.type in ("ROLE", "NORP"):
            continue
        if strip_conj_prep(sent.words[span.start]) != sent.words[span.start]:
            continue  # قاعدة لكتيبة ...: a preposition, not a name in construct
        word = sent.words[t]
        head = strip_conj_prep(word)
        definite = head.startswith("ال")
        cls = sent.classes[t]
        new: TypedSpan | None = None
        core = span.named_span()
        if span.source == "crf" and span.type == "PERSON" and "orgtrig" in cls:
            continue  # حكومة إيهود أولمرت: the person is the name
        if "factrig" in cls and not definite:
            new = TypedSpan(
                "FACILITY", cls["factrig"] or None, t, span.end, span.confidence, "rule", core
            )
        elif "loctrig" in cls and not definite and span.type in ("GPE", "LOC", "MISC"):
            new = TypedSpan(
                "LOC", cls["loctrig"] or None, t, span.end, span.confidence, "rule", core
            )
        elif head in _EVENT_HEADS:
            new = TypedSpan("EVENT", None, t, span.end, span.confidence, "rule", core)
        elif head in _JOINING_HEADS and span.type in ("PERSON", "GPE", "LOC", "MISC"):
            new = TypedSpan(
                "ORG",
                cls.get("orgtrig") or "armed_group",
                t,
                span.end,
                span.confidence,
                "rule",
                core,
            )
        elif head == "ريف" and span.type in ("GPE", "LOC"):
            end = span.end
            if end < sent.n and sent.words[end] in _DIRECTIONS and sent.owner(end) is None:
                end += 1
            new = TypedSpan("GPE", "region", t, end, span.confidence, "rule", core)
        elif (
            "gpetrig" in cls
            and span.type in ("LOC", "PERSON", "MISC")
            and span.end - span.start <= 2
        ):
            new = replace(span, type="GPE", subtype=cls["gpetrig"] or None, source="rule")
        if new is not None:
            sent.drop(span)
            sent.put(new)
            if span.type in ("GPE", "LOC") and new.type != span.type and new in sent.spans:
                sent.nested.append(span)


def _trigger_definite(sent: _Sentence) -> None:
    """جيش الخلافة, مطار الجراح: an undetermined head + a definite name."""
    bare, classes = sent.bare, sent.classes
    last = sent.n - 1
    # Either branch needs a unit head or a facility trigger ("factrig", a class).
    starts = range(last) if not _JOINING_HEADS.isdisjoint(bare) else sent.classed
    for t in starts:
        if t >= last:
            break
        head = bare[t]
        if head not in _JOINING_HEADS and "factrig" not in classes[t]:
            continue  # neither branch below can apply
        nxt = sent.words[t + 1]
        if sent.owner(t) is not None or sent.owner(t + 1) is not None:
            continue
        # The name must carry the article itself (not لل/بال: "قاعدة للأقلام").
        if not nxt.startswith("ال") or nxt in _GENERIC or _nisba(nxt) or sent.classes[t + 1]:
            continue
        if head in _JOINING_HEADS:
            sub = sent.classes[t].get("orgtrig") or "armed_group"
            sent.put(TypedSpan("ORG", sub, t, t + 2, 0.6, "rule"))
        elif "factrig" in sent.classes[t] and head not in ("قاعده", "محطه", "مبني", "مدرسه"):
            if not head.startswith("ال"):
                kind = sent.classes[t]["factrig"] or None
                sent.put(TypedSpan("FACILITY", kind, t, t + 2, 0.6, "rule"))


def _name_run(sent: _Sentence, i: int, limit: int = 4) -> int:
    """End of a run of name words from ``i`` (names, nasab, nisbas)."""
    end = i
    while end < sent.n and end - i < limit and sent.owner(end) is None:
        w = strip_conj_prep(sent.words[end]) if end == i else sent.words[end]
        c = sent.classes[end]
        if w in _FUNCTION_WORDS:
            break
        if w in _NASAB and end + 1 < sent.n:
            end += 2
            continue
        if "given" in c or "surname" in c or _nisba(sent.words[end]):
            if "role" in c or "orgtrig" in c or "factrig" in c:
                break
            end += 1
            continue
        break
    return end


def _persons(sent: _Sentence) -> None:
    # Kunya: أبو محمد الأمريكي.
    bare = sent.bare
    for i in range(sent.n - 1) if not _KUNYA.isdisjoint(bare) else ():
        if bare[i] not in _KUNYA or sent.owner(i) is not None:
            continue
        nxt = sent.owner(i + 1)
        if nxt is not None and nxt.type == "PERSON":
            end = max(nxt.end, _name_run(sent, nxt.end) if nxt.end < sent.n else nxt.end)
            sent.drop(nxt)
            sent.put(TypedSpan("PERSON", None, i, end, nxt.confidence, "rule"))
        elif nxt is None and "given" in sent.classes[i + 1]:
            end = _name_run(sent, i + 2) if i + 2 < sent.n else i + 2
            sent.put(TypedSpan("PERSON", None, i, max(end, i + 2), 0.7, "rule"))
    # A person's name followed by nisbas: عمر + الشيشاني.
    for span in list(sent.spans):
        if span.type != "PERSON":
            continue
        end = span.end
        while end < sent.n and sent.owner(end) is None and _nisba(sent.words[end]):
            if "role" in sent.classes[end]:
                break
            end += 1
        if end > span.end:
            sent.swap(span, replace(span, end=end, source="rule"))


def _trim_persons(sent: _Sentence) -> None:
    """Drop a nationality before a name (البرازيلي فريد) and a verb after it (… يتقمص)."""
    for span in list(sent.spans):
        if span.type != "PERSON" or span.source != "crf" or span.end - span.start < 2:
            continue
        start, end = span.start, span.end
        first = sent.words[start]
        if _nisba(first) or "norp" in sent.classes[start]:
            start += 1
        last = sent.words[end - 1]
        c = sent.classes[end - 1]
        if (
            end - start >= 2
            and last[:1] in ("ي", "ت")
            and len(last) >= 4
            and not ({"given", "surname"} & c.keys())
        ):
            end -= 1
        if (start, end) != (span.start, span.end):
            sent.swap(span, replace(span, start=start, end=end))


def _roles(sent: _Sentence) -> None:
    found: list[tuple[int, int, str]] = []
    for start, end, classes in sent.matches:
        if "role" in classes:
            found.append((start, end, classes["role"]))
    covered = {i for s, e, _ in found for i in range(s, e)}
    for i in sent.classed:
        classes = sent.classes[i]
        if "role" in classes and i not in covered:
            found.append((i, i + 1, classes["role"]))
    for start, end, sub in sorted(found):
        if not sent.free(start, end):
            continue
        # Role + optional nationality + given name: المقدم مهند التميمي.
        j = end
        while j < sent.n and "norp" in sent.classes[j] and sent.owner(j) is None:
            j += 1
        follows_person = j < sent.n and (
            sent.owner(j) is not None and sent.owner(j).type == "PERSON"  # type: ignore[union-attr]
        )
        if not follows_person and j < sent.n and sent.owner(j) is None:
            c = sent.classes[j]
            if "given" in c and not ({"role", "norp", "orgtrig", "factrig"} & c.keys()):
                name_end = _name_run(sent, j)
                if name_end - j >= 2:
                    sent.put(TypedSpan("PERSON", None, j, name_end, 0.65, "rule"))
                    follows_person = True
        if sub == "rank" and not follows_person:
            continue  # "المقدم" alone is mostly "the presented"
        sent.put(TypedSpan("ROLE", sub or None, start, end, 0.8, "rule"))


def _norp(sent: _Sentence) -> None:
    for i in sent.classed:
        classes = sent.classes[i]
        if "norp" not in classes:
            continue
        sub = classes["norp"] or None
        owner = sent.owner(i)
        if owner is None:
            sent.put(TypedSpan("NORP", sub, i, i + 1, 0.8, "rule"))
            continue
        single = owner.start == i and owner.end == i + 1
        prev = sent.words[i - 1] if i > 0 else ""
        place_too = bool({"gpe", "city"} & classes.keys())
        if (
            single
            and owner.type in ("GPE", "LOC")
            and (sub in ("ethnic", "group") or not place_too)
            and prev not in _LOCATIVE
        ):
            sent.swap(owner, TypedSpan("NORP", sub, i, i + 1, owner.confidence, "rule"))


def _coordination(sent: _Sentence) -> None:
    """منبج والباب وجرابلس: places joined by و after a GPE are GPEs."""
    changed = True
    while changed:
        changed = False
        for span in list(sent.spans):
            j = span.end
            if span.type != "GPE" or j >= sent.n or sent.owner(j) is not None:
                continue
            word = sent.words[j]
            if not word.startswith("و"):
                continue
            bare = word[1:]
            c = sent.gaz.classes(bare) or {}
            if "norp" in c or "role" in c or len(bare) < 4 or bare in _FUNCTION_WORDS:
                continue
            if "city" in c or "gpe" in c:
                sent.put(TypedSpan("GPE", c.get("gpe") or "city", j, j + 1, 0.6, "rule"))
                changed = True


def _place_after_trigger(sent: _Sentence) -> None:
    """مدينة منبج: an unclaimed word after a settlement trigger is a GPE."""
    for t in sent.classed:
        if t >= sent.n - 1:
            break
        cls = sent.classes[t]
        if "gpetrig" not in cls or sent.owner(t) is not None or sent.owner(t + 1) is not None:
            continue
        nxt = sent.words[t + 1]
        c = sent.classes[t + 1]
        if ("city" in c or "gpe" in c) and not ({"norp", "role"} & c.keys()):
            sent.put(TypedSpan("GPE", cls["gpetrig"] or None, t + 1, t + 2, 0.6, "rule"))
        elif sent.bare[t] == "ريف" and ("city" in c or "gpe" in c):
            end = t + 2
            if end < sent.n and sent.words[end] in _DIRECTIONS:
                end += 1
            sent.put(TypedSpan("GPE", "region", t, end, 0.6, "rule"))
            sent.nested.append(TypedSpan("GPE", "city", t + 1, t + 2, 0.6, "rule"))
        del nxt


def _refine_places(sent: _Sentence) -> None:
    for span in list(sent.spans):
        if span.type != "GPE" or span.source != "crf":
            continue
        first = sent.classes[span.start]
        whole = sent.gaz.classes(" ".join(sent.words[span.start : span.end])) or {}
        if "loc" in whole or "loctrig" in first or "loc" in first:
            sent.swap(span, replace(span, type="LOC", subtype=(whole or first).get("loc") or None))
        elif "fac" in whole or "factrig" in first:
            sub = whole.get("fac") or first.get("factrig") or None
            sent.swap(span, replace(span, type="FACILITY", subtype=sub))


def _directions(sent: _Sentence) -> None:
    """ريف حلب + الشرقي: a region keeps its compass adjective."""
    for span in list(sent.spans):
        head = strip_conj_prep(sent.words[span.start])
        if span.type != "GPE" or head not in ("ريف", "شمال", "جنوب", "شرق", "غرب"):
            continue
        if (
            span.end < sent.n
            and sent.owner(span.end) is None
            and sent.words[span.end] in _DIRECTIONS
        ):
            sent.swap(span, replace(span, end=span.end + 1))
        if span.end - span.start >= 2 and strip_conj_prep(sent.words[span.start]) == "ريف":
            inner = TypedSpan("GPE", None, span.start + 1, span.start + 2, span.confidence, "rule")
            if sent.words[span.start + 1] not in _DIRECTIONS and inner not in sent.nested:
                sent.nested.append(inner)


def _given_nisba(sent: _Sentence) -> None:
    """عمر الشيشاني: a common given name followed by a nisba or family name."""
    classes = sent.classes
    for i in sent.classed:
        if i >= sent.n - 1:
            break
        c = classes[i]
        if "given" not in c:
            continue
        if sent.owner(i) is not None or sent.owner(i + 1) is not None:
            continue
        w = sent.bare[i]
        if w in _FUNCTION_WORDS or w.startswith("ال"):
            continue
        if {"role", "norp", "orgtrig", "factrig", "gpetrig", "city", "gpe"} & c.keys():
            continue
        nxt = sent.words[i + 1]
        if _nisba(nxt) or ("surname" in sent.classes[i + 1] and nxt.startswith("ال")):
            end = _name_run(sent, i + 1)
            sent.put(TypedSpan("PERSON", None, i, max(end, i + 2), 0.55, "rule"))


def _org_subtypes(sent: _Sentence) -> None:
    for span in list(sent.spans):
        if span.type != "ORG" or span.subtype:
            continue
        words = sent.words[span.start : span.end]
        whole = sent.gaz.classes(" ".join(words)) or {}
        head = strip_conj_prep(words[0])
        head_cls = sent.gaz.classes(head) or {}
        sub = whole.get("org") or head_cls.get("orgtrig") or ""
        if head in _STATE_FORCE_HEADS and any("norp" in (sent.gaz.classes(w) or {}) for w in words):
            sub = "state_force"
        before = strip_conj_prep(sent.words[span.start - 1]) if span.start else ""
        if not sub and (sent.gaz.classes(before) or {}).get("orgtrig") == "media":
            sub = "media"
        sent.swap(span, replace(span, subtype=sub or "other"))


def _state_forces(sent: _Sentence) -> None:
    """الجيش العراقي / القوات التركية: a force head plus a nationality."""
    bare = sent.bare
    if _DEFINITE_FORCES.isdisjoint(bare):
        return
    for i in range(sent.n - 1):
        if bare[i] not in _DEFINITE_FORCES:
            continue
        if "norp" in sent.classes[i + 1] and sent.free(i, i + 2):
            sent.put(TypedSpan("ORG", "state_force", i, i + 2, 0.75, "rule", generic=True))


def resolve(
    words: Sequence[str],
    crf_spans: Sequence[CrfSpan],
    gaz: Gazetteer,
    known: Lexical | None = None,
) -> list[TypedSpan]:
    """rasid-typed spans over folded ``words`` from the CRF's spans; ``known``
    is what the tagger already looked up for these words in ``gaz``."""
    sent = _Sentence(words, gaz, known)
    sent.spans = [
        TypedSpan(_CRF_TYPE.get(s.label, "MISC"), None, s.start, s.end, s.confidence, "crf")
        for s in crf_spans
    ]
    _trim_persons(sent)
    _curated_names(sent)
    _trigger_definite(sent)
    _state_forces(sent)
    _persons(sent)
    _given_nisba(sent)
    _trigger_before(sent)
    _place_after_trigger(sent)
    _coordination(sent)
    _roles(sent)
    _norp(sent)
    _refine_places(sent)
    _directions(sent)
    _org_subtypes(sent)
    nested = [
        replace(s, source="nested")
        for s in sent.nested
        if any(o.start <= s.start and s.end <= o.end and o != s for o in sent.spans)
    ]
    return sorted([*sent.spans, *nested], key=lambda s: (s.start, -s.end))


_PROPAGATE_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FACILITY", "MISC", "EVENT")
# Second halves of compound given names (جمال الدين، عبد الله): never a family name alone.
_COMPOUND_TAILS = {
    "الدين",
    "دين",
    "الله",
    "الرحمن",
    "الرحيم",
    "العزيز",
    "الكريم",
    "الحميد",
    "الاسلام",
    "النبي",
    "الزهراء",
}


def _conj_only(word: str) -> str:
    """Strip a conjunction و/ف only: "لصالح" is rarely the name صالح."""
    return word[1:] if word[:1] in ("و", "ف") and len(word) > 3 else word


def propagate(
    sentences: Sequence[Sequence[str]],
    spans: Sequence[list[TypedSpan]],
    gaz: Gazetteer,
    bare: Sequence[Sequence[str]] | None = None,
) -> list[list[TypedSpan]]:
    """Document-level consistency: a name found once is the same name elsewhere.

    Names the tagger found with some confidence are looked for again in the
    sentences where it missed them: whole names (any type) and, for people, the
    family name alone (التميمي after مهند التميمي), a common way to refer back.
    ``bare`` gives the words without و/ب/ل/ف/ك (``strip_conj_prep``) if known.
    """
    phrases: dict[tuple[str, ...], TypedSpan] = {}
    surnames: set[str] = set()
    for words, found in zip(sentences, spans, strict=True):
        for span in found:
            if span.type not in _PROPAGATE_TYPES or span.confidence < 0.6 or span.generic:
                continue
            if span.source == "nested":
                continue
            key = tuple(
                strip_conj_prep(w) if i == 0 else w
                for i, w in enumerate(words[span.start : span.end])
            )
            phrases.setdefault(key, span)
            if span.type == "PERSON" and span.end - span.start >= 2:
                last = words[span.end - 1]
                if len(last) >= 4 and last not in _FUNCTION_WORDS and last not in _COMPOUND_TAILS:
                    surnames.add(last)
    if not phrases:
        return [list(found) for found in spans]
    heads: dict[str, int] = {}
    for key in phrases:
        heads[key[0]] = max(heads.get(key[0], 0), len(key))
    # The forms w with _conj_only(w) in surnames: s itself or و/ف + s.
    surname_forms = {w for s in surnames for w in (s, "و" + s, "ف" + s) if _conj_only(w) == s}
    out: list[list[TypedSpan]] = []
    for k, (words, found) in enumerate(zip(sentences, spans, strict=True)):
        taken = [False] * len(words)
        for span in found:
            for i in range(span.start, span.end):
                taken[i] = True
        stripped = bare[k] if bare is not None else [strip_conj_prep(w) for w in words]
        added: list[TypedSpan] = []
        after = 0  # past the last name added
        for i in [
            i
            for i, w in enumerate(words)
            if not taken[i] and (stripped[i] in heads or w in surname_forms)
        ]:
            if i < after:
                continue  # inside a name just added
            bare_word = stripped[i]
            hit = None
            for length in range(min(heads.get(bare_word, 0), len(words) - i), 0, -1):
                if any(taken[i : i + length]):
                    continue
                key = (bare_word, *words[i + 1 : i + length])
                ref = phrases.get(key)
                if ref is not None and length == 1 and ref.type == "PERSON":
                    # "لصالح" is rarely the name صالح: only و/ف may lead a name.
                    key = (_conj_only(words[i]),)
                    ref = phrases.get(key)
                if ref is not None and (length > 1 or _single_ok(key[0], gaz)):
                    hit = TypedSpan(ref.type, ref.subtype, i, i + length, 0.5, "rule")
                    break
            last = _conj_only(words[i])
            if hit is None and last in surnames and _single_ok(last, gaz):
                hit = TypedSpan("PERSON", None, i, i + 1, 0.45, "rule")
            if hit is None:
                continue
            added.append(hit)
            for j in range(hit.start, hit.end):
                taken[j] = True
            after = hit.end
        out.append(sorted([*found, *added], key=lambda s: (s.start, -s.end)))
    return out


def _single_ok(word: str, gaz: Gazetteer) -> bool:
    """A single word may be propagated only if it is not a common word we know."""
    if len(word) < 3 or word in _FUNCTION_WORDS:
        return False
    classes = gaz.classes(word) or {}
    return not (
        {"role", "norp", "orgtrig", "factrig", "gpetrig", "loctrig", "evtrig"} & classes.keys()
    )
