"""Nisbas: the relational adjectives in names (الشيشاني، الأمريكي، التميمي).

A nisba is recorded with its kind, and when it points at a place, with the
country or region it *suggests*. That is an attribute of the name ("origin
suggested by nisba"), never a fact about the person: a nom de guerre may carry
the nisba of a country its bearer only passed through.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rasid.names.datafile import read_tsv
from rasid.names.folding import fold, fold_latin, strip_article, strip_latin_article

__all__ = ["NISBA_PATH", "NisbaCatalogue", "NisbaInfo", "load_nisbas"]

NISBA_PATH = Path(__file__).resolve().parents[1] / "data" / "names" / "nisba.tsv"
KINDS = ("country", "region", "city", "ethnic", "tribal")
_COLUMNS = (
    "form",
    "kind",
    "country",
    "country_en",
    "region_en",
    "region_ar",
    "variants_ar",
    "latin",
)


@dataclass(frozen=True, slots=True)
class NisbaInfo:
    """What the curated list knows about one nisba."""

    form: str  # Arabic, with the article: الشيشاني
    kind: str  # one of KINDS
    country: str | None  # ISO 3166-1 alpha-2 the nisba suggests, if any
    country_en: str | None
    region_en: str | None
    region_ar: str | None
    latin: tuple[str, ...]  # usual Latin spellings, the first is preferred

    def origin(self) -> dict[str, str] | None:
        """The place the nisba suggests, as an attribute dict; None for tribal nisbas."""
        if self.kind == "tribal":
            return None
        origin = {"basis": "nisba", "nisba": self.form, "kind": self.kind}
        if self.country:
            origin["country"] = self.country
        if self.country_en:
            origin["country_en"] = self.country_en
        if self.region_en:
            origin["region_en"] = self.region_en
        if self.region_ar:
            origin["region_ar"] = self.region_ar
        return origin


class NisbaCatalogue:
    def __init__(
        self, entries: list[NisbaInfo], arabic: dict[str, NisbaInfo], latin: dict[str, NisbaInfo]
    ):
        self.entries = entries
        self._arabic = arabic
        self._latin = latin

    def lookup(self, word: str) -> NisbaInfo | None:
        """The nisba for an Arabic word (with or without article, any hamza spelling)."""
        return self._arabic.get(strip_article(fold(word)))

    def nationality(self, word: str) -> NisbaInfo | None:
        """The nisba behind a nationality word: بلجيكي، البلجيكية، العراقيون، الشيشانيين، الأوزبك."""
        folded = fold(word)
        if " " in folded:
            return None
        found = self.lookup(folded)
        if found is not None:
            return found
        # feminine and sound plurals of the adjective: ـية، ـيون، ـيين، ـيات
        for suffix in ("ون", "ين", "ات", "ه"):
            if folded.endswith("ي" + suffix) and len(folded) > len(suffix) + 3:
                found = self.lookup(folded[: -len(suffix)])
                if found is not None:
                    return found
        return None

    def lookup_latin(self, word: str) -> NisbaInfo | None:
        """The nisba for a Latin spelling ("al-Shishani", "Amreeki")."""
        return self._latin.get(strip_latin_article(fold_latin(word)))


@cache
def load_nisbas(path: Path = NISBA_PATH) -> NisbaCatalogue:
    entries: list[NisbaInfo] = []
    arabic: dict[str, NisbaInfo] = {}
    latin: dict[str, NisbaInfo] = {}
    for row in read_tsv(path, _COLUMNS):
        form = row.required("form")
        kind = row.required("kind")
        if kind not in KINDS:
            raise row.fail(f"kind {kind!r} is not one of {', '.join(KINDS)}")
        country = row.get("country") or None
        if country is not None and (len(country) != 2 or not country.isupper()):
            raise row.fail(f"country {country!r} is not an ISO 3166-1 alpha-2 code")
        if not fold(form).startswith("ال") or not fold(form).endswith("ي"):
            raise row.fail(f"form {form!r} is not a nisba (ال...ي)")
        info = NisbaInfo(
            form=form,
            kind=kind,
            country=country,
            country_en=row.get("country_en") or None,
            region_en=row.get("region_en") or None,
            region_ar=row.get("region_ar") or None,
            latin=tuple(row.items_of("latin")),
        )
        entries.append(info)
        for variant in [form, *row.items_of("variants_ar")]:
            key = strip_article(fold(variant))
            if key in arabic:
                raise row.fail(f"{variant!r} is already listed as {arabic[key].form!r}")
            arabic[key] = info
        for spelling in info.latin:
            latin.setdefault(strip_latin_article(fold_latin(spelling)), info)
    return NisbaCatalogue(entries, arabic, latin)
