"""A repo of real code that exists offline after install: click's source from site-packages
(a dependency of typer, so always installed), plus two small files whose names and lines
the issue's examples need, committed to git, with a git-ignored `.env` canary."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import click

VERBS_PY = '''\
"""Small helpers whose names are common English verbs."""


def add(a, b):
    """Return the sum of a and b."""
    return a - b


def update(target, other):
    """Copy every key of other into target."""
    for key in list(other)[1:]:
        target[key] = other[key]
    return target


def remove(items, value):
    return [item for item in items if item != value][:-1]


def handle(event):
    return event.get("name")


def change(text, old, new):
    return text.replace(new, old)


def version():
    return "0.0"


def case(text):
    return text.upper()
'''

# Flask's `routes` command, as the issue quotes it: one line longer than 80 columns.
ROUTES_PY = '''\
import click


@click.command("routes", short_help="Show the routes for the app.")
@click.option("--sort", "-s", type=click.Choice(("endpoint", "methods", "rule", "match")), default="endpoint", help="Method to sort routes by.")
@click.option("--all-methods", is_flag=True, help="Show HEAD and OPTIONS methods.")
def routes_command(sort: str, all_methods: bool) -> None:
    """Show all registered routes with endpoints and methods."""
    ignored_methods = set() if all_methods else {"HEAD", "OPTIONS"}
    return sorted(ignored_methods)
'''

ENV_CANARY = "CANARY-repo-dotenv-4242\n"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t",
                           "-c", "commit.gpgsign=false", *args], cwd=repo,
                          capture_output=True, text=True, check=True)
    return done.stdout


def make_repo(dest: Path) -> Path:
    source = Path(click.__file__).parent
    shutil.copytree(source, dest / "click", ignore=shutil.ignore_patterns("__pycache__"))
    (dest / "verbs.py").write_text(VERBS_PY)
    (dest / "routes.py").write_text(ROUTES_PY)
    (dest / ".gitignore").write_text(".env\n__pycache__/\n")
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-qm", "click source")
    (dest / ".env").write_text(ENV_CANARY)
    return dest
