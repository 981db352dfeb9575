"""The nisba catalogue, romanisation fallback and the cross-script skeleton."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasid.errors import DataFileError
from rasid.names.folding import fold, skeleton
from rasid.names.nisba import NISBA_PATH, load_nisbas
from rasid.names.romanize import back_transliterate, romanize_unit, rule_romanize


@pytest.mark.parametrize(
    ("nisba", "country"),
    [
        ("الأمريكي", "US"), ("الامريكي", "US"), ("الأميركي", "US"), ("الأوزبكي", "UZ"),
        ("العراقي", "IQ"), ("التونسي", "TN"), ("الليبي", "LY"), ("المصري", "EG"),
        ("السعودي", "SA"), ("الأردني", "JO"), ("الفرنسي", "FR"), ("البلجيكي", "BE"),
        ("البريطاني", "GB"), ("الألماني", "DE"), ("التركي", "TR"), ("الكويتي", "KW"),
        ("اليمني", "YE"), ("السوداني", "SD"), ("الصومالي", "SO"), ("المغربي", "MA"),
        ("الجزائري", "DZ"), ("الداغستاني", "RU"), ("الكازاخي", "KZ"), ("الطاجيكي", "TJ"),
        ("الأفغاني", "AF"), ("الباكستاني", "PK"), ("الأسترالي", "AU"), ("الكوسوفي", "XK"),
        ("الألباني", "AL"), ("البوسني", "BA"), ("الشيشاني", "RU"),
    ],
)  # fmt: skip
def test_nisba_points_at_its_country(nisba: str, country: str) -> None:
    info = load_nisbas().lookup(nisba)
    assert info is not None
    assert info.country == country


def test_caucasian_is_a_region_without_a_country() -> None:
    info = load_nisbas().lookup("القوقازي")
    assert info is not None
    assert info.kind == "region" and info.country is None and info.region_en == "Caucasus"


def test_tribal_nisbas_have_no_origin() -> None:
    for form in ("التميمي", "الأنصاري", "العتيبي"):
        info = load_nisbas().lookup(form)
        assert info is not None and info.kind == "tribal" and info.origin() is None


def test_latin_lookup_of_nisbas() -> None:
    info = load_nisbas().lookup_latin("al-Amreeki")
    assert info is not None and info.country == "US"
    assert load_nisbas().lookup_latin("Shishani") is load_nisbas().lookup("الشيشاني")


def test_every_nisba_form_is_an_article_word_ending_in_ya() -> None:
    for info in load_nisbas().entries:
        assert fold(info.form).startswith("ال") and fold(info.form).endswith("ي")


def _write(tmp_path: Path, body: str) -> Path:
    header = NISBA_PATH.read_text(encoding="utf-8").splitlines()
    columns = next(line for line in header if line.startswith("form\t"))
    path = tmp_path / "nisba.tsv"
    path.write_text(f"# test\n{columns}\n{body}\n", encoding="utf-8")
    return path


def test_broken_nisba_row_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "الأمريكي\tcountry\tUSA\tUnited States\t\t\t\tal-Amriki")
    with pytest.raises(DataFileError, match=r"nisba\.tsv:3: country 'USA'"):
        load_nisbas(path)


def test_duplicate_nisba_variant_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "الأمريكي\tcountry\tUS\tUS\t\t\t\tal-Amriki\nالامريكي\tcountry\tUS\tUS\t\t\t\tal-Amriki",
    )
    with pytest.raises(DataFileError, match=r":4: .*already listed"):
        load_nisbas(path)


def test_unknown_kind_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "الأمريكي\tnational\tUS\tUS\t\t\t\tal-Amriki")
    with pytest.raises(DataFileError, match="kind 'national'"):
        load_nisbas(path)


def test_rule_romanisation_fallback() -> None:
    assert rule_romanize("كشيش") == "Kashish"
    assert rule_romanize("الرقه").startswith("al-")
    assert rule_romanize("وليد").startswith("W")


def test_romanize_unit_uses_particles_and_checks_dictionary_answers() -> None:
    assert romanize_unit("بن") == ["bin", "ibn", "ben"]
    assert romanize_unit("أبو")[0] == "Abu"
    # a nisba the dictionary does not know still comes back, with the article
    assert romanize_unit("الكوسوفي")[0] == "al-Kosovi"
    for spelling in romanize_unit("الذباح"):
        assert spelling.startswith("al-")


def test_back_transliteration() -> None:
    assert back_transliterate("Omar")[0] == "عمر"
    assert back_transliterate("al-Shishani") == ["الشيشاني"]
    assert back_transliterate("Abu") == ["ابو"]
    assert "محمدعلي" not in back_transliterate("Muhammad")


def test_skeleton_joins_scripts_and_spellings() -> None:
    assert skeleton("عمر الشيشاني") == skeleton("Omar al-Shishani") == skeleton("Umar Shishani")
    assert skeleton("محمد") == skeleton("Muhammad") == skeleton("Mohammed")
    assert skeleton("الأمريكي") == skeleton("al-Amreeki")
    assert skeleton("العدناني") != skeleton("الأمريكي")


@pytest.mark.parametrize(
    ("word", "form"),
    [
        ("بلجيكي", "البلجيكي"),
        ("البلجيكية", "البلجيكي"),
        ("العراقيون", "العراقي"),
        ("الشيشانيين", "الشيشاني"),
        ("الشيشان", "الشيشاني"),
        ("الاوزبك", "الأوزبكي"),
        ("القوقازيون", "القوقازي"),
        ("كوسوفي", "الكوسوفي"),
    ],
)
def test_nationality_words(word: str, form: str) -> None:
    info = load_nisbas().nationality(word)
    assert info is not None and info.form == form


def test_words_that_are_not_nationalities() -> None:
    for word in ("الأجانب", "المقاتلين", "داعش", "الجيش العراقي"):
        assert load_nisbas().nationality(word) is None
