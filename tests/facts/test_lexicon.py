"""Lexicons: one pattern per kind of entry, gated by the entries alone."""

from __future__ import annotations

from rasid.facts.lexicon import build_lexicon, fold


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
