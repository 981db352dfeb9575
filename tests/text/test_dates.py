"""Dates in Arabic news sentences: Gregorian, Levantine, Hijri, numeric, relative."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.errors import InputError
from rasid.model import Document
from rasid.pipeline import Pipeline, registry
from rasid.text.dates import DateMatch, find_dates, parse_publication_date

REF = dt.date(2017, 2, 15)  # a Wednesday


def only(text: str, reference: dt.date | None = REF) -> DateMatch:
    matches = find_dates(text, reference)
    assert len(matches) == 1, [m.text for m in matches]
    return matches[0]


# (sentence, span text, value, precision, calendar, relative, low, high)
CASES: list[tuple[str, str, str, str, str, bool, str | None, str | None]] = [
    # Egyptian/Gulf month names
    (
        "وقع الهجوم في 18 فبراير 2018 فجرا",
        "18 فبراير 2018",
        "2018-02-18",
        "day",
        "gregorian",
        False,
        "2018-02-18",
        "2018-02-18",
    ),
    (
        "اندلعت الاشتباكات في 3 يناير 2016",
        "3 يناير 2016",
        "2016-01-03",
        "day",
        "gregorian",
        False,
        "2016-01-03",
        "2016-01-03",
    ),
    (
        "في ابريل 2015 سيطر التنظيم",
        "ابريل 2015",
        "2015-04",
        "month",
        "gregorian",
        False,
        "2015-04-01",
        "2015-04-30",
    ),
    (
        "بدأت العملية في يونيه 2014",
        "يونيه 2014",
        "2014-06",
        "month",
        "gregorian",
        False,
        "2014-06-01",
        "2014-06-30",
    ),
    (
        "أعلن في 9 أغسطس، 2014 عن",
        "9 أغسطس، 2014",
        "2014-08-09",
        "day",
        "gregorian",
        False,
        "2014-08-09",
        "2014-08-09",
    ),
    (
        "حتى 31 ديسمبر 2016",
        "31 ديسمبر 2016",
        "2016-12-31",
        "day",
        "gregorian",
        False,
        "2016-12-31",
        "2016-12-31",
    ),
    # Levantine/Iraqi month names
    (
        "في 5 آذار 2016 دخلت القوات",
        "5 آذار 2016",
        "2016-03-05",
        "day",
        "gregorian",
        False,
        "2016-03-05",
        "2016-03-05",
    ),
    (
        "منذ تشرين الأول 2015",
        "تشرين الأول 2015",
        "2015-10",
        "month",
        "gregorian",
        False,
        "2015-10-01",
        "2015-10-31",
    ),
    (
        "في 12 كانون الثاني 2017",
        "12 كانون الثاني 2017",
        "2017-01-12",
        "day",
        "gregorian",
        False,
        "2017-01-12",
        "2017-01-12",
    ),
    (
        "في 1 آب 2014 هاجم",
        "1 آب 2014",
        "2014-08-01",
        "day",
        "gregorian",
        False,
        "2014-08-01",
        "2014-08-01",
    ),
    (
        "خلال شباط/فبراير 2018",
        "شباط/فبراير 2018",
        "2018-02",
        "month",
        "gregorian",
        False,
        "2018-02-01",
        "2018-02-28",
    ),
    (
        "في أيار 2016",
        "أيار 2016",
        "2016-05",
        "month",
        "gregorian",
        False,
        "2016-05-01",
        "2016-05-31",
    ),
    # weekday, missing year (resolved to the year nearest the reference)
    (
        "يوم الأحد 5 مارس 2017",
        "يوم الأحد 5 مارس 2017",
        "2017-03-05",
        "day",
        "gregorian",
        False,
        "2017-03-05",
        "2017-03-05",
    ),
    (
        "وفي الأحد 5 مارس خرج",
        "الأحد 5 مارس",
        "2017-03-05",
        "day",
        "gregorian",
        True,
        "2017-03-05",
        "2017-03-05",
    ),
    (
        "في 20 ديسمبر سقطت المدينة",
        "20 ديسمبر",
        "2016-12-20",
        "day",
        "gregorian",
        True,
        "2016-12-20",
        "2016-12-20",
    ),
    (
        "في شهر مارس المقبل",
        "شهر مارس المقبل",
        "2017-03",
        "month",
        "gregorian",
        True,
        "2017-03-01",
        "2017-03-31",
    ),
    (
        "في شهر مارس/آذار الماضي",
        "شهر مارس/آذار الماضي",
        "2016-03",
        "month",
        "gregorian",
        True,
        "2016-03-01",
        "2016-03-31",
    ),
    (
        "ينعقد يوم 8 يناير المقبل",
        "8 يناير المقبل",
        "2018-01-08",
        "day",
        "gregorian",
        True,
        "2018-01-08",
        "2018-01-08",
    ),
    (
        "في فبراير الماضي",
        "فبراير الماضي",
        "2016-02",
        "month",
        "gregorian",
        True,
        "2016-02-01",
        "2016-02-29",
    ),
    (
        "اجتمعوا في 10 فبراير الماضي",
        "10 فبراير الماضي",
        "2017-02-10",
        "day",
        "gregorian",
        True,
        "2017-02-10",
        "2017-02-10",
    ),
    # years, parts and decades
    (
        "في عام 2015 أعلن",
        "عام 2015",
        "2015",
        "year",
        "gregorian",
        False,
        "2015-01-01",
        "2015-12-31",
    ),
    (
        "الانتخابات عام ٢٠١٦ كانت",
        "عام ٢٠١٦",
        "2016",
        "year",
        "gregorian",
        False,
        "2016-01-01",
        "2016-12-31",
    ),
    (
        "بدأ سنة 2014 تقريبا",
        "سنة 2014",
        "2014",
        "year",
        "gregorian",
        False,
        "2014-01-01",
        "2014-12-31",
    ),
    (
        "مؤرخة بعام 2015 لكن",
        "عام 2015",
        "2015",
        "year",
        "gregorian",
        False,
        "2015-01-01",
        "2015-12-31",
    ),
    (
        "انسحب منتصف 2015 من الريف",
        "منتصف 2015",
        "2015",
        "year",
        "gregorian",
        False,
        "2015-05-01",
        "2015-08-31",
    ),
    (
        "تأسس أواخر مارس 2013",
        "أواخر مارس 2013",
        "2013-03",
        "month",
        "gregorian",
        False,
        "2013-03-21",
        "2013-03-31",
    ),
    (
        "وتأسس في 2012م على يد",
        "2012م",
        "2012",
        "year",
        "gregorian",
        False,
        "2012-01-01",
        "2012-12-31",
    ),
    (
        "نشأت الحركة في التسعينيات",
        "التسعينيات",
        "1990",
        "decade",
        "gregorian",
        False,
        "1990-01-01",
        "1999-12-31",
    ),
    (
        "ستجرى في التاسع من أبريل 2018.",
        "التاسع من أبريل 2018",
        "2018-04-09",
        "day",
        "gregorian",
        False,
        "2018-04-09",
        "2018-04-09",
    ),
    (
        "في الحادي والعشرين من آذار",
        "الحادي والعشرين من آذار",
        "2017-03-21",
        "day",
        "gregorian",
        True,
        "2017-03-21",
        "2017-03-21",
    ),
    (
        "انضم في 2014 إلى التنظيم",
        "2014",
        "2014",
        "year",
        "gregorian",
        False,
        "2014-01-01",
        "2014-12-31",
    ),
    (
        "يمتد العقد حتى 2022، وقالت",
        "حتى 2022",
        "2022",
        "year",
        "gregorian",
        False,
        "2022-01-01",
        "2022-12-31",
    ),
    (
        "قاتل بين عامي 2014 و2016 في",
        "بين عامي 2014 و2016",
        "2014",
        "year",
        "gregorian",
        False,
        "2014-01-01",
        "2016-12-31",
    ),
    (
        "تولى المنصب من 2014 إلى 2016 ثم",
        "من 2014 إلى 2016",
        "2014",
        "year",
        "gregorian",
        False,
        "2014-01-01",
        "2016-12-31",
    ),
    (
        "في الفترة بين 5 و10 مارس 2016",
        "5 و10 مارس 2016",
        "2016-03-05",
        "day",
        "gregorian",
        False,
        "2016-03-05",
        "2016-03-10",
    ),
    (
        "يوم 3 حزيران/يونيو الجاري",
        "3 حزيران/يونيو الجاري",
        "2017-06-03",
        "day",
        "gregorian",
        True,
        "2017-06-03",
        "2017-06-03",
    ),
    (
        "قتل قبل 48 ساعة",
        "قبل 48 ساعة",
        "2017-02-13",
        "day",
        "gregorian",
        True,
        "2017-02-13",
        "2017-02-13",
    ),
    (
        "يقاتل منذ عام 2011 في",
        "عام 2011",
        "2011",
        "year",
        "gregorian",
        False,
        "2011-01-01",
        "2011-12-31",
    ),
    (
        "أعلن الجيش العراقي، الخميس، عن",
        "الخميس",
        "2017-02-09",
        "day",
        "gregorian",
        True,
        "2017-02-09",
        "2017-02-09",
    ),
    (
        "قال مصدر، اليوم الأربعاء، إن",
        "اليوم الأربعاء",
        "2017-02-15",
        "day",
        "gregorian",
        True,
        "2017-02-15",
        "2017-02-15",
    ),
    (
        "في الـ10 من حزيران 2014 سقطت الموصل",
        "الـ10 من حزيران 2014",
        "2014-06-10",
        "day",
        "gregorian",
        False,
        "2014-06-10",
        "2014-06-10",
    ),
    (
        "سيطر التنظيم في صيف 2014 على",
        "صيف 2014",
        "2014",
        "year",
        "gregorian",
        False,
        "2014-06-01",
        "2014-08-31",
    ),
    (
        "انضم قبل نحو عامين",
        "قبل نحو عامين",
        "2015",
        "year",
        "gregorian",
        True,
        "2015-01-01",
        "2015-12-31",
    ),
    (
        "يقاتل منذ أكثر من ثلاث سنوات",
        "منذ أكثر من ثلاث سنوات",
        "2014",
        "year",
        "gregorian",
        True,
        "2014-01-01",
        "2014-12-31",
    ),
    # Hijri
    (
        "في 15 رمضان 1437 هـ أعلن",
        "15 رمضان 1437 هـ",
        "2016-06-20",
        "day",
        "hijri",
        False,
        "2016-06-20",
        "2016-06-20",
    ),
    (
        "صدر في محرم 1436هـ بيان",
        "محرم 1436هـ",
        "2014-11",
        "month",
        "hijri",
        False,
        "2014-10-25",
        "2014-11-22",
    ),
    ("في عام 1437 هـ", "عام 1437 هـ", "2016", "year", "hijri", False, "2015-10-14", "2016-10-01"),
    (
        "بتاريخ 1 ذو الحجة 1438 هـ",
        "1 ذو الحجة 1438 هـ",
        "2017-08-23",
        "day",
        "hijri",
        False,
        "2017-08-23",
        "2017-08-23",
    ),
    # numeric
    (
        "صدر القرار بتاريخ 12/03/2016 في",
        "12/03/2016",
        "2016-03-12",
        "day",
        "gregorian",
        False,
        "2016-03-12",
        "2016-03-12",
    ),
    (
        "نشر في 2016-03-12 على الموقع",
        "2016-03-12",
        "2016-03-12",
        "day",
        "gregorian",
        False,
        "2016-03-12",
        "2016-03-12",
    ),
    (
        "الموافق ١٢/٣/٢٠١٦ م",
        "١٢/٣/٢٠١٦",
        "2016-03-12",
        "day",
        "gregorian",
        False,
        "2016-03-12",
        "2016-03-12",
    ),
    (
        "في 5.6.2017 اجتمع",
        "5.6.2017",
        "2017-06-05",
        "day",
        "gregorian",
        False,
        "2017-06-05",
        "2017-06-05",
    ),
    # relative, against REF = 2017-02-15
    (
        "عثر الجيش الشهر الماضي على الوثائق",
        "الشهر الماضي",
        "2017-01",
        "month",
        "gregorian",
        True,
        "2017-01-01",
        "2017-01-31",
    ),
    (
        "قال المتحدث أمس إن",
        "أمس",
        "2017-02-14",
        "day",
        "gregorian",
        True,
        "2017-02-14",
        "2017-02-14",
    ),
    (
        "وقعت الغارة أمس الأول قرب",
        "أمس الأول",
        "2017-02-13",
        "day",
        "gregorian",
        True,
        "2017-02-13",
        "2017-02-13",
    ),
    (
        "تبدأ المفاوضات غداً في جنيف",
        "غداً",
        "2017-02-16",
        "day",
        "gregorian",
        True,
        "2017-02-16",
        "2017-02-16",
    ),
    (
        "أعلن الجيش اليوم السيطرة",
        "اليوم",
        "2017-02-15",
        "day",
        "gregorian",
        True,
        "2017-02-15",
        "2017-02-15",
    ),
    (
        "اجتمعوا الأسبوع الماضي في",
        "الأسبوع الماضي",
        "2017-W06",
        "week",
        "gregorian",
        True,
        "2017-02-06",
        "2017-02-12",
    ),
    (
        "خلال الشهر الجاري",
        "الشهر الجاري",
        "2017-02",
        "month",
        "gregorian",
        True,
        "2017-02-01",
        "2017-02-28",
    ),
    (
        "تراجع العام الماضي",
        "العام الماضي",
        "2016",
        "year",
        "gregorian",
        True,
        "2016-01-01",
        "2016-12-31",
    ),
    (
        "ارتفع في السنة الماضية",
        "السنة الماضية",
        "2016",
        "year",
        "gregorian",
        True,
        "2016-01-01",
        "2016-12-31",
    ),
    (
        "ستجري في العام المقبل",
        "العام المقبل",
        "2018",
        "year",
        "gregorian",
        True,
        "2018-01-01",
        "2018-12-31",
    ),
    (
        "قتل قبل يومين في",
        "قبل يومين",
        "2017-02-13",
        "day",
        "gregorian",
        True,
        "2017-02-13",
        "2017-02-13",
    ),
    (
        "اعتقل قبل ثلاثة أيام",
        "قبل ثلاثة أيام",
        "2017-02-12",
        "day",
        "gregorian",
        True,
        "2017-02-12",
        "2017-02-12",
    ),
    (
        "وصل قبل أسبوع إلى",
        "قبل أسبوع",
        "2017-W06",
        "week",
        "gregorian",
        True,
        "2017-02-06",
        "2017-02-12",
    ),
    (
        "مفقود منذ شهرين",
        "منذ شهرين",
        "2016-12",
        "month",
        "gregorian",
        True,
        "2016-12-01",
        "2016-12-31",
    ),
    ("انضم قبل عامين", "قبل عامين", "2015", "year", "gregorian", True, "2015-01-01", "2015-12-31"),
    (
        "غادر قبل 5 سنوات",
        "قبل 5 سنوات",
        "2012",
        "year",
        "gregorian",
        True,
        "2012-01-01",
        "2012-12-31",
    ),
    (
        "قصفت الطائرات الأحد الماضي",
        "الأحد الماضي",
        "2017-02-12",
        "day",
        "gregorian",
        True,
        "2017-02-12",
        "2017-02-12",
    ),
    (
        "يعقد الخميس المقبل اجتماع",
        "الخميس المقبل",
        "2017-02-16",
        "day",
        "gregorian",
        True,
        "2017-02-16",
        "2017-02-16",
    ),
    (
        "وقع الانفجار يوم الجمعة في",
        "يوم الجمعة",
        "2017-02-10",
        "day",
        "gregorian",
        True,
        "2017-02-10",
        "2017-02-10",
    ),
]


@pytest.mark.parametrize(
    ("sentence", "span", "value", "precision", "cal", "relative", "low", "high"), CASES
)
def test_date_cases(
    sentence: str,
    span: str,
    value: str,
    precision: str,
    cal: str,
    relative: bool,
    low: str | None,
    high: str | None,
) -> None:
    m = only(sentence)
    assert m.text == span
    assert sentence[m.start : m.end] == m.text
    assert (m.value, m.precision, m.calendar, m.relative) == (value, precision, cal, relative)
    assert (m.gregorian_low, m.gregorian_high) == (low, high)
    assert m.resolved


NEGATIVES = [
    "مارس التنظيم الضغط على السكان",  # مارس = practised
    "وصل أب الضحية إلى المستشفى",
    "يصوم المسلمون في رمضان",  # a Hijri month without a year is a season
    "وصل عدد المقاتلين إلى 2000 عنصر",
    "قتل 25 شخصا في الهجوم",
    "في اليوم الثاني من المعركة",
    "القائد العام للجيش هو عمر الشيشاني",
    "بلغ النمو 2.5 بالمئة",
    "اتصل على 0933123456",
    "أرسل في 2000 عنصر إلى الجبهة",
    "خلال الأيام الماضية",
    "يصلي المسلمون الجمعة في المسجد",
    "في ربيع الأول من العمر",
    "في الساعة 10:30 صباحا",
]


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_no_false_dates(sentence: str) -> None:
    assert find_dates(sentence, REF) == []


def test_relative_without_reference_is_unresolved() -> None:
    m = only("عثر الجيش الشهر الماضي على الوثائق", None)
    assert (m.relative, m.resolved, m.value, m.precision) == (True, False, "", "month")
    assert m.gregorian_low is None
    partial = only("في 20 ديسمبر سقطت المدينة", None)
    assert (partial.value, partial.resolved) == ("--12-20", False)


def test_hijri_value_is_kept() -> None:
    m = only("في 15 رمضان 1437 هـ")
    assert m.hijri == "1437-09-15"
    assert only("محرم 1436هـ").hijri == "1436-01"


def test_datetime_reference_and_bad_input() -> None:
    m = only("قال أمس", dt.datetime(2018, 3, 1, 10, 0))
    assert m.value == "2018-02-28"
    with pytest.raises(InputError):
        find_dates("أمس", "2018-03-01")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        find_dates(None)  # type: ignore[arg-type]
    assert find_dates("") == []


def test_leap_day_without_year_takes_a_leap_year() -> None:
    m = only("في 29 فبراير", dt.date(2017, 1, 1))
    assert m.value == "2016-02-29"


def test_impossible_dates_are_dropped() -> None:
    found = find_dates("في 31/02/2016 و 40 مارس 2016", REF)
    assert [(m.text, m.precision) for m in found] == [("مارس 2016", "month")]


def test_original_offsets_with_marks() -> None:
    text = "وَفِي الشَّهْرِ المَاضِي وَغَداً"
    matches = find_dates(text, REF)
    assert [m.value for m in matches] == ["2017-01", "2017-02-16"]
    for m in matches:
        assert text[m.start : m.end] == m.text
    assert matches[0].text == "الشَّهْرِ المَاضِي"


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("Sun, 18 Feb 2018 21:35:43 +0400", "2018-02-18T21:35:43+04:00"),
        ("Mon, 19 Feb 2018 08:00:00 GMT", "2018-02-19T08:00:00+00:00"),
        ("2018-02-18", "2018-02-18"),
        ("2018-02-18T21:35:43Z", "2018-02-18T21:35:43+00:00"),
        ("2018-02-18 21:35", "2018-02-18T21:35:00"),
        ("18 فبراير 2018", "2018-02-18"),
        ("الأحد 18 شباط 2018 - 21:35", "2018-02-18T21:35:00"),
        ("١٨/٢/٢٠١٨", "2018-02-18"),
        ("February 18, 2018", "2018-02-18"),
        ("18 Feb 2018", "2018-02-18"),
        ("  ", None),
        ("منذ ساعة", None),
        ("not a date", None),
    ],
)
def test_parse_publication_date(raw: str, iso: str | None) -> None:
    assert parse_publication_date(raw) == iso


def test_examples(examples_dir: Path) -> None:
    text = (examples_dir / "mosul-foreign-fighters.txt").read_text(encoding="utf-8")
    matches = find_dates(text, dt.date(2017, 3, 10))
    got = [(m.text, m.value, m.precision) for m in matches]
    assert got == [
        ("الشهر الماضي", "2017-02", "month"),
        ("عام 2015", "2015", "year"),
        ("عام 2016", "2016", "year"),
        ("الشهر الماضي", "2017-02", "month"),
    ]


def test_pipeline_component(examples_dir: Path) -> None:
    text = (examples_dir / "mosul-foreign-fighters.txt").read_text(encoding="utf-8")
    doc = Document(text=text, sha256="0" * 64, source_uri="test", published="2017-03-10T09:00:00")
    analysis = Pipeline([registry.create("text.dates")])(doc)
    dates = [m for m in analysis.mentions if m.type == "DATE"]
    assert [m.norm for m in dates] == ["2017-02", "2015", "2016", "2017-02"]
    first = dates[0]
    assert first.component == "text.dates.v1"
    assert first.value["relative"] is True and first.value["gregorian_low"] == "2017-02-01"
    assert all(text[m.start : m.end] == m.text for m in dates)


def test_component_without_publication_date() -> None:
    doc = Document(text="قال أمس في عام 2015", sha256="0" * 64, source_uri="t")
    analysis = Pipeline([registry.create("text.dates")])(doc)
    assert [(m.text, m.value["resolved"]) for m in analysis.mentions] == [
        ("أمس", False),
        ("عام 2015", True),
    ]


_PIECES = [
    "في",
    "عام",
    "2016",
    "٢٠١٥",
    "5",
    "مارس",
    "آذار",
    "كانون",
    "الثاني",
    "تشرين",
    "الأول",
    "15",
    "رمضان",
    "1437",
    "هـ",
    "الشهر",
    "الماضي",
    "أمس",
    "غداً",
    "قبل",
    "يومين",
    "ثلاثة",
    "أيام",
    "يوم",
    "الأحد",
    "المقبل",
    "منتصف",
    "12/03/2016",
    "2016-03-12",
    "31/02/2016",
    "التاسع",
    "من",
    "/",
    "(",
    ")",
    "،",
    "\n",
    "ـ",
    "م",
    "التسعينيات",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25), st.booleans())
def test_random_pieces_keep_offsets(pieces: list[str], with_reference: bool) -> None:
    text = " ".join(pieces)
    for m in find_dates(text, REF if with_reference else None):
        assert text[m.start : m.end] == m.text
        assert m.precision in ("day", "week", "month", "year", "decade")
        if m.resolved:
            assert m.gregorian_low is not None and m.gregorian_high is not None
            assert m.gregorian_low <= m.gregorian_high
