"""How likely a file is to be what a code search wants before any term matches: tests,
docs, changelogs, vendored and generated files rank below the code they describe."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import PurePosixPath

from splice.core.syntax import EXTENSIONS
from splice.search.terms import Term

TEST_PRIOR = 0.3   # a fix lives in the code under test; tests are read for reference
TEST_PARTS = {"test", "tests", "testing", "spec", "specs", "__tests__"}
DOC_PARTS = {"doc", "docs", "documentation", "examples", "example", "benchmarks", "tutorials",
             "galleries"}
PROJECT_FILES = {"changes", "changelog", "history", "news", "license", "licence", "authors",
                 "contributors", "setup", "pyproject", "manifest", "requirements", "tox",
                 "noxfile", "makefile", "pkg-info", "readme", "security", "code_of_conduct"}
PROJECT_SCRIPTS = {"setup.py", "noxfile.py"}
VENDOR_PARTS = {"vendor", "_vendor", "vendored", "third_party", "thirdparty", "node_modules"}
GENERATED_SUFFIXES = ("_pb2.py", "_pb2_grpc.py", ".min.js", ".min.css", ".bundle.js")
VENDOR_PRIOR = 0.3  # someone else's code, or made by a tool: a fix goes to its source
# Numbered schema migrations (Django's makemigrations, Alembic-style revisions): written by a
# tool from the models, full of field and model names a report repeats; a fix goes to the tool.
MIGRATION_FILE = re.compile(r"(?:^|/)(?:migrations|versions)/\d{3,}_\w*\.py$")
MIGRATION_PRIOR = 0.5
PROSE_SUFFIXES = {".rst", ".md", ".txt", ".po", ".pot", ".html", ".htm", ".svg", ".css"}


def wants_tests(terms: list[Term], paths: list[str], own: frozenset[str] = frozenset()) -> bool:
    """Only a query that names a test (test_x, tests/..., a test file) lifts the test penalty:
    a sentence that mentions tests in passing still wants the code under test, and so does a
    report whose test names are its own (`own`: the repro's `def test_x`, a failed run)."""
    return any(t.text.lower().startswith("test_") and t.text.split(".")[-1] not in own
               for t in terms) or \
        any("test" in p.lower() for p in paths)


def is_test(path: str) -> bool:
    """A test file by its folders or its name."""
    pure = PurePosixPath(path)
    name = pure.name.lower()
    return bool({p.lower() for p in pure.parts[:-1]} & TEST_PARTS) or name.startswith("test_") \
        or name == "conftest.py" \
        or name.endswith(("_test.py", "_test.go", ".test.js", ".test.ts", ".spec.js", ".spec.ts"))


@lru_cache(maxsize=1 << 16)  # a pure function of the path: warm searches ask the same files
def prior(path: str, tests_wanted: bool = False) -> float:
    """How likely a file is to be what a code search wants, before any term."""
    pure = PurePosixPath(path)
    parts = {p.lower() for p in pure.parts[:-1]}
    name = pure.name.lower()
    factor = 1.0
    if is_test(path) and not tests_wanted:
        factor *= TEST_PRIOR
    if parts & DOC_PARTS:
        factor *= 0.5
    if parts & VENDOR_PARTS or any(p.endswith(".egg-info") for p in parts) \
            or name.endswith(GENERATED_SUFFIXES):
        factor *= VENDOR_PRIOR
    if MIGRATION_FILE.search(path):
        factor *= MIGRATION_PRIOR
    is_code = os.path.splitext(name)[1] in EXTENSIONS
    if name.split(".")[0] in PROJECT_FILES and (not is_code or name in PROJECT_SCRIPTS):
        factor *= 0.05  # changelogs, licences, packaging: about the code, not the code
    elif pure.suffix.lower() in PROSE_SUFFIXES:
        factor *= 0.3
    elif not is_code:
        factor *= 0.4
    return factor
