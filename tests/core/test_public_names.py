"""Each subpackage's public names, pinned: a change here is a change of the public API
and must be made on purpose (DESIGN.md, Public API)."""

import importlib

import pytest

PUBLIC = {
    "splice.core": ["Chunk", "Span", "SpliceError", "count_tokens"],
    "splice.search": ["SearchRequest", "SearchResult", "SearchStats", "search"],
    "splice.compact": ["CompactRequest", "CompactResult", "CompactedSection",
                       "HistoryCompaction", "Kind", "compact", "compact_history",
                       "compact_sync", "mask_tool_results"],
    "splice.apply": ["AmbiguousMatch", "ApplyError", "ApplyReport", "ApplyRequest", "Edit",
                     "FileChange", "MalformedEdit", "MergeResult", "NoMatch", "NothingToUndo",
                     "SuspiciousDeletion", "SyntaxBroken", "UndoConflict", "UndoReport",
                     "WriteFailed", "apply_async", "apply_edits", "merge", "undo"],
    "splice.sandbox": ["CommandResult", "ScratchChange", "GUARANTEES", "Guarantees", "Level",
                       "Sandbox", "SandboxError", "ScratchTree", "probe"],
    "splice.agent": ["Agent", "AnthropicModel", "Budget", "BudgetStop", "BudgetUsage",
                     "CopyWorkspace", "MissingCredentials", "OpenAICompatModel", "Progress",
                     "ProviderChoice", "Redactor", "RetryPolicy", "RunResult", "RunStore",
                     "StepRecord", "Toolset", "TrackedWorkspace", "Workspace", "build_model",
                     "make_workspace", "resume_run", "start_run", "worker_toolset"],
    "splice.tools": ["CallView", "CompactCall", "EditCall", "RunCall", "SearchCall", "Tool",
                     "ToolContext", "ToolOutcome", "explain_invalid", "field_of", "mcp_tools",
                     "render_output"],
}


@pytest.mark.parametrize("package", sorted(PUBLIC))
def test_public_names_are_pinned_and_all_exist(package: str) -> None:
    module = importlib.import_module(package)
    names = list(module.__all__)
    assert sorted(names) == sorted(PUBLIC[package])
    assert len(set(names)) == len(names)
    for name in names:
        assert hasattr(module, name), f"{package}.{name} is listed but not defined"
