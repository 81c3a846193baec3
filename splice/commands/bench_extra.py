"""`splice bench` needs the `splice[bench]` extra; without it, say how to get it.

The extra's list is read from splice's own installed metadata (pyproject.toml is the one
place it is written). Run from a source tree with no metadata, there is nothing to check.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata

import typer

EXTRA = "bench"
INSTALL_HINT = 'pip install "splice[bench]"   (from a checkout: pip install -e ".[bench]")'


def bench_requirements() -> list[str]:
    """The requirement strings of the bench extra, as installed."""
    try:
        requires = metadata.requires("splice") or []
    except metadata.PackageNotFoundError:
        return []
    marker = re.compile(r"extra\s*==\s*['\"]" + EXTRA + r"['\"]")
    return [r.split(";")[0].strip() for r in requires if marker.search(r)]


def missing_requirements() -> list[str]:
    missing = []
    for requirement in bench_requirements():
        name = re.split(r"[\s<>=!~\[;(]", requirement, maxsplit=1)[0]
        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
    return missing


def check_bench_extra() -> None:
    """Stop with a clear message when the bench extra is not installed. A subcommand's
    --help still shows (the group runs this before the subcommand reads its options)."""
    if "--help" in sys.argv[1:]:
        return
    missing = missing_requirements()
    if missing:
        typer.echo(f"error: splice bench needs the bench extra ({', '.join(missing)} "
                   f"not installed).\nInstall it with: {INSTALL_HINT}", err=True)
        raise typer.Exit(2)


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    bench_app.callback()(check_bench_extra)
