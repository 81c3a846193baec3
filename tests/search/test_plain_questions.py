"""Questions in plain words, as a new user types them (issue 16): a definition named by an
everyday verb is found, a name that occurs nowhere is said so first, a command-line flag is
searched literally, and "best first" output is in score order."""

from __future__ import annotations

from pathlib import Path

import pytest

from splice.core.spans import Span
from splice.search import SearchRequest, search
from splice.search.fitting import SpanCandidate
from splice.search.index import forget_memory
from splice.search.regions import merge_regions as _merge
from splice.search.words import forget_shares

FILLER = '''"""Helpers that add, update, remove and handle the change of a version in each case."""


def helper_{i}(items, cache, request):
    # We add the item, update the cache and remove stale entries; handle the case
    # where the version changes, and change nothing else.
    items.add({i})
    cache.update({{{i}: {i}}})
    cache.pop({i}, None)
    return items
'''

TARGETS = {
    "shop/calc.py": '''def add(a, b):
    """Two prices together."""
    return a - b
''',
    "shop/mapping.py": '''def update(target, other):
    """Copy the entries of other into target."""
    for key in list(other)[1:]:
        target[key] = other[key]
    return target
''',
    "shop/registry.py": '''def remove(registry, name):
    """Take a product out of the registry."""
    registry.get(name)
''',
    "shop/dispatch.py": '''def handle(request):
    """Route a request to its view."""
    return VIEWS[request.path](request)
''',
    "shop/owners.py": '''def change(order, owner):
    """Give an order to a new owner."""
    order.previous = owner
''',
    "shop/about.py": '''def version():
    """The release of the shop package."""
    return "0.0"
''',
    "shop/text.py": '''def case(title, upper):
    """Title in upper or lower letters."""
    return title.lower()
''',
}

QUESTIONS = [
    ("the add function returns the wrong sum", "shop/calc.py", "function add"),
    ("update() drops keys", "shop/mapping.py", "function update"),
    ("remove does nothing", "shop/registry.py", "function remove"),
    ("handle crashes", "shop/dispatch.py", "function handle"),
    ("change is ignored", "shop/owners.py", "function change"),
    ("version is wrong", "shop/about.py", "function version"),
    ("case is wrong", "shop/text.py", "function case"),
]


# The rest of each question's words, often, in code that is not the answer (as click's
# modules hold "function", "returns", "item" and "text" many times over).
CHATTER = '''

def chatter_{i}(function, arguments, keys, events, text):
    """This function returns the sum of the last item; it loses nothing and swaps nothing."""
    # the wrong sum drops keys; None for events; reports 0.0; does not lower the text
    return function(*arguments) or keys or events or text.lower()
'''


def _shop(tmp_path: Path, helpers: int, chatter: bool = False) -> Path:
    files = {f"shop/helpers_{i}.py": FILLER.format(i=i) + (CHATTER.format(i=i) if chatter else "")
             for i in range(helpers)}
    files.update(TARGETS)
    files["shop/cli.py"] = ('import click\n\n\n@click.command("routes")\n'
                            '@click.option("--all-methods", is_flag=True, help="Show HEAD and '
                            'OPTIONS methods.")\ndef routes_command(all_methods):\n'
                            '    """Show the routes."""\n    return all_methods\n')
    for i in range(6):  # more routes and methods than the command itself has
        files[f"shop/routing_{i}.py"] = ('"""Routes and their methods."""\n\n\n'
                                         f'def routes_{i}(methods):\n'
                                         '    # routes routes methods methods\n'
                                         '    return [m for m in methods]\n')
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    forget_memory(tmp_path)
    forget_shares()
    return tmp_path


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return _shop(tmp_path, 60)


@pytest.fixture
def small_shop(tmp_path: Path) -> Path:
    """Too few files for the words' statistics to drop anything: the verbs and the rest of
    each question stay in every helper, so only the rarity of the definition itself can
    point at it."""
    return _shop(tmp_path, 12, chatter=True)


@pytest.mark.parametrize(("question", "path", "reason"), QUESTIONS,
                         ids=[q[2].split()[1] for q in QUESTIONS])
async def test_a_definition_named_by_an_everyday_verb_is_found(
        shop: Path, question: str, path: str, reason: str) -> None:
    result = await search(SearchRequest(query=question, repo=str(shop), max_tokens=1500))
    assert result.spans, result.note
    first = result.spans[0]
    assert (first.path, first.reason) == (path, reason)


@pytest.mark.parametrize(("question", "path", "reason"), QUESTIONS,
                         ids=[q[2].split()[1] for q in QUESTIONS])
async def test_in_a_small_repo_a_definition_named_by_a_verb_is_in_the_top_five(
        small_shop: Path, question: str, path: str, reason: str) -> None:
    result = await search(SearchRequest(query=question, repo=str(small_shop), max_tokens=1500))
    assert (path, reason) in [(s.path, s.reason) for s in result.spans[:5]], result.spans[:5]


async def test_a_name_that_occurs_nowhere_is_said_first(shop: Path) -> None:
    result = await search(SearchRequest(query="get_user_by_token returns None for an expired "
                                              "token", repo=str(shop)))
    assert result.missing == ["get_user_by_token"]
    assert result.render().startswith("Not found in the repository: `get_user_by_token`.")
    # a name that is there is not reported
    found = await search(SearchRequest(query="helper_3 returns the items", repo=str(shop)))
    assert found.missing == [] and not found.render().startswith("Not found")


async def test_a_command_line_flag_is_searched_literally(shop: Path) -> None:
    result = await search(SearchRequest(query="flask routes --all-methods", repo=str(shop)))
    assert "--all-methods" in result.stats.terms
    assert result.spans[0].path == "shop/cli.py"
    assert "--all-methods" in result.texts[0]


def test_merged_candidates_are_in_score_order_with_leading_regions_first() -> None:
    # a leading file's best region (tier 0) still comes before another file's second region,
    # and the scores shown say so
    cands = [SpanCandidate(Span(path="a.py", start_line=1, end_line=5, score=1.0), 2, 0),
             SpanCandidate(Span(path="a.py", start_line=40, end_line=45, score=0.7), 41, 1),
             SpanCandidate(Span(path="b.py", start_line=1, end_line=5, score=0.1), 2, 0)]
    merged = _merge(cands)
    assert [c.span.path for c in merged] == ["a.py", "b.py", "a.py"]
    scores = [c.span.score for c in merged]
    assert scores == sorted(scores, reverse=True)


async def test_best_first_output_is_in_score_order(shop: Path) -> None:
    result = await search(SearchRequest(
        query="add update remove handle change version case routes methods items cache",
        repo=str(shop), max_tokens=3000))
    scores = [s.score for s in result.spans]
    assert len(scores) >= 5
    assert scores == sorted(scores, reverse=True)
