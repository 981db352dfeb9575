"""Exports of the knowledge base: statements, events, entities, places, network.

Each format is a writer ``fn(store, fh) -> int`` (records written) over a text
file handle; :data:`FORMATS` lists them for ``rasid export`` and the web UI.
Review decisions are applied on the way out (a rejected statement is marked,
an edited one carries the reviewer's value) without changing the store.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from rasid.errors import RasidError
from rasid.kb.store import Store

Writer = Callable[[Store, TextIO], int]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    name: str
    extension: str
    media_type: str
    description: str
    writer: Writer


def _formats() -> dict[str, ExportFormat]:
    from rasid.export.acled import write_acled_csv
    from rasid.export.ftm import write_ftm
    from rasid.export.geojson import write_geojson
    from rasid.export.graphml import write_graphml
    from rasid.export.jsonl import write_statements_jsonl

    return {
        "jsonl": ExportFormat(
            "jsonl",
            ".jsonl",
            "application/x-ndjson",
            "statements, one JSON object a line, with evidence, attribution and review",
            write_statements_jsonl,
        ),
        "acled-csv": ExportFormat(
            "acled-csv",
            ".csv",
            "text/csv; charset=utf-8",
            "events as CSV in ACLED's column layout",
            write_acled_csv,
        ),
        "ftm": ExportFormat(
            "ftm",
            ".ftm.json",
            "application/x-ndjson",
            "entities as FollowTheMoney entities, one JSON object a line",
            write_ftm,
        ),
        "geojson": ExportFormat(
            "geojson",
            ".geojson",
            "application/geo+json",
            "places with coordinates as a GeoJSON FeatureCollection",
            write_geojson,
        ),
        "graphml": ExportFormat(
            "graphml",
            ".graphml",
            "application/graphml+xml",
            "the entity network (statements and shared sentences) as GraphML",
            write_graphml,
        ),
    }


FORMATS: dict[str, ExportFormat] = _formats()


class ExportError(RasidError):
    """An export was asked for in a format that does not exist, or could not be written."""

    code = "E603"


def export(store: Store, fmt: str, out: Path | None = None) -> int:
    """Write the ``fmt`` export of ``store`` to ``out`` (stdout when None); records written."""
    spec = FORMATS.get(fmt)
    if spec is None:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if out is None:
        return spec.writer(store, sys.stdout)
    try:
        with out.open("w", encoding="utf-8", newline="") as fh:
            return spec.writer(store, fh)
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror}") from exc


__all__ = ["FORMATS", "ExportError", "ExportFormat", "export"]
