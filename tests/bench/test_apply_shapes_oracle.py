"""The corpus oracle's evidence and one-sided rules, on small hand-made snippets (the right
verdict is stated before the rule is called)."""

from __future__ import annotations

from splice.bench.apply_ambiguity import enumerate_readings
from splice.bench.apply_corpus import ChangedFile
from splice.bench.apply_shapes_model import Def, FilePlan
from splice.bench.apply_shapes_rules import (
    anchor_count,
    anchored,
    blank_edges_clear,
    edge_is_file_line,
    kept_neighbour,
)

M = "# ... existing code ..."
# two methods with the same two-line body: `return x` after `y = 1` fits both
ORIG = ["class A:", "    def f(self):", "        y = 1", "        return x", "",
        "    def g(self):", "        y = 1", "        return x", ""]
SNIPPET = [M, "        y = 1", "        return x + 1", "        return x", M]


def test_seen_lines_leave_one_reading() -> None:
    # right outcome: the writer was shown g only (lines 6-9), so the change is g's
    gold = ORIG[:7] + ["        return x + 1"] + ORIG[7:]
    blind = enumerate_readings(ORIG, SNIPPET, "a.py", gold)
    assert blind.distinct == 2  # the text alone: f or g
    narrowed = enumerate_readings(ORIG, SNIPPET, "a.py", gold, within=[(6, 9)])
    assert (narrowed.distinct, narrowed.gold_is_reading) == (1, True)


def test_seen_lines_holding_both_stay_open() -> None:
    # right outcome: refuse, the writer saw both methods
    gold = ORIG[:7] + ["        return x + 1"] + ORIG[7:]
    narrowed = enumerate_readings(ORIG, SNIPPET, "a.py", gold, within=[(1, 9)])
    assert narrowed.distinct == 2


def test_kept_neighbour_looks_past_blank_lines() -> None:
    # right outcome: the line the segment must leave alone is the code beyond the blank
    old = ["a = 1", "b = 2", "", "", "c = 3"]
    assert kept_neighbour(old, range(2, 5)) == "c = 3"
    assert kept_neighbour(old, range(1, -1, -1)) == "b = 2"
    assert kept_neighbour(["", "", "", "", "", "", "x"], range(0, 7)) is None


def test_blank_line_at_a_one_sided_edge_is_unsaid() -> None:
    # right outcome: a blank context line next to the changed lines leaves open whether
    # the blank is the file's or the new lines'; so does a blank at the open side
    assert not blank_edges_clear(["x = 1"], ["x = 2"], "", at_end=True)
    assert not blank_edges_clear(["x = 1", ""], ["x = 2"], "y = 0", at_end=True)
    assert not blank_edges_clear(["x = 1"], ["", "x = 2"], "y = 0", at_end=False)
    assert blank_edges_clear(["x = 1"], ["x = 2"], "y = 0", at_end=True)


def _plan(old: list[str], new: list[str], path: str = "a.py") -> FilePlan:
    language, comment = ("javascript", "//") if path.endswith(".js") else ("python", "#")
    file = ChangedFile(package="p", path=path, language=language,
                       old="\n".join(old) + "\n", new="\n".join(new) + "\n")
    return FilePlan(file=file, old=old, new=new, hunks=[], old_defs=[], new_defs=[],
                    comment=comment, nl="\n", final_nl=True)


def test_a_change_that_copies_a_unique_line_is_judged_not_dropped() -> None:
    # right outcome: the fix copies f's `total = compute(items)` into g; rule 3 (a line
    # the file holds once is that line) rules the real file out, so the format's plain
    # readings decide: g's segment anchors once, one reading, the intended file
    old = ["def f(items):", "    total = compute(items)", "    return total", "",
           "def g(items):", "    return 0"]
    new = old[:5] + ["    total = compute(items)", "    return 0"]
    snippet = [M, "def g(items):", "    total = compute(items)", "    return 0"]
    plan = _plan(old, new)
    assert not enumerate_readings(old, snippet, "a.py", new, cover_shown=True).gold_is_reading
    assert anchored(plan, snippet, new, [(5, 6)]) == (new, new)


def test_named_class_settles_a_context_that_fits_two_classes() -> None:
    # attrs tests/test_filters.py: `"""`, blank, `@pytest.mark.parametrize(` opens a test in
    # TestInclude and in TestExclude; the seen lines (test_allow alone) hold neither
    # context whole; the instruction names TestInclude.test_allow. Right outcome: the
    # place inside TestInclude (issue rule 4: inside the named symbol)
    old = ["class TestInclude:", '    """', "    Tests for include.", '    """', "",
           "    @pytest.mark.parametrize(", '        "incl,value",', "    )",
           "    def test_allow(self, incl, value):", "        assert incl", "",
           "class TestExclude:", '    """', "    Tests for exclude.", '    """', "",
           "    @pytest.mark.parametrize(", '        "excl,value",', "    )",
           "    def test_allow(self, excl, value):", "        assert excl"]
    plan = _plan(old, old)
    plan.old_defs = [Def("TestInclude", "class", 0, 10),
                     Def("TestInclude.test_allow", "function", 5, 10),
                     Def("TestExclude", "class", 11, 21),
                     Def("TestExclude.test_allow", "function", 16, 21)]
    block = ['    """', "", "    @pytest.mark.parametrize("]
    assert anchor_count(plan, block, 3, [(6, 10)]) == (2, 0)  # seen lines alone: refuse
    assert anchor_count(plan, block, 3, [(6, 10)], ["TestInclude.test_allow"]) == (2, 1)


def test_open_edge_that_is_a_file_line_beyond_is_no_case() -> None:
    # django-15851: `args.extend(parameters)` moved above `if dbname:`; the segment ends
    # on it, and the file holds it three lines below. The format reads it as the file's
    # line (delete up to it), similarity as a new one: no case. A new line the file does
    # not hold nearby stays a case.
    old = ["if port:", "    args += [port]", "if dbname:", "    args += [dbname]",
           "args.extend(parameters)", ""]
    plan = _plan(old, old)
    assert edge_is_file_line(plan, "args.extend(parameters)", range(2, len(old)))
    assert not edge_is_file_line(plan, "args.extend(more)", range(2, len(old)))


# click tests/test_termui.py in miniature: the new version moves `p = bar()` out of the
# `with` block and adds a blank line below it; the segment is the whole function with a
# blank line at each edge, and the file has two blank lines on each side of it
MOVED_OLD = ["x = 0", "", "", "def t(r):", "    with raises():", "        p = bar()",
             "        iter(p)", "", "", "def u():", "    pass"]
MOVED_SNIPPET = [M, "", "def t(r):", "    p = bar()", "", "    with raises():",
                 "        iter(p)", "", M]


def test_a_moved_line_is_costed_in_order() -> None:
    # right outcome: the intended file (the function rewritten, both blank lines on each
    # side kept). Matched in order, its reading changes 3 lines (drop the old `p = bar()`,
    # insert the new one and the new blank line) and each reading that also drops a
    # blank line outside the function changes 4. Matched as multisets, the new blank line
    # would pay for a dropped one out of order: those readings would cost 2, two
    # different files as near, and the verdict would be a refusal.
    new = MOVED_OLD[:2] + MOVED_SNIPPET[1:-1] + MOVED_OLD[8:]
    found = enumerate_readings(MOVED_OLD, MOVED_SNIPPET, "a.py", new)
    assert found.gold_is_nearest and found.nearest_changed_lines == 3
    assert found.nearest_margin == 1 and not found.by_rewrites
    assert anchored(_plan(MOVED_OLD, new), MOVED_SNIPPET, new, [(4, 7)]) == (new, new)


# the rule 3 example: `result = price - tax` becomes `result = price + tax`; the
# segment starts on a blank line and ends on the comment below, so it also fits the
# blank line right above the comment (keeping the old line and inserting the new one)
TAX_OLD = ["def net(price, tax):", "    price = float(price)", "",
           "    result = price - tax", "", "    # rounded to cents", "    return round(result, 2)"]


def test_as_near_readings_prefer_the_one_that_rewrites_a_line_it_resembles() -> None:
    # right outcome: the intended file, with evidence and without (the text says it:
    # the changed line replaces the line it closely resembles). Both readings change 2
    # lines; only the rewrite drops a line a changed line resembles.
    snippet = [M, "", "    result = price + tax", "", "    # rounded to cents", M]
    new = TAX_OLD[:3] + ["    result = price + tax"] + TAX_OLD[4:]
    found = enumerate_readings(TAX_OLD, snippet, "a.py", new)
    assert found.distinct == 2 and found.nearest_changed_lines == 2
    assert found.gold_is_nearest and found.by_rewrites and found.nearest_margin == 0
    assert anchored(_plan(TAX_OLD, new), snippet, new, [(1, 7)]) == (new, new)


def test_as_near_readings_that_rewrite_nothing_stay_open() -> None:
    # right outcome: refuse. `logged = True` resembles no line: replacing the old
    # `result` line or inserting beside it, the text does not say which
    snippet = [M, "", "    logged = True", "", "    # rounded to cents", M]
    new = TAX_OLD[:3] + ["    logged = True"] + TAX_OLD[4:]
    found = enumerate_readings(TAX_OLD, snippet, "a.py", new)
    assert found.nearest_distinct == 2 and not found.by_rewrites
    assert anchored(_plan(TAX_OLD, new), snippet, new, [(1, 7)]) == (None, None)


# webpack lib/RuntimeTemplate.js in miniature: a new method added under
# supportsArrowFunction, ending on the blank line below it
ENV_OLD = ["class RuntimeTemplate {", "\tsupportsArrowFunction() {",
           "\t\treturn this.outputOptions.environment.arrowFunction;", "\t}", "",
           "\tsupportsOptionalChaining() {",
           "\t\treturn this.outputOptions.environment.optionalChaining;", "\t}", "",
           "\tsupportsForOf() {", "\t\treturn this.outputOptions.environment.forOf;", "\t}",
           "}"]
JM = "// ... existing code ..."
ENV_SNIPPET = [JM, *ENV_OLD[1:5], "\tsupportsAsyncFunction() {",
               "\t\treturn this.outputOptions.environment.asyncFunction;", "\t}", "", JM]


def test_seen_lines_narrow_before_the_rewrite_tie_break() -> None:
    # right outcome: with the seen lines (the class head and supportsArrowFunction,
    # lines 1-4), the method inserted; blind, nothing (must refuse). The text alone fits
    # lines 2-5 (insert, 4 changed lines) and lines 2-9 (write the new method over
    # supportsOptionalChaining, which it resembles: 4 changed lines, 2 rewrites): by
    # the tie-break the text reads as the rewrite, but that reading's last edge (the
    # `}` of supportsOptionalChaining) lies outside what the writer was shown; rule 4
    # narrows the readings first, the tie-break ranks what is left
    new = ENV_OLD[:5] + ENV_SNIPPET[5:9] + ENV_OLD[5:]
    found = enumerate_readings(ENV_OLD, ENV_SNIPPET, "a.js", new)
    assert found.by_rewrites and found.gold_is_nearest is False
    plan = _plan(ENV_OLD, new, "a.js")
    assert anchored(plan, ENV_SNIPPET, new, [(1, 4)]) == (new, None)
    assert anchored(plan, ENV_SNIPPET, new, [(1, 9)]) is None  # both shown: the rewrite


def test_seen_lines_that_hold_only_another_place_make_no_case() -> None:
    # the context fits f (lines 2-4) and g (6-8); the intended place is f, but the writer
    # was shown g only: the evidence names the other place, so the snippet is no case
    # (neither "the intended file" nor "must refuse")
    plan = _plan(ORIG, ORIG)
    block = ["        y = 1", "        return x"]
    assert anchor_count(plan, block, 2, [(6, 9)]) is None
    assert anchor_count(plan, block, 6, [(6, 9)]) == (2, 1)  # shown and intended: settled
    assert anchor_count(plan, block, 2, [(1, 9)]) == (2, 2)  # both shown: refuse
