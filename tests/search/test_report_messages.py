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
