"""The orchestrator: a bounded loop that delegates search, compaction and edits to workers.

    from splice.agent import Agent, Budget, CopyWorkspace, RunStore, worker_toolset
    from splice.agent import AnthropicModel, OpenAICompatModel, start_run, resume_run
"""

from splice.agent.loop import Agent, Progress, RunResult
from splice.agent.providers.anthropic import AnthropicModel
from splice.agent.providers.factory import MissingCredentials, ProviderChoice, build_model
from splice.agent.providers.openai_compat import OpenAICompatModel
from splice.agent.providers.retry import RetryPolicy
from splice.agent.redact import Redactor
from splice.agent.session import resume_run, start_run
from splice.agent.toolset import Toolset, make_workspace, worker_toolset
from splice.agent.trace import RunStore, StepRecord
from splice.agent.workspace import CopyWorkspace, TrackedWorkspace, Workspace
from splice.core.budget import Budget, BudgetStop, BudgetUsage

__all__ = [
    "Agent", "AnthropicModel", "Budget", "BudgetStop", "BudgetUsage", "CopyWorkspace",
    "MissingCredentials", "OpenAICompatModel", "Progress", "ProviderChoice", "Redactor",
    "RetryPolicy", "RunResult", "RunStore", "StepRecord", "Toolset", "TrackedWorkspace",
    "Workspace", "build_model", "make_workspace", "resume_run", "start_run", "worker_toolset",
]
