import subprocess
import sys
from pathlib import Path

import pytest

from splice.compact import CompactRequest, compact
from splice.compact.detect import detect_kind
from splice.compact.tooloutput import clean_line

FAILING_TESTS = '''
import pytest

@pytest.mark.parametrize("n", range(60))
def test_passes(n):
    assert n + 1 > n

def test_total_price():
    prices = {"apple": 3, "pear": 4}
    assert sum(prices.values()) == 8, "price mismatch"

def test_nested_error():
    def inner():
        raise KeyError("missing_widget")
    inner()
'''


@pytest.fixture(scope="module")
def pytest_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Real pytest output from a small failing project."""
    root = tmp_path_factory.mktemp("proj")
    (root / "test_shop.py").write_text(FAILING_TESTS)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "--color=yes",
         "-o", "addopts=", str(root / "test_shop.py")],
        capture_output=True, text=True, cwd=root, timeout=120)
    assert run.returncode == 1
    return run.stdout


@pytest.fixture(scope="module")
def unittest_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("ut")
    cases = "".join(f"    def test_ok_{i}(self):\n        self.assertTrue(True)\n\n"
                    for i in range(30))
    (root / "test_calc.py").write_text(
        "import unittest\n\nclass Calc(unittest.TestCase):\n" + cases
        + "    def test_divide(self):\n        self.assertEqual(7 // 2, 4)\n")
    run = subprocess.run([sys.executable, "-m", "unittest", "-v", "test_calc"],
                         capture_output=True, text=True, cwd=root, timeout=120)
    return run.stderr


async def test_pytest_output_keeps_failures_and_summary(pytest_output: str) -> None:
    assert detect_kind(pytest_output) == "test_output"
    result = await compact(CompactRequest(text=pytest_output))
    assert result.kind == "test_output"
    text = result.text
    assert "\x1b[" not in text  # ANSI stripped
    assert "test_total_price" in text and "test_nested_error" in text
    assert "price mismatch" in text
    assert "missing_widget" in text
    assert "assert 7 == 8" in text  # the assertion diff
    summary = [clean_line(line, 500) for line in pytest_output.splitlines()
               if "60 passed" in line][-1]
    assert "2 failed, 60 passed" in summary and summary in text
    assert "test_passes[17] PASSED" not in text
    assert result.tokens_after < result.tokens_before / 2


async def test_pytest_output_under_a_budget_still_keeps_the_summary(pytest_output: str) -> None:
    result = await compact(CompactRequest(text=pytest_output, max_tokens=300))
    assert result.tokens_after <= 300
    assert "2 failed, 60 passed" in result.text


async def test_unittest_output(unittest_output: str) -> None:
    result = await compact(CompactRequest(text=unittest_output, kind="auto"))
    assert result.kind == "test_output"
    assert "FAIL: test_divide" in result.text
    assert "AssertionError: 3 != 4" in result.text
    assert "FAILED (failures=1)" in result.text
    assert "test_ok_12" not in result.text


async def test_log_repeats_collapse_with_a_count() -> None:
    lines = ["2024-05-01 10:00:00 INFO starting server on port 8080"]
    lines += [f"2024-05-01 10:00:{i % 60:02d} INFO heartbeat seq={i} latency={i * 3}ms"
              for i in range(200)]
    lines += ["2024-05-01 10:05:00 ERROR connection refused by db-7",
              "2024-05-01 10:05:01 INFO shutting down"]
    text = "\n".join(lines) + "\n"
    result = await compact(CompactRequest(text=text))
    assert result.kind == "log"
    assert "ERROR connection refused by db-7" in result.text
    assert "heartbeat seq=0 " in result.text
    assert "(filtered 199 lines) repeats of the lines above" in result.text
    assert result.text.count("heartbeat") == 1
    assert result.kept_ranges[0] == (1, 2)


async def test_long_lines_cut_in_the_middle_and_ansi_stripped() -> None:
    long = "x" * 5000
    text = "\n".join(["\x1b[31mERROR\x1b[0m boom", "data: " + long + "END"] * 3
                     + [f"line {i}" for i in range(5)]) + "\n"
    result = await compact(CompactRequest(text=text, kind="log", max_line_chars=300))
    assert "\x1b" not in result.text
    assert "(cut " in result.text and "END" in result.text
    assert max(len(line) for line in result.text.splitlines()) < 400


def test_carriage_return_progress_keeps_the_last_frame() -> None:
    assert clean_line("10%\r50%\r100% done\n", 500) == "100% done\n"


def test_detect_kinds() -> None:
    assert detect_kind("x", "a/b.py") == "code"
    assert detect_kind("x", "build.log") == "log"
    assert detect_kind("Hello there.\nThis is prose.\n") == "text"
    go = "=== RUN   TestA\n--- FAIL: TestA (0.00s)\n    a_test.go:9: bad\nFAIL\nFAIL\tex\t0.01s\n"
    assert detect_kind(go) == "test_output"


async def test_go_test_output_keeps_the_failure() -> None:
    lines = []
    for i in range(40):
        lines += [f"=== RUN   TestOk{i}", f"--- PASS: TestOk{i} (0.00s)"]
    lines += ["=== RUN   TestParse", "    parse_test.go:42: got 3, want 4",
              "--- FAIL: TestParse (0.00s)", "FAIL", "FAIL\texample.com/p\t0.012s"]
    text = "\n".join(lines) + "\n"
    result = await compact(CompactRequest(text=text, kind="test_output"))
    assert "parse_test.go:42: got 3, want 4" in result.text
    assert "--- FAIL: TestParse" in result.text
    assert "FAIL\texample.com/p\t0.012s" in result.text
    assert "TestOk7" not in result.text


async def test_query_pulls_matching_log_lines(tmp_path: Path) -> None:
    lines = [f"2024-05-01 10:00:00 INFO request {i} served path=/p{i} user=u{i * 7}"
             for i in range(300)]
    lines[150] = "2024-05-01 10:00:00 INFO request 150 served path=/checkout user=alice"
    text = "\n".join(lines) + "\n"
    result = await compact(CompactRequest(text=text, query="checkout", max_tokens=200))
    assert "path=/checkout user=alice" in result.text
    assert result.tokens_after <= 200


FIXTURES = Path(__file__).parent / "fixtures"


async def test_cargo_test_output_keeps_panics_and_summary() -> None:
    # real `cargo test` output (RUST_BACKTRACE=1) of a small crate with two failing tests
    text = (FIXTURES / "cargo_test.txt").read_text()
    result = await compact(CompactRequest(text=text))
    assert result.kind == "test_output"
    for needle in ("panicked at src/lib.rs:25:9", "empty cart must cost nothing", "  left: 8",
                   " right: 7", "test result: FAILED. 1 passed; 2 failed",
                   "at ./src/lib.rs:15:9", "tests::total_adds_prices\n"):
        assert needle in result.text
    assert "/rustc/" not in result.text  # standard-library frames go
    assert "discount_takes_percent ... ok" not in result.text
    assert result.tokens_after < result.tokens_before / 2


async def test_node_test_tap_output_keeps_failures() -> None:
    # real `node --test` (TAP) output: 25 passing subtests, 2 failing
    text = (FIXTURES / "node_test.txt").read_text()
    result = await compact(CompactRequest(text=text))
    assert result.kind == "test_output"
    for needle in ("not ok 26 - total adds prices", "8 !== 7", "+   total: 1", "-   total: 0",
                   "# fail 2", "# pass 25", "cart.test.mjs:17:10"):
        assert needle in result.text
    assert "price 7 is a number" not in result.text
    assert "node:internal" not in result.text
    assert result.tokens_after < result.tokens_before / 3


def test_block_patterns_only_match_lines_starting_with_a_listed_character() -> None:
    import random

    from splice.compact import tooloutput as t

    rng = random.Random(9)
    samples = ["=== FAILURES ===", "FAIL: test_x", "ERROR: t", "  --- FAIL: TestX", "---- a stdout ----",
               "  ● suite", "panic: boom", "not ok 3 - x", "=== short ===", "Ran 3 tests in 0.1s",
               "test result: ok", "Tests: 1", "ok  pkg 0.1s", "  --- PASS: T", "=== RUN T",
               "# Subtest: x", "1..4", "ok 2 - y", "\tpanic: x", "\u00a0● z"]
    pieces = ["=", " ", "F", "x", "-", "●", "1", ".", "#", "ok", "\t", "\u2003"]
    samples += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    for body in samples:
        first = body[:1]
        if t._BLOCK_START.search(body):
            assert first in t._BLOCK_START_FIRST or first.isspace(), body
        if t._BLOCK_END.search(body):
            assert first in t._BLOCK_END_FIRST or first.isspace(), body


def test_rules_match_anchored_branches_at_the_start_and_the_others_anywhere() -> None:
    from splice.compact import tooloutput as t

    def rule(line: str) -> float:
        return t._classify(line, t._TEST_RULES)

    # anchored branches: at the start of the line, never after other text
    assert rule("FAILED tests/test_a.py::test_x - boom") == t.FAILURE
    assert rule("note: FAILED tests/test_a.py::test_x") != t.FAILURE
    assert rule("E       assert 1 == 2") == t.ERROR
    assert rule("=========== 2 failed, 3 passed in 0.12s ===========") == t.SUMMARY
    assert rule("x =========== 2 failed, 3 passed in 0.12s ===") != t.SUMMARY
    # branches with no anchor match anywhere in the line
    assert rule("while calling: ValueError raised") == t.ERROR
    assert rule("    at process (node:internal/process/task_queues:95:5)") == t.FRAME
    assert rule("some step ... ok") == t.NOISE
    assert rule("collected run is SKIPPED here") == t.NOISE


def test_detect_sees_pytest_node_ids_in_mid_line() -> None:
    # the one unanchored test mark: `path.py::test STATUS` anywhere on a line
    text = "".join(f"[gw0] tests/test_a.py::test_{i} PASSED\n" for i in range(3))
    assert detect_kind(text) == "test_output"
    assert detect_kind("a tests/test_a.py::test_x passed line\nnothing else\n") != "test_output"


def test_rules_answer_as_their_one_pattern_does() -> None:
    """A rule's needle check may only skip lines its regex cannot match: on every line of
    the fixtures, and on mutated lines (case flips, non-ASCII look-alikes, needles spliced
    in), `search` says what the rule as one pattern says."""
    import random
    from pathlib import Path

    from splice.compact import tooloutput as t

    rng = random.Random(5)
    lines = [line for path in sorted(Path(__file__).with_name("fixtures").iterdir())
             if path.is_file() for line in path.read_text(encoding="utf-8",
                                                          errors="replace").splitlines()]
    needles = [n for _value, rule in t._TEST_RULES for n in rule.needles]
    extras = ["Error", "ERROR", "exception", "AssertionError", "assertion", "panicked at",
              "PASSED", "... ok", "XFAIL", "(node:internal/", "ErrorX", "İ", "ı", "ſ", "K", "é",
              "  ", "E ", "> ", ":12: ", "ok 3 - ", *needles]
    samples = list(lines)
    for _ in range(6000):
        base = rng.choice(lines) if lines else ""
        cut = rng.randint(0, len(base))
        piece = rng.choice(extras)
        if rng.random() < 0.3:
            piece = piece.swapcase()
        samples.append(base[:cut] + piece + base[cut:])
    assert len(samples) > 6000
    for line in samples:
        for _value, rule in t._TEST_RULES:
            assert rule.search(line) == bool(rule.regex.search(line)), (line, rule.regex.pattern)


def test_varying_parts_pattern_replaces_as_the_plain_one() -> None:
    import random
    import re

    from splice.compact import tooloutput as t

    plain = re.compile(r"0x[0-9a-fA-F]+|[0-9a-fA-F]{8,}|\d+")
    rng = random.Random(11)
    alphabet = "0123456789abcdefABCDEFxX g\u0663\u00b2-_."
    for _ in range(20000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert t._VARYING.sub("#", line) == plain.sub("#", line), line
    assert t._VARYING.sub("#", "at 0x7f3a in 1234 deadbeefcafe ab12") == "at # in # # ab#"
