"""Real test-runner output for `splice bench compact`: real runners, real failures.

attrs 23.1.0's own suite under pytest with a bug put in a temp copy; a small Rust crate
under `cargo test`; a small module under `node --test` (TAP). Runners that are not
installed are skipped (and named in the report), never faked.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from splice.core.errors import InvalidRequest

# (name, file to break, text to replace, replacement, pytest arguments)
PYTEST_RUNS: list[tuple[str, str, str, str, list[str]]] = [
    ("attrs asdict bug, pytest -v", "src/attr/_funcs.py",
     "cf = v.__class__ if retain_collection_types is True else list",
     "cf = v.__class__ if retain_collection_types is False else list",
     ["tests/test_funcs.py", "tests/test_filters.py", "-v"]),
    ("attrs asdict bug, pytest -q --color=yes", "src/attr/_funcs.py",
     "cf = v.__class__ if retain_collection_types is True else list",
     "cf = v.__class__ if retain_collection_types is False else list",
     ["tests/test_funcs.py", "-q", "--color=yes"]),
    ("attrs exclude-filter bug, pytest -v", "src/attr/filters.py",
     "or attribute.name in names", "or attribute.name not in names",
     ["tests/test_filters.py", "tests/test_funcs.py", "tests/test_validators.py", "-v"]),
]

# The lines a reader of a failing run needs, by each runner's own format.
GOLD_TEST_LINE = re.compile(
    r"^E\s|^(FAILED|ERROR) \S|^=+ .*\b(passed|failed)\b.* in [\d.]+s"          # pytest
    r"|panicked at |^\s*(left|right): |^test result: "                         # cargo
    r"|^not ok \d+|^# (pass|fail) \d+|!==|^\s+[+-]\s+\w")                      # node TAP

_CRATE = '''\
pub fn total(prices: &[u32]) -> u32 {
    prices.iter().sum::<u32>() + 1
}

pub fn discount(total: u32, percent: u32) -> u32 {
    total - total * percent / 100
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_adds_prices() {
        assert_eq!(total(&[3, 4]), 7);
    }
'''
_NODE_TESTS = '''\
import test from 'node:test';
import assert from 'node:assert/strict';

const total = (prices) => prices.reduce((a, b) => a + b, 1);

for (let i = 0; i < 40; i++) {
  test(`price ${i} is a number`, () => assert.equal(typeof i, 'number'));
}

test('total adds prices', () => {
  assert.equal(total([3, 4]), 7);
});

test('empty cart costs nothing', () => {
  assert.deepStrictEqual({ total: total([]) }, { total: 0 });
});
'''


def pytest_output(source: Path, target: str, old: str, new: str, args: list[str]) -> str:
    with tempfile.TemporaryDirectory(prefix="splice-compact-bench-") as tmp:
        copy = Path(tmp) / "proj"
        shutil.copytree(source, copy)
        broken = copy / target
        text = broken.read_text(encoding="utf-8")
        if old not in text:
            raise InvalidRequest(f"{target}: the line to break is not there")
        broken.write_text(text.replace(old, new, 1), encoding="utf-8")
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
            capture_output=True, text=True, cwd=copy, timeout=600,
            env={"PYTHONPATH": str(copy / "src"), "PATH": "/usr/bin:/bin",
                 "HOME": tmp, "PYTHONDONTWRITEBYTECODE": "1"})
        return run.stdout


def cargo_output() -> str | None:
    """`cargo test` of a 30-line crate with 18 passing and 2 failing tests (offline)."""
    cargo = shutil.which("cargo")
    if cargo is None:
        return None
    tests = "".join(f"\n    #[test]\n    fn discount_{i}_percent() {{\n"
                    f"        assert_eq!(discount(100, {i}), {100 - i});\n    }}\n"
                    for i in range(18))
    tests += ("\n    #[test]\n    fn empty_total_is_zero() {\n"
              '        assert_eq!(total(&[]), 0, "empty cart must cost nothing");\n    }\n}\n')
    with tempfile.TemporaryDirectory(prefix="splice-compact-cargo-") as tmp:
        crate = Path(tmp) / "shop"
        (crate / "src").mkdir(parents=True)
        (crate / "Cargo.toml").write_text(
            '[package]\nname = "shop"\nversion = "0.1.0"\nedition = "2021"\n')
        (crate / "src" / "lib.rs").write_text(_CRATE + tests)
        env = {**os.environ, "RUST_BACKTRACE": "1", "CARGO_TERM_COLOR": "never"}
        run = subprocess.run([cargo, "test", "--offline"], capture_output=True, text=True,
                             cwd=crate, timeout=600, env=env)
        return run.stderr + run.stdout


def node_output() -> str | None:
    node = shutil.which("node")
    if node is None:
        return None
    with tempfile.TemporaryDirectory(prefix="splice-compact-node-") as tmp:
        (Path(tmp) / "cart.test.mjs").write_text(_NODE_TESTS)
        run = subprocess.run([node, "--test", "cart.test.mjs"], capture_output=True, text=True,
                             cwd=tmp, timeout=300)
        return run.stdout + run.stderr


def real_test_outputs(attrs_source: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, output) of every run, and the names of runners that are not installed."""
    outputs = [(name, pytest_output(attrs_source, target, old, new, args))
               for name, target, old, new, args in PYTEST_RUNS]
    skipped = []
    for name, make in (("cargo test, small crate with 2 failing tests", cargo_output),
                       ("node --test (TAP), 2 of 42 failing", node_output)):
        output = make()
        if output is None:
            skipped.append(name)
        else:
            outputs.append((name, output))
    return outputs, skipped
