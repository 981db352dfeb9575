"""The search vocabulary: index terms of tokens, query terms, query parsing."""

from __future__ import annotations

import pytest

from rasid.kb.query import (
    Phrase,
    fts_expression,
    index_text,
    match_spans,
    parse_query,
    phrase_in_row,
    row_matches,
    row_spans,
    search_terms,
    search_units,
    text_match_spans,
    text_search_units,
    token_terms,
)
from rasid.text.sentences import split_sentences
from rasid.text.tokenize import tokenize


def _terms(word: str) -> tuple[str, ...]:
    (token,) = tokenize(word)
    return token_terms(token)


def test_index_terms_take_off_proclitic_chains() -> None:
    assert "منبج" in _terms("لمنبج")
    assert "منبج" in _terms("بمنبج")
    assert "منبج" in _terms("وبمنبج")
    assert "رقه" in _terms("بالرقة")
    assert "رقه" in _terms("للرقة")
    assert "جيش" in _terms("لجيش")
    assert _terms("منبج") == ("منبج",)


def test_short_remainders_and_lone_kaf_are_not_clitics() -> None:
    assert "بير" not in _terms("كبير")  # ك alone is not taken off
    assert "حر" not in _terms("بحر")  # two letters left without the article
    assert "حر" in _terms("الحر")


def test_punctuation_has_no_terms_and_latin_is_folded() -> None:
    assert _terms("،") == ()
    assert _terms("Mosul") == ("mosul",)
    assert _terms("1,500") == ("1500",)


def test_query_words_become_their_stem() -> None:
    assert search_terms("الرَّقَّة") == search_terms("رقة") == ["رقه"]
    assert search_terms("أبو محمد") == ["ابو", "محمد"]
    assert search_terms("٣٠٠٠") == ["3000"]
    assert search_terms("  ،  ") == []


def test_index_rows_keep_token_boundaries() -> None:
    row = index_text(tokenize("انضم لجيش دابق."))
    assert row.count(" ") == 2  # three tokens, the full stop has no terms
    assert phrase_in_row(row, Phrase(("جيش", "دابق")))
    assert not phrase_in_row(row, Phrase(("دابق", "جيش")))
    assert phrase_in_row(row, Phrase(("جيش", "داب"), prefix=True))


def test_search_units_from_text_equal_those_from_tokens() -> None:
    texts = [
        "قالت مصادر محلية إن ٣٠٠٠ مقاتل قتلوا قرب مَنْبِج.\nوقال مسؤول لـداعش: «لا».",
        "و٤٫٥ بالمئة، ب1,500 دولار؛ الـ50 جنديا وبالرقة 🇸🇾 👍🏽 O'Neil قال...",
        "لا شيء هنا سوى ـــ ً ، و ، ثم‌ها\u200fنا مسئول ومسؤول",
        "   ",
    ]
    for text in texts:
        sentences = split_sentences(text)
        for title in (None, "عنوان: بمنبج"):
            expected = search_units(tokenize(text), sentences, title)
            assert text_search_units(text, sentences, title) == expected
        # A title's row, made without tokens, is the row of its tokens.
        title_units = text_search_units("", [], text)
        assert [row for _, row in title_units] == [index_text(tokenize(text))] * len(title_units)


def test_parse_query() -> None:
    parsed = parse_query('جيش "عمر الشيشاني" OR «ابو محمد» -حلب -"ريف دمشق" دابق*')
    assert [[p.terms for p in group] for group in parsed.required] == [
        [("جيش",)],
        [("عمر", "شيشاني"), ("ابو", "محمد")],
        [("دابق",)],
    ]
    assert parsed.required[2][0].prefix
    assert [[p.terms for p in group] for group in parsed.excluded] == [
        [("حلب",)],
        [("ريف", "دمشق")],
    ]


def test_parse_query_never_passes_syntax_through() -> None:
    assert parse_query('"').empty
    assert parse_query("OR").empty
    assert parse_query("( ) * ^ :").empty
    assert [g[0].terms for g in parse_query("a OR").required] == [("a",)]
    assert [g[0].terms for g in parse_query("NEAR(a, 2)").required] == [("near", "a"), ("2",)]


def test_fts_expressions_are_quoted() -> None:
    assert fts_expression(Phrase(("منبج",))) == '"منبج"'
    assert fts_expression(Phrase(("a", "b"), prefix=True)).startswith('NEAR("a" "b" *, ')


def test_match_spans_point_at_the_original_words() -> None:
    text = "قال أبو مُحمّد إن لجيش دابق مقراً."
    tokens = tokenize(text)
    spans = match_spans(tokens, [Phrase(("جيش", "دابق")), Phrase(("محمد",))])
    assert [text[s:e] for s, e in spans] == ["مُحمّد", "لجيش", "دابق"]


def test_text_match_spans_equal_match_spans_over_tokens() -> None:
    text = (
        "وقال المقدم مهند التميمي لـ«واشنطن بوست» إن جيش الخلافة، والجيش العراقي، "
        "وبالموصل ٤٠٠٠ عنصر؛ وللجيش مقرات في مطار الجراح."
    )
    queries = [
        [Phrase(("جيش",))],
        [Phrase(("موصل",)), Phrase(("عنصر",))],
        [Phrase(("جيش", "خلافه"))],  # a phrase: the token path
        [Phrase(("مطار",), prefix=True)],
        [Phrase(("غائب",))],
    ]
    for phrases in queries:
        assert text_match_spans(text, phrases) == match_spans(tokenize(text), phrases)
    assert text_match_spans(text, [Phrase(("جيش",))])  # the test is not vacuous


def test_an_expander_adds_arabic_alternatives_to_latin_pieces() -> None:
    asked: list[str] = []

    def expander(text: str) -> list[str]:
        asked.append(text)
        return {"Manbij": ["منبج"], "Omar al-Shishani": ["عمر الشيشاني"]}.get(text, [])

    parsed = parse_query('Manbij "Omar al-Shishani" -Manbij جيش', expander)
    assert [[p.terms for p in group] for group in parsed.required] == [
        [("manbij",), ("منبج",)],
        [("omar", "al", "shishani"), ("عمر", "شيشاني")],
        [("جيش",)],
    ]
    assert [[p.terms for p in group] for group in parsed.excluded] == [[("manbij",), ("منبج",)]]
    assert "جيش" not in asked  # only Latin pieces are expanded


_ROW_TEXTS = [
    "وقال المقدم مهند التميمي لـ«واشنطن بوست» إن جيش الخلافة، والجيش العراقي، "
    "وبالموصل ٤٠٠٠ عنصر؛ وللجيش مقرات في مطار الجراح.",
    "Clashes in Manbij: 1,500 fighters 🙂 ـــ وصلوا إلى منبج (ريف حلب) — جيش 2016!",
    "جيش جيش الجيش/جيش ... ؟ منبج.منبج",
]
_ROW_QUERIES = [
    [Phrase(("جيش",))],
    [Phrase(("موصل",)), Phrase(("عنصر",))],
    [Phrase(("جيش", "خلافه"))],
    [Phrase(("مطار",), prefix=True)],
    [Phrase(("منبج",)), Phrase(("manbij",)), Phrase(("1500",))],
    [Phrase(("غائب",))],
]


@pytest.mark.parametrize("cold", [False, True])
def test_row_matches_and_row_spans_equal_match_spans(
    cold: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rasid.kb.query as query_module

    hits = 0
    for text in _ROW_TEXTS:
        row = index_text(tokenize(text))
        if cold:  # forms never seen: told apart without analysing them
            monkeypatch.setattr(query_module, "_cache", {})
        for phrases in _ROW_QUERIES:
            occurrences = row_matches(row, phrases)
            pieces = [first + k for first, count in occurrences for k in range(count)]
            spans = row_spans(text, row, pieces)
            assert spans == match_spans(tokenize(text), phrases), (text, phrases)
            hits += len(spans)
    assert hits > 10  # the test is not vacuous


def test_row_spans_refuse_a_row_that_is_not_the_passages() -> None:
    text = "وصل الرتل إلى منبج."
    other = index_text(tokenize("وصل رتل كبير جدا إلى منبج."))
    assert row_spans(text, other, [4]) is None
    assert row_spans(text, index_text(tokenize("وصل الجيش إلى منبج.")), [1]) is None
    assert row_spans(text, index_text(tokenize(text)), []) == []


def test_row_matches_count_each_occurrence_once() -> None:
    row = index_text(tokenize("جيش الجيش وجيش منبج جيش"))
    assert row_matches(row, [Phrase(("جيش",))]) == [(0, 1), (1, 1), (2, 1), (4, 1)]
    assert row_matches(row, [Phrase(("جيش", "منبج"))]) == [(2, 2)]
    assert row_matches(row, [Phrase(("من",), prefix=True)]) == [(3, 1)]


def test_phrase_in_row_agrees_with_the_phrase_pattern() -> None:
    from rasid.kb.query import _phrase_pattern

    rows = [index_text(tokenize(text)) for text in _ROW_TEXTS]
    rows.append("جيش/يش دابق جيش دابق/ابق جيش")
    phrases = {Phrase(("جيش", "دابق")), Phrase(("دابق", "جيش")), Phrase(("يش", "ابق"))}
    for row in rows:
        pieces = [piece.split("/") for piece in row.split(" ")]
        for i in range(len(pieces) - 2):
            phrases.add(Phrase((pieces[i][-1], pieces[i + 1][0])))
            phrases.add(Phrase((pieces[i][0], pieces[i + 2][0])))
            phrases.add(Phrase((pieces[i][0], pieces[i + 1][-1], pieces[i + 2][0])))
    found = 0
    for row in rows:
        for phrase in phrases:
            expected = _phrase_pattern(phrase).search(row) is not None
            assert phrase_in_row(row, phrase) is expected, (row, phrase)
            found += expected
    assert found > 20  # both outcomes are exercised
