"""Term counts per file: a rare name late in a long module is counted, however many lines
of the report's common names come before it (rg's per-file line cap once hid it)."""

from __future__ import annotations

from pathlib import Path

from splice.search import SearchRequest, deterministic, search

REPORT = """[Bug]: data limits replaced by inf after twin_axis

### Code for reproduction

```python
from pkg.axes import Axes
ax = Axes()
ax.draw_artist(1)
ax2 = ax.twin_axis()
print(ax.data_limits)
```

### Actual outcome

The data limits of the first axes become inf once twin_axis is called.
"""


def _repo(root: Path) -> Path:
    """`pkg/axes.py`: a long class whose many methods draw artists, `twin_axis` last (the
    method to fix); `pkg/wrappers.py`: short functions, one named twin_axis too (not
    a mere forwarder to the method: forwarders.py would drop its definition bonus); twenty
    modules that draw artists (the report's common name)."""
    methods = "".join(f"    def panel_{k}(self):\n        return self.draw_artist({k})\n\n"
                      for k in range(700))
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "axes.py").write_text(
        "class Axes:\n    def draw_artist(self, k):\n        return k\n\n" + methods +
        "    def twin_axis(self):\n        other = Axes()\n"
        "        other.data_limits = self.data_limits\n        return other\n")
    (root / "pkg" / "wrappers.py").write_text(
        "def twin_axis(axes):\n    axes.draw_artist(0)\n    return make_twin(axes)\n")
    for k in range(20):
        (root / "pkg" / f"chart_{k}.py").write_text(
            f"def chart_{k}(ax):\n    return ax.draw_artist({k})\n")
    return root


async def _files(root: Path) -> list[str]:
    result = await search(SearchRequest(query=REPORT, repo=str(root), max_tokens=4000))
    return list(dict.fromkeys(s.path for s in result.spans))


async def test_a_rare_name_late_in_a_long_file_is_counted(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    found = await _files(root)
    assert found[0] == "pkg/axes.py"


async def test_a_low_line_cap_would_hide_it(tmp_path: Path, monkeypatch) -> None:
    # the same search with the old cap of 500 lines: the 700 draw_artist lines come first
    monkeypatch.setattr(deterministic, "PER_FILE_LINES", 500)
    root = _repo(tmp_path)
    found = await _files(root)
    assert found[0] == "pkg/wrappers.py"
