"""rasid.names: Arabic personal names (kunya, ism, nasab, nisba, laqab), their
romanisation and matching keys, and the curated list of organisations and units."""

from rasid.names.parse import Nisba, ParsedName, name_keys, parse_name

__all__ = ["Nisba", "ParsedName", "name_keys", "parse_name"]
