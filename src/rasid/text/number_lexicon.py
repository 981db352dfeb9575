"""The number lexicon: ``data/lexicon/numbers.yaml`` loaded once and checked."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from rasid.errors import DataFileError
from rasid.text.scan import PROCLITICS, Triggers, fold_key

__all__ = ["NumberLexicon", "counted_noun_class", "number_lexicon", "strip_lookup"]


@dataclass
class NumberLexicon:
    words: dict[str, tuple[str, float]]  # key -> (atom type, value)
    vague: dict[str, tuple[float, float, float]]
    vague_mult: dict[str, float]
    fractions: dict[str, float]
    frac_scale_only: frozenset[str]
    half_after: frozenset[str]
    hedges_before: dict[tuple[str, ...], str]
    hedges_after: dict[tuple[str, ...], str]
    hedge_factors: dict[str, tuple[float, float]]
    estimate_verbs: frozenset[str]
    range_joiners: frozenset[str]
    percent_words: frozenset[str]
    percent_phrases: frozenset[tuple[str, ...]]
    year_cues: frozenset[str]
    not_count_before_one: frozenset[str]
    ordinals: dict[str, int]
    ordinal_blockers: frozenset[str]
    nouns: dict[str, tuple[str, str]]  # form key -> (lemma key, class)
    dual_nouns: dict[str, tuple[str, str]]
    not_units: frozenset[str]
    date_words: frozenset[str]
    triggers: frozenset[str]
    finder: Triggers


def _keys(items: Any, where: str) -> list[str]:
    if not isinstance(items, list):
        raise DataFileError(f"numbers.yaml: {where} must be a list")
    return [fold_key(str(item)) for item in items]


def _phrases(mapping: Any, where: str) -> dict[tuple[str, ...], str]:
    if not isinstance(mapping, dict):
        raise DataFileError(f"numbers.yaml: {where} must be a mapping")
    return {tuple(fold_key(str(k)).split()): str(v) for k, v in mapping.items()}


@lru_cache(maxsize=1)
def number_lexicon() -> NumberLexicon:
    path = resources.files("rasid") / "data" / "lexicon" / "numbers.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"cannot read the number lexicon {path}: {exc}") from exc
    try:
        words: dict[str, tuple[str, float]] = {}
        for k, v in raw["units"].items():
            words[fold_key(k)] = ("unit", float(v))
        for k, v in raw["teen_heads"].items():
            words.setdefault(fold_key(k), ("teen_head", float(v)))
        for k in raw["teen_tails"]:
            words.setdefault(fold_key(k), ("unit", 10.0))
        for k, v in raw["tens"].items():
            words[fold_key(k)] = ("tens", float(v))
        for k, v in raw["hundreds"].items():
            words[fold_key(k)] = ("hundred", float(v))
        for scale in raw["scales"]:
            value = float(scale["value"])
            for form in scale["plural"]:
                words[fold_key(form)] = ("scale_plural", value)
            for form in scale["dual"]:
                words[fold_key(form)] = ("scale_dual", value)
            for form in scale["singular"]:  # singular wins over dual ("ألفا")
                words[fold_key(form)] = ("scale", value)
        vague = {
            fold_key(k): (float(v["low"]), float(v["high"]), float(v["best"]))
            for k, v in raw["vague"].items()
        }
        nouns: dict[str, tuple[str, str]] = {}
        duals: dict[str, tuple[str, str]] = {}
        for lemma, spec in raw["count_nouns"].items():
            entry = (fold_key(lemma), str(spec["class"]))
            for form in spec["forms"]:
                nouns[fold_key(form)] = entry
            for form in spec.get("dual") or []:
                duals[fold_key(form)] = entry
        fractions = {fold_key(k): float(v) for k, v in raw["fractions"].items()}
        ordinals = {fold_key(k): int(v) for k, v in raw["ordinals"].items()}
        hedge_factors = {
            str(k): (float(v["low"]), float(v["high"])) for k, v in raw["hedge_classes"].items()
        }
        lex = NumberLexicon(
            words=words,
            vague=vague,
            vague_mult={fold_key(k): float(v) for k, v in raw["vague_multipliers"].items()},
            fractions=fractions,
            frac_scale_only=frozenset(_keys(raw["fractions_only_before_scale"], "fractions")),
            half_after=frozenset(_keys(raw["half_after"], "half_after")),
            hedges_before=_phrases(raw["hedges_before"], "hedges_before"),
            hedges_after=_phrases(raw["hedges_after"], "hedges_after"),
            hedge_factors=hedge_factors,
            estimate_verbs=frozenset(_keys(raw["estimate_verbs"], "estimate_verbs")),
            range_joiners=frozenset(_keys(raw["range_joiners"], "range_joiners")),
            percent_words=frozenset(_keys(raw["percent_words"], "percent_words")),
            percent_phrases=frozenset(
                tuple(p.split()) for p in _keys(raw["percent_phrases"], "percent_phrases")
            ),
            year_cues=frozenset(_keys(raw["year_cues"], "year_cues")),
            not_count_before_one=frozenset(_keys(raw["not_count_before_one"], "one")),
            ordinals=ordinals,
            ordinal_blockers=frozenset(_keys(raw["ordinal_blockers"], "ordinal_blockers")),
            nouns=nouns,
            dual_nouns=duals,
            not_units=frozenset(_keys(raw["not_units"], "not_units")),
            date_words=frozenset(_keys(raw["date_words"], "date_words")),
            triggers=frozenset([*words, *vague, *fractions, *ordinals, *duals]),
            finder=Triggers([*words, *vague, *fractions, *ordinals, *duals], digits=True),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataFileError(f"the number lexicon {path} has a broken entry: {exc!r}") from exc
    for cls in [*lex.hedges_before.values(), *lex.hedges_after.values()]:
        if cls not in hedge_factors:
            raise DataFileError(f"numbers.yaml: hedge class {cls!r} has no hedge_classes entry")
    return lex


def strip_lookup(key: str, table: Any) -> str | None:
    """The key itself or the key minus one proclitic, whichever is in ``table``."""
    if key in table:
        return key
    if len(key) > 2 and key[0] in PROCLITICS and key[1:] in table:
        return key[1:]
    return None


def counted_noun_class(key: str) -> str | None:
    """Class of a folded word if it is a counted noun in the lexicon ("عنصر" → "person")."""
    lex = number_lexicon()
    noun = strip_lookup(key, lex.nouns) or strip_lookup(key, lex.dual_nouns)
    if noun is None:
        return None
    return (lex.nouns.get(noun) or lex.dual_nouns[noun])[1]
