"""Guessing what a text is: code, test runner output, a log, or prose."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from splice.compact.models import Kind
from splice.compact.toolformats import log_shape
from splice.compact.tooloutput import ANSI_RE
from splice.core.syntax import language_name

_TEXT_SUFFIXES = {".md", ".rst", ".txt", ".adoc", ".html", ".htm"}
_LOG_SUFFIXES = {".log", ".out", ".err"}
_CODE_SUFFIXES = {".c", ".h", ".cc", ".cpp", ".hpp", ".cs", ".rb", ".php", ".swift", ".kt",
                  ".scala", ".sh", ".bash", ".lua", ".pl", ".r", ".m", ".sql", ".toml",
                  ".yaml", ".yml", ".json", ".cfg", ".ini", ".css", ".scss", ".vue", ".ex",
                  ".exs", ".erl", ".hs", ".ml", ".zig", ".dart", ".jl"}

# Every mark but the `.py::` one is anchored at a line start: one `^` before the group
# settles most positions in one test (each anchored branch tried its own `^` at every
# position, ~8x slower); the `.py::` mark, last, starts with a `.` no anchored mark can
# start with, so no match changes.
_TEST_MARKS = re.compile(
    r"^(?:=+ test session starts =+|collected \d+ items?|Ran \d+ tests? in |=== RUN\s"
    r"|--- (FAIL|PASS): |running \d+ tests?$|test result: |Test Suites: |Tests:\s+\d"
    r"|=+ .* in [\d.]+s.*=+$|(PASSED|FAILED|ERROR) |(FAIL|ERROR): test|\s*--- FAIL"
    r"|(ok|FAIL)\s+\S+\s+[\d.]+s$|# Subtest: |not ok \d+ - |# (pass|fail) \d+$"
    r"|\s*[✓×] \S+ > |\s*Test Files\s+\d)"
    r"|\.py::\S+ (PASSED|FAILED|ERROR|SKIPPED)",
    re.MULTILINE)
_LOG_LINE = re.compile(
    r"^\s*\[?(\d{4}-\d\d-\d\d[ T]\d\d:\d\d|\d\d:\d\d:\d\d|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d)"
    r"|^\s*\[?(DEBUG|INFO|WARN|WARNING|ERROR|TRACE|FATAL|CRITICAL)\b")
_DIFF_START = re.compile(r"^(diff --git |--- \S.*\n\+\+\+ |Index: |\*\*\* Begin Patch)", re.MULTILINE)
_DIAGNOSTIC = re.compile(
    r"^\S+:\d+(?::\d+)?: (?:fatal )?(?:error|warning)\b|^\S+\(\d+,\d+\): error TS"
    r"|^\S+:\d+:\d+ - error TS|^\s+\d+:\d+\s+(?:error|warning)\s|^[A-Z]{1,4}\d{2,4} .*\n\s*--> "
    r"|^make(?:\[\d+\])?: \*\*\*|^Found \d+ errors? in \d+ files?",
    re.MULTILINE)
_JSON_KEY = re.compile(r'^\s*"[^"\n]+"\s*:', re.MULTILINE)
_CODE_LINE = re.compile(
    r"^\s*(def |class |import |from \S+ import |function |const |let |var |return\b|if \(|for \("
    r"|public |private |func |fn |package |#include|struct |impl |@\w+)|[{};]\s*$")


def detect_kind(text: str, path: str | None = None) -> Kind:
    """A path's extension decides when it is telling; else the text's first lines."""
    if path:
        if language_name(path):
            return "code"
        suffix = PurePosixPath(path).suffix.lower()
        if suffix in _LOG_SUFFIXES:
            return "log"
        if suffix in _TEXT_SUFFIXES:
            return "text"
        if suffix in _CODE_SUFFIXES:
            return "code"
    sample = text[:20000] + ("\n" + text[-5000:] if len(text) > 25000 else "")
    if "\x1b" in sample:
        sample = ANSI_RE.sub("", sample)
    marks = _TEST_MARKS.finditer(sample)  # two are enough: stop there, not at the end
    if next(marks, None) and next(marks, None):
        return "test_output"
    shape = _tool_shape(sample)
    if shape is not None:
        return shape
    lines = [line for line in sample.split("\n") if line.strip()][:300]
    if not lines:
        return "text"
    logs = sum(1 for line in lines if _LOG_LINE.search(line))
    if logs >= 0.3 * len(lines):
        return "log"
    code = sum(1 for line in lines if _CODE_LINE.search(line))
    if code >= 0.15 * len(lines):
        return "code"
    return "text"


def _tool_shape(sample: str) -> Kind | None:
    """A diff, pretty-printed JSON, or compiler/linter/type-checker diagnostics."""
    head = sample[:4000]
    if _DIFF_START.search(head) and "\n@@ " in head:
        return "diff"
    stripped = sample.lstrip()
    if stripped[:1] in ("{", "[") and len(_JSON_KEY.findall(head)) >= 3:
        return "json"
    found = _DIAGNOSTIC.finditer(sample)
    if next(found, None) and next(found, None):
        return "diagnostics"
    if log_shape(head.splitlines()) is not None:
        return "log"
    return None
