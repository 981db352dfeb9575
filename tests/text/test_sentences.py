"""Sentence splitting on news-style Arabic (and some English)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasid.text.sentences import split_sentences


def _texts(text: str) -> list[str]:
    sentences = split_sentences(text)
    for i, sentence in enumerate(sentences):
        assert sentence.index == i
        assert sentence.end > sentence.start
        surface = text[sentence.start : sentence.end]
        assert surface == surface.strip()
    return [text[s.start : s.end] for s in sentences]


def test_stops_and_arabic_question_mark() -> None:
    text = "قتل عمر الشيشاني. ومن هو جيش دابق؟ لا أحد يعرف! وماذا بعد…"
    assert _texts(text) == [
        "قتل عمر الشيشاني.",
        "ومن هو جيش دابق؟",
        "لا أحد يعرف!",
        "وماذا بعد…",
    ]


def test_spaced_stops_end_sentences_but_spaced_commas_do_not() -> None:
    text = (
        "لكن دائماً يكون هناك اسرار لا تكشف . التنظيم بدوره ينشر الفيديوهات , ولكن "
        "التنظيم حرص على إخفاء أمر واحد ؟ ومن هو جيش الخلافة ؟ "
    )
    assert _texts(text) == [
        "لكن دائماً يكون هناك اسرار لا تكشف .",
        "التنظيم بدوره ينشر الفيديوهات , ولكن التنظيم حرص على إخفاء أمر واحد ؟",
        "ومن هو جيش الخلافة ؟",
    ]


def test_lines_and_paragraphs() -> None:
    text = (
        "داعش تواجه رفض مقاتليها الأجانب\n\n8\n\nأخبار ليبيا 24-خاص\n"
        "قالت صحيفة واشنطن بوست إن ملفا حصل عليه الجيش العراقي.\n"
        "الصورة تعبيرية\nالصورة تعبيرية\n"
    )
    assert _texts(text) == [
        "داعش تواجه رفض مقاتليها الأجانب",
        "8",
        "أخبار ليبيا 24-خاص",
        "قالت صحيفة واشنطن بوست إن ملفا حصل عليه الجيش العراقي.",
        "الصورة تعبيرية",
        "الصورة تعبيرية",
    ]


def test_soft_wrapped_lines_are_joined() -> None:
    text = "وقال المتحدث باسم الجيش،\nإن القوات تقدمت نحو المدينة.\n\nجملة أخرى."
    assert _texts(text) == [
        "وقال المتحدث باسم الجيش،\nإن القوات تقدمت نحو المدينة.",
        "جملة أخرى.",
    ]


def test_decimals_and_arabic_decimal_separator() -> None:
    text = "ارتفع المؤشر 4.5 نقطة و٢٫٥ بالمئة. وهبط الدولار."
    assert _texts(text) == ["ارتفع المؤشر 4.5 نقطة و٢٫٥ بالمئة.", "وهبط الدولار."]


def test_short_quotation_in_mid_sentence_is_not_split() -> None:
    text = (
        'وقال التميمي إن "الناس يعتقدون. إن التجربة مشوقة!" بحسب الصحيفة. '
        "وأكد «لن نتراجع. أبدا» في بيان."
    )
    assert _texts(text) == [
        'وقال التميمي إن "الناس يعتقدون. إن التجربة مشوقة!" بحسب الصحيفة.',
        "وأكد «لن نتراجع. أبدا» في بيان.",
    ]


def test_closing_quote_after_the_stop_stays_with_the_sentence() -> None:
    text = "قال القائد ” سنبقى هنا . “ ثم غادر. وأضاف «انتهى الأمر.» وذهب."
    assert _texts(text) == [
        "قال القائد ” سنبقى هنا . “",
        "ثم غادر.",
        "وأضاف «انتهى الأمر.»",
        "وذهب.",
    ]


def test_missing_space_after_a_stop_between_arabic_words() -> None:
    assert _texts("عناصر التنظيم الآخرين.لا يسمح للسوريين بدخول الجيش.") == [
        "عناصر التنظيم الآخرين.",
        "لا يسمح للسوريين بدخول الجيش.",
    ]
    # Letter abbreviations are not sentence ends: أ.ف.ب (AFP)
    assert _texts("نقلت وكالة أ.ف.ب. عن مصدر أمني قوله.") == [
        "نقلت وكالة أ.ف.ب. عن مصدر أمني قوله."
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. Army and Dr. Smith met at 10 a.m. on Monday. They left.",
            ["The U.S. Army and Dr. Smith met at 10 a.m. on Monday.", "They left."],
        ),
        (
            "J. Smith wrote it, e.g. the report. Then he left.",
            ["J. Smith wrote it, e.g. the report.", "Then he left."],
        ),
        ("It grew by approx. three percent. Fine.", ["It grew by approx. three percent.", "Fine."]),
        ("He paused... then he spoke. Done.", ["He paused... then he spoke.", "Done."]),
    ],
)
def test_latin_abbreviations(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_list_markers_are_not_sentences() -> None:
    assert _texts("1. انسحاب القوات من المدينة") == ["1. انسحاب القوات من المدينة"]


def test_no_empty_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences("  \n\n \u200f \n") == []
    assert _texts("...  !!") == ["...  !!"]
    assert _texts("انتهى . .") == ["انتهى . ."]


def test_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        split_sentences(3)  # type: ignore[arg-type]


def test_examples(examples_dir: Path) -> None:
    raqqa = (examples_dir / "raqqa-caliphate-army.txt").read_text(encoding="utf-8")
    sentences = _texts(raqqa)
    assert sentences[0].startswith("من هي القوات الخاصة") and sentences[0].endswith("دابق “")
    assert sentences[1] == "خاص الرقة تذبح بصمت"
    assert any(s.endswith("لا تكشف .") for s in sentences)
    assert "ومن هو جيش الخلافة او جيش دابق ؟" in sentences
    assert not any(s in {".", ",", "؟"} for s in sentences)
    mosul = (examples_dir / "mosul-foreign-fighters.txt").read_text(encoding="utf-8")
    sentences = _texts(mosul)
    assert sentences[0] == "داعش تواجه رفض مقاتليها الأجانب المشاركة في معركة الموصل"
    assert all(len(s) < 1200 for s in sentences)


def test_arabic_spelt_initials_and_web_names() -> None:
    text = "وقال بنك جيه. بي. مورغان إن موقع العربية.نت نشر التقرير. وأضاف البنك."
    assert _texts(text) == [
        "وقال بنك جيه. بي. مورغان إن موقع العربية.نت نشر التقرير.",
        "وأضاف البنك.",
    ]


def test_double_dot_is_a_pause() -> None:
    assert _texts("علموا أولادكم الآن.. وليس غدا. ثم انتهى...") == [
        "علموا أولادكم الآن.. وليس غدا.",
        "ثم انتهى...",
    ]


def test_other_line_endings() -> None:
    text = "العنوان\r\nقال المتحدث،\r\nإن القوات تقدمت.\r\n\r\nجملة\rأخرى\u2029ثالثة"
    assert _texts(text) == [
        "العنوان",
        "قال المتحدث،\r\nإن القوات تقدمت.",
        "جملة",
        "أخرى",
        "ثالثة",
    ]
