"""`splice bench safety`: protected paths, kill -9 during writes, the symlink race."""

from __future__ import annotations

from pathlib import Path

import typer

SAFETY_HELP = (
    "Attack splice's writers and count what got through: edits aimed at .git, .splice, "
    "protected paths and second files (apply_edits, `python -m splice apply`, MCP "
    "edit_file); kill -9 at random moments of multi-file applies, undos and run write-backs "
    "(the next command must leave the before- or after-state, no temp files, and undo must "
    "be exact); a folder swapped for a symlink while edits write into it. Exit code 1 when "
    "anything got through. Writes results.json and results.md (and safety.png with --plot)."
)


def bench_safety(
    kills: int = typer.Option(1000, "--kills", min=0, help="kill -9 trials of forked "
                              "writers: apply, slowed apply, undo, run write-back (0: skip)."),
    cli_kills: int = typer.Option(150, "--cli-kills", min=0,
                                  help="kill -9 trials of real `python -m splice apply` "
                                       "processes, late in their run (0: skip)."),
    race: int = typer.Option(20000, "--race", min=0, help="Symlink race tries (0: skip)."),
    paths: bool = typer.Option(True, "--paths/--no-paths", help="Run the path probes."),
    seed: int = typer.Option(0, "--seed", help="Seed for the kill delays."),
    cli_every: int = typer.Option(25, "--cli-every", min=0,
                                  help="Every Nth kill, the next command is `python -m "
                                       "splice gc` as a real process (0: never)."),
    out: Path = typer.Option(Path("benchmarks/safety"), "--out", help="Results folder."),
    plot: bool = typer.Option(False, "--plot", help="Also draw safety.png."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    from splice.bench.safety.report import markdown, run_all
    from splice.bench.safety.report import plot as draw
    from splice.commands.output import console, emit_json

    report = run_all(kills=kills, race=race, paths=paths, seed=seed, cli_every=cli_every,
                     cli_kills=cli_kills)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(report.model_dump_json(indent=1) + "\n")
    text = markdown(report)
    (out / "results.md").write_text(text)
    if plot:
        draw(out / "safety.png", report)
    if as_json:
        emit_json(report)
    else:
        console.print(text, highlight=False, soft_wrap=True, markup=False)
    raise typer.Exit(1 if report.failures else 0)


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    bench_app.command("safety", help=SAFETY_HELP)(bench_safety)
