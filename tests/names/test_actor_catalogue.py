"""The curated actor catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasid.errors import DataFileError
from rasid.names.actors import ACTOR_TYPES, load_actors


@pytest.mark.parametrize(
    ("mention", "actor_id"),
    [
        ("داعش", "isis"),
        ("لداعش", "isis"),
        ("وداعش", "isis"),
        ("تنظيم الدولة", "isis"),
        ("الدولة الاسلامية", "isis"),
        ("تنظيم الدولة الإسلامية في العراق والشام", "isis"),
        ("ISIS", "isis"),
        ("ISIL", "isis"),
        ("Daesh", "isis"),
        ("islamic state", "isis"),
        ("جيش الخلافة", "isis-caliphate-army"),
        ("بجيش الخلافة", "isis-caliphate-army"),
        ("جيش دابق", "isis-caliphate-army"),
        ("لكتيبة طارق بن زياد", "isis-tariq-ibn-ziyad"),
        ("الجيش العراقي", "iraqi-army"),
        ("قوات مكافحة الإرهاب", "iraq-cts"),
        ("جهاز مكافحة الارهاب", "iraq-cts"),
        ("الحشد الشعبي", "pmf"),
        ("للحشد الشعبي", "pmf"),
        ("البيشمركة", "peshmerga"),
        ("قسد", "sdf"),
        ("وحدات حماية الشعب", "ypg"),
        ("YPJ", "ypj"),
        ("جبهة النصرة", "nusra"),
        ("هيئة تحرير الشام", "hts"),
        ("أحرار الشام", "ahrar-al-sham"),
        ("جيش الإسلام", "jaysh-al-islam"),
        ("التحالف الدولي", "coalition"),
        ("حزب الله", "hezbollah"),
        ("كتائب حزب الله", "kataib-hezbollah"),
        ("الحرس الثوري", "irgc"),
        ("الجيش التركي", "turkish-army"),
        ("القوات الروسية", "russian-forces"),
        ("الجيش العربي السوري", "syrian-army"),
        ("واشنطن بوست", "washington-post"),
        ("صحيفة واشنطن بوست", "washington-post"),
        ("أخبار ليبيا 24", "libya-24"),
        ("الرقة تذبح بصمت", "rbss"),
    ],
)
def test_match(mention: str, actor_id: str) -> None:
    actor = load_actors().match(mention)
    assert actor is not None, mention
    assert actor.id == actor_id


@pytest.mark.parametrize("text", ["الجيش", "الدولة", "", "   ", "is", "Washington"])
def test_generic_words_match_nothing(text: str) -> None:
    assert load_actors().match(text) is None


def test_units_have_parents() -> None:
    actors = load_actors()
    army = actors.match("جيش الخلافة")
    assert army is not None
    parent = actors.parent(army)
    assert parent is not None and parent.id == "isis"
    assert parent.wikidata == "Q2429253"
    golden = actors.by_id("iraq-golden-division")
    assert golden is not None
    assert [a.id for a in actors.ancestors(golden)] == ["iraq-cts", "iraq-government"]
    assert actors.parent(parent) is None


def test_every_actor_is_well_formed() -> None:
    actors = load_actors()
    assert len(actors) > 50
    for actor in actors.actors:
        assert actor.type in ACTOR_TYPES
        assert actor.line > 0
        if actor.parent:
            assert actors.by_id(actor.parent) is not None


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "actors.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_unknown_parent_names_the_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "actors:\n"
        "  - {id: a, type: armed_group, name_ar: ألف, name_en: A}\n"
        "  - id: b\n    type: armed_group\n    name_ar: باء\n    name_en: B\n    parent: zzz\n",
    )
    with pytest.raises(DataFileError, match=r"actors\.yaml:3: b: unknown parent 'zzz'"):
        load_actors(path)


def test_alias_given_to_two_actors_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "actors:\n"
        "  - {id: a, type: armed_group, name_ar: جيش الف, name_en: A}\n"
        "  - {id: b, type: armed_group, name_ar: جيش باء, name_en: B, aliases_ar: [جيش ألف]}\n",
    )
    with pytest.raises(
        DataFileError, match=r"actors\.yaml:3: alias 'جيش ألف' of b .* of a \(line 2\)"
    ):
        load_actors(path)


def test_bad_type_and_bad_yaml(tmp_path: Path) -> None:
    path = _write(tmp_path, "actors:\n  - {id: a, type: militia, name_ar: ألف, name_en: A}\n")
    with pytest.raises(DataFileError, match=r":2: type 'militia'"):
        load_actors(path)
    broken = _write(tmp_path, "actors:\n  - {id: a, type: [\n")
    with pytest.raises(DataFileError, match="not valid YAML"):
        load_actors(broken)


def test_duplicate_id_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "actors:\n"
        "  - {id: a, type: media, name_ar: ألف, name_en: A}\n"
        "  - {id: a, type: media, name_ar: باء, name_en: B}\n",
    )
    with pytest.raises(DataFileError, match=r":3: id 'a' is already used on line 2"):
        load_actors(path)


def test_single_word_alias_keeps_its_article() -> None:
    actors = load_actors()
    qaeda = actors.match("القاعدة")
    assert qaeda is not None and qaeda.id == "al-qaeda"
    assert actors.match("قاعدة") is None  # "a base"


def test_find_in_running_text_skips_ambiguous_aliases() -> None:
    text = "سيطر الجيش العراقي على قاعدة لكتيبة طارق بن زياد، وكانت القاعدة الأساسية لداعش. Fighters of al-Qaida."
    found = [(text[s:e], a.id) for s, e, a in load_actors().find(text)]
    assert found == [
        ("الجيش العراقي", "iraqi-army"),
        ("لكتيبة طارق بن زياد", "isis-tariq-ibn-ziyad"),
        ("لداعش", "isis"),
        ("al-Qaida", "al-qaeda"),
    ]


def test_ambiguous_must_be_an_alias(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "actors:\n  - {id: a, type: media, name_ar: ألف, name_en: A, ambiguous: [باء]}\n",
    )
    with pytest.raises(DataFileError, match=r":2: a: ambiguous 'باء' is not one of its aliases"):
        load_actors(path)


@pytest.mark.shared
def test_actors_in_the_example_articles(examples_dir: Path) -> None:
    text = "\n".join(
        (examples_dir / name).read_text(encoding="utf-8")
        for name in ("mosul-foreign-fighters.txt", "raqqa-caliphate-army.txt")
    )
    ids = {actor.id for _, _, actor in load_actors().find(text)}
    assert {
        "isis", "isis-caliphate-army", "isis-tariq-ibn-ziyad", "iraqi-army", "iraq-cts",
        "washington-post", "libya-24", "rbss",
    } <= ids  # fmt: skip
    assert "al-qaeda" not in ids  # قاعدة there is "a base"
