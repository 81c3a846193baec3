"""Plain words weighed by the repo's own statistics, not by a fixed stopword list.

A word's share of files is measured on a fixed sample of the repo's files (one rg pass):
a word in a large share of them ("the", "with", "value" in Django) says little about where
to look, while the same word may be rare and telling in another repo. The rarest words are
searched; a word that names a definition in the repo (`add` for `def add`) is always kept,
however common, because the asker may mean that code."""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

from splice.core.syntax import EXTENSIONS
from splice.search.ripgrep import Engine, _clean
from splice.search.terms import Term

SAMPLE_FILES = 300   # files the shares are measured on (every k-th of the sorted listing)
MIN_SAMPLE = 40      # below this many files a share says nothing: no word is dropped
COMMON_SHARE = 0.3   # a word in more than this share of files is dropped (unless it names code)
PASS_WORDS = 24      # prose words offered to the repo-wide pass, rarest in the sample first
WORD_LIMIT = 12      # prose words kept after it, fewest files first
WORD_BUDGET = 6      # the prose words' weights share this much (a sentence must not drown
                     # its few identifiers)

# (repo root, files listed) -> word -> share of sampled files: words repeat across searches.
_SHARES: dict[tuple[Path, int], dict[str, float]] = {}


# the last listing sampled and its sample: each search samples it twice, warm ones again
_SAMPLED: list[tuple[list[str], list[str]]] = []


def sample(files: list[str]) -> list[str]:
    """Every k-th file, of the code files when there are enough (a word's share of code
    is what decides whether it points anywhere; data and docs would dilute it)."""
    if _SAMPLED and _SAMPLED[0][0] == files:
        return _SAMPLED[0][1]
    picked = _sample(files)
    _SAMPLED[:] = [(list(files), picked)]
    return picked


def _sample(files: list[str]) -> list[str]:
    code = [f for f in files if os.path.splitext(f)[1] in EXTENSIONS]
    pool = code if len(code) >= MIN_SAMPLE else files
    step = max(1, len(pool) // SAMPLE_FILES)
    return pool[::step][:SAMPLE_FILES]


async def word_shares(engine: Engine, files: list[str], words: list[str]) -> dict[str, float]:
    """Each word's share of a fixed sample of `files` (case ignored, as the search matches)."""
    key = (engine.repo.root, len(files))
    known = _SHARES.setdefault(key, {})
    wanted = [w.lower() for w in dict.fromkeys(words) if w.lower() not in known]
    picked = sample(files)
    if wanted and picked:
        args = ["--only-matching", "--ignore-case", "--fixed-strings", "--with-filename",
                "--no-line-number", "--no-heading", "--no-messages", "--null"]
        for word in sorted(wanted, key=len, reverse=True):
            args += ["-e", word]
        out, _ = await engine.run([*args, "--", *picked])
        holders: dict[str, set[str]] = defaultdict(set)
        for line in set(out.split(b"\n")):
            name, sep, match = line.partition(b"\0")
            if sep:
                holders[match.decode("utf-8", "replace").lower()].add(_clean(name.decode()))
        for word in wanted:
            known[word] = len(holders.get(word, ())) / len(picked)
    return {w.lower(): known.get(w.lower(), 0.0) for w in words}


def _is_prose(t: Term) -> bool:
    return t.kind in ("word", "part")


def _names_code(t: Term, defined: set[str]) -> bool:
    return bool(defined.intersection(t.names or [t.text.lower()]))


def offer_words(terms: list[Term], shares: dict[str, float], defined: set[str],
                sampled: int) -> list[Term]:
    """`terms` with the prose words (and identifier parts) the repo-wide pass should count:
    words that name a definition, then the rest rarest first in the sample (PASS_WORDS in
    all); a word above COMMON_SHARE of the sample is left out when the sample is large
    enough to say so."""
    prose = [t for t in terms if _is_prose(t)]
    names_code = [t for t in prose if _names_code(t, defined)]
    rest = [t for t in prose if t not in names_code]
    if sampled >= MIN_SAMPLE:
        rest = [t for t in rest if shares.get(t.text.lower(), 0.0) <= COMMON_SHARE]
    rest.sort(key=lambda t: shares.get(t.text.lower(), 0.0))  # stable: ties keep their order
    keep = names_code + rest[:max(0, PASS_WORDS - len(names_code))]
    return [t for t in terms if not _is_prose(t) or t in keep]


def keep_words(terms: list[Term], files_with: list[int], defined: set[str]) -> list[int]:
    """Indexes of `terms` to search with, given how many files hold each (exact, from the
    repo-wide pass): every non-prose term, words naming a definition, and the WORD_LIMIT
    prose words in the fewest files (a word in no file says nothing). Prose weights are
    scaled so they share WORD_BUDGET."""
    prose = [i for i, t in enumerate(terms) if _is_prose(t)]
    names_code = [i for i in prose if _names_code(terms[i], defined) and files_with[i]]
    rest = sorted((i for i in prose if i not in names_code and files_with[i]),
                  key=lambda i: files_with[i])
    kept = set(names_code + rest[:max(0, WORD_LIMIT - len(names_code))])
    return [i for i, t in enumerate(terms) if not _is_prose(t) or i in kept]


def scale_words(terms: list[Term], offered: int) -> list[Term]:
    """Prose weights scaled to share WORD_BUDGET among the `offered` words: a long sentence
    counts each of its words for less, whether or not the repo holds them."""
    prose = max(offered, sum(1 for t in terms if _is_prose(t)))
    if prose <= WORD_BUDGET:
        return terms
    scale = WORD_BUDGET / prose
    return [t.model_copy(update={"weight": t.weight * scale}) if _is_prose(t) else t
            for t in terms]


def forget_shares() -> None:
    _SHARES.clear()
