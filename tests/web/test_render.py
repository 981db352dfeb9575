"""Building HTML and SVG from offsets and data: escaping, nesting, direction controls."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasid.web import svgmap
from rasid.web.charts import figures_chart, figures_from, number, parse_day
from rasid.web.render import Mark, highlight, inert, safe_url, snippet_html


def test_inert_escapes_and_shows_direction_controls() -> None:
    assert inert('<b a="1">&') == "&lt;b a=&#34;1&#34;&gt;&amp;"
    shown = inert("a\u202eb")
    assert "\u202e" not in shown and "⟦U+202E⟧" in shown
    assert inert(None) == ""


def test_highlight_nests_and_cuts_crossing_marks() -> None:
    text = "قوات سوريا الديمقراطية في منبج"
    org_end = len("قوات سوريا الديمقراطية")
    town = text.index("منبج")
    marks = [
        Mark(0, org_end, "m m-org", href="/entities/sdf"),
        Mark(5, 10, "m m-gpe"),
        Mark(org_end - 3, org_end + 2, "m m-cross"),
        Mark(town, town + 4, "m m-gpe", title="GPE"),
    ]
    html = highlight(text, 0, marks)
    assert html.startswith(
        '<a class="m m-org" href="/entities/sdf">قوات <mark class="m m-gpe">سوريا</mark>'
    )
    assert '<mark class="m m-cross">طية</mark></a> في ' in html  # cut at the enclosing mark's end
    assert html.endswith('<mark class="m m-gpe" title="GPE">منبج</mark>')


def test_highlight_with_a_base_offset_and_marks_outside() -> None:
    html = highlight("abc", 10, [Mark(0, 5, "x"), Mark(11, 12, "y"), Mark(12, 40, "z")])
    assert html == 'a<mark class="y">b</mark><mark class="z">c</mark>'


def test_links_never_nest() -> None:
    html = highlight("abcd", 0, [Mark(0, 4, "o", href="/a"), Mark(1, 2, "i", href="/b")])
    assert html.count("<a ") == 1 and '<mark class="i">b</mark>' in html


@given(
    st.text(alphabet=st.sampled_from(list("ab <>&\"'\u202eجيش")), max_size=40),
    st.lists(st.tuples(st.integers(0, 45), st.integers(0, 45)), max_size=6),
)
def test_highlight_keeps_the_text(text: str, spans: list[tuple[int, int]]) -> None:
    marks = [Mark(min(a, b), max(a, b), "m") for a, b in spans]
    html = str(highlight(text, 0, marks))
    assert html.count("<mark") == html.count("</mark>")
    plain = html
    for tag in ('<mark class="m">', "</mark>"):
        plain = plain.replace(tag, "")
    assert plain == str(inert(text))


def test_snippet_html() -> None:
    html = snippet_html("في الرقة اليوم", 100, [[103, 108]])
    assert html == 'في <mark class="hit">الرقة</mark> اليوم'


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.example/x", "https://a.example/x"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,x", None),
        ("/local/file.txt", None),
        ("http://", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_numbers_and_days() -> None:
    assert number("2,000") == 2000 and number("٢٠٠٠") == 2000 and number(12) == 12
    assert number("about 2000") is None and number(True) is None and number(float("nan")) is None
    assert parse_day("2017-03").isoformat() == "2017-03-01"  # type: ignore[union-attr]
    assert parse_day("2016-02-30") is None and parse_day("soon") is None


def test_figures_chart() -> None:
    statements = [
        {
            "property": "strength",
            "value": "2000",
            "qualifiers": {"date": "2016-08-13", "low": 1800, "high": 2200},
            "document_published": None,
            "evidence": "<b>x</b>",
        },
        {
            "property": "strength",
            "value": "3000",
            "qualifiers": {},
            "document_published": "2017-03-20",
        },
        {
            "property": "strength",
            "value": "9000",
            "qualifiers": {"date": "2018"},
            "state": {"status": "rejected"},
        },
        {"property": "commander", "value": "ent-x", "qualifiers": {"date": "2016"}},
    ]
    figures = figures_from(statements)
    assert [(f.day.isoformat(), f.best) for f in figures] == [
        ("2016-08-13", 2000),
        ("2017-03-20", 3000),
    ]
    svg = figures_chart(figures, title="t")
    assert svg.count("<circle") == 2 and "<polyline" in svg and "whisker" in svg
    assert "<b>x</b>" not in svg and "&lt;b&gt;x&lt;/b&gt;" in svg


def test_topojson_decoding() -> None:
    topology = {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [[[0, 0], [10, 0], [0, 10], [-10, 0]], [[0, 10], [0, -10]]],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "Square"}},
                    {"type": "Point", "coordinates": [0, 0]},
                ],
            }
        },
    }
    (country,) = svgmap.decode_topojson(topology)
    assert country.name == "Square"
    assert country.bbox == (0, 0, 10, 10)
    assert country.path == "M0.00 0.00L10.00 0.00L10.00 -10.00L0.00 -10.00L0.00 0.00Z"


def test_world_atlas_map() -> None:
    atlas = svgmap.atlas_path()
    if atlas is None:
        pytest.skip("node_modules/world-atlas is not installed (scripts/setup installs it)")
    data = json.loads(Path(atlas).read_text())
    assert len(svgmap.decode_topojson(data)) > 150
    svg = svgmap.render_map([svgmap.Point(36.34, 43.13, "الموصل <x>", "/entities/m")], title="t")
    assert "<title>Iraq</title>" in svg and "&lt;x&gt;" in svg and 'href="/entities/m"' in svg


def test_map_without_base_map(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(svgmap, "base_map", lambda: svgmap.BaseMap((), None))
    svg = svgmap.render_map([svgmap.Point(36.34, 43.13, "x")], title="t")
    assert "<path" not in svg and 'class="graticule"' in svg and "<circle" in svg


def test_readable() -> None:
    from rasid.web.render import readable

    assert readable({"id": "isis", "name_en": "Islamic State", "parent": None}) == (
        "id: isis · name_en: Islamic State"
    )
    assert readable(["a", {"b": 1}]) == "a, b: 1" and readable(None) == "" and readable(3) == "3"
