"""Geocoding: the example places, clitics, ambiguity, context, Latin queries, bad input."""

from __future__ import annotations

import pytest

from rasid.errors import EmptyInputError, InputError
from rasid.places import geocode


def _top(name: str, **kwargs: object) -> tuple[str, str, float, float, int]:
    candidates = geocode(name, **kwargs)  # type: ignore[arg-type]
    assert candidates, name
    best = candidates[0]
    return best.id, best.type, best.lat, best.lon, best.precision


@pytest.mark.parametrize(
    ("name", "place_id", "lat", "lon"),
    [
        ("منبج", "geonames:167357", 36.53, 37.95),
        ("الرقة", "geonames:172955", 35.95, 39.01),
        ("حلب", "geonames:170063", 36.20, 37.16),
        ("مسكنة", "geonames:167080", 35.97, 38.04),
        ("جرابلس", "geonames:169179", 36.82, 38.01),
        ("الباب", "geonames:174018", 36.37, 37.52),
        ("الموصل", "geonames:99072", 36.34, 43.12),
        ("عين العرب", "geonames:172256", 36.89, 38.35),
        ("عين عرب", "geonames:172256", 36.89, 38.35),
        ("كوباني", "geonames:172256", 36.89, 38.35),
        ("اعزاز", "geonames:172082", 36.59, 37.05),
        ("دابق", "rasid:dabiq", 36.54, 37.27),
    ],
)
def test_example_towns(name: str, place_id: str, lat: float, lon: float) -> None:
    got_id, kind, got_lat, got_lon, precision = _top(name)
    assert got_id == place_id
    assert kind in {"city", "town"}
    assert precision == 1
    assert abs(got_lat - lat) < 0.02 and abs(got_lon - lon) < 0.02


@pytest.mark.parametrize(
    ("name", "place_id"),
    [
        ("مطار الجراح", "rasid:jirah-airbase"),
        ("مطار كشيش", "rasid:jirah-airbase"),
        ("سد تشرين", "rasid:tishrin-dam"),
        ("مطار منغ", "rasid:menagh-airbase"),
        ("مطار الطبقة", "rasid:tabqa-airbase"),
        ("مطار كويرس", "rasid:kuweires-airbase"),
        ("قاعدة حميميم", "rasid:hmeimim-airbase"),
        ("قاعدة عين الأسد", "rasid:ain-al-asad"),
        ("سد الفرات", "rasid:tabqa-dam"),
        ("سد الطبقة", "rasid:tabqa-dam"),
        ("سد الموصل", "rasid:mosul-dam"),
        ("مخيم الهول", "rasid:al-hol-camp"),
        ("معبر باب السلامة", "rasid:bab-al-salama"),
        ("معبر باب الهوى", "rasid:bab-al-hawa"),
    ],
)
def test_facilities(name: str, place_id: str) -> None:
    got_id, kind, _, _, precision = _top(name)
    assert (got_id, kind, precision) == (place_id, "facility", 1)


def test_jirah_air_base_lies_in_east_aleppo_countryside() -> None:
    [jirah, *_] = geocode("مطار الجراح")
    assert jirah.country == "SY" and jirah.admin1 == "Aleppo Governorate"
    assert 36.0 < jirah.lat < 36.2 and 37.8 < jirah.lon < 38.0


@pytest.mark.parametrize("form", ["بمنبج", "لمنبج", "ومنبج", "ومدينة منبج", "مدينة منبج", "فمنبج"])
def test_clitics_and_place_words_are_stripped(form: str) -> None:
    assert _top(form)[0] == "geonames:167357"


def test_article_clitic_forms() -> None:
    assert _top("بالموصل")[0] == "geonames:99072"
    assert _top("للرقة")[0] == "geonames:172955"
    assert _top("والرقة")[0] == "geonames:172955"


def test_city_by_default_province_after_muhafazat() -> None:
    assert _top("حلب")[1] == "city"
    assert _top("محافظة حلب")[:2] == ("admin1:SY.09", "admin1")
    assert _top("محافظة الرقة")[0] == "admin1:SY.04"
    assert _top("الرقة")[1] == "city"
    assert _top("محافظة نينوى")[4] == 3


def test_relative_regions() -> None:
    place_id, kind, _lat, lon, precision = _top("ريف حلب الشرقي")
    assert (place_id, kind, precision) == ("rasid:rif-aleppo-east", "region", 3)
    assert lon > 37.16 + 0.3  # east of the city
    assert _top("ريف الرقة")[0] == "rasid:rif-raqqa"
    assert _top("ريف الرقة الشرقي")[0] == "rasid:rif-raqqa-east"
    assert _top("الحدود العراقية")[1] == "region"


def test_derived_countryside_of_a_town_is_shifted_and_less_precise() -> None:
    [region, *_] = geocode("ريف منبج الشمالي")
    assert region.type == "region"
    assert region.derived_from == "geonames:167357"
    assert region.lat > 36.53 and region.precision == 2
    [east, *_] = geocode("شرق منبج")
    assert east.lon > 37.95 and east.precision == 2 and east.derived_from == "geonames:167357"
    # a governorate capital's countryside is province-level
    [south, *_] = geocode("ريف إدلب الجنوبي")
    assert south.precision == 3 and south.lat < 35.93


def test_neighbourhood_of_mosul() -> None:
    [andalus, *_] = geocode("حي الأندلس")
    assert andalus.id == "rasid:mosul-andalus"
    assert andalus.type == "neighbourhood"
    assert andalus.admin1 == "Nineveh Governorate"
    assert _top("بحي الأندلس")[0] == "rasid:mosul-andalus"


@pytest.mark.parametrize(
    ("query", "place_id"),
    [
        ("Manbij", "geonames:167357"),
        ("Mosul", "geonames:99072"),
        ("Kobani", "geonames:172256"),
        ("Kobane", "geonames:172256"),
        ("Raqqa", "geonames:172955"),
        ("Ar-Raqqah", "geonames:172955"),
        ("Aleppo", "geonames:170063"),
        ("Aleppo Governorate", "admin1:SY.09"),
        ("Jirah air base", "rasid:jirah-airbase"),
        ("Tishrin Dam", "rasid:tishrin-dam"),
    ],
)
def test_latin_queries(query: str, place_id: str) -> None:
    assert _top(query)[0] == place_id


def test_village_shared_by_two_provinces_follows_the_context() -> None:
    # صوران: a town in Hama and a village in north Aleppo.
    assert _top("صوران")[0] == "geonames:163915"  # the larger, Hama
    near_azaz = _top("صوران", context=["أعزاز", "مارع", "دابق"])
    assert near_azaz[0] == "geonames:163913"
    # سنجار: the Iraqi town, or a village in Idlib
    assert _top("سنجار", context=["تلعفر", "الموصل"])[0] == "geonames:448149"
    assert _top("سنجار", context=["إدلب", "معرة النعمان", "سراقب"])[0] == "geonames:164094"


def test_countries_in_context_and_country_hint() -> None:
    assert _top("طرابلس", context=["لبنان"])[0] == "geonames:266826"
    assert _top("طرابلس", context=["ليبيا", "بنغازي"])[0] == "geonames:2210247"
    assert _top("طرابلس", country_hint="LB")[0] == "geonames:266826"


def test_countries() -> None:
    for name in ("سوريا", "سورية", "Syria"):
        place_id, kind, _, _, precision = _top(name)
        assert (place_id, kind, precision) == ("country:SY", "country", 3)
    assert _top("العراق")[0] == "country:IQ"


def test_scores_are_relative_and_sorted() -> None:
    candidates = geocode("الرقة", limit=10)
    assert len(candidates) >= 2
    assert candidates[0].score > candidates[1].score
    assert abs(sum(c.score for c in candidates) - 1.0) < 0.01


def test_unknown_place_gives_no_candidates() -> None:
    assert geocode("قزقزستان العظمى") == []


@pytest.mark.parametrize("bad", ["", "  "])
def test_empty_query(bad: str) -> None:
    with pytest.raises(EmptyInputError):
        geocode(bad)


def test_over_long_query_and_bad_hint() -> None:
    with pytest.raises(InputError, match="not a place name"):
        geocode(" ".join(["حلب"] * 40))
    with pytest.raises(InputError, match="alpha-2"):
        geocode("حلب", country_hint="Syria")


def test_side_of_a_country_is_far_out_and_province_level() -> None:
    [north, *_] = geocode("شمال سوريا")
    assert north.type == "region" and north.precision == 3
    assert north.lat > 36.0 and north.derived_from == "country:SY"


def test_trailing_words_and_facility_words() -> None:
    assert _top("مطار الشعيرات السوري")[0] == "rasid:shayrat-airbase"
    assert _top("مدينة عفرين خشية")[0] == "geonames:174186"
    # an unknown facility at a known town is placed at the town, less precisely
    [airport, *_] = geocode("مطار السليمانية")
    assert airport.type == "facility" and airport.precision == 2
    assert airport.derived_from and airport.subtype == "airport"
    # a two-word name is not its first word plus a stray one
    assert _top("حمام العليل")[0] == "rasid:hammam-al-alil"
    assert all(c.country != "EG" for c in geocode("حمام العليل"))
    # "a Syrian town" names no town
    assert geocode("بلدة سورية") == []


def test_a_candidate_as_a_dict_is_what_asdict_gives() -> None:
    from dataclasses import asdict

    best = geocode("منبج")[0]
    assert best.to_dict() == asdict(best)
    assert list(best.to_dict()) == list(asdict(best))


def test_context_names_give_the_same_answer_cached_or_not() -> None:
    first = geocode("الرقة", context=["سوريا", " منبج "])
    again = geocode("الرقة", context=["سوريا", "منبج"])
    assert [c.to_dict() for c in first] == [c.to_dict() for c in again]
