"""Which language a file is, from its text alone.

Morph's and Relace's requests carry the file but not its name, and splice's engine reads the
language from the path: without one it skips the grammar-aware rules (definition units,
marker styles, the syntax guard) and can place an edit a path would have refused. So the
server names the language it sees: telling lines and words score each grammar splice has;
a decisive winner is taken as it is, and a close call goes to tree-sitter (the first
candidate that parses cleanly; the parse lands in the engine's tree cache).
"""

from __future__ import annotations

import re
from collections import Counter

from splice.apply.syntax_guard import parse_cached
from splice.core.syntax import EXTENSIONS

SAMPLE_CHARS = 8_000  # the head of a file (~200 lines) tells its language
MIN_SCORE = 1  # a language with no telling line at all is not tried
CLEAR_SCORE = 5  # telling lines and words that name a language even when it does not parse
DECISIVE = 3  # ...if the runner-up scores under a third of it

# The first word of a line that only one language starts lines with, one point each...
_FIRST_WORDS: dict[str, str] = {
    **dict.fromkeys(("def", "elif", "except", "from", "raise", "pass", "lambda", "nonlocal",
                     "del"), "python"),
    **dict.fromkeys(("func", "defer", "go", "chan"), "go"),
    **dict.fromkeys(("fn", "impl", "pub", "use", "mod", "struct", "trait", "unsafe", "extern",
                     "crate"), "rust"),
    **dict.fromkeys(("public", "private", "protected", "final", "synchronized"), "java"),
    **dict.fromkeys(("interface", "type", "declare", "namespace", "readonly", "abstract"),
                    "typescript"),
    **dict.fromkeys(("const", "var", "function", "export", "module"), "script"),
}
_FIRST_WORD = re.compile(r"^[ \t]*([a-z]+)\b", re.M)
# ...and text only one language writes, one point per occurrence.
_WORDS: dict[str, tuple[str, ...]] = {
    "python": ('"""', "self.", "__init__", "__name__", " is None", " is not None", "):\n",
               "\nimport ", "\nfrom ", "    def "),
    "go": ("err != nil", ":= ", "fmt.", "func (", "package "),
    "rust": ("::", "&self", "let mut ", "Some(", "Vec<", "&str", "#["),
    "java": ("System.", "@Override", " throws ", "String[]"),
    "typescript": (": string", ": number", ": boolean", ": any", ": unknown", ": void",
                   "import type ", "export type ", "readonly ", "Promise<", " as const", "): ", "<T>", "<any>"),
    "script": ("===", "!==", "=>", "require(", "module.exports", "console.", "function"),
}
_GO_PACKAGE = re.compile(r"^package \w+[ \t]*$", re.M)
_JAVA_HEAD = re.compile(r"^(package|import( static)?) [\w.]+(\.\*)?;", re.M)
# A line opening or closing a JSX element (not a comment line, not a generic's `<T>(`).
_JSX_LINE = re.compile(r"^[ \t]*(return \(?\s*)?</?[A-Za-z][\w.]*(\s+[\w-]+=|\s*/?>)", re.M)

SUFFIXES: dict[str, str] = {}
for _suffix, _name in EXTENSIONS.items():
    SUFFIXES.setdefault(_name, _suffix)  # the first listed suffix is the usual one


def _ranked(sample: str) -> list[tuple[int, tuple[str, ...]]]:
    """(score, grammars to try in order) per language family, best first."""
    found = dict.fromkeys(_WORDS, 0)
    for word, count in Counter(_FIRST_WORD.findall(sample)).items():
        if word in _FIRST_WORDS:
            found[_FIRST_WORDS[word]] += count
    for name, words in _WORDS.items():
        found[name] += sum(map(sample.count, words))
    found["java"] += len(_JAVA_HEAD.findall(sample))
    if _GO_PACKAGE.search(sample) is None:  # Go files open with `package x` (no semicolon)
        found["go"] //= 4
    script, typed = found.pop("script"), found.pop("typescript")
    ranked: list[tuple[int, tuple[str, ...]]] = [(score, (name,))
                                                 for name, score in found.items()]
    # JavaScript parses as TypeScript, so type syntax decides which grammar goes first;
    # tsx is TypeScript with JSX (the javascript grammar reads JSX itself).
    if typed:
        jsx = len(_JSX_LINE.findall(sample)) >= 2
        order = ("tsx", "typescript", "javascript") if jsx else ("typescript", "tsx", "javascript")
    else:
        order = ("javascript", "typescript", "tsx")
    ranked.append((script + typed, order))
    return sorted((r for r in ranked if r[0] >= MIN_SCORE), reverse=True)


def sniff_language(code: str) -> str | None:
    """The grammar name (as splice.core.syntax knows it) for `code`, or None when the text
    does not say clearly enough."""
    ranked = _ranked(code[:SAMPLE_CHARS])
    if ranked and ranked[0][0] >= CLEAR_SCORE and (
            len(ranked) == 1 or ranked[0][0] >= DECISIVE * ranked[1][0]):
        return ranked[0][1][0]  # the text settles it: no parse needed to be sure
    for _, grammars in ranked[:2]:
        for name in grammars:
            if not parse_cached(code, name).root_node.has_error:
                return name
    return None


def stand_in_path(language: str | None) -> str | None:
    """A path the engine reads `language` from; what it names appears in messages."""
    return None if language is None else f"<code>{SUFFIXES[language]}"
