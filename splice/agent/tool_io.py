"""The orchestrator's tools: names, descriptions, inputs and outputs (DESIGN.md, Agent).

Only the shapes live here, with no worker imports, so tests and other tool sets can
build tools with exactly these names and inputs. search, edit and run are views of the
worker calls' single definitions (splice.tools.calls); read and finish are the agent's
own. The worker bindings are in toolset.py. An output's `spans` are the evidence the
trace records for the call.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from splice.core.callsites import CallersReport
from splice.core.spans import Span
from splice.tools.calls import CallView, EditCall, RunCall, SearchCall, field_of
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


# The worker calls' own definitions (splice.tools.calls), as the orchestrator names them.

class SearchInput(CallView):
    call = SearchCall
    query: str = field_of(SearchCall, "query")
    max_tokens: int = field_of(SearchCall, "max_tokens")


class EditInput(CallView):
    call = EditCall
    path: str = field_of(EditCall, "path")
    edit: str = field_of(EditCall, "edit")
    instruction: str = field_of(EditCall, "instruction")
    force: bool = field_of(EditCall, "force")


class RunInput(CallView):
    call = RunCall
    command: str = field_of(RunCall, "command")
    timeout_s: int = field_of(RunCall, "timeout_s")


class ReadInput(BaseModel):
    path: str = Field(description="Relative to the repository root.")
    start_line: int = Field(default=1, ge=1)
    end_line: int | None = Field(default=None, ge=1, description="Omit for the end of the file.")


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
    # the signatures the edit changed and their call sites (None: no signature changed)
    callers: CallersReport | None = None


class RunOutput(ToolText):
    exit_code: int | None = None
    timed_out: bool = False


class FinishOutput(ToolText):
    summary: str = ""
