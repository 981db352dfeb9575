"""The ``names`` and ``places`` pipeline components, and the acceptance examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasid.model import Analysis, Document, Mention
from rasid.names.component import names_component
from rasid.pipeline import Component, Pipeline
from rasid.places.component import places_component
from rasid.places.geocode import geocode


def _analysis(text: str, spans: list[tuple[str, str]]) -> Analysis:
    analysis = Analysis(document=Document(text=text, sha256="0" * 64, source_uri="test"))
    for surface, kind in spans:
        start = text.index(surface)
        analysis.mentions.append(Mention(start, start + len(surface), surface, kind))
    return analysis


def test_components_fill_mention_values() -> None:
    text = (
        "قرر عمر الشيشاني وأبو محمد الأمريكي إنشاء جيش الخلافة في منبج ومطار الجراح بريف حلب الشرقي"
    )
    analysis = _analysis(
        text,
        [
            ("عمر الشيشاني", "PERSON"),
            ("أبو محمد الأمريكي", "PERSON"),
            ("جيش الخلافة", "ORG"),
            ("منبج", "GPE"),
            ("مطار الجراح", "FACILITY"),
            ("ريف حلب الشرقي", "LOC"),
            ("الشيشان", "NORP"),
        ],
    )
    names_component().fn(analysis)
    places_component().fn(analysis)
    omar, amriki, army, manbij, jirah, rif, chechens = analysis.mentions
    assert omar.value["name"]["ism"] == "عمر"
    assert omar.value["name"]["nisbas"][0]["origin_suggested"]["region_en"] == "Chechnya"
    assert amriki.value["name"]["kunya"] == "أبو محمد"
    assert army.value["actor"]["id"] == "isis-caliphate-army"
    assert army.value["actor"]["parent"] == "isis"
    assert manbij.value["geo"]["id"] == "geonames:167357"
    assert jirah.value["geo"]["id"] == "rasid:jirah-airbase"
    assert rif.value["geo"]["id"] == "rasid:rif-aleppo-east"
    assert rif.value["geo"]["precision"] == 3
    assert chechens.value["origin"]["region_en"] == "Chechnya"


def test_components_declare_their_needs() -> None:
    def fake_ner(analysis: Analysis) -> None:
        analysis.mentions.append(Mention(0, 4, "منبج", "GPE"))

    ner = Component("fake.ner", "v0", fake_ner, assigns=("mentions:GPE",))
    pipeline = Pipeline([ner, names_component(), places_component()])
    analysis = pipeline(Document(text="منبج مدينة", sha256="0" * 64, source_uri="t"))
    assert analysis.mentions[0].value["geo"]["name_en"] == "Manbij"
    from rasid.errors import PipelineError

    with pytest.raises(PipelineError):
        Pipeline([places_component()])


_RAQQA_PLACES = {
    "ريف حلب الشرقي": "rasid:rif-aleppo-east",
    "ريف حلب الشمالي": "rasid:rif-aleppo-north",
    "مطار الجراح": "rasid:jirah-airbase",
    "مطار كشيش": "rasid:jirah-airbase",
    "مدينة مسكنة": "geonames:167080",
    "ريف الرقة": "rasid:rif-raqqa",
    "مدينة منبج": "geonames:167357",
    "الباب": "geonames:174018",
    "جرابلس": "geonames:169179",
    "سد تشرين": "rasid:tishrin-dam",
    "مدينة حلب": "geonames:170063",
    "عين عرب": "geonames:172256",
    "كوباني": "geonames:172256",
    "ريف الرقة الشرقي": "rasid:rif-raqqa-east",
    "الحدود العراقية": "rasid:syria-iraq-border",
    "اعزاز": "geonames:172082",
}


@pytest.mark.shared
def test_raqqa_example_places(examples_dir: Path) -> None:
    text = (examples_dir / "raqqa-caliphate-army.txt").read_text(encoding="utf-8")
    context = list(_RAQQA_PLACES)
    for surface, place_id in _RAQQA_PLACES.items():
        assert surface in text, surface
        [best, *_] = geocode(surface, context=[c for c in context if c != surface])
        assert best.id == place_id, surface


@pytest.mark.shared
def test_mosul_example_places_and_actors(examples_dir: Path) -> None:
    from rasid.names.actors import load_actors

    text = (examples_dir / "mosul-foreign-fighters.txt").read_text(encoding="utf-8")
    for surface in ("الموصل", "بالموصل", "بحي الأندلس", "سوريا", "العراق", "كوسوفو"):
        assert surface in text
    context = ["الموصل", "سوريا", "العراق"]
    assert geocode("بحي الأندلس", context=context)[0].id == "rasid:mosul-andalus"
    assert geocode("بالموصل", context=context)[0].id == "geonames:99072"
    assert geocode("كوسوفو")[0].id == "country:XK"
    actors = load_actors()
    for surface, actor_id in [
        ("الجيش العراقي", "iraqi-army"),
        ("قوات مكافحة الإرهاب", "iraq-cts"),
        ("لكتيبة طارق بن زياد", "isis-tariq-ibn-ziyad"),
        ("تنظيم الدولة الإسلامية في العراق والشام", "isis"),
        ("واشنطن بوست", "washington-post"),
        ("أخبار ليبيا 24", "libya-24"),
    ]:
        assert surface in text
        actor = actors.match(surface)
        assert actor is not None and actor.id == actor_id
