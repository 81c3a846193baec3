import pytest

from splice.compact import CompactRequest, compact
from splice.core.errors import InvalidRequest
from splice.core.spans import Chunk

CODE = "".join(f"def f{i}(x):\n    return x + {i}\n\n" for i in range(50))


@pytest.mark.parametrize("request_args,words", [
    ({"text": ""}, "empty"),
    ({"text": "  \n\n"}, "empty"),
    ({"text": "abc\x00def\n" * 10}, "binary"),
    ({"text": CODE, "ratio": 0.0}, "outside (0, 1]"),
    ({"text": CODE, "ratio": 1.5}, "outside (0, 1]"),
    ({"text": CODE, "ratio": -0.2}, "outside (0, 1]"),
    ({"text": CODE, "ratio": 0.5, "max_tokens": 100}, "both"),
    ({"text": CODE, "max_tokens": 0}, "positive"),
    ({"text": CODE, "max_tokens": 3}, "smaller than the markers"),
    ({"text": CODE, "ratio": 0.001}, "smaller than the markers"),
    ({"text": CODE, "max_tokens": 40, "keep": [(1, 60)]}, "keep ranges alone"),
    ({"text": "x = [" + "1, " * 3000 + "]\n", "ratio": 0.3}, "no line fits"),
    ({"text": CODE, "keep": [(5, 2)]}, "not a valid"),
    ({"text": CODE, "keep": [(900, 910)]}, "outside the text"),
    ({}, "no text"),
    ({"chunks": []}, "empty list"),
    ({"chunks": [Chunk(text="x = 1\n"), Chunk(text="")]}, "chunk 2"),
    ({"text": CODE, "chunks": [Chunk(text="x\n")]}, "not both"),
])
async def test_bad_input_is_a_clear_invalid_request(request_args: dict, words: str) -> None:
    with pytest.raises(InvalidRequest) as info:
        await compact(CompactRequest(path="m.py", **request_args))
    assert words in str(info.value)


async def test_a_text_that_fits_comes_back_whole_even_under_a_tiny_budget() -> None:
    result = await compact(CompactRequest(text="x = 1\n", max_tokens=5, path="a.py"))
    assert result.text == "x = 1\n" and result.kept_ranges == [(1, 1)]
