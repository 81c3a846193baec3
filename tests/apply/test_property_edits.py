"""Property: every edit a writer could send gives the intended file or a refusal, never a
third text. Files of small functions whose lines repeat (so anchors are often ambiguous),
one line changed, sent as SEARCH/REPLACE (also with a context line mis-copied), a whole
definition between markers, or a udiff."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from splice.apply import merge
from splice.core.errors import ApplyError

POOL = ["x = 1", "y = 2", "x = y", "y = x + 1", "print(x)", "log(x, y)", "x += 1"]
MARKER = "# ... existing code ..."


def render(funcs: list[list[str]]) -> list[str]:
    out: list[str] = []
    for i, body in enumerate(funcs):
        if out:
            out += ["", ""]
        out.append(f"def f{i}(x, y):")
        out += [f"    {line}" for line in body]
    return out


@st.composite
def cases(draw: st.DrawFn, kinds: tuple[str, ...]) -> tuple[str, str, str]:
    funcs = draw(st.lists(st.lists(st.sampled_from(POOL), min_size=1, max_size=5),
                          min_size=1, max_size=5))
    i = draw(st.integers(0, len(funcs) - 1))
    j = draw(st.integers(0, len(funcs[i]) - 1))
    new_line = draw(st.sampled_from([p for p in POOL if p != funcs[i][j]] + ["return y"]))
    changed = [list(b) for b in funcs]
    changed[i][j] = new_line
    old, new = render(funcs), render(changed)
    at = next(k for k, (a, b) in enumerate(zip(old, new, strict=True)) if a != b)
    kind = draw(st.sampled_from(kinds))
    ctx = draw(st.integers(0, 3))
    lo, hi = max(0, at - ctx), min(len(old), at + 1 + ctx)
    if kind in ("sr", "sr-typo"):
        search, replace = old[lo:hi], new[lo:hi]
        if kind == "sr-typo":  # a context line mis-copied on both sides (two letters swapped)
            spots = [k for k in range(len(search)) if lo + k != at and len(search[k]) >= 12]
            if spots:
                k = draw(st.sampled_from(spots))
                line = search[k]
                c = draw(st.integers(4, len(line) - 2))
                typo = line[:c] + line[c + 1] + line[c] + line[c + 2:]
                search, replace = list(search), list(replace)
                search[k] = replace[k] = typo
        edit = ("<<<<<<< SEARCH\n" + "\n".join(search) + "\n=======\n"
                + "\n".join(replace) + "\n>>>>>>> REPLACE\n")
    elif kind == "udiff":
        body = [f" {x}" for x in old[lo:at]] + [f"-{old[at]}", f"+{new[at]}"] + \
            [f" {x}" for x in old[at + 1:hi]]
        edit = (f"--- a/m.py\n+++ b/m.py\n@@ -{lo + 1},{hi - lo} +{lo + 1},{hi - lo} @@\n"
                + "\n".join(body) + "\n")
    else:
        start = new.index(f"def f{i}(x, y):")
        end = start + 1 + len(changed[i])
        edit = "\n".join([MARKER, *new[start:end], MARKER]) + "\n"
    return "\n".join(old) + "\n", edit, "\n".join(new) + "\n"


def check(case: tuple[str, str, str]) -> None:
    original, edit, expected = case
    try:
        result = merge(original, edit, path="m.py")
    except ApplyError:
        return
    assert result.text == expected, f"edit:\n{edit}\ngot:\n{result.text}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(("sr", "sr-typo", "udiff")))
def test_a_hunk_edit_gives_the_intended_file_or_a_refusal(case: tuple[str, str, str]) -> None:
    check(case)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(("lazy-def",)))
def test_a_whole_definition_gives_the_intended_file_or_a_refusal(
        case: tuple[str, str, str]) -> None:
    check(case)
