"""Cross-script query expansion: Latin words and phrases → Arabic forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasid.kb.store import Store
from rasid.link.expand import MAX_ALTERNATIVES, arabic_forms, expander_for, is_latin
from rasid.names.folding import fold


def test_only_latin_text_is_expanded() -> None:
    assert is_latin("Manbij") and not is_latin("منبج") and not is_latin("Manbij منبج")
    assert arabic_forms("منبج") == []
    assert arabic_forms("") == [] and arabic_forms("  ") == []
    assert arabic_forms("the") == [] and arabic_forms("of") == []  # stop words
    assert arabic_forms("1234") == []


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("Manbij", "منبج"),  # gazetteer
        ("Mosul", "الموصل"),
        ("Kobani", "عين العرب"),
        ("Tishrin Dam", "سد تشرين"),
        ("ISIS", "داعش"),  # actor catalogue
        ("Daesh", "تنظيم الدولة"),
        ("SDF", "قوات سوريا الديمقراطية"),
        ("Omar al-Shishani", "عمر الشيشاني"),  # names back-transliteration
        ("Abu Muhammad al-Adnani", "ابو محمد العدناني"),
    ],
)
def test_catalogues_give_arabic_forms(query: str, wanted: str) -> None:
    forms = arabic_forms(query)
    assert fold(wanted) in {fold(form) for form in forms}
    assert len(forms) <= MAX_ALTERNATIVES
    assert len({fold(form) for form in forms}) == len(forms)  # no duplicates


def test_entity_rows_give_the_spellings_the_texts_used(tmp_path: Path) -> None:
    with Store(tmp_path / "kb.db") as store:
        store.upsert_entities(
            [
                {
                    "id": "ent-1",
                    "type": "PERSON",
                    "label": "أبو وهيب",
                    "label_latin": "Abu Wahib",
                    "names": {"أبو وهيب": 3, "ابو وهيب العراقي": 1},
                    "latin_names": ["Abu Wahib", "Abou Wahib"],
                },
                {
                    "id": "ent-2",
                    "type": "PERSON",
                    "label": "وهيب",
                    "label_latin": "Wahib Zaid",  # contains the query, is not it
                    "names": {"وهيب زيد": 1},
                },
            ]
        )
        expand = expander_for(store.connection)
        forms = {fold(form) for form in expand("abou wahib")}
        assert {fold("أبو وهيب"), fold("ابو وهيب العراقي")} <= forms
        assert fold("وهيب زيد") not in forms
        assert store.search("Abou Wahib") == []  # nothing stored mentions him yet


def test_a_store_without_entities_still_expands(tmp_path: Path) -> None:
    import sqlite3

    connection = sqlite3.connect(tmp_path / "empty.db")
    try:
        assert "منبج" in arabic_forms("Manbij", connection)
    finally:
        connection.close()


def test_catalogues_load_before_the_first_query() -> None:
    from rasid.link.expand import _static_forms, load_catalogues

    _static_forms.cache_clear()
    load_catalogues()
    assert _static_forms.cache_info().currsize == 0  # read, not cached as an answer
    assert "حلب" in arabic_forms("Aleppo")
