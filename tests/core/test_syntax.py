import pytest

from splice.core.syntax import error_lines, has_syntax_errors, language_name, parse

SAMPLES = {
    "a.py": ("def f():\n    return 1\n", "def f(:\n    return 1\n"),
    "a.js": ("function f() { return 1; }\n", "function f( { return 1; }\n"),
    "a.ts": ("function f(x: number): number { return x; }\n", "function f(x: number { return x; }\n"),
    "a.tsx": ("const A = () => <div>hi</div>;\n", "const A = () => <div>hi</div;\n"),
    "a.go": ("package main\nfunc f() int { return 1 }\n", "package main\nfunc f( int { return 1 }\n"),
    "a.rs": ("fn f() -> i32 { 1 }\n", "fn f( -> i32 { 1 }\n"),
    "A.java": ("class A { int f() { return 1; } }\n", "class A { int f( { return 1; } }\n"),
}


@pytest.mark.parametrize("path", sorted(SAMPLES))
def test_each_grammar_parses_and_sees_errors(path: str) -> None:
    good, bad = SAMPLES[path]
    assert has_syntax_errors(good, path) is False
    assert has_syntax_errors(bad, path) is True


def test_unknown_extension_and_error_lines() -> None:
    assert language_name("README.md") is None
    assert has_syntax_errors("anything", "x.md") is None
    tree = parse("x = 1\ndef f(:\n  pass\n", "python")
    assert error_lines(tree) and error_lines(tree)[0] in (2, 3)
