"""`splice bench apply --shapes`: the model-shaped corpus, scored per shape."""

from __future__ import annotations

from pathlib import Path


def run_shapes_command(*, packages: list[str] | None, max_cases: int | None,
                       shapes: list[str] | None, seed: int, local: Path | None, out: Path,
                       plot: bool, as_json: bool, evidence: bool,
                       timeout: float | None, swebench: str = "dev") -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from splice.bench import apply_shapes_output as output
    from splice.bench.apply_corpus import load_corpus, select_pairs
    from splice.bench.apply_shapes import SHAPE_PAIRS, build_shape_cases
    from splice.bench.apply_shapes_run import run_shapes
    from splice.commands.bench import _local_source
    from splice.commands.output import console, emit_json, err_console, fail
    from splice.core.errors import SpliceError

    if swebench not in ("dev", "check", "none"):
        fail(f"--swebench {swebench}: use dev, check or none", as_json=as_json)
    try:
        available, source = _local_source(local) if local is not None else (SHAPE_PAIRS, None)
        pairs = select_pairs(packages, available)
        with err_console.status("loading the corpus (first run downloads it)..."):
            files = load_corpus(pairs, source) if source else load_corpus(pairs)
            if swebench != "none":
                from splice.bench.apply_shapes_swe import swebench_files

                files += swebench_files(swebench)  # type: ignore[arg-type]
            cases = build_shape_cases(files, seed=seed, shapes=shapes, max_cases=max_cases)
    except SpliceError as exc:
        fail(exc, as_json=as_json)
    except ValueError as exc:
        fail(str(exc), as_json=as_json)
    if not cases:
        fail("the corpus gave no cases for the chosen shapes", as_json=as_json)
    parts = ["splice bench apply --shapes"]
    if packages:
        parts.append(f"--packages {','.join(packages)}")
    if shapes:
        parts.append(f"--formats {','.join(shapes)}")
    if max_cases:
        parts.append(f"--max-cases {max_cases}")
    if not evidence:
        parts.append("--no-evidence")
    if swebench != "dev":
        parts.append(f"--swebench {swebench}")
    parts.append(f"--seed {seed}")
    with Progress(TextColumn("merging"), BarColumn(), MofNCompleteColumn(),
                  console=err_console, transient=True) as progress:
        task = progress.add_task("merge", total=len(cases))
        report = run_shapes(cases, None, workers=3, command=" ".join(parts), seed=seed,
                            packages=[p.label for p in pairs], evidence=evidence,
                            timeout=timeout, on_case=lambda: progress.advance(task))
    name = "shapes" + ("" if swebench == "dev" else f"-{swebench}") + \
        ("" if evidence else "-no-evidence")
    paths = output.publish(out, report, name, plot)
    if as_json:
        emit_json(report)
        return
    output.print_report(console, report)
    console.print("wrote " + ", ".join(str(p) for p in paths), highlight=False)


def run_worst_command(*, packages: list[str] | None, local: Path | None, out: Path,
                      as_json: bool) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from splice.bench.apply_corpus import load_corpus, select_pairs
    from splice.bench.apply_shapes import SHAPE_PAIRS
    from splice.bench.apply_worst import run_worst, worst_cases
    from splice.bench.report import Cell, markdown_table, print_table, write_json, write_text
    from splice.commands.bench import _local_source
    from splice.commands.output import console, emit_json, err_console, fail
    from splice.core.errors import SpliceError
    from splice.core.syntax import LINE_COMMENTS

    try:
        available, source = _local_source(local) if local is not None else (SHAPE_PAIRS, None)
        pairs = select_pairs(packages, available)
        with err_console.status("loading the corpus (first run downloads it)..."):
            files = load_corpus(pairs, source) if source else load_corpus(pairs)
    except SpliceError as exc:
        fail(exc, as_json=as_json)
    cases = worst_cases(files, lambda lang: LINE_COMMENTS.get(lang, ("#",))[0])
    from splice.apply import merge

    def merge_fn(original: str, edit: str, path: str) -> object:
        return merge(original, edit, fmt="auto", path=path)

    command = "splice bench apply --worst" + (f" --packages {','.join(packages)}"
                                              if packages else "")
    with Progress(TextColumn("timing"), BarColumn(), MofNCompleteColumn(),
                  console=err_console, transient=True) as progress:
        task = progress.add_task("time", total=len(cases))
        report = run_worst(cases, merge_fn, command=command,
                           on_case=lambda: progress.advance(task))
    columns = ["case", "file KB", "edit KB", "outcome", "seconds", "CPU s", "x baseline",
               "CPU x baseline"]
    rows: list[list[Cell]] = [
        [r.name, round(r.file_bytes / 1024), round(r.edit_bytes / 1024), r.outcome,
         round(r.seconds, 3), round(r.cpu_seconds, 3), round(r.ratio, 1), round(r.cpu_ratio, 1)]
        for r in report.results]
    head = (f"worst {report.worst_seconds:.3f} s wall ({report.worst_case}), "
            f"{report.worst_cpu_seconds:.3f} s CPU ({report.worst_cpu_case}; "
            f"{report.worst_cpu_ratio:.1f}x the CPU of tokenising the same file); over "
            f"{report.limit_s:g} s: {report.over_limit} of {len(rows)} wall, "
            f"{report.over_limit_cpu} CPU; median {report.median_ratio:.1f}x the baseline "
            f"wall, {report.median_cpu_ratio:.1f}x CPU (tokenising the same file)")
    write_json(out / "worst.json", report)
    write_text(out / "worst.md", "\n".join([
        "# splice bench apply --worst\n", f"Command: `{command}`\n", head + ".\n",
        markdown_table(columns, rows)]))
    if as_json:
        emit_json(report)
        return
    console.print(head)
    print_table(console, "Largest merges", columns, rows)
    console.print(f"wrote {out / 'worst.json'} and {out / 'worst.md'}", highlight=False)
