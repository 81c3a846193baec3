"""Build `benchmarks/swebench/mapping.json`: each SWE-bench task pinned to a release.

The rule is in `splice.bench.swebench`'s docstring. Run `python -m splice.bench.swebench_map`
(downloads the candidate releases' source archives once, into the corpus cache).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import httpx

from splice.bench.corpus import PYPI_SIMPLE, TIMEOUT, CorpusError, fetch_sdist
from splice.bench.swebench import MAPPING, SERIES, _patched, raw_tasks, rebased_patch, split_of
from splice.bench.tasks import Task

_FINAL = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?$")


def series_releases(dist: str) -> dict[str, list[str]]:
    """minor series ("3.2") -> its final releases with an sdist, oldest first."""
    norm = re.sub(r"[-_.]+", "-", dist).lower()
    resp = httpx.get(f"{PYPI_SIMPLE}/{norm}/", timeout=TIMEOUT,
                     headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    resp.raise_for_status()
    found: dict[str, list[tuple[int, str]]] = {}
    for entry in resp.json()["files"]:
        name = entry["filename"]
        if not name.endswith(".tar.gz") or entry.get("yanked"):
            continue
        version = name[:-len(".tar.gz")].rsplit("-", 1)[-1]
        if m := _FINAL.match(version):
            found.setdefault(f"{m.group(1)}.{m.group(2)}", []).append(
                (int(m.group(3) or 0), version))
    return {s: [v for _, v in sorted(vs)] for s, vs in found.items()}


def _try(task: Task, dist: str, version: str) -> tuple[int, str] | None:
    try:
        root = fetch_sdist(dist, version)
    except CorpusError as exc:
        print(f"  skip {dist} {version}: {exc}", file=sys.stderr)
        return None
    try:
        files, offset = _patched(root, task.patch)
    except (CorpusError, UnicodeDecodeError):
        return None
    return offset, rebased_patch(files)


def build(out: Path = MAPPING) -> dict:
    tasks = raw_tasks()
    pinned: dict[str, dict] = {}
    left: dict[str, str] = {}
    for repo, (dist, series) in SERIES.items():
        releases = series_releases(dist)
        mine = [t for t in tasks if t.repo == repo]
        for rank, pick in (("first", 0), ("last", -1)):
            todo = [t for t in mine if t.instance_id not in pinned]
            versions = [releases[s][pick] for s in series if s in releases]
            print(f"{repo}: {len(todo)} tasks, {rank} release of {len(versions)} series",
                  file=sys.stderr)
            for version in versions:
                for task in todo:
                    got = _try(task, dist, version)
                    if got is None:
                        continue
                    best = pinned.get(task.instance_id)
                    # smallest offset wins; the loop runs oldest to newest, so ties go newer
                    if best is None or got[0] <= best["offset"]:
                        pinned[task.instance_id] = {"dist": dist, "version": version,
                                                    "offset": got[0], "patch": got[1]}
        for t in mine:
            if t.instance_id not in pinned:
                left[t.instance_id] = "no candidate release takes the gold patch without fuzz"
    by = Counter((t.repo, split_of(t.instance_id)) for t in tasks if t.instance_id in pinned)
    mapping = {"rule": "see splice/bench/swebench.py", "total": len(tasks),
               "mapped": len(pinned), "counts": {f"{r} {s}": n for (r, s), n in sorted(by.items())},
               "left_out": left, "tasks": pinned}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(mapping, indent=1, sort_keys=True) + "\n")
    return mapping


if __name__ == "__main__":
    result = build()
    print(f"mapped {result['mapped']} of {result['total']} tasks -> {MAPPING}")
    for key, n in result["counts"].items():
        print(f"  {key}: {n}")
