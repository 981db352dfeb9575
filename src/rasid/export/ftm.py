"""Entities as FollowTheMoney entities (JSON Lines), each checked by the library.

Mapping: PERSON → Person, ORG → Organization, GPE/LOC/FACILITY → Address,
EVENT → Event. Statements linking two exported entities become interstitial
entities: Membership (a person's ``member_of``/``commander_of``/... an
organisation) or UnknownLink (anything else, with the property as ``role``).
Every proxy is validated with its schema before it is written; one that fails
stops the export with the library's message (it is a bug in the mapping).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy

from rasid.errors import RasidError
from rasid.export.common import reviewed_statements
from rasid.kb.store import Store
from rasid.web import queries, shapes

SCHEMA_OF = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Address",
    "LOC": "Address",
    "FACILITY": "Address",
    "FAC": "Address",
    "EVENT": "Event",
}
#: Statement properties that make a Membership between a person and an organisation.
MEMBERSHIP_PROPERTIES = frozenset(
    {
        "member_of",
        "commander_of",
        "leader_of",
        "fighter_of",
        "founder_of",
        "head_of",
        "emir_of",
        "commands",
        "belongs_to",
        "affiliation",
    }
)


class FtmExportError(RasidError):
    code = "E604"


def _entity_proxy(
    entity: dict[str, Any], names: list[str], sources: list[str]
) -> EntityProxy | None:
    schema = SCHEMA_OF.get(entity["type"])
    if schema is None:
        return None
    proxy = model.make_entity(schema)
    proxy.id = entity["id"]
    attributes = entity["attributes"]
    if schema == "Address":
        proxy.add("full", entity["label"])
        point = shapes.coordinates(attributes)
        if point is not None:
            proxy.add("latitude", str(point[0]))
            proxy.add("longitude", str(point[1]))
    proxy.add("name", entity["label"])
    if entity.get("label_latin"):
        proxy.add("alias", entity["label_latin"])
    for name in names:
        if name != entity["label"]:
            proxy.add("alias", name)
    for key in ("country", "nationality"):
        if key in proxy.schema.properties and attributes.get(key):
            # clean=True drops a value the type rejects (e.g. a non-ISO country).
            proxy.add(key, attributes[key], quiet=True)
    proxy.add("sourceUrl", [s for s in sources if s.startswith(("http://", "https://"))])
    proxy.add("notes", f"rasid entity {entity['id']} ({entity['type']})")
    return proxy


def _check(proxy: EntityProxy) -> dict[str, Any]:
    data = proxy.to_dict()
    try:
        proxy.schema.validate(data)  # type: ignore[arg-type]
    except InvalidData as exc:
        raise FtmExportError(
            f"FollowTheMoney rejected {proxy.schema.name} {proxy.id}: {exc}"
        ) from exc
    if not proxy.id:
        raise FtmExportError(f"a {proxy.schema.name} has no id")
    return data


def build_proxies(store: Store) -> Iterator[EntityProxy]:
    """Entity proxies, then the link proxies between them (unchecked)."""
    schemas: dict[str, str] = {}
    conn = store.connection
    for entity in queries.iter_entities(store):
        names = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT text FROM mentions WHERE entity_id = ? LIMIT 20", (entity["id"],)
            )
        ]
        sources = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT d.source_uri FROM mentions m JOIN documents d ON d.id = m.doc_id "
                "WHERE m.entity_id = ? LIMIT 20",
                (entity["id"],),
            )
        ]
        proxy = _entity_proxy(entity, names, sources)
        if proxy is not None:
            schemas[entity["id"]] = proxy.schema.name
            yield proxy
    for st in reviewed_statements(store):
        subject, obj = st["subject"], st["object_entity"]
        if st["state"]["status"] == "rejected" or subject not in schemas or obj not in schemas:
            continue
        membership = (
            st["property"] in MEMBERSHIP_PROPERTIES
            and schemas[subject] == "Person"
            and schemas[obj] == "Organization"
        )
        link = model.make_entity("Membership" if membership else "UnknownLink")
        link.id = f"ftm-{st['id']}"
        if membership:
            link.add("member", subject)
            link.add("organization", obj)
        else:
            link.add("subject", subject)
            link.add("object", obj)
        link.add("role", st["property"])
        date = (st["qualifiers"] or {}).get("date") or st["document_published"]
        if date:
            link.add("date", str(date)[:10], quiet=True)
        link.add("summary", st["evidence"])
        if str(st.get("document_source", "")).startswith(("http://", "https://")):
            link.add("sourceUrl", st["document_source"])
        yield link


def write_ftm(store: Store, fh: TextIO) -> int:
    count = 0
    for proxy in build_proxies(store):
        fh.write(json.dumps(_check(proxy), ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count
