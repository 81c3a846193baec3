"""One test group per edit format, plus auto-detection."""

from __future__ import annotations

import pytest

from splice.apply import MalformedEdit, NoMatch, merge
from splice.apply.formats.detect import detect
from splice.apply.text import split_edit


def test_search_replace_basic(sample: str) -> None:
    edit = (
        "<<<<<<< SEARCH\n"
        "def save(path, text):\n"
        '    with open(path, "w") as handle:\n'
        "=======\n"
        "def save(path, text, mode=\"w\"):\n"
        "    with open(path, mode) as handle:\n"
        ">>>>>>> REPLACE\n"
    )
    result = merge(sample, edit, path="store.py")
    assert result.fmt == "search_replace"
    assert 'def save(path, text, mode="w"):\n    with open(path, mode) as handle:\n' in result.text
    assert result.text.count("def save") == 1
    assert result.rungs == ["exact"]
    assert result.changed_lines == [(9, 10)]


def test_search_replace_tolerates_filename_and_fences(sample: str) -> None:
    edit = (
        "store.py\n```python\n<<<<<<< SEARCH\n    return len(text)\n=======\n"
        "    return len(text) + 1\n>>>>>>> REPLACE\n```\n"
    )
    result = merge(sample, edit, path="store.py")
    assert "    return len(text) + 1\n" in result.text


def test_search_replace_several_blocks_out_of_order(sample: str) -> None:
    edit = (
        "<<<<<<< SEARCH\n        self.root = root\n=======\n        self.root = str(root)\n"
        ">>>>>>> REPLACE\n"
        "<<<<<<< SEARCH\nimport os\n=======\nimport os\nimport sys\n>>>>>>> REPLACE\n"
    )
    result = merge(sample, edit, path="store.py")
    assert result.text.startswith("import os\nimport sys\n")
    assert "self.root = str(root)" in result.text
    assert result.hunks == 2


def test_search_replace_unclosed_block_is_malformed(sample: str) -> None:
    with pytest.raises(MalformedEdit) as info:
        merge(sample, "<<<<<<< SEARCH\nimport os\n=======\nimport sys\n", path="s.py")
    assert "REPLACE" in str(info.value)


def test_udiff_with_wrong_line_numbers_and_counts(sample: str) -> None:
    edit = (
        "--- a/store.py\n+++ b/store.py\n"
        "@@ -40,7 +40,9 @@\n"
        " def load(path):\n"
        "     with open(path) as handle:\n"
        "-        return handle.read()\n"
        "+        data = handle.read()\n"
        "+    return data\n"
    )
    result = merge(sample, edit, path="store.py")
    assert result.fmt == "udiff"
    assert "        data = handle.read()\n    return data\n" in result.text
    assert "return handle.read()" not in result.text


def test_udiff_without_headers_or_numbers(sample: str) -> None:
    edit = "@@ ... @@\n class Store:\n-    def __init__(self, root):\n+    def __init__(self, root=\".\"):\n"
    result = merge(sample, edit, path="store.py")
    assert 'def __init__(self, root="."):' in result.text


def test_udiff_context_line_missing_its_space(sample: str) -> None:
    edit = "@@\nclass Store:\n-    def __init__(self, root):\n+    def __init__(self, root, ttl):\n"
    result = merge(sample, edit, path="store.py")
    assert "def __init__(self, root, ttl):" in result.text


def test_udiff_two_hunks(sample: str) -> None:
    edit = (
        "@@ -1,1 +1,2 @@\n import os\n+import sys\n"
        "@@ -20,2 +21,2 @@\n     def get(self, key):\n-        return load(os.path.join(self.root, key))\n"
        "+        return load(os.path.join(self.root, key.strip()))\n"
    )
    result = merge(sample, edit, path="store.py")
    assert result.text.startswith("import os\nimport sys\n")
    assert "key.strip()" in result.text


def test_patch_update_with_context_anchor(sample: str) -> None:
    edit = (
        "*** Begin Patch\n*** Update File: store.py\n@@ def save(path, text):\n"
        '     with open(path, "w") as handle:\n'
        "-        handle.write(text)\n"
        "+        handle.write(text.rstrip())\n"
        "*** End Patch\n"
    )
    result = merge(sample, edit, path="store.py")
    assert result.fmt == "patch"
    assert "handle.write(text.rstrip())" in result.text


def test_patch_end_of_file_chunk(sample: str) -> None:
    edit = (
        "*** Begin Patch\n*** Update File: store.py\n@@\n"
        "     def get(self, key):\n"
        "         return load(os.path.join(self.root, key))\n"
        "+\n+    def keys(self):\n+        return os.listdir(self.root)\n"
        "*** End of File\n*** End Patch\n"
    )
    result = merge(sample, edit, path="store.py")
    assert result.text.endswith("    def keys(self):\n        return os.listdir(self.root)\n")


def test_patch_add_file_into_empty_text() -> None:
    edit = "*** Begin Patch\n*** Add File: new.py\n+x = 1\n+y = 2\n*** End Patch\n"
    assert merge("", edit, path="new.py").text == "x = 1\ny = 2\n"


def test_patch_with_several_files_needs_a_path(sample: str) -> None:
    edit = ("*** Begin Patch\n*** Update File: a.py\n@@\n-import os\n+import io\n"
            "*** Update File: b.py\n@@\n-x\n+y\n*** End Patch\n")
    with pytest.raises(MalformedEdit):
        merge(sample, edit)
    assert "import io" in merge(sample, edit, path="a.py").text


def test_patch_line_without_prefix_is_malformed(sample: str) -> None:
    edit = "*** Begin Patch\n*** Update File: a.py\n@@\nimport os\n*** End Patch\n"
    with pytest.raises(MalformedEdit):
        merge(sample, edit, path="a.py")


def test_whole_file(sample: str) -> None:
    new = sample.replace("import os", "import os.path")
    result = merge(sample, new, fmt="whole", path="store.py")
    assert result.text == new
    assert result.fmt == "whole"


def test_lazy_python_markers(sample: str) -> None:
    edit = (
        "# ... existing code ...\n"
        "def save(path, text):\n"
        '    with open(path, "w") as handle:\n'
        "        handle.write(text)\n"
        "        handle.flush()\n"
        "    return len(text)\n"
        "# ... keep the Store class ...\n"
    )
    result = merge(sample, edit, path="store.py")
    assert result.fmt == "lazy"
    assert "        handle.write(text)\n        handle.flush()\n    return len(text)\n" in result.text
    assert result.text.count("class Store") == 1
    assert result.text.startswith("import os\n")


def test_lazy_no_top_marker_starts_at_file_top(sample: str) -> None:
    edit = "import os\nimport sys\n\n\ndef load(path):\n# ... existing code ...\n"
    result = merge(sample, edit, path="store.py")
    assert result.text.startswith("import os\nimport sys\n\n\ndef load(path):\n    with")


def test_lazy_no_bottom_marker_runs_to_end(sample: str) -> None:
    edit = (
        "// ... existing code ...\n"
        "    def get(self, key):\n"
        "        return load(os.path.join(self.root, key))\n"
        "\n"
        "    def drop(self, key):\n"
        "        os.remove(os.path.join(self.root, key))\n"
    )
    result = merge(sample, edit, fmt="lazy")  # no path: any comment syntax is a marker
    assert result.text.endswith("    def drop(self, key):\n"
                                "        os.remove(os.path.join(self.root, key))\n")


def test_lazy_two_segments_in_order(sample: str) -> None:
    edit = (
        "# ... existing code ...\n"
        "def load(path):\n"
        "    with open(path, encoding=\"utf-8\") as handle:\n"
        "        return handle.read()\n"
        "# ... existing code ...\n"
        "    def get(self, key):\n"
        "        return load(os.path.join(self.root, key)).strip()\n"
    )
    result = merge(sample, edit, path="store.py")
    assert 'open(path, encoding="utf-8")' in result.text
    assert result.text.endswith(".strip()\n")
    assert result.hunks == 2


def test_lazy_adjacent_anchors_delete_what_lay_between(sample: str) -> None:
    edit = (
        "# ... existing code ...\n"
        "def save(path, text):\n"
        '    with open(path, "w") as handle:\n'
        "    return len(text)\n"
        "# ... existing code ...\n"
    )
    result = merge(sample, edit, path="store.py")
    assert "handle.write(text)" not in result.text
    assert '    with open(path, "w") as handle:\n    return len(text)\n' in result.text


def test_lazy_segment_without_anchor_is_no_match(sample: str) -> None:
    edit = "# ... existing code ...\ndef brand_new():\n    pass\n# ... existing code ...\n"
    with pytest.raises(NoMatch) as info:
        merge(sample, edit, path="store.py")
    assert "unchanged" in info.value.hint


@pytest.mark.parametrize("marker", [
    "# ... existing code ...", "// ... keep the auth checks ...", "/* ... */",
    "<!-- ... rest of the page ... -->", "-- ... existing code ...", "; ... more ...",
    "    # ...",
])
def test_marker_styles_detected_as_lazy(marker: str) -> None:
    lines = split_edit(f"{marker}\nx = 1\n{marker}\n")
    assert detect(lines) == "lazy"


def test_marker_must_start_and_end_with_ellipsis() -> None:
    assert detect(split_edit("# ... existing code\nx = 1\n")) == "whole"
    assert detect(split_edit("x = ...\n")) == "whole"


def test_python_file_ignores_slash_markers() -> None:
    assert detect(split_edit("// ... existing code ...\nx = 1\n"), "a.py") == "whole"


@pytest.mark.parametrize("text,expected", [
    ("*** Begin Patch\n*** Update File: a\n@@\n-x\n+y\n*** End Patch\n", "patch"),
    ("<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n", "search_replace"),
    ("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-x\n+y\n", "udiff"),
    ("@@ -3,2 +3,2 @@\n a\n-b\n+c\n", "udiff"),
    ("# ... existing code ...\nx = 1\n", "lazy"),
    ("x = 1\ny = 2\n", "whole"),
])
def test_auto_detection(text: str, expected: str) -> None:
    assert detect(split_edit(text)) == expected


def test_unknown_format_and_empty_edit(sample: str) -> None:
    with pytest.raises(MalformedEdit):
        merge(sample, "x", fmt="yaml")
    with pytest.raises(MalformedEdit):
        merge(sample, "", path="store.py")
