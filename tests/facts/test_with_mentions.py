"""The rules use NER mentions when there are some: names and places snap to them,
media organisations stay sources, armed groups become units."""

from __future__ import annotations

import re
from collections.abc import Callable

from rasid.facts import extract_facts
from rasid.model import Analysis, Mention

TEXT = (
    "وكالة الأنباء المحلية-خاص\n"
    "وقالت صحيفة الشرق إن قائد كتيبة النصر هو خالد.\n"
    "وأضافت أن الكتيبة تضم نحو 300 مقاتل في بلدة الزيادية.\n"
)


def with_mentions(analysis: Analysis, spec: list[tuple[str, str, str | None]]) -> Analysis:
    text = analysis.document.text
    for surface, kind, subtype in spec:
        for m in re.finditer(re.escape(surface), text):
            analysis.mentions.append(
                Mention(m.start(), m.end(), surface, kind, subtype=subtype, component="test")
            )
    return analysis


def test_mentions_name_people_places_and_units(analyse: Callable[[str], Analysis]) -> None:
    analysis = with_mentions(
        analyse(TEXT),
        [
            ("صحيفة الشرق", "ORG", "media"),
            ("كتيبة النصر", "ORG", "armed_group"),
            ("خالد", "PERSON", None),
            ("الزيادية", "GPE", None),
        ],
    )
    analysis.statements.clear()
    analysis.events.clear()
    result = extract_facts(analysis)
    commander = [s for s in result.statements if s.property == "commander_of"]
    # A one-word name is only taken when NER says it is a person.
    assert [s.qualifiers["subject_name"] for s in commander] == ["خالد"]
    assert commander[0].qualifiers["object_name"] == "كتيبة النصر"
    assert [link.name for link in commander[0].attribution] == [
        "وكالة الأنباء المحلية",
        "صحيفة الشرق",
    ]
    assert [link.role for link in commander[0].attribution] == ["publisher", "relayed"]
    (strength,) = [s for s in result.statements if s.property == "strength"]
    assert strength.qualifiers["subject_name"] == "كتيبة النصر"
    assert strength.value == "300"
    assert strength.certainty == "estimated"
    assert "الزيادية" in strength.qualifiers["place"]
    assert not any(s.qualifiers.get("subject_name") == "صحيفة الشرق" for s in result.statements)


def test_without_the_person_mention_a_bare_word_is_no_commander(
    analyse: Callable[[str], Analysis],
) -> None:
    analysis = analyse(TEXT)
    if any(m.type == "PERSON" for m in analysis.mentions):
        return  # NER found the name itself
    assert not [s for s in analysis.statements if s.property == "commander_of"]
