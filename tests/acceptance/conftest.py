"""Fixtures for the acceptance suite: the installed splice, a real repo, a terminal."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.acceptance.installed import Installed, make_installed, remove_installed
from tests.acceptance.realrepo import make_repo


@pytest.fixture(scope="session")
def installed() -> Iterator[Installed]:
    made = make_installed()
    try:
        yield made
    finally:
        remove_installed(made)


@pytest.fixture(scope="session")
def template_repo(installed: Installed) -> Path:
    return make_repo(_fresh(installed.folder / "template"))


def _fresh(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


@pytest.fixture
def repo(template_repo: Path, tmp_path: Path) -> Path:
    """A private copy of the real repo (tests edit it), in its own /tmp folder."""
    dest = tmp_path / "repo"
    shutil.copytree(template_repo, dest, symlinks=True)
    return dest
