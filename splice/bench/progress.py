"""What a long benchmark shows while it works: rich progress bars and download lines.

Everything goes to stderr, so `--json` output on stdout stays clean. A bar is drawn live
on a terminal; in a pipe rich prints it once, finished. Every download (a cache miss)
first prints a line saying what is fetched, from where and to where, then shows its bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)

from splice.core.terminal import make_console

T = TypeVar("T")
_active: list[Progress] = []
_console = make_console(stderr=True)


def _new_progress(*columns: object, transient: bool = False) -> Progress:
    return Progress(*columns, console=_console, transient=transient)  # type: ignore[arg-type]


@contextmanager
def _progress() -> Iterator[tuple[Progress, bool]]:
    """The running progress display, or a new one (second item: it is ours to stop)."""
    if _active:
        yield _active[-1], False
        return
    progress = _new_progress(TextColumn("{task.description}"), BarColumn(),
                             MofNCompleteColumn(), TimeElapsedColumn())
    _active.append(progress)
    try:
        with progress:
            yield progress, True
    finally:
        _active.pop()


def track(items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
    """Iterate `items` with a bar named `description` (nested calls share one display)."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with _progress() as (progress, _):
        task = progress.add_task(description, total=total)
        for item in items:
            yield item
            progress.advance(task)
        progress.update(task, completed=progress.tasks[-1].completed)


def say(text: str) -> None:
    """A line for the person waiting (above the bars when they are live)."""
    target = _active[-1].console if _active else _console
    target.print(text, markup=False, highlight=False)


class Download:
    """Bytes of one download, as a bar when a display is running."""

    def __init__(self, url: str, dest: Path, total: int | None) -> None:
        self.progress: Progress | None = None
        self.task: TaskID | None = None
        if _active:
            self.progress = _active[-1]
            self.task = self.progress.add_task(f"  {dest.name}", total=total)

    def advance(self, nbytes: int) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.advance(self.task, nbytes)

    def close(self) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.remove_task(self.task)


@contextmanager
def download(url: str, dest: Path, total: int | None = None) -> Iterator[Download]:
    """Say what is downloaded from where to where, then count its bytes."""
    size = f" ({total / 1e6:.1f} MB)" if total else ""
    say(f"downloading {url}{size}\n  -> {dest}")
    if _active:
        handle = Download(url, dest, total)
        try:
            yield handle
        finally:
            handle.close()
        return
    with _new_progress(TextColumn("  {task.description}"), BarColumn(), DownloadColumn(),
                       TransferSpeedColumn(), transient=True) as own:
        _active.append(own)
        try:
            handle = Download(url, dest, total)
            yield handle
        finally:
            _active.pop()


@contextmanager
def bar(description: str, total: int | None) -> Iterator[Callable[[], None]]:
    """A bar advanced by calling what this yields (for work finished out of order)."""
    with _progress() as (progress, _):
        task = progress.add_task(description, total=total)
        yield lambda: progress.advance(task)
