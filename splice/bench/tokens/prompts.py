"""The fixed prefix each replayed policy sends with every call: system prompt + tool schemas.

Written down here (and counted, not guessed) so the per-call overhead of each policy is
part of the record. The splice policy uses the real orchestrator's prompt and tool
schemas (splice.agent), all five, as the agent sends them.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from splice.core.tokens import count_tokens

NAIVE_SYSTEM = """\
You are a coding agent working in the user's repository.
Find the code the task is about with `grep`, read the files you need with `read_file`,
then write each changed file back whole with `write_file`. Call `finish` when done.
"""

CAREFUL_SYSTEM = """\
You are a coding agent working in the user's repository.
Work like this:
1. `grep` for the identifiers and messages in the task; results come as path:line:text.
2. `read` only the line ranges you need (offset and limit), never whole large files.
3. `edit` with SEARCH/REPLACE blocks: the SEARCH text must match the file exactly and
   once; include just enough surrounding lines to make it unique.
4. `finish` with a short summary.
Keep the change as small as the task allows.
"""


def _tool(name: str, description: str, props: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"name": name, "description": description,
            "input_schema": {"type": "object", "properties": props, "required": required}}


_STR = {"type": "string"}
_INT = {"type": "integer"}
FINISH = _tool("finish", "End the run with a short summary of the change.",
               {"summary": _STR}, ["summary"])
GREP_DESCRIPTION = ("Search file contents for fixed strings (ripgrep). `patterns` are "
                    "matched as whole words; `mode` 'count' lists matching files with "
                    "counts, 'lines' lists path:line:text.")
GREP = _tool("grep", GREP_DESCRIPTION,
             {"patterns": {"type": "array", "items": _STR},
              "mode": {"type": "string", "enum": ["count", "lines"]}}, ["patterns"])

NAIVE_TOOLS = [
    GREP,
    _tool("read_file", "Read a whole file.", {"path": _STR}, ["path"]),
    _tool("write_file", "Write a whole file (its complete new content).",
          {"path": _STR, "content": _STR}, ["path", "content"]),
    FINISH,
]

CAREFUL_TOOLS = [
    GREP,
    _tool("read", "Read lines of a file, numbered. `offset` is the first line (1-based), "
                  "`limit` the number of lines.",
          {"path": _STR, "offset": _INT, "limit": _INT}, ["path"]),
    _tool("edit", "Edit one file with SEARCH/REPLACE blocks (<<<<<<< SEARCH / ======= / "
                  ">>>>>>> REPLACE). Each SEARCH must match exactly once. Returns the diff.",
          {"path": _STR, "edit": _STR}, ["path", "edit"]),
    FINISH,
]


def splice_prefix() -> tuple[str, list[dict[str, Any]]]:
    """The real orchestrator's system prompt and its tools' schemas, built by the same
    code the agent sends them with (Tool.anthropic_schema). `run` is among them: the
    agent sends it with every call, and its fallback greps go through it."""
    from splice.agent.prompts import SYSTEM_PROMPT
    from splice.agent.toolset import edit_tool, finish_tool, read_tool, run_tool, search_tool

    return SYSTEM_PROMPT, [search_tool().anthropic_schema(), read_tool().anthropic_schema(),
                           edit_tool().anthropic_schema(), run_tool().anthropic_schema(),
                           finish_tool().anthropic_schema()]


def prefix_for(policy: str) -> tuple[str, list[dict[str, Any]]]:
    if policy == "naive":
        return NAIVE_SYSTEM, NAIVE_TOOLS
    if policy == "careful":
        return CAREFUL_SYSTEM, CAREFUL_TOOLS
    return splice_prefix()


@lru_cache(maxsize=8)
def prefix_tokens(policy: str) -> int:
    """System prompt plus tool schemas, as sent with every call."""
    system, tools = prefix_for(policy)
    return count_tokens(system) + count_tokens(json.dumps(tools))


def task_message(problem: str, policy: str = "naive") -> str:
    """The first user message; splice's is the real agent's (splice.agent.prompts)."""
    if policy == "splice":
        from splice.agent.prompts import task_message as agent_task_message

        return agent_task_message(problem)
    return f"Task:\n{problem.strip()}"
