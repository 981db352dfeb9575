"""Tokens, their kinds and offsets, and clitic segmentation on real Arabic."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasid.model import Token
from rasid.text.clitics import analyse_form, encode_analysis, load_analyses, load_lexicon
from rasid.text.normalize import normalize_key
from rasid.text.tokenize import iter_tokens, segment_norms, tokenize


def _pieces(word: str) -> list[tuple[str, str]]:
    (token,) = tokenize(word)
    return [(s.text, s.role) for s in token.segments]


def _check(text: str, tokens: list[Token]) -> None:
    previous_end = 0
    for token in tokens:
        assert text[token.start : token.end] == token.text
        assert token.start >= previous_end
        previous_end = token.end
        assert token.norm == normalize_key(token.text)
        assert "".join(s.text for s in token.segments) == token.text
        assert token.segments[0].start == token.start
        assert token.segments[-1].end == token.end
        for segment in token.segments:
            assert text[segment.start : segment.end] == segment.text
            assert segment.norm == normalize_key(segment.text)


def test_kinds_and_offsets_in_a_news_sentence() -> None:
    text = "قالت صحيفة «واشنطن بوست» الأمريكية إن 1,500 مقاتل (أي ٤٫٥٪) وصلوا إلى Mosul؛ 👍🏽"
    tokens = tokenize(text)
    _check(text, tokens)
    kinds = {t.text: t.kind for t in tokens}
    assert kinds["صحيفة"] == "word"
    assert kinds["«"] == "punct"
    assert kinds["1,500"] == "number"
    assert kinds["٤٫٥"] == "number"
    assert kinds["٪"] == "punct"
    assert kinds["Mosul"] == "latin"
    assert kinds["؛"] == "punct"
    assert kinds["👍🏽"] == "symbol"
    assert [t.text for t in tokens if t.kind == "number"] == ["1,500", "٤٫٥"]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("١٬٥٠٠ جندي", ["١٬٥٠٠"]),
        ("نحو 4.5 مليون", ["4.5"]),
        ("۱۲۰۰ نفر", ["۱۲۰۰"]),
        ("عام 2015، ثم 2016.", ["2015", "2016"]),
        ("بين 1, 2 و3", ["1", "2", "3"]),
        ("مساحتها 106,78 أمتار", ["106,78"]),
    ],
)
def test_numbers_with_separators(text: str, numbers: list[str]) -> None:
    tokens = tokenize(text)
    _check(text, tokens)
    assert [t.text for t in tokens if t.kind == "number"] == numbers


def test_latin_words_keep_apostrophes_and_accents() -> None:
    text = "O'Brien visited Zürich and the F-16 base"
    tokens = tokenize(text)
    _check(text, tokens)
    assert [t.text for t in tokens if t.kind == "latin"][:3] == ["O'Brien", "visited", "Zürich"]
    assert tokens[0].norm == "o'brien"


def test_invisible_controls_are_not_tokens() -> None:
    text = "\u200fمنبج\u200e \ufeffالباب\u061c"
    tokens = tokenize(text)
    _check(text, tokens)
    assert [t.text for t in tokens] == ["منبج", "الباب"]


def test_diacritics_stay_inside_the_word() -> None:
    text = "قُتِلَ عُمَرُ الشِّيشَانِيُّ"
    tokens = tokenize(text)
    _check(text, tokens)
    assert [t.norm for t in tokens] == ["قتل", "عمر", "الشيشاني"]
    assert [(s.text, s.role) for s in tokens[2].segments] == [("ال", "article"), ("شِّيشَانِيُّ", "stem")]


@pytest.mark.parametrize(
    ("word", "pieces"),
    [
        ("الجيش", [("ال", "article"), ("جيش", "stem")]),
        ("والجيش", [("و", "proclitic"), ("ال", "article"), ("جيش", "stem")]),
        ("بالجيش", [("ب", "proclitic"), ("ال", "article"), ("جيش", "stem")]),
        ("للجيش", [("ل", "proclitic"), ("ل", "article"), ("جيش", "stem")]),
        ("فالتنظيم", [("ف", "proclitic"), ("ال", "article"), ("تنظيم", "stem")]),
        ("كالمعتاد", [("ك", "proclitic"), ("ال", "article"), ("معتاد", "stem")]),
        (
            "وللمقاتلين",
            [("و", "proclitic"), ("ل", "proclitic"), ("ل", "article"), ("مقاتلين", "stem")],
        ),
        ("وبالتالي", [("و", "proclitic"), ("ب", "proclitic"), ("ال", "article"), ("تالي", "stem")]),
        ("وقال", [("و", "proclitic"), ("قال", "stem")]),
        ("وأضاف", [("و", "proclitic"), ("أضاف", "stem")]),
        ("لمنبج", [("ل", "proclitic"), ("منبج", "stem")]),
        ("بمنبج", [("ب", "proclitic"), ("منبج", "stem")]),
        ("وبمنبج", [("و", "proclitic"), ("ب", "proclitic"), ("منبج", "stem")]),
        ("وسوريا", [("و", "proclitic"), ("سوريا", "stem")]),
        ("بلبنان", [("ب", "proclitic"), ("لبنان", "stem")]),
        ("سيتم", [("س", "proclitic"), ("يتم", "stem")]),
        ("وسيتم", [("و", "proclitic"), ("س", "proclitic"), ("يتم", "stem")]),
        ("بأن", [("ب", "proclitic"), ("أن", "stem")]),
        ("بالإضافة", [("ب", "proclitic"), ("ال", "article"), ("إضافة", "stem")]),
        ("للبنان", [("ل", "proclitic"), ("لبنان", "stem")]),
        ("للجنة", [("ل", "proclitic"), ("لجنة", "stem")]),
        ("وروسيا", [("و", "proclitic"), ("روسيا", "stem")]),
        ("لوكالة", [("ل", "proclitic"), ("وكالة", "stem")]),
        ("ولا", [("و", "proclitic"), ("لا", "stem")]),
    ],
)
def test_clitics_are_split(word: str, pieces: list[tuple[str, str]]) -> None:
    assert _pieces(word) == pieces


@pytest.mark.parametrize(
    "word",
    [
        "وزير",
        "فرنسا",
        "بغداد",
        "لبنان",
        "كركوك",
        "واشنطن",
        "ولاية",
        "وكالة",
        "فريق",
        "فقط",
        "بين",
        "بعد",
        "بريطانيا",
        "لندن",
        "ليبيا",
        "كان",
        "كانت",
        "سوريا",
        "سيارة",
        "واحد",
        "وصل",
        "وسط",
        "فيصل",
        "لجنة",
        "ليس",
        "ألمانيا",
        "آلاف",
        "الذي",
        "إلى",
        "الله",
        "بوست",
        "بالي",
        "وادي",
        "سان",
        "كاملا",
        "سانا",
        "سارا",
        "لدينا",
        "ولايتها",
    ],
)
def test_words_that_begin_like_a_clitic_are_not_split(word: str) -> None:
    assert _pieces(word) == [(word, "stem")]


def test_tatweel_forms_split_explicitly() -> None:
    text = "وصل تعداد الجيش لـ ٤٠٠٠ عنصر لـداعش بـ1500 والـمُـقاتلين"
    tokens = tokenize(text)
    _check(text, tokens)
    by_text = {t.text: [(s.text, s.role) for s in t.segments] for t in tokens}
    assert by_text["لـ"] == [("لـ", "proclitic")]
    assert by_text["لـداعش"] == [("لـ", "proclitic"), ("داعش", "stem")]
    assert by_text["بـ"] == [("بـ", "proclitic")]
    assert by_text["والـمُـقاتلين"] == [
        ("و", "proclitic"),
        ("الـ", "article"),
        ("مُـقاتلين", "stem"),
    ]


def test_clitic_letter_written_onto_a_number() -> None:
    text = "و٤٫٥ و 2"
    tokens = tokenize(text)
    _check(text, tokens)
    assert [(t.text, t.segments[0].role) for t in tokens] == [
        ("و", "proclitic"),
        ("٤٫٥", "stem"),
        ("و", "stem"),
        ("2", "stem"),
    ]


def test_diacritics_on_clitics_stay_with_the_clitic() -> None:
    (token,) = tokenize("وَالْجَيْشُ")
    assert [(s.text, s.role) for s in token.segments] == [
        ("وَ", "proclitic"),
        ("الْ", "article"),
        ("جَيْشُ", "stem"),
    ]


def test_presentation_form_ligature_across_a_cut_keeps_the_word_whole() -> None:
    # "بالاسلام" with the lam-alef ligature spanning the article and the stem
    word = "باﻻسلام"
    (token,) = tokenize(word)
    assert token.norm == "بالاسلام"
    assert "".join(s.text for s in token.segments) == word
    assert all(s.end > s.start for s in token.segments)


def test_segment_norms_find_the_stem_under_clitics() -> None:
    assert segment_norms("لمنبج وبمنبج منبج") == ["منبج", "منبج", "منبج"]
    assert segment_norms("الرقة والرقة، 2015 ISIS!") == ["رقه", "رقه", "2015", "isis"]


def test_iter_tokens_matches_tokenize() -> None:
    text = "ومن هو جيش الخلافة او جيش دابق ؟"
    assert list(iter_tokens(text)) == tokenize(text)


def test_tokenize_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        tokenize(None)  # type: ignore[arg-type]


def test_examples_slice_exactly(examples_dir: Path) -> None:
    for path in sorted(examples_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        tokens = tokenize(text)
        _check(text, tokens)
        assert len(tokens) > 400
    raqqa = (examples_dir / "raqqa-caliphate-army.txt").read_text(encoding="utf-8")
    tokens = tokenize(raqqa)
    i = next(i for i, t in enumerate(tokens) if t.text == "لـ")
    assert tokens[i + 1].text == "٤٠٠٠" and tokens[i + 1].kind == "number"
    manbij = [t for t in tokens if "منبج" in t.norm]
    assert manbij and all(t.segments[-1].norm == "منبج" for t in manbij)


def test_shipped_analyses_match_the_rules() -> None:
    # The lexicon carries precomputed analyses; they must be what the rules
    # give today, or the lexicon is stale (rebuild with build_lexicon).
    counts = load_lexicon()
    analyses = load_analyses()
    assert len(counts) > 50_000
    forms = sorted(counts)[::97]
    for form in forms:
        expected = encode_analysis(analyse_form(form, counts))
        assert analyses.get(form, "") == expected, form


def test_marks_without_a_letter_are_symbols() -> None:
    text = "قال ـــ َ منبج"
    tokens = tokenize(text)
    _check(text, tokens)
    assert [(t.text, t.kind, t.norm) for t in tokens] == [
        ("قال", "word", "قال"),
        ("ـــ", "symbol", ""),
        ("َ", "symbol", ""),
        ("منبج", "word", "منبج"),
    ]


def test_tokens_are_ordinary_frozen_tokens() -> None:
    # tokenize builds Tokens and Segments without their constructors: they must
    # be the same objects the constructors make.
    import dataclasses

    from rasid.model import Segment

    text = "والجيش العراقي في الموصل، و٤٫٥ بالمئة Paris 😀"
    for token in tokenize(text):
        assert type(token) is Token
        segments = tuple(Segment(s.text, s.start, s.end, s.norm, s.role) for s in token.segments)
        assert all(type(s) is Segment for s in token.segments)
        rebuilt = Token(token.text, token.start, token.end, token.norm, token.kind, segments)
        assert token == rebuilt and hash(token) == hash(rebuilt)
        with pytest.raises(dataclasses.FrozenInstanceError):
            token.text = "x"  # type: ignore[misc]
