"""The `splice` command: one typer app; each command lives in splice/commands/."""

from __future__ import annotations

import importlib
import pkgutil

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


@app.callback()
def _options(
    width: int | None = typer.Option(
        None, "--width", min=20, help="Columns for output meant for people (default: the "
        "terminal's; in a pipe nothing is ever wrapped). Also SPLICE_WIDTH."),
) -> None:
    from splice.core.terminal import set_width

    set_width(width)


# Every module in splice/commands with a register(app, bench_app) adds its commands; imports
# inside commands stay lazy so `splice --help` starts fast.
def _register_commands() -> None:
    import splice.commands as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(app, bench_app)


_register_commands()


def main() -> None:
    app()
