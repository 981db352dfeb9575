"""Option bundles shared by commands, so every command spells them the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DbOption = Annotated[
    Path,
    typer.Option("--db", help="SQLite knowledge base file.", envvar="RASID_DB"),
]
DEFAULT_DB = Path("rasid.db")

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
