"""`splice bench apply --ambiguity`: each lazy case's readings beside the engine's outcome.

Per variant: how many cases have exactly one reading (unique), several distinct files
(ambiguous) or none; the bound that gives on exact merges with zero wrong merges (a merger
that never guesses can be exact only on the unique ones); what a "pick the nearest
reading" guesser would score; and the engine's exact / refused / wrong split by kind, whose
"unique but refused" cell is the merger's shortfall.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel
from rich.console import Console

from splice.bench.apply_ambiguity import enumerate_readings
from splice.bench.apply_bench import MergeFn, score_case
from splice.bench.apply_cases import VARIANTS, Case, split_lines
from splice.bench.report import Cell, markdown_table, print_table, write_json, write_text

# The engine refuses a segment that silently drops this many non-blank lines the edit never
# mentions (splice.apply.safety.SUSPICIOUS_RUN): the second, narrower reading count.
NO_SILENT_DROP = 40
# A prior swept: no region is D or more lines longer than its segment (deletes D net).
SWEEP = (1, 2, 3, 5, 10, 20, 40)
TIERS = {"format": "the format's semantics alone",
         "no_long_drop": f"+ no region drops >= {NO_SILENT_DROP} unmentioned non-blank lines",
         "covered": "+ a distinctive line shown and held once in the file is covered"}


class Readings(BaseModel):
    kind: str                     # unique | ambiguous | none
    readings: int
    gold_is_reading: bool
    nearest: str                  # gold | other | tie | - (no reading)
    margin: int | None = None     # the next file's changed lines minus the nearest's
    # ambiguous only: how the closest other file differs from gold (see rival_kind)
    rival: str | None = None


class CaseAmbiguity(BaseModel):
    id: str
    variant: str
    format: Readings
    no_long_drop: Readings
    covered: Readings
    # max_unmentioned D -> what a merger taking the sole reading under that prior gets:
    # exact (one reading, gold) | wrong (one reading, not gold) | ambiguous | none
    sweep: dict[str, str] = {}
    engine: str                   # exact | refused | wrong | crash
    error: str | None = None
    message: str | None = None


class VariantAmbiguity(BaseModel):
    variant: str
    tier: str
    cases: int
    unique: int
    ambiguous: int
    none: int
    gold_not_reading: int
    bound_pct: float              # unique / cases: exact merges possible with 0 wrong
    nearest_exact: int            # a nearest-reading guesser: exact (unique + amb. gold)
    nearest_wrong: int            # ... wrong merges (an ambiguous case's nearest is not gold)
    nearest_tie: int              # ... ambiguous cases with two nearest files (refuse)
    engine_exact: int
    engine_wrong: int
    refused_unique: int           # the merger's shortfall
    refused_ambiguous: int
    refused_none: int


class SweepRow(BaseModel):
    group: str
    max_unmentioned: str
    cases: int
    exact: int
    wrong: int
    ambiguous: int
    none: int


class MarginRow(BaseModel):
    """A guesser taking the nearest reading when the next file changes >= margin more lines."""

    group: str
    margin: int
    cases: int
    exact: int
    wrong: int


class AmbiguityReport(BaseModel):
    command: str
    cases: int
    by_variant: list[VariantAmbiguity]
    sweep: list[SweepRow] = []
    margins: list[MarginRow] = []
    results: list[CaseAmbiguity]


def _readings(case: Case, max_unmentioned: int | None, cover_shown: bool = False,
              max_net_drop: int | None = None) -> Readings:
    found = enumerate_readings(split_lines(case.original), split_lines(case.edit), case.path,
                               split_lines(case.expected), max_unmentioned=max_unmentioned,
                               cover_shown=cover_shown, max_net_drop=max_net_drop)
    if found.distinct == 0:
        nearest = "-"
    elif found.nearest_distinct > 1:
        nearest = "tie"
    else:
        nearest = "gold" if found.gold_is_nearest else "other"
    rival = None
    if found.kind == "ambiguous" and found.nearest_files:
        gold = split_lines(case.expected)
        others = [f for f in found.nearest_files if f != gold]
        rival = rival_kind(gold, others[0])
    return Readings(kind=found.kind, readings=found.readings,
                    gold_is_reading=bool(found.gold_is_reading), nearest=nearest,
                    margin=found.nearest_margin, rival=rival)


def rival_kind(gold: list[str], other: list[str]) -> str:
    """How another reading's file differs from gold: it only lacks some of gold's lines
    ("deletes more": a region running further), only has extra lines ("keeps more": gold
    deleted them), or differs otherwise ("elsewhere": a segment placed over other lines)."""
    ops = {tag for tag, *_ in difflib.SequenceMatcher(None, gold, other,
                                                       autojunk=False).get_opcodes()
           if tag != "equal"}
    if ops == {"delete"}:
        return "deletes more"
    if ops == {"insert"}:
        return "keeps more"
    return "elsewhere"


def assess(case: Case, merge_fn: MergeFn | None) -> CaseAmbiguity:
    """One case's readings and, with merge_fn, the engine's outcome on it."""
    engine, error, message = "not run", None, None
    if merge_fn is not None:
        result, _ = score_case(case, merge_fn, repeat=1)
        engine, error = result.outcome, result.error
        message = (result.message or "").splitlines()[0][:200] if result.message else None
    tiers = {"format": _readings(case, None), "no_long_drop": _readings(case, NO_SILENT_DROP),
             "covered": _readings(case, NO_SILENT_DROP, cover_shown=True)}
    sweep = {str(d): _sweep_code(_readings(case, None, max_net_drop=d)) for d in SWEEP}
    sweep["none"] = _sweep_code(tiers["format"])
    return CaseAmbiguity(id=case.id, variant=case.variant, **tiers, sweep=sweep,
                         engine=engine, error=error, message=message)


def _sweep_code(found: Readings) -> str:
    if found.kind == "unique":
        return "exact" if found.gold_is_reading else "wrong"
    return found.kind


SWEEP_GROUPS = {"lazy-2 + lazy-3": ("lazy-2", "lazy-3"), "lazy-1": ("lazy-1",),
                "lazy-anchored": ("lazy-anchored",)}


def sweep_rows(rows: Sequence[CaseAmbiguity]) -> list[SweepRow]:
    out: list[SweepRow] = []
    for group, variants in SWEEP_GROUPS.items():
        mine = [r for r in rows if r.variant in variants]
        if not mine:
            continue
        for d in [*map(str, SWEEP), "none"]:
            codes = [r.sweep.get(d, "-") for r in mine]
            out.append(SweepRow(group=group, max_unmentioned=d, cases=len(mine),
                                exact=codes.count("exact"), wrong=codes.count("wrong"),
                                ambiguous=codes.count("ambiguous"), none=codes.count("none")))
    return out


def summarise(variant: str, rows: Sequence[CaseAmbiguity], tier: str) -> VariantAmbiguity:
    """The counts of one variant under one tier of readings (a key of TIERS).
    A unique reading that is not the gold file (possible in the narrower tier) is counted
    with the wrong guesses, not in the bound."""
    def of(r: CaseAmbiguity) -> Readings:
        found: Readings = getattr(r, tier)
        return found

    def n(pred: Callable[[CaseAmbiguity], bool]) -> int:
        return sum(1 for r in rows if pred(r))

    unique = n(lambda r: of(r).kind == "unique" and of(r).gold_is_reading)
    amb = [of(r) for r in rows if of(r).kind == "ambiguous"]
    return VariantAmbiguity(
        variant=variant, tier=tier, cases=len(rows), unique=unique, ambiguous=len(amb),
        none=n(lambda r: of(r).kind == "none"),
        gold_not_reading=n(lambda r: not of(r).gold_is_reading),
        bound_pct=100.0 * unique / len(rows) if rows else 0.0,
        nearest_exact=unique + sum(1 for r in amb if r.nearest == "gold"),
        nearest_wrong=sum(1 for r in amb if r.nearest == "other")
        + n(lambda r: of(r).kind == "unique" and not of(r).gold_is_reading),
        nearest_tie=sum(1 for r in amb if r.nearest == "tie"),
        engine_exact=n(lambda r: r.engine == "exact"),
        engine_wrong=n(lambda r: r.engine in ("wrong", "crash")),
        refused_unique=n(lambda r: r.engine == "refused" and of(r).kind == "unique"),
        refused_ambiguous=n(lambda r: r.engine == "refused" and of(r).kind == "ambiguous"),
        refused_none=n(lambda r: r.engine == "refused" and of(r).kind == "none"))


MARGINS = (1, 2, 3, 5, 10, 20)


def margin_rows(rows: Sequence[CaseAmbiguity]) -> list[MarginRow]:
    out: list[MarginRow] = []
    for group, variants in SWEEP_GROUPS.items():
        mine = [r.format for r in rows if r.variant in variants]
        if not mine:
            continue
        unique = sum(1 for r in mine if r.kind == "unique" and r.gold_is_reading)
        for m in MARGINS:
            taken = [r for r in mine if r.kind == "ambiguous" and (r.margin or 0) >= m]
            out.append(MarginRow(group=group, margin=m, cases=len(mine),
                                 exact=unique + sum(1 for r in taken if r.nearest == "gold"),
                                 wrong=sum(1 for r in taken if r.nearest == "other")))
    return out


def run_ambiguity(cases: Sequence[Case], merge_fn: MergeFn | None, *, command: str,
                  on_case: Callable[[], None] | None = None) -> AmbiguityReport:
    rows: list[CaseAmbiguity] = []
    for case in cases:
        if case.fmt != "lazy":
            continue
        rows.append(assess(case, merge_fn))
        if on_case:
            on_case()
    variants = list(dict.fromkeys(r.variant for r in rows))
    by_variant: list[VariantAmbiguity] = []
    for tier in TIERS:
        by_variant += [summarise(v, [r for r in rows if r.variant == v], tier)
                       for v in variants]
        if len(variants) > 1:
            by_variant.append(summarise("all lazy", rows, tier))
    return AmbiguityReport(command=command, cases=len(rows), by_variant=by_variant,
                           sweep=sweep_rows(rows), margins=margin_rows(rows), results=rows)


COLUMNS = ["variant", "cases", "unique", "ambiguous", "none", "gold not a reading",
           "bound % exact", "nearest: exact", "nearest: wrong", "nearest: tie",
           "engine exact", "engine wrong", "refused unique", "refused ambiguous",
           "refused none"]


def rows(report: AmbiguityReport, tier: str) -> list[list[Cell]]:
    return [[s.variant, s.cases, s.unique, s.ambiguous, s.none, s.gold_not_reading,
             round(s.bound_pct, 2), s.nearest_exact, s.nearest_wrong, s.nearest_tie,
             s.engine_exact, s.engine_wrong, s.refused_unique, s.refused_ambiguous,
             s.refused_none] for s in report.by_variant if s.tier == tier]


def print_ambiguity(console: Console, report: AmbiguityReport) -> None:
    for tier, label in TIERS.items():
        print_table(console, f"Readings of {report.cases} lazy snippets: {label}", COLUMNS,
                    rows(report, tier))


def markdown(report: AmbiguityReport) -> str:
    shortfall = [r for r in report.results
                 if r.engine == "refused" and r.format.kind == "unique"]
    parts = [
        "# splice bench apply --ambiguity: readings of each lazy snippet\n",
        f"Command: `{report.command}`\n",
        "unique / ambiguous / none: cases with exactly one resulting file, two or more, "
        "none (semantics in `splice/bench/apply_ambiguity.py`). bound: the share of unique "
        "cases, the most a merger that never guesses can merge exactly. nearest: a guesser "
        "that takes the reading with the fewest changed lines (region lines deleted plus "
        "segment lines inserted; exact on unique cases and where gold is the nearest; wrong "
        "where another file is; tie where two files are nearest). engine: "
        "splice.apply.merge on the same cases.\n",
    ]
    for tier, label in TIERS.items():
        parts += [f"## Readings: {label}\n", markdown_table(COLUMNS, rows(report, tier))]
    if report.sweep:
        parts += [
            "## A prior swept: no segment deletes D or more lines net (region length minus "
            "segment length < D)\n",
            "What a merger that takes the sole reading under the prior would get: exact (one "
            "reading, the gold file), wrong (one reading, another file: the gold drops more), "
            "ambiguous (refuse), none (refuse). D = none is the format alone.\n",
            markdown_table(["group", "D", "cases", "exact", "wrong", "ambiguous", "none"],
                           [[r.group, r.max_unmentioned, r.cases, r.exact, r.wrong,
                             r.ambiguous, r.none] for r in report.sweep])]
    ambiguous = [r for r in report.results if r.format.kind == "ambiguous"]
    if ambiguous:
        kinds = ("deletes more", "keeps more", "elsewhere")
        table: list[list[Cell]] = []
        present = {r.variant for r in ambiguous}
        for variant in [v for v in VARIANTS if v in present]:
            mine = [r.format.rival for r in ambiguous if r.variant == variant]
            table.append([variant, len(mine), *(mine.count(k) for k in kinds)])
        parts += [
            "## How the ambiguous snippets' other reading differs from gold\n",
            "The closest file other than gold (by changed lines): it only lacks lines gold "
            "has (deletes more: a region runs on to a later copy of the segment's last line), "
            "only has lines gold lacks (keeps more: gold's deletion ends at a repeated line "
            "and a shorter region is a reading too), or differs otherwise (a segment placed "
            "over other lines bounded by copies of its edge lines).\n",
            markdown_table(["variant", "ambiguous", *kinds], table)]
    if report.margins:
        parts += [
            "## A nearest-reading guesser with a margin (format semantics)\n",
            "Takes the nearest reading when every other file changes at least `margin` more "
            "lines, else refuses: exact (unique cases plus ambiguous ones where the taken "
            "file is gold) and wrong.\n",
            markdown_table(["group", "margin", "cases", "exact", "wrong"],
                           [[r.group, r.margin, r.cases, r.exact, r.wrong]
                            for r in report.margins])]
    if shortfall:
        parts += ["## Refused although the snippet has one reading (format semantics)\n",
                  markdown_table(["case", "error", "message"],
                                 [[f"`{r.id}`", r.error or "-",
                                   (r.message or "-").replace("|", "\\|")[:160]]
                                  for r in shortfall])]
    return "\n".join(parts)


def publish_ambiguity(out: Path, report: AmbiguityReport) -> tuple[Path, Path]:
    return (write_json(out / "ambiguity.json", report),
            write_text(out / "ambiguity.md", markdown(report)))
