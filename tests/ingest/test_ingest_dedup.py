"""De-duplication: exact copies, near copies (republished with edits), and distinct texts."""

from __future__ import annotations

import numpy as np
import pytest

from rasid.ingest.dedup import (
    DedupDecision,
    Deduplicator,
    NearDuplicateIndex,
    content_key,
    signature_from_bytes,
    signature_to_bytes,
)
from rasid.model import Document

# An agency report, the same report republished by another outlet with a
# dateline, digits for a number word and small punctuation changes, a real
# paraphrase (every sentence rewritten) and a different report on the same war.
ORIGINAL = (
    "أعلنت قوات سوريا الديمقراطية، اليوم الاثنين، سيطرتها الكاملة على بلدة الباغوز في ريف دير الزور الشرقي، "
    "بعد معارك استمرت أكثر من شهر مع مقاتلي تنظيم داعش. "
    "وقال المتحدث باسم القوات في مؤتمر صحفي إن نحو ثلاثة آلاف مسلح استسلموا خلال الأيام الأخيرة، "
    "بينهم مقاتلون أجانب من جنسيات مختلفة. "
    "وأضاف أن فرق الهندسة بدأت تفكيك الألغام والعبوات الناسفة التي زرعها التنظيم في المنازل والطرق، "
    "مشيرا إلى أن عودة المدنيين ستتم على مراحل. "
    "وكان التحالف الدولي قد شن عشرات الغارات الجوية على مواقع التنظيم في البلدة خلال الأسبوع الماضي."
)
REPUBLISHED = (
    "دير الزور (رويترز) - أعلنت قوات سوريا الديمقراطية يوم الاثنين سيطرتها الكاملة على بلدة الباغوز في ريف دير الزور الشرقي "
    "بعد معارك استمرت أكثر من شهر مع مقاتلي تنظيم داعش. "
    "وقال المتحدث باسم القوات في مؤتمر صحفي إن نحو 3000 مسلح استسلموا خلال الأيام الأخيرة، "
    "بينهم مقاتلون أجانب من جنسيات مختلفة. "
    "وأضاف أن فرق الهندسة بدأت تفكيك الألغام والعبوات الناسفة التي زرعها التنظيم في المنازل والطرق، "
    "مشيرا إلى أن عودة المدنيين ستتم على مراحل. "
    "وكان التحالف الدولي قد شن عشرات الغارات الجوية على مواقع التنظيم في البلدة خلال الأسبوع الماضي."
)
PARAPHRASE = (
    "سيطرت قوات سوريا الديمقراطية بشكل كامل على الباغوز شرقي دير الزور يوم الاثنين، "
    "إثر قتال دام ما يزيد على شهر ضد عناصر داعش. "
    "وأوضح متحدث باسم هذه القوات للصحفيين أن قرابة ثلاثة آلاف مسلح سلموا أنفسهم في الأيام الماضية، "
    "ومن بينهم أجانب يحملون جنسيات متعددة. "
    "كما أشار إلى أن المهندسين شرعوا في إزالة الألغام والعبوات التي خلفها التنظيم في البيوت والشوارع، "
    "وأن المدنيين سيعودون تدريجيا."
)
DIFFERENT = (
    "قالت وزارة الدفاع العراقية إن طائرات حربية قصفت مواقع لتنظيم داعش قرب الحدود السورية، "
    "ما أسفر عن مقتل عدد من المسلحين وتدمير مخزن للأسلحة. "
    "وأوضحت الوزارة في بيان أن العملية نفذت بناء على معلومات استخبارية دقيقة، "
    "وأن القوات البرية تواصل تمشيط المناطق الصحراوية في محافظة الأنبار."
)


def _doc(text: str) -> Document:
    return Document(text=text, sha256="0" * 64, source_uri="test")


def test_content_key_ignores_diacritics_tatweel_and_spacing() -> None:
    decorated = (
        ORIGINAL.replace("أعلنت", "أَعْلَنَتْ").replace("الكاملة", "الكامـــلة").replace(" ", "  ")
    )
    assert content_key(decorated) == content_key(ORIGINAL)
    assert content_key(ORIGINAL) != content_key(REPUBLISHED)


def test_exact_near_and_distinct_decisions() -> None:
    dedup = Deduplicator()
    original = _doc(ORIGINAL)
    first = dedup.check(original)
    assert first == DedupDecision("new", None, 0.0)
    dedup.remember(original, first)

    exact = _doc(ORIGINAL.replace("الاثنين", "الاثنيـن") + "\n")
    decision = dedup.check(exact)
    assert (decision.kind, decision.of, decision.similarity) == ("exact", original.id, 1.0)
    dedup.remember(exact, decision)

    republished = _doc(REPUBLISHED)
    decision = dedup.check(republished)
    assert decision.kind == "near"
    assert decision.of == original.id
    assert 0.8 <= decision.similarity < 1.0
    dedup.remember(republished, decision)

    for text in (PARAPHRASE, DIFFERENT):
        decision = dedup.check(_doc(text))
        assert decision.kind == "new", (text[:30], decision)


def test_copies_of_copies_point_at_the_first_version() -> None:
    dedup = Deduplicator()
    docs = [_doc(ORIGINAL), _doc(REPUBLISHED), _doc(REPUBLISHED + " ")]
    decisions = []
    for doc in docs:
        decision = dedup.check(doc)
        dedup.remember(doc, decision)
        decisions.append(decision)
    assert [d.kind for d in decisions] == ["new", "near", "exact"]
    assert decisions[1].of == docs[0].id
    assert decisions[2].of == docs[0].id  # not the near copy it is identical to


def test_threshold_is_configurable() -> None:
    strict = Deduplicator(threshold=0.95)
    original = _doc(ORIGINAL)
    strict.remember(original, strict.check(original))
    assert strict.check(_doc(REPUBLISHED)).kind == "new"


def test_short_texts_are_compared_exactly_only() -> None:
    dedup = Deduplicator()
    headline = _doc("مقتل ثلاثة جنود في هجوم على نقطة تفتيش قرب الموصل")
    dedup.remember(headline, dedup.check(headline))
    assert dedup.check(_doc("مقتل أربعة جنود في هجوم على نقطة تفتيش قرب الموصل")).kind == "new"


def test_index_query_ranks_best_first_and_estimates_jaccard() -> None:
    index = NearDuplicateIndex(threshold=0.5, num_perm=128)
    index.add("original", index.signature(ORIGINAL))
    index.add("republished", index.signature(REPUBLISHED))
    index.add("different", index.signature(DIFFERENT))
    found = index.query(index.signature(ORIGINAL))
    assert [doc_id for doc_id, _ in found] == ["original", "republished"]
    assert found[0][1] == 1.0
    assert 0.8 < found[1][1] < 1.0
    assert len(index) == 3 and "different" in index


def test_signatures_are_deterministic_and_persist() -> None:
    index = NearDuplicateIndex(num_perm=64)
    signature = index.signature(ORIGINAL)
    assert signature.dtype == np.uint32 and signature.shape == (64,)
    again = NearDuplicateIndex(num_perm=64).signature(ORIGINAL)
    assert np.array_equal(signature, again)
    data = signature_to_bytes(signature)
    assert len(data) == 256
    assert np.array_equal(signature_from_bytes(data, 64), signature)
    with pytest.raises(ValueError, match="expected 128"):
        signature_from_bytes(data, 128)
    with pytest.raises(ValueError, match="num_perm=128"):
        NearDuplicateIndex(num_perm=128).add("x", signature)


def test_rebuild_from_stored_rows() -> None:
    before = Deduplicator()
    original = _doc(ORIGINAL)
    decision = before.check(original)
    before.remember(original, decision)
    assert decision.signature is not None
    stored = (original.id, decision.key, signature_to_bytes(decision.signature))

    after = Deduplicator()
    after.add_known(*stored)
    near = after.check(_doc(REPUBLISHED))
    assert (near.kind, near.of) == ("near", original.id)
    assert after.check(_doc(ORIGINAL)).kind == "exact"


def test_only_first_versions_carry_a_signature_to_persist() -> None:
    dedup = Deduplicator()
    original, copy = _doc(ORIGINAL), _doc(REPUBLISHED)
    first = dedup.check(original)
    dedup.remember(original, first)
    near = dedup.check(copy)
    assert first.signature is not None and first.key == content_key(ORIGINAL)
    assert near.kind == "near" and near.signature is None


def test_fingerprint_equals_the_definitions() -> None:
    # The fingerprint folds once and hashes in cache-sized steps; the values are
    # those of the scheme's plain definition (content_key, shingle_text and a
    # minimum over all shingles of the high 32 bits of a*x+b).
    from rasid.ingest.dedup import _shingle_hashes, shingle_text

    dedup = Deduplicator()
    text = " ".join(f"قالَت مصادر «محلية» إن {i} مقاتلين قتلوا في ريف حلب ABC" for i in range(60))
    key, signature = dedup.fingerprint(text)
    assert key == content_key(text)
    hashes = _shingle_hashes(shingle_text(text), 5)
    assert hashes.size > 1000  # more than one step
    a, b = dedup.index._a[:, None], dedup.index._b[:, None]
    expected = ((a * hashes[None, :] + b) >> np.uint64(32)).min(axis=1).astype(np.uint32)
    assert signature is not None and (signature == expected).all()
    assert dedup.fingerprint("قصير") == (content_key("قصير"), None)
