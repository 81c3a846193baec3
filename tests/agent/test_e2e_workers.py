"""Scripted end-to-end fix of a small repo with the real workers: search, edit, run the
tests in the sandbox, finish; the user's repo gets exactly the diff."""

from pathlib import Path

from tests.agent.e2e_flow import expected_calc, scripted_fix_model
from tests.agent.helpers import make_repo


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
