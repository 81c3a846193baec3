"""Tool output beyond test runs: diagnostics (type checkers, linters, compilers, make),
diffs, JSON, and logs with a known shape (pip and npm installs, git log).

Each scorer gives the lines a reader acts on (an error, where it is, the tally) a score
well above the keep threshold, and the rest (warnings, notes, source excerpts under a
diagnostic, carets, verbose chatter, unchanged diff context) a score below it, so with no
budget only what matters stays; a budget then fills in by score.
"""

from __future__ import annotations

import re

from splice.compact.models import Kind
from splice.compact.tooloutput import (
    BLOCK,
    ERROR,
    FAILURE,
    FRAME,
    NOISE,
    SECTION,
    SUMMARY,
    log_scores,
    test_output_scores,
)

# -- diagnostics ---------------------------------------------------------------------------
_DIAG_ERROR = re.compile(
    r":\d+(?::\d+)?:? (?:fatal )?error\b|: error: | - error TS\d+|\berror TS\d+:"
    r"|^\s+\d+:\d+\s+error\s|^[A-Z]{1,4}\d{2,4} |^error(\[\w+\])?: |^\s*--> \S+:\d+"
    r"|^make(\[\d+\])?: \*\*\*|^ERROR\b")
_DIAG_SUMMARY = re.compile(
    r"^Found \d+ errors?|^✖ \d+ problems?|^make(\[\d+\])?: Target .* not remade"
    r"|^(Success|All checks passed)|^error: could not compile|^\d+ errors? generated"
    r"|^Errors\s+Files\s*$")
_DIAG_WARNING = re.compile(r":\d+(?::\d+)?:? warning\b|^\s+\d+:\d+\s+warning\s|^warning: ")
_DIAG_FILE = re.compile(r"^/?[\w./-]+\.\w+\s*$")  # eslint's file heading
_DIAG_SOURCE = re.compile(r"^\s*\d*\s*\|")      # a quoted source line or a caret under it


def diagnostic_scores(lines: list[str]) -> list[float]:
    """Errors and where they are: each error line (and an unindented line that wraps its
    message), the file heading an error sits under, the tally; warnings, notes and quoted
    source below the threshold."""
    scores: list[float] = []
    prev_error = False
    for line in lines:
        body = line.rstrip("\r\n")
        if not body.strip():
            scores.append(NOISE)
            prev_error = False
            continue
        if _DIAG_SUMMARY.search(body):
            value = SUMMARY
        elif _DIAG_ERROR.search(body):
            value = ERROR
        elif prev_error and not body[0].isspace() and not _DIAG_SOURCE.match(body) \
                and ": note:" not in body and not _DIAG_WARNING.search(body):
            value = ERROR  # the message of the error above, wrapped
        elif _DIAG_WARNING.search(body):
            value = FRAME
        elif _DIAG_FILE.match(body):
            value = FRAME  # raised below when an error sits under it
        else:
            value = NOISE + 0.05 if not _DIAG_SOURCE.match(body) else NOISE
        prev_error = value == ERROR and not body.rstrip().endswith("]")
        scores.append(value)
    _file_headings(lines, scores)
    return scores


def _file_headings(lines: list[str], scores: list[float]) -> None:
    """A file heading (eslint's stylish format) counts when an error is listed under it."""
    heading = -1
    for i, line in enumerate(lines):
        if _DIAG_FILE.match(line.rstrip("\r\n")) and not line[0].isspace():
            heading = i
        elif heading >= 0 and scores[i] == ERROR:
            scores[heading] = SECTION
            heading = -1


# -- diffs ---------------------------------------------------------------------------------
def diff_scores(lines: list[str]) -> list[float]:
    """File and hunk headers and changed lines; unchanged context only by the query."""
    scores = []
    for line in lines:
        if line.startswith(("diff --git ", "@@ ", "--- ", "+++ ", "*** Begin", "*** Update")):
            scores.append(SECTION if not line.startswith(("--- ", "+++ ")) else FRAME)
        elif line.startswith(("+", "-")):
            scores.append(BLOCK)
        elif line.startswith(("index ", "new file mode", "deleted file mode", "similarity ")):
            scores.append(NOISE)
        else:
            scores.append(FRAME)
    return scores


# -- JSON ----------------------------------------------------------------------------------
_JSON_KEY = re.compile(r'^\s*"([^"]+)"\s*:')
_JSON_TELLING = frozenset(
    "message msg error errors reason detail details code status file filename path".split())


def json_scores(lines: list[str]) -> list[float]:
    """Pretty-printed JSON: lines whose key says what went wrong or where, at the
    shallowest depth such keys hold values (each record's own fields, not the ones nested
    in it); brackets, other keys and deeper fields only by the query."""
    telling: list[tuple[int, int]] = []  # (line, depth) of telling keys holding a value
    for i, line in enumerate(lines):
        m = _JSON_KEY.match(line)
        if m and m.group(1).lower() in _JSON_TELLING and not line.rstrip().endswith(("{", "[")):
            telling.append((i, len(line) - len(line.lstrip())))
    scores = [FRAME if _JSON_KEY.match(line) else NOISE for line in lines]
    if telling:
        top = min(depth for _, depth in telling)
        for i, depth in telling:
            scores[i] = BLOCK if depth == top else FRAME
    return scores


# -- logs with a known shape ---------------------------------------------------------------
_GIT_COMMIT = re.compile(r"^commit [0-9a-f]{7,40}\b")
_INSTALL_ERROR = re.compile(r"^\s*(error|ERROR)(\[\w+\])?:|^\s*× |^npm (error|ERR!) "
                            r"|^\s*(\w+\.)*\w*(Error|Exception): ")
_INSTALL_SUMMARY = re.compile(r"^Successfully installed |^added \d+ packages?|^up to date")


def git_log_scores(lines: list[str]) -> list[float]:
    """Each commit line and its subject; author, date, body and stat below the threshold."""
    scores = [NOISE + 0.05 if line.strip() else NOISE for line in lines]
    subject_next = False
    for i, line in enumerate(lines):
        if _GIT_COMMIT.match(line):
            scores[i] = FAILURE
        elif line.startswith("Date: "):
            subject_next = True
        elif subject_next and line.strip():
            scores[i] = ERROR
            subject_next = False
    return scores


def install_scores(lines: list[str]) -> list[float]:
    """pip / npm: the error lines and the outcome; progress and verbose chatter below."""
    scores = []
    for line in lines:
        body = line.rstrip("\r\n")
        if _INSTALL_ERROR.search(body):
            scores.append(ERROR)
        elif _INSTALL_SUMMARY.search(body):
            scores.append(SUMMARY)
        elif re.search(r"\b(WARNING|warn)\b", body):
            scores.append(FRAME)
        else:
            scores.append(NOISE + 0.05 if body.strip() else NOISE)
    return scores


LOG_SHAPES = {"git_log": git_log_scores, "install": install_scores}


def log_shape(lines: list[str]) -> str | None:
    """Which known log this is, from its first lines."""
    head = lines[:60]
    if sum(1 for line in head if _GIT_COMMIT.match(line)) >= 1 and any(
            line.startswith(("Author: ", "Date: ")) for line in head):
        return "git_log"
    if any(line.startswith(("npm verbose", "npm info", "npm error", "npm ERR!", "Collecting ",
                            "Using pip ", "Processing ", "Requirement already", "Looking in"))
           for line in head):
        return "install"
    return None


def tool_scores(kind: Kind, lines: list[str]) -> list[float]:
    """Each line's score by the shape of the tool output (before the query's share)."""
    if kind == "test_output":
        return test_output_scores(lines)
    if kind == "diagnostics":
        return diagnostic_scores(lines)
    if kind == "diff":
        return diff_scores(lines)
    if kind == "json":
        return json_scores(lines)
    shape = log_shape(lines)
    return LOG_SHAPES[shape](lines) if shape else log_scores(lines)  # kind == "log"
