from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from splice.compact import CompactRequest, compact_sync
from splice.core.errors import InvalidRequest

from .conftest import reconstruct

WORDS = ["def", "value", "parse_config", "Token", "return", "x", "if", "(", ")", ":", "#", "42"]
line = st.lists(st.sampled_from(WORDS), min_size=0, max_size=8).map(" ".join)
indent = st.sampled_from(["", "    ", "        ", "\t"])
source = st.lists(st.tuples(indent, line).map("".join), min_size=1, max_size=120)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=source, budget=st.integers(min_value=1, max_value=400),
       ending=st.sampled_from(["\n", "\r\n"]), final=st.booleans(),
       path=st.sampled_from(["m.py", "m.js", "m.txt", None]),
       query=st.sampled_from(["parse config", "Token value", ""]))
def test_kept_lines_identical_markers_exact_budget_held(lines: list[str], budget: int,
                                                       ending: str, final: bool,
                                                       path: str | None, query: str) -> None:
    text = ending.join(lines) + (ending if final else "")
    if not text.strip():
        return
    try:
        result = compact_sync(CompactRequest(text=text, query=query, max_tokens=budget,
                                             path=path, kind="code" if path else "text"))
    except InvalidRequest as exc:
        assert any(words in str(exc) for words in
                   ("smaller than the markers", "could not fit", "no line fits"))
        return
    assert result.tokens_after <= budget
    reconstruct(result, text)
