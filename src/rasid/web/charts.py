"""Server-rendered SVG charts: figures over time, and an entity's network.

No client-side charting code: an SVG string with escaped labels, styled by
classes from app.css (the Content-Security-Policy forbids inline styles).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from rasid.web.render import visible_controls

_NUMBER = re.compile(r"^\s*[-+]?\d[\d,٬]*(\.\d+)?\s*$")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def number(value: Any) -> float | None:
    """A figure from a statement value or qualifier ("2,000", "٢٠٠٠", 2000.0), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.translate(_DIGITS)
        if _NUMBER.match(text):
            return float(text.replace(",", "").replace("٬", ""))
    return None


def parse_day(value: Any) -> date | None:
    """The day of an ISO date or datetime string (a month or year counts as its first day)."""
    if not isinstance(value, str):
        return None
    match = _DATE.match(value.strip())
    if not match:
        return None
    year, month, day = int(match[1]), int(match[2] or 1), int(match[3] or 1)
    try:
        return date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Figure:
    day: date
    best: float
    low: float | None
    high: float | None
    series: str
    label: str  # shown on hover: the evidence


def figures_from(statements: Sequence[dict[str, Any]]) -> list[Figure]:
    """Dated numeric statements (strength, casualties...), as chart points.

    The value is the statement's value (or its ``best`` qualifier); low/high
    come from qualifiers; the date is the statement's ``date`` qualifier, else
    the publication date of its document. Rejected statements are left out.
    """
    out = []
    for st in statements:
        if st.get("state", {}).get("status") == "rejected":
            continue
        q = st.get("qualifiers") or {}
        value = st.get("state", {}).get("value", st.get("value"))
        best = number(q.get("best")) if q.get("best") is not None else number(value)
        if best is None:
            continue
        day = parse_day(q.get("date")) or parse_day(q.get("point_in_time"))
        day = day or parse_day(st.get("document_published"))
        if day is None:
            continue
        out.append(
            Figure(
                day,
                best,
                number(q.get("low")),
                number(q.get("high")),
                st["property"],
                st.get("evidence") or "",
            )
        )
    return sorted(out, key=lambda f: (f.series, f.day))


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def figures_chart(figures: Sequence[Figure], *, title: str) -> Markup:
    """A line chart per series: x = date, y = figure, whiskers for low-high."""
    width, height, left, right, top, bottom = 640, 260, 60, 20, 20, 40
    if not figures:
        return Markup("")
    days = [f.day.toordinal() for f in figures]
    first, last = min(days), max(days)
    if first == last:
        first, last = first - 15, last + 15
    # A margin on both sides, so the first point does not sit on the axis.
    margin = max(1, (last - first) // 20)
    first, last = first - margin, last + margin
    top_value = _nice_max(max(max(f.best, f.high or 0) for f in figures))

    def x(day: date) -> float:
        return left + (day.toordinal() - first) / (last - first) * (width - left - right)

    def y(value: float) -> float:
        return top + (1 - value / top_value) * (height - top - bottom)

    out = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" direction="ltr"><title>{escape(title)}</title>',
        f'<line class="axis" x1="{left}" y1="{y(0):.1f}" x2="{width - right}" y2="{y(0):.1f}"/>',
        f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{y(0):.1f}"/>',
    ]
    for i in range(5):
        value = top_value * i / 4
        out.append(
            f'<line class="grid" x1="{left}" y1="{y(value):.1f}" x2="{width - right}" '
            f'y2="{y(value):.1f}"/><text class="tick" x="{left - 6}" y="{y(value) + 4:.1f}" '
            f'text-anchor="end">{value:,.0f}</text>'
        )
    for ordinal in (first, (first + last) // 2, last):
        day = date.fromordinal(ordinal)
        out.append(
            f'<text class="tick" x="{x(day):.1f}" y="{height - bottom + 18}" '
            f'text-anchor="middle">{day.isoformat()}</text>'
        )
    series_names = sorted({f.series for f in figures})
    for number_, name in enumerate(series_names):
        points = [f for f in figures if f.series == name]
        css = f"series s{number_ % 6}"
        if len(points) > 1:
            path = " ".join(f"{x(f.day):.1f},{y(f.best):.1f}" for f in points)
            out.append(f'<polyline class="{css}" points="{path}"/>')
        for f in points:
            if f.low is not None and f.high is not None:
                out.append(
                    f'<line class="{css} whisker" x1="{x(f.day):.1f}" y1="{y(f.low):.1f}" '
                    f'x2="{x(f.day):.1f}" y2="{y(f.high):.1f}"/>'
                )
            label = f"{name}: {f.best:,.0f} ({f.day.isoformat()}) {visible_controls(f.label)}"
            out.append(
                f'<circle class="{css}" cx="{x(f.day):.1f}" cy="{y(f.best):.1f}" r="4">'
                f"<title>{escape(label)}</title></circle>"
            )
        out.append(
            f'<text class="legend {css}" x="{left + 10 + 150 * number_}" y="{top + 4}">'
            f"{escape(name)}</text>"
        )
    out.append("</svg>")
    return Markup("".join(out))


def network_chart(
    centre: dict[str, Any], neighbours: Sequence[dict[str, Any]], *, title: str
) -> Markup:
    """The entity in the middle, related entities around it, linked by lines."""
    size, radius = 520, 190
    mid = size / 2
    out = [
        f'<svg class="network" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {size} {size}"><title>{escape(title)}</title>'
    ]
    count = max(len(neighbours), 1)
    nodes = []
    for i, item in enumerate(neighbours):
        angle = 2 * math.pi * i / count - math.pi / 2
        nodes.append((mid + radius * math.cos(angle), mid + radius * math.sin(angle), item))
    for nx_, ny_, item in nodes:
        css = "edge stated" if item.get("statements") else "edge"
        out.append(f'<line class="{css}" x1="{mid}" y1="{mid}" x2="{nx_:.1f}" y2="{ny_:.1f}"/>')
    for nx_, ny_, item in nodes:
        label = visible_controls(item.get("label") or item["id"])
        latin = item.get("label_latin")
        hover = f"{label} ({latin})" if latin else label
        css = f"node t-{str(item.get('type', '')).lower()}"
        out.append(
            f'<a href="/entities/{escape(item["id"])}"><circle class="{css}" cx="{nx_:.1f}" '
            f'cy="{ny_:.1f}" r="7"><title>{escape(hover)}</title></circle>'
            f'<text class="node-label" x="{nx_:.1f}" y="{ny_ - 11:.1f}" text-anchor="middle">'
            f"{escape(label[:28])}</text></a>"
        )
    centre_label = visible_controls(centre.get("label") or centre["id"])
    out.append(
        f'<circle class="node centre" cx="{mid}" cy="{mid}" r="11"/>'
        f'<text class="node-label centre" x="{mid}" y="{mid - 16}" text-anchor="middle">'
        f"{escape(centre_label[:32])}</text></svg>"
    )
    return Markup("".join(out))
