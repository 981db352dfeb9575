"""Curated lists parse, and gazetteer matching takes the longest phrase."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasid.errors import DataFileError
from rasid.ner.gazetteer import CURATED, Gazetteer, build_gazetteer, curated_rows, read_curated
from rasid.ner.lexical import fold, strip_conj_prep


def test_every_curated_list_parses() -> None:
    rows = curated_rows()
    classes = {r.cls for r in rows}
    assert set(CURATED.values()) == classes
    assert len(rows) > 800


def test_broken_row_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "roles.tsv"
    bad.write_text("أمير\ttitle\textra\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"roles\.tsv:1"):
        read_curated(bad, "role")


def test_longest_match_and_clitic_on_first_word(tmp_path: Path) -> None:
    gaz = build_gazetteer(with_external=False)
    words = [fold(w) for w in "قال إن تنظيم الدولة الإسلامية في العراق والشام انسحب".split()]
    ((start, end, classes),) = [m for m in gaz.matches(words) if "org" in m[2]]
    assert (start, end) == (2, 8) and classes["org"] == "armed_group"
    words = [fold(w) for w in "ووصلت قوات مكافحة الإرهاب".split()]
    assert any(c.get("org") == "state_force" for _, _, c in gaz.matches(words))
    path = tmp_path / "g.tsv.gz"
    gaz.save(path)
    again = Gazetteer.load(path)
    assert again.entries == gaz.entries and again.first == gaz.first


def test_matches_only_where_a_phrase_may_open_are_the_same() -> None:
    gaz = build_gazetteer(with_external=False)
    text = "قال إن تنظيم الدولة الإسلامية في العراق والشام والجيش العراقي انسحبا من مطار الطبقة"
    words = [fold(w) for w in text.split()]
    bare = [strip_conj_prep(w) for w in words]
    opening = [
        i for i, (w, b) in enumerate(zip(words, bare, strict=True)) if gaz.opens_phrase(w, b)
    ]
    assert len(opening) < len(words)
    assert gaz.matches(words, bare, opening) == gaz.matches(words) != []
