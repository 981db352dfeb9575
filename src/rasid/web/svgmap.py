"""Server-rendered SVG maps from the npm ``world-atlas`` country outlines.

The outlines are TopoJSON (``countries-110m.json``): shared arcs, quantised
and delta-encoded. They are decoded here once, in plain Python, into rings of
(lon, lat); a map is then an SVG whose viewBox is the area around its points
(equirectangular: x = lon, y = -lat), with only the countries that reach into
it. Nothing is fetched: the file comes from ``node_modules`` (installed by
``scripts/setup`` from package.json). Without it, the map is a graticule with
the points on it and :attr:`BaseMap.available` is False, so pages say why.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from rasid.web.render import visible_controls

ATLAS_FILE = "countries-110m.json"
_MIN_SPAN = 8.0  # degrees: a single point still shows its region


def _candidates() -> list[Path]:
    found = []
    if env := os.environ.get("RASID_WORLD_ATLAS"):
        found.append(Path(env))
    here = Path(__file__).resolve()
    for parent in [Path.cwd(), *here.parents]:
        found.append(parent / "node_modules" / "world-atlas" / ATLAS_FILE)
    return found


def atlas_path() -> Path | None:
    """Where the world-atlas file is (``RASID_WORLD_ATLAS`` or a node_modules above)."""
    for path in _candidates():
        if path.is_file():
            return path
    return None


@dataclass(frozen=True, slots=True)
class Country:
    name: str
    path: str  # SVG path data in (lon, -lat) units
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


def decode_topojson(data: dict[str, Any], object_name: str = "countries") -> list[Country]:
    """Countries of a TopoJSON topology as SVG paths (x = lon, y = -lat)."""
    transform = data.get("transform")
    arcs: list[list[tuple[float, float]]] = []
    for arc in data["arcs"]:
        points: list[tuple[float, float]] = []
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            for dx, dy in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(p[0]), float(p[1])) for p in arc]
        arcs.append(points)

    def ring(indices: Sequence[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for index in indices:
            points = arcs[index] if index >= 0 else arcs[~index][::-1]
            # Consecutive arcs share their joining point.
            out.extend(points[1:] if out else points)
        return out

    countries = []
    for geometry in data["objects"][object_name]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        parts: list[str] = []
        xs: list[float] = []
        ys: list[float] = []
        for polygon in polygons:
            for indices in polygon:
                points = ring(indices)
                if len(points) < 3:
                    continue
                xs.extend(p[0] for p in points)
                ys.extend(p[1] for p in points)
                parts.append("M" + "L".join(f"{lon:.2f} {-lat:.2f}" for lon, lat in points) + "Z")
        if parts:
            name = str((geometry.get("properties") or {}).get("name", ""))
            countries.append(Country(name, "".join(parts), (min(xs), min(ys), max(xs), max(ys))))
    return countries


@dataclass(frozen=True, slots=True)
class BaseMap:
    countries: tuple[Country, ...]
    source: Path | None

    @property
    def available(self) -> bool:
        return bool(self.countries)


@lru_cache(maxsize=1)
def base_map() -> BaseMap:
    path = atlas_path()
    if path is None:
        return BaseMap((), None)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return BaseMap(tuple(decode_topojson(data)), path)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return BaseMap((), path)


@dataclass(frozen=True, slots=True)
class Point:
    lat: float
    lon: float
    label: str
    href: str | None = None
    highlight: bool = False


def view_box(points: Sequence[Point]) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) around the points, padded, 3:2-ish."""
    if not points:
        return 25.0, 12.0, 63.0, 42.0  # the Middle East when there is nothing to show
    lons = [p.lon for p in points]
    lats = [p.lat for p in points]
    lo_lon, hi_lon, lo_lat, hi_lat = min(lons), max(lons), min(lats), max(lats)
    span_lon = max(hi_lon - lo_lon, _MIN_SPAN) * 1.3
    span_lat = max(hi_lat - lo_lat, _MIN_SPAN * 0.66) * 1.3
    span_lat = max(span_lat, span_lon / 1.6)
    span_lon = max(span_lon, span_lat * 1.6)
    mid_lon, mid_lat = (lo_lon + hi_lon) / 2, (lo_lat + hi_lat) / 2
    return (
        max(-180.0, mid_lon - span_lon / 2),
        max(-90.0, mid_lat - span_lat / 2),
        min(180.0, mid_lon + span_lon / 2),
        min(90.0, mid_lat + span_lat / 2),
    )


def render_map(points: Sequence[Point], *, title: str) -> Markup:
    """An inline SVG map of ``points`` (labels and links escaped)."""
    west, south, east, north = view_box(points)
    width, height = east - west, north - south
    unit = width / 100  # one percent of the map's width, for sizes that scale with zoom
    out = [
        f'<svg class="map" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="{west:.2f} {-north:.2f} {width:.2f} {height:.2f}" '
        f'preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title>',
        f'<rect class="sea" x="{west:.2f}" y="{-north:.2f}" width="{width:.2f}" '
        f'height="{height:.2f}"/>',
    ]
    atlas = base_map()
    if atlas.available:
        out.append('<g class="land">')
        for country in atlas.countries:
            x0, y0, x1, y1 = country.bbox
            if x1 < west or x0 > east or y1 < south or y0 > north:
                continue
            out.append(
                f'<path d="{country.path}" vector-effect="non-scaling-stroke">'
                f"<title>{escape(country.name)}</title></path>"
            )
        out.append("</g>")
    out.append('<g class="graticule">')
    step = 5 if width <= 60 else 15
    start_lon = int(west // step) * step
    for lon in range(start_lon, int(east) + step, step):
        out.append(
            f'<line x1="{lon}" y1="{-north:.2f}" x2="{lon}" y2="{-south:.2f}" '
            'vector-effect="non-scaling-stroke"/>'
        )
    start_lat = int(south // step) * step
    for lat in range(start_lat, int(north) + step, step):
        out.append(
            f'<line x1="{west:.2f}" y1="{-lat}" x2="{east:.2f}" y2="{-lat}" '
            'vector-effect="non-scaling-stroke"/>'
        )
    out.append("</g>")
    out.append('<g class="points">')
    # Labels sit above their point, centred (so right-to-left names do not run
    # over it); where points crowd, only the first few are labelled, the others
    # name themselves on hover.
    labelled: list[tuple[float, float]] = []
    for point in points:
        css = "point self" if point.highlight else "point"
        label = visible_controls(point.label)
        circle = (
            f'<circle class="{css}" cx="{point.lon:.4f}" cy="{-point.lat:.4f}" r="{unit:.3f}">'
            f"<title>{escape(label)}</title></circle>"
        )
        crowded = any(
            abs(point.lon - x) < unit * 12 and abs(point.lat - y) < unit * 3 for x, y in labelled
        )
        if point.highlight or not crowded:
            labelled.append((point.lon, point.lat))
            circle += (
                f'<text class="point-label" x="{point.lon:.4f}" y="{-point.lat - unit * 1.6:.4f}" '
                f'font-size="{unit * 2.6:.3f}" text-anchor="middle">{escape(label)}</text>'
            )
        if point.href:
            circle = f'<a href="{escape(point.href)}">{circle}</a>'
        out.append(circle)
    out.append("</g></svg>")
    return Markup("".join(out))
