"""The search vocabulary: index terms of tokens, query terms, query parsing."""

from __future__ import annotations

from rasid.kb.query import (
    Phrase,
    fts_expression,
    index_text,
    match_spans,
    parse_query,
    phrase_in_row,
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
