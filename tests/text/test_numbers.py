"""Numbers in Arabic news sentences: values, bounds, hedges, units, kinds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.errors import InputError
from rasid.model import Analysis, Document
from rasid.pipeline import Pipeline, registry
from rasid.text import dates as _dates  # registers text.dates
from rasid.text.numbers import NumberMatch, find_numbers, fold_arabic, parse_number


def only(text: str) -> NumberMatch:
    matches = find_numbers(text)
    assert len(matches) == 1, [m.text for m in matches]
    return matches[0]


# (sentence, span text, value, low, high, approximate, unit_key, kind)
CASES: list[tuple[str, str, float, float, float, bool, str | None, str]] = [
    # digits in any script, separators
    ("قتل 25 مدنيا في القصف", "25 مدنيا", 25, 25, 25, False, "مدني", "count"),
    ("أعلن مقتل ٣٧ مسلحا في الاشتباكات", "٣٧ مسلحا", 37, 37, 37, False, "مسلح", "count"),
    ("انتشر ۱۲ جندي على الحدود", "۱۲ جندي", 12, 12, 12, False, "جندي", "count"),
    ("وصل عددهم إلى 1,500 عنصر", "1,500 عنصر", 1500, 1500, 1500, False, "عنصر", "count"),
    ("وصل عددهم إلى 1.500 عنصر", "1.500 عنصر", 1500, 1500, 1500, False, "عنصر", "count"),
    ("يضم التنظيم ١٬٥٠٠ مقاتل", "١٬٥٠٠ مقاتل", 1500, 1500, 1500, False, "مقاتل", "count"),
    (
        "بلغت الكلفة ٤٫٥ مليون دولار",
        "٤٫٥ مليون دولار",
        4.5e6,
        4.5e6,
        4.5e6,
        False,
        "دولار",
        "count",
    ),
    ("نزح 1.5 مليون شخص", "1.5 مليون شخص", 1.5e6, 1.5e6, 1.5e6, False, "شخص", "count"),
    ("أرسلت 4 آلاف جندي", "4 آلاف جندي", 4000, 4000, 4000, False, "جندي", "count"),
    ("فر ٢ مليون لاجئ", "٢ مليون لاجئ", 2e6, 2e6, 2e6, False, "لاجي", "count"),
    (
        "قدرت الخسائر بـ 2,500,000 دولار",
        "2,500,000 دولار",
        2.5e6,
        2.5e6,
        2.5e6,
        False,
        "دولار",
        "count",
    ),
    # number words
    ("أسر خمسة مقاتلين من الفصيل", "خمسة مقاتلين", 5, 5, 5, False, "مقاتل", "count"),
    ("قتل أحد عشر جنديا", "أحد عشر جنديا", 11, 11, 11, False, "جندي", "count"),
    ("اعتقلت ثلاثة عشر شخصا", "ثلاثة عشر شخصا", 13, 13, 13, False, "شخص", "count"),
    ("أصيب خمسة وعشرون مدنيا", "خمسة وعشرون مدنيا", 25, 25, 25, False, "مدني", "count"),
    ("دخل مئتا مقاتل المدينة", "مئتا مقاتل", 200, 200, 200, False, "مقاتل", "count"),
    ("دخل ثلاثمئة مقاتل المدينة", "ثلاثمئة مقاتل", 300, 300, 300, False, "مقاتل", "count"),
    ("دخل ثلاث مئة مقاتل المدينة", "ثلاث مئة مقاتل", 300, 300, 300, False, "مقاتل", "count"),
    (
        "يضم ثلاثة آلاف وخمسمئة عنصر",
        "ثلاثة آلاف وخمسمئة عنصر",
        3500,
        3500,
        3500,
        False,
        "عنصر",
        "count",
    ),
    ("سقط ألف قتيل", "ألف قتيل", 1000, 1000, 1000, False, "قتيل", "count"),
    ("نشر ألفي جندي في المنطقة", "ألفي جندي", 2000, 2000, 2000, False, "جندي", "count"),
    ("نشر ألفان من الجنود", "ألفان من الجنود", 2000, 2000, 2000, False, "جندي", "count"),
    ("فر نصف مليون نازح", "نصف مليون نازح", 5e5, 5e5, 5e5, False, "نازح", "count"),
    ("جمع مليون ونصف دولار", "مليون ونصف دولار", 1.5e6, 1.5e6, 1.5e6, False, "دولار", "count"),
    ("قتل مئة وخمسون مسلحا", "مئة وخمسون مسلحا", 150, 150, 150, False, "مسلح", "count"),
    ("بيع 14 الف و372 تذكرة", "14 الف و372 تذكرة", 14372, 14372, 14372, False, "تذكره", "count"),
    (
        "بيع مليون و698 الف تذكرة",
        "مليون و698 الف تذكرة",
        1698000,
        1698000,
        1698000,
        False,
        "تذكره",
        "count",
    ),
    ("صوت 84 نائبا لصالح القرار", "84 نائبا", 84, 84, 84, False, "نايب", "count"),
    # duals
    ("ومن بينهم مقاتلان من كوسوفو", "مقاتلان", 2, 2, 2, False, "مقاتل", "count"),
    ("قتل جنديين في الكمين", "جنديين", 2, 2, 2, False, "جندي", "count"),
    # vague plurals
    ("تبث عشرات القنوات الأخبار", "عشرات القنوات", 30, 20, 99, True, "قنوات", "count"),
    ("نزح مئات المدنيين", "مئات المدنيين", 300, 200, 999, True, "مدني", "count"),
    (
        "يستقطب الآلاف من المجندين كل شهر",
        "الآلاف من المجندين",
        3000,
        2000,
        9999,
        True,
        "مجند",
        "count",
    ),
    (
        "خرج عشرات الآلاف من المتظاهرين",
        "عشرات الآلاف من المتظاهرين",
        30000,
        20000,
        99000,
        True,
        "متظاهرين",
        "count",
    ),
    # ranges
    ("قتل بين 300 و 500 مسلح", "بين 300 و 500 مسلح", 400, 300, 500, True, "مسلح", "count"),
    (
        "يتراوح عددهم من 300 إلى 500 عنصر",
        "من 300 إلى 500 عنصر",
        400,
        300,
        500,
        True,
        "عنصر",
        "count",
    ),
    ("يضم الفوج 300-500 مقاتل", "300-500 مقاتل", 400, 300, 500, True, "مقاتل", "count"),
    ("قتل بين 3 و5 آلاف شخص", "بين 3 و5 آلاف شخص", 4000, 3000, 5000, True, "شخص", "count"),
    (
        "قتل بين ثلاثة وخمسة آلاف جندي",
        "بين ثلاثة وخمسة آلاف جندي",
        4000,
        3000,
        5000,
        True,
        "جندي",
        "count",
    ),
    ("قتل ثلاثة أو أربعة أشخاص", "ثلاثة أو أربعة أشخاص", 3.5, 3, 4, True, "شخص", "count"),
    # hedges
    ("هاجم نحو 4000 عنصر المدينة", "نحو 4000 عنصر", 4000, 3600, 4400, True, "عنصر", "count"),
    ("وصل حوالي 200 مقاتل", "حوالي 200 مقاتل", 200, 180, 220, True, "مقاتل", "count"),
    ("قتل قرابة 60 شخصا", "قرابة 60 شخصا", 60, 54, 66, True, "شخص", "count"),
    ("قتل أكثر من 100 مدني", "أكثر من 100 مدني", 100, 100, 150, True, "مدني", "count"),
    ("قتل أقل من 50 جنديا", "أقل من 50 جنديا", 50, 25, 50, True, "جندي", "count"),
    ("أسر ما لا يقل عن 30 مقاتلا", "ما لا يقل عن 30 مقاتلا", 30, 30, 45, True, "مقاتل", "count"),
    ("يضم ما يقارب 700 عنصر", "ما يقارب 700 عنصر", 700, 630, 770, True, "عنصر", "count"),
    ("يقاتل زهاء ألف مسلح", "زهاء ألف مسلح", 1000, 900, 1100, True, "مسلح", "count"),
    (
        "وصل بالفترة الاخيرة لـ ٤٠٠٠ عنصر تقريباً",
        "٤٠٠٠ عنصر تقريباً",
        4000,
        3600,
        4400,
        True,
        "عنصر",
        "count",
    ),
    (
        "العدد الاكبر ويقدر بحوالي 1500 عنصر .",
        "يقدر بحوالي 1500 عنصر",
        1500,
        1350,
        1650,
        True,
        "عنصر",
        "count",
    ),
    ("قتل 20 جنديا على الأقل", "20 جنديا على الأقل", 20, 20, 30, True, "جندي", "count"),
    # percent and shares
    ("يشكل الشيشان نسبة 50 % من الجيش", "50 %", 50, 50, 50, False, None, "percent"),
    ("ارتفعت بنسبة ٥٠٪ خلال العام", "٥٠٪", 50, 50, 50, False, None, "percent"),
    ("شارك خمسين بالمئة من الناخبين", "خمسين بالمئة", 50, 50, 50, False, None, "percent"),
    ("تراجعت 12.5 في المائة", "12.5 في المائة", 12.5, 12.5, 12.5, False, None, "percent"),
    (
        "يسيطر على نحو ثلث مساحة العراق",
        "نحو ثلث مساحة",
        0.3333,
        0.29997,
        0.36663,
        True,
        "مساحه",
        "share",
    ),
    ("دمر ربع المباني", "ربع المباني", 0.25, 0.25, 0.25, False, "مباني", "share"),
    # years and ordinals are marked, not counted
    ("التحقوا بالتنظيم في عام 2016", "2016", 2016, 2016, 2016, False, None, "year"),
    ("منذ 2014 والحرب مستمرة", "2014", 2014, 2014, 2014, False, None, "year"),
    ("ارتفع عدد القتلى إلى 45 قتيلا", "45 قتيلا", 45, 45, 45, False, "قتيل", "count"),
    ("ارتفع عدد القتلى إلى 45", "45", 45, 45, 45, False, None, "count"),
    ("تقدمت الفرقة 17 نحو المدينة", "17", 17, 17, 17, False, None, "other"),
    ("بين 2000 و2010 عنصر", "بين 2000 و2010 عنصر", 2005, 2000, 2010, True, "عنصر", "count"),
    ("تولى المنصب من 2014 إلى 2016 ثم", "من 2014 إلى 2016", 2014, 2014, 2016, False, None, "year"),
    ("الفنان قارب الـ50 عاماً.", "50 عاماً", 50, 50, 50, False, "عام", "count"),
    ("سعره لا يتجاوز10 في المائة من الكلفة", "10 في المائة", 10, 10, 10, False, None, "percent"),
    ("في اليوم الثاني للهجوم", "الثاني", 2, 2, 2, False, None, "ordinal"),
    ("الأحد 5 مارس قصفت الطائرات", "5", 5, 5, 5, False, None, "other"),
]


@pytest.mark.parametrize(
    ("sentence", "span", "value", "low", "high", "approx", "unit_key", "kind"), CASES
)
def test_number_cases(
    sentence: str,
    span: str,
    value: float,
    low: float,
    high: float,
    approx: bool,
    unit_key: str | None,
    kind: str,
) -> None:
    m = only(sentence)
    assert m.text == span
    assert sentence[m.start : m.end] == m.text
    assert m.value == pytest.approx(value)
    assert m.low == pytest.approx(low)
    assert m.high == pytest.approx(high)
    assert m.approximate is approx
    assert m.unit_key == unit_key
    assert m.kind == kind
    assert m.is_percent is (kind == "percent")
    assert m.is_share is (kind == "share")


# Sentences with nothing that is a count, a percent or a share.
NEGATIVES = [
    "اتصلوا على الرقم 0933123456 للاستفسار",
    "عقد الاجتماع في 12/03/2016 الساعة 10:30",
    "صدر القرار بتاريخ 2016-03-12 في دمشق",
    "قال أحد المقاتلين إن أحدهما أصيب",
    "كم لدى كل واحدة من أطفال",
    "في النصف الغربي من المدينة",
    "وصل في تشرين الأول وكانون الأول",
    "أعلن الجيش السيطرة على المدينة دون قتال",
    "الساعة الثانية بعد الظهر",
    "لتحويل تأخره 2-0 أمام إشبيلية",
    "عند الدقيقة 36 حينما سجل",
    "في 15 رمضان 1437 هـ أعلن",
    "وصل في 12 كانون الثاني 2017",
]


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_no_false_counts(sentence: str) -> None:
    found = [m for m in find_numbers(sentence) if m.kind in ("count", "percent", "share")]
    assert found == [], [(m.text, m.kind) for m in found]


def test_several_counts_in_one_sentence() -> None:
    text = "من 5 اشخاص ثلاثة من الاوزبك و 2 من الشيشان جميعهم متواجدين"
    got = [(m.text, m.value, m.unit, m.unit_key) for m in find_numbers(text)]
    assert got == [
        ("5 اشخاص", 5, "اشخاص", "شخص"),
        ("ثلاثة من الاوزبك", 3, "الاوزبك", "اوزبك"),
        ("2 من الشيشان", 2, "الشيشان", "شيشان"),
    ]


def test_hedge_surface_and_number_span() -> None:
    m = only("ويقدر بحوالي 1500 عنصر")
    assert m.hedge == "يقدر بحوالي"
    assert "ويقدر بحوالي 1500 عنصر"[m.number_start : m.number_end] == "1500"
    post = only("٤٠٠٠ عنصر تقريباً")
    assert post.hedge == "تقريباً"
    assert post.unit == "عنصر"


def test_proclitic_is_left_out_of_the_span() -> None:
    m = only("قتل جندي وعشرات المدنيين")
    assert m.text == "عشرات المدنيين"
    assert m.hedge == "عشرات"
    assert only("خرج عشرات الآلاف من المتظاهرين").hedge == "عشرات الآلاف"


def test_unit_not_taken_across_a_line_break() -> None:
    matches = find_numbers("8\n\nأخبار ليبيا")
    assert [(m.text, m.unit) for m in matches] == [("8", None)]


def test_original_offsets_with_diacritics_and_tatweel() -> None:
    text = "قُتِلَ خَمْسَةُ مُقاتِلِيـن وَنَحْوُ ١٠٠ جُنْدِيٍّ"
    matches = find_numbers(text)
    assert [m.value for m in matches] == [5, 100]
    for m in matches:
        assert text[m.start : m.end] == m.text
    assert matches[1].hedge == "نَحْوُ"
    assert matches[1].unit_key == "جندي"


def test_fold_keeps_length() -> None:
    text = "أَعلنَ ٤٠٠٠ عنصرٍ إلى ـ ۱۲٪"
    assert len(fold_arabic(text)) == len(text)


def test_parse_number() -> None:
    m = parse_number("ألفي جندي")
    assert m is not None and m.value == 2000 and m.unit_key == "جندي"
    digits = parse_number(" 1,500 ")
    assert digits is not None and digits.value == 1500
    assert parse_number("عاد الجنود إلى الثكنة") is None
    assert parse_number("5 جنود و 6 ضباط") is None


def test_bad_input() -> None:
    with pytest.raises(InputError):
        find_numbers(42)  # type: ignore[arg-type]
    assert find_numbers("") == []


def test_examples(examples_dir: Path) -> None:
    raqqa = (examples_dir / "raqqa-caliphate-army.txt").read_text(encoding="utf-8")
    got = {m.text: m for m in find_numbers(raqqa)}
    m = got["٤٠٠٠ عنصر تقريباً"]
    assert (m.value, m.approximate, m.unit, m.hedge) == (4000, True, "عنصر", "تقريباً")
    m = got["يقدر بحوالي 1500 عنصر"]
    assert (m.value, m.approximate, m.unit_key) == (1500, True, "عنصر")
    assert got["5 اشخاص"].value == 5
    assert got["ثلاثة من الاوزبك"].value == 3
    assert got["2 من الشيشان"].value == 2
    assert got["50 %"].kind == "percent" and got["50 %"].value == 50

    mosul = (examples_dir / "mosul-foreign-fighters.txt").read_text(encoding="utf-8")
    got = {m.text: m for m in find_numbers(mosul)}
    recruits = got["الآلاف من المجندين"]
    assert (recruits.low, recruits.high, recruits.approximate) == (2000, 9999, True)
    assert recruits.unit_key == "مجند"
    assert got["مقاتلان"].value == 2
    assert got["نحو ثلث مساحة"].kind == "share"
    years = [m.value for m in find_numbers(mosul) if m.kind == "year"]
    assert years == [2015, 2016]


def test_pipeline_component(examples_dir: Path) -> None:
    text = (examples_dir / "raqqa-caliphate-army.txt").read_text(encoding="utf-8")
    pipeline = Pipeline([registry.create("text.numbers")])
    analysis: Analysis = pipeline(Document(text=text, sha256="0" * 64, source_uri="test"))
    assert analysis.components == ["text.numbers.v1"]
    by_text = {m.text: m for m in analysis.mentions}
    q = by_text["٤٠٠٠ عنصر تقريباً"]
    assert (q.type, q.norm, q.component) == ("QUANTITY", "4000 عنصر", "text.numbers.v1")
    assert q.value["approximate"] is True and q.value["unit"] == "عنصر"
    assert by_text["50 %"].type == "PERCENT" and by_text["50 %"].norm == "50%"
    assert all(text[m.start : m.end] == m.text for m in analysis.mentions)
    # years and bare numbers are not quantities
    assert not any(m.value["kind"] == "year" for m in analysis.mentions)


def test_component_leaves_numbers_inside_dates() -> None:
    doc = Document(text="قتل 3 جنود قبل ثلاثة أيام", sha256="0" * 64, source_uri="t")
    doc.published = "2018-02-18"
    assert _dates.dates_component in registry.factories.values()
    pipeline = Pipeline([registry.create("text.dates"), registry.create("text.numbers")])
    analysis = pipeline(doc)
    assert [(m.type, m.text) for m in analysis.mentions] == [
        ("DATE", "قبل ثلاثة أيام"),
        ("QUANTITY", "3 جنود"),
    ]


def test_persian_letters_and_digits_fold_like_normalize() -> None:
    m = only("وصل حوالی ۲۰۰ مقاتل")  # Persian ی and digits
    assert (m.value, m.hedge, m.unit_key, m.approximate) == (200, "حوالی", "مقاتل", True)


_PIECES = [
    "نحو",
    "حوالي",
    "أكثر من",
    "بين",
    "و",
    "إلى",
    "عنصر",
    "مقاتلين",
    "ألف",
    "آلاف",
    "ثلاثة",
    "وعشرون",
    "مئة",
    "عشرات",
    "الآلاف",
    "من",
    "تقريباً",
    "%",
    "٪",
    "بالمئة",
    "ثلث",
    "نصف",
    "عام",
    "2016",
    "٤٠٠٠",
    "1,500",
    "1.5",
    "٢٬٥٠٠",
    "٤٫٥",
    "-",
    "/",
    ":",
    "١٢",
    "ـ",
    "\u064e",
    "\n",
    "،",
    ".",
    "(",
    "0933",
    "الثاني",
    "مليون",
    "ونصف",
    "قتيلا",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), max_size=25),
    st.lists(st.sampled_from(" \u064b"), max_size=25),
)
def test_random_pieces_keep_offsets(pieces: list[str], seps: list[str]) -> None:
    text = "".join(p + (seps[i] if i < len(seps) else " ") for i, p in enumerate(pieces))
    for m in find_numbers(text):
        assert text[m.start : m.end] == m.text
        assert m.start <= m.number_start < m.number_end <= m.end
        assert m.low <= m.value <= m.high or m.kind in ("year", "ordinal", "other")
        assert m.kind in ("count", "percent", "share", "year", "ordinal", "other")
