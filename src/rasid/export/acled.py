"""Events as CSV in ACLED's column layout, as far as the data allows.

Columns (ACLED's names and order, keeping those rasid can fill): see
:data:`COLUMNS`. rasid's event types are mapped onto ACLED's event_type /
sub_event_type by :data:`TYPE_MAP` (first matching keyword); an unmapped type
becomes "Strategic developments" / "Other" and keeps its rasid name in
``tags``. Event arguments are read by role, whatever key the extractor used
(:data:`ROLE_KEYS`); an argument may be an entity id (resolved to its label,
and for places to coordinates and admin areas), a literal, or an object with
``text``/``entity_id``. A cell with nothing known stays empty (``fatalities``
too: empty means "not reported", not zero).
"""

from __future__ import annotations

import csv
from typing import Any, TextIO

from rasid.kb.store import Store
from rasid.web import queries, shapes
from rasid.web.charts import number

COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "tags",
)

#: (keywords in the rasid event type, ACLED event_type, ACLED sub_event_type)
TYPE_MAP: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("suicide",), "Explosions/Remote violence", "Suicide bomb"),
    (("air", "drone"), "Explosions/Remote violence", "Air/drone strike"),
    (
        ("shell", "artillery", "missile", "rocket", "mortar", "bombard"),
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    (
        ("ied", "landmine", "mine", "explos", "bomb", "blast"),
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
    ),
    (("chemical",), "Explosions/Remote violence", "Chemical weapon"),
    (("recaptur", "regain", "retak", "liberat"), "Battles", "Government regains territory"),
    (
        ("captur", "seiz", "takeover", "take_over", "control", "overr", "storm"),
        "Battles",
        "Non-state actor overtakes territory",
    ),
    (
        ("battle", "clash", "fight", "combat", "offensive", "assault", "siege", "attack"),
        "Battles",
        "Armed clash",
    ),
    (
        ("kidnap", "abduct", "disappear", "hostage"),
        "Violence against civilians",
        "Abduction/forced disappearance",
    ),
    (("execut", "massacre", "kill", "murder", "assassin"), "Violence against civilians", "Attack"),
    (
        ("withdraw", "retreat", "handover", "hand_over"),
        "Strategic developments",
        "Non-violent transfer of territory",
    ),
    (("arrest", "detain", "detention", "capture_person"), "Strategic developments", "Arrests"),
    (
        ("agreement", "truce", "ceasefire", "deal", "negotiat"),
        "Strategic developments",
        "Agreement",
    ),
    (
        ("base", "headquarter", "establish", "camp"),
        "Strategic developments",
        "Headquarters or base established",
    ),
    (
        ("recruit", "defect", "deploy", "reinforc", "mobiliz", "form", "train", "merge"),
        "Strategic developments",
        "Change to group/activity",
    ),
    (
        ("loot", "destroy", "demoli", "burn"),
        "Strategic developments",
        "Looting/property destruction",
    ),
    (("protest", "demonstrat", "rally"), "Protests", "Peaceful protest"),
    (("riot",), "Riots", "Violent demonstration"),
)

#: role → argument keys an extractor may use for it, in order of preference
ROLE_KEYS: dict[str, tuple[str, ...]] = {
    "actor1": ("actor1", "agent", "attacker", "actor", "perpetrator", "by", "subject", "side1",
               "participant", "fighters"),
    "actor2": ("actor2", "target", "victim", "patient", "against", "defender", "object", "side2"),
    "assoc1": ("assoc_actor_1", "allies", "with", "supported_by"),
    "assoc2": ("assoc_actor_2",),
    "location": ("location", "place", "where", "site", "town", "city", "area"),
    "date": ("date", "when", "time", "event_date"),
    "fatalities": ("fatalities", "killed", "deaths", "dead", "casualties"),
}  # fmt: skip


def acled_type(rasid_type: str) -> tuple[str, str]:
    key = rasid_type.lower()
    for keywords, event_type, sub_type in TYPE_MAP:
        if any(word in key for word in keywords):
            return event_type, sub_type
    return "Strategic developments", "Other"


def _argument(roles: dict[str, list[Any]], role: str) -> list[Any] | None:
    for key in ROLE_KEYS[role]:
        values = roles.get(key)
        if values:
            return values
    return None


def _resolve(
    value: Any, entities: dict[str, dict[str, Any]], places: dict[str, dict[str, Any]] | None = None
) -> tuple[str, dict[str, Any] | None]:
    """(text, entity) for an argument value: an entity id, a record, or plain text.

    A place given only by name is looked up among the place entities by label.
    """
    if isinstance(value, dict):
        key = value.get("entity_id") or value.get("entity") or value.get("id") or ""
        entity = entities.get(str(key))
        text = value.get("text") or value.get("name") or value.get("label") or value.get("value")
        if text is None:
            text = (entity or {}).get("label", "")
    else:
        entity = entities.get(str(value))
        text = entity["label"] if entity is not None else ("" if value is None else str(value))
    if entity is None and places is not None:
        entity = places.get(str(text))
    return str(text), entity


def _names(values: list[Any] | None, entities: dict[str, dict[str, Any]]) -> str:
    if not values:
        return ""
    names = [t for t, _ in (_resolve(v, entities) for v in values) if t]
    return "; ".join(dict.fromkeys(names))


def _time_precision(day: str) -> str:
    return {10: "1", 7: "2", 4: "3"}.get(len(day), "")


def event_row(
    event: dict[str, Any],
    entities: dict[str, dict[str, Any]],
    places: dict[str, dict[str, Any]] | None = None,
) -> dict[str, str]:
    """One CSV row; ``places`` maps place labels to place entities (for places given by name)."""
    roles = shapes.event_roles(event)
    event_type, sub_type = acled_type(event["type"])
    raw_date = _argument(roles, "date")
    date_text = _resolve(raw_date[0], entities)[0] if raw_date else ""
    day = date_text[:10] if date_text[:4].isdigit() else ""
    precision_of_day = _time_precision(day)
    if not day and event.get("published"):
        # Only the report's date is known: the event happened on it or shortly before.
        day = str(event["published"])[:10]
        precision_of_day = "2" if len(day) == 10 else _time_precision(day)
    place_text, place = "", None
    attributes: dict[str, Any] = {}
    location = _argument(roles, "location")
    if location:
        first = location[0]
        place_text, place = _resolve(first, entities, places)
        if isinstance(first, dict):
            # An inline place object may carry its own coordinates/admin areas.
            attributes = dict(first)
    attributes = {**attributes, **((place or {}).get("attributes") or {})}
    geo = attributes.get("geo")
    if isinstance(geo, dict):
        # The geocoder's best candidate (rasid.places): lat, lon, country, admin1, precision.
        attributes = {**attributes, **geo}
    point = shapes.coordinates(attributes)
    precision = ""
    if point is not None:
        given = attributes.get("precision")
        feature = str(attributes.get("type") or attributes.get("feature") or "").lower()
        if isinstance(given, int) and given in (1, 2, 3):
            precision = str(given)
        elif feature in ("country", "region", "admin1", "governorate", "province"):
            precision = "3"
        elif attributes.get("relation") in ("near", "countryside", "direction"):
            precision = "2"
        else:
            precision = "1"
    found = _argument(roles, "fatalities")
    fatalities = found[0] if found else None
    if isinstance(fatalities, dict):
        fatalities = fatalities.get("best", fatalities.get("value"))
    figure = number(fatalities)
    source = event.get("publisher") or event.get("source_uri") or ""
    tags = [f"rasid:{event['id']}", f"rasid_type:{event['type']}", f"document:{event['doc_id']}"]
    if event.get("certainty"):
        tags.append(f"certainty:{event['certainty']}")
    if event.get("status"):
        tags.append(f"status:{event['status']}")
    return {
        "event_id_cnty": event["id"],
        "event_date": day,
        "year": day[:4],
        "time_precision": precision_of_day,
        "event_type": event_type,
        "sub_event_type": sub_type,
        "actor1": _names(_argument(roles, "actor1"), entities),
        "assoc_actor_1": _names(_argument(roles, "assoc1"), entities),
        "actor2": _names(_argument(roles, "actor2"), entities),
        "assoc_actor_2": _names(_argument(roles, "assoc2"), entities),
        "country": str(attributes.get("country_name") or attributes.get("country") or ""),
        "admin1": str(attributes.get("admin1") or ""),
        "admin2": str(attributes.get("admin2") or ""),
        "admin3": str(attributes.get("admin3") or ""),
        "location": place_text,
        "latitude": f"{point[0]:.4f}" if point else "",
        "longitude": f"{point[1]:.4f}" if point else "",
        "geo_precision": precision,
        "source": str(source),
        "notes": " ".join((event.get("evidence") or "").split()),
        "fatalities": "" if figure is None else str(int(figure)),
        "tags": "; ".join(tags),
    }


def write_acled_csv(store: Store, fh: TextIO) -> int:
    entities = {e["id"]: e for e in queries.iter_entities(store)}
    places = {
        e["label"]: e
        for e in entities.values()
        if e["type"] in shapes.PLACE_TYPES and shapes.coordinates(e["attributes"]) is not None
    }
    writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for event in queries.iter_events(store):
        writer.writerow(event_row(event, entities, places))
        count += 1
    return count
