"""Scripted end-to-end fix of a small repo with the real workers (after the merge).

Runs once splice.search, splice.apply and splice.sandbox exist in the tree; until then it
is skipped with that reason (the loop itself is covered with test tools elsewhere).
"""

from pathlib import Path

import pytest

from tests.agent.e2e_flow import expected_calc, scripted_fix_model
from tests.agent.helpers import make_repo

for worker in ("splice.search", "splice.apply", "splice.sandbox", "splice.compact"):
    pytest.importorskip(worker, reason=f"{worker} is not merged into this tree yet")


async def test_scripted_fix_with_real_workers(tmp_path: Path) -> None:
    from splice.agent.session import start_run

    repo = make_repo(tmp_path / "repo")
    before = {p.name: p.read_bytes() for p in repo.iterdir() if p.is_file()}
    result, workspace = await start_run("add() returns the wrong answer; fix it", repo,
                                        scripted_fix_model(), provider="scripted")
    try:
        assert result.status == "finished", result
        assert result.changed_files == ["calc.py"]
        workspace.commit()
    finally:
        workspace.cleanup()
    assert (repo / "calc.py").read_text() == expected_calc()
    for name, data in before.items():
        if name != "calc.py":
            assert (repo / name).read_bytes() == data
