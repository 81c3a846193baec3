"""Named task sets for the benches: the PyPI changelog sets (`default`, `check`) and the
SWE-bench bug reports on PyPI releases (`swebench-dev`, `swebench-check`, `swebench-all`).
One resolver, so every bench that takes `--taskset` accepts the same names."""

from __future__ import annotations

from pathlib import Path

from splice.bench.corpus import cache_dir
from splice.core.errors import InvalidRequest

SWEBENCH_PREFIX = "swebench-"


def named_taskset(name: str) -> tuple[Path, Path]:
    """(tasks file, repos folder) of a named task set, built on first use (PyPI once)."""
    if name.startswith(SWEBENCH_PREFIX):
        from splice.bench.swebench import write_taskset

        split = name.removeprefix(SWEBENCH_PREFIX)
        if split not in ("dev", "check", "all"):
            raise InvalidRequest(f"unknown task set {name!r}",
                                 hint="Use swebench-dev, swebench-check or swebench-all.")
        return write_taskset(split, cache_dir() / "bench" / "swebench")  # type: ignore[arg-type]
    from splice.bench.taskset_pypi import ensure_taskset

    tasks, repos, _ = ensure_taskset(name)
    return tasks, repos
