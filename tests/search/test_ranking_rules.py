"""The ranking rules for multi-file answers, each on a tiny repo, each with a case it must
leave alone: reference links, the breadth pass (led by code files) and the vendored-file
prior."""

from __future__ import annotations

from pathlib import Path

from splice.core.repo import Repo
from splice.core.spans import Span
from splice.search import SearchRequest, deterministic, search
from splice.search.api import prepare
from splice.search.fitting import LineCache, SpanCandidate, fit
from splice.search.priors import VENDOR_PRIOR, prior
from splice.search.ripgrep import Engine
from tests.search.ranking_repo import build

CACHE_QUERY = "Fix stale cache entry expiry in the store lookup."


def files_of(spans: list[Span]) -> list[str]:
    return list(dict.fromkeys(s.path for s in spans))


async def ask(root: Path, query: str, max_tokens: int = 4000) -> list[str]:
    result = await search(SearchRequest(query=query, repo=str(root), max_tokens=max_tokens))
    return files_of(result.spans)


# -- reference links ----------------------------------------------------------------------

async def test_a_helper_the_best_region_calls_joins_the_top_five(tmp_path: Path,
                                                                 monkeypatch) -> None:
    root = build(tmp_path)
    found = await ask(root, CACHE_QUERY)
    assert found[0] == "pkg/cache.py"
    assert "pkg/keys.py" in found[:5]
    monkeypatch.setattr(deterministic, "linked_files", lambda *a: [])
    assert "pkg/keys.py" not in (await ask(root, CACHE_QUERY))[:5]


async def test_a_name_the_best_file_defines_itself_is_no_link(tmp_path: Path) -> None:
    root = build(tmp_path)  # cache.py calls normalise_key, which keys.py defines, but...
    cache = root / "pkg" / "cache.py"  # ...cache.py defines one too: the call is its own
    cache.write_text(cache.read_text() + "\n\ndef normalise_key(key):\n    return key\n")
    found = await ask(root, CACHE_QUERY)
    assert found[0] == "pkg/cache.py"
    assert "pkg/keys.py" not in found[:5]


# -- breadth first, within a share of the budget ------------------------------------------

def _candidates(root: Path) -> list[SpanCandidate]:
    """a.py's two regions (tier 0 then tier 1) and b.py..d.py's first regions (tier 0)."""
    for name in "abcd":
        (root / f"{name}.py").write_text("".join(f"x_{k} = {k}  # {name}\n" for k in range(40)))
    def cand(name: str, start: int, worth: float, tier: int) -> SpanCandidate:
        shown = (worth + (1 if tier == 0 else 0)) / 2  # as _merge scores them
        return SpanCandidate(Span(path=f"{name}.py", start_line=start, end_line=start + 19,
                              score=shown), start + 9, tier, priority=worth)

    out = [cand("a", 1, 1.0, 0), cand("a", 21, 0.7, 1)]
    out += [cand(name, 1, 0.5 - i / 10, 0) for i, name in enumerate("bcd")]
    return sorted(out, key=lambda c: -c.span.score)


def test_leading_files_come_before_depth_when_the_budget_allows(tmp_path: Path) -> None:
    spans, _, _ = fit(_candidates(tmp_path), LineCache(Repo(tmp_path)), 4000)
    assert [s.path for s in spans] == ["a.py", "b.py", "c.py", "d.py", "a.py"]


def test_a_small_budget_keeps_every_leading_file_and_depth_in_the_best_file(tmp_path: Path) -> None:
    # ~212 tokens a region, ~95 shrunk to its focus: at 650 the breadth share (422) holds
    # a.py whole, b.py's and c.py's focus; d.py's focus comes from the rest of the budget
    # (it stays among the answer's files), and a.py's second region (0.7) still follows.
    spans, _, used = fit(_candidates(tmp_path), LineCache(Repo(tmp_path)), 650)
    assert [s.path for s in spans] == ["a.py", "b.py", "c.py", "d.py", "a.py"]
    assert (spans[0].start_line, spans[0].end_line) == (1, 20)
    assert spans[3].line_count < 20 and spans[4].start_line > 20
    assert used <= 650


async def test_the_top_five_files_are_shown_before_second_regions(tmp_path: Path) -> None:
    root = build(tmp_path)
    found = await ask(root, CACHE_QUERY)
    assert len(found) >= 5
    first = (await search(SearchRequest(query=CACHE_QUERY, repo=str(root)))).spans
    # cache.py's other two regions wait until five files have shown their best one
    assert len({s.path for s in first[:5]}) == 5


def test_the_leading_files_are_code_after_the_best_one() -> None:
    top = ["pkg/a.py", "tests/test_a.py", "pkg/b.py", "docs/conf_helpers.py", "pkg/c.py",
           "docs/index.rst", "pkg/d.py", "pkg/e.py", "pkg/f.py"]
    priors = {p: prior(p) for p in top}
    assert deterministic._leading(top, priors) == {"pkg/a.py", "pkg/b.py", "pkg/c.py",
                                                   "pkg/d.py", "pkg/e.py"}
    # the best file leads whatever it is: a query about a test finds the test first
    top[0], top[1] = top[1], top[0]
    assert "tests/test_a.py" in deterministic._leading(top, priors)
    # all code: the first five, as before
    code = [f"pkg/m{i}.py" for i in range(8)]
    assert deterministic._leading(code, {p: 1.0 for p in code}) == set(code[:5])


TEST_OF_STORE = "".join(f"""def test_cache_entry_{i}(store):
    # Look up a cache entry in the store; expire stale cache entries.
    assert cache_entry_{i}(store, "key") is None  # stale_entry_regression
""" for i in range(6))
TEST_QUERY = CACHE_QUERY + " Seen in stale_entry_regression."


async def test_a_test_file_waits_behind_the_leading_code_files(tmp_path: Path) -> None:
    root = build(tmp_path, call="str", extra={"tests/test_cache.py": TEST_OF_STORE})
    spans = (await search(SearchRequest(query=TEST_QUERY, repo=str(root)))).spans
    ranked = [p for p, _ in (await _file_ranking(root, TEST_QUERY))]
    assert "tests/test_cache.py" in ranked[:5]  # the file ranking has it among the first five
    assert "tests/test_cache.py" not in files_of(spans)[:5]  # but five code files come first


async def _file_ranking(root: Path, query: str) -> list[tuple[str, float]]:
    request = SearchRequest(query=query, repo=str(root))
    ctx, _, _ = await prepare(request, Engine(Repo(root)))
    got = await deterministic.gather(ctx, query)
    return (await deterministic.rank(ctx, got)).files


# -- vendored and generated files ---------------------------------------------------------

def test_vendored_and_generated_files_rank_lower() -> None:
    pairs = [("pkg/_vendor/six.py", "pkg/six.py"), ("third_party/x/y.py", "x/y.py"),
             ("src/pkg.egg-info/top_level.py", "src/pkg/top_level.py"),
             ("proto/api_pb2.py", "proto/api.py"), ("static/app.min.js", "static/app.js")]
    for vendored, own in pairs:
        assert prior(vendored) == VENDOR_PRIOR * prior(own), vendored
    # a module that merely mentions vendors is ordinary code
    assert prior("pkg/vendors.py") == 1.0
    assert prior("pkg/vendoring/api.py") == 1.0


async def test_a_vendored_copy_ranks_below_the_real_module(tmp_path: Path) -> None:
    real = "def verify_token(token):\n    return token.strip()\n"
    for rel in ("pkg/auth.py", "pkg/_vendor/auth.py"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(real + "\n# verify_token verify_token\n" * (rel.count("_vendor") + 1))
    found = await ask(tmp_path, "verify_token strips the token")
    assert found[0] == "pkg/auth.py"


# -- a module named after a query word ----------------------------------------------------

LEXER = '''def read_string(text, pos):
    """Read a quoted string."""
    end = text.index(text[pos], pos + 1)
    return text[pos:end + 1]
'''

PARSER = '''def parse(tokens):
    """Parse what the lexer made: escaped backslashes, trailing whitespace."""
    return [t for t in tokens if t.strip()]
'''


async def test_a_module_named_after_a_prose_word_wins_in_a_long_query(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "lexer.py").write_text(LEXER)
    (tmp_path / "pkg" / "parser.py").write_text(PARSER)
    for i in range(6):
        # everyday words are everywhere in a real repo: the repo's statistics say so here too
        (tmp_path / "pkg" / f"other{i}.py").write_text(
            f'def other_{i}():\n    """Return the value that comes out."""\n    return {i}\n')
    long_query = ("Fix the lexer so that quoted strings with escaped backslashes and trailing "
                  "whitespace, unicode letters, tabs, carriage returns, comments and nested "
                  "brackets come out whole")
    assert (await ask(tmp_path, long_query))[0] == "pkg/lexer.py"
    # when the words say more about parser.py than the module name says about lexer.py
    assert (await ask(tmp_path, "escaped backslashes, trailing whitespace"))[0] == "pkg/parser.py"


# -- files the best file imports ----------------------------------------------------------

SESSION_QUERY = "Stale sessions are not refreshed: session token expiry check is off by one."
SESSION = '''def refresh(session):
    """Refresh a stale session token when its expiry check fails."""
    if session.expired:
        session.token = new_token(session)
    return session.token


def expired(session):
    """The session token expiry check: a stale session is refreshed."""
    return session.expiry < now()
'''
PEER = '''def check_{i}(session):
    """A stale session token waits for its expiry."""
    return session.token
'''
CLOSE = '''def expiry_margin(session):
    """A stale session token: the margin for the check."""
    return 1
'''  # ~0.9 of a peer's score: within the import boost
FAR = '''def expiry_margin(session):
    """The slack a stale session gets before expiry."""
    return 1
'''  # ~0.5 of a peer's score: beyond it


def _session_repo(root: Path, *, importer: str | None, policy: str = CLOSE) -> Path:
    files = {f"pkg/peer{i}.py": PEER.format(i=i) for i in range(5)}
    files["pkg/session.py"] = SESSION
    files["pkg/policy.py"] = policy
    files["pkg/unrelated.py"] = "def unrelated():\n    return 0\n"
    if importer is not None:
        files[importer] = ("from .policy import expiry_margin\nfrom .unrelated import unrelated\n\n"
                           + files[importer])
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


async def _ranked(root: Path) -> list[str]:
    return [p for p, _ in await _file_ranking(root, SESSION_QUERY)]


async def test_a_module_the_best_file_imports_joins_the_top_five(tmp_path: Path) -> None:
    alone = await _ranked(_session_repo(tmp_path / "a", importer=None))
    assert alone[0] == "pkg/session.py" and alone.index("pkg/policy.py") == 6
    assert "pkg/policy.py" not in (await ask(tmp_path / "a", SESSION_QUERY))[:5]
    imported = await _ranked(_session_repo(tmp_path / "b", importer="pkg/session.py"))
    assert imported[:2] == ["pkg/session.py", "pkg/policy.py"]
    assert "pkg/policy.py" in (await ask(tmp_path / "b", SESSION_QUERY))[:5]


async def test_imports_leave_far_weaker_unmatched_and_runner_up_imports_alone(
        tmp_path: Path) -> None:
    # imported, but with half a peer's evidence: the boost is not enough
    far = await _ranked(_session_repo(tmp_path / "a", importer="pkg/session.py", policy=FAR))
    assert far.index("pkg/policy.py") == 6
    # imported with no query term at all: never a candidate
    assert "pkg/unrelated.py" not in far
    # imported by a runner-up, not by the best file: no lift
    peer = await _ranked(_session_repo(tmp_path / "b", importer="pkg/peer3.py"))
    assert peer[0] == "pkg/session.py" and peer.index("pkg/policy.py") == 6
