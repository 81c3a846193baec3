"""`auto`: how much of a code text to keep when the caller gives no ratio and no budget.

The engine keeps what the query reaches and what that needs to read: every unit (a
definition's body, or a top-level paragraph) whose relevance is within REACH_SHARE of the
most relevant one, the definitions and module constants those units name (what they
call), the import statements that bind a name they use, and (through the selector) the
signatures of the definitions around each kept line. The result says why, unit by unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from splice.compact.scoring import _ASSIGNED, import_lines, scope_name, words_in
from splice.compact.select import Document, Selector
from splice.compact.structure import Scope

REACH_SHARE = 0.2   # a unit the query reaches: relevance at least this share of the best
MAX_REACHED = 12    # at most this many reached units (best first), so a vague query stays short
CALLEE_LINES = 40   # a callee longer than this is too big to bring whole (dev: 60 -> +3% tokens)


@dataclass
class Reach:
    """What scoring learnt about a code text, kept for the auto plan."""

    unit: list[int] = field(default_factory=list)          # unit of each line
    direct: dict[int, float] = field(default_factory=dict)  # units with query hits
    statements: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Plan:
    keep: list[int]        # 0-based lines the plan keeps (signatures come with them)
    reasons: list[str]


def _unit_lines(unit: list[int], lines: list[str]) -> dict[int, list[int]]:
    """The lines with content of each unit (a big class's own lines are its header and
    the blank lines between its methods: those blanks alone would each keep a marker)."""
    out: dict[int, list[int]] = {}
    for i, u in enumerate(unit):
        if lines[i].strip():
            out.setdefault(u, []).append(i)
    return out


def _label(u: int, scopes: list[Scope], lines: list[str], members: list[int]) -> str:
    first, last = members[0] + 1, members[-1] + 1
    name = scope_name(scopes[u], lines) if u < len(scopes) else None
    return f"{name} ({first}-{last})" if name else f"lines {first}-{last}"


def plan(reach: Reach, lines: list[str], scopes: list[Scope], offset: int = 0) -> Plan:
    """The lines auto keeps for one text, and why (line numbers 1-based, plus `offset`)."""
    if not reach.direct:
        return Plan([], ["no line holds a query term: nothing is reached"])
    members = _unit_lines(reach.unit, lines)
    best = max(reach.direct.values())
    ranked = sorted(reach.direct, key=reach.direct.__getitem__, reverse=True)
    reached = [u for u in ranked if reach.direct[u] >= REACH_SHARE * best][:MAX_REACHED]
    keep: set[int] = set()
    for u in reached:
        keep.update(members.get(u, ()))
    callees = _callees(reached, members, scopes, lines, reach)
    for u in callees:
        keep.update(members.get(u, ()))
    imports = _imports_used(keep, lines, reach.statements)
    keep.update(imports)

    def label(u: int) -> str:
        return _label(u, scopes, lines, [m + offset for m in members.get(u, [-1])])

    reasons = [f"reached by the query: {', '.join(label(u) for u in reached)}"]
    if callees:
        reasons.append(f"named by them: {', '.join(label(u) for u in callees)}")
    if imports:
        reasons.append(f"imports they use: {len(imports)} line(s)")
    skipped = len(ranked) - len(reached)
    if skipped:
        reasons.append(f"{skipped} more unit(s) hold a query term, below "
                       f"{REACH_SHARE:.0%} of the best unit's relevance: left out")
    return Plan(sorted(keep), reasons)


def _callees(reached: list[int], members: dict[int, list[int]], scopes: list[Scope],
             lines: list[str], reach: Reach) -> list[int]:
    """Units that define a name a reached unit uses: functions, classes, constants."""
    by_name: dict[str, list[int]] = {}
    for s, scope in enumerate(scopes):
        name = scope_name(scope, lines)
        u = reach.unit[scope.start] if scope.start < len(reach.unit) else -1
        if name and len(name) > 2 and u == s:  # a unit of its own, not a small class's method
            by_name.setdefault(name, []).append(u)
    for first, _ in reach.statements:
        if first < len(lines) and reach.unit[first] >= len(scopes) and "=" in lines[first]:
            m = _ASSIGNED.match(lines[first])
            if m:
                by_name.setdefault(m.group(1), []).append(reach.unit[first])
    chosen = set(reached)
    out: list[int] = []
    # what the reached units name; then the module constants those callees name (a
    # constant is a line or two, and a callee reads wrong without it)
    for sources, constants_only in ((reached, False), (None, True)):
        for u in list(out) if sources is None else sources:
            words = words_in("".join(lines[i] for i in members.get(u, ())))
            for name in sorted(by_name.keys() & words):
                for target in by_name[name]:
                    if target in chosen or len(members.get(target, ())) > CALLEE_LINES:
                        continue
                    if constants_only and target < len(scopes):
                        continue
                    chosen.add(target)
                    out.append(target)
    return out


def _imports_used(keep: set[int], lines: list[str],
                  statements: list[tuple[int, int]]) -> list[int]:
    """Lines of import statements that bind a name the kept lines use."""
    if not keep:
        return []
    used = words_in("".join(lines[i] for i in sorted(keep)))
    out: list[int] = []
    imports = import_lines(lines, statements)
    for first, last in statements:
        if first not in imports or first in keep:
            continue
        text = "".join(lines[first:last + 1])
        bound = _bound_names(text)
        if bound & used:
            out.extend(range(first, last + 1))
    return out


def _bound_names(statement: str) -> set[str]:
    """Names an import statement binds: `import a.b` binds a; `x as y` binds y;
    `from m import (a, b)` binds a and b; JS `import {a} from`, `const a = require(`."""
    text = statement.replace("(", " ").replace(")", " ").replace("{", " ").replace("}", " ")
    names: set[str] = set()
    if text.lstrip().startswith("from ") and " import " in text:
        text = text.split(" import ", 1)[1]
    elif text.lstrip().startswith("import "):
        text = text.lstrip()[len("import "):].split(" from ", 1)[0]
    for part in text.replace("\n", " ").replace("\\", " ").split(","):
        words = part.split()
        if not words:
            continue
        if "as" in words and words.index("as") + 1 < len(words):
            names.add(words[words.index("as") + 1])
        else:
            names.add(words[0].split(".")[0])
    return {n.strip(";*'\"") for n in names} - {""}


def auto_selection(doc: Document, texts: list[tuple[Reach | None, list[str], list[Scope], int]],
                   marker_cost: float) -> tuple[Selector, list[str]] | None:
    """Keep each text's plan (per text: its reach, lines, scopes and first line number);
    None when the query reaches nothing in any text (the caller then keeps an outline)."""
    plans: list[Plan] = []
    for reach, lines, scopes, first in texts:
        plans.append(plan(reach, lines, scopes, first - 1) if reach is not None
                     else Plan([], []))
    if not any(p.keep for p in plans):
        return None
    forced: set[int] = set(doc.forced)
    offset = 0
    for p, (_, lines, _, _) in zip(plans, texts, strict=True):
        forced.update(i + offset for i in p.keep)
        offset += len(lines)
    doc.forced = sorted(forced)
    sel = Selector(doc, marker_cost)
    sel.force()
    sel.keep_blank_edges(None)
    sel.close_small_gaps()
    if len(plans) == 1:
        return sel, plans[0].reasons
    reasons = [f"text {k + 1}: {reason}" for k, p in enumerate(plans) for reason in p.reasons
               if p.keep]
    return sel, reasons
