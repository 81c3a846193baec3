"""Tool output: test runs and logs.

Cleaning keeps line numbers: ANSI codes go, a carriage-return progress line keeps what
was last drawn, a very long line is cut in the middle with a marker. Test runs (pytest,
unittest, go test, cargo test, jest) score failures, tracebacks, assertion diffs and the
summary high and passing noise at zero; logs score errors and warnings, and repeated
lines (also ones differing only in numbers, ids or timestamps) are never kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
# (0x..., runs of 8+ hex digits, digits): every branch starts with one character from a
# set, written so, which lets the regex engine skip the other characters in C
_VARYING = re.compile(r"0x[0-9a-fA-F]+|[0-9a-fA-F][0-9a-fA-F]{7,}|\d\d*")

SUMMARY, FAILURE, ERROR, BLOCK, SECTION, PLAIN, FRAME, NOISE = 10.0, 8.0, 6.0, 4.0, 2.0, 0.5, 0.1, 0.0
REPEAT = -1.0


class Rule:
    """A yes-or-no test of one line: branches anchored at the line's start, tried there
    only, and branches that may match anywhere, searched only when one of their `needles`
    (a literal every such branch contains) is on the line. A failing search of a long
    line costs microseconds; a substring check costs tens of nanoseconds, and most lines
    hold no needle. With IGNORECASE the needles are looked for in the lowered line, which
    matches as the regex does only on ASCII lines, so other lines go to the regex."""

    __slots__ = ("_at_start", "_anywhere", "needles", "_folded", "regex")

    def __init__(self, at_start: str, anywhere: str = "", needles: tuple[str, ...] = (),
                 flags: int = 0) -> None:
        if not at_start:
            raise ValueError("a Rule needs branches anchored at the start; use a regex")
        self._at_start = re.compile(f"(?:{at_start})", flags).match
        self._anywhere = re.compile(anywhere, flags).search if anywhere else None
        self.needles = needles
        self._folded = bool(flags & re.IGNORECASE)
        # the rule as one pattern: what `search` answers, used by the tests
        self.regex = re.compile(f"^(?:{at_start})" + (f"|{anywhere}" if anywhere else ""),
                                flags)

    def search(self, line: str) -> bool:
        if self._at_start(line):
            return True
        if self._anywhere is None:
            return False
        if not self._folded:
            hay = line
        elif line.isascii():
            hay = line.lower()
        else:
            return self._anywhere(line) is not None
        for needle in self.needles:
            if needle in hay:
                return self._anywhere(line) is not None
        return False


# Branches anchored at the line's start sit in the first part of each rule; the others
# (searched anywhere) in the second, with the literals they cannot match without.
_TEST_RULES: list[tuple[float, Rule]] = [
    (SUMMARY, Rule(
        r"=+ .*\b(passed|failed|errors?|skipped|xfailed|xpassed|no tests ran|deselected)\b.* in [\d.]+s.*=+\s*$"
        r"|Ran \d+ tests? in |(OK|FAILED)( \(.*\))?\s*$|(ok|FAIL)\s+\S+\s+[\d.]+s|(PASS|FAIL)\s*$"
        r"|test result: |(Tests|Test Suites|Snapshots):\s+\d"
        r"|error: test failed|error: could not compile"
        r"|# (tests|pass|fail|cancelled|skipped|todo) \d+\s*$")),
    (FAILURE, Rule(
        r"=+ (FAILURES|ERRORS|short test summary info) =+\s*$|_{3,} .+ _{3,}\s*$"
        r"|(FAILED|ERROR) \S|(FAIL|ERROR): \S|\s*--- FAIL: |panic: |---- .+ stdout ----"
        r"|failures:\s*$|\s+●|error(\[E\d+\])?: |not ok \d+")),
    (ERROR, Rule(
        r"E\s|>\s|\s*Traceback \(most recent call last\)|\s*File \".+\", line \d+"
        r"|[\w./\\-]+:\d+: |\s*-->\s|\s*(Expected|Received|expected|actual|left|right)\b",
        r"Error\b|Exception\b|\bassert(ion)?\b|panicked at",
        ("error", "exception", "assert", "panicked at"), re.IGNORECASE)),
    # frames inside the runtime, the test runner or the standard library: rarely the cause
    (FRAME, Rule(
        r"\s+at /rustc/|\s+\d+: (core|std|alloc|__rustc)::|\s+\d+: <fn\(\)"
        r"|\s+(async )?Test\.\w+ \(node:|\s+at node:|\s*note: Some details are omitted"
        r"|\s+\d+ ?\|",  # a quoted source line under a failure (jest, vitest)
        r"\(node:internal/", ("(node:internal/",))),
    (NOISE, Rule(
        r"\s*[|\s]*[\^~]+\s*$|[=⎯-]{10,}\s*$|\s*duration_ms: [\d.]+\s*$|ok \d+ - |# Subtest: |\s*(---|\.\.\.)\s*$|(platform |rootdir: |configfile: |plugins: |cachedir: |benchmark: |hypothesis profile "
        r"|asyncio: mode|Using --randomly-seed|collecting \.\.\.)|\s*=== (RUN|PAUSE|CONT)\b|\s*--- PASS: |test .+ \.\.\. ok\s*$"
        r"|\s*[✓√]|[\w/.:-]+ [.sxFE]+\s*(\[\s*\d+%\])?\s*$|\s*[.sxFE]{4,}\s*(\[\s*\d+%\])?\s*$",
        r"\bPASSED\b|\bSKIPPED\b|\bXFAIL\b|\.\.\. ok\s*$", ("PASSED", "SKIPPED", "XFAIL", "... ok"))),
    (SECTION, Rule(r"=+ .+ =+\s*$|-{10,}\s*$|={10,}\s*$")),
]
_BLOCK_START = re.compile(
    r"^=+ (FAILURES|ERRORS) =+\s*$|^(FAIL|ERROR): \S|^\s*--- FAIL: |^---- .+ stdout ----|^\s+●|^panic: "
    r"|^not ok \d+")
_BLOCK_END = re.compile(
    r"^=+ (?!FAILURES|ERRORS)[^=]+ =+\s*$|^Ran \d+ tests? in |^test result: |^(Tests|Test Suites):"
    r"|^(ok|FAIL)\s+\S+\s+[\d.]+s|^\s*--- PASS: |^=== RUN|^# Subtest: |^1\.\.\d+\s*$|^ok \d+ ")

_BLOCK_START_FIRST = frozenset("=FE-pn")   # first characters _BLOCK_START can match
_BLOCK_END_FIRST = frozenset("=RtTo F-#1")  # and _BLOCK_END (whitespace checked apart)

_LOG_RULES: list[tuple[float, re.Pattern[str]]] = [
    (ERROR, re.compile(r"\b(ERROR|FATAL|CRITICAL|SEVERE|PANIC|Traceback|Exception|panic)\b"
                       r"|\berror\b|\bfailed\b|\bfailure\b")),
    (SECTION, re.compile(r"\b(WARN|WARNING)\b|\bwarning\b")),
    (BLOCK, re.compile(r"^\s+(at |File \"|\.\.\.)|^\s*Caused by")),
]


def clean_line(line: str, max_chars: int) -> str:
    """ANSI codes stripped, the last frame of a \\r-redrawn line, long lines cut."""
    ending = "\n" if line.endswith("\n") else ""
    body = line[:-1] if ending else line
    if "\x1b" in body:
        body = ANSI_RE.sub("", body)
    if "\r" in body.rstrip("\r"):
        tail = body.endswith("\r")
        frames = [f for f in body.rstrip("\r").split("\r") if f]
        body = (frames[-1] if frames else "") + ("\r" if tail else "")
    if max_chars > 0 and len(body) > max_chars:
        head = max_chars * 2 // 3
        keep_tail = max_chars - head
        cut = len(body) - head - keep_tail
        body = f"{body[:head]} … (cut {cut} chars) … {body[-keep_tail:]}"
    return body + ending


def clean_lines(lines: list[str], max_chars: int) -> list[str]:
    out = []
    for line in lines:
        if "\x1b" in line or "\r" in line[:-2] or len(line) > max_chars > 0:
            line = clean_line(line, max_chars)
        out.append(line)
    return out


def repeat_flags(lines: list[str], window: int = 3, min_run: int = 2) -> list[bool]:
    """True for a line equal, numbers/hex/ids aside, to one of the `window` non-blank
    lines before it (so runs and short cycles of near-identical lines collapse), when at
    least `min_run` such lines come in a row (one marker for one line saves nothing)."""
    flags = _repeats(lines, window)
    i, n = 0, len(flags)
    while i < n:
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < n and (flags[j] or not lines[j].strip()):
            j += 1
        if sum(flags[i:j]) < min_run:
            flags[i:j] = [False] * (j - i)
        i = j
    return flags


def _repeats(lines: list[str], window: int) -> list[bool]:
    flags = [False] * len(lines)
    recent: list[str] = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        key = _VARYING.sub("#", stripped) if _has_digit(stripped) else stripped
        if key in recent:
            flags[i] = True
        else:
            recent.append(key)
            if len(recent) > window:
                recent.pop(0)
    return flags


_ASCII_DIGIT = re.compile("[0-9]")


def _has_digit(text: str) -> bool:
    """any(c.isdigit() for c in text): on ASCII text (where only 0-9 are digits) by one
    regex scan, else iterated in C."""
    if text.isascii():
        return _ASCII_DIGIT.search(text) is not None
    return any(map(str.isdigit, text))


class _LineTest(Protocol):
    def search(self, line: str, /) -> object: ...


def _classify(line: str, rules: Sequence[tuple[float, _LineTest]]) -> float:
    for value, pattern in rules:
        if pattern.search(line):
            return value
    return PLAIN


def _classify_test(line: str) -> float:
    # the bulk of a verbose run is passing tests: settle those without the regexes
    if "PASSED" in line or line.endswith(" ok"):
        return SUMMARY if _TEST_RULES[0][1].search(line) else NOISE
    return _classify(line, _TEST_RULES)


def test_output_scores(lines: list[str]) -> list[float]:
    scores = []
    blocks = []
    in_block = False
    for line in lines:
        body = line.rstrip("\r\n")
        # every block pattern is anchored at the start: a line whose first character
        # can begin none of them needs no search
        first = body[:1]
        if (first in _BLOCK_START_FIRST or first.isspace()) and _BLOCK_START.search(body):
            in_block = True
        elif in_block and (first in _BLOCK_END_FIRST or first.isspace()) and \
                _BLOCK_END.search(body):
            in_block = False
        filled = not body.isspace() if body else False
        value = _classify_test(body) if filled else NOISE
        if in_block and PLAIN <= value < BLOCK and filled:
            value = BLOCK
        scores.append(value)
        blocks.append(in_block)
    repeats = repeat_flags(lines)
    # inside a failure's traceback every line is context: nothing counts as a repeat
    return [REPEAT if r and not b and v < FAILURE else v
            for v, r, b in zip(scores, repeats, blocks, strict=True)]


def log_scores(lines: list[str]) -> list[float]:
    scores = [_classify(line, _LOG_RULES) if line.strip() else NOISE for line in lines]
    n = len(lines)
    for i in range(max(0, n - 10), n):  # how a log ends is usually why it was read
        scores[i] += SECTION
    for i in range(min(3, n)):
        scores[i] += 1.0
    repeats = repeat_flags(lines)
    return [REPEAT if r else v for v, r in zip(scores, repeats, strict=True)]

