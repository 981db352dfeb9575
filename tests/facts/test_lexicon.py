"""Lexicons: one pattern per kind of entry, gated by the entries alone."""

from __future__ import annotations

from rasid.facts.lexicon import any_entry, build_lexicon, fold, fold_spans


def test_the_gate_lets_through_every_text_the_pattern_matches() -> None:
    lexicon = build_lexicon("test", ["القائد العام", "أمير", "قصف"], "noun", "noun")
    for text in (
        "قال القائد العام للقوات",
        "وللقائد العام رأي",  # clitics before the entry
        "أمراء وأميرهم",  # a suffix after it
        "بعد قصفها المدينة",
        "قائد   العام",  # any whitespace inside
    ):
        folded = fold(text)
        assert lexicon.pattern.search(folded.text), text
        assert lexicon.search(folded), text
        assert list(lexicon.finditer(folded, text)), text


def test_the_gate_stops_a_text_without_any_entry() -> None:
    lexicon = build_lexicon("test", ["قصف"], "noun", "noun")
    folded = fold("وصلت القوات إلى المدينة")
    assert lexicon.gate.search(folded.text) is None
    assert not lexicon.search(folded) and not list(lexicon.finditer(folded, ""))
    # The entry inside a longer word passes the gate, and the pattern decides.
    assert not lexicon.search(fold("القصفيات"))


def test_any_entry_finds_every_text_one_of_the_lexicons_matches() -> None:
    first = build_lexicon("a", ["القائد العام", "أمير"], "noun", "noun")
    second = build_lexicon("b", ["قصف", "هاجم"], "verb", "verb")
    gate = any_entry([first, second])
    for text in ("وللقائد العام رأي", "أمراء وأميرهم", "بعد قصفها المدينة", "وهاجموا القرية"):
        folded = fold(text)
        assert first.search(folded) or second.search(folded), text
        assert gate.search(folded.text), text
    assert gate.search(fold("وصلت القوات إلى المدينة").text) is None


def test_fold_spans_folds_each_span_as_fold_does() -> None:
    text = "قالَ الأميرُ «٣٠٪» ـ أمس. وأكّد أن ١٢ قتيلاً سقطوا في مدينة إدلب."
    spans = [(0, 25), (26, len(text)), (3, 3), (5, 12)]
    assert fold_spans(text, spans) == [fold(text[s:e], base=s) for s, e in spans]
    plain = "قال الأمير إن القوات وصلت. ثم انسحبت."
    spans = [(0, 26), (27, len(plain))]
    assert fold_spans(plain, spans) == [fold(plain[s:e], base=s) for s, e in spans]
