"""The numpy CRF decoder gives crfsuite's own tags and marginals."""

from __future__ import annotations

import numpy as np
import pycrfsuite
import pytest

from rasid.ner.conll import spans_from_tags
from rasid.ner.crf import CrfWeights
from rasid.ner.tagger import NerModel, default_model_path

SENTENCES = [
    "قال الرئيس السوري بشار الأسد في دمشق إن الجيش العربي السوري سيطر على ريف حلب".split(),
    "وصل وفد من الأمم المتحدة إلى بغداد".split(),
    "هاجم تنظيم الدولة الإسلامية مواقع قرب الموصل".split(),
    ["دمشق"],
    "و و و".split(),
]


@pytest.fixture(scope="module")
def reference() -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(default_model_path()))
    return tagger


def test_weights_are_the_model_file(reference: pycrfsuite.Tagger) -> None:
    weights = CrfWeights.read(default_model_path())
    assert list(weights.labels) == reference.labels()
    info = reference.info()
    for (attr, label), weight in list(info.state_features.items())[:500]:
        i = weights.attributes[attr]
        assert weights.state[i, weights.labels.index(label)] == pytest.approx(weight, abs=1e-6)
    for (a, b), weight in info.transitions.items():
        t = weights.transition[weights.labels.index(a), weights.labels.index(b)]
        assert t == pytest.approx(weight, abs=1e-6)


def test_same_tags_and_confidence_as_crfsuite(reference: pycrfsuite.Tagger) -> None:
    model = NerModel()
    batched = model.tag_chunks(SENTENCES)
    for words, spans in zip(SENTENCES, batched, strict=True):
        tags = reference.tag(model.extractor.sentence(words))
        assert [(s.label, s.start, s.end) for s in spans] == spans_from_tags(tags)
        assert model.tag_labels(words) == list(tags)
        for s in spans:
            probs = [reference.marginal(tags[i], i) for i in range(s.start, s.end)]
            assert s.confidence == pytest.approx(sum(probs) / len(probs), abs=1e-9)
    # One sentence alone is tagged as in a batch.
    assert model.tag(SENTENCES[0]) == batched[0]


def test_word_weights_are_the_sums_of_its_attribute_strings() -> None:
    model = NerModel()
    weights = model.weights
    words = [w for sentence in SENTENCES for w in sentence] + [
        "Paris",
        "paris",
        "123",
        "٣",
        "للعراق",
    ]
    emissions = model._scorer.emissions([words[i : i + 7] for i in range(0, len(words), 7)])
    strings = model.extractor
    for k, chunk in enumerate(words[i : i + 7] for i in range(0, len(words), 7)):
        expected = [weights.score(attrs) for attrs in strings.sentence(chunk)]
        assert np.allclose(emissions[k], np.array(expected), rtol=0, atol=1e-9)


def test_a_sentence_is_tagged_alike_in_any_batch() -> None:
    # Decoding runs over whole documents at once: a sentence's tags and
    # confidences must not depend on which, or how many, sentences share its batch.
    model = NerModel()
    alone = [model.tag_chunks([s])[0] for s in SENTENCES]
    for size in range(2, 2 * len(SENTENCES) + 1):
        batch = [SENTENCES[i % len(SENTENCES)] for i in range(size)]
        for k, spans in enumerate(model.tag_chunks(batch)):
            assert spans == alone[k % len(SENTENCES)]
