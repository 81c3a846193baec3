"""Each worker call defined once: its arguments, their descriptions, defaults and bounds.

These models are the single definition. Every surface is a view of them (a CallView whose
fields come from `field_of`): the
orchestrator's tools (splice.agent.tool_io), the MCP tools under Morph's names
(`code_edit` for `edit`, `repo_path` for `scope`, splice.tools.mcp), the CLI's options
(splice.commands, through `option_help`/`bounds`) and, through the tools, the Anthropic and
OpenAI schemas the providers send and the token benchmark counts. Where a worker's own
request model bounds a value too (SearchRequest.max_tokens), both take it from
splice.core.bounds.
"""

from __future__ import annotations

from copy import copy
from typing import Any, ClassVar

from pydantic import AliasChoices, BaseModel, Field
from pydantic_core import PydanticUndefined

from splice.core.bounds import SEARCH_MAX_TOKENS, SEARCH_MIN_TOKENS

# Field descriptions are sent with every orchestrator turn: short, and what a caller needs.
# The tools' own descriptions say more (splice.tools.mcp, splice.agent.tool_io).

class SearchCall(BaseModel):
    query: str = Field(
        min_length=1,
        description="What to find: words, identifiers, an error message or traceback, a "
                    "path, a quoted string.")
    scope: str | None = Field(
        default=None, description="A folder or file inside the repository to search (default: all "
                          "of it).")
    max_tokens: int = Field(default=2000, ge=SEARCH_MIN_TOKENS, le=SEARCH_MAX_TOKENS,
                            description="Most tokens the answer may take.")


class EditCall(BaseModel):
    path: str = Field(min_length=1, description="Relative to the repository root.")
    edit: str = Field(
        min_length=1,
        description="The change: a lazy snippet with `... existing code ...` markers, "
                    "SEARCH/REPLACE blocks, a unified diff, a patch or the whole file.")
    instruction: str = Field(default="", description="One sentence: what this edit does.")
    # Morph's clients may send `dryRun`; an ignored dry run would write the file.
    dry_run: bool = Field(default=False, validation_alias=AliasChoices("dry_run", "dryRun"),
                          description="Show the diff and write nothing.")
    force: bool = Field(default=False, description="After a refused deletion or parse error you do "
                                           "mean: apply anyway.")


class CompactCall(BaseModel):
    text: str = Field(min_length=1, description="The text to shrink: a file, a log, test "
                                                "output, a diff.")
    query: str = Field(min_length=1, description="What you need from the text; lines that "
                                                 "bear on it are kept.")
    ratio: float | None = Field(default=None, gt=0, le=1,
                                description="Fraction of the tokens to keep, e.g. 0.3 "
                                            "(default: what the query needs).")


class RunCall(BaseModel):
    command: str = Field(min_length=1, description="A bash command, run from the "
                                                   "repository root.")
    timeout_s: int = Field(default=120, ge=1, le=3600, description="Seconds before it is stopped.")


def field_of(call: type[BaseModel], name: str, *, required: bool = False) -> Any:
    """The call's own definition of field `name` (description, default, bounds, aliases),
    for a surface's model: `query: str = field_of(SearchCall, "query")`. `required` drops
    the default where a surface insists on a value (Morph's `instruction`)."""
    field = copy(call.model_fields[name])
    if required:
        field.default = PydanticUndefined
    return field


class CallView(BaseModel):
    """A surface's arguments for one call, every field taken from the call by `field_of`.

    `renamed` maps a surface's field name to the call's (Morph's `code_edit` is the call's
    `edit`); tests/tools/test_calls.py checks that no view describes a field on its own.
    """

    call: ClassVar[type[BaseModel]]
    renamed: ClassVar[dict[str, str]] = {}

    def to_call(self) -> Any:
        """These arguments as the call they are a view of (renamed fields renamed back)."""
        values = {self.renamed.get(k, k): v for k, v in self.model_dump().items()}
        return self.call.model_validate(values)


def default(call: type[BaseModel], name: str) -> Any:
    """A CLI option's default: the call's own."""
    return call.model_fields[name].default


def option_help(call: type[BaseModel], name: str) -> str:
    """A CLI option's help: the call's own field description."""
    return call.model_fields[name].description or ""
