"""The budget split between the leading files' best regions (breadth) and the best file's
next regions (depth), at the agent's 2,000 tokens: a bug report's answer whose fix lies in
the best file's second region, with four more leading files whose best regions are long."""

from __future__ import annotations

from pathlib import Path

from splice.core.repo import Repo
from splice.core.spans import Span
from splice.search.fitting import LineCache, SpanCandidate, fit


def _function(name: str, lines: int) -> list[str]:
    out = [f"def {name}(request, options):\n"]
    out += [f"    step_{k} = options.get('{name}_{k}')\n" for k in range(lines - 1)]
    return out


def _answer(root: Path) -> list[SpanCandidate]:
    """a.py: the best region (lines 1-35) and, below it, the function the fix edits (61-108,
    its line 100 the fix); b.py..e.py: their best region (lines 1-35, ~460 tokens each)."""
    for name in "abcde":
        text = _function(f"{name}_main", 60) + _function(f"{name}_helper", 60)
        (root / f"{name}.py").write_text("".join(text))

    def cand(name: str, start: int, end: int, worth: float, tier: int) -> SpanCandidate:
        shown = (worth + (1 if tier == 0 else 0)) / 2  # as merge_regions scores them
        return SpanCandidate(Span(path=f"{name}.py", start_line=start, end_line=end, score=shown),
                             start + 4, tier, priority=worth)

    out = [cand("a", 1, 35, 1.0, 0), cand("a", 61, 108, 0.7, 1)]
    out += [cand(name, 1, 35, 0.6 - i / 10, 0) for i, name in enumerate("bcde")]
    return sorted(out, key=lambda c: -c.span.score)


def test_the_best_files_second_region_fits_whole_at_2000_tokens(tmp_path: Path) -> None:
    spans, _, used = fit(_answer(tmp_path), LineCache(Repo(tmp_path)), 2000)
    assert used <= 2000
    # every leading file is shown (some by their focus lines only)...
    assert list(dict.fromkeys(s.path for s in spans)) == ["a.py", "b.py", "c.py", "d.py", "e.py"]
    # ...and the best file's second region whole, the fix line (100) with it
    second = [s for s in spans if s.path == "a.py" and s.start_line > 35]
    assert [(s.start_line, s.end_line) for s in second] == [(61, 108)]


def test_at_4000_tokens_every_leading_region_is_whole(tmp_path: Path) -> None:
    spans, _, used = fit(_answer(tmp_path), LineCache(Repo(tmp_path)), 4000)
    assert used <= 4000
    assert sorted((s.path, s.start_line, s.end_line) for s in spans) == [
        ("a.py", 1, 35), ("a.py", 61, 108), ("b.py", 1, 35), ("c.py", 1, 35),
        ("d.py", 1, 35), ("e.py", 1, 35)]


def test_a_leading_file_past_the_share_costs_a_few_lines(tmp_path: Path) -> None:
    # at 1,900 tokens the share (1,235) is spent before e.py: e.py is listed by its focus
    # line and two either side (~70 tokens), which leaves a.py's second region room to fit
    # whole; nine lines for e.py (~105 tokens) cut the second region to its focus lines
    spans, _, used = fit(_answer(tmp_path), LineCache(Repo(tmp_path)), 1900)
    assert used <= 1900
    last = [s for s in spans if s.path == "e.py"]
    assert [(s.start_line, s.end_line) for s in last] == [(3, 7)]
    second = [s for s in spans if s.path == "a.py" and s.start_line > 35]
    assert [(s.start_line, s.end_line) for s in second] == [(61, 108)]
