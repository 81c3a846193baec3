"""`splice bench apply --worst`: each merge is timed in CPU seconds and as a ratio to the
CPU of tokenising the same file in the same process (a busy machine slows both)."""

from __future__ import annotations

from splice.apply import merge
from splice.bench.apply_worst import cases_for, run_worst

ORIGINAL = "".join(f"def f_{i}(x):\n    return x + {i}\n\n\n" for i in range(400))


def test_worst_cases_are_timed_against_a_same_process_baseline() -> None:
    cases = [c for c in cases_for(ORIGINAL, "synthetic", "#") if c.name.startswith("sr-")]
    assert cases
    report = run_worst(cases, lambda o, e, p: merge(o, e, fmt="auto", path=p),
                       command="test")
    outcomes = {r.name: r.outcome for r in report.results}
    assert outcomes["sr-25KB"] == "merged"
    assert outcomes["sr-25KB-missing-line"] == "refused"
    for r in report.results:
        assert r.baseline_cpu_seconds >= 0
        assert r.cpu_ratio == (r.cpu_seconds / r.baseline_cpu_seconds
                               if r.baseline_cpu_seconds else 0)
    worst = max(report.results, key=lambda r: r.cpu_seconds)
    assert report.worst_cpu_ratio == worst.cpu_ratio
    assert report.median_cpu_ratio in [r.cpu_ratio for r in report.results]
