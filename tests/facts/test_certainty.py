from __future__ import annotations

import pytest

from rasid.errors import DataFileError
from rasid.facts.certainty import CertaintyCues, certainty_of
from rasid.facts.lexicon import build_lexicon, fold
from rasid.facts.schema import load_schema, parse_schema
from rasid.facts.words import split_words


@pytest.fixture(scope="module")
def cues() -> CertaintyCues:
    return CertaintyCues()


def levels(cues: CertaintyCues, text: str) -> set[str]:
    return {cue.level for cue in cues.find(fold(text), text)}


def test_cue_levels(cues: CertaintyCues) -> None:
    assert "uncertain" in levels(cues, "وإذ يصعب التاكد من مدى صحة هذه البيانات")
    assert "believed" in levels(cues, "فإن ضباطا عراقيين يعتقدون إنها حقيقية")
    assert "estimated" in levels(cues, "تعداد الجيش وصل لـ ٤٠٠٠ عنصر تقريباً")
    assert "estimated" in levels(cues, "ويقدر بحوالي 1500 عنصر")
    assert "denied" in levels(cues, "ونفت الوزارة هذه الأنباء")
    assert "planned" in levels(cues, "تستعد القوات لشن هجوم")
    assert levels(cues, "وصل الوفد إلى المدينة صباح اليوم") == set()


def test_precedence_of_levels(cues: CertaintyCues) -> None:
    text = "وإذ يصعب التاكد من مدى صحة هذه البيانات فإن ضباطا يعتقدون إنها حقيقية"
    found = cues.find(fold(text), text)
    anchor = text.index("حقيقية")
    assert certainty_of(anchor, "believe", 3, found) == "uncertain"
    assert certainty_of(0, "asserted", 1, []) == "asserted"
    assert certainty_of(0, "say", 2, []) == "reported"
    assert certainty_of(0, "say", 2, [], extra=("estimated",)) == "estimated"
    assert certainty_of(0, "say", 2, [], extra=("negated", "estimated")) == "negated"
    assert certainty_of(0, "deny", 2, []) == "denied"


def test_postposed_doubt_reaches_back(cues: CertaintyCues) -> None:
    text = "قتل عشرة مدنيين في القصف، وهو ما لم يتسن التحقق منه"
    found = cues.find(fold(text), text)
    assert certainty_of(0, "asserted", 1, found) == "uncertain"


def test_negation_window(cues: CertaintyCues) -> None:
    text = "لم يتم أشراكهم في اي معركة"
    folded = fold(text)
    words = split_words(folded)
    assert cues.negated_before(folded, words, len(words) - 1)
    text = "وقعت معركة كبيرة"
    folded = fold(text)
    assert not cues.negated_before(folded, split_words(folded), 1)


def test_schema_is_checked() -> None:
    schema = load_schema()
    assert {"part_of", "commander_of", "strength", "composition", "based_at"} <= set(
        schema.properties
    )
    assert {"attack", "battle", "bombardment", "refusal_to_fight"} <= set(schema.event_types)
    with pytest.raises(DataFileError):
        parse_schema({"properties": {"x": {"en": "x"}}, "event_types": {}, "certainty": {}})


def test_lexicon_rejects_bad_entries() -> None:
    with pytest.raises(DataFileError):
        build_lexicon("bad", [{"nothing": 1}])
    with pytest.raises(DataFileError):
        build_lexicon("empty", [])


def test_fold_maps_offsets_back() -> None:
    text = "وصل لـ ٤٠٠٠ عنصر تقريباً."
    folded = fold(text)
    assert "4000" in folded.text
    start = folded.text.index("تقريبا")
    s, e = folded.to_original(start, start + len("تقريبا"))
    assert text[s:e] == "تقريباً"
