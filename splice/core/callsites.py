"""What an edit's answer says about the callers it left behind: the definitions whose
signature changed and their call sites (found by splice.search.callers). Here, not in the
search worker, because the edit results of the agent and the MCP server carry them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

ChangeKind = Literal["changed", "renamed", "removed"]
SHOWN_IN_SUMMARY = 8  # locations listed per changed signature in the rendered section
LONG_SIGNATURE = 120  # characters of old + new past which equal parameters are elided


def _elided(text: str, params: list[str], head: int, tail: int) -> str:
    """`text` with the `head` first and `tail` last parameters elided but one beside the
    change on each side, so the reader sees where it is."""
    head, tail = max(head - 1, 0), max(tail - 1, 0)
    middle = params[head:len(params) - tail]
    parts = (["…"] if head else []) + middle + (["…"] if tail else [])
    return f"{text.split('(', 1)[0]}({', '.join(parts)})"


class SignatureChange(BaseModel):
    name: str  # the name callers use today (the old name)
    new_name: str
    kind: str
    scope: str
    change: ChangeKind
    old: str
    new: str  # "" when removed
    line: int  # the definition's line in the new text (old text when removed)
    old_params: list[str] = Field(default_factory=list)
    new_params: list[str] = Field(default_factory=list)

    def shown(self) -> tuple[str, str]:
        """Old and new signature for a reader: a long one keeps only the parameters that
        differ, the same ones on either side elided."""
        if len(self.old) + len(self.new) <= LONG_SIGNATURE:
            return self.old, self.new
        a, b = self.old_params, self.new_params
        head = 0
        while head < min(len(a), len(b)) and a[head] == b[head]:
            head += 1
        tail = 0
        while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
            tail += 1
        return _elided(self.old, a, head, tail), _elided(self.new, b, head, tail)

    @property
    def call_name(self) -> str:
        """What a call site spells: the class for a Python constructor."""
        if self.name == "__init__" and self.scope:
            return self.scope.rsplit(".", 1)[-1]
        return self.name

    @property
    def method_only(self) -> bool:
        """Only `.name(` calls can reach it (a method other than a constructor)."""
        return self.kind == "method" and self.name != "__init__"


class CallSite(BaseModel):
    path: str
    start_line: int
    end_line: int
    symbol: str  # the changed definition's (old) name

    def label(self) -> str:
        end = f"-{self.end_line}" if self.end_line != self.start_line else ""
        return f"{self.path}:{self.start_line}{end}"


class SignatureCallers(BaseModel):
    change: SignatureChange
    sites: list[CallSite] = Field(default_factory=list)
    left_out: int = 0  # call sites past the token budget (estimated from their lines)

    def render(self) -> str:
        c = self.change
        old, new = c.shown()
        if c.change == "removed":
            head = f"definition removed: {old}"
        else:
            head = f"signature {c.change}: {old} -> {new}"
        total = len(self.sites) + self.left_out
        if total == 0:
            return f"{head} — no call sites found"
        shown = [s.label() for s in self.sites[:SHOWN_IN_SUMMARY]]
        more = total - len(shown)
        noun = "call site" if total == 1 else "call sites"
        of = f" of {c.name}" if c.change == "renamed" else ""
        tail = f" (+{more} more)" if more else ""
        return f"{head} — {total} {noun}{of}: {', '.join(shown)}{tail}"


class CallersReport(BaseModel):
    """The signatures an edit changed and their call sites, best first."""

    path: str
    changes: list[SignatureCallers] = Field(default_factory=list)
    tokens: int = 0  # tokens of the kept call sites' lines

    @property
    def sites(self) -> list[CallSite]:
        return [s for c in self.changes for s in c.sites]

    def render(self) -> str:
        return "\n".join(c.render() for c in self.changes)
