"""Import resolution for the import rule: which repo files a Python, JavaScript or
TypeScript file imports."""

from __future__ import annotations

from splice.search.imports import imported_files

PY_FILES = ["src/pkg/__init__.py", "src/pkg/core.py", "src/pkg/util.py", "src/pkg/_log.py",
            "src/pkg/sub/__init__.py", "src/pkg/sub/deep.py", "src/pkg/errors.py",
            "other/pkg/core.py", "docs/conf.py", "setup.py"]


def test_python_relative_imports() -> None:
    text = """from . import util
from ._log import level, name
from .sub import deep
from .sub.deep import thing as alias
from ..outside import nothing
from .errors import *
"""
    assert imported_files("src/pkg/core.py", text, PY_FILES) == [
        "src/pkg/util.py", "src/pkg/_log.py", "src/pkg/sub/deep.py", "src/pkg/errors.py"]


def test_python_absolute_imports_resolve_in_src_layouts_and_prefer_the_same_tree() -> None:
    text = """import os
import pkg.util
from pkg import errors
from pkg.core import (
    thing,  # a comment, core
    other,
)
from pkg.sub import helper  # a name, not a module: the package itself
from typing import Any
"""
    assert imported_files("src/pkg/sub/deep.py", text, PY_FILES) == [
        "src/pkg/errors.py", "src/pkg/core.py", "src/pkg/sub/__init__.py", "src/pkg/util.py"]


def test_python_imports_skip_the_file_itself_and_what_is_not_in_the_repo() -> None:
    text = "from pkg.core import x\nimport requests\nfrom .missing import y\n"
    assert imported_files("src/pkg/core.py", text, PY_FILES) == []
    assert imported_files("src/pkg/core.py", "x = 'from .util import y'\n", PY_FILES) == []


def test_javascript_and_typescript_relative_imports() -> None:
    files = ["src/app.ts", "src/util.ts", "src/lib/index.js", "src/lib/dates.tsx",
             "src/legacy.js", "src/types.ts"]
    text = """import { a } from './util.js';
import lib from "./lib";
export * from './lib/dates';
const legacy = require('./legacy');
import type { T } from './types';
import React from 'react';
import x from '../../outside';
"""
    assert imported_files("src/app.ts", text, files) == [
        "src/util.ts", "src/lib/index.js", "src/lib/dates.tsx", "src/legacy.js", "src/types.ts"]


def test_other_languages_have_no_imports_yet() -> None:
    assert imported_files("main.go", 'import "fmt"\n', ["main.go"]) == []
