"""How often a gold patch changes a signature, and how much of the rest of the patch (the
call-site updates) lies in the call sites splice.search.callers returns, given the gold
pre and post texts of the file that holds the definition.

    python -m splice.bench.callers_bench [--split dev] [--max-tokens 1000] [--out FILE]

Changed lines: in the definition's file, the post-image lines the patch adds (a pure
deletion counts the lines beside it), minus the changed definitions' own lines; in other
files, the pre-image lines it touches (tasks.gold_lines), since the repo searched is the
release before the patch."""

from __future__ import annotations

import argparse
import difflib
import json
import re
import time
from pathlib import Path

import anyio

from splice.bench.swebench import _patched, checkout, load_tasks
from splice.bench.tasks import gold_lines
from splice.core.callsites import CallSite
from splice.search.callers import find_callers
from splice.search.signatures import signature_changes


def _added_lines(old: str, new: str) -> set[int]:
    """1-based post-image lines that differ from `old` (a deletion: the lines beside it)."""
    out: set[int] = set()
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        out.update(range(j1 + 1, j2 + 1) if j2 > j1 else {j1, j1 + 1})
    return out


def _definition_lines(new: str, names: set[str]) -> set[int]:
    """The lines of the changed definitions (their own change, not a call-site update)."""
    from splice.search.symbols import extract_definitions

    out: set[int] = set()
    for d in extract_definitions(new.encode("utf-8", "surrogatepass"), "python"):
        if d.name in names and d.kind != "class":
            out.update(range(d.start_line, d.end_line + 1))
    return out


def _inside(sites: list[CallSite], path: str, line: int) -> bool:
    return any(s.path == path and s.start_line <= line <= s.end_line for s in sites)


async def measure(split: str, max_tokens: int) -> dict:
    tasks = load_tasks(split)  # type: ignore[arg-type]
    rows: list[dict] = []
    started = time.perf_counter()
    for task in tasks:
        root = checkout(task)
        files, _ = _patched(root, task.patch)
        pre_lines = gold_lines(task.patch)
        for path, (old, new) in sorted(files.items()):
            if not path.endswith(".py") or not old:
                continue
            changes = signature_changes(old, new, "python")
            if not changes:
                continue
            report = await find_callers(root, path, old, new, max_tokens=max_tokens)
            sites = report.sites
            own = _definition_lines(new, {c.new_name for c in changes})
            gold: list[tuple[str, int]] = [(path, n) for n in sorted(_added_lines(old, new))
                                           if n not in own]
            gold += [(p, n) for p, lines in sorted(pre_lines.items()) if p != path
                     for n in sorted(lines)]
            hit = sum(_inside(sites, p, n) for p, n in gold)
            # the gold lines that call a changed name (by its old or new name): the call-site
            # updates proper, as opposed to the rest of the fix
            names = {c.call_name for c in changes} | {c.new_name for c in changes}
            calls = re.compile(rf"\b(?:{'|'.join(sorted(map(re.escape, names)))})\s*\(")
            texts = {path: new.splitlines()}
            call_lines = []
            for p, n in gold:
                if p not in texts:
                    f = root / p
                    texts[p] = f.read_text(encoding="utf-8").splitlines() if f.is_file() else []
                if n <= len(texts[p]) and calls.search(texts[p][n - 1]):
                    call_lines.append((p, n))
            call_hit = sum(_inside(sites, p, n) for p, n in call_lines)
            useful = sum(any(p == s.path and s.start_line <= n <= s.end_line for p, n in gold)
                         for s in sites)
            rows.append({"task": task.instance_id, "path": path,
                         "changes": [f"{c.change}: {c.old} -> {c.new}" for c in changes],
                         "gold_lines": len(gold), "in_spans": hit, "spans": len(sites),
                         "call_lines": len(call_lines), "call_lines_in_spans": call_hit,
                         "spans_on_gold": useful,
                         "left_out": sum(c.left_out for c in report.changes),
                         "tokens": report.tokens})
    elapsed = time.perf_counter() - started
    tasks_changed = sorted({r["task"] for r in rows})
    gold_total = sum(r["gold_lines"] for r in rows)
    with_updates = [r for r in rows if r["in_spans"]]
    return {
        "split": split, "max_tokens": max_tokens, "tasks": len(tasks),
        "tasks_changing_a_signature": len(tasks_changed),
        "files_changing_a_signature": len(rows),
        "other_changed_lines": gold_total,
        "other_changed_lines_in_spans": sum(r["in_spans"] for r in rows),
        "share_in_spans": round(sum(r["in_spans"] for r in rows) / gold_total, 3)
        if gold_total else None,
        "files_with_any_line_in_spans": len(with_updates),
        "call_site_lines": sum(r["call_lines"] for r in rows),
        "call_site_lines_in_spans": sum(r["call_lines_in_spans"] for r in rows),
        "spans": sum(r["spans"] for r in rows),
        "spans_on_a_changed_line": sum(r["spans_on_gold"] for r in rows),
        "seconds": round(elapsed, 1),
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["dev", "check", "all"])
    parser.add_argument("--max-tokens", type=int, default=1000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = anyio.run(measure, args.split, args.max_tokens)
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")
    summary = {k: v for k, v in result.items() if k != "rows"}
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()

