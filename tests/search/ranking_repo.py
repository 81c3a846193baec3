"""A tiny repository where one module (cache.py) matches a query best, seven look-alikes
(store0..6.py) match it a little less and a few files hold one thing the query or the best
code needs: the ranking rules are tested on it."""

from __future__ import annotations

from pathlib import Path

from splice.search.index import forget_memory


def _store(i: int, tail: str = "  # signal receiver disconnect") -> str:
    return f'''def cache_entry_{i}(store, key):
    """Look up a cache entry in the store; expire stale cache entries."""
    entry = store.get(key)
    if entry is None or entry.stale:
        store.expire(key)
    return entry{tail}
'''


def _cache(call: str) -> str:
    blocks = [_store(10 + k, tail="").replace(f"cache_entry_{10 + k}", f"cache_lookup_{k}")
              for k in range(3)]
    blocks[0] = blocks[0].replace("    entry = store.get(key)",
                                  f"    key = {call}(key)\n    entry = store.get(key)")
    return "\n\n".join(blocks)


def build(root: Path, *, call: str = "normalise_key", extra: dict[str, str] | None = None) -> Path:
    files = {f"pkg/store{i}.py": _store(i) for i in range(7)}
    files["pkg/cache.py"] = _cache(call)
    files["pkg/hooks.py"] = '''def disconnect_receiver(signal, receiver):
    """Drop a receiver from a signal's receivers."""
    signal.receivers.discard(receiver)
    return signal
'''
    files["pkg/keys.py"] = '''def normalise_key(key):
    # one expire word, so the file is a candidate, far behind the stores
    return str(key).strip().lower()
'''
    files.update({f"pkg/other{i}.py": f"def other_{i}():\n    return {i}\n" for i in range(8)})
    files.update(extra or {})
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    forget_memory(root)
    return root
