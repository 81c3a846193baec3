"""`--live` wiring without a network: the real loop, each configuration's tools, a ScriptedModel."""

from __future__ import annotations

from pathlib import Path

import pytest

from splice.bench.tasks import Task
from splice.bench.tokens.gold import read_gold
from splice.bench.tokens.live import live_task, live_totals
from splice.core.llm import ModelResponse, ScriptedModel, Usage, tool_call
from tests.bench.tokens_fixture import header_task, make_repo

CHECK = ("python -c \"import pkg.core as c; "
         "assert c.parse_header('text/plain; charset=utf-8')[1] == {'charset': 'utf-8'}\"")


def _say(*calls: object, tokens: int = 100) -> ModelResponse:
    return ModelResponse(content=list(calls), stop_reason="tool_use",
                         usage=Usage(input_tokens=tokens, output_tokens=10))


def _script(config: str, before: str, after: str) -> ScriptedModel:
    fixed = after[after.index("def parse_header"):after.index("def format_header")]
    if config == "naive":
        steps = [_say(tool_call("grep", patterns=["parse_header"], mode="count")),
                 _say(tool_call("read_file", path="pkg/core.py")),
                 _say(tool_call("write_file", path="pkg/core.py", content=after))]
    elif config == "careful":
        edit = ('<<<<<<< SEARCH\n        if key and key != "charset":\n=======\n'
                "        if key:\n>>>>>>> REPLACE\n")
        steps = [_say(tool_call("grep", patterns=["parse_header"])),
                 _say(tool_call("read", path="pkg/core.py", offset=240, limit=30)),
                 _say(tool_call("edit", path="pkg/core.py", edit=edit))]
    else:
        edit = "# ... existing code ...\n" + fixed + "# ... existing code ...\n"
        steps = [_say(tool_call("search", query="parse_header charset parameter")),
                 _say(tool_call("edit", path="pkg/core.py", edit=edit))]
    steps.append(_say(tool_call("finish", summary="kept charset")))
    return ScriptedModel(steps)


@pytest.mark.parametrize("config", ["naive", "careful", "splice"])
async def test_each_configuration_runs_the_real_loop(tmp_path: Path, config: str) -> None:
    repos = tmp_path / "repos"
    root = make_repo(repos / "local__fixture")
    task = Task.model_validate({**header_task(), "test_cmd": CHECK})
    gold = read_gold(task.patch, root)[0]
    model = _script(config, gold.before, gold.after)
    row = await live_task(task, repos, model, config)
    assert row.error == "" and row.status == "finished", row
    assert row.changed_files == ["pkg/core.py"]
    assert row.tests_passed is True
    assert row.tokens >= 100 * row.steps
    # the user's tree is untouched: the agent worked in a scratch copy
    assert (root / "pkg" / "core.py").read_text() == gold.before
    assert model.remaining == 0
    assert live_totals([row])[config]["finished"] == 1
    if config == "careful":  # the baselines keep every result: no stale-read masking
        results = [b.content for m in model.calls[-1] for b in m.content
                   if getattr(b, "type", "") == "tool_result"]
        assert any(r.startswith("pkg/core.py:240-") for r in results)


async def test_a_wrong_fix_fails_the_tests(tmp_path: Path) -> None:
    repos = tmp_path / "repos"
    make_repo(repos / "local__fixture")
    task = Task.model_validate({**header_task(), "test_cmd": CHECK})
    model = ScriptedModel([_say(tool_call("finish", summary="did nothing"))])
    row = await live_task(task, repos, model, "careful")
    assert row.status == "finished" and row.changed_files == []
    assert row.tests_passed is False
