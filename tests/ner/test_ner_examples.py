"""The two source articles: the names an analyst would record, with their types."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasid.model import Analysis, Document
from rasid.ner.component import NerTagger
from rasid.text.normalize import normalize_key
from rasid.text.sentences import split_sentences
from rasid.text.tokenize import tokenize

PERSONS = [
    "عمر الشيشاني",
    "أبو محمد الأمريكي",
    "أبو أيمن العراقي",
    "مهند التميمي",
    "سعيد التميمي",
    "حيدر العبادي",
]
ORGS = [
    "داعش",
    "تنظيم الدولة الإسلامية في العراق والشام",
    "جيش الخلافة",
    "جيش دابق",
    "الجيش العراقي",
    "قوات مكافحة الإرهاب",
    "كتيبة طارق بن زياد",
    "واشنطن بوست",
    "أخبار ليبيا 24",
]
# The article writes "عين عرب" (not "عين العرب") before "كوباني".
PLACES = [
    "منبج",
    "الرقة",
    "حلب",
    "مسكنة",
    "جرابلس",
    "الباب",
    "الموصل",
    "عين عرب",
    "كوباني",
    "سوريا",
    "العراق",
    "كوسوفو",
    "اعزاز",
    "ريف حلب الشرقي",
]
FACILITIES = ["مطار الجراح", "مطار كشيش", "سد تشرين", "معسكر اسامة بن لادن"]
NORPS = ["الشيشان", "الاوزبك", "بلجيكي", "الأجانب"]
ROLES = ["أمير", "القائد العام", "المقدم", "رئيس الوزراء"]


def _analyse(tagger: NerTagger, path: Path) -> Analysis:
    text = path.read_text(encoding="utf-8")
    analysis = Analysis(document=Document(text=text, sha256="-", source_uri=str(path)))
    analysis.sentences = split_sentences(text)
    analysis.tokens = tokenize(text)
    tagger(analysis)
    return analysis


@pytest.fixture(scope="module")
def found(ner_tagger: NerTagger, examples_dir: Path) -> dict[str, set[str]]:
    by_type: dict[str, set[str]] = {}
    for path in sorted(examples_dir.glob("*.txt")):
        analysis = _analyse(ner_tagger, path)
        text = analysis.document.text
        for m in analysis.mentions:
            assert text[m.start : m.end] == m.text
            assert m.component == "ner.crf.v1"
            assert m.norm == normalize_key(m.text)
            by_type.setdefault(m.type, set()).add(m.norm)
    return by_type


@pytest.mark.parametrize(
    ("expected_type", "names"),
    [
        ("PERSON", PERSONS),
        ("ORG", ORGS),
        ("GPE", PLACES),
        ("FACILITY", FACILITIES),
        ("NORP", NORPS),
        ("ROLE", ROLES),
    ],
)
def test_example_entities(found: dict[str, set[str]], expected_type: str, names: list[str]) -> None:
    missing = [n for n in names if normalize_key(n) not in found.get(expected_type, set())]
    assert not missing, (
        f"{expected_type} not found: {missing}; got {sorted(found.get(expected_type, []))}"
    )


def test_org_subtypes_and_events(ner_tagger: NerTagger, examples_dir: Path) -> None:
    analysis = _analyse(ner_tagger, examples_dir / "mosul-foreign-fighters.txt")
    subtypes = {(m.norm, m.subtype) for m in analysis.mentions if m.type == "ORG"}
    assert (normalize_key("داعش"), "armed_group") in subtypes
    assert (normalize_key("الجيش العراقي"), "state_force") in subtypes
    assert (normalize_key("واشنطن بوست"), "media") in subtypes
    events = {m.norm for m in analysis.mentions if m.type == "EVENT"}
    assert normalize_key("معركة الموصل") in events
