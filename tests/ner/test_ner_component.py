"""The ``ner.crf`` component: registration, offsets, clitics, odd input."""

from __future__ import annotations

import pytest

from rasid.model import Analysis, Document
from rasid.ner.component import ENTITY_TYPES, NerTagger
from rasid.pipeline import Pipeline, registry
from rasid.text.sentences import split_sentences
from rasid.text.tokenize import tokenize


def _run(tagger: NerTagger, text: str, sentences: bool = True) -> Analysis:
    analysis = Analysis(document=Document(text=text, sha256="-", source_uri="test"))
    if sentences:
        analysis.sentences = split_sentences(text)
    analysis.tokens = tokenize(text)
    tagger(analysis)
    for m in analysis.mentions:
        assert text[m.start : m.end] == m.text
        assert m.type in ENTITY_TYPES
        assert 0.0 <= m.confidence <= 1.0
    return analysis


def test_registered_with_its_contract() -> None:
    import rasid.ner.component
    import rasid.text.components  # noqa: F401

    component = registry.create("ner.crf")
    assert component.qualified_name == "ner.crf.v1"
    assert component.requires == ("tokens",)
    assert "mentions:PERSON" in component.assigns and "mentions:FACILITY" in component.assigns
    pipeline = Pipeline(
        [registry.create("text.sentences"), registry.create("text.tokens"), component]
    )
    analysis = pipeline(
        Document(text="زار الرئيس الفرنسي إيمانويل ماكرون بغداد.", sha256="-", source_uri="t")
    )
    assert any(m.type == "PERSON" for m in analysis.mentions)


def test_proclitic_is_trimmed_article_kept(ner_tagger: NerTagger) -> None:
    analysis = _run(ner_tagger, "وصل الوفد إلى سوريا والعراق وبغداد أمس.")
    texts = {m.text for m in analysis.mentions if m.type == "GPE"}
    assert "العراق" in texts and "بغداد" in texts and "سوريا" in texts


def test_bad_input_does_not_crash(ner_tagger: NerTagger) -> None:
    assert _run(ner_tagger, "").mentions == []
    assert _run(ner_tagger, "   \n\n ").mentions == []
    assert _run(ner_tagger, "No Arabic here at all, only English. 123").mentions == []
    mixed = "قال محمد 😀 in Paris مع #سوريا @user https://example.org عن الموصل ١٢٣"
    analysis = _run(ner_tagger, mixed)
    assert any(m.text == "الموصل" for m in analysis.mentions)


@pytest.mark.slow
def test_one_megabyte_of_one_word(ner_tagger: NerTagger) -> None:
    # No punctuation, no sentences: bounded work and a valid, consistent output.
    huge = ("حلب " * 260_000)[:1_000_000]
    analysis = _run(ner_tagger, huge, sentences=False)
    assert len(analysis.mentions) <= len(analysis.tokens)
    assert {m.type for m in analysis.mentions} <= {"GPE"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وعرضت تقديم مساعدات غذائية إلى بيونغ يانغ، وتوقفت المحادثات.", "بيونغ يانغ"),
        ("باتت خطوط الملاحة في مضيق باب المندب تحت رحمة الحلف.", "باب المندب"),
    ],
)
def test_a_common_word_starting_with_a_clitic_letter_is_not_cut(
    ner_tagger: NerTagger, text: str, name: str
) -> None:
    mentions = [m.text for m in _run(ner_tagger, text).mentions]
    assert any(name in m for m in mentions), mentions
    assert not any(m.startswith(name[1:]) for m in mentions), mentions
