"""The lazy-snippet reading enumerator on tiny hand-made cases, checked against brute force."""

from __future__ import annotations

import itertools
import random

from splice.apply import merge
from splice.bench.apply_ambiguity import enumerate_readings, split_snippet
from splice.bench.apply_ambiguity_report import assess, summarise
from splice.bench.apply_cases import Case

M = "# ... existing code ..."
ORIG = ["import os", "", "def a():", "    return 1", "", "def b():", "    return 2", ""]


def test_unique_reading() -> None:
    snippet = [M, "def a():", "    return 10", "", "def b():", M]
    gold = ["import os", "", "def a():", "    return 10", "", "def b():", "    return 2", ""]
    found = enumerate_readings(ORIG, snippet, "f.py", gold)
    assert (found.kind, found.readings, found.gold_is_reading) == ("unique", 1, True)
    assert found.gold_is_nearest and found.nearest_changed_lines == 2


def test_two_readings_blank_tail() -> None:
    # the last line is blank: "change a" and "change a, delete b" read the same
    snippet = [M, "def a():", "    return 10", "", M]
    gold = ["import os", "", "def a():", "    return 10", "", "def b():", "    return 2", ""]
    found = enumerate_readings(ORIG, snippet, "f.py", gold)
    assert (found.kind, found.readings, found.distinct) == ("ambiguous", 2, 2)
    assert found.gold_is_reading and found.gold_is_nearest and found.nearest_distinct == 1
    # the deletion reading drops 2 unmentioned non-blank lines: a bound of 2 excludes it
    bounded = enumerate_readings(ORIG, snippet, "f.py", gold, max_unmentioned=2)
    assert (bounded.kind, bounded.readings) == ("unique", 1)


def test_no_reading() -> None:
    found = enumerate_readings(ORIG, [M, "def zz():", "    pass", M], "f.py", ORIG)
    assert (found.kind, found.readings, found.gold_is_reading) == ("none", 0, False)
    assert found.gold_is_nearest is None


def test_one_line_segment_between_markers_has_no_reading() -> None:
    # both edges need an anchor and they must be different lines
    assert enumerate_readings(ORIG, [M, "import os", M], "f.py").kind == "none"


def test_repeated_pair_fits_three_regions_two_files() -> None:
    # either copy unchanged (one file), or from the first x to the last y (a deletion)
    orig = ["x = 1", "y = 2", "x = 1", "y = 2"]
    found = enumerate_readings(orig, [M, "x = 1", "y = 2", M], "f.py", orig)
    assert (found.readings, found.distinct, found.nearest_changed_lines) == (3, 2, 0)


def test_pinned_edges() -> None:
    # no marker on top: the segment starts the file, whatever its first line says
    snippet = ["import sys", "", "def a():", M]
    gold = ["import sys", "", "def a():", "    return 1", "", "def b():", "    return 2", ""]
    found = enumerate_readings(ORIG, snippet, "f.py", gold)
    assert (found.kind, found.gold_is_reading) == ("unique", True)
    # no marker at all: the snippet is the whole file
    whole = enumerate_readings(ORIG, ["pass"], "f.py", ["pass"])
    assert (whole.kind, whole.gold_is_reading) == ("unique", True)


def test_nearest_can_be_wrong() -> None:
    # gold also deleted `z()` up to the next blank line; the nearest reading keeps it
    orig = ["def a():", "    x()", "    y()", "", "    z()", "", "def b():"]
    gold = ["def a():", "    x()", "    w()", "", "def b():"]
    snippet = ["def a():", "    x()", "    w()", "", M]
    found = enumerate_readings(orig, snippet, "f.py", gold)
    assert found.kind == "ambiguous" and found.gold_is_reading
    assert found.gold_is_nearest is False and found.nearest_changed_lines == 2


def test_blank_groups_between_markers_say_nothing() -> None:
    segs = split_snippet([M, "a", "b", M, "", "", M, "c", "d"], "f.py")
    assert segs is not None and [s.lines for s in segs] == [["a", "b"], ["c", "d"]]
    assert [(s.pinned_start, s.pinned_end) for s in segs] == [(False, False), (False, True)]


def _changed(region: list[str], seg: list[str]) -> int:
    """Region lines dropped plus segment lines inserted, matched in order (plain LCS)."""
    best = [[0] * (len(seg) + 1) for _ in range(len(region) + 1)]
    for i, x in enumerate(region):
        for j, y in enumerate(seg):
            best[i + 1][j + 1] = best[i][j] + 1 if x == y else max(best[i][j + 1],
                                                                    best[i + 1][j])
    return len(region) + len(seg) - 2 * best[-1][-1]


def _brute(orig: list[str], snippet: list[str], net: int | None = None,
           ) -> tuple[set[tuple[str, ...]], int, list[int]]:
    """Every reading by trying all region tuples (rules 2-4), for checking the DP."""
    segs = split_snippet(snippet, "f.py")
    assert segs is not None
    n = len(orig)
    spans = [(a, b) for a in range(n + 1) for b in range(a, n + 1)]
    out: set[tuple[str, ...]] = set()
    count = 0
    cost: dict[tuple[str, ...], int] = {}
    for choice in itertools.product(spans, repeat=len(segs)):
        if any(choice[i][1] > choice[i + 1][0] for i in range(len(choice) - 1)):
            continue
        ok = True
        for seg, (a, b) in zip(segs, choice, strict=True):
            anchors = (not seg.pinned_start) + (not seg.pinned_end)
            ok &= len(seg.lines) >= anchors and b - a >= anchors
            ok &= a == 0 if seg.pinned_start else (a < n and orig[a] == seg.lines[0])
            ok &= b == n if seg.pinned_end else (b > 0 and orig[b - 1] == seg.lines[-1])
            ok &= net is None or (b - a) - len(seg.lines) < net
        if not ok:
            continue
        result: list[str] = []
        pos = 0
        for seg, (a, b) in zip(segs, choice, strict=True):
            result += orig[pos:a] + seg.lines
            pos = b
        file = tuple(result + orig[pos:])
        out.add(file)
        count += 1
        changed = sum(_changed(orig[a:b], seg.lines) for seg, (a, b) in zip(segs, choice,
                                                                           strict=True))
        cost[file] = min(cost.get(file, changed), changed)
    return out, count, sorted(cost.values())


def test_matches_brute_force_on_random_small_cases() -> None:
    rng = random.Random(7)
    for _ in range(300):
        orig = [rng.choice("abc") for _ in range(rng.randint(1, 7))]
        snippet: list[str] = [M] if rng.random() < 0.7 else []
        for k in range(rng.randint(1, 2)):
            if k:
                snippet.append(M)
            snippet += [rng.choice("abcd") for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.7 or M not in snippet:
            snippet.append(M)
        files, count, nearest = _brute(orig, snippet)
        gold = sorted(files)[0] if files else tuple(orig)
        found = enumerate_readings(orig, snippet, "f.py", list(gold))
        assert found.distinct == min(len(files), 2), (orig, snippet)
        assert found.readings == count
        if files:
            assert found.nearest_files and all(tuple(f) in files for f in found.nearest_files)
            assert len(found.nearest_files) == min(len(files), 2)
            assert found.nearest_changed_lines == nearest[0]
            assert found.nearest_margin == (nearest[1] - nearest[0] if len(nearest) > 1
                                            else None)
        for net in (1, 2):
            kept, n_kept, _ = _brute(orig, snippet, net)
            bounded = enumerate_readings(orig, snippet, "f.py", max_net_drop=net)
            assert (bounded.distinct, bounded.readings) == (min(len(kept), 2), n_kept)
        assert found.gold_is_reading == (gold in files)


def test_assess_joins_the_engine() -> None:
    original = "\n".join(ORIG) + "\n"
    expected = original.replace("return 1", "return 10")
    case = Case(id="t:f.py:lazy-2", package="t", path="f.py", language="python", fmt="lazy",
                variant="lazy-2", original=original,
                edit="\n".join([M, "def a():", "    return 10", "", M]) + "\n",
                expected=expected)

    def run(o: str, e: str, fmt: str, path: str) -> str:
        return merge(o, e, fmt=fmt, path=path).text

    row = assess(case, run)
    assert row.format.kind == "ambiguous" and row.format.nearest == "gold"
    summary = summarise("lazy-2", [row], "format")
    assert (summary.ambiguous, summary.unique, summary.bound_pct) == (1, 0, 0.0)
    assert summary.engine_exact + summary.refused_ambiguous == 1


def test_agrees_with_the_mergers_sole_reading() -> None:
    # two independent implementations: the engine's last resort and this enumerator
    from splice.apply.formats.lazy import split_segments
    from splice.apply.formats.lazy.sole import sole_reading

    rng = random.Random(11)
    for _ in range(400):
        orig = [rng.choice("abc") for _ in range(rng.randint(1, 8))]
        snippet: list[str] = [M] if rng.random() < 0.7 else []
        for k in range(rng.randint(1, 3)):
            if k:
                snippet.append(M)
            snippet += [rng.choice("abcd") for _ in range(rng.randint(1, 3))]
        snippet.append(M)
        segs = split_segments(snippet, "f.py")
        assert segs is not None
        regions = sole_reading(orig, segs, [s.lines for s in segs])
        found = enumerate_readings(orig, snippet, "f.py")
        assert (regions is not None) == (found.kind == "unique"), (orig, snippet)
        if regions is not None:  # and its regions make the one file brute force finds
            merged: list[str] = []
            pos = 0
            for seg, (a, b) in zip(segs, regions, strict=True):
                merged += orig[pos:a] + seg.lines
                pos = b
            assert {tuple(merged + orig[pos:])} == _brute(orig, snippet)[0]


def test_rival_kinds() -> None:
    from splice.bench.apply_ambiguity_report import rival_kind

    gold = ["a", "", "b", "", "c"]
    assert rival_kind(gold, ["a", "", "c"]) == "deletes more"
    assert rival_kind(gold, [*gold, "", "d"]) == "keeps more"
    assert rival_kind(gold, ["a", "", "c", "", "b"]) == "elsewhere"
