"""The agent's `edit` names the call sites of a signature it changed, and only then."""

from __future__ import annotations

from pathlib import Path

from splice.agent.toolset import edit_tool
from splice.core.repo import Repo
from splice.tools import ToolContext

GEOM = "def area(w, h):\n    return w * h\n"
USE = "from geom import area\n\n\ndef floor(room):\n    return area(room.w, room.h)\n"


def _repo(tmp_path: Path) -> Path:
    (tmp_path / "geom.py").write_text(GEOM)
    (tmp_path / "use.py").write_text(USE)
    return tmp_path


async def test_edit_that_adds_a_parameter_names_the_callers(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    edit = ("<<<<<<< SEARCH\ndef area(w, h):\n=======\ndef area(w, h, scale=1):\n"
            ">>>>>>> REPLACE\n")
    out = await edit_tool().call({"path": "geom.py", "edit": edit}, ToolContext(repo=Repo(root)))
    assert not out.is_error, out.text
    assert out.text.endswith("signature changed: def area(w, h) -> def area(w, h, scale=1)"
                             " — 1 call site: use.py:5")
    assert out.data is not None
    callers = out.data["callers"]["changes"][0]
    assert callers["change"]["new"] == "def area(w, h, scale=1)"
    assert [(s["path"], s["start_line"]) for s in callers["sites"]] == [("use.py", 5)]


async def test_body_only_edit_answers_as_before(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    edit = "<<<<<<< SEARCH\n    return w * h\n=======\n    return h * w\n>>>>>>> REPLACE\n"
    out = await edit_tool().call({"path": "geom.py", "edit": edit}, ToolContext(repo=Repo(root)))
    assert not out.is_error, out.text
    assert out.data is not None and out.data["callers"] is None
    assert "signature" not in out.text
    assert out.text.rstrip().splitlines()[-1] == "+    return h * w"
