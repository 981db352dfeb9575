"""Loading the gazetteer files: speed, completeness and broken rows."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from rasid.errors import DataFileError
from rasid.places.gazetteer import (
    CURATED_PATH,
    LATIN_INDEX_PATH,
    Gazetteer,
    load_gazetteer,
)
from rasid.places.keys import arabic_place_key, latin_place_key


def test_gazetteer_is_cached_in_process() -> None:
    assert load_gazetteer() is load_gazetteer()


def test_keys_fold_article_hamza_ta_marbuta_and_latin_noise() -> None:
    assert arabic_place_key("الرقة") == arabic_place_key("رقه") == "رقه"
    assert arabic_place_key("عين العرب") == arabic_place_key("عين عرب")
    assert arabic_place_key("أعزاز") == arabic_place_key("اعزاز")
    assert latin_place_key("Ar Raqqah") == latin_place_key("Raqqa") == latin_place_key("al-Raqqa")
    assert latin_place_key("Manbij") == "manbij"


def test_stored_index_keys_are_current() -> None:
    # The index stores folded keys; if the fold changes the index must be rebuilt.
    gazetteer = load_gazetteer()
    for key in ["منبج", "حلب", "موصل", "رقه"]:
        assert gazetteer.lookup_arabic(key), key
        assert arabic_place_key(key) == key


def test_every_curated_row_loads_and_governorates_link() -> None:
    gazetteer = load_gazetteer()
    aleppo = gazetteer.admin1("SY.09")
    assert aleppo is not None and aleppo.name_en == "Aleppo Governorate"
    nineveh = gazetteer.admin1("IQ.15")
    assert nineveh is not None and nineveh.name_ar == "محافظة نينوى"
    manbij = gazetteer.by_id("geonames:167357")
    assert manbij is not None and manbij.admin1 == "SY.09"
    jirah = gazetteer.by_id("rasid:jirah-airbase")
    assert jirah is not None and jirah.source and jirah.curated


def _curated(tmp_path: Path, rows: str) -> Path:
    lines = CURATED_PATH.read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if line.startswith("id\t"))
    path = tmp_path / "curated.tsv"
    path.write_text(f"# test file\n{header}\n{rows}\n", encoding="utf-8")
    return path


def _row(**cells: str) -> str:
    columns = [
        "id", "type", "subtype", "name_ar", "aliases_ar", "name_en", "aliases_en", "lat", "lon",
        "country", "admin1", "parent", "same_as", "precision", "source",
    ]  # fmt: skip
    return "\t".join(cells.get(c, "") for c in columns)


GOOD = dict(
    id="rasid:x",
    type="town",
    name_ar="قرية",
    name_en="X",
    lat="36.1",
    lon="37.2",
    country="SY",
    source="test",
)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lat": "north"}, r"curated\.tsv:4: column 'lat' must be a number"),
        ({"lat": "136.1"}, r"curated\.tsv:4: column 'lat' = 136.1 is outside"),
        ({"type": "hamlet"}, r"curated\.tsv:4: type 'hamlet'"),
        ({"country": "Syria"}, r"curated\.tsv:4: country 'Syria'"),
        ({"name_en": ""}, r"curated\.tsv:4: column 'name_en' is empty"),
        ({"precision": "5"}, r"curated\.tsv:4: precision '5'"),
        ({"same_as": "geonames:1"}, r"curated\.tsv:4: a row has either an id"),
        ({"id": "", "same_as": "geonames:0"}, r"curated\.tsv:4: same_as 'geonames:0'"),
    ],
)
def test_broken_curated_row_names_file_and_line(
    tmp_path: Path, change: dict[str, str], message: str
) -> None:
    path = _curated(tmp_path, _row(**GOOD) + "\n" + _row(**{**GOOD, "id": "rasid:y", **change}))
    with pytest.raises(DataFileError, match=message):
        Gazetteer(_tiny_index(tmp_path), LATIN_INDEX_PATH, path)


def test_too_many_cells_and_duplicate_id(tmp_path: Path) -> None:
    path = _curated(tmp_path, _row(**GOOD) + "\textra\textra")
    with pytest.raises(DataFileError, match=r"curated\.tsv:3: 17 tab-separated cells"):
        Gazetteer(_tiny_index(tmp_path), LATIN_INDEX_PATH, path)
    path = _curated(tmp_path, _row(**GOOD) + "\n" + _row(**GOOD))
    with pytest.raises(DataFileError, match=r"curated\.tsv:4: id 'rasid:x' is used twice"):
        Gazetteer(_tiny_index(tmp_path), LATIN_INDEX_PATH, path)


def test_unknown_parent(tmp_path: Path) -> None:
    path = _curated(tmp_path, _row(**{**GOOD, "parent": "rasid:nowhere"}))
    with pytest.raises(DataFileError, match="unknown parent 'rasid:nowhere'"):
        Gazetteer(_tiny_index(tmp_path), LATIN_INDEX_PATH, path)


def _index(tmp_path: Path, rows: list[str], keys: list[str]) -> Path:
    path = tmp_path / "geonames.tsv.gz"
    text = "\n".join(
        [
            "# test",
            "# fold_version=1",
            "@places",
            "id\tkind\tname_en\tname_ar\tlat\tlon\tcountry\tadmin1\tpopulation",
            *rows,
            "@ar",
            *keys,
        ]
    )
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    return path


def _tiny_index(tmp_path: Path) -> Path:
    return _index(tmp_path, ["geonames:1\tcity\tA\tالف\t36.0\t37.0\tSY\t09\t100"], ["الف\t0"])


def test_broken_index_row_names_file_and_line(tmp_path: Path) -> None:
    path = _index(
        tmp_path,
        [
            "geonames:1\tcity\tA\tالف\t36.0\t37.0\tSY\t09\t100",
            "geonames:2\tcity\tB\tباء\tnorth\t37.0\tSY\t09\t100",
        ],
        ["الف\t0", "باء\t1"],
    )
    gazetteer = Gazetteer(path, LATIN_INDEX_PATH, _curated(tmp_path, ""))
    assert gazetteer.lookup_arabic("الف")[0].name_en == "A"
    with pytest.raises(DataFileError, match=r"geonames\.tsv\.gz:6: bad number"):
        gazetteer.lookup_arabic("باء")
    with pytest.raises(DataFileError, match=r"geonames\.tsv\.gz:6: bad number"):
        gazetteer.validate()


def test_index_without_tab_or_stale_fold(tmp_path: Path) -> None:
    path = _index(tmp_path, ["geonames:1\tcity\tA\tالف\t36.0\t37.0\tSY\t09\t100"], ["الف 0"])
    with pytest.raises(DataFileError, match=r"geonames\.tsv\.gz:7: key line without a tab"):
        Gazetteer(path, LATIN_INDEX_PATH, _curated(tmp_path, ""))
    stale = tmp_path / "stale.tsv.gz"
    stale.write_bytes(gzip.compress(b"# test\n# fold_version=0\n@places\n@ar\n"))
    with pytest.raises(DataFileError, match="rebuild"):
        Gazetteer(stale, LATIN_INDEX_PATH, _curated(tmp_path, ""))


def test_missing_index_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="build_index"):
        Gazetteer(tmp_path / "nope.tsv.gz", LATIN_INDEX_PATH, CURATED_PATH)
