"""The `splice` command: one typer app; each command lives in splice/commands/."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    help="splice: search, compact and apply workers that keep a coding agent's context small.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
bench_app = typer.Typer(
    help="Measure splice: apply accuracy and speed, search quality, compaction, token savings.",
    no_args_is_help=True,
)
app.add_typer(bench_app, name="bench")

# Each module has register(app, bench_app); imports inside commands stay lazy so
# `splice --help` starts fast.
COMMAND_MODULES = [
    "splice.commands.apply",
    "splice.commands.bench",
]

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app, bench_app)


def main() -> None:
    app()
