from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasid.facts.attribution import Attributor
from rasid.model import Document

ARTICLE = """وكالة الأنباء المحلية-خاص
قالت صحيفة الغارديان البريطانية إن مقاتلين أجانب غادروا المدينة.
الصحيفة قالت إن عددهم يتجاوز المئة.
وأوضحت أن بعضهم عاد إلى بلده.
وكان الجيش قد دخل المدينة الشهر الماضي.
ونقلت الصحيفة عن العقيد أحمد الجبوري قوله إن السكان أفادوا بأنهم رأوا القافلة.
وأضاف الجبوري أن القافلة ضمت عشرين سيارة.
وتابع ” لم نطلق عليهم النار “.
يذكر أن وزير الدفاع خالد العبيدي صرح في وقت سابق إن قواته تقدمت.
وقتل ثلاثة مدنيين في القصف بحسب المرصد السوري لحقوق الإنسان.
"""


def names(chain: tuple) -> list[str]:
    return [link.name for link in chain]


def test_dateline_gives_the_publisher(attributor: Attributor) -> None:
    doc = Document(text=ARTICLE, sha256="0" * 64, source_uri="test")
    publisher = attributor.publisher(doc)
    assert publisher.name == "وكالة الأنباء المحلية"
    assert publisher.role == "publisher"
    assert ARTICLE[publisher.start : publisher.end] == publisher.name


def test_publisher_falls_back_to_metadata(attributor: Attributor) -> None:
    doc = Document(
        text="قتل شخصان في هجوم.", sha256="0" * 64, source_uri="x", publisher="BBC Arabic"
    )
    assert attributor.publisher(doc).name == "BBC Arabic"


def test_relay_anaphora_and_pronoun_drop(attribute: Callable[[str], Any]) -> None:
    _spans, result = attribute(ARTICLE)
    text = ARTICLE
    chain, kind = result[1].at(text.index("مقاتلين أجانب"))
    assert names(chain) == ["وكالة الأنباء المحلية", "صحيفة الغارديان البريطانية"]
    assert [link.role for link in chain] == ["publisher", "relayed"]
    assert kind == "say"
    # "الصحيفة قالت" is the Guardian again, and so is the subjectless "وأوضحت".
    assert names(result[2].at(text.index("عددهم"))[0])[-1] == "صحيفة الغارديان البريطانية"
    assert names(result[3].at(text.index("بعضهم"))[0])[-1] == "صحيفة الغارديان البريطانية"
    # A sentence with no reporting verb keeps the relayed newspaper.
    chain, kind = result[4].at(text.index("دخل"))
    assert names(chain) == ["وكالة الأنباء المحلية", "صحيفة الغارديان البريطانية"]


def test_nested_relay_chain(attribute: Callable[[str], Any]) -> None:
    _spans, result = attribute(ARTICLE)
    chain, _ = result[5].at(ARTICLE.index("رأوا"))
    assert names(chain) == [
        "وكالة الأنباء المحلية",
        "صحيفة الغارديان البريطانية",
        "العقيد أحمد الجبوري",
        "السكان",
    ]
    assert [link.role for link in chain][2:] == ["quoted", "quoted"]


def test_surname_and_masculine_pronoun_drop(attribute: Callable[[str], Any]) -> None:
    _spans, result = attribute(ARTICLE)
    assert names(result[6].at(ARTICLE.index("عشرين"))[0])[-1] == "العقيد أحمد الجبوري"
    assert names(result[7].at(ARTICLE.index("نطلق"))[0])[-1] == "العقيد أحمد الجبوري"


def test_impersonal_background_drops_the_relay(attribute: Callable[[str], Any]) -> None:
    _spans, result = attribute(ARTICLE)
    chain, _ = result[8].at(ARTICLE.index("قواته تقدمت"))
    assert names(chain) == ["وكالة الأنباء المحلية", "وزير الدفاع خالد العبيدي"]


def test_preposition_source_covers_the_sentence(attribute: Callable[[str], Any]) -> None:
    _spans, result = attribute(ARTICLE)
    chain, kind = result[9].at(ARTICLE.index("وقتل ثلاثة"))
    assert names(chain)[-1] == "المرصد السوري لحقوق الإنسان"
    assert kind == "say"


def test_belief_verb_and_verbal_noise(attribute: Callable[[str], Any]) -> None:
    text = "وإذ يصعب التأكد من صحة الصور فإن ضباطا عراقيين يعتقدون إنها حقيقية.\nويعتبر هو جيش النخبة لدى التنظيم."
    _spans, result = attribute(text)
    chain, kind = result[0].at(text.index("حقيقية"))
    assert names(chain)[-1] == "ضباطا عراقيين"
    assert kind == "believe"
    # "يعتبر هو ..." is "is considered": no complement, no source.
    assert result[1].frames == []
    assert result[1].at(text.index("جيش"))[1] == "asserted"


def test_no_reporting_verb_is_the_publisher_asserting(attribute: Callable[[str], Any]) -> None:
    text = "خاص الرقة تذبح بصمت\nتعداد الجيش وصل إلى أربعة آلاف عنصر."
    _spans, result = attribute(text)
    chain, kind = result[1].at(text.index("تعداد"))
    assert names(chain) == ["الرقة تذبح بصمت"]
    assert kind == "asserted"
