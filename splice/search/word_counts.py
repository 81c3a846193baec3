"""Counting a query's terms from the word postings (postings.py), as one rg pass would
(the rule is in occurrences.py): numpy over the postings for terms of word characters, the
files that need rg named for the rest."""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from splice.search import searches
from splice.search.index import in_memory
from splice.search.occurrences import Table, usable
from splice.search.postings import Postings, fold, read_words

MAX_CHANGED = 200       # files re-read at search time; more and rg walks instead
RG_SHARE = 0.5          # when rg would search more than this share of files, it walks
MAX_RG_FILES = 3000     # paths on one rg command line
PLAIN = re.compile(r"[A-Za-z0-9_]+")


def from_postings(root: Path, terms: list[str],
                   per_file_lines: int) -> tuple[Table, list[str]] | None:
    """The table for the files the postings answer, and the files rg must count (None:
    rg walks the repo)."""
    if not terms or any(not t for t in terms):
        return None
    p = usable(root)
    if p is None or p.opaque.any():  # rg's output for an opaque file is its own
        return None
    changed = _changed(root, p)
    if changed is None:
        return None
    # the same order as rg's patterns: longest first, ties as given
    ordered = sorted(terms, key=len, reverse=True)
    plain = [t for t in ordered if PLAIN.fullmatch(t)]
    other = [t for t in ordered if not PLAIN.fullmatch(t)]
    n_files = len(p.paths)
    needs_rg = np.zeros(n_files, dtype=bool)
    for term in other:
        holders = _holders(p, term)
        if holders is None:
            return None
        needs_rg |= holders
    totals = np.zeros(n_files, dtype=np.int64)
    vectors: dict[str, np.ndarray] = {}
    if plain:
        by_text = _word_matches(p, plain)
        for text, (word_ids, times) in by_text.items():
            at = p.slices(word_ids)
            weight = p.counts[at].astype(np.int64) * np.repeat(
                times, p.starts[word_ids + 1] - p.starts[word_ids])
            vec = np.bincount(p.files[at], weights=weight, minlength=n_files).astype(np.int64)
            vectors[text] = vec
            totals += vec
    # a changed file: its words now, not the stored ones (matched by rg's rule at once)
    fresh: dict[int, Counter[str]] = {}
    matcher = (re.compile("|".join(map(re.escape, plain)), re.IGNORECASE)
               if plain and changed else None)
    for fid, words in changed.items():
        counts: Counter[str] = Counter()
        for word, n in words.items():
            for text in (matcher.findall(word) if matcher is not None else ()):
                counts[text] += n
        fresh[fid] = counts
        needs_rg[fid] = bool(other) and any(_holds(words, term) for term in other)
    for vec in vectors.values():
        if changed:
            vec[list(changed)] = 0
    for fid, counts in fresh.items():
        totals[fid] = sum(counts.values())
    needs_rg |= totals > per_file_lines  # rg's per-file cap would cut these short
    rg_ids = np.flatnonzero(needs_rg)
    if len(rg_ids) > RG_SHARE * n_files or len(rg_ids) > MAX_RG_FILES:
        return None
    paths = np.asarray(p.paths, dtype=object)
    keep = ~needs_rg
    table: Table = {}
    for text, vec in vectors.items():
        nz = np.flatnonzero((vec > 0) & keep)
        if len(nz):
            table[text] = dict(zip(paths[nz].tolist(), vec[nz].tolist(), strict=True))
    for fid, counts in fresh.items():
        if keep[fid]:
            for text, n in counts.items():
                table.setdefault(text, {})[p.paths[fid]] = n
    return table, [p.paths[i] for i in rg_ids.tolist()]


def _changed(root: Path, p: Postings) -> dict[int, Counter[str]] | None:
    """Files whose size or mtime differ from the postings', with their words now (None:
    too many, or one gone or opaque: let rg walk)."""
    base = f"{root}/"
    out: dict[int, Counter[str]] = {}
    index = in_memory(root)
    # the symbol index stat'ed its files during this search: those need no second stat
    known = index.files if index is not None and index.stat_search == searches.current() else {}
    for fid, (rel, size, mtime) in enumerate(zip(p.paths, p.sizes, p.mtimes, strict=True)):
        entry = known.get(rel)
        if entry is not None:
            now = (entry.size, entry.mtime_ns)
        else:
            try:
                st = os.stat(base + rel)
            except OSError:
                return None
            now = (st.st_size, st.st_mtime_ns)
        if now != (size, mtime):
            if len(out) >= MAX_CHANGED:
                return None
            got = read_words(root, rel)
            if got is None or got[2] is None:
                return None
            out[fid] = got[2]
    return out


def _word_matches(p: Postings, plain: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """For each matched text: the words it is matched in and how many times in each. Only
    the terms a word holds can match in it, so a word holding one term (most) needs no
    regex: its matches are the term's non-overlapping places, left to right."""
    terms = list(dict.fromkeys(fold(t) for t in plain))  # rg's order (longest first)
    lists = [p.word_ids(t) for t in terms]
    wids = np.concatenate(lists)
    which = np.repeat(np.arange(len(terms)), [len(x) for x in lists])
    order = np.lexsort((which, wids))
    wids, which = wids[order], which[order]
    first = np.ones(len(wids), dtype=bool)
    first[1:] = wids[1:] != wids[:-1]
    alone = first & np.append(first[1:], True)  # the word holds one term only
    found: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    written, folded = p.written, p.folded
    starts = p.offsets[wids[alone]].tolist()
    ends = (p.offsets[wids[alone] + 1] - 1).tolist()
    for wid, t, lo, hi in zip(wids[alone].tolist(), which[alone].tolist(), starts, ends,
                              strict=True):
        word, low, term = written[lo:hi], folded[lo:hi], terms[t]
        at = low.find(term)
        if low.count(term) == 1:
            got = found[word[at:at + len(term)]]
            got[0].append(wid)
            got[1].append(1)
            continue
        texts: Counter[str] = Counter()
        while at >= 0:
            texts[word[at:at + len(term)]] += 1
            at = low.find(term, at + len(term))
        for text, n in texts.items():
            got = found[text]
            got[0].append(wid)
            got[1].append(n)
    # words holding several terms: those terms' regex, leftmost first, longest first
    groups = np.flatnonzero(first)
    shared = ~alone[groups]
    compiled: dict[tuple[int, ...], re.Pattern[str]] = {}
    bounds = np.append(groups, len(wids))
    for g in np.flatnonzero(shared).tolist():
        lo, hi = int(bounds[g]), int(bounds[g + 1])
        key = tuple(sorted(which[lo:hi].tolist()))
        matcher = compiled.get(key)
        if matcher is None:
            matcher = compiled[key] = re.compile(
                "|".join(re.escape(terms[i]) for i in key), re.IGNORECASE)
        wid = int(wids[lo])
        for text, n in Counter(matcher.findall(p.word(wid))).items():
            got = found[text]
            got[0].append(wid)
            got[1].append(n)
    return {text: (np.asarray(w, dtype=np.int64), np.asarray(n, dtype=np.int64))
            for text, (w, n) in found.items()}


def _holders(p: Postings, term: str) -> np.ndarray | None:
    """Files that may hold `term`: those holding a word with each of its word parts (None:
    the term has no word part to narrow by)."""
    parts = PLAIN.findall(term)
    if not parts:
        return None
    mask = np.ones(len(p.paths), dtype=bool)
    for part in dict.fromkeys(parts):
        has = np.zeros(len(p.paths), dtype=bool)
        has[p.files[p.slices(p.word_ids(part))]] = True
        mask &= has
    return mask


def _holds(words: Counter[str], term: str) -> bool:
    parts = [fold(x) for x in PLAIN.findall(term)]
    folded = [fold(w) for w in words]
    return all(any(part in w for w in folded) for part in parts)
