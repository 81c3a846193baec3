"""`splice bench apply` (other benches register next to it)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from splice.scale.options import EXECUTOR_OPTION, RAY_ADDRESS_OPTION, WORKERS_OPTION

if TYPE_CHECKING:
    from splice.bench.apply_bench import MergeFn
    from splice.bench.apply_cases import Case
    from splice.bench.apply_corpus import PackagePair, PairSource

APPLY_HELP = (
    "Measure the apply engine on real edits: exact merges, refusals, wrong merges, speed.\n\n"
    "The corpus is pinned version pairs of real packages (PyPI sdists and npm tarballs, "
    "downloaded once into the splice cache). Every changed source file becomes one case per "
    "edit format, written the way models write them; the expected result is the new release. "
    "Writes results.json and results.md (and apply.png with --plot) to --out."
)


def _split(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


def _local_source(root: Path) -> tuple[tuple[PackagePair, ...], PairSource]:
    """Pairs from DIR/<name>/old and DIR/<name>/new (your own before/after trees)."""
    from splice.bench.apply_corpus import PackagePair
    from splice.bench.corpus import CorpusError

    if not root.is_dir():
        raise CorpusError(f"--local {root}: is not a directory",
                          hint="Give a folder holding NAME/old and NAME/new trees.")
    pairs = tuple(PackagePair(name=d.name, registry="pypi", old="old", new="new")
                  for d in sorted(root.iterdir())
                  if (d / "old").is_dir() and (d / "new").is_dir())
    if not pairs:
        raise CorpusError(f"--local {root}: holds no NAME/old + NAME/new folders",
                          hint="Put each before/after pair in its own folder.")

    def source(pair: PackagePair) -> tuple[Path, Path]:
        return root / pair.name / "old", root / pair.name / "new"

    return pairs, source


def bench_apply(
    packages: list[str] = typer.Option(None, "--packages", "-p",
                                       help="Only these packages (comma-separated or repeated)."),
    max_cases: int = typer.Option(None, "--max-cases", "-n", min=1,
                                  help="Stop after N cases (whole files, in a seeded order)."),
    formats: list[str] = typer.Option(
        None, "--formats", "-f",
        help="Only these formats: lazy, search_replace, udiff, patch, whole, "
             "or lazy-1/lazy-2/lazy-3/lazy-anchored (comma-separated or repeated)."),
    seed: int = typer.Option(0, "--seed", help="Seed for edit generation and sampling."),
    auto_format: bool = typer.Option(False, "--auto-format",
                                     help="Let the engine detect each edit's format."),
    repeat: int = typer.Option(3, "--repeat", min=1,
                               help="Time each successful merge N times, keep the fastest."),
    case_timeout: float = typer.Option(10.0, "--case-timeout", min=0.0,
                                       help="Seconds before a merge counts as hung (0: none)."),
    local: Path = typer.Option(None, "--local",
                               help="Use DIR/NAME/old and DIR/NAME/new instead of downloads."),
    out: Path = typer.Option(Path("benchmarks/apply"), "--out",
                             help="Folder for results.json, results.md and the plot."),
    plot: bool = typer.Option(False, "--plot", help="Also draw apply.png (bars per format)."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON report to stdout."),
    executor: str = EXECUTOR_OPTION,
    ray_address: str = RAY_ADDRESS_OPTION,
    workers: int = WORKERS_OPTION,
    ambiguity: bool = typer.Option(
        False, "--ambiguity",
        help="Instead: count each lazy case's readings (unique / ambiguous / none) beside "
             "the engine's outcome; writes ambiguity.json and ambiguity.md to --out."),
) -> None:
    """Measure the apply engine on real edits: exact merges, refusals, wrong merges, speed."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from splice.bench import apply_bench, apply_output
    from splice.bench.apply_corpus import DEFAULT_PAIRS, fetch_pair, load_corpus, select_pairs
    from splice.commands.output import err_console, fail, publish
    from splice.core.errors import SpliceError
    from splice.scale.executor import SerialExecutor, open_executor
    from splice.scale.options import executor_spec

    try:
        if local is not None:
            available, source = _local_source(local)
        else:
            available, source = DEFAULT_PAIRS, fetch_pair
        pairs = select_pairs(_split(packages), available)
        variants = apply_bench.select_variants(_split(formats))
        with err_console.status("loading the corpus (first run downloads it)..."):
            files = load_corpus(pairs, source)
        merge_fn = apply_bench.engine_merge(force_auto=auto_format)
        spec = executor_spec(executor, ray_address, workers)
    except SpliceError as exc:
        fail(exc, as_json=as_json)
    except ValueError as exc:
        fail(str(exc), as_json=as_json)
    except ImportError as exc:
        fail(f"the apply engine (splice.apply) is not importable: {exc}", as_json=as_json)
    if not files:
        fail("the corpus has no changed source files to edit", as_json=as_json)

    cases = apply_bench.build_cases(files, seed=seed, variants=variants, max_cases=max_cases)
    command = _command_line(packages, max_cases, formats, seed, auto_format, local, repeat)
    if ambiguity:
        _run_ambiguity(cases, merge_fn, command + " --ambiguity", out, as_json)
        return
    runner = open_executor(spec)  # one worker: this process, as before
    with Progress(TextColumn("merging"), BarColumn(), MofNCompleteColumn(),
                  console=err_console, transient=True) as progress:
        task = progress.add_task("merge", total=len(cases))
        try:
            report = apply_bench.run_bench(
                cases, merge_fn, command=command, seed=seed,
                packages=[p.label for p in pairs],
                files=len({(c.package, c.path) for c in cases}),
                auto_format=auto_format, timeout=case_timeout or None, repeat=repeat,
                on_case=lambda: progress.advance(task),
                executor=None if isinstance(runner, SerialExecutor) else runner)
        finally:
            runner.close()

    publish(out, report, png="apply.png", markdown=apply_output.write_markdown,
            plot=apply_output.plot if plot else None, show=apply_output.print_report,
            as_json=as_json)


def _run_ambiguity(cases: list[Case], merge_fn: MergeFn, command: str, out: Path,
                   as_json: bool) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from splice.bench import apply_ambiguity_report as amb
    from splice.commands.output import console, emit_json, err_console, fail

    lazy = [c for c in cases if c.fmt == "lazy"]
    if not lazy:  # an empty report would overwrite a recorded one with nothing
        fail("--ambiguity reads lazy snippets, and the chosen formats hold none.",
             as_json=as_json)
    with Progress(TextColumn("reading"), BarColumn(), MofNCompleteColumn(),
                  console=err_console, transient=True) as progress:
        task = progress.add_task("read", total=len(lazy))
        report = amb.run_ambiguity(lazy, merge_fn, command=command,
                                   on_case=lambda: progress.advance(task))
    paths = amb.publish_ambiguity(out, report)
    if as_json:
        emit_json(report)
        return
    amb.print_ambiguity(console, report)
    console.print(f"wrote {paths[0]} and {paths[1]}", highlight=False)


def _command_line(packages: list[str] | None, max_cases: int | None, formats: list[str] | None,
                  seed: int, auto_format: bool, local: Path | None, repeat: int) -> str:
    parts = ["splice bench apply"]
    if packages:
        parts.append(f"--packages {','.join(_split(packages) or [])}")
    if formats:
        parts.append(f"--formats {','.join(_split(formats) or [])}")
    if max_cases:
        parts.append(f"--max-cases {max_cases}")
    if auto_format:
        parts.append("--auto-format")
    if local:
        parts.append(f"--local {local}")
    parts.append(f"--seed {seed} --repeat {repeat}")
    return " ".join(parts)


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    bench_app.command("apply", help=APPLY_HELP)(bench_apply)
