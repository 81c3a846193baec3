"""Running commands a model wrote: no network, no secrets, limits, a scratch tree.

    from splice.sandbox import Sandbox, CommandResult, ScratchTree
    scratch = ScratchTree.create(repo_root)
    result = await Sandbox(scratch.path).run("pytest -q", timeout_s=120)
    scratch.changes(); scratch.diff(); scratch.cleanup()
"""

from splice.core.errors import SandboxError
from splice.sandbox.isolation import GUARANTEES, Guarantees, Level, probe
from splice.sandbox.result import CommandResult
from splice.sandbox.runner import Sandbox
from splice.sandbox.scratch import FileChange, ScratchTree

__all__ = ["GUARANTEES", "CommandResult", "FileChange", "Guarantees", "Level", "Sandbox",
           "SandboxError", "ScratchTree", "probe"]
