import random

from splice.compact import scoring
from splice.compact.terms import query_terms, split_identifier, term_hits


def reference_pull(hot: list[int], n: int) -> list[float]:
    out = [0.0] * n
    for j in range(n):
        d = min((abs(j - h) for h in hot), default=10**9)
        if d <= scoring.PULL:
            out[j] = scoring.PULL_WEIGHT * (1 - d / (scoring.PULL + 1))
    return out


def test_pull_by_slices_matches_the_definition() -> None:
    rng = random.Random(7)
    for _ in range(300):
        n = rng.randint(1, 300)
        hot = sorted(rng.sample(range(n), rng.randint(0, min(n, 8))))
        if not hot:
            continue
        # exact: the scores feed a sort, so even the last bit must match the definition
        assert scoring._pull(hot, n).tolist() == reference_pull(hot, n)


def test_words_in_matches_the_word_regex() -> None:
    rng = random.Random(11)
    alphabet = "ab_$09 .(\n\t-é—٣"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert scoring.words_in(text) == set(scoring._WORD.findall(text)), text
    assert scoring.words_in("x = 9abc + 0x1f; $el.é") == {"x", "abc", "x1f", "$el"}


def test_split_identifier() -> None:
    assert split_identifier("parseHTTPResponse_v2") == ["parse", "http", "response", "v", "2"]
    assert split_identifier("attr.asdict") == ["attr", "asdict"]


def test_query_terms_drop_glue_and_keep_compounds() -> None:
    terms = {t.text for t in query_terms("Fixed the `retain_collection_types` flag for None").terms}
    assert "retain_collection_types" in terms and "retain" in terms
    assert not {"fixed", "the", "for", "none"} & terms


def test_term_hits_respect_subword_boundaries() -> None:
    text = "x = parseConfig()\nsparse = 1\nHTMLParser()\nPARSE_MODE = 2\nunrelated\n"
    starts = [0]
    for line in text.splitlines(keepends=True)[:-1]:
        starts.append(starts[-1] + len(line))
    hits = {t.text: lines for t, lines in term_hits(text, starts, query_terms("parser"))}
    assert hits["pars"] == {0, 2, 3}  # not "sparse"


def test_blank_lines_rank_just_below_their_better_neighbour() -> None:
    lines = ["a = 1\n", "\n", "b = 2\n", "   \n", "\n"]
    got = scoring._blank_edges([1.0, 0.0, 5.0, 0.0, 0.0], lines)
    assert got[0] == 1.0 and got[2] == 5.0
    assert got[1] == scoring.BLANK_SHARE * 5.0
    assert got[3] == scoring.BLANK_SHARE * 5.0
    assert got[4] == 0.0  # next to a blank line only


def test_imports_rank_after_relevant_code_before_unrelated_code() -> None:
    from splice.compact import CompactRequest, compact_sync
    from splice.compact.compactor import _score
    from splice.compact.lines import split_lines
    from splice.compact.validate import KeptStretch

    text = ("import os\nfrom json import loads\n\n\n"
            "def parse_header(value):\n    return loads(value)\n\n\n"
            "def unrelated(x):\n    y = x * 2\n    return y\n")
    lines = split_lines(text)
    score, _, _ = _score("code", KeptStretch(text=text, path="m.py", start_line=1), lines,
                         "python", query_terms("parse_header drops values"))
    assert score[4] > score[0] > score[9]     # def parse_header > import os > unrelated body
    assert score[1] > score[9]
    assert scoring.import_lines(lines, [(0, 0), (1, 1), (4, 5), (8, 10)]) == [0, 1]
    result = compact_sync(CompactRequest(text=text, query="parse_header", ratio=0.6, path="m.py"))
    assert "import os\n" in result.text
