"""The planner that needs no model: query terms weighted by rarity, files ranked BM25-like
with boosts for definitions, traceback frames and path matches, then the best regions of
the best files grown to their enclosing definitions."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from splice.core.errors import SpliceError
from splice.core.spans import Span
from splice.search.context import SearchContext
from splice.search.fitting import SpanCandidate
from splice.search.forwarders import Forwarders
from splice.search.frames import frame_files, frame_weight
from splice.search.imports import imported_files
from splice.search.index import refresh
from splice.search.links import linked_files, move_up
from splice.search.named_modules import named_files
from splice.search.occurrences import count_terms
from splice.search.passthrough import working_frames
from splice.search.priors import is_test, prior, wants_tests
from splice.search.qualified import DEF_BOOST, qualified_definitions
from splice.search.raises import raise_hits
from splice.search.regions import FIRST_PASS, FRAME_BOOST, line_rows, regions
from splice.search.related import callee_files, place
from splice.search.ripgrep import GrepMatch, line_hits
from splice.search.terms import WEIGHTS, Frame, Term, extract_terms
from splice.search.title import REACH, lead_first
from splice.search.title_modules import place_named, title_modules
from splice.search.words import (
    WORD_BUDGET,
    keep_words,
    offer_words,
    sample,
    scale_words,
    word_shares,
)

K1 = 1.2
B = 0.25
DEF_SPREAD = 3     # a name defined in more files than this shares its definition boost
PATH_BOOST = 0.8
CANDIDATE_FILES = 12
SHORTLIST = 300
PER_FILE_LINES = 20_000  # rg stops counting a file here: only a generated file (data, minified) comes near
LEAD_PRIOR = 0.6  # a file must have at least this prior to lead (tests 0.3, docs 0.5)
IMPORT_BOOST = 1.3  # a runner-up the best file imports ranks as if its score were this much more


@dataclass
class Ranking:
    candidates: list[SpanCandidate] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    files_matched: int = 0
    refreshed: int = 0
    note: str = ""
    files: list[tuple[str, float]] = field(default_factory=list)  # file ranking, best first
    missing: list[str] = field(default_factory=list)  # names the asker wrote that occur nowhere


def _sensitive(term: Term) -> bool:
    return any(c.isupper() for c in term.text)


class _Attributor:
    """Which terms a matched text stands for (memoised: matches repeat a lot)."""

    def __init__(self, terms: list[Term]) -> None:
        self.terms = terms
        self.memo: dict[str, list[int]] = {}
        # (index, text as matched, case-sensitive?) once per term, not once per match
        self.keys = [(i, t.text if _sensitive(t) else t.text.lower(), _sensitive(t))
                     for i, t in enumerate(terms)]

    def __call__(self, match: str) -> list[int]:
        found = self.memo.get(match)
        if found is None:
            low = match.lower()
            found = [i for i, text, sensitive in self.keys if text in (match if sensitive else low)]
            self.memo[match] = found
        return found


@dataclass
class Gathered:
    """The repo-wide pass: which term occurs how often in which file."""

    query: str
    terms: list[Term]
    frames: list[Frame]
    paths: list[str]
    pattern: Term | None
    tf: list[Counter[str]]
    pattern_hits: list[GrepMatch]
    attribute: _Attributor
    own_tests: frozenset[str] = frozenset()  # the report's own test names (priors.wants_tests)


async def gather(ctx: SearchContext, query: str, pattern: str | None = None) -> Gathered:
    """Term occurrences per file (the word postings, else one rg pass) and the pattern's hits. Prose words are
    chosen first by the repo's own statistics (words.py)."""
    engine, scope = ctx.engine, ctx.scope
    qt = extract_terms(query)
    terms = [t for t in qt.terms if t.kind != "path"]
    prose = [t for t in terms if t.kind in ("word", "part")]
    defined: set[str] = set()
    if prose:
        shares = await word_shares(engine, ctx.files, [t.text for t in prose])
        names = {n for t in prose for n in (t.names or [t.text.lower()])}
        defined = set(ctx.index.find(names)) if ctx.index.files else set()
        terms = offer_words(terms, shares, defined, len(sample(ctx.files)))
    tf: list[Counter[str]] = [Counter() for _ in terms]
    attribute = _Attributor(terms)
    found = await count_terms(engine, [t.text for t in terms], scope,
                              per_file_lines=PER_FILE_LINES)
    for match, per_path in found.items():
        for i in attribute(match):
            tf[i].update(per_path)
    kept = keep_words(terms, [len(c) for c in tf], defined)
    terms = scale_words([terms[i] for i in kept], sum(1 for t in terms if t.kind in ("word", "part")))
    tf = [tf[i] for i in kept]
    attribute = _Attributor(terms)
    pattern_term = Term(text=pattern, kind="pattern", weight=1.5) if pattern else None
    pattern_hits = await engine.grep([pattern], scope, fixed=False) if pattern else []
    return Gathered(query, terms, qt.frames, qt.paths, pattern_term, tf, pattern_hits, attribute,
                    frozenset(qt.own_tests))


def _idf(n_files: int, holding: int) -> float:
    """BM25's inverse document frequency of a term held by `holding` of `n_files` files."""
    return math.log(1 + (n_files - holding + 0.5) / (holding + 0.5))


async def rank(ctx: SearchContext, got: Gathered) -> Ranking:
    terms, tf, pattern_hits, pattern_term = got.terms, got.tf, got.pattern_hits, got.pattern
    attribute = got.attribute
    # Occurrences come from the same rg filters and scope as the listing: no filter needed,
    # and a file created after a cached listing still counts.
    known_files = list(dict.fromkeys([*ctx.files, *(p for c in tf for p in c)]))
    # wrappers and context exits are in every traceback that passes them: no evidence,
    # nor are their names when the report wrote them only in those frames
    working, passed = working_frames(ctx, got.frames, known_files)
    if passed:
        kept = [i for i, t in enumerate(terms)
                if t.named or t.kind not in ("identifier", "dotted") or t.text not in passed]
        terms, tf = [terms[i] for i in kept], [tf[i] for i in kept]
        attribute = _Attributor(terms)
    n_files = max(len(known_files), 1)
    idf = [_idf(n_files, len(c)) for c in tf]
    top_idf = max(idf, default=1.0) or 1.0

    index_files = ctx.index.files
    avg = (sum(e.size for e in index_files.values()) / len(index_files)) if index_files else 1.0
    score: dict[str, float] = defaultdict(float)
    # each term's share of a score
    per_term: list[dict[str, float]] = [defaultdict(float) for _ in terms]
    for i, term in enumerate(terms):
        for path, count in tf[i].items():
            entry = index_files.get(path)
            norm = 1 - B + B * ((entry.size if entry else avg) / avg)
            per_term[i][path] += term.weight * idf[i] * count * (K1 + 1) / (count + K1 * norm)
    for m in pattern_hits:
        score[m.path] += 1.5 * top_idf / 3  # a few pattern hits in a file add up

    def_lines: dict[str, dict[int, float]] = defaultdict(dict)
    wanted = {name for i, t in enumerate(terms) if tf[i] for name in t.names}
    by_name = ctx.index.find(wanted) if ctx.index.files else {}
    qualified = qualified_definitions(ctx, terms, top_idf, idf)
    if ctx.scope:  # the index knows the whole repo; a scoped search answers from its scope
        inside = set(known_files)
        qualified = [q for q in qualified if q[1] in inside]
    # a name the report qualified (`Q.deconstruct`) points only where it resolved
    owned: dict[str, set[str]] = defaultdict(set)
    for i, path, _, _ in qualified:
        owned[terms[i].names[0]].add(path)
    forwarder = Forwarders(ctx)
    question = (len(terms) <= WORD_BUDGET
                and all(t.kind in ("word", "part", "identifier") for t in terms))
    for i, term in enumerate(terms):
        if not tf[i]:
            continue
        for name in term.names:
            defs = by_name.get(name, [])
            # In a short question of words and bare names ("update() drops keys") each word
            # is chosen, and a definition it names is as telling as it is rare: `def add` in
            # one file where "add" is in most (add_command). In a long report many words name
            # some definition by chance (6 SWE-bench dev tasks lost their gold file when every
            # word counted so), and dotted names say more than a bare word (a changelog task
            # lost its top file), so there the name's own rarity stands.
            rarity = (max(idf[i], _idf(n_files, len({p for p, _ in defs}))) if question
                      else idf[i])
            defined = [(p, d) for p, d in defs
                       if p in tf[i] and (name not in owned or p in owned[name])
                       and not forwarder(p, d)]
            # a name defined in many files points at none of them in particular
            spread = DEF_SPREAD / max(DEF_SPREAD, len({p for p, _ in defined}))
            for path, d in defined[:50]:
                bonus = term.weight * rarity * DEF_BOOST * spread
                per_term[i][path] += bonus
                def_lines[path][d.start_line] = max(def_lines[path].get(d.start_line, 0), bonus)
    for i, path, line, bonus in qualified:
        per_term[i][path] += bonus
        def_lines[path][line] = max(def_lines[path].get(line, 0), bonus)
    for shares in per_term:
        for path, share in shares.items():
            score[path] += share
    matched = len(score)
    # Path boosts and priors only for the front runners: priors only lower a score.
    shortlist = sorted(score, key=lambda p: (-score[p], p))[:SHORTLIST]
    # A module named after a query word is evidence about the file, not one more occurrence:
    # prose words count at their full weight here, not at their share of the word budget.
    named = [(i, term.text.lower().split(".")[-1], term.kind == "word",
              (WEIGHTS[term.kind] if term.kind in ("word", "part") else term.weight) * idf[i])
             for i, term in enumerate(terms)
             if tf[i] and term.kind in ("identifier", "word", "part", "dotted")]
    for path in shortlist:
        stem_parts = {p.lower().split(".")[0] for p in path.split("/")}
        for i, low, is_word, value in named:
            if low in stem_parts or (is_word and any(p.startswith(low) for p in stem_parts)):
                score[path] += value * PATH_BOOST
                per_term[i][path] += value * PATH_BOOST
    for p in got.paths:
        for f in known_files:
            if f == p or f.endswith("/" + p):
                score[f] += FRAME_BOOST * top_idf
    # a module the report names as its tools print it (`auth.0011_update_proxy_permissions`)
    # counts as a path written out: the name is in no file's text, only in its file name
    by_module = named_files(got.query, known_files)
    for f in by_module:
        score[f] += FRAME_BOOST * top_idf
    frames = frame_files(working, known_files)
    for path, fs in frames.items():
        score[path] += FRAME_BOOST * top_idf * 2 * frame_weight(fs)
    named_paths = {f for f in score if got.paths and any(f.endswith(p) for p in got.paths)}
    boosted = set(shortlist) | set(frames) | named_paths | set(by_module)
    tests_wanted = wants_tests(got.terms, got.paths, got.own_tests)
    priors = {p: prior(p, tests_wanted) for p in boosted}
    # named outright (a numbered module, a path with its folders written out): no prior
    # about what such files usually are (`examples/x/plot_y.py` is the file to fix)
    written = [p for p in got.paths if "/" in p]
    for p in [*by_module, *(f for f in named_paths if any(_tail(f, w) for w in written))]:
        priors[p] = 1.0
    score = defaultdict(float, {p: score[p] * priors[p] for p in boosted})
    order = sorted(score, key=lambda p: (-score[p], p))  # ties by name: same query, same answer
    if order:
        order = imports_first(ctx, order, score, known_files)
        # a new leader (title.py) comes only from the code: never a test, asked for or not
        code = {p for p in order[:REACH] if priors[p] >= LEAD_PRIOR and not is_test(p)}
        order = lead_first(ctx, order, score, got.query, code, frames)

    ranking = Ranking(terms=[t.text for i, t in enumerate(terms) if tf[i]]
                      + ([pattern_term.text] if pattern_hits and pattern_term else []),
                      files_matched=matched, files=[(p, score[p]) for p in order[:CANDIDATE_FILES]],
                      missing=[t.text for i, t in enumerate(terms)
                               if t.named and t.kind in ("identifier", "flag") and not tf[i]])
    if not score:
        ranking.note = "None of the query's terms occur in the searched files."
        return ranking
    top = order[:CANDIDATE_FILES]
    top = place_named(top, await title_modules(ctx, got.query), score, CANDIDATE_FILES,
                      lambda p: priors.get(p, 1.0) >= LEAD_PRIOR)  # title_modules.py
    _lift_scores(score, top)
    ranking.refreshed = await refresh(ctx.engine.repo, ctx.index, top)  # shown files are current
    lines = await line_hits(ctx.engine, [t.text for i, t in enumerate(terms) if tf[i]], top)
    pattern_lines = [m for m in pattern_hits if m.path in top]
    hits = line_rows(ctx, lines, pattern_lines, terms, idf, attribute, def_lines, frames)
    for path, sites in raise_hits(ctx, top, terms, idf).items():
        for line, bonus in sites.items():
            hits.rows[path][line]["<raise>"] = bonus
    ranking.candidates = regions(ctx, top, score, hits, _leading(top, priors))
    best = next((c for c in ranking.candidates if c.span.path == top[0]), None)
    linked = linked_files(ctx, best, top) if best is not None else []
    related = callee_files(ctx, ranking.candidates, top)  # related.py: a callee's own file
    if linked or related:
        top = place(move_up(top, linked), related, hits)
        _lift_scores(score, top)
        ranking.files = [(p, score[p]) for p in top]
        extra = {related[0][0]} if related else set()  # leads besides the files it displaced
        lead = _leading([p for p in top if p not in extra], priors) | extra
        ranking.candidates = regions(ctx, top, score, hits, lead)
    return ranking


def _tail(path: str, written: str) -> bool:
    return path == written or path.endswith("/" + written)


def imports_first(ctx: SearchContext, order: list[str], score: dict[str, float],
                  known_files: list[str]) -> list[str]:
    """`order` with the files the best file imports ranked as if their scores were
    IMPORT_BOOST times higher: a fix to one module often reaches into the modules it
    imports, whatever words they hold. Only the order changes; the scores that weigh the
    regions stay (the lift that follows gives a moved file its new place's score)."""
    best = order[0]
    try:
        text = ctx.engine.read(best).text
    except SpliceError:
        return order
    imported = set(imported_files(best, text, known_files))
    key = {p: score[p] * (IMPORT_BOOST if p in imported else 1.0) for p in order[1:]}
    return [best] + sorted(order[1:], key=lambda p: (-key[p], p))


def _leading(top: list[str], priors: dict[str, float]) -> set[str]:
    """The files whose best regions are shown first: the best file whatever it is, then the
    next files the priors take for the code itself, FIRST_PASS in all (tests, docs and prose
    wait in score order: top-k counts files, and the fix is in the code)."""
    if FIRST_PASS <= 0:
        return set()
    code = [p for p in top[1:] if priors.get(p, 1.0) >= LEAD_PRIOR]
    return set(top[:1] + code[:FIRST_PASS - 1])


def _lift_scores(score: dict[str, float], top: list[str]) -> None:
    """A file moved up the order takes the score of the place it took, so its spans are
    ordered with their neighbours' (scores stay non-increasing along `top`)."""
    floor = 0.0
    for path in reversed(top):
        floor = max(floor, score[path])
        score[path] = floor


def spans_only(cands: list[SpanCandidate]) -> list[Span]:
    return [c.span for c in cands]
