"""`splice bench apply --shapes`: edits in the shapes models send, from real version pairs.

Every changed file of the corpus (PyPI / npm / Debian version pairs: python, javascript,
typescript, go, rust, java) gives cases of each shape below; each case's right outcome
(the intended file, or "must refuse") is decided by the rule its generator states
(apply_shapes_rules) before splice runs. Scored per shape: exact, refused, wrong, crash.
A merge on a must-refuse case is wrong, whatever text it gives.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from splice.bench.apply_corpus import DEFAULT_PAIRS, ChangedFile, PackagePair
from splice.bench.apply_shapes_blocks import controls, marker_variants, search_replace
from splice.bench.apply_shapes_cache import cached_cases
from splice.bench.apply_shapes_lazy import (
    Made,
    between_defs,
    boundaries,
    forgotten_markers,
    new_user,
    one_line,
    truncated,
    whole_defs,
)
from splice.bench.apply_shapes_model import FilePlan, ShapeCase, plan_file

SHAPES: tuple[str, ...] = (
    "def-whole", "def-class", "def-multi", "def-added", "def-deleted", "def-added-bare",
    "boundary-end", "boundary-start", "forgot-open", "forgot-close", "new-user",
    "lazy-ctx2", "lazy-ctx3", "marker-bare", "marker-reworded", "marker-foreign",
    "marker-misindent", "one-line", "truncated",
    "sr-all", "sr-block", "sr-missing-line", "sr-extra-line", "sr-typo", "sr-sibling",
    "sr-truncated", "udiff", "patch", "whole", "fragment",
)
GENERATORS = (whole_defs, new_user, boundaries, one_line, between_defs, forgotten_markers,
              truncated, marker_variants, search_replace, controls)

# Go and Java version pairs come from Debian (stable and its security updates), which
# ship Go module sources and the JDK's src.zip; PyPI and npm hold few of either.
DEBIAN_PAIRS: tuple[PackagePair, ...] = (
    PackagePair(name="golang-github-git-lfs-git-lfs-dev", registry="debian",
                old="3.3.0-1+deb12u1", new="3.3.0-1+deb12u2"),
    PackagePair(name="golang-github-containerd-containerd-dev", registry="debian",
                old="1.6.20~ds1-1+deb12u2", new="1.6.20~ds1-1+deb12u3"),
    PackagePair(name="openjdk-17-source", registry="debian",
                old="17.0.19+10-1~deb12u2", new="17.0.21.1+2-1~deb12u1"),
)
# More javascript, typescript and python than the format bench needs.
EXTRA_PAIRS: tuple[PackagePair, ...] = (
    PackagePair(name="webpack", registry="npm", old="5.89.0", new="5.90.0"),
    PackagePair(name="eslint", registry="npm", old="8.55.0", new="8.56.0"),
    PackagePair(name="effect", registry="npm", old="3.0.0", new="3.1.0"),
    PackagePair(name="rich", registry="pypi", old="13.6.0", new="13.7.0"),
    PackagePair(name="click", registry="pypi", old="8.1.3", new="8.1.7"),
)
SHAPE_PAIRS = DEFAULT_PAIRS + EXTRA_PAIRS + DEBIAN_PAIRS
WORKERS = 3  # generation is CPU-bound and takes minutes
MAX_FILES_PER_PACKAGE = 40
SIBLINGS = 6  # other files of the package a SEARCH block may be copied from  # the JDK alone would outweigh every other pair


def _text(lines: list[str] | None, plan: FilePlan) -> str | None:
    if lines is None:
        return None
    if lines == plan.new:  # the same object for every such case: the cache stores it once
        return plan.file.new
    return plan.render(lines)


def _edit_text(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"  # a model's output: "\n" endings whatever the file uses


def cases_for_plan(plan: FilePlan, seed: int) -> Iterator[ShapeCase]:
    f = plan.file
    counts: dict[str, int] = {}
    for gen in GENERATORS:
        rng = random.Random(f"{seed}:{f.package}:{f.path}:{gen.__name__}")
        made: Iterable[Made] = gen(plan, rng)
        for shape, edit, (expected, blind), hunks, rule in made:
            k = counts[shape] = counts.get(shape, 0) + 1
            instruction, seen = plan.evidence(hunks) if hunks else (None, None)
            yield ShapeCase(
                id=f"{f.package}:{f.path}:{shape}:{k}", package=f.package, path=f.path,
                language=f.language, shape=shape, fmt="auto", original=f.old,
                edit=_edit_text(edit), expected=_text(expected, plan),
                expected_blind=_text(blind, plan), instruction=instruction,
                seen_lines=seen, rule=rule)


def build_shape_cases(files: Sequence[ChangedFile], *, seed: int = 0,
                      shapes: Iterable[str] | None = None,
                      max_cases: int | None = None, cache: bool = True) -> list[ShapeCase]:
    """Every shape's cases for `files` (capped per package), in a seeded file order.

    Generation takes minutes (the enumerator reads every lazy snippet), so the cases are
    kept in the splice cache, keyed by the generators' source, the files and the seed."""
    wanted = set(shapes) if shapes else set(SHAPES)
    unknown = wanted - set(SHAPES)
    if unknown:
        raise ValueError(f"unknown shape(s): {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(SHAPES)}")
    if cache and max_cases is None:
        cases = cached_cases(files, seed, lambda: build_shape_cases(files, seed=seed,
                                                                    cache=False))
        return [c for c in cases if c.shape in wanted]
    by_package: dict[str, list[ChangedFile]] = {}
    for f in files:
        by_package.setdefault(f.package, []).append(f)
    order: list[tuple[ChangedFile, list[ChangedFile]]] = []
    for package, group in by_package.items():
        rng = random.Random(f"{seed}:{package}")
        picked = sorted(group, key=lambda f: f.path)
        rng.shuffle(picked)
        for f in picked[:MAX_FILES_PER_PACKAGE]:
            siblings = [g for g in group if g.language == f.language and g is not f]
            order.append((f, siblings[:SIBLINGS]))
    random.Random(seed).shuffle(order)
    if max_cases is not None:  # a sample: only as many files as it takes, in order
        out: list[ShapeCase] = []
        for item in order:
            out += [c for c in _cases_of(item, seed) if c.shape in wanted]
            if len(out) >= max_cases:
                break
        return out[:max_cases]
    with ProcessPoolExecutor(max_workers=WORKERS) as pool:
        chunks = pool.map(_cases_of, order, [seed] * len(order), chunksize=4)
        return [c for chunk in chunks for c in chunk if c.shape in wanted]


def _cases_of(item: tuple[ChangedFile, list[ChangedFile]], seed: int) -> list[ShapeCase]:
    file, group = item
    plan = plan_file(file, group)
    return [] if plan is None else list(cases_for_plan(plan, seed))
