"""Folding and clitic splitting used by the features and the gazetteer."""

from __future__ import annotations

from rasid.ner.lexical import corpus_tokens, fold, split_proclitics, strip_conj_prep


def test_fold_unifies_variants() -> None:
    assert fold("أُسامة") == fold("اسامه") == "اسامه"
    assert fold("إلى") == "الي"
    assert fold("٤٠٠٠") == "4000"
    assert fold("مـــوصل") == "موصل"


def test_proclitics() -> None:
    assert split_proclitics("والعراق") == ("وال", "عراق")
    assert split_proclitics("بل") == ("", "بل")
    assert strip_conj_prep("والموصل") == "الموصل"
    assert strip_conj_prep("للعراق") == "العراق"
    assert strip_conj_prep("وجرابلس") == "جرابلس"


def test_corpus_tokens_split_arabic_punctuation() -> None:
    assert corpus_tokens("حلب، دمشق؟ 15%") == ["حلب", "،", "دمشق", "؟", "15", "%"]
