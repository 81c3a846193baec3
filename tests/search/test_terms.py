from splice.search.terms import extract_terms, split_identifier, stem


def texts(query: str) -> dict[str, str]:
    return {t.text: t.kind for t in extract_terms(query).terms}


def test_identifiers_dotted_and_parts() -> None:
    got = texts("Fix `shell_completion.add_completion_class` and HTTPHeaderDict.copy()")
    assert got["shell_completion.add_completion_class"] == "dotted"
    assert got["add_completion_class"] == "identifier"
    assert got["HTTPHeaderDict.copy"] == "dotted"
    assert got["HTTPHeaderDict"] == "identifier"
    assert got["completion"] == "part" and got["header"] == "part"


def test_split_identifier() -> None:
    assert split_identifier("parse_HTTPHeader_value2") == ["parse", "http", "header", "value", "2"]
    assert split_identifier("getUserName") == ["get", "user", "name"]


def test_traceback_frames_and_file_lines() -> None:
    q = ('Traceback (most recent call last):\n  File "src/app/main.py", line 12, in handle\n'
         'ValueError: invalid literal for int() with base 10\nsee web/app.js:33')
    qt = extract_terms(q)
    assert [(f.path, f.line, f.function) for f in qt.frames] == [
        ("src/app/main.py", 12, "handle"), ("web/app.js", 33, "")]
    kinds = {t.text: t.kind for t in qt.terms}
    assert kinds["ValueError"] == "identifier"
    assert kinds["invalid literal for int() with base"] == "phrase"  # up to the number
    assert kinds["handle"] == "identifier"
    assert "web/app.js" in qt.paths
    assert "traceback" not in kinds and "recent" not in kinds


def test_quoted_strings_are_phrases_and_refs_are_dropped() -> None:
    got = texts('Raise "connection reset by peer" (#1234) https://x.org/a/b :issue:`99` GH-7')
    assert got["connection reset by peer"] == "phrase"
    assert not any("1234" in t or "x.org" in t or t == "99" for t in got)


def test_every_prose_word_is_offered_stemmed_the_repo_decides() -> None:
    # no fixed stopword list: "the" and "fixed" are offered; words.py weighs them by the repo
    got = texts("Fixed the redirects when the handler was previously used")
    assert {"redirect", "the", "fixed", "handler"} <= set(got)
    assert stem("parsing") == "pars" and stem("class") == "class"


def test_the_stem_of_a_contraction_is_no_term() -> None:
    got = texts("Don't ignore the width argument; it doesn't wrap and isn't kept")
    assert {"don", "doesn", "isn"}.isdisjoint(got)
    assert {"width", "ignore", "wrap"} <= set(got)
    assert "donor" in texts("the donor list")  # a word that merely starts alike is kept


def test_plural_camelcase_also_searches_singular() -> None:
    assert texts("custom HTTPAdapters")["HTTPAdapter"] == "identifier"


def test_name_after_a_definition_keyword_is_kept_even_if_a_stopword() -> None:
    terms = {t.text: t.kind for t in extract_terms("def add and class Update").terms}
    assert terms.get("add") == "identifier" and terms.get("Update") == "identifier"


def test_a_keyword_that_is_also_a_noun_names_only_code_like_words() -> None:
    # prose: "type annotation", "function source" are words, not definition names
    terms = {t.text: t.kind for t in extract_terms(
        "Fixed type annotation for enable_packrat; cache the generated function source").terms}
    assert terms.get("annotation") == "word" and terms.get("source") == "word"
    assert terms.get("enable_packrat") == "identifier"
    # code-like names after the same keywords still name definitions; `def` and `class`
    # name whatever follows
    terms = {t.text: t.kind for t in extract_terms(
        "type Config struct, interface io_reader, function parse2 and def finish").terms}
    assert {terms.get(n) for n in ("Config", "io_reader", "parse2", "finish")} == {"identifier"}


def test_language_keywords_are_never_code_terms() -> None:
    kinds = {t.text: t.kind for t in extract_terms("`self` and `return` in `parse_args`").terms}
    assert kinds.get("self") != "identifier" and kinds.get("return") != "identifier"
    assert kinds["parse_args"] == "identifier"


def test_a_long_changelog_keeps_words_from_its_later_items() -> None:
    items = ["- Fixed `alpha_one` when beta gamma delta epsilon zeta theta iota kappa lambda",
             "- Fixed `omega_two` for sigma upsilon chi psi rho tau phi mu nu xi omicron",
             "- Fixed `pi_three` and `eta_four` with lexer keywords tokens grouping"]
    texts = {t.text.lower() for t in extract_terms("\n".join(items)).terms}
    assert {"alpha_one", "omega_two", "pi_three", "eta_four"} <= texts
    assert len(texts) > 24  # more than the old cap of 24 terms
    assert "group" in texts  # a word of the last item (stemmed) is still searched
