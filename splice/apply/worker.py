"""The apply worker's one async entry point, for tools, the MCP server and the agent."""

from __future__ import annotations

from functools import partial

import anyio
from pydantic import BaseModel, Field

from splice.apply.edits import apply_edits
from splice.apply.models import ApplyReport, Edit, Format


class ApplyRequest(BaseModel):
    """Merge one edit (any format) into a file of `repo`, all or nothing."""

    repo: str = Field(".", description="repository root; every path stays inside it")
    path: str | None = Field(None, description="file to edit, relative to the repo; leave "
                                               "out for a *** Begin Patch naming its files")
    edit: str = Field(description="lazy snippet with `... existing code ...` markers, "
                                  "SEARCH/REPLACE blocks, unified diff, patch or whole file")
    fmt: Format = "auto"
    dry_run: bool = False
    force: bool = Field(False, description="apply even if the result no longer parses or "
                                           "the edit drops a long stretch")


async def apply_async(request: ApplyRequest) -> ApplyReport:
    """Run apply_edits in a worker thread (file I/O and parsing block)."""
    edit = Edit(request.path, request.edit, request.fmt, request.force)
    return await anyio.to_thread.run_sync(
        partial(apply_edits, request.repo, [edit], dry_run=request.dry_run))
