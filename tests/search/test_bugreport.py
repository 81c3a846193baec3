"""Bug reports as people paste them: each reading rule of bugreport.py and terms.py."""

from __future__ import annotations

from pathlib import Path

from splice.search import SearchRequest, search
from splice.search.bugreport import code_names, drop_noise, read_report
from splice.search.terms import extract_terms, message_fragments

REPORT = '''IsolationForest warns about feature names when contamination is set

### Steps/Code to Reproduce

```py
from sklearn.ensemble import IsolationForest
import pandas as pd

X = pd.DataFrame({"a": [-1.1, 0.3, 0.5, 100]})
clf = IsolationForest(random_state=0, contamination=0.05).fit(X)
print(clf.offset_)
```

It calls predict here:
https://github.com/scikit-learn/scikit-learn/blob/9aaed49/sklearn/ensemble/_iforest.py#L337

### Versions

```shell
System:
    python: 3.10.6 (main, Nov 14 2022, 16:10:14) [GCC 11.3.0]
executable: /home/david/.venv/bin/python
Python dependencies:
      sklearn: 1.2.1
        numpy: 1.23.5
   threadpoolctl: 3.1.0
```
'''


def test_version_and_system_sections_are_not_read() -> None:
    kept = drop_noise(REPORT)
    assert "threadpoolctl" not in kept and "numpy: 1.23.5" not in kept
    assert "contamination=0.05" in kept  # the repro stays
    words = {t.text.lower() for t in extract_terms(REPORT).terms}
    assert not {"threadpoolctl", "executable", "dependencies", "gcc"} & words


def test_code_blocks_give_names_called_and_imported_not_local_ones() -> None:
    names = code_names('from sklearn.ensemble import IsolationForest\n'
                       'clf = IsolationForest(random_state=0).fit(X)\nprint(clf.offset_)\n')
    assert "sklearn.ensemble" in names.imported and "IsolationForest" in names.imported
    assert "fit" in names.called and "print" not in names.called  # builtins name nothing
    assert "offset_" in names.attributes
    assert "clf" in names.local and "clf" not in names.called
    kinds = {t.text: t for t in extract_terms(REPORT).terms}
    assert kinds["fit"].kind == "identifier" and not kinds["fit"].named


def test_a_link_to_a_line_of_the_project_is_a_frame() -> None:
    report = read_report(REPORT)
    assert report.links == [("sklearn/ensemble/_iforest.py", 337)]
    qt = extract_terms(REPORT)
    assert any(f.path == "sklearn/ensemble/_iforest.py" and f.line == 337 for f in qt.frames)


def test_traceback_frames_are_counted_from_the_innermost() -> None:
    tb = ('Traceback (most recent call last):\n'
          '  File "/app/run.py", line 3, in <module>\n'
          '  File "/site/pkg/api.py", line 10, in call\n'
          '  File "/site/pkg/core.py", line 20, in inner\n'
          'KeyError: missing\n')
    frames = extract_terms(tb).frames
    assert [(f.path.rsplit("/", 1)[-1], f.depth) for f in frames] == [
        ("core.py", 0), ("api.py", 1), ("run.py", 2)]


def test_an_error_message_is_split_where_a_format_string_fills_in() -> None:
    got = message_fragments("X does not have valid feature names, but IsolationForest was "
                            "fitted with feature names")
    assert got == ["does not have valid feature names, but", "was fitted with feature names"]
    assert message_fragments("Invalid value 'abc' for field 'size': expected an integer") == [
        "expected an integer"] or "expected an integer" in message_fragments(
        "Invalid value 'abc' for field 'size': expected an integer")


def test_a_possessive_keeps_its_name_and_contractions_are_skipped() -> None:
    kinds = {t.text: t.kind for t in extract_terms(
        "AuthenticationForm's username field doesn't set maxlength").terms}
    assert kinds.get("AuthenticationForm") == "identifier"
    assert "doesn" not in kinds and "doesn't" not in kinds


FORMATTED = '''import warnings


def check_names(estimator, X):
    if not hasattr(X, "columns"):
        warnings.warn(
            f"X does not have valid feature names, but {estimator.__class__.__name__}"
            " was fitted with feature names"
        )
    return X
'''


async def test_a_quoted_message_finds_the_code_that_formats_it(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "validation.py").write_text(FORMATTED)
    for i in range(5):
        (tmp_path / "pkg" / f"est{i}.py").write_text(
            f"class Forest{i}:\n    def fit(self, X):\n        # feature names are kept\n"
            f"        return self\n")
    query = ('Warning when fitting: "X does not have valid feature names, but IsolationForest '
             'was fitted with feature names"')
    result = await search(SearchRequest(query=query, repo=str(tmp_path)))
    first = result.spans[0]
    assert first.path == "pkg/validation.py" and first.reason == "function check_names"
