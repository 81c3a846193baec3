"""The `splice` command: one typer app; each command lives in splice/commands/."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import typer


def _click_argument_names() -> None:
    """Arguments named as click names them: QUERY when required, [FILE] when not.

    typer 0.29 writes a required argument as `{query}` in the usage line and lower-case in
    the list, while every docstring here says QUERY; this keeps the two in step. Older
    typers have no such hook and need none.
    """
    from typer.core import TyperArgument

    if not hasattr(TyperArgument, "_usage_display_name"):
        return

    def upper(self: TyperArgument) -> str:
        return self.display_name_raw.upper() + ("..." if self.nargs != 1 else "")

    def usage(self: TyperArgument) -> str:
        return upper(self) if self.required else f"[{upper(self)}]"

    TyperArgument._usage_display_name = usage  # type: ignore[method-assign]
    TyperArgument._rich_display_name = upper  # type: ignore[method-assign]


_click_argument_names()


def _click_keeps_flags_whole() -> None:
    """click wraps help text with break_on_hyphens on, which splits `--allow-run` into
    `--allow-` and `run` across lines; flags and paths must stay whole. (typer renders
    with its own copy of click, typer._click, when it has one.)"""
    import importlib

    for name in ("typer._click._textwrap", "click._textwrap"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        original = module.TextWrapper

        class WholeWords(original):  # type: ignore[misc,valid-type]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                kwargs["break_on_hyphens"] = False
                super().__init__(*args, **kwargs)

        # wrap_text imports the class from its _textwrap module at each call.
        module.TextWrapper = WholeWords  # type: ignore[attr-defined]


_click_keeps_flags_whole()

# rich_markup_mode=None: click's own help layout, which joins a paragraph's lines and wraps
# them to the terminal (typer's rich panels kept docstring line breaks mid-sentence and
# showed every flag as `--help <bool>`).
app = typer.Typer(
    help="splice: search, compact and apply workers that keep a coding agent's context small.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
bench_app = typer.Typer(
    help="Measure splice: apply accuracy and speed, search quality, compaction, token savings.",
    no_args_is_help=True,
    rich_markup_mode=None,
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
