"""The SWE-bench mapping: patch application without fuzz, rebasing, the split rule."""

from __future__ import annotations

import json
from pathlib import Path

from splice.bench.swebench import (
    MAPPING,
    SERIES,
    _patched,
    apply_file,
    parse_files,
    rebased_patch,
    split_of,
)
from splice.bench.tasks import gold_lines

ORIGINAL = "".join(f"line {i}\n" for i in range(1, 21))
# written against a file whose lines sat 3 lower: applies at an offset of 3
PATCH = """diff --git a/pkg/mod.py b/pkg/mod.py
--- a/pkg/mod.py
+++ b/pkg/mod.py
@@ -8,3 +8,3 @@
 line 5
-line 6
+line six
 line 7
"""


def test_applies_at_an_offset_and_reports_it() -> None:
    hunks = parse_files(PATCH)["pkg/mod.py"]
    done = apply_file(ORIGINAL, hunks)
    assert done is not None
    text, offset = done
    assert offset == 3
    assert "line six\n" in text and "line 6\n" not in text


def test_no_fuzz_a_changed_context_line_refuses() -> None:
    hunks = parse_files(PATCH.replace(" line 7", " line 7 changed"))["pkg/mod.py"]
    assert apply_file(ORIGINAL, hunks) is None


def test_rebased_patch_carries_the_release_line_numbers(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text(ORIGINAL)
    files, offset = _patched(tmp_path, PATCH)
    rebased = rebased_patch(files)
    assert offset == 3
    assert gold_lines(rebased) == {"pkg/mod.py": {6}}  # the release's line 6, not the patch's 9


def test_new_file_patch() -> None:
    patch = "--- /dev/null\n+++ b/pkg/new.py\n@@ -0,0 +1,2 @@\n+a = 1\n+b = 2\n"
    done = apply_file(None, parse_files(patch)["pkg/new.py"])
    assert done is not None and done[0] == "a = 1\nb = 2"


def test_split_rule_is_fixed_and_balanced() -> None:
    ids = [f"django__django-{n}" for n in range(10000, 10400)]
    dev = [i for i in ids if split_of(i) == "dev"]
    assert split_of("django__django-10554") == "dev"  # pinned: the rule never changes
    assert 0.35 < len(dev) / len(ids) < 0.65


def test_committed_mapping_is_consistent() -> None:
    mapping = json.loads(MAPPING.read_text())
    tasks = mapping["tasks"]
    assert mapping["mapped"] == len(tasks) > 0
    dists = {dist for dist, _ in SERIES.values()}
    for pin in tasks.values():
        assert pin["dist"] in dists
        assert gold_lines(pin["patch"])  # every rebased patch still says which lines matter
