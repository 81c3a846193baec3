"""Scoring and aggregation with fake merge functions (no engine needed)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from splice.bench.apply_bench import (
    build_cases,
    run_bench,
    score_case,
    select_variants,
    stats,
)
from splice.bench.apply_cases import VARIANTS, Case
from splice.bench.apply_corpus import ChangedFile
from splice.bench.apply_output import markdown, plot
from splice.bench.report import bar_chart, markdown_table, write_json
from splice.core.errors import NoMatch


def _case(variant: str = "udiff", k: int = 0) -> Case:
    return Case(id=f"p:f{k}.py:{variant}", package="p", path=f"f{k}.py", language="python",
                fmt=variant.split("-")[0], variant=variant, original="a = 1\n",
                edit="EDIT", expected="a = 2\n")


def exact(original: str, edit: str, fmt: str, path: str) -> str:
    return "a = 2\n"


def refuse(original: str, edit: str, fmt: str, path: str) -> str:
    raise NoMatch("no place matches", path=path)


def corrupt(original: str, edit: str, fmt: str, path: str) -> str:
    return "a = 3\n"


def crash(original: str, edit: str, fmt: str, path: str) -> str:
    raise KeyError("bug")


@pytest.mark.parametrize(("fn", "outcome", "error"), [
    (exact, "exact", None), (refuse, "refused", "NoMatch"),
    (corrupt, "wrong", None), (crash, "crash", "KeyError"),
])
def test_outcomes_are_classified(fn, outcome: str, error: str | None) -> None:
    result, got = score_case(_case(), fn)
    assert result.outcome == outcome and result.error == error
    assert result.seconds >= 0
    if outcome in ("exact", "wrong"):
        assert got is not None and result.tokens > 0
        assert result.tokens_per_second is not None and result.tokens_per_second > 0
    else:
        assert got is None and result.tokens_per_second is None


def test_run_bench_aggregates_and_keeps_examples() -> None:
    cases = [_case("udiff", k) for k in range(10)] + [_case("lazy-2", k) for k in range(10)]
    calls = iter(range(100))

    def mixed(original: str, edit: str, fmt: str, path: str) -> str:
        n = next(calls)
        if fmt == "lazy" and n % 5 == 0:
            return corrupt(original, edit, fmt, path)
        if fmt == "lazy" and n % 5 == 1:
            return refuse(original, edit, fmt, path)
        return exact(original, edit, fmt, path)

    seen: list[int] = []
    report = run_bench(cases, mixed, command="splice bench apply", seed=0, packages=["p 1->2"],
                       files=20, on_case=lambda: seen.append(1))
    assert len(seen) == 20 and report.cases == 20
    by = {s.name: s for s in report.by_variant}
    assert by["udiff"].exact_pct == 100.0
    assert (by["lazy-2"].wrong, by["lazy-2"].refused, by["lazy-2"].exact) == (2, 2, 6)
    assert report.overall.wrong_pct == pytest.approx(10.0)
    assert [s.name for s in report.by_format] == ["lazy", "udiff"]
    assert [s.name for s in report.by_language] == ["python"]
    kinds = sorted((e.outcome, e.id.split(":")[-1]) for e in report.examples)
    assert kinds == [("refused", "lazy-2")] * 2 + [("wrong", "lazy-2")] * 2
    wrong = next(e for e in report.examples if e.outcome == "wrong")
    assert "-a = 2" in wrong.diff_expected_vs_got and "+a = 3" in wrong.diff_expected_vs_got
    verdicts = {t.name: t.met for t in report.targets}
    assert verdicts["udiff"] is True and verdicts["lazy, >= 2 context lines"] is False
    assert verdicts["patch"] is None and verdicts["wrong merges, all cases"] is False


def test_stats_percentiles() -> None:
    results = [score_case(_case(k=k), exact)[0] for k in range(11)]
    for k, r in enumerate(results):
        r.seconds, r.tokens = 1.0, (k + 1) * 100
    s = stats("x", results)
    assert s.median_tokens_per_s == 600 and s.p10_tokens_per_s == pytest.approx(200)


def test_examples_are_capped_per_kind() -> None:
    cases = [_case("patch", k) for k in range(20)]
    report = run_bench(cases, corrupt, command="c", seed=0, packages=[], files=20)
    assert report.overall.wrong == 20 and len(report.examples) == 3


def test_select_variants() -> None:
    assert select_variants(None) == VARIANTS
    assert select_variants(["lazy"]) == ("lazy-1", "lazy-2", "lazy-3", "lazy-anchored")
    assert select_variants(["lazy-2", "udiff"]) == ("lazy-2", "udiff")
    with pytest.raises(ValueError, match="unknown format"):
        select_variants(["diffs"])


def test_build_cases_max_cases_takes_whole_files_in_seeded_order() -> None:
    files = [ChangedFile(package="p", path=f"m{k}.py", language="python",
                         old=f"a = {k}\nb = 1\n", new=f"a = {k}\nb = 2\n") for k in range(6)]
    full = build_cases(files, seed=0, variants=VARIANTS)
    assert len(full) == 6 * len(VARIANTS)
    some = build_cases(files, seed=1, variants=("udiff", "whole"), max_cases=5)
    assert len(some) == 5
    assert some == build_cases(files, seed=1, variants=("udiff", "whole"), max_cases=5)
    assert [c.variant for c in some[:2]] == ["udiff", "whole"]
    assert some[0].path == some[1].path


def test_report_outputs(tmp_path: Path) -> None:
    report = run_bench([_case("udiff"), _case("whole")], exact, command="splice bench apply",
                       seed=3, packages=["p 1->2"], files=1)
    path = write_json(tmp_path / "out" / "results.json", report)
    assert '"exact_pct": 100.0' in path.read_text()
    md = markdown(report)
    assert "`splice bench apply`" in md and "| udiff | 1 | 100.00 |" in md
    png = plot(tmp_path / "out" / "apply.png", report)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert markdown_table(["a", "b"], [["x", 1.5]]) == "| a | b |\n|---|---|\n| x | 1.50 |\n"
    grouped = bar_chart(tmp_path / "g.png", ["a", "b"], {"s1": [1, 2], "s2": [3, 4]},
                        title="t", ylabel="y")
    assert grouped.stat().st_size > 0


def test_a_hanging_merge_is_cut_off_and_counted_as_a_crash() -> None:
    def hang(original: str, edit: str, fmt: str, path: str) -> str:
        while True:
            time.sleep(0.01)

    result, got = score_case(_case(), hang, timeout=0.05)
    assert result.outcome == "crash" and result.error == "CaseTimeout" and got is None
    # the alarm is disarmed afterwards
    time.sleep(0.1)
    assert score_case(_case(), exact, timeout=0.05)[0].outcome == "exact"


def test_repeat_keeps_the_fastest_run() -> None:
    delays = iter([0.05, 0.0, 0.05])

    def slow_then_fast(original: str, edit: str, fmt: str, path: str) -> str:
        time.sleep(next(delays))
        return "a = 2\n"

    result, _ = score_case(_case(), slow_then_fast, repeat=3)
    assert result.outcome == "exact" and result.seconds < 0.04


def test_write_json_is_atomic_and_readable_by_others(tmp_path: Path) -> None:
    path = write_json(tmp_path / "r.json", {"a": 1})
    assert path.read_text() == '{\n  "a": 1\n}\n'
    assert path.stat().st_mode & 0o044  # not left at mkstemp's 0600
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temp file left behind
