"""News sentences written for these tests: every statement and event type,
negation, hedges, nested attribution, and sentences that must yield nothing.

Each case is one short document run through the real pipeline. A case lists
what must be found: ``S(property, subject, value, certainty)`` for statements
and ``E(type, status, certainty)`` for events (``None`` = any); ``NOTHING``
means no statement and no event at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from rasid.model import Analysis
from rasid.text.normalize import normalize_key

PUBLISHER = "وكالة الأنباء المحلية-خاص\n"


@dataclass(frozen=True)
class S:
    prop: str
    subject: str
    value: str | None = None
    certainty: str | None = None
    qualifier: tuple[str, object] | None = None


@dataclass(frozen=True)
class E:
    type: str
    status: str = "happened"
    certainty: str | None = None
    chain_end: str | None = None
    place: str | None = None
    fatalities: int | None = None


NOTHING: tuple[S | E, ...] = ()

CASES: list[tuple[str, tuple[S | E, ...]]] = [
    # -- leadership and membership
    (
        "أعلنت وزارة الدفاع أن قائد لواء التوحيد هو أحمد الحسن.",
        (S("commander_of", "أحمد الحسن", "لواء التوحيد", "reported"),),
    ),
    (
        "وقال قائد فيلق الرحمن عبد الناصر شمير إن قواته صدت الهجوم.",
        (
            S("commander_of", "عبد الناصر شمير", "فيلق الرحمن"),
            E("attack", chain_end="قائد فيلق الرحمن عبد الناصر شمير"),
        ),
    ),
    (
        "ويعد أبو علي الأنباري نائب قائد كتيبة الفاروق.",
        (S("deputy_of", "أبو علي الأنباري", "كتيبة الفاروق", "asserted"),),
    ),
    (
        "أبو حفص المصري انضم إلى جبهة النصرة عام 2013.",
        (S("member_of", "أبو حفص المصري", "جبهة النصرة"),),
    ),
    (
        "وكان أبو عمر الكويتي أمير جيش المهاجرين سابقا.",
        (S("role", "أبو عمر الكويتي", "أمير", qualifier=("end", "earlier")),),
    ),
    (
        "وكان قائد جيش الإسلام زهران علوش الذي قتل في غارة جوية عام 2015 من أبرز قادة المعارضة.",
        (
            S("commander_of", "زهران علوش", "جيش الإسلام", qualifier=("status", "killed")),
            E("bombardment"),
            E("killing"),
        ),
    ),
    ("ويتكون مجلس شورى جبهة الشام من سبعة أعضاء.", (S("leadership_body", "جبهة الشام", "7"),)),
    # -- organisation
    (
        "كتيبة الأنصار التابعة لهيئة تحرير الشام نفذت الهجوم.",
        (S("part_of", "كتيبة الأنصار", "هيئة تحرير الشام"), E("attack")),
    ),
    (
        "جيش العزة أو ما يسمى بجيش الشمال ينشط في ريف حماة.",
        (S("alias", "جيش العزة", "جيش الشمال"), S("present_in", "جيش العزة", "ريف حماة")),
    ),
    (
        "أسس أبو محمد الجولاني جبهة النصرة في يناير 2012.",
        (S("founded_by", "جبهة النصرة", "أبو محمد الجولاني", qualifier=("date", "2012-01")),),
    ),
    # -- strength
    (
        "يبلغ عدد مقاتلي لواء السلام نحو 2500 مقاتل في محافظة درعا.",
        (S("strength", "لواء السلام", "2500", "estimated", qualifier=("place", "محافظة درعا")),),
    ),
    (
        "ويبلغ عدد عناصر تنظيم داعش في ليبيا نحو 5000 عنصر في مارس 2016، بحسب مصادر أمنية.",
        (S("strength", "داعش", "5000", "estimated", qualifier=("as_of", "2016-03")),),
    ),
    (
        "ويقدر عدد مقاتلي جيش خالد بن الوليد بحوالي ألف مقاتل.",
        (
            S(
                "strength",
                "جيش خالد بن الوليد",
                "1000",
                "estimated",
                qualifier=("approximate", True),
            ),
        ),
    ),
    (
        "ويضم لواء المعتصم 800 مقاتل.",
        (S("strength", "لواء المعتصم", "800", "asserted", qualifier=("approximate", False)),),
    ),
    # -- composition
    (
        "ويشكل المقاتلون الأجانب نحو 40 في المئة من عناصر كتيبة المهاجرين.",
        (S("composition", "كتيبة المهاجرين", "الأجانب", qualifier=("share", 0.4)),),
    ),
    (
        "وتتألف كتيبة البتار في معظمها من الليبيين.",
        (S("composition", "كتيبة البتار", "الليبيين", qualifier=("share", "majority")),),
    ),
    (
        "ولا يسمح للأجانب بالانضمام إلى لواء المعتصم.",
        (S("excluded_origin", "لواء المعتصم", "الأجانب"),),
    ),
    (
        "ويتم قبول المقاتلين في جيش المهاجرين بتزكية من شرعيي الفصيل.",
        (S("recruitment_criterion", "جيش المهاجرين", "تزكية"),),
    ),
    (
        "تضم كتيبة الحراسة 200 مقاتل. وكانت مهمتهم حماية المطار فقط.",
        (
            S("strength", "كتيبة الحراسة", "200"),
            S("mission", "كتيبة الحراسة", "حماية المطار", qualifier=("exclusive", True)),
        ),
    ),
    # -- places
    (
        "ويتمركز لواء صقور الجبل في مدينة كفرنبل.",
        (S("based_at", "لواء صقور الجبل", "مدينة كفرنبل"),),
    ),
    (
        "مطار الضبعة هو القاعدة الرئيسية لكتيبة المغاوير.",
        (S("based_at", "كتيبة المغاوير", "مطار الضبعة"),),
    ),
    ("وانتشرت عناصر لواء القدس في مدينة حلب.", (S("deployed_to", "لواء القدس", "مدينة حلب"),)),
    (
        "ويقيم معظم عناصر جيش المجاهدين في بلدة الأتارب.",
        (S("present_in", "جيش المجاهدين", "بلدة الأتارب", qualifier=("members", True)),),
    ),
    (
        "وانسحب تنظيم داعش من مدينة تدمر بعد معارك عنيفة.",
        (S("withdrew_from", "داعش", "مدينة تدمر"), E("withdrawal"), E("battle")),
    ),
    # -- documents
    (
        "وتضمنت السجلات تاريخ الميلاد وفصيلة الدم لكل مقاتل.",
        (S("record_fields", "الوثائق", "date_of_birth;blood_type"),),
    ),
    ("وأكد خبراء أن الوثائق أصلية.", (S("authenticity", "الوثائق", "genuine", "reported"),)),
    # -- events
    (
        "قتل 12 شخصا على الأقل في تفجير انتحاري استهدف سوقا شعبية في مدينة كركوك.",
        (E("attack", place="مدينة كركوك", fatalities=12), E("killing", fatalities=12)),
    ),
    (
        "أسفرت غارة جوية على بلدة الأتارب عن مقتل 7 مدنيين.",
        (E("bombardment", place="بلدة الأتارب", fatalities=7),),
    ),
    (
        "وعين التنظيم أبو حسن المهاجر قائدا لجيش العسرة في مارس 2015.",
        (S("commander_of", "أبو حسن المهاجر", "جيش العسرة", qualifier=("date_text", "مارس 2015")),),
    ),
    ("اندلعت اشتباكات عنيفة بين قوات الحكومة ومسلحي حركة الشباب في ضواحي مقديشو.", (E("battle"),)),
    ("شنت طائرات التحالف غارات جوية على مواقع التنظيم قرب الرقة.", (E("bombardment"),)),
    ("لقي ثلاثة جنود حتفهم في انفجار عبوة ناسفة.", (E("killing"), E("attack"))),
    (
        "سيطرت قوات سوريا الديمقراطية على مدينة الطبقة بعد معارك مع داعش.",
        (E("seizure"), E("battle")),
    ),
    ("وعثرت القوات الأمنية على وثائق وخرائط في مخبأ للتنظيم.", (E("documents_found"),)),
    ("ورفض عشرات المقاتلين القتال في صفوف الفصيل.", (E("refusal_to_fight"),)),
    ("تظاهر مئات السكان في مدينة الحسكة احتجاجا على الاعتقالات.", (E("protest"),)),
    ("اعتقلت الشرطة التركية 15 شخصا يشتبه بانتمائهم إلى تنظيم داعش.", (E("arrest"),)),
    ("اختطف مسلحون مجهولون صحفيا في مدينة سرت.", (E("abduction"),)),
    ("انشق عشرات الجنود عن الجيش النظامي.", (E("defection"),)),
    ("ودخل وقف إطلاق النار حيز التنفيذ منتصف الليل.", (E("ceasefire"),)),
    # -- status, hedges and attribution
    ("ولم تقع أي اشتباكات في المدينة خلال الهدنة.", (E("battle", "did_not_happen", "negated"),)),
    (
        "ونفى المتحدث باسم الجيش أن تكون طائراته قد قصفت مستشفى في إدلب.",
        (E("bombardment", "denied", "denied", chain_end="المتحدث باسم الجيش"),),
    ),
    ("ويعتزم الجيش شن هجوم واسع لاستعادة مدينة الموصل.", (E("attack", "planned"),)),
    (
        "وقتل 20 مسلحا في غارة جوية، وهو ما لم يتسن التحقق منه بشكل مستقل.",
        (E("bombardment", "happened", "uncertain"),),
    ),
    (
        "ويعتقد مسؤولون أمنيون أن الهجوم نفذته خلية تابعة لتنظيم داعش.",
        (E("attack", "happened", "believed", chain_end="مسؤولون أمنيون"),),
    ),
    (
        "ونقلت وكالة رويترز عن مصدر عسكري قوله إن الجيش سيطر على مطار الطبقة.",
        (E("seizure", "happened", "reported", chain_end="مصدر عسكري"),),
    ),
    (
        "وزعم التنظيم في بيان أن مقاتليه قتلوا عشرين جنديا.",
        (E("killing", "happened", "uncertain"),),
    ),
    # -- nothing to record
    ("سجل المهاجم هدفين في المباراة التي انتهت بفوز فريقه.", NOTHING),
    ("ارتفعت أسعار الذهب في الأسواق العالمية اليوم.", NOTHING),
    ("وشن النائب هجوما حادا على وزير المالية بسبب الموازنة.", NOTHING),
    ("وافتتح الرئيس معرض الكتاب في العاصمة بحضور عدد من الوزراء.", NOTHING),
    ("وقالت الشركة إن أرباحها ارتفعت بنسبة 12 في المئة خلال الربع الثالث.", NOTHING),
    ("وخاض المنتخب معركة قوية أمام منافسه في الدور الثاني من البطولة.", NOTHING),
]


def n(text: object) -> str:
    return normalize_key(str(text))


def _matches_statement(analysis: Analysis, want: S) -> bool:
    for st in analysis.statements:
        if st.property != want.prop:
            continue
        subject = str(st.qualifiers.get("subject_name", ""))
        if n(want.subject) not in n(subject):
            continue
        if want.value is not None and n(want.value) not in n(st.value):
            continue
        if want.certainty is not None and st.certainty != want.certainty:
            continue
        if want.qualifier is not None:
            key, value = want.qualifier
            got = st.qualifiers.get(key)
            if isinstance(value, str) and isinstance(got, str):
                if n(value) not in n(got):
                    continue
            elif got != value:
                continue
        return True
    return False


def _matches_event(analysis: Analysis, want: E) -> bool:
    for event in analysis.events:
        if event["type"] != want.type or event["status"] != want.status:
            continue
        if want.certainty is not None and event["certainty"] != want.certainty:
            continue
        if want.chain_end is not None and n(event["attribution"][-1]["name"]) != n(want.chain_end):
            continue
        if want.place is not None and n(want.place) not in n(event["place"] or ""):
            continue
        if want.fatalities is not None and event["fatalities"] != want.fatalities:
            continue
        return True
    return False


def describe(analysis: Analysis) -> str:
    lines = [
        f"  S {st.property} {st.qualifiers.get('subject_name')} -> {st.value} [{st.certainty}] {st.qualifiers}"
        for st in analysis.statements
    ]
    lines += [
        f"  E {e['type']} {e['status']} [{e['certainty']}] {[a['name'] for a in e['attribution']]}"
        for e in analysis.events
    ]
    return "\n".join(lines) or "  (nothing)"


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 40
    props = {w.prop for _, wants in CASES for w in wants if isinstance(w, S)}
    types = {w.type for _, wants in CASES for w in wants if isinstance(w, E)}
    assert len(props) >= 18 and len(types) >= 13
    assert sum(1 for _, wants in CASES if not wants) >= 5


@pytest.mark.parametrize(("sentence", "wants"), CASES, ids=[str(i) for i in range(len(CASES))])
def test_sentence(
    analyse: Callable[[str], Analysis], sentence: str, wants: tuple[S | E, ...]
) -> None:
    analysis = analyse(PUBLISHER + sentence)
    if not wants:
        assert not analysis.statements and not analysis.events, describe(analysis)
        return
    for want in wants:
        ok = (
            _matches_statement(analysis, want)
            if isinstance(want, S)
            else _matches_event(analysis, want)
        )
        assert ok, f"{want} not found in:\n{describe(analysis)}"
    for st in analysis.statements:
        assert st.attribution[0].name == "وكالة الأنباء المحلية"
