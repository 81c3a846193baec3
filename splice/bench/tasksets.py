"""Named task sets for the benches: the PyPI changelog sets (`default`, `check`) and the
SWE-bench bug reports on PyPI releases (`swebench-dev`, `swebench-check`, `swebench-all`).
One resolver, so every bench that takes `--taskset` accepts the same names."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from splice.bench.corpus import cache_dir
from splice.core.errors import InvalidRequest

SWEBENCH_PREFIX = "swebench-"


def taskset_names() -> list[str]:
    """Every name `--taskset` takes: views of taskset_pypi.TASKSETS and swebench.Split."""
    from splice.bench.swebench import Split
    from splice.bench.taskset_pypi import TASKSETS

    return [*TASKSETS, *(SWEBENCH_PREFIX + split for split in get_args(Split))]


def named_taskset(name: str) -> tuple[Path, Path]:
    """(tasks file, repos folder) of a named task set, built on first use (PyPI once)."""
    names = taskset_names()
    if name not in names:  # one message for every family, naming them all
        raise InvalidRequest(f"unknown task set {name!r}", hint=f"Use one of: {', '.join(names)}.")
    if name.startswith(SWEBENCH_PREFIX):
        from splice.bench.swebench import write_taskset

        split = name.removeprefix(SWEBENCH_PREFIX)
        return write_taskset(split, cache_dir() / "bench" / "swebench")  # type: ignore[arg-type]
    from splice.bench.taskset_pypi import ensure_taskset

    tasks, repos, _ = ensure_taskset(name)
    return tasks, repos
