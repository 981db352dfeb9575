"""Entity commands: entities, facts, merge, split (and `show` for entities, via core)."""

from __future__ import annotations

import json
import os
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from rasid.cli.options import DEFAULT_DB, DbOption, JsonOption
from rasid.errors import RasidError

console = Console()
err_console = Console(stderr=True)

AuthorOption = Annotated[
    str,
    typer.Option("--author", help="Who makes the judgement (default: $RASID_AUTHOR or $USER)."),
]


def _default_author() -> str:
    return os.environ.get("RASID_AUTHOR") or os.environ.get("USER") or "analyst"


def _fail(err: RasidError) -> None:
    err_console.print(f"[red]error:[/red] {escape(str(err))}")
    raise typer.Exit(1)


def entities_command(
    db: DbOption = DEFAULT_DB,
    entity_type: Annotated[
        str | None, typer.Option("--type", help="PERSON, ORG, GPE, LOC, FACILITY, NORP, ...")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Only names containing this.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List entities, most mentioned first."""
    from rasid.cli.core import _require_db
    from rasid.kb.store import Store
    from rasid.link.query import list_entities

    if entity_type is not None:
        from rasid.link.keys import ENTITY_TYPES

        entity_type = entity_type.upper()
        if entity_type not in ENTITY_TYPES:
            err_console.print(
                f"[red]error:[/red] unknown type {entity_type!r}; "
                f"use one of {', '.join(sorted(ENTITY_TYPES))}"
            )
            raise typer.Exit(2)
    _require_db(db)
    with Store(db, create=False) as store:
        total, items = list_entities(
            store, entity_type=entity_type, name=name, limit=limit, offset=offset
        )
    if as_json:
        print(
            json.dumps(
                {"total": total, "items": [i.__dict__ for i in items]}, ensure_ascii=False, indent=2
            )
        )
        return
    table = Table(title=f"{total} entities")
    table.add_column("id", no_wrap=True)
    for column in ("type", "name", "latin", "mentions", "documents"):
        table.add_column(column)
    for item in items:
        table.add_row(
            item.id, item.type, escape(item.label), escape(item.label_latin or ""),
            str(item.mentions), str(item.documents),
        )  # fmt: skip
    console.print(table)


def _chain(attribution: list[dict[str, Any]]) -> str:
    return " ← ".join(link.get("name", "?") for link in attribution) or "-"


def print_entity(detail: dict[str, Any]) -> None:
    console.print(
        f"[bold]{escape(detail['label'])}[/bold]  {escape(detail.get('label_latin') or '')}  "
        f"[dim]{detail['id']}  {detail['type']}{'/' + detail['subtype'] if detail.get('subtype') else ''}[/dim]"
    )
    names = ", ".join(f"{escape(n)} ({c})" for n, c in detail["names"].items())
    console.print(f"names: {names}")
    if detail["latin_names"]:
        console.print(f"latin: {escape(', '.join(detail['latin_names']))}")
    if len(detail["members"]) > 1:
        console.print(f"merged from: {', '.join(detail['members'])}")
    for key, value in detail["attributes"].items():
        console.print(f"[dim]{escape(key)}:[/dim] {escape(json.dumps(value, ensure_ascii=False))}")
    print_facts(detail["statements"])
    if detail["strength_timeline"]:
        table = Table(
            "date",
            "best",
            "low-high",
            "approx.",
            "place",
            "certainty",
            "document",
            title="strength over time",
        )
        for point in detail["strength_timeline"]:
            place = point["place"]
            table.add_row(
                str(point["date"] or "?"), str(point["best"]),
                f"{point['low'] or ''}-{point['high'] or ''}", "yes" if point["approximate"] else "",
                escape(place if isinstance(place, str) else json.dumps(place, ensure_ascii=False) if place else ""),
                point["certainty"], point["document_id"],
            )  # fmt: skip
        console.print(table)
    for conflict in detail["conflicts"]:
        console.print(
            f"[red]conflict[/red] {conflict['property']} on {conflict['date']}: "
            f"{escape(' vs '.join(conflict['values']))} (documents {', '.join(conflict['documents'])})"
        )
    console.print(f"\n[bold]mentioned in {len(detail['documents'])} document(s)[/bold]")
    seen: set[tuple[str, str | None]] = set()
    titled: set[str] = set()
    for mention in detail["mentions"]:
        key = (mention["doc_id"], mention["sentence"])
        if key in seen:
            continue
        seen.add(key)
        if mention["doc_id"] not in titled:
            titled.add(mention["doc_id"])
            title = escape(mention.get("title") or "")
            console.print(
                f"[bold]{mention['doc_id']}[/bold] {title} [dim]{mention.get('published') or ''}[/dim]"
            )
        console.print(f"  {escape(mention['sentence'] or mention['text'])}")
    for joined in detail.get("joined", []):
        console.print(
            f"[dim]joined by the machine ({joined['linked_by']}):[/dim] {joined['id']} "
            f"{escape(', '.join(joined['names']))} in {', '.join(joined['documents'])} "
            f"[dim](undo: rasid split {detail['id']} {joined['id']})[/dim]"
        )
    for judgement in detail["judgements"]:
        console.print(
            f"[yellow]judgement[/yellow] {judgement['kind']} {', '.join(judgement['target_ids'])} "
            f"by {escape(judgement['author'])} at {judgement['created_at']}"
        )


def print_facts(statements: list[dict[str, Any]]) -> None:
    by_property: dict[str, list[dict[str, Any]]] = {}
    for st in statements:
        by_property.setdefault(st["property"], []).append(st)
    for prop, items in by_property.items():
        table = Table(
            "subject",
            "value",
            "certainty",
            "date",
            "source chain",
            "review",
            "sentence",
            title=prop,
        )
        for st in items:
            q = st["qualifiers"]
            date = q.get("as_of") or q.get("date") or st.get("published") or ""
            table.add_row(
                escape(st["subject_label"]), escape(st["object_label"] or st["value"]),
                st["certainty"], escape(json.dumps(date, ensure_ascii=False) if isinstance(date, dict) else str(date)),
                escape(_chain(st["attribution"])), st["review_status"],
                escape((st["sentence"] or st["evidence"])[:200]),
            )  # fmt: skip
        console.print(table)


def facts_command(
    entity: Annotated[str, typer.Argument(help="Entity ID, ID prefix, or a name.")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """An entity's statements grouped by property, with certainty, date, source chain, sentence."""
    from rasid.cli.core import _require_db
    from rasid.kb.store import Store
    from rasid.link.query import entity_detail

    _require_db(db)
    try:
        with Store(db, create=False) as store:
            detail = entity_detail(store, entity)
    except RasidError as err:
        _fail(err)
        return
    if as_json:
        print(json.dumps(detail["statements"], ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{escape(detail['label'])}[/bold] [dim]{detail['id']}[/dim]")
    print_facts(detail["statements"])


def merge_command(
    entities: Annotated[list[str], typer.Argument(help="Two or more entities; the first is kept.")],
    db: DbOption = DEFAULT_DB,
    author: AuthorOption = "",
    note: Annotated[str, typer.Option(help="Why (kept with the judgement).")] = "",
) -> None:
    """Record that entities are the same (a judgement; machine output is untouched)."""
    _judge("merge", entities, db, author, note)


def split_command(
    entities: Annotated[list[str], typer.Argument(help="Entities that are NOT the same.")],
    db: DbOption = DEFAULT_DB,
    author: AuthorOption = "",
    note: Annotated[str, typer.Option(help="Why (kept with the judgement).")] = "",
    documents: Annotated[
        list[str] | None,
        typer.Option(
            "--document",
            "-d",
            help="With one entity: what these documents say about it is someone else.",
        ),
    ] = None,
) -> None:
    """Record that entities are different: undoes merges between them, blocks machine joins."""
    if documents:
        _split_documents(entities, documents, db, author, note)
        return
    _judge("split", entities, db, author, note)


def _split_documents(
    references: list[str], documents: list[str], db: Any, author: str, note: str
) -> None:
    from rasid.cli.core import _require_db
    from rasid.kb.store import Store
    from rasid.link.query import find_entity_id, split_documents

    if len(references) != 1:
        err_console.print("[red]error:[/red] split --document takes exactly one entity")
        raise typer.Exit(2)
    _require_db(db)
    try:
        with Store(db, create=False) as store:
            entity_id = _machine_id(store, references[0], find_entity_id)
            new_id = split_documents(
                store, entity_id, documents, author=author or _default_author(), note=note
            )
    except RasidError as err:
        _fail(err)
        return
    console.print(f"split recorded: {entity_id} in {', '.join(documents)} is now {new_id}")


def _judge(kind: str, references: list[str], db: Any, author: str, note: str) -> None:
    from rasid.cli.core import _require_db
    from rasid.kb.store import Store
    from rasid.link.query import apply_split, find_entity_id

    if len(references) < 2:
        err_console.print(f"[red]error:[/red] {kind} needs at least two entities")
        raise typer.Exit(2)
    _require_db(db)
    try:
        with Store(db, create=False) as store:
            # Judgements name machine IDs (resolved from prefixes or names), never canonical aliases.
            ids = [_machine_id(store, ref, find_entity_id) for ref in references]
            if len(set(ids)) < 2:
                err_console.print(
                    f"[red]error:[/red] {kind} needs two different entities; "
                    f"{', '.join(references)} all name {ids[0]}"
                )
                raise typer.Exit(2)
            judgement = store.add_judgement(
                kind,
                ids,
                author=author or _default_author(),
                payload={"note": note} if note else {},
            )
            moved = apply_split(store, ids) if kind == "split" else []
    except RasidError as err:
        _fail(err)
        return
    console.print(f"{kind} recorded: {judgement} ({', '.join(ids)})")
    if moved:
        console.print(f"rows the machine had joined were given back to: {', '.join(ids)}")


def _machine_id(store: Any, reference: str, find: Any) -> str:
    from rasid.link.judgements import Resolver

    return str(find(store, reference, Resolver(), strict=True))


def register(app: typer.Typer) -> None:
    app.command("entities")(entities_command)
    app.command("facts")(facts_command)
    app.command("merge")(merge_command)
    app.command("split")(split_command)
