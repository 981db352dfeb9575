"""The two source articles: the facts an analyst would record, each with its
sentence, its source chain and its certainty (real pipeline, ../shared/examples)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rasid.facts.keys import local_key
from rasid.model import Analysis, Document, Statement
from rasid.pipeline import Pipeline
from rasid.text.normalize import normalize_key

pytestmark = pytest.mark.shared

RAQQA_PUBLISHER = ["الرقة تذبح بصمت"]


def n(text: str) -> str:
    return normalize_key(text).replace("ـ", "")


def has(text: str, part: str) -> bool:
    return n(part) in n(text)


@pytest.fixture(scope="module")
def raqqa(examples_dir: Path, facts_pipeline: Pipeline) -> Analysis:
    text = (examples_dir / "raqqa-caliphate-army.txt").read_text(encoding="utf-8")
    return facts_pipeline(Document(text=text, sha256="0" * 64, source_uri="raqqa"))


@pytest.fixture(scope="module")
def mosul(examples_dir: Path, facts_pipeline: Pipeline) -> Analysis:
    text = (examples_dir / "mosul-foreign-fighters.txt").read_text(encoding="utf-8")
    return facts_pipeline(Document(text=text, sha256="0" * 64, source_uri="mosul"))


def statements(
    analysis: Analysis, prop: str, subject: str | None = None, value: str | None = None
) -> list[Statement]:
    found = []
    for st in analysis.statements:
        if st.property != prop:
            continue
        if subject is not None and not has(str(st.qualifiers.get("subject_name", "")), subject):
            continue
        if value is not None and not has(st.value, value):
            continue
        found.append(st)
    return found


def sentence_of(analysis: Analysis, st: Statement | dict[str, Any]) -> str:
    index = st.sentence_index if isinstance(st, Statement) else st["sentence_index"]
    sentence = analysis.sentences[index]
    return analysis.document.text[sentence.start : sentence.end]


def chain(st: Statement) -> list[str]:
    return [link.name for link in st.attribution]


def events(analysis: Analysis, kind: str, status: str | None = None) -> list[dict[str, Any]]:
    return [
        e
        for e in analysis.events
        if e["type"] == kind and (status is None or e["status"] == status)
    ]


def test_evidence_spans_lie_in_their_sentence(raqqa: Analysis, mosul: Analysis) -> None:
    for analysis in (raqqa, mosul):
        assert analysis.statements and analysis.events
        for st in analysis.statements:
            sentence = analysis.sentences[st.sentence_index or 0]
            assert sentence.start <= st.start < st.end <= sentence.end, st
            assert st.attribution[0].role == "publisher"
            assert st.component == "facts.v1"
        for event in analysis.events:
            trigger = event["trigger"]
            assert analysis.document.text[trigger["start"] : trigger["end"]] == trigger["text"]
            for argument in event["arguments"]:
                assert (
                    analysis.document.text[argument["start"] : argument["end"]] == argument["text"]
                )


def test_caliphate_army_is_part_of_isis(raqqa: Analysis) -> None:
    found = statements(raqqa, "part_of", "جيش الخلافة")
    assert found
    assert all(st.object_entity == local_key("داعش") for st in found)
    assert any(has(sentence_of(raqqa, st), "جيش النخبة لدى تنظيم داعش") for st in found)
    assert all(chain(st) == RAQQA_PUBLISHER and st.certainty == "asserted" for st in found)
    assert statements(raqqa, "alias", "جيش الخلافة", "جيش دابق")


def test_commander_and_deputies(raqqa: Analysis) -> None:
    (commander,) = statements(raqqa, "commander_of", "عمر الشيشاني")
    assert commander.object_entity == local_key("جيش الخلافة")
    assert has(sentence_of(raqqa, commander), "القائد العام للجيش")
    (american,) = statements(raqqa, "deputy_of", "أبو محمد الامريكي")
    assert american.qualifiers["end"] == "later"
    assert american.qualifiers["status"] == "killed"
    assert has(american.qualifiers["deputy_to"], "عمر الشيشاني")
    (iraqi,) = statements(raqqa, "deputy_of", "أبو ايمن العراقي")
    assert "end" not in iraqi.qualifiers
    killing = events(raqqa, "killing")
    assert any(
        has(a["text"], "أبو محمد الامريكي")
        for e in killing
        for a in e["arguments"]
        if a["role"] == "victim"
    )


def test_founders(raqqa: Analysis) -> None:
    founders = {n(st.value) for st in statements(raqqa, "founded_by", "جيش الخلافة")}
    assert {n("عمر الشيشاني"), n("ابو محمد الامريكي"), n("ابو ايمن العراقي")} <= founders
    (period,) = {
        st.qualifiers.get("period") for st in statements(raqqa, "founded_by", "جيش الخلافة")
    }
    assert period is not None and has(period, "بعد سيطرة")


def test_strength_overall_and_in_manbij(raqqa: Analysis) -> None:
    strength = statements(raqqa, "strength", "جيش الخلافة")
    total = [st for st in strength if st.value == "4000"]
    assert total and total[0].qualifiers["approximate"] is True
    assert total[0].certainty == "estimated"
    assert total[0].qualifiers["unit"] == "عنصر"
    assert total[0].qualifiers["as_of_basis"] in {"relative", "publication"}
    assert "place" not in total[0].qualifiers
    local = [st for st in strength if st.value == "1500"]
    assert local and has(local[0].qualifiers["place"], "منبج")
    assert local[0].certainty == "estimated"


def test_bases_and_where_members_live(raqqa: Analysis) -> None:
    bases = statements(raqqa, "based_at", "جيش الخلافة")
    values = [n(st.value) for st in bases]
    for place in ("مطار الجراح", "مسكنة", "معسكر اسامة بن لادن"):
        assert any(n(place) in v for v in values), place
    camp = next(st for st in bases if has(st.value, "معسكر اسامة"))
    assert has(camp.qualifiers["within"], "ريف الرقة")
    assert any(st.qualifiers.get("purpose") == "training" for st in bases)
    homes = [n(st.value) for st in statements(raqqa, "present_in", "جيش الخلافة")]
    for place in ("منبج", "الباب", "جرابلس", "سد تشرين", "ريف الرقة"):
        assert any(n(place) in v for v in homes), place


def test_composition_exclusion_and_selection(raqqa: Analysis) -> None:
    (share,) = [
        st for st in statements(raqqa, "composition", "جيش الخلافة") if "share" in st.qualifiers
    ]
    assert share.qualifiers["share"] == 0.5
    assert has(share.value, "الشيشان") and has(share.value, "القوقازيون")
    (excluded,) = statements(raqqa, "excluded_origin", "جيش الخلافة")
    assert has(excluded.value, "السور")
    (criterion,) = statements(raqqa, "recruitment_criterion", "جيش الخلافة")
    assert has(criterion.value, "تزكية من القضاء الشرعي")
    (leadership,) = statements(raqqa, "leadership_body", "جيش الخلافة")
    assert leadership.qualifiers["size"] == 5
    breakdown = {n(b["group"]): b["count"] for b in leadership.qualifiers["breakdown"]}
    assert breakdown == {n("الاوزبك"): 3, n("الشيشان"): 2}


def test_never_used_in_battle(raqqa: Analysis) -> None:
    unused = events(raqqa, "battle", "did_not_happen")
    assert len(unused) >= 2
    for event in unused:
        assert event["certainty"] == "negated"
        assert any(
            a["role"] == "participant" and has(a["name"], "جيش الخلافة") for a in event["arguments"]
        )
    kobani_unused = [e for e in unused if e["place"] and has(e["place"], "عين عرب")]
    assert kobani_unused and kobani_unused[0]["place_alias"] == "كوباني"
    assert kobani_unused[0]["refers_to"] in {e["id"] for e in raqqa.events}
    kobani = [
        e for e in events(raqqa, "battle", "happened") if e["place"] and has(e["place"], "عين عرب")
    ]
    assert kobani


def test_mosul_attribution_chain(mosul: Analysis) -> None:
    for st in mosul.statements:
        names = chain(st)
        assert names[0] == "أخبار ليبيا 24"
        assert any("واشنطن بوست" in name for name in names[1:2]), names
        assert st.certainty in {"reported", "uncertain", "believed", "estimated"}


def test_documents_found_at_the_battalion_base(mosul: Analysis) -> None:
    found = events(mosul, "documents_found")
    andalus = [e for e in found if e["place"] and has(e["place"], "حي الأندلس")]
    assert andalus and andalus[0]["place_within"] == "الموصل"
    assert any(e["place"] and has(e["place"], "كتيبة طارق بن زياد") for e in found)
    for event in found:
        assert [link["name"] for link in event["attribution"]][:1] == ["أخبار ليبيا 24"]
        assert event["certainty"] == "reported"
    (base,) = statements(mosul, "based_at", "كتيبة طارق بن زياد")
    assert has(base.value, "حي الأندلس")
    assert base.qualifiers["purpose"] == "administrative"
    majority = statements(mosul, "composition", "كتيبة طارق بن زياد", "أجانب")
    assert majority and majority[0].qualifiers["share"] == "majority"


def test_foreign_fighters_refuse_to_fight(mosul: Analysis) -> None:
    refusals = events(mosul, "refusal_to_fight", "happened")
    fighters = [a["text"] for e in refusals for a in e["arguments"] if a["role"] == "fighters"]
    assert any(has(f, "مقاتل بلجيكي") for f in fighters)
    assert any(has(f, "مقاتلان من كوسوفو") for f in fighters)
    belgian = next(e for e in refusals if any(has(a["text"], "بلجيكي") for a in e["arguments"]))
    assert [link["name"] for link in belgian["attribution"]][-1].startswith("صحيفة واشنطن بوست")


def test_personnel_record_fields_and_authenticity(mosul: Analysis) -> None:
    (fields,) = statements(mosul, "record_fields")
    assert set(fields.value.split(";")) >= {
        "name",
        "country_of_origin",
        "country_of_residence",
        "date_of_birth",
        "blood_type",
        "weapon_specialty",
        "number_of_wives",
        "children",
        "photo",
    }
    assert fields.subject.endswith("@" + mosul.document.id)
    (genuine,) = statements(mosul, "authenticity")
    assert genuine.value == "genuine"
    assert genuine.certainty == "uncertain"
    assert "ضباط" in chain(genuine)[-1]
    assert genuine.qualifiers["believed_by"] == chain(genuine)[-1]
    assert genuine.subject == fields.subject


def test_quoted_officer_chain(mosul: Analysis) -> None:
    recapture = [
        e for e in events(mosul, "seizure") if e["place"] and has(e["place"], "حي الأندلس")
    ]
    assert recapture
    names = [link["name"] for link in recapture[0]["attribution"]]
    assert names[:2] == ["أخبار ليبيا 24", "صحيفة واشنطن بوست الأمريكية"]
    assert any("مهند التميمي" in name for name in names)
