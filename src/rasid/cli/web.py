"""Commands of the workbench: ``rasid serve`` and ``rasid export``."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from rasid.cli.options import DEFAULT_DB, DbOption
from rasid.errors import RasidError


def serve_command(
    db: DbOption = DEFAULT_DB,
    host: Annotated[
        str, typer.Option(help="Address to listen on; beyond loopback a token is required.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="RASID_TOKEN",
            help="Access token (Bearer header or login form).",
            show_default=False,
        ),
    ] = None,
    max_upload_mb: Annotated[float, typer.Option(min=0.001, help="Largest upload, in MB.")] = 20.0,
    cache: Annotated[
        bool,
        typer.Option(
            "--cache/--no-cache",
            help="Keep search results and pages until the next write (off: every "
            "request queries the knowledge base, as in the load benchmark).",
        ),
    ] = True,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Server processes: one per core answers most requests at once "
            "(page building holds each process's interpreter lock).",
        ),
    ] = 1,
    threads: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Requests worked on at once; the rest wait their turn (default: CPU cores + 1).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Run the analyst's workbench (web pages + HTTP API) on one knowledge base."""
    import uvicorn

    from rasid.web.app import create_app
    from rasid.web.config import WebConfig

    config = WebConfig(
        db_path=db,
        host=host,
        port=port,
        token=token or None,
        max_upload_bytes=int(max_upload_mb * 1024 * 1024),
        cache=cache,
    )
    if threads is not None:
        config.threads = threads
    elif workers > 1:  # the default, cores + 1, shared among the processes
        config.threads = max(1, -(-config.threads // workers))
    shared: Path | None = None
    if workers > 1:
        shared = Path(tempfile.mkdtemp(prefix="rasid-serve-"))
        # Ingest jobs started in one process are polled through any of them.
        config.jobs_dir = shared / "jobs"
        config.jobs_dir.mkdir()
        # A process busier than the others hands its connections over.
        config.balance_dir = shared / "load"
    try:
        # Checks the configuration and brings the knowledge base up to date
        # once, before any worker process opens it.
        app = create_app(config)
    except RasidError as err:
        _remove(shared)
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2 if err.code == "E600" else 1) from None
    scheme_host = f"[{host}]" if ":" in host else host
    typer.echo(
        f"rasid workbench on http://{scheme_host}:{port}/  (db: {db}"
        + (f", {workers} processes)" if workers > 1 else ")"),
        err=True,
    )
    options: dict[str, Any] = dict(
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
        server_header=False,
    )
    try:
        if workers == 1:
            from rasid.link.expand import load_catalogues

            load_catalogues()
            uvicorn.run(app, **options)
        else:
            from rasid.web.app import CONFIG_ENV

            app.state.workbench.stores.close()
            os.environ[CONFIG_ENV] = config.to_json()  # inherited by the worker processes
            uvicorn.run("rasid.web.app:app_from_env", factory=True, workers=workers, **options)
    finally:
        _remove(shared)


def _remove(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def export_command(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="jsonl | acled-csv | ftm | geojson | graphml")
    ],
    db: DbOption = DEFAULT_DB,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output file (default: stdout).")
    ] = None,
) -> None:
    """Export statements, events, entities, places or the entity network."""
    from rasid.export import FORMATS, export
    from rasid.kb.store import Store

    if fmt not in FORMATS:
        typer.echo(f"error: unknown format {fmt!r}; use one of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(2)
    if not db.exists():
        typer.echo(
            f"error: no knowledge base at {db}; run `rasid ingest PATH --db {db}` first", err=True
        )
        raise typer.Exit(2)
    try:
        with Store(db, readonly=True) as store:
            count = export(store, fmt, out)
    except RasidError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from None
    if out is not None:
        typer.echo(f"{count} records written to {out}", err=True)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
    app.command("export")(export_command)
