"""The fuzzy rung pairs lines one to one: it never deletes, duplicates or reorders a line
the edit does not mention; a SEARCH of another length than its stretch is refused."""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.core.errors import NoMatch

BODY = [f"    value_{i} = compute_step_{i}(value_{i - 1}, factor={i})" for i in range(1, 21)]
ORIGINAL = "def pipeline(value_0):\n" + "\n".join(BODY) + "\n    return value_20\n\n\n" \
    "def other():\n    return None\n"


def sr(search: list[str], replace: list[str]) -> str:
    return ("<<<<<<< SEARCH\n" + "\n".join(search) + "\n=======\n" + "\n".join(replace)
            + "\n>>>>>>> REPLACE\n")


def test_search_missing_a_line_is_refused_side_by_side() -> None:
    search = BODY[:9] + BODY[10:] + ["    return value_20"]
    replace = BODY[:9] + BODY[10:] + ["    return value_20 * 2"]
    with pytest.raises(NoMatch) as info:
        merge(ORIGINAL, sr(search, replace), path="p.py")
    message = str(info.value)
    assert "leaves out 1 line" in message
    assert "compute_step_10" in message  # the line the edit left out, shown beside it


def test_search_with_an_added_line_is_refused() -> None:
    extra = "    value_x = compute_extra(value_9)"
    search = BODY[:10] + [extra] + BODY[10:] + ["    return value_20"]
    replace = BODY + ["    return value_20 * 2"]
    with pytest.raises(NoMatch) as info:
        merge(ORIGINAL, sr(search, replace), path="p.py")
    assert "adds 1 line" in str(info.value)


def test_typo_on_an_aligned_line_still_merges_and_keeps_the_files_line() -> None:
    typo = BODY[4].replace("compute_step_5", "compute_setp_5")
    search = BODY[:4] + [typo] + BODY[5:] + ["    return value_20"]
    replace = BODY[:4] + [typo] + BODY[5:] + ["    return value_20 * 2"]
    result = merge(ORIGINAL, sr(search, replace), path="p.py")
    assert result.rungs == ["fuzzy"]
    assert result.text == ORIGINAL.replace("return value_20\n", "return value_20 * 2\n")


def test_a_line_that_stands_elsewhere_in_the_file_is_not_taken_for_a_typo() -> None:
    original = ("def make(limit):\n"
                "    result_total = compute_value(alpha, beta, gamma)\n"
                "    result_totals = compute_value(alpha, beta, gamma)\n"
                "    refill = sleep(millis_per_token).pipe(limit)\n"
                "    return refill\n")
    # the writer left out the second line: the SEARCH's first line is not a mistyped
    # second line (it stands one line up, exactly as written)
    edit = sr(["    result_total = compute_value(alpha, beta, gamma)",
               "    refill = sleep(millis_per_token).pipe(limit)"],
              ["    result_total = compute_value(alpha, beta, gamma)",
               "    latch = make_semaphore(0)",
               "    refill = sleep(millis_per_token).pipe(limit)"])
    with pytest.raises(NoMatch):
        merge(original, edit, path="p.py")


# A SEARCH that leaves out one of several closing braces still lines up with the file
# when lines are compared without their indentation (`}` is `}`): the fuzzy rung then
# paired the block's method-level `}` with the file's `}` one level in, kept the method's
# `}` below it, and the merge inserted its new lines inside the wrong block (eslint
# 8.56.0's processOptions, written as a model writes it from memory).
JS = ("function processOptions(unknownOptionKeys, errors) {\n"
      "    if (unknownOptionKeys.length) {\n"
      "        if (unknownOptionKeys.includes(\"rulePaths\")) {\n"
      "            errors.push(\"'rulePaths' has been removed.\");\n"
      "        }\n"
      "    }\n"
      "    return errors;\n"
      "}\n")


def test_a_brace_at_another_depth_is_not_a_whitespace_difference() -> None:
    search = ["        if (unknownOptionKeys.includes(\"rulePaths\")) {",
              "            errors.push(\"'rulePaths' has been removed.\");",
              "    }"]
    replace = search[:2] + ["        if (unknownOptionKeys.includes(\"ignore\")) {",
                            "            errors.push(\"'ignore' has been removed.\");",
                            "        }", "    }"]
    # right outcome: refuse (the block's `    }` is line 6 of the file, and line 5 is
    # left out): shown beside the file, the left-out line marked
    with pytest.raises(NoMatch) as info:
        merge(JS, sr(search, replace), path="a.js")
    message = str(info.value)
    assert "indented differently" in message
    assert ">     5 |         }" in message


def test_a_block_reindented_as_a_whole_still_merges_by_its_typo() -> None:
    # every line one level in (a constant shift) and one typo: still one to one
    search = ["    " + line for line in BODY[:6]]
    search[3] = search[3].replace("compute_step_4", "compute_setp_4")
    replace = search[:5] + ["        value_6 = 0"]
    result = merge(ORIGINAL, sr(search, replace), path="p.py")
    assert result.rungs == ["fuzzy"]
    assert result.text == ORIGINAL.replace(BODY[5] + "\n", "    value_6 = 0\n")
