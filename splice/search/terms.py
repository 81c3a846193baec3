"""Terms from a query written by a person or a model: identifiers, dotted names, the words
inside CamelCase and snake_case names, file paths, traceback frames, quoted strings and
error messages. Each gets a weight saying how much a hit on it is worth before rarity."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from splice.search.bugreport import drop_noise, own_tests, read_report, without_scripts
from splice.search.ipython_frames import ipython_frames

TermKind = Literal["identifier", "dotted", "part", "word", "path", "phrase", "pattern", "flag"]

CODE_EXTENSIONS = ("py", "pyi", "js", "mjs", "cjs", "jsx", "ts", "tsx", "go", "rs", "java",
                   "c", "h", "cc", "cpp", "hpp", "rb", "php", "cs", "kt", "swift", "scala",
                   "toml", "cfg", "ini", "yaml", "yml", "json", "html", "txt", "md", "rst")

WEIGHTS: dict[str, float] = {"identifier": 1.0, "dotted": 1.2, "part": 0.35, "word": 0.45,
                             "path": 1.0, "phrase": 1.3, "pattern": 1.5, "flag": 1.2}

MAX_TERMS = 32  # a changelog of several items needs words from its later items too
MAX_WORDS = 80  # prose words offered to the repo's statistics (words.py picks among them)
CALL_WEIGHT = 0.8    # a name a repro script calls: the project's API, or the reporter's
ATTR_WEIGHT = 0.5    # an attribute a script reads or sets
MODULE_WEIGHT = 0.6  # a module a script imports from: where the names live, often boilerplate
MAX_QUERY_CHARS = 20_000  # a pasted log longer than this adds noise, not terms

# Keywords of the languages splice parses: never a name, whatever the repo says.
CODE_STOPWORDS = frozenset("self cls def return class import from none true false null this "
                           "var let const func fn pub and for not".split())

_URL = re.compile(r"https?://\S+|www\.\S+")
_RST_REF = re.compile(r":(?:issue|pr|gh|ghsa|user|cve|bpo):`[^`]*`|\(#\d+\)|#\d+|GH-\d+")
_RST_ROLE = re.compile(r":[a-z]+(?::[a-z]+)?:`~?([^`<]+?)(?:\s*<[^>]*>)?`")
_FRAME = re.compile(r'File "([^"]+)", line (\d+)(?:, in ([\w.<>]+))?')
_FILE_LINE = re.compile(
    rf"(?<![\w/.-])((?:[\w.-]+/)*[\w.-]+\.(?:{'|'.join(CODE_EXTENSIONS)})):(\d+)")
_PATH = re.compile(
    rf"(?<![\w/.-])((?:[\w.-]+/)+[\w.-]+|[\w-]+\.(?:{'|'.join(CODE_EXTENSIONS)}))(?![\w/])")
_QUOTED = re.compile(r"`([^`\n]{2,120})`|\"([^\"\n]{3,120})\"|(?<!\w)'([^'\n]{3,120})'(?!\w)")
_ERROR_LINE = re.compile(r"^\s*(?:[\w.]+\.)?(\w+(?:Error|Exception|Warning|Exit)):\s*(.{8,})$",
                         re.MULTILINE)
# A line of prose that quotes values inside a sentence ("The value of 'x[0]' is not a
# callable, an attribute of 'A'."): a message the project printed, values filled in.
_QUOTED_VALUE = re.compile(r"(?<!\w)'[^'\n]{1,60}'(?!\w)|\"[^\"\n]{1,60}\"")
_MESSAGE_WORDS = 5   # words outside the quoted values: fewer is a label, not a sentence
MAX_MESSAGES = 3     # message lines read from the prose (their fragments are phrases)
# Code pasted without a fence (an assignment, a call, an import, a prompt) is not a
# sentence quoting a message, however many words it holds.
_CODE_LINE = re.compile(r"^\s*(>>>|\.\.\.\s|from\s+[\w.]+\s+import\b|import\s+\w|"
                        r"[\w.\[\]'\"]+\s*[-+*/|&]?=(?!=)|[\w.]+\(.*\)\s*[;,]?\s*$)")
MESSAGE_WEIGHT = 1.0
_DOTTED = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+(?:\(\))?")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# `Q(x=1).deconstruct()`, `Figure().add_axes(`: a method called on a new instance of a
# class, read as `Q.deconstruct` (the method of that class, not every method so named).
_INSTANCE_CALL = re.compile(r"(?<![\w.])([A-Z]\w*)\((?:[^()\n]|\([^()\n]*\))*\)\.([A-Za-z_]\w*)")
# `def add`, `class Foo`, `fn parse`: the word after a definition keyword is a name, even
# when it is also an everyday word that the prose filter would drop.
_DEFINED = re.compile(r"\b(?:def|class|function|func|fn|interface|struct|enum|impl|trait|type)"
                      r"\s+([A-Za-z_]\w*)")
# Keywords that are everyday nouns too: the word after one names a definition only when it
# looks like code (a capital, an underscore, a digit), not in "type annotation".
PROSE_KEYWORDS = frozenset({"function", "interface", "struct", "enum", "impl", "trait", "type"})
_FLAG = re.compile(r"(?<![\w-])(--[A-Za-z][\w-]*\w)")
_CALLED_IN_PROSE = re.compile(r"(?<![\w.])([A-Za-z_]\w{2,})\(\)")
# `Word(min)`, `SkipTo(expr, ignore=x)`: a capitalised name called with a few arguments
# (no space before the parenthesis, as in code): a class, however plain its name.
_CLASS_CALLED_IN_PROSE = re.compile(r"(?<![\w.])([A-Z]\w{2,})\([\w\s,=.'\"]{1,40}\)")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:['\u2019][A-Za-z]+)?")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


class Frame(BaseModel):
    """A traceback frame, `file:line` reference or link to a line found in the query.

    `depth` counts from the innermost frame of its traceback (0: where it was raised)."""

    path: str
    line: int
    function: str = ""
    depth: int = 0
    source: str = ""  # the source line the traceback printed under the frame, if any


class Term(BaseModel):
    text: str
    kind: TermKind
    weight: float
    names: list[str] = []  # definition names this term can denote (lowercase)
    named: bool = False  # written as code by the asker: "not found" is worth saying


class QueryTerms(BaseModel):
    terms: list[Term]
    frames: list[Frame]
    paths: list[str]
    own_tests: list[str] = []  # tests the report defines, runs or shows failing: symptoms


def split_identifier(name: str) -> list[str]:
    """`parse_HTTPHeader_value2` -> ['parse', 'http', 'header', 'value', '2'] (lowercase)."""
    words: list[str] = []
    for chunk in name.split("_"):
        words.extend(w.lower() for w in _CAMEL.findall(chunk))
    return [w for w in words if w]


def is_code_like(token: str) -> bool:
    """snake_case, CamelCase inside, digits or dunder: written by a programmer, not prose."""
    return ("_" in token.strip("_") or bool(re.search(r"[a-z][A-Z]", token))
            or bool(re.search(r"[A-Za-z]\d", token)) or token.startswith("__")
            or (token[:1].isupper() and any(c.isupper() for c in token[1:])
                and any(c.islower() for c in token)))


def stem(word: str) -> str:
    """A light suffix strip so 'redirects', 'redirected' and 'redirecting' meet 'redirect'."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


class _Collector:
    def __init__(self) -> None:
        self.terms: dict[str, Term] = {}

    def add(self, text: str, kind: TermKind, names: list[str] | None = None,
            weight: float | None = None, named: bool = False) -> None:
        text = text.strip()
        if len(text) < 3 or (kind not in ("word", "part") and text.lower() in CODE_STOPWORDS):
            return
        w = WEIGHTS[kind] if weight is None else weight
        key = text.lower()
        old = self.terms.get(key)
        if old is None or old.weight < w or (named and not old.named):
            merged = sorted(set((old.names if old else []) + (names or [])))
            best = max(w, old.weight) if old else w
            keep_kind = kind if old is None or old.weight <= w else old.kind
            self.terms[key] = Term(text=text, kind=keep_kind, weight=best, names=merged,
                                   named=named or (old.named if old else False))

    def add_code(self, token: str, weight: float = 1.0, named: bool = True) -> None:
        """An identifier-ish token: itself, plus its parts at a lower weight."""
        token = token.strip("().,:;")
        if not token:
            return
        if "." in token:
            parts = [p for p in token.split(".") if p]
            if not parts:
                return
            self.add(token, "dotted", names=[parts[-1].lower()], weight=1.2 * weight)
            for i, part in enumerate(parts):
                # the last part names the thing; leading parts are modules or owners
                last = i == len(parts) - 1
                self.add(part, "identifier", names=[part.lower()],
                         weight=weight if last else 0.7 * weight, named=named and last)
                self._parts(part)
            return
        self.add(token, "identifier", names=[token.lower()], weight=weight, named=named)
        if token[0].isupper() and token.endswith("s") and not token.endswith("ss"):
            self.add(token[:-1], "identifier", names=[token[:-1].lower()], weight=0.9 * weight)
        self._parts(token)

    def _parts(self, token: str) -> None:
        pieces = split_identifier(token)
        if len(pieces) > 1:
            for piece in pieces:
                if len(piece) >= 4:
                    self.add(piece, "part")


def _frames(text: str) -> list[Frame]:
    """Traceback frames innermost first (Python prints the innermost last), each with its
    depth in its own traceback; then `file:line` references in order."""
    frames: list[Frame] = []
    for block in re.split(r"Traceback \(most recent call last\):?", text):  # IPython: no colon
        plain = [(m.start(), m.group(1), int(m.group(2)), m.group(3) or "")
                 for m in _FRAME.finditer(block)]
        printed = {at for at, _, _, _ in plain}  # IPython prints numbered context instead
        found = [Frame(path=path, line=line, function=function,
                       source=_printed_line(block, at) if at in printed else "")
                 for at, path, line, function in sorted(plain + ipython_frames(block))]
        for depth, frame in enumerate(reversed(found)):
            frames.append(frame.model_copy(update={"depth": depth}))
    return frames


def _printed_line(block: str, at: int) -> str:
    """The source line a traceback printed under the frame that starts at `at`."""
    below = block[at:].split("\n", 2)
    line = below[1].strip() if len(below) > 1 else ""
    return "" if line.startswith("File ") or _FRAME.search(line) else line


def _markup_free(text: str) -> str:
    """`text` without links, and with reST roles and double backquotes read as code quotes."""
    return _RST_ROLE.sub(r" `\1` ", _RST_REF.sub(" ", _URL.sub(" ", text))).replace("``", "`")


def extract_terms(query: str) -> QueryTerms:
    """All terms of a query, strongest first (at most MAX_TERMS), then its prose words (at
    most MAX_WORDS, in order: the repo's statistics choose among them), frames and paths."""
    query = query[:MAX_QUERY_CHARS].replace("\x00", " ")
    report = read_report(query)
    quiet = drop_noise(query)
    text = _markup_free(quiet)
    got = _Collector()
    frames = _frames(text)
    for frame in frames:
        if frame.function and frame.function != "<module>":
            got.add_code(frame.function, named=False)
    frames += [Frame(path=p, line=n) for p, n in report.links]
    for m in _FILE_LINE.finditer(text):
        frames.append(Frame(path=m.group(1), line=int(m.group(2))))
    text = text.replace("Traceback (most recent call last):", " ")
    paths = list(dict.fromkeys([*(m.group(1) for m in _PATH.finditer(_FRAME.sub(" ", text))),
                                *(p for p, _ in report.links)]))
    for p in paths:
        stem_name = p.rsplit("/", 1)[-1].split(".")[0]
        got.add(p, "path")
        got.add(stem_name, "identifier", names=[stem_name.lower()], weight=0.6)
    for m in _ERROR_LINE.finditer(text):
        got.add_code(m.group(1), named=False)
        for fragment in message_fragments(m.group(2)):
            got.add(fragment, "phrase")
    for fragment in quoted_messages(report.prose):
        got.add(fragment, "phrase", weight=MESSAGE_WEIGHT)
    # a script's string literals are its data (labels, file names), not the project's text
    quoting = _markup_free(without_scripts(quiet))
    for m in _QUOTED.finditer(quoting):
        inner = next(g for g in m.groups() if g is not None).strip()
        if m.group(1) is not None and " " not in inner.strip("()"):
            if _FLAG.fullmatch(inner):
                got.add(inner, "flag", named=True)
            else:
                got.add_code(inner)
        elif len(inner) >= 6 and not _PATH.fullmatch(inner):
            got.add(inner, "phrase", weight=WEIGHTS["phrase"] if m.group(1) else 1.0)
            for token in _IDENT.findall(inner):
                if is_code_like(token):
                    got.add_code(token)
    names = report.names
    for name in names.imported:
        got.add_code(name, weight=MODULE_WEIGHT if name in names.modules else 0.9, named=False)
    for name in names.called:
        got.add_code(name, weight=CALL_WEIGHT, named=False)
    for name in names.attributes:
        got.add_code(name, weight=ATTR_WEIGHT, named=False)
    prose = _RST_ROLE.sub(r" `\1` ", _RST_REF.sub(" ", _URL.sub(" ", report.prose)))
    prose = prose.replace("Traceback (most recent call last):", " ")
    scrubbed = _PATH.sub(" ", _FRAME.sub(" ", prose))
    for m in _FLAG.finditer(scrubbed):
        got.add(m.group(1), "flag", named=True)
    scrubbed = _FLAG.sub(" ", scrubbed)
    for m in _DEFINED.finditer(scrubbed):
        name = m.group(1)
        if m.group(0).split()[0] in PROSE_KEYWORDS and name.islower() and not is_code_like(name):
            continue  # "type hints", "function source": prose, the words stay words
        got.add_code(name)
    for m in _DOTTED.finditer(scrubbed):
        got.add_code(m.group(0))
    for m in _CLASS_CALLED_IN_PROSE.finditer(scrubbed):
        got.add_code(m.group(1))
    for m in _CALLED_IN_PROSE.finditer(scrubbed):
        got.add_code(m.group(1))  # "update() drops keys": written as a call, so a name
    code = _PATH.sub(" ", _FRAME.sub(" ", report.code))
    for m in _INSTANCE_CALL.finditer(code):
        got.add_code(f"{m.group(1)}.{m.group(2)}", named=False)
    for m in _DOTTED.finditer(code):
        if m.group(0) not in names.modules:  # weighed above, as a module
            head, _, rest = m.group(0).partition(".")
            # `ab.set_gid`, `ax.add_artist`: the reporter's variable names no project file
            got.add_code(rest if head in names.local else m.group(0), named=False)
    for token in _IDENT.findall(code):
        if is_code_like(token) and token not in names.local:  # `arr_img`: the script's
            got.add_code(token, named=False)
    words: dict[str, Term] = {}
    for m in _WORD.finditer(scrubbed):
        token = m.group(0)
        token, _, suffix = token.replace("\u2019", "'").partition("'")
        if suffix and suffix.lower() != "s":
            continue  # contractions: "don't", "isn't" (a possessive keeps its name)
        if is_code_like(token):
            got.add_code(token)
        elif token.isupper() and len(token) >= 3:
            got.add(token, "word")
        elif len(token) >= 3 and len(words) < MAX_WORDS and token.strip("_"):
            word = token.lower()
            key = stem(word)
            if key not in words:
                words[key] = Term(text=key, kind="word", weight=WEIGHTS["word"], names=[word])
            elif word not in words[key].names:
                words[key].names.append(word)
    ranked = sorted(got.terms.values(), key=lambda t: -t.weight)[:MAX_TERMS]
    seen = {t.text.lower() for t in ranked}
    ranked += [t for t in words.values() if t.text.lower() not in seen]
    # the test that ran, and the test machinery its frames print (`self.test_case.fail...`)
    ran = {n for f in frames for n in [f.function, *_IDENT.findall(f.source)]
           if n.startswith("test")}
    return QueryTerms(terms=ranked, frames=frames, paths=paths,
                      own_tests=sorted(own_tests(query) | ran))


def quoted_messages(prose: str) -> list[str]:
    """The literal fragments of the messages a report's prose quotes: lines that hold a
    quoted value inside a sentence of at least _MESSAGE_WORDS other words (Trac tickets
    paste a check's or an exception's message as plain text, without `Error:` before it).
    The code that emits the message holds those fragments in its format string."""
    out: list[str] = []
    lines = 0
    for line in prose.splitlines():
        if lines >= MAX_MESSAGES or not _QUOTED_VALUE.search(line) or _CODE_LINE.match(line):
            continue
        if len(_QUOTED_VALUE.sub(" ", line).split()) < _MESSAGE_WORDS:
            continue
        lines += 1
        out += [f for f in message_fragments(line) if f not in out]
    return out


def message_fragments(message: str) -> list[str]:
    """The literal pieces of an error message: the runs of words between what a format
    string fills in (quoted values, numbers, class names, brackets). 'X does not have valid
    feature names, but IsolationForest was fitted with feature names' gives
    'does not have valid feature names, but' and 'was fitted with feature names'."""
    message = message.strip().rstrip(".")
    pieces = re.split(r"['\"`][^'\"`]*['\"`]|\S*\d\S*|\S*[<>{}\[\]]\S*|"
                      r"\b[A-Z][a-z]+[A-Z]\w*\b|\b[A-Z]\b|\S+_\S+", message)
    out = []
    for piece in pieces:
        piece = piece.strip(" :,;-")
        if len(piece) >= 12 and len(piece.split()) >= 3:
            out.append(piece)
    if not out and len(message) >= 10:
        out.append(re.split(r"['\"\d{<(]", message)[0].strip())
    return [p for p in out if len(p) >= 10][:3]
