"""The ``rasid`` command: a thin layer over library functions.

Each command group lives in its own module with a ``register(app)`` function;
add the module's name to ``_COMMAND_MODULES`` to expose it.
"""

from __future__ import annotations

import importlib
import sys

import typer

app = typer.Typer(
    name="rasid",
    help="rasid (راصد): Arabic-first, source-attributed intelligence for conflict reporting.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_COMMAND_MODULES: tuple[str, ...] = (
    "core",
    "entities",
    "names",
    "ner",
    "web",
)


def _register_all() -> None:
    for name in _COMMAND_MODULES:
        module = importlib.import_module(f"rasid.cli.{name}")
        module.register(app)


_register_all()


def main() -> None:
    # Usage errors exit 2 (click's convention); commands choose 0/1/3 themselves.
    sys.exit(app(standalone_mode=True))
