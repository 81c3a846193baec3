"""Which lines of each kind of tool output a reader must get back: the error and failure
lines and the summary, by each tool's own format. Written from the tools' documented
formats and their raw output, before splice compacted any of it, and never tuned on what
splice keeps. Lines are matched after ANSI codes are stripped (as splice shows them).
"""

from __future__ import annotations

import re

GOLD_RULES: dict[str, re.Pattern[str]] = {
    # the per-test FAIL/ERROR verdicts, each failure's header and exception, the summary
    "unittest": re.compile(r"\.\.\. (FAIL|ERROR)\s*$|^(FAIL|ERROR): |^\w+(Error|Exception)\b"
                           r"|^Ran \d+ tests? in |^(FAILED|OK)\b"),
    # t.Errorf/t.Fatalf messages (file_test.go:N: ...), FAIL lines, panics, package verdicts
    "go_test": re.compile(r"^\s+\w+_test\.go:\d+: |^\s*--- FAIL: |^FAIL\b|^ok\s|^panic: "),
    # failing tests (✕), each failure's title (●) and its Expected/Received, the tallies
    "jest": re.compile(r"✕|^\s*● |^\s*(Expected|Received):|^(Tests|Test Suites):|^FAIL "),
    "vitest": re.compile(r"^\s*×|^\s*→ |^\s*FAIL |AssertionError|^\s*(Expected|Received):"
                         r"|^\s*[-+] (Expected|Received)$|^\s*(Test Files|Tests)\s"),
    # each error (its message can wrap onto a second line ending in the [code]), the total
    "mypy": re.compile(r":\d+: error: |^\S.*\[[a-z-]+\]\s*$|^Found \d+ errors? "),
    # each diagnostic's header (CODE message) and location, the total
    "ruff": re.compile(r"^[A-Z]+\d+ |^\s*--> |^Found \d+ errors?"),
    "tsc": re.compile(r" error TS\d+: |^Found \d+ errors?"),
    # errors (warnings are not), the problem tally
    "eslint": re.compile(r"^\s+\d+:\d+\s+error\s|^✖ \d+ problems?"),
    "pip_install": re.compile(r"^\s*(error|ERROR):|^\s*× "),
    "npm_install": re.compile(r"^npm error |^npm ERR! "),
    "make": re.compile(r": error: |^make: \*\*\*|^make: Target .* not remade"),
    # each commit and its subject line (the first line of the message)
    "git_log": re.compile(r"^commit [0-9a-f]{7,40}\b"),
    # which file, which hunk, which lines changed
    "git_diff": re.compile(r"^diff --git |^@@ |^[-+](?![-+]{2} )"),
    # a diagnostic's code, message and file (top-level fields of each object in the list)
    "json": re.compile(r'^ {4}"(code|message|filename)": '),
}
SUBJECT_AFTER = re.compile(r"^Date: ")  # git log: the subject is the next non-blank line


def gold_line_numbers(kind: str, lines: list[str]) -> list[int]:
    """0-based indices of the lines of `lines` (ANSI-stripped) the rule for `kind` marks."""
    rule = GOLD_RULES[kind]
    gold = [i for i, line in enumerate(lines) if rule.search(line.rstrip("\r\n"))]
    if kind == "git_log":
        for i, line in enumerate(lines):
            if SUBJECT_AFTER.match(line):
                j = i + 1
                while j < len(lines) and not lines[j].strip():
                    j += 1
                if j < len(lines):
                    gold.append(j)
    return sorted(set(gold))
