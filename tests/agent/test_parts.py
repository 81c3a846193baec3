"""The loop's parts on their own: redaction, workspace, scheduler, read, history, retries."""

import os
from pathlib import Path

import anyio
import pytest

from splice.agent.providers.retry import parse_retry_after
from splice.agent.redact import Redactor
from splice.agent.scheduler import dependencies, run_concurrently
from splice.agent.tool_io import SEARCH, SearchInput, ToolText
from splice.agent.toolset import Toolset, finish_tool, read_tool
from splice.agent.workspace import CopyWorkspace, commit_changes, digest
from splice.core.errors import SpliceError, WriteFailed
from splice.core.llm import Message, ModelResponse, ScriptedModel, TextBlock, tool_call
from splice.core.repo import Repo
from splice.tools import Tool, ToolContext
from tests.agent.helpers import make_agent, make_repo, test_toolset


def test_redactor_scrubs_env_secrets_and_key_shapes() -> None:
    r = Redactor.from_env({"MY_API_KEY": "abcdef123456", "GITHUB_TOKEN": "tok_987654321",
                           "DB_SECRET_VALUE": "hunter2hunter2", "HOME": "/root",
                           "SHORT_TOKEN": "1"}, extra=["explicit-key-xyz"])
    text = ("key abcdef123456 tok tok_987654321 pw hunter2hunter2 home /root "
            "explicit-key-xyz sk-ant-api03-AAAAAAAAAAAAAAAAAAAA 1")
    out = r.scrub_text(text)
    for secret in ("abcdef123456", "tok_987654321", "hunter2hunter2", "explicit-key-xyz",
                   "sk-ant-api03"):
        assert secret not in out
    assert "[REDACTED:MY_API_KEY]" in out and "/root" in out and out.endswith(" 1")
    assert r.scrub({"a": ["abcdef123456", 3]}) == {"a": ["[REDACTED:MY_API_KEY]", 3]}


async def test_secrets_never_reach_the_trace(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEPLOY_TOKEN", "deploy-token-value-42")
    repo = make_repo(tmp_path / "repo")
    (repo / "settings.py").write_text("TOKEN = 'deploy-token-value-42'\n")
    model = ScriptedModel([
        ModelResponse(content=[TextBlock(text="the token is deploy-token-value-42"),
                               tool_call("read", id="r", path="settings.py")]),
        ModelResponse(content=[tool_call("finish", id="f", summary="ok")]),
    ])
    agent = make_agent(repo, model)
    agent.store.redactor = Redactor.from_env()
    await agent.run("task")
    for name in os.listdir(agent.store.path):
        assert "deploy-token-value-42" not in (agent.store.path / name).read_text()
    assert "[REDACTED:DEPLOY_TOKEN]" in agent.store.trace_path.read_text()
    agent.workspace.cleanup()


def test_workspace_copy_changes_diff_and_commit(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / ".git").mkdir()
    (repo / ".git" / "HEAD").write_text("ref")
    ws = CopyWorkspace.create(repo)
    assert not (ws.root / ".git").exists()
    (ws.root / "calc.py").write_text("x = 1\n")
    (ws.root / "new" ).mkdir()
    (ws.root / "new" / "mod.py").write_text("y = 2\n")
    (ws.root / "README.md").unlink()
    assert set(ws.changes()) == {"calc.py", "new/mod.py", "README.md"}
    diff = ws.diff()
    assert "+++ b/new/mod.py" in diff and "--- a/README.md" in diff and "+x = 1" in diff
    assert (repo / "README.md").exists()  # nothing reached the user's tree yet
    assert ws.commit() == ["README.md", "calc.py", "new/mod.py"]
    assert (repo / "calc.py").read_text() == "x = 1\n"
    assert (repo / "new" / "mod.py").read_text() == "y = 2\n"
    assert not (repo / "README.md").exists()
    ws.cleanup()
    assert not ws.root.exists()


def test_commit_refuses_files_the_user_changed_meanwhile(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    ws = CopyWorkspace.create(repo)
    (ws.root / "calc.py").write_text("mine\n")
    (ws.root / "README.md").write_text("also mine\n")
    (repo / "calc.py").write_text("the user's own edit\n")
    with pytest.raises(SpliceError, match="changed in your tree"):
        ws.commit()
    assert (repo / "calc.py").read_text() == "the user's own edit\n"
    assert (repo / "README.md").read_text() == "# calc\n"  # none written
    ws.cleanup()


def test_commit_is_all_or_none_when_a_write_fails(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo")
    baseline = {rel: digest((repo / rel).read_bytes()) for rel in ("calc.py", "test_calc.py")}
    real_replace = os.replace
    calls = {"n": 0}

    def flaky(src: str, dst: str, **fds: int) -> None:
        if not src.startswith("manifest"):
            calls["n"] += 1
        if calls["n"] == 2:  # the second file's new bytes going into place
            raise OSError("disk full")
        real_replace(src, dst, **fds)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(WriteFailed):
        commit_changes(repo, {"calc.py": b"new calc\n", "test_calc.py": b"new test\n"},
                       baseline)
    monkeypatch.setattr(os, "replace", real_replace)
    assert digest((repo / "calc.py").read_bytes()) == baseline["calc.py"]
    assert digest((repo / "test_calc.py").read_bytes()) == baseline["test_calc.py"]
    assert sorted(p.name for p in repo.iterdir() if p.name != ".splice") == [
        "README.md", "calc.py", "test_calc.py"]
    assert not list((repo / ".splice" / "undo").iterdir())  # nothing left to undo


def test_scheduler_dependencies() -> None:
    calls = [tool_call("search", id="1", query="a"), tool_call("read", id="2", path="x.py"),
             tool_call("edit", id="3", path="x.py", edit="e"),
             tool_call("edit", id="4", path="./y.py", edit="e"),
             tool_call("edit", id="5", path="y.py", edit="e"),
             tool_call("read", id="6", path="z.py"), tool_call("run", id="7", command="t"),
             tool_call("finish", id="8", summary="s")]
    deps = dependencies(calls)
    assert deps[1] == []  # reads and searches overlap
    assert deps[2] == [0, 1]  # an edit waits for what looked at its file
    assert deps[3] == [0]
    assert deps[4] == [0, 3]  # same path (normalised): in order
    assert deps[5] == []
    assert deps[6] == [0, 1, 2, 3, 4, 5]  # a run sees everything before it
    assert deps[7] == [0, 1, 2, 3, 4, 5, 6]


async def test_run_concurrently_keeps_order() -> None:
    calls = [tool_call("read", id=str(i), path=f"f{i}.py") for i in range(5)]

    async def execute(call):  # type: ignore[no-untyped-def]
        await anyio.sleep(0.01 * (5 - int(call.id)))
        return call.id

    assert await run_concurrently(calls, execute) == ["0", "1", "2", "3", "4"]


async def test_read_tool_ranges_errors_and_cut(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / "big.py").write_text("".join(f"value_{i} = {i} * 12345\n" for i in range(1, 400)))
    ws = CopyWorkspace.create(repo)
    ctx = ToolContext(repo=Repo(ws.root))
    tool = read_tool(max_tokens=200)
    out = await tool.call({"path": "calc.py", "start_line": 2, "end_line": 2}, ctx)
    assert out.text == "calc.py:2-2 (file has 6 lines)\n2 |     return a - b"
    cut = await tool.call({"path": "big.py"}, ctx)
    assert "not shown; read big.py from start_line=" in cut.text
    assert cut.data and cut.data["spans"][0]["end_line"] == 399
    for bad, needle in [({"path": "calc.py", "start_line": 9}, "past the end"),
                        ({"path": "../etc/passwd"}, "outside"),
                        ({"path": "nope.py"}, "no such file"),
                        ({"path": "calc.py", "start_line": 3, "end_line": 2}, "before")]:
        outcome = await tool.call(bad, ctx)
        assert outcome.is_error and needle in outcome.text, (bad, outcome.text)

    async def squeeze(text: str, query: str, max_tokens: int) -> str:
        return f"(compacted for {query!r})"

    ctx.task = "fix value_7"
    squeezed = await read_tool(squeeze, max_tokens=200).call({"path": "big.py"}, ctx)
    assert squeezed.text.endswith("(compacted for 'fix value_7')")
    ws.cleanup()


async def test_tool_crash_becomes_an_error_result(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")

    async def broken(req: SearchInput, ctx: ToolContext) -> ToolText:
        raise RuntimeError("index corrupt")

    tools = Toolset.of([Tool(SEARCH, "s", SearchInput, ToolText, broken), finish_tool()])
    model = ScriptedModel([ModelResponse(content=[tool_call("search", id="s", query="x")]),
                           ModelResponse(content=[tool_call("finish", id="f", summary="ok")])])
    agent = make_agent(repo, model, toolset=tools)
    result = await agent.run("task")
    assert result.status == "finished"
    told = model.calls[1][-1].content[0]
    assert told.is_error and "RuntimeError: index corrupt" in told.content
    agent.workspace.cleanup()


async def test_history_is_compacted_past_the_trigger(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    seen: list[int] = []

    async def compactor(messages: list[Message], target: int) -> list[Message]:
        seen.append(len(messages))
        return [messages[0], *messages[-2:]]  # keep the task and the newest exchange

    model = ScriptedModel([ModelResponse(content=[tool_call("read", id=f"r{i}", path="test_calc.py")])
                           for i in range(4)]
                          + [ModelResponse(content=[tool_call("finish", id="f", summary="ok")])])
    agent = make_agent(repo, model, toolset=test_toolset(history_compactor=compactor),
                       history_trigger_tokens=1000, history_target_tokens=500,
                       mask_stale=False)  # the same read 4 times: masking would shrink it
    result = await agent.run("task")
    assert result.status == "finished" and seen
    assert max(len(c) for c in model.calls) <= 5
    assert any("history compacted" in s.action for s in agent.store.read_steps())
    agent.workspace.cleanup()


async def test_model_error_ends_the_run_with_the_partial_diff(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    model = ScriptedModel([ModelResponse(content=[
        tool_call("edit", id="e", path="calc.py", edit="a - b=>a + b")])])  # then it runs dry
    agent = make_agent(repo, model)
    result = await agent.run("task")
    assert result.status == "error" and "no more responses" in (result.error or "")
    assert "+    return a + b" in result.diff and result.doing == "edit(calc.py)"
    agent.workspace.cleanup()


def test_parse_retry_after() -> None:
    assert parse_retry_after({"retry-after": "2.5"}) == 2.5
    assert parse_retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert parse_retry_after({}) is None and parse_retry_after({"retry-after": "soon"}) is None
    when = parse_retry_after({"retry-after": "Wed, 21 Oct 2099 07:28:00 GMT"})
    assert when is not None and when > 1e6


async def test_reply_without_tools_is_nudged_once_then_ends(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    model = ScriptedModel([
        ModelResponse(content=[TextBlock(text="I will look at calc.py")]),
        ModelResponse(content=[tool_call("read", id="r", path="calc.py")]),
        ModelResponse(content=[TextBlock(text="Plan: fix add")]),
        ModelResponse(content=[TextBlock(text="All done, add is fine.")]),
    ])
    agent = make_agent(repo, model)
    result = await agent.run("task")
    assert result.status == "finished" and result.summary == "All done, add is fine."
    assert result.steps == 4
    assert "without calling a tool" in model.calls[1][-1].text()
    agent.workspace.cleanup()


async def test_a_failing_history_compactor_does_not_end_the_run(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")

    async def broken(messages: list[Message], target: int) -> list[Message]:
        raise ImportError("no compact worker")

    model = ScriptedModel([ModelResponse(content=[tool_call("read", id="r", path="calc.py")]),
                           ModelResponse(content=[tool_call("finish", id="f", summary="ok")])])
    agent = make_agent(repo, model, toolset=test_toolset(history_compactor=broken),
                       history_trigger_tokens=10)
    result = await agent.run("task")
    assert result.status == "finished"
    assert "history compaction failed (ImportError" in agent.store.read_steps()[0].action
    agent.workspace.cleanup()
