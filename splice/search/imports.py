"""Which repo files a source file imports (Python, JavaScript, TypeScript): a release's fix
to one module often touches the modules it imports, so the best file's imports are
evidence about its runners-up that no query word carries."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, partial
from pathlib import PurePosixPath

_PY_FROM = re.compile(r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]+)",
                      re.MULTILINE)
_PY_IMPORT = re.compile(r"^[ \t]*import[ \t]+([^\n#;]+)", re.MULTILINE)
_JS_FROM = re.compile(r"""(?:\bfrom|\bimport|\brequire\s*\(|\bimport\s*\()\s*['"](\.{1,2}/[^'"]+)['"]""")
IMPORT_LINE = 0.15  # worth of a hit on an import statement (every user of a name has one)
JS_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts")
JS_INDEX = tuple(f"/index{s}" for s in JS_SUFFIXES)


class ModuleFiles:
    """Repo files by dotted module path (`pkg.mod` -> pkg/mod.py or pkg/mod/__init__.py),
    found by the path's tail so `src/` layouts resolve too."""

    def __init__(self, files: list[str]) -> None:
        self.files = set(files)
        self.by_last: dict[str, list[str]] = {}  # a module's last name -> its files
        for f in files:
            if f.endswith(".py"):
                head, _, name = f[:-3].rpartition("/")
                if name == "__init__":
                    name = head.rpartition("/")[2]
                self.by_last.setdefault(name, []).append(f)

    def absolute(self, module: str, near: str) -> str | None:
        """The file of an absolute module path; of several namesakes, the one sharing the
        longest folder prefix with the importing file (the same project)."""
        hits = [h for h in self.by_last.get(module.rpartition(".")[2], [])
                if ("." + _module_of(h)).endswith("." + module)]
        if not hits:
            return None
        return max(hits, key=lambda h: (_shared(h, near), -len(h)))

    def relative(self, folder: PurePosixPath, module: str) -> str | None:
        base = folder.joinpath(*module.split(".")) if module else folder
        for cand in (f"{base}.py", f"{base}/__init__.py"):
            cand = cand.removeprefix("./")
            if cand in self.files:
                return cand
        return None


def _module_of(path: str) -> str:
    parts = path[:-3].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _shared(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a.split("/"), b.split("/"), strict=False):
        if x != y:
            break
        n += 1
    return n


def _names(clause: str) -> list[str]:
    clause = re.sub(r"#[^\n]*", "", clause).strip().strip("()")
    return [part.split(" as ")[0].strip() for part in clause.replace("\\\n", " ").split(",")
            if part.strip() and part.strip() != "*"]


def _absolute(modules: ModuleFiles, path: str, mod: str) -> str | None:
    return modules.absolute(mod, path) if mod else None


def python_imports(path: str, text: str, modules: ModuleFiles) -> list[str]:
    """Repo files `path` imports: `from .a import b`, `from pkg.a import b`, `import pkg.a`
    (a name that is a submodule resolves to its file, else to the module it is taken from)."""
    folder = PurePosixPath(path).parent
    out: list[str] = []
    for m in _PY_FROM.finditer(text):
        dots, module, clause = m.group(1), m.group(2), m.group(3)
        find: Callable[[str], str | None]
        if dots:
            base = folder
            for _ in range(len(dots) - 1):
                base = base.parent
            find = partial(modules.relative, base)
        else:
            find = partial(_absolute, modules, path)
        names = _names(clause)
        if not names and module:  # `from .mod import *`
            hit = find(module)
            if hit is not None:
                out.append(hit)
        for name in names:
            hit = find(f"{module}.{name}" if module else name)
            if hit is None:
                hit = find(module)
            if hit is not None:
                out.append(hit)
    for m in _PY_IMPORT.finditer(text):
        for name in _names(m.group(1)):
            hit = modules.absolute(name, path)
            if hit is not None:
                out.append(hit)
    return [f for f in dict.fromkeys(out) if f != path]


def js_imports(path: str, text: str, files: set[str]) -> list[str]:
    """Repo files a JavaScript/TypeScript file imports by relative specifier."""
    folder = PurePosixPath(path).parent
    out: list[str] = []
    for m in _JS_FROM.finditer(text):
        base = _normalise(folder / m.group(1))
        if base is None:
            continue
        tries = [base] if base.endswith(JS_SUFFIXES) else []
        if base.endswith(".js"):  # TypeScript imports './x.js' for x.ts
            tries += [base[:-3] + ".ts", base[:-3] + ".tsx"]
        tries += [base + s for s in JS_SUFFIXES] + [base + s for s in JS_INDEX]
        hit = next((t for t in tries if t in files), None)
        if hit is not None:
            out.append(hit)
    return [f for f in dict.fromkeys(out) if f != path]


def _normalise(p: PurePosixPath) -> str | None:
    parts: list[str] = []
    for part in p.parts:
        if part == "..":
            if not parts:
                return None  # outside the repo
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


# the last listing's module map: every search of a repo imports against the same files
_MODULES: list[tuple[list[str], ModuleFiles]] = []


def modules_of(files: list[str]) -> ModuleFiles:
    """ModuleFiles of `files`, built once per distinct listing."""
    if not (_MODULES and _MODULES[0][0] == files):
        _MODULES[:] = [(list(files), ModuleFiles(files))]
    return _MODULES[0][1]


def imported_files(path: str, text: str, files: list[str],
                   modules: ModuleFiles | None = None) -> list[str]:
    """Repo files that `path` (its source `text`) imports, in order of first import."""
    if path.endswith((".py", ".pyi")):
        return python_imports(path, text, modules or modules_of(files))
    if path.endswith(JS_SUFFIXES):
        return js_imports(path, text, set(files))
    return []


@lru_cache(maxsize=64)  # a search reads its few shown files; warm searches read them again
def import_lines(text: str) -> frozenset[int]:
    """1-based numbers of the lines that are Python import statements (a parenthesised
    `from x import (...)` with all its lines). A report's `from pkg.mod import Name` matches
    the import block of every module that imports the same names: evidence that the file
    uses them, not that the fix is there."""
    out: set[int] = set()
    for pattern in (_PY_FROM, _PY_IMPORT):
        for m in pattern.finditer(text):
            first = text.count("\n", 0, m.start()) + 1
            out.update(range(first, first + m.group(0).count("\n") + 1))
    return frozenset(out)


def discount_imports(text: str, rows: dict[int, dict[str, float]]) -> None:
    """Hits (line -> term -> worth) on the import statements of `text` count IMPORT_LINE."""
    for line in import_lines(text) & rows.keys():
        rows[line] = {k: v * IMPORT_LINE for k, v in rows[line].items()}
