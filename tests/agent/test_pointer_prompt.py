"""The orchestrator's prompt tells the model what to do with the places a search lists but
does not show: read them (their ranges) before grepping."""

from __future__ import annotations

from splice.agent.prompts import SYSTEM_PROMPT
from splice.search.models import POINTERS_HEADING


def test_the_prompt_says_to_read_the_listed_places_before_grepping() -> None:
    search_item = SYSTEM_PROMPT.split("\n2.")[0]  # the search step of the prompt
    assert "`read` the places it lists" in search_item
    assert search_item.index("`read` the places") < search_item.index("before grepping")


def test_the_answer_calls_them_what_the_prompt_calls_them() -> None:
    """The heading the model sees says they are places not shown, to read before grepping."""
    assert POINTERS_HEADING.startswith("More places")
    assert "not shown" in POINTERS_HEADING and "before grepping" in POINTERS_HEADING
