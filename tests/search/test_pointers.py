"""The answer names the next best places it had no room to show (SearchResult.more): one
line each after the code blocks, inside the token budget, never a place already shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from splice.core.repo import Repo
from splice.core.spans import Span
from splice.core.tokens import count_tokens
from splice.search import SearchRequest, search
from splice.search.fitting import LineCache, SpanCandidate
from splice.search.models import POINTERS_HEADING, SearchResult, describe, pointers_text
from splice.search.pointers import pick, reserve, section_tokens

# Sixty renderers that each check a border width, each long enough that a 4,000-token
# answer shows about twenty of them: the next ones must be named, not dropped silently.
HANDLERS = "".join(f'''

def render_border_{i}(canvas, border_width, style="solid"):
    """Draw border {i} of the canvas."""
    if border_width < 0:
        raise ValueError("border_width must not be negative")
    left = canvas.left + border_width * {i}
    right = canvas.right - border_width * {i}
    top = canvas.top + border_width
    bottom = canvas.bottom - border_width
    for edge in (left, right, top, bottom):
        canvas.stroke(edge, style=style, width=border_width)
    canvas.note("border {i} drawn with width", border_width)
    return left, right, top, bottom
''' for i in range(60))

QUERY = ("render_border raises ValueError when border_width is negative: the check "
         "`border_width < 0` should allow zero width borders in render_border")


@pytest.fixture()
def borders(tmp_path: Path) -> Path:
    (tmp_path / "draw").mkdir()
    (tmp_path / "draw" / "__init__.py").write_text("")
    (tmp_path / "draw" / "borders.py").write_text(HANDLERS.lstrip())
    (tmp_path / "draw" / "small.py").write_text("def unrelated():\n    return 1\n")
    return tmp_path


async def test_places_not_shown_are_listed_after_the_code(borders: Path) -> None:
    result = await search(SearchRequest(query=QUERY, repo=str(borders), max_tokens=4000,
                                        planner="deterministic"))
    assert result.spans and result.more
    for place in result.more:  # never a place already shown, never twice the same lines
        assert not any(place.overlaps(s) for s in result.spans)
        assert sum(place.overlaps(o) for o in result.more) == 1
    text = result.render()
    tail = text.split("\n\n")[-1].splitlines()
    assert tail[0] == POINTERS_HEADING
    assert tail[1:] == [f"- {p.label()} function {p.reason.split()[-1]}" for p in result.more]
    assert all(p.reason.startswith("function render_border_") for p in result.more)
    assert text.index(POINTERS_HEADING) > text.rindex("```")  # after every code block


async def test_the_budget_holds_the_pointers_too(borders: Path) -> None:
    for budget in (4000, 6000):
        result = await search(SearchRequest(query=QUERY, repo=str(borders), max_tokens=budget,
                                            planner="deterministic"))
        assert result.more
        assert count_tokens(result.render()) <= budget
        assert result.stats.tokens_returned <= budget


async def test_nothing_listed_when_everything_fits(borders: Path) -> None:
    result = await search(SearchRequest(query=QUERY, repo=str(borders), max_tokens=30_000,
                                        planner="deterministic"))
    assert len(result.spans) >= 60 and result.more == []
    assert POINTERS_HEADING not in result.render()
    assert result.to_json()["more"] == []


async def test_json_carries_the_places(borders: Path) -> None:
    result = await search(SearchRequest(query=QUERY, repo=str(borders), max_tokens=4000,
                                        planner="deterministic"))
    data = result.to_json()
    assert [Span(**m) for m in data["more"]] == result.more  # type: ignore[union-attr]


def _cand(path: str, start: int, end: int, score: float, tier: int = 1) -> SpanCandidate:
    return SpanCandidate(span=Span(path=path, start_line=start, end_line=end, score=score,
                                   reason=f"in class C ({start}-{end + 50})"),
                         focus=start, tier=tier)


def test_pick_skips_shown_and_overlapping_places_best_first(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n" * 100)
    cache = LineCache(Repo(tmp_path))
    shown = [Span(path="a.py", start_line=10, end_line=20)]
    candidates = [_cand("a.py", 15, 30, 9.0),    # overlaps what is shown
                  _cand("a.py", 40, 50, 5.0),
                  _cand("a.py", 45, 60, 4.0),    # overlaps a better pointer
                  _cand("a.py", 70, 80, 6.0),
                  _cand("a.py", 90, 140, 1.0),   # clipped to the file's 100 lines
                  _cand("gone.py", 1, 5, 8.0),   # unreadable: nothing to point at
                  _cand("a.py", 200, 210, 7.0)]  # past the file's end
    more = pick(candidates, shown, cache, budget=500)
    assert [(s.start_line, s.end_line) for s in more] == [(70, 80), (40, 50), (90, 100)]
    assert len(pick(candidates, shown, cache, budget=500, limit=1)) == 1
    # the section stops where its tokens would pass the budget
    tight = pick(candidates, shown, cache, budget=section_tokens(more[:2]))
    assert tight == more[:2]
    assert pick(candidates, shown, cache, budget=0) == []


def test_a_place_says_what_it_is() -> None:
    inside = Span(path="m.py", start_line=5, end_line=9, reason="in class Query (1-900)")
    whole = Span(path="m.py", start_line=5, end_line=9, reason="function build_filter")
    bare = Span(path="m.py", start_line=5, end_line=9)
    assert describe(inside) == "in class Query"
    assert pointers_text([inside, whole, bare]).splitlines()[1:] == [
        "- m.py:5-9 in class Query", "- m.py:5-9 function build_filter", "- m.py:5-9"]
    assert SearchResult(spans=[], more=[whole]).render().endswith("- m.py:5-9 function build_filter")


def test_only_large_budgets_keep_room_for_places() -> None:
    assert reserve(2000) == 0 and reserve(200_000) == reserve(4000) > 0


async def test_the_agents_default_budget_lists_no_places(borders: Path) -> None:
    """At 2,000 tokens (the default) the answer is the code alone, as before: there any
    room kept cost fix lines, and places read cost more than they found (measured)."""
    result = await search(SearchRequest(query=QUERY, repo=str(borders), max_tokens=2000,
                                        planner="deterministic"))
    assert len(result.spans) >= 5 and result.more == []
    assert POINTERS_HEADING not in result.render()


def test_the_heading_says_what_the_places_are_and_what_to_do() -> None:
    """The heading is the model's only instruction about them (the system prompt has no
    line for them): places not shown, to read before grepping when the code is not enough."""
    assert POINTERS_HEADING.startswith("More places")
    assert "not shown" in POINTERS_HEADING and "`read` these ranges before grepping" in POINTERS_HEADING



def test_the_cli_shows_the_places(borders: Path) -> None:
    """`splice search` prints what render() shows; --json carries them as `more`."""
    import json

    from typer.testing import CliRunner

    from splice.cli import app

    args = ["search", QUERY, "--repo", str(borders), "--max-tokens", "4000"]
    text = CliRunner().invoke(app, args)
    assert text.exit_code == 0 and POINTERS_HEADING in text.output
    more = json.loads(CliRunner().invoke(app, [*args, "--json"]).output)["more"]
    assert more and pointers_text([Span(**m) for m in more]) in text.output


async def test_the_tools_show_the_places(borders: Path) -> None:
    """The MCP tool and the agent's search tool return render()'s text: places included."""
    from splice.agent.toolset import worker_toolset
    from splice.tools import ToolContext, mcp_tools

    ctx = ToolContext(repo=Repo(borders))
    mcp = next(t for t in mcp_tools() if t.name == "codebase_search")
    for tool in (mcp, worker_toolset().tools["search"]):
        out = await tool.call({"query": QUERY, "max_tokens": 4000}, ctx)
        assert not out.is_error and POINTERS_HEADING in out.text
        assert out.text.rstrip().splitlines()[-1].startswith("- draw/borders.py:")
