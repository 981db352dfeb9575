"""Core commands: ingest, search, show, extract, stats."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from rasid.cli.options import DEFAULT_DB, DbOption, JsonOption
from rasid.errors import RasidError

console = Console()
err_console = Console(stderr=True)


def _fail(message: str, code: int = 1) -> None:
    err_console.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(code)


def ingest_command(
    inputs: Annotated[
        list[str], typer.Argument(help="Files, folders, URLs, feeds, or - for stdin.")
    ],
    db: DbOption = DEFAULT_DB,
    near_threshold: Annotated[
        float,
        typer.Option(help="MinHash Jaccard threshold for near-duplicates (0-1).", min=0.0, max=1.0),
    ] = 0.8,
    workers: Annotated[int, typer.Option(help="Analysis processes.", min=1)] = 1,
    pipeline: Annotated[
        str, typer.Option(help="full (text layer, NER, names, places, facts, linking) or text.")
    ] = "full",
    as_json: JsonOption = False,
) -> None:
    """Take in documents, analyse them and store them in the knowledge base."""
    from rasid.workflows import PIPELINES, ingest

    if pipeline not in PIPELINES:
        _fail(f"unknown pipeline {pipeline!r}; use one of: {', '.join(PIPELINES)}", 2)
    stdin = sys.stdin.buffer if "-" in inputs else None
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("[bold]{task.completed}[/bold] taken in"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=as_json or not err_console.is_terminal,
    ) as progress:
        task = progress.add_task("ingesting", total=None)

        def on_progress(label: str, count: int) -> None:
            progress.update(task, completed=count, description=escape(label[:50]))

        try:
            report = ingest(
                inputs,
                db,
                stdin=stdin,
                near_threshold=near_threshold,
                workers=workers,
                pipeline=pipeline,
                on_progress=on_progress,
            )
        except RasidError as err:
            _fail(str(err))
            return
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        colour = "red" if report.failed else "green"
        console.print(
            f"taken in: [bold]{report.taken_in}[/bold]; already known: {report.already_known}; "
            f"exact duplicates: {report.duplicates}; near-duplicates: {report.near_duplicates}; "
            f"failed: [{colour}]{len(report.failed)}[/{colour}]",
            soft_wrap=True,
        )
        for failure in report.failed:
            err_console.print(
                f"[red]failed[/red] {escape(failure['source'])}: [{failure['code']}] "
                f"{escape(failure['reason'])}"
            )
    raise typer.Exit(report.exit_code)


def search_command(
    query: Annotated[
        str,
        typer.Argument(help="Words to find; Arabic matches across clitics, hamza and diacritics."),
    ],
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 10,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """Search the knowledge base; prints ranked documents with highlighted snippets."""
    from rasid.kb.store import Store

    _require_db(db)
    try:
        with Store(db, create=False) as store:
            hits = store.search(query, limit=limit, offset=offset)
    except RasidError as err:
        _fail(str(err))
        return
    if as_json:
        print(json.dumps([hit.to_dict() for hit in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        console.print("no results")
        return
    for rank, hit in enumerate(hits, start=offset + 1):
        console.print(
            f"[bold]{rank}. {escape(hit.title or '(untitled)')}[/bold]  "
            f"[dim]{hit.doc_id}  {hit.published or ''}  {escape(hit.source_uri or '')}[/dim]"
        )
        spans = [(s - hit.snippet_start, e - hit.snippet_start) for s, e in hit.highlights]
        console.print(_highlighted(hit.snippet, spans))
        console.print()


def _highlighted(snippet: str, spans: list[tuple[int, int]]) -> Text:
    text = Text(snippet)
    for start, end in spans:
        if 0 <= start < end <= len(snippet):
            text.stylize("bold yellow reverse", start, end)
    return text


def show_command(
    identifier: Annotated[
        str,
        typer.Argument(
            help="A document ID (doc-…), an entity ID (ent-…), ID prefix, or entity name."
        ),
    ],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Print a document (provenance, sentences, extractions) or an entity (names, facts, sources)."""
    from rasid.kb.store import Store

    _require_db(db)
    try:
        with Store(db, create=False) as store:
            if not identifier.startswith("doc-"):
                from rasid.cli.entities import print_entity
                from rasid.link.query import entity_detail

                detail = entity_detail(store, identifier)
                if as_json:
                    print(json.dumps(detail, ensure_ascii=False, indent=2))
                else:
                    print_entity(detail)
                return
            stored = store.get_document(identifier)
    except RasidError as err:
        _fail(str(err))
        return
    if as_json:
        print(json.dumps(_jsonable(stored), ensure_ascii=False, indent=2))
        return
    doc = stored.document
    table = Table(show_header=False, box=None)
    for label, value in (
        ("id", doc.id),
        ("title", doc.title),
        ("source", doc.source_uri),
        ("publisher", doc.publisher),
        ("author", doc.author),
        ("published", _published_label(doc.published, doc.published_raw)),
        ("language", doc.language),
        ("sha256", doc.sha256),
        ("taken in", doc.ingested_at),
        ("reader", doc.reader),
        ("duplicate of", stored.duplicate_of),
        ("near-duplicate of", stored.near_duplicate_of),
    ):
        if value:
            table.add_row(f"[bold]{label}[/bold]", escape(str(value)))
    console.print(table)
    console.print()
    for sentence in stored.sentences:
        console.print(
            f"[dim]{sentence.index:>3}[/dim] {escape(doc.text[sentence.start : sentence.end])}"
        )
    if stored.mentions:
        console.print()
        mentions = Table("type", "text", "offsets", "component", title="mentions")
        for mention in stored.mentions:
            mentions.add_row(
                mention.type,
                escape(mention.text),
                f"{mention.start}-{mention.end}",
                mention.component,
            )
        console.print(mentions)


def extract_command(
    source: Annotated[str, typer.Argument(help="A text file, or - for stdin.")] = "-",
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help='Read one {"id","text","published"} object per line.')
    ] = False,
) -> None:
    """Analyse text without storing it and print the analysis as JSON."""
    from rasid.workflows import (
        Analyzer,
        ExtractRequest,
        analysis_to_json,
        document_from_request,
        parse_jsonl_requests,
    )

    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as err:
        _fail(f"cannot read {source}: {err.strerror}", 2)
        return
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        _fail(
            f"{source} is not UTF-8 (byte {err.start}); use `rasid ingest` for other encodings", 2
        )
        return
    analyzer = Analyzer()
    if not jsonl:
        document = document_from_request(ExtractRequest(text=content))
        print(json.dumps(analysis_to_json(analyzer(document)), ensure_ascii=False))
        return
    failures = 0
    for request in parse_jsonl_requests(content.splitlines()):
        if isinstance(request, str):
            failures += 1
            print(json.dumps({"error": request}, ensure_ascii=False))
            err_console.print(f"[red]error:[/red] {escape(request)}")
            continue
        document = document_from_request(request)
        print(json.dumps(analysis_to_json(analyzer(document)), ensure_ascii=False))
    if failures:
        raise typer.Exit(3)


def stats_command(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """What the knowledge base holds."""
    from rasid.kb.store import Store

    _require_db(db)
    with Store(db, create=False) as store:
        stats = store.stats()
    if as_json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    table = Table("what", "count", title=str(db))
    for key, value in stats.items():
        if isinstance(value, dict):
            for sub, count in value.items():
                table.add_row(f"{key}: {escape(str(sub))}", str(count))
        else:
            table.add_row(key, escape(str(value)))
    console.print(table)


def _published_label(parsed: str | None, raw: str | None) -> str | None:
    if parsed is None and raw is None:
        return None
    return f"{parsed or '(not understood)'}  (as found: {raw or '-'})"


def _require_db(db: Path) -> None:
    if not db.exists():
        _fail(f"no knowledge base at {db}; run `rasid ingest PATH --db {db}` first", 2)


def _jsonable(value: Any) -> Any:
    from dataclasses import asdict, is_dataclass

    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return value


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("search")(search_command)
    app.command("show")(show_command)
    app.command("extract")(extract_command)
    app.command("stats")(stats_command)
