"""Why the splice policy pays: for each task, where the search + compaction answer stands
against the gold lines (a diagnostic, not a benchmark; it prints no token savings).

Each gold file (its must-see lines) is put in one class:
- ``shown``: every needed line was kept by compaction;
- ``cut``: the search showed every needed line, compaction cut some;
- ``same-def``: a span touched the definition holding the missing lines, but not them;
- ``near``: a missing line lies within RADIUS lines of a span (outside its definition);
- ``far``: the file had a span, the missing lines are elsewhere in it;
- ``beyond-budget``: no span in the file, but the ranking has it (a larger budget shows it);
- ``unranked``: no term of the query ranks the file at all.

`python -m splice.bench.tokens.diagnose [--split dev] [--search-tokens N]` prints one line
per gold file and a tally.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import anyio
from pydantic import BaseModel

from splice.bench.tokens.gold import read_gold
from splice.bench.tokens.policies import SpliceSettings
from splice.bench.tokens.replay import checkout

RADIUS = 30
WIDE_BUDGET = 50_000


class GoldDiagnosis(BaseModel):
    instance_id: str
    split: str
    path: str
    need: int
    kind: str
    file_rank: int          # position of the file among the answer's files (0: absent)
    wide_rank: int          # ... among a WIDE_BUDGET answer's files (0: unranked)
    first_file: str         # the answer's first file
    test_or_doc_tokens: int  # share of the answer spent in test/doc files (tokens)


def _is_test_or_doc(path: str) -> bool:
    parts = {p.lower() for p in Path(path).parts[:-1]}
    name = Path(path).name.lower()
    return bool(parts & {"test", "tests", "testing", "docs", "doc", "examples"}) \
        or name.startswith("test_") or name == "conftest.py"


def _file_order(spans: list) -> list[str]:
    return list(dict.fromkeys(s.path for s in spans))


async def diagnose_task(task: object, repos: Path, settings: SpliceSettings) -> list[GoldDiagnosis]:
    from splice.bench.taskset_pypi import split_of
    from splice.compact import CompactRequest, compact
    from splice.core.repo import Repo
    from splice.core.spans import Chunk
    from splice.core.tokens import count_tokens
    from splice.search import SearchRequest, search
    from splice.search.index import cached_index

    out: list[GoldDiagnosis] = []
    with checkout(task, repos) as root:  # type: ignore[arg-type]
        golds = read_gold(task.patch, root)  # type: ignore[attr-defined]
        query = task.problem_statement  # type: ignore[attr-defined]
        result = await search(SearchRequest(query=query, repo=str(root), planner="deterministic",
                                            max_tokens=settings.search_tokens))
        wide = await search(SearchRequest(query=query, repo=str(root), planner="deterministic",
                                          max_tokens=WIDE_BUDGET))
        kept: dict[str, set[int]] = {}
        if result.spans:
            chunks = [Chunk(text=t, path=s.path, start_line=s.start_line)
                      for s, t in zip(result.spans, result.texts, strict=True)]
            comp = await compact(CompactRequest(chunks=chunks, query=query,
                                                ratio=settings.compact_ratio, kind="code"))
            for sec in comp.sections:
                for a, b in sec.kept_ranges:
                    kept.setdefault(sec.path or "", set()).update(range(a, b + 1))
        shown: dict[str, set[int]] = {}
        for s in result.spans:
            shown.setdefault(s.path, set()).update(range(s.start_line, s.end_line + 1))
        files, wide_files = _file_order(result.spans), _file_order(wide.spans)
        waste = sum(count_tokens(t) for s, t in zip(result.spans, result.texts, strict=True)
                    if _is_test_or_doc(s.path))
        loaded = cached_index(Repo(str(root)), 3600.0)
        index = loaded[0] if loaded else None
        for g in golds:
            if g.added:
                continue
            need = g.lines
            missing_after_search = {n for n in need if n not in shown.get(g.path, set())}
            missing = {n for n in need if n not in kept.get(g.path, set())}
            if not missing:
                kind = "shown"
            elif not missing_after_search:
                kind = "cut"
            elif g.path in shown:
                defs = index.definitions(g.path) if index else []
                spans = [s for s in result.spans if s.path == g.path]
                kind = "far"
                for n in missing_after_search:
                    holders = [d for d in defs if d.start_line <= n <= d.end_line]
                    inner = max(holders, key=lambda d: d.start_line, default=None)
                    if inner and any(s.start_line <= inner.end_line and s.end_line >= inner.start_line
                                     for s in spans):
                        kind = "same-def"
                        break
                    if any(s.start_line - RADIUS <= n <= s.end_line + RADIUS for s in spans):
                        kind = "near"
            elif g.path in wide_files:
                kind = "beyond-budget"
            else:
                kind = "unranked"
            out.append(GoldDiagnosis(
                instance_id=task.instance_id, split=split_of(task.instance_id),  # type: ignore[attr-defined]
                path=g.path, need=len(need), kind=kind,
                file_rank=files.index(g.path) + 1 if g.path in files else 0,
                wide_rank=wide_files.index(g.path) + 1 if g.path in wide_files else 0,
                first_file=files[0] if files else "", test_or_doc_tokens=waste))
    return out


async def diagnose(split: str | None, settings: SpliceSettings) -> list[GoldDiagnosis]:
    from splice.bench.tasks import load_tasks
    from splice.bench.taskset_pypi import default_paths, split_of

    tasks_file, repos = default_paths()
    rows: list[GoldDiagnosis] = []
    for task in load_tasks(tasks_file):
        if split and split_of(task.instance_id) != split:
            continue
        rows += await diagnose_task(task, repos, settings)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "held-out"], default=None)
    parser.add_argument("--search-tokens", type=int, default=SpliceSettings().search_tokens)
    parser.add_argument("--compact-ratio", type=float, default=SpliceSettings().compact_ratio)
    args = parser.parse_args()
    settings = SpliceSettings(search_tokens=args.search_tokens, compact_ratio=args.compact_ratio)
    rows = anyio.run(diagnose, args.split, settings)
    for r in rows:
        print(f"{r.instance_id:28} {r.split:8} {r.kind:13} rank {r.file_rank}/{r.wide_rank:<3} "
              f"need {r.need:<3} td {r.test_or_doc_tokens:<5} {r.path}  (first: {r.first_file})")
    print(dict(Counter(r.kind for r in rows)))


if __name__ == "__main__":
    main()
