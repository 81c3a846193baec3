"""Which of the first five files leads. A bug report's title names its subject
(`method_decorator() should preserve wrapper assignments`, `Error while creating inset axes
using mpl_toolkits.axes_grid1.inset_locator.inset_axes`); the body then spreads over the
reporter's own code, the traceback's frames and asides, and a file that only calls or wraps
the subject can outscore the one defining it. When nothing in the title points at the best
file and a runner-up is what the title names, the runner-up leads: the title is the
reporter's one-line summary of where the fault is. Failing that, a traceback's innermost
project frame beats the outer frame that leads: the outer one only called into it."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from splice.search.context import SearchContext
from splice.search.forwarders import Forwarders
from splice.search.frames import innermost_file
from splice.search.qualified import owner_class
from splice.search.symbols import Definition
from splice.search.terms import Frame, is_code_like, stem

REACH = 5  # only a file already among the first five may take the lead: a reorder, not a find
LEAD_MARGIN = 1.01  # the mover's score over the old leader's: strictly first, barely more
MAX_DEFINERS = 3  # a bare name more files define than this (`clean`, `format`) points at none

_NAME = r"[A-Za-z_]\w*(?:\.\w+)*"  # `auth.0011_update_proxy_permissions` is one name
_CALLED = re.compile(r"(?<![\w.])(" + _NAME + r")\(")  # `Case()`, `Q(`, `flush()`; not "passing (with"
_QUOTED = re.compile(r"`([^`\n]+)`")  # `runserver 0`, `SubFigure`
_TOKEN = re.compile(_NAME)
_EXTENSIONS = {"py", "pyi", "html", "txt", "js", "css", "json", "cfg", "toml", "yml", "yaml"}
_LIST_ITEM = re.compile(r"([-*+\u2022]|\d+[.)])\s")
_WORD = re.compile(r"[A-Za-z]+")
_SYMPTOM = re.compile(r"(Error|Exception|Warning)$")
_VERSION = re.compile(r"v\d[\w.]*")


def title_of(query: str) -> str:
    """The first line of a report that has a body under it; a one-line query has no title
    (it is all subject, and the ranking already reads it whole), nor has a list."""
    lines = [line.strip() for line in query.strip().splitlines()]
    if len(lines) < 2 or not lines[0] or _LIST_ITEM.match(lines[0]):
        return ""  # a list's first item is one of equals (a changelog's), not a title
    return lines[0]


def title_names(title: str) -> list[str]:
    """Names the title writes as code: called (`Q()`), quoted in backticks, dotted
    (`utils.numberformat.format`) or shaped like an identifier (`USERNAME_FIELD`,
    `ModelChoiceIteratorValue`), in the order written. An exception's name is the symptom,
    not the subject (`URLField throws ValueError`); a one-letter name counts only called."""
    found: list[str] = [m.group(1) for m in _CALLED.finditer(title)]
    for m in _QUOTED.finditer(title):
        found.extend(t for t in _TOKEN.findall(m.group(1)) if len(t) > 1)
    found.extend(t for t in _TOKEN.findall(title)
                 if len(t) > 1 and ("." in t.strip(".") or is_code_like(t)))
    names = [n.strip(".") for n in found]
    return list(dict.fromkeys(n for n in names if n and not _SYMPTOM.search(n)
                              and not _VERSION.fullmatch(n)))


def title_words(title: str, names: list[str]) -> set[str]:
    """The title's prose words (stemmed), its code names left out: "check" in
    `ModelAdmin: Error message for readonly_fields's check ...`."""
    prose = _QUOTED.sub(" ", title)
    for name in names:
        prose = prose.replace(name, " ")
    return {stem(w.lower()) for w in _WORD.findall(prose) if len(w) > 2}


class _Subject:
    """What the title names, looked up once: where each name is defined (wrappers handing
    the work to a namesake left out) and which modules or files it spells."""

    def __init__(self, ctx: SearchContext, names: list[str], words: set[str],
                 files: list[str]) -> None:
        self.ctx, self.words = ctx, words
        self.files: set[str] = set()  # `manage.py`, `default.html`
        self.modules: set[str] = set()  # `auth.0011_update_proxy_permissions`, `runserver`
        code: list[str] = []
        for name in names:
            parts = name.lower().split(".")
            if len(parts) > 1 and parts[-1] in _EXTENSIONS:
                self.files.add(".".join(parts[-2:]))
            else:
                code.append(name)
                self.modules.add(parts[-1])
        self.rare: set[str] = set()  # define a name few files define: enough to take the lead
        self.any: set[str] = set()  # define a name at all: enough to keep it
        if not code or not ctx.index.files:
            return
        found = ctx.index.find({n.split(".")[-1].lower() for n in code})
        forwarder = Forwarders(ctx)
        inside = set(files)
        for name in code:
            *qualifiers, last = name.split(".")
            defs = [(p, d) for p, d in found.get(last.lower(), []) if d.name == last]
            if qualifiers:  # exact: the reporter wrote where it lives (no wrapper to skip)
                held = {p for p, d in defs if p in inside
                        and _qualified(ctx, p, d, qualifiers[-1].lower())}
            else:
                held = {p for p, d in defs if p in inside and not forwarder(p, d)}
            self.any |= held
            if qualifiers or len({p for p, _ in defs}) <= MAX_DEFINERS:
                self.rare |= held

    def _spelled(self, path: str) -> bool:
        name = PurePosixPath(path)
        return name.name.lower() in self.files or (name.stem != "__init__"
                                                   and name.stem.lower() in self.modules)

    def takes_lead(self, path: str) -> bool:
        """Named outright: its module or file, or a definition few files share."""
        return self._spelled(path) or path in self.rare

    def keeps_lead(self, path: str) -> bool:
        """Any sign the title is about it: also a common name it defines (`predict_proba`),
        or a module a title word names ("manager methods" -> `manager.py`)."""
        stem_name = PurePosixPath(path).stem.lower().strip("_")  # `optics_.py`, "Optics"
        return self.takes_lead(path) or path in self.any or stem(stem_name) in self.words


def _qualified(ctx: SearchContext, path: str, d: Definition, owner: str) -> bool:
    """`Owner.name` is a method of class Owner; `pkg.mod.name` lies under `mod`."""
    if owner in {p.lower().split(".")[0] for p in PurePosixPath(path).parts}:
        return True
    parent = owner_class(ctx.index.definitions(path), d) if d.kind == "method" else None
    return parent is not None and parent.lower() == owner


def lead_first(ctx: SearchContext, order: list[str], score: dict[str, float], query: str,
               code: set[str], frames: dict[str, list[Frame]] | None = None) -> list[str]:
    """`order` with a better leader among its first REACH code files (`code`), when nothing
    in the title points at the leader: the best file the title names, else the file of the
    traceback's innermost project frame when the leader is one of its outer frames. The
    mover's score is set just above the old leader's, so its regions lead the answer too (a
    tie would fall back on the paths' alphabetical order)."""
    if len(order) < 2:
        return order
    title = title_of(query)
    names = title_names(title)
    head = order[:REACH]
    subject = _Subject(ctx, names, title_words(title, names), head)
    if title and subject.keeps_lead(order[0]):
        return order
    mover = next((p for p in head[1:] if p in code and subject.takes_lead(p)), None)
    if mover is None:
        mover = innermost_file(frames or {}, order[0], code)
    if mover is None:
        return order
    score[mover] = max(score[mover], score[order[0]] * LEAD_MARGIN)
    return [mover] + [p for p in order if p != mover]
