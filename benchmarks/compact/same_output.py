"""Does compact still give byte-identical output? A guard for speed work.

    PYTHONPATH=. python benchmarks/compact/same_output.py --save /tmp/compact_hashes.json
    PYTHONPATH=. python benchmarks/compact/same_output.py --check /tmp/compact_hashes.json

Runs compact_sync on every bench input (the built-in code files at ratio 1/3, 0.5 and 0.7
and under a max_tokens budget, the task-set files when their checkouts are cached, the real
test outputs) and hashes (text, kept_ranges, tokens_before, tokens_after) per case. The
inputs are frozen in a cache file on first use: real test output holds timings that change
from run to run, so it must be captured once, not regenerated.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from splice.bench.compact_bench import CODE_PAIRS, changelog_section
from splice.bench.corpus import cache_dir
from splice.compact import CompactRequest, compact_sync

INPUTS = "compact_same_output_inputs.json"
TASKS = Path(__file__).with_name("tasks_pypi.jsonl")
REPOS = Path("~/.cache/splice/bench/search/repos").expanduser()


def _build_inputs() -> list[dict[str, str]]:
    """(name, path, query, text) of every bench input, read from the cached sources."""
    from splice.bench.compact_test_runs import real_test_outputs
    from splice.bench.corpus import fetch_sdist
    from splice.bench.tasks import gold_lines, load_tasks, resolve_repo

    out: list[dict[str, str]] = []
    for name, old, new, changelog, files in CODE_PAIRS:
        old_dir, new_dir = fetch_sdist(name, old), fetch_sdist(name, new)
        query = changelog_section((new_dir / changelog).read_text(encoding="utf-8"), new)
        for path in files:
            out.append({"name": f"{name} {old} {path}", "kind": "code", "path": path,
                        "query": query, "text": (old_dir / path).read_text(encoding="utf-8")})
    if REPOS.is_dir():
        for task in load_tasks(str(TASKS)):
            root = resolve_repo(task, str(REPOS))
            for path in gold_lines(task.patch):
                file = root / path
                if file.is_file():
                    out.append({"name": f"{task.instance_id} {path}", "kind": "task",
                                "path": path, "query": task.problem_statement,
                                "text": file.read_text(encoding="utf-8", errors="replace")})
    outputs, _skipped = real_test_outputs(fetch_sdist("attrs", "23.1.0"))
    for name, text in outputs:
        out.append({"name": name, "kind": "tests", "path": "", "query": "", "text": text})
    return out


def load_inputs() -> list[dict[str, str]]:
    file = cache_dir() / INPUTS
    if not file.exists():
        file.write_text(json.dumps(_build_inputs()), encoding="utf-8")
    return json.loads(file.read_text(encoding="utf-8"))


def _requests(case: dict[str, str]) -> list[tuple[str, CompactRequest]]:
    path = case["path"] or None
    if case["kind"] == "tests":
        return [("", CompactRequest(text=case["text"], query=case["query"])),
                ("0.3", CompactRequest(text=case["text"], query="attrs", ratio=0.3))]
    if case["kind"] == "task":
        return [("", CompactRequest(text=case["text"], query=case["query"], path=path))]
    reqs = [(str(r), CompactRequest(text=case["text"], query=case["query"], path=path, ratio=r))
            for r in (None, 0.5, 0.7)]
    reqs.append(("max800", CompactRequest(text=case["text"], query=case["query"], path=path,
                                          max_tokens=800)))
    return reqs


def digest(request: CompactRequest) -> str:
    try:
        r = compact_sync(request)
    except Exception as exc:  # noqa: BLE001 - an error is an output too: it must not change
        return f"error {type(exc).__name__}: {exc}"
    blob = json.dumps([r.text, r.kept_ranges, r.tokens_before, r.tokens_after])
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def hashes() -> dict[str, str]:
    return {f"{case['name']} [{tag}]": digest(req)
            for case in load_inputs() for tag, req in _requests(case)}


def main() -> int:
    ap = argparse.ArgumentParser()
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--save")
    group.add_argument("--check")
    args = ap.parse_args()
    got = hashes()
    if args.save:
        Path(args.save).write_text(json.dumps(got, indent=1), encoding="utf-8")
        print(f"{len(got)} cases saved to {args.save}")
        return 0
    want = json.loads(Path(args.check).read_text(encoding="utf-8"))
    diff = sorted(k for k in want.keys() | got.keys() if want.get(k) != got.get(k))
    for k in diff:
        print(f"DIFFERS: {k}")
    print(f"{len(got)} cases, {len(diff)} differ")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
