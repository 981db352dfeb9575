"""Folding of each character class, and the offset map back to the original."""

from __future__ import annotations

import pytest

from rasid.text.normalize import FOLD_TABLE, NormalizedText, fold, normalize, normalize_key


def _check_map(original: str, result: NormalizedText) -> None:
    assert len(result.offsets) == len(result.text) + 1
    assert result.offsets[-1] == len(original)
    assert list(result.offsets) == sorted(result.offsets)
    assert all(0 <= o <= len(original) for o in result.offsets)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("أحمد", "احمد"),
        ("إبراهيم", "ابراهيم"),
        ("آلاف", "الاف"),
        ("ٱلرحمن", "الرحمن"),
        ("مستشفى", "مستشفي"),
        ("الرقة", "الرقه"),
        ("مسؤول", "مسوول"),
        ("رئيس", "رييس"),
        ("یک", "يك"),
    ],
)
def test_letter_variants_fold(raw: str, folded: str) -> None:
    assert normalize(raw).text == folded
    assert normalize_key(raw) == folded


def test_harakat_and_tatweel_are_removed() -> None:
    raw = "قُتِلَ الـقـائـدُ عُمَرُ الشِّيشَانِيُّ"
    assert normalize(raw).text == "قتل القايد عمر الشيشاني"
    assert fold("ـــ") == ""
    # superscript alef and Quranic marks
    assert fold("هٰذا ۖ") == "هذا "


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("٤٠٠٠ عنصر", "4000 عنصر"),
        ("۱۵۰۰", "1500"),
        ("١٬٥٠٠", "1,500"),
        ("٤٫٥", "4.5"),
        ("٥٠٪", "50%"),
        ("قال، ثم؛ لماذا؟", "قال, ثم; لماذا?"),
    ],
)
def test_digits_and_arabic_punctuation(raw: str, folded: str) -> None:
    assert normalize(raw).text == folded


def test_quotes_dashes_and_latin_case() -> None:
    assert fold("” داعش “ «الدولة» „x‟ ‘y’") == '" داعش " "الدوله" "x" \'y\''
    assert fold("Washington Post – ISIS") == "washington post - isis"
    assert fold("İSTANBUL") == "istanbul"


def test_invisible_controls_are_removed_with_a_correct_map() -> None:
    raw = "\u200fمنبج\u200e \ufeffالباب\u061c\u202bx\u202c"
    result = normalize(raw)
    assert result.text == "منبج الباب" + "x"
    _check_map(raw, result)
    start = result.text.index("الباب")
    s, e = result.to_original(start, start + len("الباب"))
    assert raw[s:e] == "الباب"


def test_presentation_forms_change_length_and_map_back() -> None:
    # As extracted from PDFs: lam-alef ligatures and contextual letter forms.
    raw = "ﻻ ﺗﻜﺸﻒ ﻷﻥ ﷲ"
    result = normalize(raw)
    assert result.text == "لا تكشف لان الله"
    _check_map(raw, result)
    # "لا" (two folded characters) comes from one original character
    assert result.to_original(0, 2) == (0, 1)
    assert result.to_original(0, 1) == (0, 1)
    assert result.to_original(1, 2) == (0, 1)
    start = result.text.index("الله")
    assert result.to_original(start, start + 4) == (len(raw) - 1, len(raw))


def test_to_original_is_tight_around_deleted_characters() -> None:
    raw = "جَيْشُ الخِلافَة"
    result = normalize(raw)
    assert result.text == "جيش الخلافه"
    s, e = result.to_original(0, 3)
    # The final damma is deleted and outside the tightest span.
    assert raw[s:e] == "جَيْش"
    s, e = result.to_original(4, len(result.text))
    assert raw[s:e] == "الخِلافَة"
    assert result.to_original(3, 3) == (result.offsets[3], result.offsets[3])


def test_plain_text_gets_the_identity_map() -> None:
    raw = "ولكن الجيش بقي متواجد سرا, 1500 عنصر"
    result = normalize(raw)
    assert list(result.offsets) == list(range(len(result.text) + 1))


def test_to_original_rejects_spans_outside_the_text() -> None:
    result = normalize("منبج")
    with pytest.raises(ValueError):
        result.to_original(2, 9)
    with pytest.raises(ValueError):
        result.to_original(3, 2)
    with pytest.raises(ValueError):
        result.to_original_index(-1)


def test_whitespace_is_kept_by_normalize_and_collapsed_by_normalize_key() -> None:
    raw = "  جيش\u00a0\u00a0 دابق\n\nالرقة  "
    assert normalize(raw).text == "  جيش   دابق\n\nالرقه  "
    assert normalize_key(raw) == "جيش دابق الرقه"
    assert normalize_key("\u200f") == ""


def test_normalize_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        normalize(b"bytes")  # type: ignore[arg-type]


def test_normalized_text_is_frozen() -> None:
    result = normalize("داعش")
    with pytest.raises(AttributeError):
        result.text = "x"  # type: ignore[misc]


def test_presentation_mark_forms_leave_no_space() -> None:
    # Isolated shadda/harakat forms decompose to a space plus marks under NFKC.
    assert fold("\ufc5e") == ""
    assert fold("\ufe7c") == ""
    assert normalize("ب\ufc60ت").text == "بت"


def test_fold_by_replacements_equals_the_table() -> None:
    # fold() replaces character by character; that equals one str.translate
    # only while no replacement holds a character that folds again.
    foldable = {chr(cp) for cp in FOLD_TABLE}
    assert not [cp for cp, rep in FOLD_TABLE.items() if foldable.intersection(rep)]
    text = "".join(chr(cp) for cp in sorted(FOLD_TABLE)) + " قالَت «مصادر» ٣٠٠ ﻻ ABC " * 3
    assert fold(text) == text.translate(FOLD_TABLE)
    assert fold("أ") == "ا"
