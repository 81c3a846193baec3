"""The generated shape corpus, kept in the splice cache (gzip'd pickle of our own cases).

The key covers everything that decides the cases: the source of the generator modules,
each file's package, path and texts, and the seed; any change builds them anew."""

from __future__ import annotations

import gzip
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from splice.bench.apply_corpus import ChangedFile
from splice.bench.apply_shapes_model import ShapeCase
from splice.bench.corpus import cache_dir

MODULES = ("apply_shapes", "apply_shapes_model", "apply_shapes_rules", "apply_shapes_lazy",
           "apply_shapes_blocks", "apply_ambiguity", "apply_ambiguity_cost", "apply_cases")


def cache_key(files: Sequence[ChangedFile], seed: int) -> str:
    h = hashlib.sha256(f"seed={seed}".encode())
    here = Path(__file__).parent
    for name in MODULES:
        h.update((here / f"{name}.py").read_bytes())
    for f in files:
        for part in (f.package, f.path, f.old, f.new):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
    return h.hexdigest()[:24]


def cached_cases(files: Sequence[ChangedFile], seed: int,
                 build: Callable[[], list[ShapeCase]]) -> list[ShapeCase]:
    path = cache_dir() / "apply-shapes" / f"{cache_key(files, seed)}.pkl.gz"
    if path.exists():
        with gzip.open(path, "rb") as fh:
            return pickle.load(fh)  # noqa: S301 - our own cache file, written below
    cases = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
        with gzip.open(tmp, "wb", compresslevel=3) as fh:
            pickle.dump(cases, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp.name, path)
    return cases
