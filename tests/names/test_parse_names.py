"""Parsing, romanising and keying Arabic personal names."""

from __future__ import annotations

import pytest

from rasid.errors import EmptyInputError, InputError, RasidError
from rasid.names import name_keys, parse_name


def test_omar_al_shishani_is_ism_and_a_nisba_pointing_at_chechnya() -> None:
    parsed = parse_name("عمر الشيشاني")
    assert parsed.ism == "عمر"
    assert parsed.kunya is None
    [nisba] = parsed.nisbas
    assert nisba.form == "الشيشاني"
    assert nisba.kind == "region"
    assert nisba.origin is not None
    assert nisba.origin["country"] == "RU"
    assert nisba.origin["region_en"] == "Chechnya"
    assert nisba.origin["basis"] == "nisba"  # an attribute of the name, not a fact
    assert parsed.romanized[0] == "Omar al-Shishani"


def test_abu_muhammad_al_amriki_kunya_and_us_nisba_in_common_spellings() -> None:
    parsed = parse_name("أبو محمد الأمريكي")
    assert parsed.kunya == "أبو محمد"
    assert parsed.ism is None
    assert parsed.nisbas[0].origin is not None
    assert parsed.nisbas[0].origin["country"] == "US"
    assert parsed.romanized[0] == "Abu Muhammad al-Amriki"
    assert "Abu Mohammed al-Amriki" in parsed.romanized
    assert "Abu Muhammad al-Amreeki" in parsed.romanized


def test_spelling_without_hamza_parses_the_same() -> None:
    # The Raqqa article writes ابو محمد الامريكي and ابو ايمن العراقي.
    with_hamza, without = parse_name("أبو أيمن العراقي"), parse_name("ابو ايمن العراقي")
    assert without.kunya == "ابو ايمن"
    assert without.nisbas[0].origin is not None
    assert without.nisbas[0].origin["country"] == "IQ"
    assert with_hamza.keys == without.keys
    assert with_hamza.romanized[0] == "Abu Ayman al-Iraqi"
    assert name_keys("ابو محمد الامريكي") == name_keys("أبو محمد الأمريكي")


def test_romanisation_ignores_whole_name_aliases_of_other_people() -> None:
    # The romaniser's whole-name table files أبو أيمن العراقي under another
    # man's name; we romanise part by part.
    assert all(
        "Ali" not in r and "Ibrahim" not in r for r in parse_name("أبو أيمن العراقي").romanized
    )


def test_two_different_abu_muhammads_do_not_share_a_key() -> None:
    amriki, adnani = name_keys("أبو محمد الأمريكي"), name_keys("أبو محمد العدناني")
    assert amriki and adnani
    assert not amriki & adnani


def test_keys_survive_article_hamza_and_ta_marbuta_variants() -> None:
    assert name_keys("عمر الشيشاني") & name_keys("عمر شيشاني")
    assert name_keys("أسامة بن لادن") & name_keys("اسامه بن لادن")
    assert name_keys("عبدالله") == name_keys("عبد الله")
    assert name_keys("أسامة ابن لادن") & name_keys("أسامة بن لادن")


def test_tribal_nisba_suggests_no_place_and_title_is_not_part_of_the_name() -> None:
    parsed = parse_name("المقدم مهند التميمي")
    assert parsed.titles == ["المقدم"]
    assert parsed.ism == "مهند"
    [nisba] = parsed.nisbas
    assert nisba.kind == "tribal"
    assert nisba.origin is None
    assert "مقدم" not in " ".join(parsed.keys)


def test_unknown_nisba_like_word_is_recorded_with_unknown_kind() -> None:
    parsed = parse_name("حيدر العبادي")
    assert parsed.ism == "حيدر"
    assert parsed.nisbas[0].kind == "unknown"
    assert parsed.nisbas[0].origin is None
    assert parsed.romanized[0].endswith("al-Abadi")


def test_nasab_chain_and_compound_ism() -> None:
    parsed = parse_name("عبد الله بن محمد بن علي القحطاني")
    assert parsed.ism == "عبد الله"
    assert parsed.nasab == ["بن محمد", "بن علي"]
    assert parsed.nisbas[0].form == "القحطاني"
    assert parsed.romanized[0].startswith("Abdullah bin Muhammad bin Ali")


def test_baghdadi_is_a_city_nisba_in_iraq() -> None:
    parsed = parse_name("أبو بكر البغدادي")
    assert parsed.kunya == "أبو بكر"
    origin = parsed.nisbas[0].origin
    assert origin is not None
    assert (origin["country"], origin["region_en"]) == ("IQ", "Baghdad")
    assert parsed.romanized[0] == "Abu Bakr al-Baghdadi"


def test_latin_name_parses_and_meets_its_arabic_spelling() -> None:
    parsed = parse_name("Omar al-Shishani")
    assert parsed.script == "latin"
    assert parsed.ism == "Omar"
    assert parsed.nisbas[0].form == "al-Shishani"
    assert parsed.nisbas[0].origin is not None
    assert parsed.nisbas[0].origin["region_en"] == "Chechnya"
    assert "عمر الشيشاني" in parsed.arabic
    assert "ar:عمر شيشاني" in name_keys("Omar al-Shishani")
    assert name_keys("Omar al-Shishani") & name_keys("عمر الشيشاني")


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [
        ("Abu Mohammed al-Amreeki", "أبو محمد الأمريكي"),
        ("Abu Bakr al-Baghdadi", "أبو بكر البغدادي"),
        ("Haider Al Abadi", "حيدر العبادي"),
        ("Abdul Rahman al-Qaduli", "عبد الرحمن القادولي"),
        ("Abdulrahman al-Qaduli", "عبدالرحمن القادولي"),
        ("Abdullah", "عبد الله"),
    ],
)
def test_latin_spellings_share_a_key_with_arabic(latin: str, arabic: str) -> None:
    assert name_keys(latin) & name_keys(arabic)


def test_latin_abd_compound_is_one_ism() -> None:
    parsed = parse_name("Abdul Rahman al-Qaduli")
    assert parsed.ism == "Abdul Rahman"
    assert parsed.nasab == []


def test_latin_names_that_differ_do_not_share_the_arabic_key() -> None:
    a = {k for k in name_keys("Abu Muhammad al-Amriki") if k.startswith("ar:")}
    b = {k for k in name_keys("Abu Muhammad al-Adnani") if k.startswith("ar:")}
    assert a and b and not a & b


@pytest.mark.parametrize("bad", ["", "   ", "\n\t"])
def test_empty_name_is_a_clear_error(bad: str) -> None:
    with pytest.raises(EmptyInputError, match="empty"):
        parse_name(bad)


def test_five_hundred_words_are_not_a_name() -> None:
    with pytest.raises(InputError, match="500 words"):
        parse_name(" ".join(["محمد"] * 500))


def test_no_letters_is_not_a_name() -> None:
    with pytest.raises(RasidError, match="no Arabic or Latin letters"):
        parse_name("1234 !!")


def test_to_dict_is_json_ready() -> None:
    import json

    data = parse_name("أبو محمد الأمريكي").to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False))["kunya"] == "أبو محمد"


@pytest.mark.shared
def test_names_of_the_example_articles(examples_dir: object) -> None:
    from pathlib import Path

    assert isinstance(examples_dir, Path)
    raqqa = (examples_dir / "raqqa-caliphate-army.txt").read_text(encoding="utf-8")
    mosul = (examples_dir / "mosul-foreign-fighters.txt").read_text(encoding="utf-8")
    # The Raqqa article spells the same men with and without hamza.
    for a, b in [
        ("ابو محمد الامريكي", "أبو محمد الامريكي"),
        ("ابو ايمن العراقي", "أبو ايمن العراقي"),
    ]:
        assert a in raqqa and b in raqqa
        assert name_keys(a) == name_keys(b)
    assert "عمر الشيشاني" in raqqa
    assert parse_name("ابو ايمن العراقي").romanized[0] == "Abu Ayman al-Iraqi"
    # Two Tamimis in the Mosul article are different men.
    assert "سعيد التميمي" in mosul and "مهند التميمي" in mosul
    assert not name_keys("سعيد التميمي") & name_keys("المقدم مهند التميمي")
    abadi = parse_name("حيدر العبادي")
    assert "حيدر العبادي" in mosul and abadi.ism == "حيدر"
