"""Properties of the matching keys: writing noise never changes them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.names import name_keys
from rasid.places.keys import arabic_place_key

NAMES = [
    "أبو محمد الأمريكي",
    "عمر الشيشاني",
    "أبو أيمن العراقي",
    "أبو بكر البغدادي",
    "عبد الله بن محمد القحطاني",
    "أسامة بن لادن",
]
PLACES = ["منبج", "الرقة", "عين العرب", "مطار الجراح", "ريف حلب الشرقي", "سد تشرين"]
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"
TATWEEL = "\u0640"


def _noisy(text: str, marks: list[int]) -> str:
    """Insert diacritics or tatweel after Arabic letters, at the drawn positions."""
    out: list[str] = []
    for i, ch in enumerate(text):
        out.append(ch)
        if ch != " " and i < len(marks) and marks[i]:
            out.append((HARAKAT + TATWEEL)[marks[i] % (len(HARAKAT) + 1)])
    return "".join(out)


noise = st.lists(st.integers(min_value=0, max_value=9), min_size=0, max_size=40)


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(NAMES), marks=noise)
def test_diacritics_and_tatweel_do_not_change_name_keys(name: str, marks: list[int]) -> None:
    assert name_keys(_noisy(name, marks)) == name_keys(name)


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(NAMES), extra=st.sampled_from(["", " ", "  ", "\u00a0"]))
def test_spacing_does_not_change_name_keys(name: str, extra: str) -> None:
    assert name_keys(name.replace(" ", " " + extra)) == name_keys(name)


@settings(max_examples=60, deadline=None)
@given(place=st.sampled_from(PLACES), marks=noise)
def test_diacritics_do_not_change_place_keys(place: str, marks: list[int]) -> None:
    assert arabic_place_key(_noisy(place, marks)) == arabic_place_key(place)
