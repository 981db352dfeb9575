"""Commands for names and places: ``rasid name`` and ``rasid geocode``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from rasid.cli.options import JsonOption
from rasid.errors import InputError, RasidError

console = Console()
err_console = Console(stderr=True)


def _fail(err: RasidError) -> None:
    err_console.print(f"[red]error:[/red] {escape(str(err))}")
    # Bad input is a usage problem; a broken data file is a failure of ours.
    raise typer.Exit(2 if isinstance(err, InputError) else 1)


def name_command(
    text: Annotated[str, typer.Argument(help="One personal name, Arabic or Latin script.")],
    as_json: JsonOption = False,
) -> None:
    """Parse a personal name: kunya, ism, nasab, nisba (with the origin it suggests), laqab."""
    from rasid.names import parse_name
    from rasid.names.romanize import use_neural_model

    use_neural_model(True)  # one name: worth the romanizer's neural model for unknown units
    try:
        parsed = parse_name(text)
    except RasidError as err:
        _fail(err)
        return
    if as_json:
        print(json.dumps(parsed.to_dict(), ensure_ascii=False, indent=2))
        return
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    rows: list[tuple[str, str]] = [
        ("titles", "، ".join(parsed.titles)),
        ("kunya", parsed.kunya or ""),
        ("ism", parsed.ism or ""),
        ("nasab", " ".join(parsed.nasab)),
        ("laqab", "، ".join(parsed.laqab)),
    ]
    for nisba in parsed.nisbas:
        origin = nisba.origin or {}
        where = ", ".join(v for k, v in origin.items() if k in {"region_en", "country_en"})
        suggests = f" → suggests {where} ({origin.get('country', '')})" if where else ""
        rows.append(("nisba", f"{nisba.form} [{nisba.kind}] {nisba.latin}{suggests}"))
    rows.append(("latin", " | ".join(parsed.romanized)))
    if parsed.arabic:
        rows.append(("arabic", " | ".join(parsed.arabic)))
    rows.append(("keys", " ".join(parsed.keys)))
    for label, value in rows:
        if value:
            table.add_row(label, escape(value))
    console.print(table)


def geocode_command(
    name: Annotated[str, typer.Argument(help="A place name, Arabic or Latin script.")],
    context: Annotated[
        list[str] | None,
        typer.Option("--context", "-c", help="Other place or country names of the document."),
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="ISO 3166-1 alpha-2 code to prefer.")
    ] = None,
    limit: Annotated[int, typer.Option(help="Most candidates to show.", min=1)] = 5,
    as_json: JsonOption = False,
) -> None:
    """Find a place: candidates with coordinates, ACLED-style precision and score."""
    from rasid.places import geocode

    try:
        candidates = geocode(name, context=context or (), country_hint=country, limit=limit)
    except RasidError as err:
        _fail(err)
        return
    if as_json:
        print(json.dumps([c.to_dict() for c in candidates], ensure_ascii=False, indent=2))
        return
    if not candidates:
        err_console.print(f"no place found for {escape(name)!r}")
        raise typer.Exit(1)
    table = Table("score", "name", "type", "lat", "lon", "country", "admin1", "prec.", "id")
    for c in candidates:
        table.add_row(
            f"{c.score:.2f}",
            escape(f"{c.name_ar} / {c.name_en}"),
            c.type,
            f"{c.lat:.3f}",
            f"{c.lon:.3f}",
            c.country,
            escape(c.admin1),
            str(c.precision),
            c.id,
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("name")(name_command)
    app.command("geocode")(geocode_command)
