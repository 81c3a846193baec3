"""A Codex patch's `@@ def f` line names the definition its chunk lies in: where the chunk's
lines fit several places after that line, the one inside that definition is meant (as
SWE-bench's scikit-learn-12682 patch writes a docstring chunk under `@@ def dict_learning`,
whose lines dict_learning_online repeats further down)."""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.core.errors import AmbiguousMatch

BODY = '''    """Fit the model.

    Returns
    -------
    self
    """
    return fit(data)
'''
ORIGINAL = "def learn(data):\n" + BODY + "\n\ndef learn_online(data):\n" + BODY


def _patch(scope: str) -> str:
    return f"""*** Begin Patch
*** Update File: learn.py
@@ {scope}
     Returns
     -------
-    self
+    self : the fitted model
     \"\"\"
*** End Patch
"""


def test_a_chunk_under_a_def_line_lands_inside_that_definition() -> None:
    # right outcome: the first function's docstring changed, the second's untouched
    merged = merge(ORIGINAL, _patch("def learn(data):"), path="learn.py").text
    first, second = merged.split("def learn_online(data):")
    assert "self : the fitted model" in first and "self : the fitted model" not in second


def test_a_scope_line_that_opens_no_definition_does_not_settle_it() -> None:
    # right outcome: refuse (the `@@` line is a docstring line, not a definition's header)
    with pytest.raises(AmbiguousMatch):
        merge(ORIGINAL, _patch('"""Fit the model.'), path="learn.py")
