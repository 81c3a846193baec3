"""The scripted end-to-end fix with the REAL workers: search, read, edit, run tests, finish.

Kept apart from the test so the lead can finish it once search, apply and sandbox merge:
`scripted_fix_model()` plays the model; `expected_calc()` is exactly what the user's
calc.py must hold afterwards. Each step checks what the previous tool returned, so a
worker that answers wrongly fails the run loudly instead of being papered over.
"""

from __future__ import annotations

from collections.abc import Sequence

from splice.core.llm import Message, ModelResponse, ScriptedModel, TextBlock, ToolResultBlock
from splice.core.llm import tool_call as call
from tests.agent.helpers import CALC

SEARCH_REPLACE_FIX = """<<<<<<< SEARCH
    return a - b
=======
    return a + b
>>>>>>> REPLACE
"""
PYTEST = "python -m pytest -q -p no:cacheprovider test_calc.py"


def expected_calc() -> str:
    return CALC.replace("return a - b", "return a + b")


def _last_result(messages: Sequence[Message]) -> ToolResultBlock:
    block = messages[-1].content[0]
    assert isinstance(block, ToolResultBlock), block
    return block


def _after_search(messages: Sequence[Message]) -> ModelResponse:
    result = _last_result(messages)
    assert not result.is_error and "calc.py" in result.content, result.content
    return ModelResponse(content=[call("read", id="read_1", path="calc.py", start_line=1,
                                       end_line=5)])


def _after_read(messages: Sequence[Message]) -> ModelResponse:
    result = _last_result(messages)
    assert "return a - b" in result.content, result.content
    return ModelResponse(content=[call("edit", id="edit_1", path="calc.py",
                                       edit=SEARCH_REPLACE_FIX,
                                       instruction="make add add")])


def _after_edit(messages: Sequence[Message]) -> ModelResponse:
    result = _last_result(messages)
    assert not result.is_error and "+    return a + b" in result.content, result.content
    return ModelResponse(content=[call("run", id="run_1", command=PYTEST, timeout_s=120)])


def _after_run(messages: Sequence[Message]) -> ModelResponse:
    result = _last_result(messages)
    assert "2 passed" in result.content, result.content
    return ModelResponse(content=[call("finish", id="finish_1",
                                       summary="add() subtracted; it adds now; tests pass")])


def scripted_fix_model() -> ScriptedModel:
    return ScriptedModel([
        ModelResponse(content=[TextBlock(text="Find add."),
                               call("search", id="search_1", query="def add", max_tokens=1000)]),
        _after_search, _after_read, _after_edit, _after_run,
    ], name="scripted-e2e")
