"""Messages a report quotes in plain prose, issue-template comments, and the line a
traceback or message points at inside a long function (bug reports as people paste them)."""

from __future__ import annotations

from pathlib import Path

from splice.core.spans import Span
from splice.search import SearchRequest, search
from splice.search.fitting import SpanCandidate
from splice.search.regions import merge_regions
from splice.search.terms import extract_terms, quoted_messages

TICKET = """ModelAdmin: Error message for readonly_fields's check does not include the field name
Description
When subclassing a ModelAdmin, the current error message for the readonly_fields would
indicate the index of the value at fault but it will not include the field's name:
The value of 'readonly_fields[0]' is not a callable, an attribute of 'CityInline', or an attribute of 'admin_checks.City'.
It would be good if we can unify this.
"""

TEMPLATE = """Adding a legend to a `SubFigure` doesn't work
<!--To help us understand and resolve your issue, please fill out the form to the best of
your ability.-->
**Bug summary**
<!--A short 1-2 sentences that succinctly describes the bug-->
Adding a legend to a `SubFigure` doesn't work
"""


def test_a_message_quoted_in_prose_gives_its_literal_fragments() -> None:
    got = quoted_messages(TICKET)
    assert "is not a callable, an attribute of" in got
    assert "or an attribute of" in got
    # the values the message filled in are not fragments
    assert not any("CityInline" in f or "readonly_fields" in f for f in got)


def test_a_short_quoted_label_is_no_message() -> None:
    assert quoted_messages("Set 'debug' to true.\nThe 'name' field.") == []


def test_issue_template_comments_give_no_terms() -> None:
    texts = {t.text.lower() for t in extract_terms(TEMPLATE).terms}
    assert "subfigure" in texts
    assert not {"--to", "understand", "succinctly", "ability"} & texts


CHECKS = '''class Checks:
    def check_readonly_fields(self, obj):
        """The readonly_fields of a ModelAdmin subclass: a list or tuple of field names.
        Each error message should include the field name and the index of the value at
        fault, the current check and every other would indicate it (unify them)."""
        if not isinstance(obj.readonly_fields, (list, tuple)):
            return ["The value of 'readonly_fields' must be a list or tuple."]
        return [self.check_readonly_item(obj, name, "readonly_fields[%d]" % index)
                for index, name in enumerate(obj.readonly_fields)]
''' + "".join(f"""
    def check_other_{i}(self, obj):
        return obj.other_{i}
""" for i in range(20)) + '''
    def check_readonly_item(self, obj, field_name, label):
        if callable(field_name):
            return []
        elif hasattr(obj, field_name):
            return []
        else:
            try:
                obj.model._meta.get_field(field_name)
            except LookupError:
                return [
                    "The value of '%s' is not a callable, an attribute of "
                    "'%s', or an attribute of '%s'." % (label, obj, obj.model)
                ]
            return []
'''


async def test_a_message_quoted_in_prose_finds_the_branch_that_emits_it(tmp_path: Path) -> None:
    (tmp_path / "admin").mkdir()
    (tmp_path / "admin" / "checks.py").write_text(CHECKS)
    for i in range(6):  # the report's words, without the message
        (tmp_path / "admin" / f"options{i}.py").write_text(
            f"class ModelAdmin{i}:\n    readonly_fields = ()\n    # the field name and its index\n"
            f"    def get_readonly_fields(self, request):\n        return self.readonly_fields\n")
    result = await search(SearchRequest(query=TICKET, repo=str(tmp_path), max_tokens=1500))
    first = result.spans[0]
    line = CHECKS.splitlines().index(
        '''                    "The value of '%s' is not a callable, an attribute of "''') + 1
    assert first.path == "admin/checks.py"
    assert first.start_line <= line <= first.end_line  # the branch emitting the message


def _cand(start: int, end: int, score: float, focus: int) -> SpanCandidate:
    return SpanCandidate(Span(path="a.py", start_line=start, end_line=end, score=score), focus, 1)


def test_a_better_region_stays_whole_when_a_weaker_one_runs_into_it() -> None:
    # a weak region above the raise (lines 380-451) and the strong one around it (432-488):
    # together too long to show as one, so the weaker loses the lines they share
    merged = merge_regions([_cand(380, 451, 0.2, 400), _cand(432, 488, 0.9, 441)])
    spans = sorted((c.span.start_line, c.span.end_line) for c in merged)
    assert spans == [(380, 431), (432, 488)]
    best = max(merged, key=lambda c: c.span.score)
    assert (best.span.start_line, best.span.end_line, best.focus) == (432, 488, 441)


def test_a_weaker_later_region_is_still_trimmed_after_a_better_one() -> None:
    merged = merge_regions([_cand(380, 451, 0.9, 400), _cand(432, 488, 0.2, 441)])
    spans = sorted((c.span.start_line, c.span.end_line) for c in merged)
    assert spans == [(380, 451), (452, 488)]


NOTEBOOK = """KBinsDiscretizer: kmeans fails due to unsorted bin_edges
```
ValueError                                Traceback (most recent call last)
<ipython-input-1-3d95a2ed3d01> in <module>()
----> 8 Xt = est.fit_transform(X)

/home/sandro/code/scikit-learn/sklearn/base.py in fit_transform(self, X, y, **fit_params)
    475             # fit method of arity 1 (unsupervised transformation)
--> 476             return self.fit(X, **fit_params).transform(X)
    477         else:

/home/sandro/code/scikit-learn/sklearn/preprocessing/_discretization.py in transform(self, X)
    254             eps = atol + rtol * np.abs(Xt[:, jj])
--> 255             Xt[:, jj] = np.digitize(Xt[:, jj] + eps, bin_edges[jj][1:])
    256         np.clip(Xt, 0, self.n_bins_ - 1, out=Xt)

ValueError: bins must be monotonically increasing or decreasing
```
"""

IPYTHON8 = """```
Cell In[2], line 3
----> 3 est.fit(X)
File ~/src/pkg/model.py:41, in Model.fit(self, X)
     40 def fit(self, X):
---> 41     return self._check(X)
File ~/src/pkg/checks.py:12, in _check(self, X)
---> 12     raise ValueError("bad")
```
"""


def test_ipython_traceback_frames_are_read_innermost_first() -> None:
    frames = extract_terms(NOTEBOOK).frames
    got = [(f.path.rsplit("/", 1)[-1], f.line, f.function, f.depth) for f in frames]
    assert got[:2] == [("_discretization.py", 255, "transform", 0),
                       ("base.py", 476, "fit_transform", 1)]
    names = {t.text for t in extract_terms(NOTEBOOK).terms}
    assert {"transform", "fit_transform"} <= names


def test_ipython8_frames_name_file_line_and_function() -> None:
    frames = extract_terms(IPYTHON8).frames
    got = [(f.path, f.line, f.depth) for f in frames if f.function]
    assert got == [("~/src/pkg/checks.py", 12, 0), ("~/src/pkg/model.py", 41, 1)]


async def test_a_notebook_traceback_leads_to_its_innermost_file(tmp_path: Path) -> None:
    pkg = tmp_path / "sklearn" / "preprocessing"
    pkg.mkdir(parents=True)
    (tmp_path / "sklearn" / "base.py").write_text(
        "class TransformerMixin:\n    def fit_transform(self, X, y=None):\n"
        "        # fit, then transform the bins\n        return self.fit(X).transform(X)\n")
    body = "".join(f"    def helper_{i}(self, X):\n        return X\n\n" for i in range(120))
    (pkg / "_discretization.py").write_text(
        "class KBinsDiscretizer:\n" + body +
        "    def transform(self, X):\n        Xt = X.copy()\n"
        "        return Xt\n")
    for i in range(4):  # the report's words, more often than the innermost file has them
        (pkg / f"_other{i}.py").write_text(
            "# KBinsDiscretizer kmeans bins: bin_edges unsorted, fit_transform digitize\n"
            f"def kmeans_bins_{i}(bin_edges, est):\n    return est.fit_transform(bin_edges)\n")
    result = await search(SearchRequest(query=NOTEBOOK, repo=str(tmp_path), max_tokens=1500))
    first = result.spans[0]
    assert first.path == "sklearn/preprocessing/_discretization.py"
    assert first.reason == "method transform"


def test_code_pasted_without_a_fence_is_no_message() -> None:
    # a repro pasted as plain text: its quoted arguments are code, not a printed message
    prose = ("tree_text = export_text(tree, feature_names=['sepal length', 'petal width'])\n"
             "df = pd.DataFrame({'a': [1, 2, 3], 'b': ['x', 'y', 'z']}, index=[4, 5, 6])\n"
             "from sklearn.tree import export_text, DecisionTreeClassifier as 'alias here'\n"
             "print(export_text(tree, feature_names=['only one name'], max_depth=2))\n")
    assert quoted_messages(prose) == []
    # the same words as a sentence still quote a message
    said = "It raises 'list index out of range' when the tree has only one feature in it."
    assert quoted_messages(said) != []
