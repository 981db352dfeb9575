"""Places with coordinates as one GeoJSON FeatureCollection (coordinates: [lon, lat]).

Linked place entities carry their coordinates in their attributes; places
found in text but not (yet) linked to an entity are included when the
geocoder put coordinates on the mention, one feature per place and spelling.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from rasid.kb.store import Store
from rasid.web import queries, shapes


def features(store: Store) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    conn = store.connection
    for entity, (lat, lon) in queries.place_entities(store):
        row = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT doc_id) FROM mentions WHERE entity_id = ?",
            (entity["id"],),
        ).fetchone()
        out.append(
            _feature(
                lon,
                lat,
                {
                    "id": entity["id"],
                    "label": entity["label"],
                    "label_latin": entity["label_latin"],
                    "type": entity["type"],
                    "mentions": row[0],
                    "documents": row[1],
                    **_place_details(entity["attributes"]),
                },
            )
        )
    grouped: dict[tuple[str, float, float], dict[str, Any]] = {}
    for text, mtype, value, doc_id in conn.execute(
        "SELECT text, type, value, doc_id FROM mentions WHERE entity_id IS NULL "
        "AND type IN ('GPE', 'LOC', 'FACILITY', 'FAC') AND value LIKE '%lat%'"
    ):
        point = shapes.coordinates(json.loads(value or "{}"))
        if point is None:
            continue
        key = (text, round(point[0], 4), round(point[1], 4))
        item = grouped.setdefault(key, {"label": text, "type": mtype, "documents": set()})
        item["documents"].add(doc_id)
    for (text, lat, lon), item in sorted(grouped.items()):
        out.append(
            _feature(
                lon,
                lat,
                {
                    "id": None,
                    "label": text,
                    "label_latin": None,
                    "type": item["type"],
                    "mentions": None,
                    "documents": len(item["documents"]),
                    "linked": False,
                },
            )
        )
    return out


_DETAILS = ("country", "admin1", "admin2", "admin3", "feature", "population", "precision")


def _place_details(attributes: dict[str, Any]) -> dict[str, Any]:
    """Admin areas and precision, from the attributes or the geocoder's ``geo`` record."""
    geo = attributes.get("geo")
    merged = {**attributes, **(geo if isinstance(geo, dict) else {})}
    details = {k: merged[k] for k in _DETAILS if merged.get(k) not in (None, "")}
    if "feature" not in details and merged.get("type"):
        details["feature"] = merged["type"]
    return details


def _feature(lon: float, lat: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def write_geojson(store: Store, fh: TextIO) -> int:
    items = features(store)
    json.dump({"type": "FeatureCollection", "features": items}, fh, ensure_ascii=False, indent=1)
    fh.write("\n")
    return len(items)
