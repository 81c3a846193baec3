"""A definition that hands its work to a namesake (pyplot's `def twinx(ax=None): return
gca().twinx()`) is not where a report's name points: the definition that does the work is.
pyplot defines every name a plotting script calls, so its wrappers led the search before
the Axes method the report is about."""

from __future__ import annotations

from pathlib import Path

from splice.search import SearchRequest, forwarders, search
from splice.search.forwarders import forwards
from splice.search.index import forget_memory
from splice.search.symbols import Definition

# Shaped like matplotlib-26208: a GitHub report whose script calls pyplot and Axes methods.
REPORT = """[Bug]: data limits replaced by inf for charts with twinx if ax1 is a stackplot\r
\r
### Bug summary\r
\r
Since 3.4 the data limits of the first axis get replaced by +/- inf when a second axis\r
is made with twinx and the first axis holds a stackplot.\r
\r
### Code for reproduction\r
\r
```python\r
import plotkit.pyplot as plt\r
\r
fig, ax1 = plt.subplots()\r
ax1.stackplot([1, 2], [3, 4])\r
print(ax1.data_limits.intervaly)\r
ax2 = ax1.twinx()\r
print(ax1.data_limits.intervaly)\r
ax2.plot([1, 2], [5, 6])\r
print(ax1.data_limits.intervaly)\r
```\r
\r
### Actual outcome\r
\r
[ inf -inf] after twinx\r
"""

PYPLOT = '''"""The state machine: each function calls the current figure or axes."""

from plotkit.figure import Figure

_figures = []


def figure():
    fig = Figure()
    _figures.append(fig)
    return fig


def gcf():
    return _figures[-1] if _figures else figure()


def gca():
    return gcf().gca()


def subplots(nrows=1, ncols=1):
    fig = figure()
    return fig, fig.subplots(nrows, ncols)


def twinx(ax=None):
    if ax is None:
        ax = gca()
    return ax.twinx()


def stackplot(x, *args, **kwargs):
    return gca().stackplot(x, *args, **kwargs)


def plot(*args, **kwargs):
    return gca().plot(*args, **kwargs)
'''

BASE = '''"""The axes every plot draws into."""


class AxesBase:
    def __init__(self, figure):
        self.figure = figure
        self.data_limits = Bbox.null()
        self.shared_x = [self]

    def _make_twin_axes(self):
        twin = self.figure.add_axes(self.position)
        self.shared_x.append(twin)
        return twin

    def twinx(self):
        twin = self._make_twin_axes()
        twin.data_limits = Bbox.null()
        self.data_limits.update(twin.data_limits)
        return twin

    def relim(self):
        self.data_limits = Bbox.null()
'''

AXES = '''"""Plotting methods."""

from plotkit.axes._base import AxesBase


class Axes(AxesBase):
    def plot(self, *args, **kwargs):
        lines = [Line(x, y) for x, y in zip(args[::2], args[1::2])]
        self.data_limits.update(lines)
        return lines

    def stackplot(self, x, *ys):
        polys = [Poly(x, y) for y in ys]
        self.data_limits.update(polys)
        return polys
'''

FIGURE = '''"""The top-level container."""


class Figure:
    def subplots(self, nrows=1, ncols=1):
        from plotkit.axes import Axes
        self.axes = [Axes(self) for _ in range(nrows * ncols)]
        return self.axes[0]

    def gca(self):
        return self.axes[-1]
'''


def _repo(root: Path) -> Path:
    files = {"lib/plotkit/__init__.py": "", "lib/plotkit/pyplot.py": PYPLOT,
             "lib/plotkit/axes/__init__.py": "from plotkit.axes._axes import Axes\n",
             "lib/plotkit/axes/_base.py": BASE, "lib/plotkit/axes/_axes.py": AXES,
             "lib/plotkit/figure.py": FIGURE}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


async def _first_file(root: Path) -> str:
    forget_memory(root)
    result = await search(SearchRequest(query=REPORT, repo=str(root), max_tokens=4000))
    return result.spans[0].path


async def test_the_method_a_wrapper_forwards_to_leads(tmp_path: Path) -> None:
    # the Axes modules define what the script calls (twinx, or plot and stackplot)
    assert (await _first_file(_repo(tmp_path))).startswith("lib/plotkit/axes/_")


async def test_without_the_rule_the_wrappers_lead(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(forwarders, "forwards", lambda lines, d: False)
    assert await _first_file(_repo(tmp_path)) == "lib/plotkit/pyplot.py"


def test_what_forwards() -> None:
    def one(text: str, name: str) -> bool:
        lines = text.split("\n")
        return forwards(lines, Definition(name=name, kind="function", start_line=1,
                                          end_line=len(lines)))
    assert one("def plot(*a):\n    return gca().plot(*a)", "plot")
    assert one("def explain(self):\n    return self.query.explain(using=self.db)", "explain")
    # an override that extends its base does its own work
    assert not one("def save(self):\n    self.clean()\n    super().save()", "save")
    assert not one("def save(self):\n    super(Model, self).save()", "save")
    # a call of another name, or the name as an attribute, is no hand-over
    assert not one("def twinx(self):\n    return self._make_twinx()", "twinx")
    assert not one("def limits(self):\n    return self.limits", "limits")
    # a comment or a docstring naming the namesake's call is no call (Django's Manager.all)
    assert not one("def all(self):\n    # QuerySet.all() copies; here we don't proxy\n"
                   "    return self.get_queryset()", "all")
    assert not one('def all(self):\n    """Unlike QuerySet.all(), no copy."""\n'
                   "    return self.get_queryset()", "all")
    assert one("def all(self):\n    # the queryset's own\n    return self.qs.all()", "all")
