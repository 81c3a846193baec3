"""Docstrings left out of the spans shown: a report's words are the documentation's words, but
the fix is in the code below them (docstrings.py)."""

from __future__ import annotations

from pathlib import Path

from splice.core.spans import Span
from splice.search import SearchRequest, search
from splice.search.docstrings import (
    discount_docstrings,
    docstring_ranges,
    unhit,
    without_docstrings,
)
from splice.search.symbols import extract_definitions

SOURCE = '''"""Encoders of categorical features.

Every encoder here maps categories to integers.
"""
import numpy as np


@register
def encode(values,
           categories):
    r"""Map each value to its category's index.

    Unknown values raise.
    """
    return [categories.index(v) for v in values]


def short(x):
    """One line only."""
    return x
'''


def _line(text: str) -> int:
    return SOURCE.splitlines().index(text) + 1


def test_docstrings_are_found_after_decorators_and_a_long_signature() -> None:
    defs = extract_definitions(SOURCE.encode(), "python")
    docs = docstring_ranges(SOURCE.split("\n"), defs)
    # the module's and encode's; short's one-line docstring is not worth a second span
    assert docs == [(1, 4), (_line('    r"""Map each value to its category\'s index.'),
                             _line("    Unknown values raise.") + 1)]


def test_a_span_is_cut_around_a_docstring_no_hit_falls_in() -> None:
    first, last = _line("@register"), _line("    return [categories.index(v) for v in values]")
    span = Span(path="enc.py", start_line=first, end_line=last)
    doc = (_line('    r"""Map each value to its category\'s index.'),
           _line("    Unknown values raise.") + 1)
    pieces = without_docstrings(span, unhit([doc], hit_lines={last}))
    assert [(p.start_line, p.end_line) for p in pieces] == [(first, doc[0] - 1), (doc[1] + 1, last)]
    # a hit inside the docstring (the report quoted it) keeps the span whole
    assert unhit([doc], hit_lines={doc[0] + 2}) == []
    # a span that starts inside a docstring loses the docstring's end; one past it is whole
    inside = Span(path="enc.py", start_line=doc[0] + 1, end_line=last)
    assert [(p.start_line, p.end_line) for p in without_docstrings(inside, [doc])] == \
        [(doc[1] + 1, last)]
    after = Span(path="enc.py", start_line=doc[1] + 1, end_line=last)
    assert without_docstrings(after, [(1, 4), doc]) == [after]


def test_hits_inside_a_docstring_count_less() -> None:
    rows = {2: {"categories": 1.0}, 9: {"categories": 1.0}}
    discount_docstrings([(1, 4)], rows)
    assert rows[2]["categories"] < rows[9]["categories"]


# A scikit-learn-shaped module: the helper that fills in unknown entries documents its
# parameters at length (in words the report does not use); the fix is one line of its code.
PARAMS = "".join(f"""
    option_{i} : int, default=None
        Number of rows read at a time; None reads all of X.
""" for i in range(8))

ENCODERS = f'''import numpy as np


def _transform(X, categories_, handle_unknown="error"):
    """Map each column of X to integer codes.

    Parameters
    ----------
{PARAMS}
    Returns
    -------
    X_int : list of lists, one per row
    """
    X_int = np.zeros_like(X, dtype=int)
    for i in range(X.shape[1]):
        Xi = X[:, i]
        valid_mask = np.isin(Xi, categories_[i])
        if not np.all(valid_mask):
            if handle_unknown == "error":
                raise ValueError("Found unknown categories during transform of strings")
            Xi = Xi.copy()
            Xi[~valid_mask] = categories_[i][0]
        X_int[:, i] = np.searchsorted(categories_[i], Xi)
    return X_int


class OneHotEncoder:
    def __init__(self, handle_unknown="error"):
        self.handle_unknown = handle_unknown

    def transform(self, X):
        return _transform(X, self.categories_, handle_unknown=self.handle_unknown)
'''

REPORT = """OneHotEncoder ignore unknown error when categories are strings

With handle_unknown='ignore' and string categories, transform sets the unknown strings
of the array to the first category, self.categories_[i][0]. When that category is a
longer string than the unknown entries it is truncated and a ValueError is raised.

```python
enc = OneHotEncoder(handle_unknown='ignore')
enc.fit(train)
enc.transform(test)
```
"""


async def test_the_fix_line_fits_when_the_docstring_is_left_out(tmp_path: Path) -> None:
    (tmp_path / "preprocessing").mkdir()
    (tmp_path / "preprocessing" / "encoders.py").write_text(ENCODERS)
    result = await search(SearchRequest(query=REPORT, repo=str(tmp_path), max_tokens=250))
    fix = ENCODERS.splitlines().index("            Xi[~valid_mask] = categories_[i][0]") + 1
    shown = [s for s in result.spans if s.path == "preprocessing/encoders.py"]
    assert any(s.start_line <= fix <= s.end_line for s in shown)
    # the helper's signature is still shown, its parameter docs are not
    lines = ENCODERS.splitlines()
    head, doc = lines.index('def _transform(X, categories_, handle_unknown="error"):') + 1, \
        lines.index("    Parameters") + 1
    assert any(s.start_line <= head <= s.end_line for s in shown)
    assert not any(s.start_line <= doc <= s.end_line for s in shown)
