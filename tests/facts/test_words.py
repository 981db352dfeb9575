"""Words of a folded sentence: runs of letters and digits, and single marks."""

from __future__ import annotations

import re

from rasid.facts.lexicon import fold
from rasid.facts.words import Word, split_words


def test_words_and_their_offsets() -> None:
    folded = fold("قال: إن 1,500 مقاتل_ا وصلوا!")
    words = split_words(folded)
    assert [w.text for w in words] == [
        "قال",
        ":",
        "ان",
        "1",
        ",",
        "500",
        "مقاتل",
        "ا",
        "وصلوا",
        "!",
    ]
    assert all(folded.text[w.start : w.end] == w.text for w in words)
    assert all(type(w) is Word for w in words)


def test_the_same_words_as_one_regex_finds() -> None:
    word = re.compile(r"[^\W_]+|[^\w\s]")
    for text in ("", " ", "__", "a_b  c", " «قال» الأمير، أمس… ", "x\u0640y ١٢٣"):
        folded = fold(text)
        expected = [Word(m.group(), m.start(), m.end()) for m in word.finditer(folded.text)]
        assert split_words(folded) == expected, text
