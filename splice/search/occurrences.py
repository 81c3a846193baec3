"""How often each query term occurs in each file, as ONE ripgrep pass over the repo would
count it (`ripgrep.occurrences`), but from the stored word postings where they answer.

ripgrep matches all terms at once, case ignored, leftmost first with the longest term first,
and prints every match. A term of word characters only (`select_related`) can match only
inside one word (postings.py), and where the matches in a word fall depends on that word
alone: so each distinct word that holds a term is matched once here, by the same rule, and
its matches count once per occurrence of the word in a file. What the words cannot answer
goes to ripgrep, over the fewest files that need it:
- a term with other characters (`Q.deconstruct`, an error message) is counted by rg in the
  files that hold every word part of it (and those files' other terms with it);
- a file with more matches than the per-file line cap, where rg stops early;
- a file changed since the postings were built is read again (its words replace the
  stored ones); a folder changed (a file added, removed or renamed), too many changed files
  or an opaque file (postings.words_of) make the whole pass rg's, as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from splice.search.ripgrep import Engine, occurrences
from splice.search.store import POSTINGS_VERSION, postings_path

if TYPE_CHECKING:
    from splice.search.postings import Postings


Table = dict[str, dict[str, int]]  # matched text -> path -> count


async def count_terms(engine: Engine, terms: list[str], scope: list[str], *,
                      per_file_lines: int) -> Table:
    """ripgrep.occurrences' answer, from the postings when they are current."""
    root = engine.repo.root
    answer = None
    if not scope and postings_path(root, POSTINGS_VERSION).exists():
        from splice.search.word_counts import from_postings  # numpy: only where postings are

        answer = from_postings(root, terms, per_file_lines)
    if answer is None:
        return await occurrences(engine, terms, scope, per_file_lines=per_file_lines)
    table, rg_files = answer
    if rg_files:
        got = await occurrences(engine, terms, rg_files, per_file_lines=per_file_lines,
                              listed=True)
        for text, per_path in got.items():
            table.setdefault(text, {}).update(per_path)
    return table


def usable(root: Path) -> Postings | None:
    """The postings of `root` when the set of files is still the one they were built on
    (numpy and the postings are loaded only for a repo that has them)."""
    if not postings_path(root, POSTINGS_VERSION).exists():
        return None
    from splice.search import postings

    p = postings.load(root)
    return p if p is not None and p.same_files(root) else None


