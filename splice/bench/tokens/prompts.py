"""The fixed prefix each replayed policy sends with every call: system prompt + tool schemas.

Counted, not guessed, from what is sent: each policy's tools are the tool set its live run
serves (live_tools.py), rendered by the provider's own ToolSpec.anthropic(). The splice
policy's are the real orchestrator's five tools (splice.agent).
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


GREP_DESCRIPTION = ("Search file contents for fixed strings (ripgrep). `patterns` are "
                    "matched as whole words; `mode` 'count' lists matching files with "
                    "counts, 'lines' lists path:line:text.")
CAREFUL_EDIT_DESCRIPTION = ("Edit one file with SEARCH/REPLACE blocks (<<<<<<< SEARCH / ======= / "
                            ">>>>>>> REPLACE). Each SEARCH must match exactly once. Returns the "
                            "diff.")


def prefix_for(policy: str) -> tuple[str, list[dict[str, Any]]]:
    """A policy's system prompt and its tools exactly as the provider sends them: the tool
    set the live run serves (live_tools.py), through the same ToolSpec.anthropic()."""
    from splice.agent.prompts import SYSTEM_PROMPT
    from splice.bench.tokens.live_tools import live_config

    system, toolset = live_config(policy)
    return system or SYSTEM_PROMPT, [spec.anthropic() for spec in toolset.specs()]


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
