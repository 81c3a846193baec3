from splice.search.symbols import enclosing, extract_definitions


def rows(src: str, lang: str) -> list[tuple[str, str, int, int]]:
    return [(d.name, d.kind, d.start_line, d.end_line)
            for d in extract_definitions(src.encode(), lang)]


def test_python_classes_methods_decorators() -> None:
    src = "@dataclass\nclass A:\n    def f(self):\n        pass\n\n\ndef g():\n    return 1\n"
    assert rows(src, "python") == [("A", "class", 1, 4), ("f", "method", 3, 4),
                                   ("g", "function", 7, 8)]


def test_javascript_and_typescript() -> None:
    js = "function f() {}\nclass R {\n  m() { return 1; }\n}\nconst h = () => 1;\n"
    assert rows(js, "javascript") == [("f", "function", 1, 1), ("R", "class", 2, 4),
                                      ("m", "method", 3, 3), ("h", "function", 5, 5)]
    ts = "export interface I { a: number }\nexport const k = function () {};\n"
    assert rows(ts, "typescript") == [("I", "class", 1, 1), ("k", "function", 2, 2)]
    assert rows("export const App = () => <div/>;\n", "tsx") == [("App", "function", 1, 1)]


def test_go_rust_java() -> None:
    go = "package m\n\nfunc (s *S) Serve() {\n}\n\ntype S struct{}\n"
    assert rows(go, "go") == [("Serve", "function", 3, 4), ("S", "class", 6, 6)]
    rust = "impl P {\n    fn check(&self) {}\n}\n"
    assert rows(rust, "rust") == [("P", "class", 1, 3), ("check", "method", 2, 2)]
    java = "class M {\n  M() {}\n  void run() {}\n}\n"
    assert rows(java, "java") == [("M", "class", 1, 4), ("M", "method", 2, 2),
                                  ("run", "method", 3, 3)]


def test_unknown_language_has_no_definitions() -> None:
    assert extract_definitions(b"anything", "cobol") == []


def test_enclosing_is_innermost() -> None:
    defs = extract_definitions(b"class A:\n    def f(self):\n        x = 1\n        return x\n", "python")
    assert enclosing(defs, 3).name == "f"
    assert enclosing(defs, 1).name == "A"
    assert enclosing(defs, 9) is None
