"""Guards that refuse merges which are probably not what the model meant.

- A lazy edit that drops a long stretch of the original nobody mentioned (a forgotten
  `... existing code ...` marker) is a SuspiciousDeletion.
- A whole-file edit much shorter than the file, made of the file's own lines, is a
  snippet sent without markers: also SuspiciousDeletion.
- A merge that breaks a cleanly parsing file is SyntaxBroken (syntax_guard does the parse).
"""

from __future__ import annotations

import difflib

from splice.apply.messages import numbered, where
from splice.apply.syntax_guard import broken_lines
from splice.apply.text import Doc, Replacement, distinctive
from splice.core.errors import AmbiguousMatch, SuspiciousDeletion, SyntaxBroken

# One dropped stretch between two anchors: models delete whole functions on purpose, but
# a stretch this long with no mention in the edit is far more often a forgotten marker.
SUSPICIOUS_RUN = 40
# At a file edge with no marker and no matching line there, even a short drop is suspect.
BLIND_EDGE_RUN = 6
# A line dropped at a blind edge passes only if some new line there looks like its rewrite.
REWRITE_SIMILARITY = 0.6
REWRITE_WINDOW = 40
# Whole-file edits: refuse when the file loses more than this share and this many lines.
WHOLE_SHRINK = 0.5
# A line the segment brings that already stands this close outside its region, once in the
# file, is most likely a moved line whose old place the region should have covered.
DUPLICATE_NEAR = 3
WHOLE_MIN_DROP = 20
# Text detected as a whole file must keep half the original's lines, unless the original
# has at most this many non-blank lines and the text is no shorter.
SHORT_FILE = 3
MARKER_HINT = ("If you meant to keep those lines, mark them with a comment line such as "
               "`# ... existing code ...` (in the file's comment syntax); if you really mean "
               "to delete them, apply again with force.")


def _dropped_runs(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """(offset into old, length) of stretches the new side drops outright."""
    runs = []
    ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        if tag == "delete":
            runs.append((i1, i2 - i1))
        elif tag == "replace" and (i2 - i1) > (j2 - j1):
            gone = (i2 - i1) - (j2 - j1)
            runs.append((i2 - gone, gone))
    return runs


def _solid(lines: list[str]) -> int:
    return sum(1 for line in lines if line.strip())


def _like_any(line: str, candidates: list[str]) -> bool:
    key = line.strip()
    return any(difflib.SequenceMatcher(None, key, c.strip(), autojunk=False).ratio()
               >= REWRITE_SIMILARITY for c in candidates)


def _check_blind_edge(doc: Doc, rep: Replacement, mentioned: set[str], path: str | None) -> None:
    """A segment pinned to the file's top or end without matching it there replaces what
    lay there. Fine when the lines it drops were rewritten (a changed first line); a
    forgotten top/bottom marker when they simply vanish."""
    old = doc.lines[rep.start:rep.end]
    ops = difflib.SequenceMatcher(None, old, rep.lines, autojunk=False).get_opcodes()
    for tag, i1, i2, _j1, _j2 in ops:
        if tag not in ("delete", "replace"):
            continue
        for k in range(i1, i2):
            line = old[k]
            if not line.strip() or line.strip() in mentioned:
                continue
            if not _like_any(line, rep.lines[:REWRITE_WINDOW]):
                at = rep.start + k
                raise SuspiciousDeletion(
                    f"the lazy edit has no marker at the "
                    f"{'top' if rep.start == 0 else 'end'}, so it would drop line {at + 1}"
                    f"{where(path)}, which it never mentions:\n{numbered(doc, at, at + 1)}",
                    hint=MARKER_HINT, path=path, details={"deleted_lines": [at + 1, at + 1]})


def check_lazy(doc: Doc, reps: list[Replacement], blind: list[bool], edit_lines: list[str],
               path: str | None) -> None:
    mentioned = {line.strip() for line in edit_lines if line.strip()}
    _check_duplicated(doc, reps, path)
    for rep, blind_edge in zip(reps, blind, strict=True):
        if blind_edge:
            _check_blind_edge(doc, rep, mentioned, path)
        old = doc.lines[rep.start:rep.end]
        if len(old) <= len(rep.lines) and not blind_edge:
            continue
        limit = BLIND_EDGE_RUN if blind_edge else SUSPICIOUS_RUN
        for offset, length in _dropped_runs(old, rep.lines):
            gone = old[offset:offset + length]
            unmentioned = [line for line in gone if line.strip() not in mentioned]
            if _solid(unmentioned) >= limit:
                start = rep.start + offset
                raise SuspiciousDeletion(
                    f"the lazy edit would delete lines {start + 1}-{start + length}"
                    f"{where(path)} ({length} lines the edit never mentions), which looks "
                    f"like a forgotten marker:\n{numbered(doc, start, start + length)}",
                    hint=MARKER_HINT, path=path,
                    details={"deleted_lines": [start + 1, start + length]})


def _check_duplicated(doc: Doc, reps: list[Replacement], path: str | None) -> None:
    """Refuse a placement that would leave a distinctive line twice: the segment brings it
    while its one original copy stands just outside the region (a moved line, placed with
    the wrong anchor). The wider region is the likelier reading, but not a certain one."""
    keys = doc.keys("strip")
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    for rep in reps:
        if not rep.lines:
            continue
        inside = set(keys[rep.start:rep.end])
        brought = {line.strip() for line in rep.lines}
        first, last = rep.lines[0].strip(), rep.lines[-1].strip()
        near = [*range(max(rep.start - DUPLICATE_NEAR, 0), rep.start),
                *range(rep.end, min(rep.end + DUPLICATE_NEAR, len(keys)))]
        for q in near:
            key = keys[q]
            if not (key in brought and key not in inside and counts[key] == 1
                    and distinctive(key)):
                continue
            # the misplacement signature: the segment's own edge line also stands beyond
            # q, so a wider region covering q was a reading of the edit too
            if q < rep.start:
                wider = any(keys[p] == first for p in range(max(q - DUPLICATE_NEAR, 0), q))
            else:
                wider = any(keys[e] == last
                            for e in range(q + 1, min(q + 1 + DUPLICATE_NEAR, len(keys))))
            if wider:
                raise AmbiguousMatch(
                    f"the lazy edit would leave line {q + 1}{where(path)} twice: it stays "
                    f"where it is and the edit brings it again at lines {rep.start + 1}-"
                    f"{rep.end}:\n{numbered(doc, q, q + 1)}",
                    hint="If the edit moves that line, start (or end) the segment with the "
                         "unchanged line beyond it, so its old place is covered; if it "
                         "really is a second copy, apply with force.", path=path,
                    details={"candidates": [q + 1, rep.start + 1]})


def check_whole(doc: Doc, lines: list[str], path: str | None, *,
                said_whole: bool = False) -> None:
    """Refuse text taken for the whole file that is not plausibly the whole file.

    Without fmt="whole" the text must keep most of the original's lines (a short file may
    instead be replaced by text at least as long); a fragment (`pass`, `x = 1`, a cut-off
    marker line) never is. With it, only a snippet of the file's own lines much shorter
    than the file is refused (a lazy edit sent without markers)."""
    if not said_whole:
        _check_plausibly_whole(doc, lines, path)
    old_n, new_n = len(doc), len(lines)
    if old_n - new_n < WHOLE_MIN_DROP or new_n >= old_n * WHOLE_SHRINK:
        return
    present = set(doc.keys("strip"))
    solid = [line.strip() for line in lines if line.strip()]
    if solid and sum(1 for line in solid if line in present) < len(solid) / 2:
        return  # mostly new text: a genuine rewrite, not a fragment of the file
    raise SuspiciousDeletion(
        f"the edit has no markers, so it would replace the whole file{where(path)}: "
        f"{old_n} lines would become {new_n}. It looks like a snippet sent without "
        "`... existing code ...` markers.",
        hint="Mark the unchanged stretches with marker comment lines (a lazy edit), or use "
             "SEARCH/REPLACE blocks; if you mean to replace the whole file, apply with force.",
        path=path, details={"old_lines": old_n, "new_lines": new_n})


def _check_plausibly_whole(doc: Doc, lines: list[str], path: str | None) -> None:
    old_solid = [key for key in doc.keys("strip") if key]
    new_solid = {line.strip() for line in lines if line.strip()}
    kept = sum(1 for key in old_solid if key in new_solid)
    if kept * 2 >= len(old_solid):
        return
    if len(old_solid) <= SHORT_FILE and len(new_solid) >= len(old_solid):
        return
    raise SuspiciousDeletion(
        f"the edit has no markers and keeps {kept} of the {len(old_solid)} non-blank lines "
        f"of the file{where(path)}, so it is not the whole file, and nothing in it says "
        "where it goes.",
        hint="Send the changed lines with the unchanged lines around them and a marker "
             "comment such as `# ... existing code ...` (in the file's comment syntax) for "
             "each stretch left out, or SEARCH/REPLACE blocks; to replace the whole file, "
             "send all of it (fmt=\"whole\"), or apply with force.",
        path=path, details={"old_lines": len(doc), "new_lines": len(lines)})


def check_syntax(original: str, merged: str, path: str | None, *, prefix_chars: int = 0,
                 suffix_chars: int = 0) -> None:
    lines = broken_lines(original, merged, path, prefix_chars=prefix_chars,
                         suffix_chars=suffix_chars)
    if lines is None:
        return
    shown = ", ".join(str(n) for n in lines)
    merged_doc_lines = merged.splitlines()
    context = "\n".join(f"{n:>5} | {merged_doc_lines[n - 1]}" for n in lines[:5]
                        if 0 < n <= len(merged_doc_lines))
    raise SyntaxBroken(
        f"the merged file{where(path)} no longer parses (it did before): syntax errors at "
        f"line {shown} of the result:\n{context}",
        hint="Check brackets, quotes and indentation in the edit; send it again, or apply "
             "with force if the file is meant to be mid-rewrite.", path=path,
        details={"error_lines": lines})
