"""The orchestrator's tools: names, inputs and outputs (DESIGN.md, Agent).

Only the shapes live here, with no worker imports, so tests and other tool sets can
build tools with exactly these names and inputs. The worker bindings are in toolset.py.
An output's `spans` are the evidence the trace records for the call.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from splice.core.spans import Span
from splice.tools.guides import lazy_marker_guide

SEARCH, READ, EDIT, RUN, FINISH = "search", "read", "edit", "run", "finish"
TOOL_NAMES = (SEARCH, READ, EDIT, RUN, FINISH)

# Sent with every model call, so each says what the model needs and no more.
DESCRIPTIONS = {
    SEARCH: "Find the code that matters to a question: the few relevant line ranges, each "
            "headed path:start-end, within max_tokens. Use it before reading files.",
    READ: "Numbered lines of one file (1-based, inclusive). Long ranges come compacted, "
          "with '(filtered N lines: A-B)' where lines A-B were left out: read A-B to see them.",
    EDIT: "Change one file; returns the diff, or why the edit was refused (the file is then "
          "untouched). Also takes SEARCH/REPLACE blocks, a unified diff, a '*** Begin Patch' "
          "patch or the whole new file.\n" + lazy_marker_guide("edit"),
    RUN: "Run a shell command (tests, linters, scripts) in the scratch tree, without network. "
         "Returns the exit code and the output, compacted.",
    FINISH: "End the run.",
}


class SearchInput(BaseModel):
    query: str = Field(description="A question, identifiers, an error.")
    max_tokens: int = Field(default=2000, ge=100, le=20000)


class ReadInput(BaseModel):
    path: str = Field(description="Relative to the repository root.")
    start_line: int = Field(default=1, ge=1)
    end_line: int | None = Field(default=None, ge=1, description="Omit for the end of the file.")


class EditInput(BaseModel):
    path: str = Field(description="Relative to the repository root.")
    edit: str
    instruction: str = Field(default="", description="One sentence: what this edit does.")
    force: bool = Field(default=False, description="After a refused deletion or parse error "
                                                   "you do mean: apply anyway.")


class RunInput(BaseModel):
    command: str = Field(description="Run from the repository root.")
    timeout_s: int = Field(default=120, ge=1, le=3600)


class FinishInput(BaseModel):
    summary: str = Field(description="What you changed and how you checked it.")


class ToolText(BaseModel):
    """A tool's answer to the model, with the line ranges it showed as evidence."""

    text: str
    spans: list[Span] = Field(default_factory=list)

    def render(self) -> str:
        return self.text


class EditOutput(ToolText):
    path: str = ""
    changed: bool = True


class RunOutput(ToolText):
    exit_code: int | None = None
    timed_out: bool = False


class FinishOutput(ToolText):
    summary: str = ""

# A provider that got arguments it could not parse as JSON puts the raw text under this
# key; the loop tells the model instead of calling the tool.
INVALID_ARGUMENTS_KEY = "__invalid_arguments__"
