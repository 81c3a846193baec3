"""`splice bench safety`: the three probes together, as a table, JSON and a chart."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pydantic import BaseModel

from splice.bench.report import Cell, markdown_table
from splice.bench.safety.kills import KillsReport, run_kills
from splice.bench.safety.paths import SURFACES, PathsReport, run_paths
from splice.bench.safety.race import RaceReport, run_race


class SafetyReport(BaseModel):
    command: str
    paths: PathsReport | None = None
    kills: KillsReport | None = None
    race: RaceReport | None = None
    race_baseline: RaceReport | None = None  # a check-then-write writer, same attacker
    seconds: float = 0.0

    @property
    def failures(self) -> int:
        n = 0
        if self.paths is not None:
            n += self.paths.writes + self.paths.untyped + self.paths.not_refused
        if self.kills is not None:
            k = self.kills
            n += k.mixed + k.stray_temps + k.unfinished_journals + k.undo_wrong + k.untyped
        if self.race is not None:
            n += (self.race.outside_writes + self.race.untyped
                  + self.race.stray_temps_after_recovery)
        return n


def run_all(*, kills: int, race: int, paths: bool, surfaces: tuple[str, ...] = SURFACES,
            seed: int = 0, cli_every: int = 25, cli_kills: int = 0,
            baseline: bool = True) -> SafetyReport:
    start = time.perf_counter()
    report = SafetyReport(command="splice bench safety " + " ".join(sys.argv[3:]))
    if paths:
        report.paths = run_paths(surfaces)
    if kills or cli_kills:
        report.kills = run_kills(kills, seed=seed, cli_every=cli_every, cli_kills=cli_kills)
    if race:
        report.race = run_race(race)
        if baseline:
            report.race_baseline = run_race(race, baseline=True)
    report.seconds = round(time.perf_counter() - start, 1)
    return report


def _paths_section(p: PathsReport) -> list[str]:
    rows = [[r.probe, r.surface, str(r.refused), str(len(r.changed)),
             r.message.splitlines()[0][:90] if r.message else ""] for r in p.rows
            if r.surface == "apply_edits" or r.changed or not r.refused]
    return ["## Protected paths and cross-file edits\n",
            f"{p.probes} probes x {p.runs // max(p.probes, 1)} surfaces = {p.runs} runs: "
            f"**{p.writes} changed the tree**, {p.not_refused} not refused, "
            f"{p.untyped} untyped errors.\n",
            markdown_table(["probe", "surface", "refused", "changed", "message"], rows)]


def _kills_section(k: KillsReport) -> list[str]:
    columns = ["write", "trials", "median ms", "done before kill", "rolled back",
               "ended before", "ended after", "mixed", "stray", "undo wrong"]
    rows: list[list[Cell]] = [
        [name, s.trials, s.median_write_ms, s.finished_before_kill, s.rolled_back,
         s.ended_before, s.ended_after, s.mixed, s.stray_temps, s.undo_wrong]
        for name, s in k.modes.items()]
    return ["## kill -9 during multi-file writes\n",
            f"{k.kills} kills: **{k.mixed} mixed trees**, {k.stray_temps} with stray temp "
            f"files, {k.unfinished_journals} unfinished journals, {k.undo_wrong} wrong "
            f"undos, {k.untyped} untyped errors.\n", markdown_table(columns, rows)]


def markdown(report: SafetyReport) -> str:
    out = [f"# splice bench safety\n\n`{report.command}` ({report.seconds} s)\n"]
    if report.paths is not None:
        out += _paths_section(report.paths)
    if report.kills is not None:
        out += _kills_section(report.kills)
    for title, r in (("splice", report.race), ("check-then-write baseline",
                                                 report.race_baseline)):
        if r is None:
            continue
        out += [f"## Symlink race: {title}\n",
                f"{r.tries} tries against {r.swaps}+ swaps: **{r.outside_writes} writes outside"
                f"**, {r.untyped} untyped errors {r.untyped_kinds or ''}, {r.written} written "
                f"inside, {r.refused} refused (typed), {r.stray_temps_after_recovery} stray "
                f"temps after recovery; {r.seconds} s.\n"]
    return "\n".join(out)


def plot(path: Path, report: SafetyReport) -> Path:
    """Failures per 10,000 attempts per probe; the naive race writer shows the scale."""
    from splice.bench.report import bar_chart

    cats: list[str] = []
    rates: list[float] = []

    def add(label: str, failures: int, attempts: int) -> None:
        cats.append(f"{label}\n({failures} of {attempts:,})")
        rates.append(10_000 * failures / max(attempts, 1))

    if report.paths is not None:
        add("paths", report.paths.writes, report.paths.runs)
    if report.kills is not None:
        k = report.kills
        add("kill -9", k.mixed + k.undo_wrong, k.kills)
    if report.race is not None:
        add("race", report.race.outside_writes, report.race.tries)
    if report.race_baseline is not None:
        add("race, naive",
            report.race_baseline.outside_writes, report.race_baseline.tries)
    return bar_chart(path, cats, {"failures per 10,000": rates},
                     title="splice bench safety (0 is the target)",
                     ylabel="failures per 10,000 attempts", colors={
                         "failures per 10,000": "#c62828"})
