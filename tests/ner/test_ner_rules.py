"""The rule layer on its own: fixed CRF spans in, rasid types out."""

from __future__ import annotations

import pytest

from rasid.ner.gazetteer import Gazetteer, build_gazetteer
from rasid.ner.lexical import fold, strip_conj_prep
from rasid.ner.rules import TypedSpan, propagate, resolve
from rasid.ner.tagger import CrfSpan


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    gaz = build_gazetteer(with_external=False)
    for name in ("عمر", "محمد", "مهند", "حيدر"):
        gaz.add(name, "given")
    gaz.add("منبج", "city")
    gaz.add("الباب", "city")
    return gaz


def _typed(sentence: str, crf: list[tuple[str, int, int]], gaz: Gazetteer) -> set[tuple[str, str]]:
    words = [fold(w) for w in sentence.split()]
    spans = resolve(words, [CrfSpan(label, s, e, 0.9) for label, s, e in crf], gaz)
    return {(s.type, " ".join(sentence.split()[s.start : s.end])) for s in spans}


def test_facility_and_unit_heads_join_the_name(gaz: Gazetteer) -> None:
    got = _typed("سيطروا على مطار الجراح قرب كتيبة طارق بن زياد", [("PERS", 6, 9)], gaz)
    assert ("FACILITY", "مطار الجراح") in got
    assert ("ORG", "كتيبة طارق بن زياد") in got


def test_region_keeps_direction_and_inner_city(gaz: Gazetteer) -> None:
    got = _typed("في ريف حلب الشرقي", [("LOC", 2, 3)], gaz)
    assert ("GPE", "ريف حلب الشرقي") in got and ("GPE", "حلب") in got


def test_kunya_role_and_nisba(gaz: Gazetteer) -> None:
    got = _typed("قال المقدم مهند التميمي إن أبو محمد الأمريكي قتل", [], gaz)
    assert ("ROLE", "المقدم") in got
    assert ("PERSON", "مهند التميمي") in got
    assert ("PERSON", "أبو محمد الأمريكي") in got
    got = _typed("قرر عمر الشيشاني الانسحاب", [("PERS", 1, 2)], gaz)
    assert ("PERSON", "عمر الشيشاني") in got


def test_rank_without_person_is_not_a_role(gaz: Gazetteer) -> None:
    got = _typed("الدعم المقدم للاجئين", [], gaz)
    assert not any(t == "ROLE" for t, _ in got)


def test_norp_and_state_force(gaz: Gazetteer) -> None:
    got = _typed("جلب المقاتلين الشيشان والاوزبك الى الجيش العراقي", [("LOC", 2, 3)], gaz)
    assert ("NORP", "الشيشان") in got and ("NORP", "والاوزبك") in got
    assert ("ORG", "الجيش العراقي") in got


def test_coordinated_places_after_a_settlement_trigger(gaz: Gazetteer) -> None:
    got = _typed("يسكن في مدينة منبج والباب", [], gaz)
    assert ("GPE", "منبج") in got and ("GPE", "والباب") in got


def test_propagation_finds_a_name_again(gaz: Gazetteer) -> None:
    first = [fold(w) for w in "قال الباحث سعيد التميمي".split()]
    second = [fold(w) for w in "وأضاف التميمي أن".split()]
    spans = [[TypedSpan("PERSON", None, 2, 4, 0.9, "crf")], []]
    out = propagate([first, second], spans, gaz)
    assert [(s.type, s.start, s.end) for s in out[1]] == [("PERSON", 1, 2)]
    # The tagger passes the words without و/ب/ل/ف/ك it already has: same result.
    bare = [[strip_conj_prep(w) for w in words] for words in (first, second)]
    assert propagate([first, second], spans, gaz, bare) == out
