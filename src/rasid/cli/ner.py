"""Commands for the NER model: ``rasid train ner`` and ``rasid eval ner``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from rasid.errors import InputError, RasidError

err_console = Console(stderr=True)

_DEFAULT_DATA = Path("../shared/data")


def _fail(err: RasidError) -> None:
    err_console.print(f"[red]error:[/red] {escape(str(err))}")
    raise typer.Exit(2 if isinstance(err, InputError) else 1)


def _default_out() -> Path:
    from rasid.ner.tagger import default_model_path

    return default_model_path()


def train_ner_command(
    data_dir: Annotated[
        Path, typer.Option("--data-dir", help="The shared data folder (anercorp/, news/, ...).")
    ] = _DEFAULT_DATA,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Model file to write (default: the shipped model)."),
    ] = None,
    sample: Annotated[
        int | None,
        typer.Option("--sample", min=10, help="Train on N random sentences only (fast CI check)."),
    ] = None,
    clusters: Annotated[
        Path | None,
        typer.Option(
            "--clusters",
            help="Word cluster table to use (default: the one beside --out, "
            "built by `python -m rasid.ner.clusters`).",
        ),
    ] = None,
    iterations: Annotated[
        int, typer.Option("--iterations", min=1, help="L-BFGS iterations.")
    ] = 150,
    self_train: Annotated[
        int,
        typer.Option(
            "--self-train", min=0, help="Add N confidently tagged news sentences (0: off)."
        ),
    ] = 0,
    silver: Annotated[
        Path | None,
        typer.Option(
            "--silver",
            help="Extra training sentences: CoNLL 'token TAG' lines, IOB2, ANERcorp labels "
            "(PERS, LOC, ORG, MISC), a blank line between sentences; e.g. from "
            "tools/ner_teacher.py label.",
        ),
    ] = None,
    silver_limit: Annotated[
        int,
        typer.Option("--silver-limit", min=0, help="Use the first N silver sentences (0: all)."),
    ] = 0,
) -> None:
    """Train the NER CRF from ANERcorp (+ gazetteers, clusters); print dev scores as JSON."""
    from rasid.ner.train import TrainConfig, bundle_paths, train_model

    target = out or _default_out()
    cluster_path = clusters
    if cluster_path is None:
        beside = bundle_paths(target)["clusters"]
        shipped = bundle_paths(_default_out())["clusters"]
        cluster_path = beside if beside.exists() else shipped
    try:
        meta = train_model(
            data_dir,
            target,
            clusters_path=cluster_path,
            sample=sample,
            config=TrainConfig(
                max_iterations=iterations,
                self_train=self_train,
                silver=str(silver) if silver else "",
                silver_limit=silver_limit,
            ),
        )
    except RasidError as err:
        _fail(err)
        return
    print(json.dumps({"model": str(target), **meta}, ensure_ascii=False, indent=2))


def eval_ner_command(
    file: Annotated[Path, typer.Argument(help="CoNLL file: 'token TAG' lines, IOB2.")],
    scheme: Annotated[
        str, typer.Option("--scheme", help="Label set of the file: anercorp or rasid.")
    ] = "anercorp",
    model: Annotated[
        Path | None, typer.Option("--model", help="Model file (default: the shipped model).")
    ] = None,
    no_rules: Annotated[
        bool, typer.Option("--no-rules", help="Score the CRF alone, without the rule layer.")
    ] = False,
) -> None:
    """Score the tagger on a CoNLL file; print one JSON object (precision, recall, f1, ...)."""
    from rasid.ner.evaluate import evaluate_file

    try:
        result = evaluate_file(file, scheme=scheme, model_path=model, rules=not no_rules)
    except RasidError as err:
        _fail(err)
        return
    print(json.dumps(result, ensure_ascii=False))


def _group(app: typer.Typer, name: str, help_text: str) -> typer.Typer:
    """The ``name`` sub-command group, shared with other areas if one exists."""
    for info in app.registered_groups:
        if info.name == name and info.typer_instance is not None:
            return info.typer_instance
    group = typer.Typer(help=help_text, no_args_is_help=True)
    app.add_typer(group, name=name)
    return group


def register(app: typer.Typer) -> None:
    _group(app, "train", "Train rasid's models.").command("ner")(train_ner_command)
    _group(app, "eval", "Evaluate rasid's models.").command("ner")(eval_ner_command)
