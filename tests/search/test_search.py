from pathlib import Path

import pytest

from splice.core.errors import FileMissing, InvalidRequest, NotAFile, PathEscape
from splice.core.spans import Span
from splice.core.tokens import count_tokens
from splice.search import SearchRequest, SearchResult, search


async def run(repo: Path, query: str, **kw) -> SearchResult:
    return await search(SearchRequest(query=query, repo=str(repo), **kw))


async def test_finds_the_definition_and_grows_to_it(sample_repo: Path) -> None:
    result = await run(sample_repo, "verify_token raises ValueError when the token expired")
    first = result.spans[0]
    assert (first.path, first.start_line, first.end_line) == ("pkg/auth.py", 18, 24)
    assert "function verify_token" in first.reason
    assert result.texts[0].startswith("def verify_token(store, token):")
    assert result.stats.planner == "deterministic" and result.stats.rg_calls >= 2
    assert result.stats.index == "cold" and result.stats.files_scanned >= 10
    assert "verify_token" in result.stats.terms


async def test_source_ranks_before_tests_docs_and_ignored_files(sample_repo: Path) -> None:
    result = await run(sample_repo, "verify_token")
    files = list(dict.fromkeys(s.path for s in result.spans))
    assert files[0] == "pkg/auth.py"
    assert files.index("pkg/auth.py") < files.index("tests/test_auth.py")
    assert "build/generated.py" not in files and "data.bin" not in files


async def test_render_heads_blocks_with_path_and_lines(sample_repo: Path) -> None:
    result = await run(sample_repo, "compute_checksum Packet")
    text = result.render()
    assert text.startswith("lib.rs:")
    assert f"{result.spans[0].label()}\n```\n" in text
    assert "fn compute_checksum" in text


async def test_token_budget_is_kept(sample_repo: Path) -> None:
    big = await run(sample_repo, "verify_token TokenStore Router fetchUser ServeHTTP", max_tokens=5000)
    small = await run(sample_repo, "verify_token TokenStore Router fetchUser ServeHTTP", max_tokens=60)
    assert len(big.spans) > len(small.spans) >= 1
    for res, budget in ((big, 5000), (small, 60)):
        assert res.stats.tokens_returned <= budget
        assert count_tokens(res.render()) <= budget


async def test_spans_do_not_overlap(sample_repo: Path) -> None:
    result = await run(sample_repo, "TokenStore issue tokens verify_token expires", max_tokens=4000)
    spans = sorted(result.spans, key=lambda s: (s.path, s.start_line))
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.path != b.path or a.end_line < b.start_line


async def test_traceback_frame_leads(sample_repo: Path) -> None:
    tb = ('Traceback (most recent call last):\n  File "/site/pkg/util.py", line 3, in '
          'parse_header_value\nIndexError: list index out of range')
    result = await run(sample_repo, tb)
    assert result.spans[0].path == "pkg/util.py"
    assert result.spans[0].start_line <= 3 <= result.spans[0].end_line


async def test_path_in_query_is_boosted(sample_repo: Path) -> None:
    result = await run(sample_repo, "what does srv/main.go serve")
    assert result.spans[0].path == "srv/main.go"


async def test_user_pattern_is_a_regex(sample_repo: Path) -> None:
    result = await run(sample_repo, "router", pattern=r"res\.send\(\d+\)")
    assert result.spans[0].path == "web/app.js"


async def test_paths_restrict_the_search(sample_repo: Path) -> None:
    result = await run(sample_repo, "verify_token", paths=["tests"])
    assert {s.path for s in result.spans} == {"tests/test_auth.py"}


async def test_non_utf8_file_is_found_and_decoded(sample_repo: Path) -> None:
    result = await run(sample_repo, "legacy_encoder")
    assert result.spans[0].path == "legacy.py"
    assert "café" in result.texts[0]


async def test_warm_index_on_second_search(sample_repo: Path) -> None:
    await run(sample_repo, "Router")
    again = await run(sample_repo, "Router")
    assert again.stats.index in ("memory", "warm") and again.stats.index_parsed == 0


async def test_no_match_is_an_empty_result_that_says_why(sample_repo: Path) -> None:
    result = await run(sample_repo, "zzqqxx_nothing_like_this")
    assert result.spans == [] and "None of the query's terms" in result.note
    assert "No matching code" in result.render()


# bad input: each a typed error or an empty result with a reason, never a traceback

async def test_empty_query(sample_repo: Path) -> None:
    with pytest.raises(InvalidRequest, match="empty"):
        await run(sample_repo, "   ")


async def test_repo_not_a_directory(sample_repo: Path) -> None:
    with pytest.raises(NotAFile):
        await run(sample_repo / "lib.rs", "x")
    with pytest.raises(FileMissing):
        await run(sample_repo / "nope", "x")


async def test_path_outside_the_repo(sample_repo: Path) -> None:
    with pytest.raises(PathEscape):
        await run(sample_repo, "verify_token", paths=["../.."])


async def test_regex_that_does_not_compile(sample_repo: Path) -> None:
    with pytest.raises(InvalidRequest, match="does not compile"):
        await run(sample_repo, "router", pattern="(unclosed")


async def test_query_with_regex_characters_is_taken_literally(sample_repo: Path) -> None:
    result = await run(sample_repo, "router.dispatch(req, res) [broken")
    assert result.spans and result.spans[0].path == "web/app.js"


async def test_repo_with_no_supported_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("the deploy checklist\nrotate the keys\n")
    result = await run(tmp_path, "rotate keys")
    assert result.spans[0].path == "notes.txt"
    assert "No file is in a language splice parses" in result.note


async def test_empty_repo(tmp_path: Path) -> None:
    result = await run(tmp_path, "anything")
    assert result.spans == [] and "no searchable text files" in result.note


def test_request_json_leaves_out_the_model() -> None:
    from splice.core.llm import ScriptedModel

    req = SearchRequest(query="q", model=ScriptedModel([]))
    assert "model" not in req.model_dump()


def test_result_json_shape() -> None:
    res = SearchResult(spans=[Span(path="a.py", start_line=1, end_line=2)], texts=["x\ny"])
    payload = res.to_json()
    assert payload["spans"][0]["text"] == "x\ny" and "stats" in payload


async def test_search_tool_outcome(sample_repo: Path) -> None:
    from splice.core.repo import Repo
    from splice.tools import ToolContext, mcp_tools

    search_tool = next(t for t in mcp_tools() if t.name == "codebase_search")

    ok = await search_tool.call({"query": "verify_token"}, ToolContext(repo=Repo(sample_repo)))
    assert not ok.is_error and ok.text.startswith("pkg/auth.py:18-24\n```")
    bad = await search_tool.call({"query": " "}, ToolContext(repo=Repo(sample_repo)))
    assert bad.is_error and "empty" in bad.text
    assert search_tool.anthropic_schema()["input_schema"]["required"] == ["query"]


async def test_nul_bytes_and_huge_queries(sample_repo: Path) -> None:
    with pytest.raises(InvalidRequest, match="NUL"):
        await run(sample_repo, "x", pattern="a\x00b")
    result = await run(sample_repo, "verify_token\x00 " + "lorem ipsum " * 5000)
    assert result.spans[0].path == "pkg/auth.py"


async def test_symlink_leading_outside_is_never_read(sample_repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.py"
    secret.write_text("def verify_token():\n    return 'outside secret'\n")
    (sample_repo / "pkg" / "leak.py").symlink_to(secret)
    result = await run(sample_repo, "verify_token outside secret")
    assert all(s.path != "pkg/leak.py" for s in result.spans)
    assert not any("outside secret" in t for t in result.texts)


async def test_recent_listing_is_reused_and_shown_files_are_current(sample_repo: Path) -> None:
    first = await run(sample_repo, "verify_token")
    assert first.stats.listing == "fresh"
    util = sample_repo / "pkg" / "util.py"
    util.write_text(util.read_text() + "\n\ndef brand_new_helper(x):\n    return x * 2\n")
    (sample_repo / "pkg" / "created.py").write_text("def created_later():\n    return 'hi'\n")
    (sample_repo / "lib.rs").unlink()
    again = await run(sample_repo, "brand_new_helper created_later compute_checksum")
    assert again.stats.listing == "cached" and again.stats.index_parsed >= 2
    labels = {s.label(): s.reason for s in again.spans}
    assert labels["pkg/util.py:11-12"] == "function brand_new_helper"
    assert labels["pkg/created.py:1-2"] == "function created_later"
    assert not any(s.path == "lib.rs" for s in again.spans)


async def test_old_listing_is_refreshed(sample_repo: Path, monkeypatch) -> None:
    from splice.search import api

    await run(sample_repo, "verify_token")
    monkeypatch.setattr(api, "LISTING_MAX_AGE_S", 0.0)
    again = await run(sample_repo, "verify_token")
    assert again.stats.listing == "fresh"
