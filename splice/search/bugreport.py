"""Reading a bug report the way a maintainer does: the code it runs (names called and
imported), where its tracebacks point (the innermost frames first), links to lines of the
project's files, the messages it quotes, and which parts are noise (versions, system
details, install notes) that no search term should come from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Sections whose text describes the reporter's machine, not the code.
_NOISE_HEADINGS = re.compile(
    r"^\s*(?:#+\s*|\*\*)(?:versions?|system(?: details| info)?|environment|installation|"
    r"operating system|(?:\w+ )?version|python version|jupyter version|\w+ backend|"
    r"platform|show_versions|dependencies)\b.*$", re.IGNORECASE | re.MULTILINE)
_HEADING = re.compile(r"^\s*(?:#+\s+\S|\*\*[^*\n]+\*\*\s*$)", re.MULTILINE)
# `numpy: 1.23.5`, `Django==3.2`, `python 3.10.6 (main, ...)`: a package and its version.
_VERSION_LINE = re.compile(r"^\s*[\w.\-]+\s*(?::|==|>=|<=|\s)\s*v?\d+(?:\.\d+)+\S*.*$",
                           re.MULTILINE)
# Issue templates' instructions: the reporter's words are outside them.
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_FENCE = re.compile(r"^[ \t]*(```|~~~)[^\n]*\n(.*?)^[ \t]*\1[ \t]*$", re.MULTILINE | re.DOTALL)
# A traceback or an error line: a block holding one is output the project printed.
_OUTPUT = re.compile(r"Traceback \(most recent call|^\s*File \"|^\s*\w*(?:Error|Exception|Warning):",
                     re.MULTILINE)
_PROMPT = re.compile(r"^[ \t]*(?:>>>|\.\.\.|In \[\d+\]:)[ \t]?(.*)$", re.MULTILINE)
# Web links to a file of the project at a line: .../blob/<ref>/<path>#L<n>
_BLOB_URL = re.compile(r"https?://\S+?/(?:blob|tree)/[^/\s]+/([\w./-]+?\.\w+)(?:#L(\d+))?(?=[\s)\]>'\"]|$)")
_CALL = re.compile(r"([A-Za-z_]\w*)[ \t]*\(")  # `f(`, `obj.m(`, `A(...).m(`
_ATTR = re.compile(r"\.([A-Za-z_]\w*)")
_IMPORT_FROM = re.compile(r"^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+(?:\(([^)]*)\)|([\w \t,]+))",
                          re.MULTILINE)
_IMPORT = re.compile(r"^\s*import\s+([\w.]+)", re.MULTILINE)
_ASSIGNED = re.compile(r"^\s*([A-Za-z_]\w*)\s*=(?!=)", re.MULTILINE)
# `fig, ax = plt.subplots()`, `fig, (ax1, ax2) = ...`, `for i, row in ...`: every name the
# script binds in a tuple (a call's `f(a, b=1)` is not one: no name is followed by `(`)
_TARGET = r"(?:[A-Za-z_]\w*|\([\w\s,]+\)|\[[\w\s,]+\])"
_TUPLE_ASSIGNED = re.compile(
    rf"^\s*(?:for\s+)?\(?({_TARGET}(?:\s*,\s*{_TARGET})+)\)?\s*(?:=(?!=)|\bin\b)", re.MULTILINE)
_DEFINED_HERE = re.compile(r"^\s*(?:def|class)\s+([A-Za-z_]\w*)", re.MULTILINE)
# A test the report defines (`def test_x`), a test run's verdict on one (`FAIL: test_x
# (app.tests.T)`, `FAILED tests/t.py::test_x`), or a test method called on a class the report
# defines (`Test().test_method()`): the reporter's repro or the symptom, not the code to read.
_TEST_DEFINED = re.compile(r"\bdef\s+(test\w*)")
_VERDICT_HEAD = r"\s*(?:FAIL|ERROR|FAILED|ERRORED)\b:?\s+"  # unittest's and pytest's
_TEST_VERDICT = re.compile(rf"^{_VERDICT_HEAD}(?:\S*::)?(test\w*)", re.MULTILINE | re.IGNORECASE)
# The failing test's name and its `(module.TestClass)` label on a verdict line: which test
# noticed, not where the fault is (the rest of the line, a subtest's values, stays).
_VERDICT_LABEL = re.compile(rf"^({_VERDICT_HEAD})(?:\S*::)?test\w*(?:\s*\([\w.]+\))?",
                            re.MULTILINE | re.IGNORECASE)
_METHOD_ON_NEW = re.compile(r"(?<![\w.])([A-Z]\w*)\([^()\n]*\)\.(test\w*)")
_CLASS_DEFINED = re.compile(r"\bclass\s+([A-Za-z_]\w*)")
# Python builtins a repro script calls: they name nothing in the project.
_BUILTIN_CALLS = frozenset(
    "print len range list dict set tuple str int float bool type isinstance issubclass repr "
    "open super getattr setattr hasattr sorted enumerate zip map filter sum min max abs id "
    "object iter next vars dir round format input any all callable".split())


@dataclass
class CodeNames:
    """Names a report's code uses: called, imported from the project, and defined in the
    script itself (the reporter's own classes and variables, which the repo lacks)."""

    called: list[str] = field(default_factory=list)
    imported: list[str] = field(default_factory=list)  # dotted module paths and names
    modules: list[str] = field(default_factory=list)  # the module paths among them
    attributes: list[str] = field(default_factory=list)
    local: set[str] = field(default_factory=set)


@dataclass
class Report:
    prose: str                      # the text outside code blocks, noise sections dropped
    code: str                       # code blocks and interpreter sessions, joined
    links: list[tuple[str, int]] = field(default_factory=list)  # (path, line or 0)
    names: CodeNames = field(default_factory=CodeNames)


def drop_noise(text: str) -> str:
    """The report without its version and system sections, package-version lines and the
    issue template's HTML comments (its instructions, `<!--A short 1-2 sentences...-->`), nor
    the failing test's name on a test run's verdict line."""
    text = _COMMENT.sub(" ", text)
    out: list[str] = []
    pos = 0
    for m in _NOISE_HEADINGS.finditer(text):
        if m.start() < pos:
            continue
        out.append(text[pos:m.start()])
        nxt = _HEADING.search(text, m.end())
        pos = nxt.start() if nxt else len(text)
    out.append(text[pos:])
    return _VERDICT_LABEL.sub(r"\1", _VERSION_LINE.sub("", "".join(out)))


def code_names(code: str) -> CodeNames:
    """What a code block calls, imports and defines."""
    names = CodeNames()
    for m in _IMPORT_FROM.finditer(code):
        module = m.group(1)
        names.imported.append(module)
        names.modules.append(module)
        for part in (m.group(2) or m.group(3) or "").replace("\n", " ").split(","):
            name = part.strip().split(" as ")[0].strip()
            if name:
                names.imported.append(name)
    names.modules += [m.group(1) for m in _IMPORT.finditer(code)]
    names.imported += [m.group(1) for m in _IMPORT.finditer(code)]
    names.local = {m.group(1) for m in _ASSIGNED.finditer(code)} | \
        {m.group(1) for m in _DEFINED_HERE.finditer(code)}
    names.local |= {n for m in _TUPLE_ASSIGNED.finditer(code)
                    for n in re.findall(r"[A-Za-z_]\w*", m.group(1))}
    called = [m.group(1) for m in _CALL.finditer(code)]
    names.called = [c for c in dict.fromkeys(called)
                    if c not in _BUILTIN_CALLS and c not in names.local]
    names.attributes = [a for a in dict.fromkeys(m.group(1) for m in _ATTR.finditer(code))
                        if a not in names.called]
    return names


def own_tests(text: str) -> set[str]:
    """The test names a report holds as its own repro or as a run's symptom: tests it
    defines, tests a run reports as failed, and test methods it calls on a class it defines.
    Naming them asks for the code under test, not for the project's tests."""
    classes = set(_CLASS_DEFINED.findall(text))
    own = set(_TEST_DEFINED.findall(text)) | set(_TEST_VERDICT.findall(text))
    own |= {m.group(2) for m in _METHOD_ON_NEW.finditer(text) if m.group(1) in classes}
    return own


def without_scripts(text: str) -> str:
    """The report without the scripts it runs (fenced blocks that print no traceback or
    error, and interpreter prompt lines): their string literals are the reporter's data
    (labels, file names, format strings), not text the project holds."""
    text = _FENCE.sub(lambda m: m.group(0) if _OUTPUT.search(m.group(2)) else "\n", text)
    return _PROMPT.sub("", text)


def read_report(text: str) -> Report:
    """Split a report into prose and code, and collect its links and code names."""
    links = [(m.group(1), int(m.group(2) or 0)) for m in _BLOB_URL.finditer(text)]
    text = drop_noise(text)
    blocks = [m.group(2) for m in _FENCE.finditer(text)]
    prose = _FENCE.sub("\n", text)
    blocks += [m.group(1) for m in _PROMPT.finditer(prose)]
    prose = _PROMPT.sub("", prose)
    code = "\n".join(blocks)
    return Report(prose=prose, code=code, links=links, names=code_names(code))
