from pathlib import Path

from splice.core.llm import ModelResponse, ScriptedModel, TextBlock, tool_call
from tests.agent.helpers import PYTEST, make_agent, make_repo


async def test_scripted_fix_reaches_finish_and_diff(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    model = ScriptedModel([
        ModelResponse(content=[TextBlock(text="look"), tool_call("search", id="s1", query="def add")]),
        ModelResponse(content=[tool_call("read", id="r1", path="calc.py", start_line=1, end_line=2)]),
        ModelResponse(content=[tool_call("edit", id="e1", path="calc.py", edit="a - b=>a + b")]),
        ModelResponse(content=[tool_call("run", id="t1", command=PYTEST)]),
        ModelResponse(content=[tool_call("finish", id="f1", summary="fixed add")]),
    ])
    agent = make_agent(repo, model)
    result = await agent.run("fix add")
    assert result.status == "finished", result
    assert result.summary == "fixed add"
    assert "+    return a + b" in result.diff
    assert result.changed_files == ["calc.py"]
    # The user's tree is untouched until commit.
    assert "a - b" in (repo / "calc.py").read_text()
    # The test run saw the edit, and its result went back to the model.
    run_result = model.calls[4][-1].content[0]
    assert run_result.tool_use_id == "t1" and "2 passed" in run_result.content
    steps = agent.store.read_steps()
    assert [s.step for s in steps if s.kind == "step"] == [1, 2, 3, 4, 5]
    assert steps[0].tool_calls[0].evidence[0].path == "calc.py"
    assert steps[1].tool_calls[0].evidence[0].end_line == 2
    assert steps[-1].kind == "end" and steps[-1].status == "finished"
    agent.workspace.commit()
    assert "a + b" in (repo / "calc.py").read_text()
    agent.workspace.cleanup()
