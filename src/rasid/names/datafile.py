"""Reading the curated tab-separated data files of names and places.

Curated files are edited by hand, so every broken row must be reported with
the file and line it is on; the loaders never skip a row silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rasid.errors import DataFileError

__all__ = ["TsvRow", "read_tsv"]


class TsvRow(dict[str, str]):
    """One row of a curated file, remembering where it came from."""

    path: Path
    line: int

    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def fail(self, message: str) -> DataFileError:
        return DataFileError(f"{self.where()}: {message}")

    def number(self, column: str, low: float, high: float) -> float:
        raw = self.get(column, "")
        try:
            value = float(raw)
        except ValueError:
            raise self.fail(f"column {column!r} must be a number, got {raw!r}") from None
        if not low <= value <= high:
            raise self.fail(f"column {column!r} = {value} is outside [{low}, {high}]")
        return value

    def required(self, column: str) -> str:
        value = self.get(column, "")
        if not value:
            raise self.fail(f"column {column!r} is empty")
        return value

    def items_of(self, column: str) -> list[str]:
        """A ``;``-separated list column, without empty items."""
        return [item.strip() for item in self.get(column, "").split(";") if item.strip()]


def read_tsv(path: Path, columns: tuple[str, ...]) -> Iterator[TsvRow]:
    """Yield the rows of ``path``; ``#`` lines are comments, the first other line is the header."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DataFileError(f"{path}: data file is missing") from None
    except UnicodeDecodeError as err:
        raise DataFileError(f"{path}: not UTF-8 ({err.reason} at byte {err.start})") from None
    header: list[str] | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            missing = [c for c in columns if c not in header]
            if missing:
                raise DataFileError(f"{path}:{number}: header lacks column(s) {', '.join(missing)}")
            continue
        if len(cells) > len(header):
            raise DataFileError(
                f"{path}:{number}: {len(cells)} tab-separated cells, the header has {len(header)}"
            )
        row = TsvRow(zip(header, [c.strip() for c in cells], strict=False))
        for column in header[len(cells) :]:
            row[column] = ""
        row.path = path
        row.line = number
        yield row
    if header is None:
        raise DataFileError(f"{path}: no header line")
