"""In-document linking on hand-built analyses (no tagger needed): IDs, aliases,
anaphora, back-references, statement keys."""

from __future__ import annotations

from typing import Any

from rasid.facts.keys import local_key
from rasid.link.local import canonical_key, entity_id, link_document
from rasid.model import Analysis, Document, Mention, Statement
from rasid.names.actors import load_actors
from rasid.names.component import name_value
from rasid.names.parse import parse_name
from rasid.text.sentences import split_sentences
from rasid.text.tokenize import tokenize


def _mention(text: str, surface: str, type_: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    value: dict[str, Any] = {}
    if type_ == "PERSON":
        value["name"] = name_value(parse_name(surface))
    if type_ == "ORG":
        actor = load_actors().match(surface)
        if actor is not None:
            value["actor"] = {
                "id": actor.id,
                "name_en": actor.name_en,
                "type": actor.type,
                "parent": actor.parent,
            }
    return Mention(start, start + len(surface), surface, type_, value=value)


def _analysis(text: str, mentions: list[Mention], statements: list[Statement] = ()) -> Analysis:  # type: ignore[assignment]
    document = Document(text=text, sha256="0", source_uri="test")
    for statement in statements:
        statement.document_id = document.id
    return Analysis(
        document=document,
        sentences=split_sentences(text),
        tokens=tokenize(text),
        mentions=sorted(mentions, key=lambda m: m.start),
        statements=list(statements),
    )


def _by_text(analysis: Analysis) -> dict[str, set[str | None]]:
    found: dict[str, set[str | None]] = {}
    for mention in analysis.mentions:
        found.setdefault(mention.text, set()).add(mention.entity_id)
    return found


def test_ids_are_deterministic_and_catalogue_keys_win() -> None:
    mention = _mention("قال داعش", "داعش", "ORG")
    key, keys = canonical_key(mention)
    assert key == "actor:isis" and "name:ORG:داعش" in keys
    text = "هاجم تنظيم الدولة الإسلامية في العراق والشام المدينة ثم انسحب داعش منها."
    analysis = _analysis(
        text,
        [
            _mention(text, "تنظيم الدولة الإسلامية في العراق والشام", "ORG"),
            _mention(text, "داعش", "ORG"),
        ],
    )
    link_document(analysis)
    ids = {m.entity_id for m in analysis.mentions}
    assert ids == {entity_id("actor:isis")}


def test_anaphora_attach_to_the_last_unit_with_that_head() -> None:
    text = (
        "أنشأ تنظيم داعش جيش الخلافة في ريف حلب. وصل تعداد الجيش إلى 4000 عنصر. "
        "وقام التنظيم بإفراغ مقرات الجيش. وقاتل الجيش العراقي في الموصل."
    )
    mentions = [
        _mention(text, "تنظيم داعش", "ORG"),
        _mention(text, "جيش الخلافة", "ORG"),
        _mention(text, "الجيش العراقي", "ORG"),
    ]
    analysis = _analysis(text, mentions)
    link_document(analysis)
    army = entity_id("actor:isis-caliphate-army")
    isis = entity_id("actor:isis")
    anaphors = [m for m in analysis.mentions if m.value.get("anaphor")]
    assert [(m.text, m.entity_id) for m in anaphors] == [
        ("الجيش", army),
        ("التنظيم", isis),
        ("الجيش", army),
    ]
    assert all(text[m.start : m.end] == m.text for m in anaphors)
    # "الجيش العراقي" is a name of its own, not a back-reference.
    iraqi = next(m for m in analysis.mentions if m.text == "الجيش العراقي")
    assert iraqi.entity_id not in {army, isis}
    entity = next(e for e in analysis.entities if e["id"] == army)
    assert "الجيش" not in entity["names"]  # counted as a mention, never as a name


def test_newspaper_anaphor_finds_the_outlet() -> None:
    text = "قالت صحيفة واشنطن بوست إن ملفا وجد. الصحيفة قالت إن الوثائق حقيقية."
    analysis = _analysis(text, [_mention(text, "واشنطن بوست", "ORG")])
    link_document(analysis)
    paper = next(m for m in analysis.mentions if m.text == "الصحيفة")
    assert paper.entity_id == entity_id("actor:washington-post")


def test_no_antecedent_no_anaphor() -> None:
    text = "قال الجيش إن المعركة انتهت."
    analysis = _analysis(text, [])
    link_document(analysis)
    assert analysis.mentions == []


def test_a_bare_nisba_refers_back_to_the_person() -> None:
    text = "قرر عمر الشيشاني إنشاء جيش. لكن المعركة أوقفت حلم الشيشاني. وكان المقاتل الشيشاني هناك."
    analysis = _analysis(
        text,
        [
            _mention(text, "عمر الشيشاني", "PERSON"),
            _mention(text, "الشيشاني", "NORP", nth=1),
            _mention(text, "الشيشاني", "NORP", nth=2),
        ],
    )
    link_document(analysis)
    omar = next(m for m in analysis.mentions if m.text == "عمر الشيشاني").entity_id
    norp = [m for m in analysis.mentions if m.type == "NORP"]
    assert norp[0].entity_id == omar and norp[0].value["anaphor"] is True
    # After a definite noun it is an adjective ("the Chechen fighter"), not the man.
    assert norp[1].entity_id != omar


def test_short_names_refer_back_or_stay_in_their_document() -> None:
    text = "قال سعيد التميمي إن ذلك صحيح. وأضاف التميمي أن الوثائق حقيقية. وقال أبو محمد كلاما."
    analysis = _analysis(
        text,
        [
            _mention(text, "سعيد التميمي", "PERSON"),
            _mention(text, "التميمي", "PERSON", nth=1),
            _mention(text, "أبو محمد", "PERSON"),
        ],
    )
    link_document(analysis)
    ids = _by_text(analysis)
    assert ids["التميمي"] == ids["سعيد التميمي"]
    kunya = next(e for e in analysis.entities if "أبو محمد" in e["names"])
    assert kunya["key"] == f"person1:ابو محمد@{analysis.document.id}"


def test_two_abu_muhammads_stay_apart() -> None:
    text = "قال أبو محمد الأمريكي إن. ورد أبو محمد العدناني بأن."
    analysis = _analysis(
        text,
        [
            _mention(text, "أبو محمد الأمريكي", "PERSON"),
            _mention(text, "أبو محمد العدناني", "PERSON"),
        ],
    )
    link_document(analysis)
    assert len({m.entity_id for m in analysis.mentions}) == 2


def test_alias_statement_joins_and_statement_keys_become_ids() -> None:
    text = "قوات النخبة أو ما يسمى بجيش الخلافة او جيش دابق تتمركز في مدينة منبج."
    mentions = [_mention(text, "جيش الخلافة", "ORG"), _mention(text, "منبج", "GPE")]
    alias = Statement(
        subject=local_key("جيش الخلافة"),
        property="alias",
        value="جيش دابق",
        document_id="",
        start=0,
        end=len(text),
    )
    present = Statement(
        subject=local_key("جيش الخلافة"),
        property="present_in",
        value="مدينة منبج",
        document_id="",
        start=0,
        end=len(text),
        object_entity=local_key("مدينة منبج"),
    )
    analysis = _analysis(text, mentions, [alias, present])
    link_document(analysis)
    army = entity_id("actor:isis-caliphate-army")
    manbij = next(m for m in analysis.mentions if m.text == "منبج").entity_id
    assert alias.subject == army and present.subject == army
    assert present.object_entity == manbij  # "مدينة منبج" is the town the text calls منبج
    entity = next(e for e in analysis.entities if e["id"] == army)
    assert "جيش دابق" in entity["names"]


def test_nationality_words_are_one_entity_per_nisba() -> None:
    from rasid.names.nisba import load_nisbas

    text = "قال ضباط عراقيين إن الجيش العراقي تقدم. وأكد مسؤول عراقي ذلك. وقال مقاتل بلجيكي كلاما."
    mentions = []
    for surface in ("عراقيين", "عراقي", "بلجيكي"):
        mention = _mention(text, surface, "NORP", nth=2 if surface == "عراقي" else 0)
        info = load_nisbas().nationality(surface)
        assert info is not None
        mention.value["origin"] = info.origin()
        mentions.append(mention)
    analysis = _analysis(text, mentions)
    link_document(analysis)
    ids = _by_text(analysis)
    assert ids["عراقيين"] == ids["عراقي"] != ids["بلجيكي"]


def test_statements_naming_a_known_organisation_use_the_catalogue_key() -> None:
    text = "انسحب التنظيم من ريف حلب الشمالي."
    statement = Statement(
        subject=local_key("داعش"),
        property="withdrew_from",
        value="ريف حلب الشمالي",
        document_id="",
        start=0,
        end=len(text),
        qualifiers={"subject_name": "داعش"},
    )
    analysis = _analysis(text, [], [statement])
    link_document(analysis)
    assert statement.subject == entity_id("actor:isis")
    entity = next(e for e in analysis.entities if e["id"] == statement.subject)
    assert (
        entity["attributes"]["actor"]["id"] == "isis" and entity["label_latin"] == "Islamic State"
    )
