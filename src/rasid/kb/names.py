"""Entities whose names contain a string: ``LIKE '%text%'`` from an index.

Migration ``0003_entity_name_index`` keeps a trigram FTS5 index of each
entity's label, Latin label and Latin names (``entity_names_fts``). FTS5
answers a LIKE pattern on it from the index when the text has three
characters or more; shorter text, and text holding LIKE's own wildcards
(which would need an ESCAPE clause FTS5 does not take), is matched by
scanning ``entities`` as before. Matching is case-blind in both (the index
also folds non-ASCII case, where SQLite's LIKE folds ASCII only).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

__all__ = ["NameColumn", "containing_sql", "like_pattern", "spelled_sql"]

NameColumn = Literal["label", "label_latin", "latin_names"]
_MIN_INDEXED = 3  # the trigram index has nothing to look up for shorter text
_WILDCARDS = re.compile(r"[\\%_]")


def like_pattern(text: str) -> str:
    """``%text%`` with LIKE's wildcards escaped (for ``ESCAPE '\\'``)."""
    return "%" + _WILDCARDS.sub(r"\\\g<0>", text) + "%"


def _indexed(text: str) -> bool:
    return len(text) >= _MIN_INDEXED and not _WILDCARDS.search(text)


def containing_sql(text: str, columns: Sequence[NameColumn]) -> tuple[str, list[Any]]:
    """A SELECT of the ids of entities whose ``columns`` (any) contain ``text``."""
    if _indexed(text):
        # One SELECT a column: FTS5 uses its index for one LIKE at a time.
        parts = [f"SELECT entity_id FROM entity_names_fts WHERE {c} LIKE ?" for c in columns]
        return " UNION ".join(parts), [f"%{text}%"] * len(columns)
    scanned = [_scan_expression(c) for c in columns]
    sql = f"SELECT id AS entity_id FROM entities e WHERE {' OR '.join(scanned)}"
    return sql, [like_pattern(text)] * len(columns)


def spelled_sql(text: str) -> tuple[str, list[Any]]:
    """A SELECT of the ids of entities with a Latin spelling equal to ``text``, case aside.

    The Latin label, or one of the Latin names linking found (``latin_names``
    in the index holds them one a line).
    """
    if _indexed(text):
        # A LIKE without wildcards is equality; SQLite checks each row the index gives.
        sql = (
            "SELECT entity_id FROM entity_names_fts WHERE label_latin LIKE ? UNION "
            "SELECT entity_id FROM entity_names_fts WHERE latin_names LIKE ? "
            "AND char(10) || latin_names || char(10) LIKE ?"
        )
        return sql, [text, f"%{text}%", f"%\n{text}\n%"]
    escaped = _WILDCARDS.sub(r"\\\g<0>", text)
    sql = (
        "SELECT id AS entity_id FROM entities WHERE label_latin LIKE ? ESCAPE '\\' "
        "OR EXISTS (SELECT 1 FROM json_each(attributes, '$.latin_names') "
        "WHERE value LIKE ? ESCAPE '\\')"
    )
    return sql, [escaped, escaped]


def _scan_expression(column: NameColumn) -> str:
    if column == "latin_names":
        return "json_extract(e.attributes, '$.latin_names') LIKE ? ESCAPE '\\'"
    return f"e.{column} LIKE ? ESCAPE '\\'"
