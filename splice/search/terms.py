"""Terms from a query written by a person or a model: identifiers, dotted names, the words
inside CamelCase and snake_case names, file paths, traceback frames, quoted strings and
error messages. Each gets a weight saying how much a hit on it is worth before rarity."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

TermKind = Literal["identifier", "dotted", "part", "word", "path", "phrase", "pattern"]

CODE_EXTENSIONS = ("py", "pyi", "js", "mjs", "cjs", "jsx", "ts", "tsx", "go", "rs", "java",
                   "c", "h", "cc", "cpp", "hpp", "rb", "php", "cs", "kt", "swift", "scala",
                   "toml", "cfg", "ini", "yaml", "yml", "json", "html", "txt", "md", "rst")

WEIGHTS: dict[str, float] = {"identifier": 1.0, "dotted": 1.2, "part": 0.35, "word": 0.45,
                             "path": 1.0, "phrase": 1.3, "pattern": 1.5}

WORD_BUDGET = 6
MAX_TERMS = 32  # a changelog of several items needs words from its later items too
MAX_QUERY_CHARS = 20_000  # a pasted log longer than this adds noise, not terms

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can cannot could did do does doing done down during each
either else even every few for from further get gets got had has have having he her here
hers him his how however i if in into is it its itself just let like made make makes many
may me might more most much must my no nor not now of off on once one only or other our out
over own per same she should since so some such than that the their them then there these
they this those through to too under until up upon us use used uses using very via was we
were what when where whether which while who whom why will with within without would yet
you your thank thanks reporting
don doesn didn isn aren wasn weren won wouldn shouldn couldn hasn haven hadn
fix fixed fixes fixing bug bugs issue issues add added adds adding support supported
supports allow allowed allows change changed changes remove removed removes improve
improved improves deprecate deprecated deprecation version versions release released new
instead correctly properly correct incorrect work works working behavior behaviour
previously already still case cases now able way ensure ensures ensured handle handled
handles handling update updated updates updating avoid avoids caused cause causes
self cls def return class import none true false null this var let const func fn pub
""".split())

CODE_STOPWORDS = frozenset("self cls def return class import from none true false null this "
                           "var let const func fn pub the and for not".split())

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
_DOTTED = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+(?:\(\))?")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# `def add`, `class Foo`, `fn parse`: the word after a definition keyword is a name, even
# when it is also an everyday word that the prose filter would drop.
_DEFINED = re.compile(r"\b(?:def|class|function|func|fn|interface|struct|enum|impl|trait|type)"
                      r"\s+([A-Za-z_]\w*)")
# Keywords that are everyday nouns too: the word after one names a definition only when it
# looks like code (a capital, an underscore, a digit), not in "type annotation".
PROSE_KEYWORDS = frozenset({"function", "interface", "struct", "enum", "impl", "trait", "type"})
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


class Frame(BaseModel):
    """A traceback frame or `file:line` reference found in the query."""

    path: str
    line: int
    function: str = ""


class Term(BaseModel):
    text: str
    kind: TermKind
    weight: float
    names: list[str] = []  # definition names this term can denote (lowercase)


class QueryTerms(BaseModel):
    terms: list[Term]
    frames: list[Frame]
    paths: list[str]


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
            weight: float | None = None) -> None:
        text = text.strip()
        stop = STOPWORDS if kind in ("word", "part") else CODE_STOPWORDS
        if len(text) < 3 or text.lower() in stop:
            return
        w = WEIGHTS[kind] if weight is None else weight
        key = text.lower()
        old = self.terms.get(key)
        if old is None or old.weight < w:
            merged = sorted(set((old.names if old else []) + (names or [])))
            self.terms[key] = Term(text=text, kind=kind, weight=w, names=merged)

    def add_code(self, token: str) -> None:
        """An identifier-ish token: itself, plus its parts at a lower weight."""
        token = token.strip("().,:;")
        if not token:
            return
        if "." in token:
            parts = [p for p in token.split(".") if p]
            self.add(token, "dotted", names=[parts[-1].lower()])
            for i, part in enumerate(parts):
                # the last part names the thing; leading parts are modules or owners
                self.add(part, "identifier", names=[part.lower()],
                         weight=1.0 if i == len(parts) - 1 else 0.7)
                self._parts(part)
            return
        self.add(token, "identifier", names=[token.lower()])
        if token[0].isupper() and token.endswith("s") and not token.endswith("ss"):
            self.add(token[:-1], "identifier", names=[token[:-1].lower()], weight=0.9)
        self._parts(token)

    def _parts(self, token: str) -> None:
        pieces = split_identifier(token)
        if len(pieces) > 1:
            for piece in pieces:
                if len(piece) >= 4:
                    self.add(piece, "part")


def extract_terms(query: str) -> QueryTerms:
    """All terms of a query, strongest first (at most MAX_TERMS), with frames and paths."""
    query = query[:MAX_QUERY_CHARS].replace("\x00", " ")
    text = _RST_ROLE.sub(r" `\1` ", _RST_REF.sub(" ", _URL.sub(" ", query)))
    text = text.replace("Traceback (most recent call last):", " ").replace("``", "`")
    got = _Collector()
    frames: list[Frame] = []
    for m in _FRAME.finditer(text):
        frames.append(Frame(path=m.group(1), line=int(m.group(2)), function=m.group(3) or ""))
        if m.group(3) and m.group(3) != "<module>":
            got.add_code(m.group(3))
    for m in _FILE_LINE.finditer(text):
        frames.append(Frame(path=m.group(1), line=int(m.group(2))))
    paths = list(dict.fromkeys(m.group(1) for m in _PATH.finditer(_FRAME.sub(" ", text))))
    for p in paths:
        stem_name = p.rsplit("/", 1)[-1].split(".")[0]
        got.add(p, "path")
        got.add(stem_name, "identifier", names=[stem_name.lower()], weight=0.6)
    for m in _ERROR_LINE.finditer(text):
        got.add_code(m.group(1))
        message = re.split(r"['\"\d{<(]", m.group(2))[0].strip()
        if len(message) >= 10:
            got.add(message, "phrase")
    for m in _QUOTED.finditer(text):
        inner = next(g for g in m.groups() if g is not None).strip()
        if m.group(1) is not None and " " not in inner.strip("()"):
            got.add_code(inner)
        elif len(inner) >= 6 and not _PATH.fullmatch(inner):
            got.add(inner, "phrase", weight=WEIGHTS["phrase"] if m.group(1) else 1.0)
            for token in _IDENT.findall(inner):
                if is_code_like(token):
                    got.add_code(token)
    scrubbed = _PATH.sub(" ", _FRAME.sub(" ", text))
    for m in _DEFINED.finditer(scrubbed):
        name = m.group(1)
        if m.group(0).split()[0] in PROSE_KEYWORDS and name.islower() and not is_code_like(name):
            continue  # "type hints", "function source": prose, the words stay words
        got.add_code(name)
    for m in _DOTTED.finditer(scrubbed):
        got.add_code(m.group(0))
    for token in _IDENT.findall(scrubbed):
        if is_code_like(token):
            got.add_code(token)
        elif token.isupper() and len(token) >= 3:
            got.add(token, "word")
        else:
            word = token.lower()
            if word not in STOPWORDS:
                got.add(stem(word), "word", names=[word])
    if not got.terms:
        # Every word was a stopword ("add support"): a weak search beats none at all.
        for token in _IDENT.findall(scrubbed):
            if len(token) >= 3 and token.lower() not in CODE_STOPWORDS:
                got.terms.setdefault(token.lower(), Term(text=token, kind="word",
                                                         weight=WEIGHTS["word"] / 2,
                                                         names=[token.lower()]))
    ranked = sorted(got.terms.values(), key=lambda t: -t.weight)[:MAX_TERMS]
    # Prose words share one budget, so a long sentence does not drown its few identifiers.
    words = [t for t in ranked if t.kind in ("word", "part")]
    if len(words) > WORD_BUDGET:
        scale = WORD_BUDGET / len(words)
        ranked = [t.model_copy(update={"weight": t.weight * scale})
                  if t.kind in ("word", "part") else t for t in ranked]
    return QueryTerms(terms=ranked, frames=frames, paths=paths)
