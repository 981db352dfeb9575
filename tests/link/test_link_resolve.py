"""Cross-document resolution: keys, kunya keys, scored blocks, thresholds, vetoes."""

from __future__ import annotations

import pytest

from rasid.link.judgements import Resolver
from rasid.link.resolve import (
    ORG_THRESHOLD,
    PERSON_THRESHOLD,
    KeyIndex,
    block_key,
    name_score,
    resolve_analysis,
    weak_person_keys,
)
from rasid.model import Analysis, Document, Mention, Statement
from rasid.names.parse import parse_name


def _index(*entities: tuple[str, str, list[str]], resolver: Resolver | None = None) -> KeyIndex:
    index = KeyIndex(resolver)
    for entity_id, entity_type, keys in entities:
        index.add(entity_id, entity_type, keys)
    return index


def test_shared_strong_key_joins_only_a_unique_candidate() -> None:
    index = _index(("ent-isis", "ORG", ["actor:isis", "name:ORG:داعش"]))
    assert index.match("ent-new", "ORG", ["actor:isis", "name:ORG:تنظيم دوله"]) == "ent-isis"
    index.add("ent-other", "ORG", ["name:ORG:داعش"])
    # The catalogue key is still unique; the folded name alone is not.
    assert index.match("ent-new2", "ORG", ["name:ORG:داعش"]) is None


def test_type_families_never_mix() -> None:
    index = _index(("ent-bab", "GPE", ["name:PLACE:باب"]))
    assert index.match("ent-x", "ORG", ["name:PLACE:باب"]) is None
    assert index.match("ent-y", "FACILITY", ["name:PLACE:باب"]) == "ent-bab"


def test_kunya_variant_joins_a_single_person() -> None:
    assert weak_person_keys(["person:ar:ابو عمر شيشاني"]) == {"kunya:عمر شيشاني"}
    index = _index(("ent-omar", "PERSON", ["person:ar:عمر شيشاني"]))
    assert index.match("ent-abu", "PERSON", ["person:ar:ابو عمر شيشاني"]) == "ent-omar"


def test_one_word_person_keys_join_nothing_across_documents() -> None:
    index = _index(("ent-a", "PERSON", ["person:ar:تميمي"]))
    assert index.match("ent-b", "PERSON", ["person:ar:تميمي"]) is None


def test_block_key_is_a_consonant_skeleton() -> None:
    assert block_key("ابو محمد امريكي") == block_key("ابو محمد اميركي")
    assert block_key("قوات سوريا ديموقراطيه") == block_key("قوات سوريا ديمقراطيه")
    assert block_key("ابو محمد امريكي") != block_key("ابو محمد عدناني")


@pytest.mark.parametrize(
    ("a", "b", "joins"),
    [
        ("ابو محمد امريكي", "ابو محمد اميركي", True),  # one nisba, two spellings
        ("داود سليمان", "داوود سليمان", True),
        ("ابو محمد امريكي", "ابو محمد عدناني", False),  # two different men
        ("عمر شيشاني", "عمار شيشاني", False),  # same skeleton, different ism
        ("حسن نصر", "حسين نصر", False),
        ("احمد عامري", "احمد عامر", False),  # a nisba is not the name it comes from
        ("ابو محمد", "ابو محمد امريكي", False),  # word counts differ
    ],
)
def test_person_name_score(a: str, b: str, joins: bool) -> None:
    score = name_score(a, b, "PERSON", _latin(a), _latin(b))
    assert (score >= PERSON_THRESHOLD) is joins


def _latin(name: str) -> list[str]:
    return [s.casefold() for s in parse_name(name).romanized]


def _person_keys(name: str) -> list[str]:
    return [f"person:ar:{name}", *(f"latin:{s}" for s in _latin(name))]


@pytest.mark.parametrize(
    ("a", "b", "joins"),
    [
        ("قوات سوريا ديموقراطيه", "قوات سوريا ديمقراطيه", True),
        ("فرقه 17", "فرقه 18", False),  # numbers must be equal
        ("كتيبه عمر", "كتيبه عمار", False),  # short words must be equal
        ("جيش خلافه", "جيش اسلام", False),
    ],
)
def test_org_name_score(a: str, b: str, joins: bool) -> None:
    assert (name_score(a, b, "ORG") >= ORG_THRESHOLD) is joins


def test_scored_join_within_a_block() -> None:
    index = _index(("ent-amriki", "PERSON", _person_keys("ابو محمد امريكي")))
    found = index.candidate("ent-variant", "PERSON", _person_keys("ابو محمد اميركي"))
    assert found is not None and found.entity_id == "ent-amriki" and found.reason == "score"
    assert index.match("ent-adnani", "PERSON", _person_keys("ابو محمد عدناني")) is None
    # Without romanisations a person's differing word cannot be judged: no join.
    assert index.match("ent-bare", "PERSON", ["person:ar:ابو محمد اميركي"]) is None
    # A romanisation is never a key of its own.
    index.add("ent-omar", "PERSON", _person_keys("عمر شيشاني"))
    assert index.match("ent-x", "PERSON", ["latin:omar al-shishani"]) is None


def test_an_analyst_split_vetoes_every_pass() -> None:
    resolver = Resolver.from_judgements(
        [{"kind": "split", "target_ids": ["ent-amriki", "ent-variant"]}]
    )
    index = _index(("ent-amriki", "PERSON", _person_keys("ابو محمد امريكي")), resolver=resolver)
    assert index.match("ent-variant", "PERSON", _person_keys("ابو محمد اميركي")) is None
    assert index.match("ent-variant", "PERSON", ["person:ar:ابو محمد امريكي"]) is None


def test_two_close_candidates_leave_it_to_an_analyst() -> None:
    index = _index(
        ("ent-a", "ORG", ["name:ORG:قوات سوريا ديموقراطيه"]),
        ("ent-b", "ORG", ["name:ORG:قوات سوريا ديمقراطيه"]),
    )
    assert index.match("ent-c", "ORG", ["name:ORG:قوات سوريا ديموقرطيه"]) is None


def test_resolve_analysis_repoints_and_records_where_from() -> None:
    text = "قال أبو محمد الأميركي إن"
    document = Document(text=text, sha256="0", source_uri="test")
    mention = Mention(4, 22, "أبو محمد الأميركي", "PERSON", entity_id="ent-local")
    statement = Statement(
        subject="ent-local", property="role", value="x", document_id=document.id, start=0, end=3
    )
    analysis = Analysis(document=document, mentions=[mention], statements=[statement])
    analysis.entities = [
        {
            "id": "ent-local",
            "type": "PERSON",
            "keys": _person_keys("ابو محمد اميركي"),
            "mentions": [0],
        }
    ]
    index = _index(("ent-stored", "PERSON", _person_keys("ابو محمد امريكي")))
    assert resolve_analysis(analysis, index) == {"ent-local": "ent-stored"}
    assert mention.entity_id == "ent-stored"
    assert mention.value["linked_from"] == "ent-local"
    assert mention.value["linked_by"].startswith("score:")
    assert statement.subject == "ent-stored"
    assert statement.qualifiers["linked_from"] == {"subject": "ent-local"}
    # The index learnt the new spelling under the stored ID.
    assert "ent-stored" in index.strong["person:ar:ابو محمد اميركي"]


def test_entities_an_analyst_merged_are_one_candidate() -> None:
    keys = ["name:ORG:كتيبه بتار"]
    assert (
        _index(("ent-a", "ORG", keys), ("ent-b", "ORG", keys)).match("ent-c", "ORG", keys) is None
    )
    resolver = Resolver.from_judgements([{"kind": "merge", "target_ids": ["ent-a", "ent-b"]}])
    index = _index(("ent-a", "ORG", keys), ("ent-b", "ORG", keys), resolver=resolver)
    assert index.match("ent-c", "ORG", keys) == "ent-a"
