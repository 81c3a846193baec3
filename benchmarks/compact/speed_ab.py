"""Before / after throughput of compact, measured side by side in one process.

    PYTHONPATH=. python benchmarks/compact/speed_ab.py --before d053135 [--repeat 9]

On a shared machine a bench run's wall time says as much about the other processes as
about the code. Here the `splice` package of commit `--before` is exported (git archive) as
`splice_before` next to the working tree's `splice`, and every bench input (the built-in
code files at the default target and the frozen test outputs of same_output.py) is
compacted by both, alternating call by call, so both see the same load. Per case: median
wall time, median CPU time of all threads, median CPU time of the calling thread; printed
as the median over cases of tokens per second, and the median per-case ratio after/before.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from types import ModuleType

from splice.compact import CompactRequest, compact_sync

KINDS = ("wall", "cpu", "thread")


def export_before(commit: str, into: Path) -> ModuleType:
    """`splice` at `commit`, importable as `splice_before`."""
    blob = subprocess.run(["git", "archive", commit, "splice"], check=True,
                          capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(into, filter="data")
    (into / "splice").rename(into / "splice_before")
    for file in (into / "splice_before").rglob("*.py"):
        text = file.read_text(encoding="utf-8")
        text = re.sub(r"\bsplice\.", "splice_before.", text)
        file.write_text(re.sub(r"^from splice import", "from splice_before import", text,
                               flags=re.M), encoding="utf-8")
    sys.path.insert(0, str(into))
    import splice_before.compact as before

    return before


def timed(call: object, request: object) -> tuple[float, float, float]:
    main, cpu, wall = time.thread_time(), time.process_time(), time.perf_counter()
    call(request)  # type: ignore[operator]
    return (time.perf_counter() - wall, time.process_time() - cpu, time.thread_time() - main)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", required=True, help="commit to compare the working tree with")
    ap.add_argument("--repeat", type=int, default=9)
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from same_output import load_inputs

    inputs = [c for c in load_inputs() if c["kind"] in ("code", "tests")]
    cases = [(c["name"], CompactRequest(text=c["text"], query=c["query"],
                                        path=c["path"] or None)) for c in inputs]
    with tempfile.TemporaryDirectory() as tmp:
        before = export_before(args.before, Path(tmp))
        rates: dict[str, dict[str, list[float]]] = {
            side: {k: [] for k in KINDS} for side in ("before", "after")}
        for _name, request in cases:
            old_request = before.CompactRequest(**request.model_dump())
            tokens = compact_sync(request).tokens_before
            before.compact_sync(old_request)  # warm both
            times: dict[str, list[tuple[float, float, float]]] = {"before": [], "after": []}
            for _ in range(args.repeat):
                times["before"].append(timed(before.compact_sync, old_request))
                times["after"].append(timed(compact_sync, request))
            for side, runs in times.items():
                for k, column in zip(KINDS, zip(*runs, strict=True), strict=True):
                    rates[side][k].append(tokens / statistics.median(column))
    for side in ("before", "after"):
        print(f"{side:6s} " + "  ".join(
            f"{k} {statistics.median(v) / 1e6:.3f}M" for k, v in rates[side].items()))
    print("after/before, median per case: " + "  ".join(
        f"{k} {statistics.median(a / b for a, b in zip(rates['after'][k], rates['before'][k], strict=True)):.3f}"
        for k in KINDS))
    for kind in ("code", "tests"):
        rows = [i for i, c in enumerate(inputs) if c["kind"] == kind]
        print(f"after/before, median per {kind} case: " + "  ".join(
            f"{k} {statistics.median(rates['after'][k][i] / rates['before'][k][i] for i in rows):.3f}"
            for k in KINDS))
    print(f"{len(cases)} cases, load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
