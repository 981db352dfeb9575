from __future__ import annotations

import pytest

from rasid.facts.triggers import TriggerFinder, default_finder, reports_violence


@pytest.fixture(scope="module")
def finder() -> TriggerFinder:
    return default_finder()


def kinds(finder: TriggerFinder, sentence: str) -> list[tuple[str, str]]:
    return [(t.type, t.status) for t in finder.detect(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("قتل خمسة أشخاص في هجوم انتحاري استهدف سوقا شعبية في بغداد", ("attack", "happened")),
        ("اندلعت اشتباكات عنيفة بين الجيش ومسلحين في ريف درعا", ("battle", "happened")),
        (
            "شنت طائرات التحالف غارات جوية على مواقع التنظيم قرب دير الزور",
            ("bombardment", "happened"),
        ),
        ("انفجرت سيارة مفخخة قرب حاجز للشرطة في مقديشو", ("attack", "happened")),
        ("نصب مسلحون كمينا لدورية عسكرية على طريق سرت", ("attack", "happened")),
        ("ونفت وزارة الدفاع أن تكون طائراتها قصفت المدينة", ("bombardment", "denied")),
        ("تستعد القوات لشن هجوم على آخر معاقل المسلحين", ("attack", "planned")),
        ("لم يتم أشراكهم في اي معركة وكانت مهمتهم التدريب فقط", ("battle", "did_not_happen")),
        ("مقاتلان من كوسوفو رفضا القتال طالبين نقلهما إلى سوريا", ("refusal_to_fight", "happened")),
        ("مذكرة طبية لمقاتل بلجيكي يطلب عدم المشاركة في القتال", ("refusal_to_fight", "happened")),
        ("عثرت القوات العراقية على وثائق في مقر للتنظيم", ("documents_found", "happened")),
        ("وانسحبت قوات النظام من المدينة بعد معارك عنيفة", ("withdrawal", "happened")),
        ("اعتقلت الشرطة ثلاثة مشتبه بهم في الهجوم", ("arrest", "happened")),
        ("خرج آلاف المتظاهرين في مظاهرة ضد الحكومة", ("protest", "happened")),
    ],
)
def test_trigger_type_and_status(
    finder: TriggerFinder, sentence: str, expected: tuple[str, str]
) -> None:
    assert expected in kinds(finder, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "سجل المهاجم هدفا من هجمة مرتدة في الدقيقة الأخيرة من المباراة",
        "قاد ميسي هجوم برشلونة في الشوط الثاني دون أن يسجل",
        "شن الوزير هجوما لاذعا على الحكومة في مؤتمر صحفي",
        "تعرضت شركة الاتصالات لهجوم إلكتروني عطل خدماتها",
        "وصف الرئيس المعركة الانتخابية بأنها صعبة",
        "ارتفعت أسعار النفط مع تراجع المخزونات الأمريكية",
        "يستعد المنتخب لمواجهة قوية أمام الجزائر",
        "سيطر الفريق على مجريات اللعب في الشوط الأول",
    ],
)
def test_no_violent_event_in_sports_politics_or_metaphor(
    finder: TriggerFinder, sentence: str
) -> None:
    assert not reports_violence(sentence, finder)


def test_longest_trigger_wins(finder: TriggerFinder) -> None:
    triggers = finder.detect("رفضا القتال طالبين نقلهما")
    assert [t.type for t in triggers] == ["refusal_to_fight"]
    assert triggers[0].text == "رفضا القتال"


def test_subtype_and_offsets(finder: TriggerFinder) -> None:
    sentence = "وقتل عشرة في تفجير انتحاري بحزام ناسف"
    triggers = finder.detect(sentence)
    suicide = [t for t in triggers if t.subtype == "suicide_bombing"]
    assert suicide
    for trigger in triggers:
        assert sentence[trigger.start : trigger.end] == trigger.text


def test_participation_in_a_named_battle(finder: TriggerFinder) -> None:
    triggers = finder.detect("ورغم ذلك لم يتم اشراك جيش الخلافة فيها")
    assert [(t.type, t.status, t.pattern) for t in triggers] == [
        ("battle", "did_not_happen", "participation_anaphoric")
    ]
