"""Property: lazy edits written the way models write them, on real-ish Python modules
(classes, methods, decorators, repeated names and bodies), give the intended file or a
refusal, never another file.

A module is drawn as a list of functions and classes from a small vocabulary (so names
and lines repeat, as in real code); one definition is changed (a line edited, its last
line replaced by several, a line added) and the edit is written in one of the shapes of
issue 13: the whole new definition between markers, the same with the closing (or
opening) marker forgotten, context above the change only, context below only.
"""

from __future__ import annotations

import difflib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from splice.apply import ApplyError, merge

NAMES = ["load", "save", "get", "run", "close"]
BODY = ["x = compute(a)", "y = x + 1", "if x:", "    y = 0", "items.append(y)",
        "total += y", "log.debug(x)", "result = transform(y)"]
ENDS = ["return y", "return x", "return result", "return None"]
M = "# ... existing code ..."


@st.composite
def function(draw: st.DrawFn, indent: str) -> list[str]:
    name = draw(st.sampled_from(NAMES))
    head = [f"{indent}@cached"] if draw(st.booleans()) and indent == "" else []
    args = draw(st.sampled_from(["a", "a, b", "self, a"]))
    body = draw(st.lists(st.sampled_from(BODY), min_size=1, max_size=5))
    if body[-1] == "if x:":
        body.append("    y = 0")
    body = [b for i, b in enumerate(body) if not (b == "    y = 0" and (
        i == 0 or body[i - 1] != "if x:"))]
    end = draw(st.sampled_from(ENDS))
    return [*head, f"{indent}def {name}({args}):",
            *(f"{indent}    {b}" for b in body or ["pass"]), f"{indent}    {end}"]


@st.composite
def module(draw: st.DrawFn) -> list[list[str]]:
    """Top-level units (functions and classes), each a list of lines."""
    units: list[list[str]] = []
    for k in range(draw(st.integers(2, 5))):
        if draw(st.booleans()):
            methods = draw(st.lists(function("    "), min_size=1, max_size=3))
            lines = [f"class C{k}:"]
            for i, m in enumerate(methods):
                lines += ([""] if i else []) + m
            units.append(lines)
        else:
            units.append(draw(function("")))
    return units


def _join(units: list[list[str]]) -> list[str]:
    out: list[str] = ["import os"]
    for u in units:
        out += ["", "", *u]
    return out


def _text(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


@st.composite
def case(draw: st.DrawFn) -> tuple[str, str, str]:
    units = draw(module())
    k = draw(st.integers(0, len(units) - 1))
    unit = units[k]
    defs = [i for i, x in enumerate(unit) if x.lstrip().startswith("def ")]
    d = draw(st.sampled_from(defs))
    indent = unit[d][:len(unit[d]) - len(unit[d].lstrip())]
    end = next((i for i in range(d + 1, len(unit)) if not unit[i].startswith(indent + " ")),
               len(unit))
    old_def = unit[d:end]
    change = draw(st.sampled_from(["edit", "last", "add"]))
    new_def = list(old_def)
    if change == "edit" and len(new_def) > 2:
        i = draw(st.integers(1, len(new_def) - 2))
        new_def[i] = new_def[i].rstrip() + "  # changed"
    elif change == "last":
        body = indent + "    "
        new_def[-1:] = [f"{body}return (", f"{body}    helper(y)", f"{body})"]
    else:
        i = draw(st.integers(1, len(new_def) - 1))
        new_def.insert(i, indent + "    checked = True")
    before = _join(units)
    new_unit = unit[:d] + new_def + unit[end:]
    after = _join(units[:k] + [new_unit] + units[k + 1:])
    shape = draw(st.sampled_from(["whole", "no-close", "no-open", "ctx-above", "ctx-below"]))
    marker = indent + M
    if shape == "whole":
        edit = [marker, *new_def, marker]
    elif shape == "no-close":
        edit = [marker, *new_def]
    elif shape == "no-open":
        edit = [*new_def, marker]
    else:  # context on one side only: 2 unchanged lines above (or below) the change
        ops = [o for o in difflib.SequenceMatcher(None, old_def, new_def).get_opcodes()
               if o[0] != "equal"]
        _, i1, i2, j1, j2 = ops[0]
        below = old_def[i2:i2 + 2]
        if shape == "ctx-above" or not below:
            edit = [marker, *new_def[max(j1 - 2, 0):j2], marker]
        else:
            edit = [marker, *new_def[j1:j2], *below, marker]
    return _text(before), _text(edit), _text(after)


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case())
def test_model_shaped_edits_give_the_intended_file_or_a_refusal(
        made: tuple[str, str, str]) -> None:
    before, edit, after = made
    try:
        result = merge(before, edit, path="mod.py")
    except ApplyError:
        return
    if result.already_applied:
        assert result.text == before
        return
    assert result.text == after, edit
