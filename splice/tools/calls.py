"""Each worker call defined once: its arguments, their descriptions, defaults and bounds.

These models are the single definition. Every surface is a view of them (`view`): the
orchestrator's tools (splice.agent.tool_models), the MCP tools under Morph's names
(`code_edit` for `edit`, `repo_path` for `scope`, splice.tools.mcp), the CLI's options
(splice.commands, through `option_help`/`bounds`) and, through the tools, the Anthropic and
OpenAI schemas the providers send and the token benchmark counts. Where a worker's own
request model bounds a value too (SearchRequest.max_tokens), both take it from
splice.core.bounds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from copy import copy
from typing import Any

from pydantic import AliasChoices, BaseModel, Field, create_model
from pydantic.fields import FieldInfo

from splice.core.bounds import SEARCH_MAX_TOKENS, SEARCH_MIN_TOKENS


class SearchCall(BaseModel):
    query: str = Field(
        min_length=1,
        description="What to find, in plain words and code: a symbol or dotted name "
                    "(`Session.request`), an error message or a traceback, a path fragment, "
                    "a quoted string, or a behaviour. Identifiers, paths and quoted strings "
                    "weigh most.")
    scope: str | None = Field(
        None,
        description="Where to search: the repository root (the default) or a folder or file "
                    "inside it. Nothing outside the root can be searched.")
    max_tokens: int = Field(
        2000, ge=SEARCH_MIN_TOKENS, le=SEARCH_MAX_TOKENS,
        description="Most tokens the answer may take; the best spans are kept.")


class EditCall(BaseModel):
    path: str = Field(
        min_length=1,
        description="The file to edit, relative to the repository root (an absolute path "
                    "must lie inside the root).")
    edit: str = Field(
        min_length=1,
        description="The changed lines with `... existing code ...` markers for what is "
                    "skipped, or SEARCH/REPLACE blocks, a unified diff, a `*** Begin Patch` "
                    "envelope or the whole new file (detected automatically).")
    instruction: str = Field(
        "", description="One short sentence saying what the edit does.")
    # Morph's clients may send `dryRun`; an ignored dry run would write the file.
    dry_run: bool = Field(
        False, validation_alias=AliasChoices("dry_run", "dryRun"),
        description="True: show the diff the edit would make and write nothing.")
    force: bool = Field(
        False, description="True: apply even when a safety guard refused (the result no "
                           "longer parses, or a large stretch would be deleted). Only after "
                           "such a refusal, when that is what you mean.")


class CompactCall(BaseModel):
    text: str = Field(
        min_length=1,
        description="The text to shrink: a file, a log, test or build output, a diff.")
    query: str = Field(
        min_length=1,
        description="What you need from the text, e.g. 'why does test_login fail'. Lines "
                    "that bear on it are kept.")
    ratio: float | None = Field(
        None, gt=0, le=1,
        description="Fraction of the text's tokens to keep, e.g. 0.3. Leave it out to let "
                    "the compactor keep what the query needs.")


class RunCall(BaseModel):
    command: str = Field(
        min_length=1,
        description="A shell command as you would type it in bash, run from the repository "
                    "root, e.g. `python -m pytest tests/test_api.py -x -q`.")
    timeout_s: int = Field(120, ge=1, le=3600,
                           description="Seconds before the command is stopped.")


def view(name: str, call: type[BaseModel], fields: Iterable[str], *,
         rename: Mapping[str, str] | None = None, required: Iterable[str] = (),
         doc: str | None = None) -> type[BaseModel]:
    """A model with some of `call`'s fields, under the names a surface uses.

    The fields are the call's own FieldInfo (description, default, bounds, aliases);
    `required` drops a default where a surface insists on a value (Morph's `instruction`).
    """
    rename = dict(rename or {})
    must = set(required)
    spec: dict[str, Any] = {}
    for field_name in fields:
        field = copy(call.model_fields[field_name])
        if field_name in must:
            field.default = ...
        spec[rename.get(field_name, field_name)] = (field.annotation, field)
    model: type[BaseModel] = create_model(name, __doc__=doc, **spec)
    model.__splice_call__ = (call, {v: k for k, v in rename.items()})  # type: ignore[attr-defined]
    return model


def as_call(args: BaseModel) -> Any:
    """A view's arguments as the call they are a view of (renamed fields renamed back)."""
    call, back = type(args).__splice_call__  # type: ignore[attr-defined]
    values = {back.get(k, k): v for k, v in args.model_dump().items()}
    return call.model_validate({k: v for k, v in values.items() if k in call.model_fields})


def field_info(call: type[BaseModel], name: str) -> FieldInfo:
    return call.model_fields[name]


def option_help(call: type[BaseModel], name: str) -> str:
    """A CLI option's help: the call's own field description."""
    return call.model_fields[name].description or ""


def bounds(call: type[BaseModel], name: str) -> dict[str, Any]:
    """A field's numeric bounds as typer's min/max keywords."""
    out: dict[str, Any] = {}
    for rule in call.model_fields[name].metadata:
        for key, word in (("ge", "min"), ("gt", "min"), ("le", "max"), ("lt", "max")):
            value = getattr(rule, key, None)
            if value is not None:
                out[word] = value
    return out


def default(call: type[BaseModel], name: str) -> Any:
    return call.model_fields[name].default
