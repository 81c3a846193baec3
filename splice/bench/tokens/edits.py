"""The edit step: the correct change written the way each policy writes it, really applied.

Edits are generated from (current text, gold post-image), so a retry after a refused or
wrong merge starts from what is really in the file. careful and splice go through the
real apply engine (splice.apply.merge); naive writes whole files. Every attempt is a model
call whose result (the diff, or the engine's error) joins the conversation.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from splice.apply import merge
from splice.bench.tokens.accounting import Conversation
from splice.bench.tokens.gold import GoldFile, split_keep
from splice.compact.lines import kept_ranges
from splice.core.errors import SpliceError, SuspiciousDeletion, SyntaxBroken
from splice.core.syntax import LINE_COMMENTS, language_name

MAX_CONTEXT = 25


@dataclass(frozen=True)
class Window:
    start: int          # first pre-image line (1-based)
    end: int            # last pre-image line; start-1 when empty
    new: tuple[str, ...]


def changes(current: list[str], target: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
    """(first changed line, last changed line, new lines); an insertion has last = first-1."""
    matcher = difflib.SequenceMatcher(a=current, b=target, autojunk=False)
    return [(i1 + 1, i2, tuple(target[j1:j2]))
            for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _weak(line: str, counts: Counter[str]) -> bool:
    """A line too bland to anchor on: blank, a lone bracket, or not unique in the file."""
    return len(line.strip()) < 4 or counts[line] > 1


def windows(current: list[str], target: list[str], contexts: list[int], gap: int = 0,
            strong_edges: bool = False) -> list[Window]:
    """Each change widened by its context (clipped to the file), overlapping ones merged.
    With `strong_edges`, context grows (a few lines at most) past blank or bland lines, as
    a model picks anchor lines worth matching."""
    counts = Counter(current)
    out: list[Window] = []
    pending: list[tuple[int, int, int, int, tuple[str, ...]]] = []
    for (first, last, new), ctx in zip(changes(current, target), contexts, strict=True):
        start, end = max(1, first - ctx), min(len(current), last + ctx)
        if strong_edges:
            for _ in range(8):
                if start > 1 and start < first and _weak(current[start - 1], counts):
                    start -= 1
                if end < len(current) and end > last and _weak(current[end - 1], counts):
                    end += 1
        pending.append((start, end, first, last, new))
    group: list[tuple[int, int, int, int, tuple[str, ...]]] = []
    for item in pending:
        if group and item[0] > max(g[1] for g in group) + 1 + gap:
            out.append(_window(current, group))
            group = []
        group.append(item)
    if group:
        out.append(_window(current, group))
    return out


def _window(current: list[str], group: list[tuple[int, int, int, int, tuple[str, ...]]]) -> Window:
    start = min(g[0] for g in group)
    end = max(g[1] for g in group)
    new: list[str] = []
    cursor = start
    for _, _, first, last, added in group:
        new += current[cursor - 1:first - 1]
        new += added
        cursor = last + 1
    new += current[cursor - 1:end]
    return Window(start, end, tuple(new))


def _occurrences(lines: list[str], block: list[str]) -> int:
    if not block:
        return 2
    n = len(block)
    return sum(1 for i in range(len(lines) - n + 1) if lines[i:i + n] == block)


def search_replace(current: list[str], target: list[str], extra: int = 0) -> str:
    """Aider-style blocks with the fewest context lines that make each SEARCH unique."""
    found = changes(current, target)
    contexts = [extra + (0 if last >= first else 1) for first, last, _ in found]
    for _ in range(MAX_CONTEXT):
        wins = windows(current, target, contexts)
        bad = [w for w in wins if _occurrences(current, current[w.start - 1:w.end]) != 1]
        if not bad:
            break
        for i, (first, _, _) in enumerate(found):
            if any(w.start <= first <= w.end + 1 for w in bad):
                contexts[i] += 1
    blocks = []
    for w in windows(current, target, contexts):
        blocks.append("\n".join(["<<<<<<< SEARCH", *current[w.start - 1:w.end], "=======",
                                 *w.new, ">>>>>>> REPLACE"]))
    return "\n".join(blocks) + "\n"


def lazy(current: list[str], target: list[str], path: str, context: int = 2) -> str:
    """A lazy snippet: changed code, `context` real lines around each change, and
    `... existing code ...` comment markers for everything else (Morph's convention)."""
    language = language_name(path)
    comment = LINE_COMMENTS[language][0] if language in LINE_COMMENTS else "#"
    found = changes(current, target)
    wins = windows(current, target, [context] * len(found), gap=2, strong_edges=True)
    out: list[str] = []

    def marker(next_line: str) -> str:
        indent = next_line[:len(next_line) - len(next_line.lstrip())]
        return f"{indent}{comment} ... existing code ..."

    for i, w in enumerate(wins):
        if w.start > 1 or i > 0:
            out.append(marker(w.new[0] if w.new else ""))
        out += w.new
    if wins and wins[-1].end < len(current):
        out.append(marker(current[wins[-1].end] if wins[-1].end < len(current) else ""))
    return "\n".join(out) + "\n"


def diff_text(path: str, fmt: str, before: str, after: str) -> str:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), f"a/{path}",
                                f"b/{path}", n=3, lineterm="")
    return f"modified  {path} [{fmt}]\n\n" + "\n".join(diff)  # as ApplyReport.render


# One attempt: (format, context lines). The splice and careful ladders end in a whole
# file, which always applies; each rung is only tried after the previous one failed.
LADDERS: dict[str, list[tuple[str, int]]] = {
    "naive": [("whole", 0)],
    "careful": [("search_replace", 0), ("search_replace", 3), ("search_replace", 8),
                ("whole", 0)],
    "splice": [("lazy", 2), ("lazy", 3), ("lazy", 5), ("search_replace", 0), ("whole", 0)],
}


def runs(lines: set[int]) -> list[tuple[int, int]]:
    """Line numbers as sorted (start, end) runs, 1-based inclusive."""
    top = max(lines, default=0)
    return kept_ranges([n in lines for n in range(1, top + 1)], 1)


def attempt(policy: str, gold: GoldFile, current: str, fmt: str, ctx: int,
            shown: set[int] | None = None) -> tuple[tuple[str, dict[str, Any], str], str]:
    """One edit call on one file: (tool, args, result text) and the file's text after it.
    `shown`: the file's lines the conversation still shows; splice's edit tool passes them
    to the merge as `seen_lines`, as the agent's and the MCP server's edit tools do."""
    cur_lines, _, _ = split_keep(current)
    tgt_lines, _, _ = split_keep(gold.after)
    if fmt == "whole" or gold.added or not cur_lines:
        edit, fmt = gold.after, "whole"
    elif fmt == "lazy":
        edit = lazy(cur_lines, tgt_lines, gold.path, ctx)
    else:
        edit = search_replace(cur_lines, tgt_lines, ctx)
    if policy == "naive":
        return (("write_file", {"path": gold.path, "content": edit},
                 f"Wrote {gold.path} ({len(tgt_lines)} lines)."), edit)
    try:
        seen = runs(shown) if shown and policy == "splice" else None
        new_text = merge(current, edit, fmt=fmt, path=gold.path, seen_lines=seen).text
        result = diff_text(gold.path, fmt, current, new_text)
    except SpliceError as exc:
        new_text, result = current, f"error: {exc}"
    return ("edit", {"path": gold.path, "edit": edit}, result), new_text


def forced_retry(policy: str, gold: GoldFile, current: str,
                 refused: tuple[str, dict[str, Any], str]) -> tuple[str, dict[str, Any], str] | None:
    """The engine's own advice after a guard refusal: a deletion it found suspicious (or a
    parse error) that the model did mean is sent again with `force` (splice's edit tool has
    it; the baselines' do not). Only when the forced merge is exactly the intended file."""
    tool, args, _ = refused
    if policy != "splice" or tool != "edit" or args.get("force"):
        return None
    try:
        merge(current, args["edit"], path=gold.path)
        return None  # it was not refused by a guard
    except (SuspiciousDeletion, SyntaxBroken):
        pass
    except SpliceError:
        return None
    try:
        merged = merge(current, args["edit"], path=gold.path, force=True)
    except SpliceError:
        return None
    if merged.text != gold.after:
        return None
    return ("edit", {**args, "force": True},
            diff_text(gold.path, merged.fmt, current, merged.text))


REREAD_CONTEXT = 20  # lines around a wrong edit's changes read again before the next rung


def reread_call(path: str, current: str, target: str) -> tuple[str, dict[str, Any], str]:
    """A `read` of the lines a wrong edit left different from the target, +-REREAD_CONTEXT,
    in the read tool's format (header `path:start-end (file has N lines)`)."""
    lines, _, _ = split_keep(current)
    found = changes(lines, split_keep(target)[0])
    start = max(1, min(first for first, _, _ in found) - REREAD_CONTEXT)
    end = min(len(lines), max(max(last, first) for first, last, _ in found) + REREAD_CONTEXT)
    width = len(str(end))
    body = "\n".join(f"{n:>{width}} | {lines[n - 1]}" for n in range(start, end + 1))
    return ("read", {"path": path, "start_line": start, "end_line": end},
            f"{path}:{start}-{end} (file has {len(lines)} lines)\n{body}")


class EditState:
    """Each gold file's edits across model calls: its text now, the next rung of its
    ladder, its last attempt and whether that attempt changed the file but not to the
    target. Lets the first attempt at a file go out before the others' (the splice agent
    edits a file once it has seen what the file needs, see `first_attempts`)."""

    def __init__(self, policy: str, golds: list[GoldFile]) -> None:
        self.policy = policy
        self.golds = golds
        self.ladder = LADDERS[policy]
        self.current = {g.path: g.before for g in golds}
        self.rung = {g.path: 0 for g in golds}
        self.last: dict[str, tuple[str, dict[str, Any], str]] = {}
        self.landed_wrong: set[str] = set()
        self.attempts = 0

    def right(self, gold: GoldFile) -> bool:
        return self.current[gold.path] == gold.after

    def started(self, gold: GoldFile) -> bool:
        return gold.path in self.last or self.right(gold)

    def pending(self) -> list[GoldFile]:
        return [g for g in self.golds
                if not self.right(g) and self.rung[g.path] < len(self.ladder)]

    def next_call(self, gold: GoldFile,
                  shown: set[int] | None = None) -> tuple[tuple[str, dict[str, Any], str], str]:
        """The file's next attempt (its last one forced, when that is what the engine
        asks, else the next rung) and its note; the file's state follows it."""
        before = self.current[gold.path]
        self.attempts += 1
        forced = forced_retry(self.policy, gold, before, self.last[gold.path]) \
            if gold.path in self.last else None
        if forced is not None:  # the same edit again, forced: not a new rung
            self.current[gold.path] = gold.after
            return forced, "forced"
        fmt, ctx = self.ladder[self.rung[gold.path]]
        call, self.current[gold.path] = attempt(self.policy, gold, before, fmt, ctx, shown)
        self.last[gold.path] = call
        if self.current[gold.path] != before:
            self.landed_wrong.add(gold.path)
        else:
            self.landed_wrong.discard(gold.path)
        self.rung[gold.path] += 1
        return call, fmt


def edit_files(conv: Conversation, policy: str, golds: list[GoldFile], batch: int,
               state: EditState | None = None) -> bool:
    """Edit every gold file until it equals its post-image: first attempts for all files
    as parallel calls (`batch` a model call), then the next rung of the ladder for the
    files whose attempt was refused or wrong. True when every file ends right. `state`:
    the attempts already made (edits sent during the search for the other files).

    A conversation that follows the splice agent's history rules has lost its reads of a
    file once an edit changed it (splice.agent.stale); if that edit came out wrong, the
    lines are read again (one call) before the next rung."""
    state = state or EditState(policy, golds)
    pending = state.pending()
    while pending:
        if conv.agent:
            wrong = [g for g in pending if g.path in state.landed_wrong]
            for i in range(0, len(wrong), batch):
                conv.batch([reread_call(g.path, state.current[g.path], g.after)
                            for g in wrong[i:i + batch]], note="re-read")
        shown = conv.live_lines() if conv.agent else {}
        for i in range(0, len(pending), batch):
            made = [state.next_call(gold, shown.get(gold.path)) for gold in pending[i:i + batch]]
            conv.batch([call for call, _ in made], note=",".join(note for _, note in made))
        pending = state.pending()
    conv.run.edit_attempts = state.attempts
    return all(state.right(g) for g in golds)
