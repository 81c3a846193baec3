import json
from pathlib import Path

import pytest

from splice.bench.tasks import Task, gold_files, gold_lines, load_tasks, resolve_repo, write_tasks
from splice.core.errors import InvalidRequest

PATCH = """\
--- a/pkg/a.py
+++ b/pkg/a.py
@@ -1,5 +1,5 @@
 def f():
-    return 1
+    return 2
<BLANK>
 def g():
     pass
@@ -10,3 +10,4 @@
 x = 1
 y = 2
+z = 3
 w = 4
--- /dev/null
+++ b/pkg/new.py
@@ -0,0 +1 @@
+print('hi')
""".replace("<BLANK>", " ")


def test_gold_files_and_lines() -> None:
    assert gold_files(PATCH) == ["pkg/a.py"]
    assert gold_lines(PATCH)["pkg/a.py"] == {2, 11, 12}


def test_load_write_roundtrip_and_errors(tmp_path: Path) -> None:
    task = Task(instance_id="t1", repo="org/pkg", problem_statement="fix f", patch=PATCH)
    path = tmp_path / "t.jsonl"
    write_tasks([task], path)
    assert load_tasks(path) == [task]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"instance_id": "x"}) + "\n")
    with pytest.raises(InvalidRequest, match="entry 1"):
        load_tasks(bad)
    bad.write_text("{not json\n")
    with pytest.raises(InvalidRequest, match="line 1"):
        load_tasks(bad)
    with pytest.raises(InvalidRequest, match="not found"):
        load_tasks(tmp_path / "missing.jsonl")
    (tmp_path / "repos" / "org__pkg").mkdir(parents=True)
    assert resolve_repo(task, tmp_path / "repos").name == "org__pkg"
    with pytest.raises(InvalidRequest, match="no checkout"):
        resolve_repo(task, tmp_path)
