"""SWE-bench gold fixes as changed files for the shape corpus: each task's release
(the pre-fix state) and the file the gold patch makes of it. `dev` is for tuning; `check`
is only measured."""

from __future__ import annotations

from typing import Literal

from splice.bench.apply_corpus import ChangedFile, skip_reason
from splice.core.syntax import language_name

Split = Literal["dev", "check"]


def swebench_files(split: Split) -> list[ChangedFile]:
    """One ChangedFile per gold-patched source file of every mapped task of `split`."""
    from splice.bench.swebench import checkout, load_tasks

    out: list[ChangedFile] = []
    for task in load_tasks(split):
        root = checkout(task)
        fixed = task.fixed_texts(root)
        for rel, new in sorted(fixed.items()):
            language = language_name(rel)
            path = root / rel
            if language is None or not path.is_file():
                continue
            old = path.read_text(encoding="utf-8", errors="surrogateescape")
            if skip_reason(old, new) is not None:
                continue
            out.append(ChangedFile(package=f"swebench-{split}:{task.instance_id}", path=rel,
                                   language=language, old=old, new=new))
    return out
