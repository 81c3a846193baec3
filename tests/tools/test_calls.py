"""Every surface's arguments are a view of the one definition of each worker call.

A view may rename a field (Morph's `code_edit`) or insist on a value the call defaults
(`instruction`), but never describe, bound or type a field on its own.
"""

import pytest
from pydantic import BaseModel

from splice.agent.tool_io import EditInput, RunInput, SearchInput
from splice.bench.tokens.live_tools import CarefulEditInput
from splice.core.bounds import SEARCH_MAX_TOKENS, SEARCH_MIN_TOKENS
from splice.search import SearchRequest
from splice.tools.calls import CallView, SearchCall
from splice.tools.mcp import CodebaseSearchInput, CompactInput, EditFileInput, RunCommandInput

VIEWS = [SearchInput, EditInput, RunInput, CodebaseSearchInput, CompactInput, EditFileInput,
         RunCommandInput, CarefulEditInput]


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.__name__)
def test_each_field_is_the_calls_own(view: type[CallView]) -> None:
    call: type[BaseModel] = view.call
    for name, field in view.model_fields.items():
        own = call.model_fields[view.renamed.get(name, name)]
        assert field.annotation == own.annotation, name
        assert field.description == own.description, name
        assert field.metadata == own.metadata, name
        assert field.validation_alias == own.validation_alias, name
        assert field.default == own.default or field.is_required(), name


def test_views_rename_back_to_the_call() -> None:
    args = EditFileInput.model_validate({"path": "a.py", "code_edit": "x = 1\n",
                                         "instruction": "I set x.", "dryRun": True})
    call = args.to_call()
    assert (call.path, call.edit, call.dry_run) == ("a.py", "x = 1\n", True)
    assert CodebaseSearchInput(query="q", repo_path="src").to_call().scope == "src"
    assert EditFileInput.model_json_schema()["required"] == ["path", "code_edit", "instruction"]
    assert "instruction" not in EditInput.model_json_schema()["required"]


def test_the_search_bound_is_the_workers() -> None:
    for model in (SearchCall, SearchRequest):
        rules = model.model_fields["max_tokens"].metadata
        assert [(getattr(r, "ge", None), getattr(r, "le", None)) for r in rules] == [
            (SEARCH_MIN_TOKENS, None), (None, SEARCH_MAX_TOKENS)]
