"""Shared pieces for the scale tests: functions a pool can pickle, and a small batch setup."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from splice.bench.scale_bench import SCRIPTED_FIX
from splice.commands.display.demo_repo import TASK, write_demo_repo


def square_or_fail(x: int) -> int:
    """3 raises; 5 kills its own process (as the OOM killer or a segfault would)."""
    if x == 3:
        raise ValueError("three is refused")
    if x == 5:
        os._exit(9)
    return x * x


def batch_setup(root: Path, tasks: int = 3, missing: bool = True) -> dict[str, Path]:
    write_demo_repo(root / "repos" / "shop")
    script = root / "script.json"
    script.write_text(json.dumps(SCRIPTED_FIX), encoding="utf-8")
    lines = [{"instance_id": f"shop-{i}", "repo": "shop", "problem_statement": TASK,
              "patch": ""} for i in range(tasks)]
    if missing:
        lines.append({"instance_id": "gone-1", "repo": "no-such-repo",
                      "problem_statement": TASK, "patch": ""})
    task_file = root / "tasks.jsonl"
    task_file.write_text("".join(json.dumps(t) + "\n" for t in lines), encoding="utf-8")
    return {"tasks": task_file, "repos": root / "repos", "script": script}


def batch_args(paths: dict[str, Path], out: Path, *extra: str) -> list[str]:
    return ["batch", str(paths["tasks"]), "--repos", str(paths["repos"]), "--provider",
            "scripted", "--script", str(paths["script"]), "--out", str(out), "--json", *extra]


def comparable(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """What must not depend on where a task ran (time, paths and run ids may)."""
    return sorted((r["instance_id"], r["status"], r["diff"], r["usage"]["model_tokens"],
                   r["usage"]["worker_tokens"], r["usage"]["iterations"],
                   (r["error"] or "").split(":")[0]) for r in rows)
