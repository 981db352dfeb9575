"""Reading the shapes other components write: coordinates and event arguments.

Places carry coordinates in their attributes in more than one way (flat, or
the geocoder's ``geo`` record), and events carry their arguments as a mapping
or as a list of role records; the workbench and the exports read them all
through these functions, so a change of shape is handled in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: Mention/entity types that are places (shown on maps, exported as GeoJSON).
PLACE_TYPES = frozenset({"GPE", "LOC", "FACILITY", "FAC"})


def coordinates(attributes: dict[str, Any]) -> tuple[float, float] | None:
    """(lat, lon) from an entity's or mention's attributes, if it carries them.

    Accepted shapes: ``lat``/``lon`` (or ``latitude``/``longitude``, ``lng``),
    a ``geo`` or ``coordinates`` object with those keys, or a GeoJSON-style
    ``coordinates`` list ``[lon, lat]``.
    """
    for holder in (attributes, attributes.get("geo"), attributes.get("coordinates")):
        if isinstance(holder, dict):
            lat = holder.get("lat", holder.get("latitude"))
            lon = holder.get("lon", holder.get("lng", holder.get("longitude")))
            point = _point(lat, lon)
            if point is not None:
                return point
    raw = attributes.get("coordinates")
    if isinstance(raw, list | tuple) and len(raw) == 2:
        return _point(raw[1], raw[0])
    return None


def _point(lat: Any, lon: Any) -> tuple[float, float] | None:
    try:
        flat, flon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if -90 <= flat <= 90 and -180 <= flon <= 180:
        return flat, flon
    return None


_EVENT_FIELDS = ("date", "place", "location", "fatalities")


def event_roles(event: dict[str, Any]) -> dict[str, list[Any]]:
    """An event's arguments as role → values, whatever shape the extractor gave them.

    Accepted: a mapping role → value(s); a list of ``{"role": ..., ...}``
    records (rasid.facts); a mapping holding such a list beside plain keys;
    and ``date``/``place``/``fatalities`` on the event itself.
    """
    roles: dict[str, list[Any]] = {}

    def add_records(records: list[Any]) -> None:
        for record in records:
            if isinstance(record, dict) and record.get("role"):
                roles.setdefault(str(record["role"]), []).append(record)

    arguments = event.get("arguments")
    if isinstance(arguments, list):
        add_records(arguments)
    elif isinstance(arguments, dict):
        for key, value in arguments.items():
            if (
                isinstance(value, list)
                and value
                and all(isinstance(v, dict) and "role" in v for v in value)
            ):
                add_records(value)
            elif value not in (None, "", []):
                roles.setdefault(key, []).extend(value if isinstance(value, list) else [value])
    for key in _EVENT_FIELDS:
        if event.get(key) not in (None, "", []) and key not in roles:
            roles[key] = [event[key]]
    return roles


def event_arguments(event: dict[str, Any], entity_ids: Iterable[str] = ()) -> list[dict[str, Any]]:
    """An event's arguments for display: role, text, and the entity id when known."""
    known = set(entity_ids)
    out = []
    for role, values in event_roles(event).items():
        for value in values:
            if isinstance(value, dict):
                text = value.get("text") or value.get("name") or value.get("label") or ""
                entity = value.get("entity_id") or value.get("entity") or value.get("id")
            else:
                text, entity = value, value
            out.append(
                {"role": role, "text": str(text), "entity_id": entity if entity in known else None}
            )
    return out
