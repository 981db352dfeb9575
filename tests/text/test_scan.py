"""The shared fold and trigger pre-check behind numbers and dates."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rasid.errors import DataFileError
from rasid.text import number_lexicon as nl
from rasid.text.normalize import normalize_key
from rasid.text.scan import Triggers, fold_arabic, fold_key, windows


def test_fold_is_length_preserving_and_agrees_with_normalize_key() -> None:
    text = "أعلنَ إحدى القوّات ٤٠٠٠ مقاتلٍ ۱۲٪ مؤسسة ئ"
    folded = fold_arabic(text)
    assert len(folded) == len(text)
    assert folded.replace("\u0640", "") == normalize_key(text)
    assert fold_key("  الأسبوع   الماضي ") == "الاسبوع الماضي"


def test_triggers_behind_punctuation_and_proclitics() -> None:
    text = "قال «بعشرات» القتلى، وخمسة و(2016) عشراتهم الخـمـسة"
    folded = fold_arabic(text)
    finder = Triggers(["عشرات", "خمسه"])
    found = finder.offsets(folded)
    # "عشراتهم" is another word; "الخـمـسة" has the article, which is no proclitic
    assert [text[o : o + 6] for o in found] == ["بعشرات", "وخمسة "]
    with_digits = Triggers(["عشرات", "خمسه"], digits=True).offsets(folded)
    assert [text[o : o + 4] for o in with_digits] == ["بعشر", "وخمس", "2016"]


def test_triggers_take_whole_words_only() -> None:
    folded = fold_arabic("الطعام عام عامر")
    assert Triggers(["عام"]).offsets(folded) == [7]


def test_triggers_allow_diacritics_inside_words() -> None:
    text = "في الشَّهْرِ الماضي"
    assert Triggers(["الشهر"]).offsets(fold_arabic(text)) == [3]


def test_weak_triggers_need_a_digit_nearby() -> None:
    finder = Triggers(["في", "عام"], digits=True, weak=["في"])
    folded = fold_arabic("في البيت الكبير في 2014 وفي عام")
    assert finder.offsets(folded) == [16, 19, 28]


def test_windows_merge_and_snap_to_spaces() -> None:
    text = "أ " * 100
    spans = windows(text, [10, 20, 150], 6, 8)
    assert spans == [(4, 29), (144, 159)]
    assert all(lo == 0 or text[lo - 1] == " " for lo, _ in spans)


@pytest.fixture
def fresh_lexicon() -> Iterator[None]:
    nl.number_lexicon.cache_clear()
    yield
    nl.number_lexicon.cache_clear()


def test_broken_lexicon_is_a_data_file_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_lexicon: None
) -> None:
    (tmp_path / "data" / "lexicon").mkdir(parents=True)
    (tmp_path / "data" / "lexicon" / "numbers.yaml").write_text("units: [1, 2\n", "utf-8")
    monkeypatch.setattr(nl.resources, "files", lambda _pkg: tmp_path)
    with pytest.raises(DataFileError):
        nl.number_lexicon()
    (tmp_path / "data" / "lexicon" / "numbers.yaml").write_text("units: {}\n", "utf-8")
    with pytest.raises(DataFileError):
        nl.number_lexicon()


def test_lexicon_loads() -> None:
    lex = nl.number_lexicon()
    assert lex.words["خمسه"] == ("unit", 5.0)
    assert nl.counted_noun_class("مقاتلين") == "person"
    assert nl.counted_noun_class("بيت") is None


def test_offsets_equal_the_one_regex_definition() -> None:
    from rasid.text.dates import _lexicon
    from rasid.text.number_lexicon import number_lexicon
    from rasid.text.scan import _DIGIT, _WEAK_REACH, fold_arabic

    texts = [
        "و2016 الـ50 يتجاوز10 1,500 ٢٠١٦ بـ3 وب4 فلـ5 ال7 x.5 a/6 في 2014 في آذار",
        "آذار 2016 قتل 3 وجرح خمسة، وفي 5 نيسان/أبريل الماضي.",
        "2016آذار ال5 ا5 .و5 :ل6 -7 (ثلاثة) «عشرين» مئات الآلاف",
        "قالت مصادر إن نحو ثلاثين مقاتلا قتلوا يوم الاثنين، بعد 48 ساعة من القصف",
    ]
    for finder in (_lexicon().finder, number_lexicon().finder):
        for text in texts:
            folded = fold_arabic(text)
            expected = []
            for m in finder.regex.finditer(folded):
                key = m.group("k")
                if finder.weak and key is not None:
                    key = key.replace("\u0640", "")
                    weak = key in finder.weak
                    if weak and _DIGIT.search(folded, m.end(), m.end() + _WEAK_REACH) is None:
                        continue
                expected.append(m.start())
            assert finder.offsets(folded) == expected, text
