"""Network and filesystem confinement, under every isolation level the code offers."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import pytest

from splice.sandbox import GUARANTEES, Sandbox, probe
from tests.sandbox.conftest import LEVELS, make_sandbox, write_script


def _accepted(listener: socket.socket) -> bool:
    listener.setblocking(False)
    try:
        conn, _ = listener.accept()
    except BlockingIOError:
        return False
    conn.close()
    return True


@pytest.mark.parametrize("level", LEVELS)
async def test_tcp_to_loopback_listener_outside_fails_or_is_flagged(level: str, root: Path) -> None:
    sandbox = make_sandbox(level, root)
    if sandbox is None:
        return
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        argv = write_script(root, "connect.py", f"""
            import socket, sys
            try:
                socket.create_connection(("127.0.0.1", {port}), timeout=3).close()
            except OSError as exc:
                print("blocked:", exc)
                sys.exit(1)
            print("connected")
        """)
        result = await sandbox.run(argv, timeout_s=20)
        reached = _accepted(listener)
    assert result.isolation == level
    assert result.guarantees == GUARANTEES[level]  # type: ignore[index]
    if result.guarantees.network:
        assert result.exit_code == 1 and "blocked" in result.stdout, result.render()
        assert not reached
    else:
        # No network isolation here: the result must say so loudly, and the probe above
        # must really have got through (so the blocked case above is a real detection).
        assert any("NO ISOLATION" in w for w in result.warnings)
        assert result.exit_code == 0 and "connected" in result.stdout and reached


@pytest.mark.parametrize("level", LEVELS)
async def test_write_outside_the_scratch_fails_or_is_flagged(level: str, tmp_path: Path, root: Path) -> None:
    sandbox = make_sandbox(level, root)
    if sandbox is None:
        return
    outside = tmp_path / "outside.txt"
    outside.write_text("original\n")
    created = tmp_path / "created-outside.txt"
    argv = write_script(root, "escape.py", f"""
        import sys
        blocked = 0
        for path, mode in (({str(outside)!r}, "a"), ({str(created)!r}, "w")):
            try:
                with open(path, mode) as fh:
                    fh.write("pwned\\n")
                print("wrote", path)
            except OSError as exc:
                print("blocked", path, exc)
                blocked += 1
        open("inside.txt", "w").write("fine\\n")
        sys.exit(0 if blocked == 2 else 1)
    """)
    result = await sandbox.run(argv, timeout_s=20)
    assert result.isolation == level
    assert (root / "inside.txt").read_text() == "fine\n"  # the scratch itself is writable
    if result.guarantees.filesystem:
        assert result.exit_code == 0, result.render()
        assert outside.read_text() == "original\n"
        assert not created.exists()
    else:
        assert any("not confined" in w or "NO ISOLATION" in w for w in result.warnings)
        assert result.exit_code == 1 and created.exists()  # the probe does detect writes


async def test_bwrap_private_tmp_no_caps_and_masked_credentials(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox = make_sandbox("bwrap", root, tmp_mb=4)
    if sandbox is None:
        return
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text("PRIVATE KEY\n")
    (home / ".netrc").write_text("machine x password y\n")
    monkeypatch.setenv("HOME", str(home))
    marker = f"/tmp/splice-private-{uuid.uuid4().hex}"
    result = await sandbox.run(
        f"touch {marker} && echo tmp-ok; cat {home}/.ssh/id_rsa {home}/.netrc; "
        "mount -o remount,rw / && echo REMOUNTED; touch /dev/x && echo DEV-WRITABLE; "
        "head -c 6000000 /dev/zero > /tmp/fill || echo tmp-full; "
        "head -c 2000000 /dev/zero > /dev/shm/fill || echo shm-full; true", timeout_s=20)
    assert result.isolation == "bwrap"
    assert "tmp-ok" in result.stdout and not Path(marker).exists()
    assert "PRIVATE KEY" not in result.stdout and "password" not in result.stdout
    assert "REMOUNTED" not in result.stdout and "DEV-WRITABLE" not in result.stdout
    assert "tmp-full" in result.stdout and "shm-full" in result.stdout  # RAM is bounded


async def test_auto_picks_the_best_level_and_says_so(root: Path) -> None:
    expected = next(lv for lv in LEVELS if probe()[lv] is None)  # type: ignore[index]
    result = await Sandbox(root).run("echo hi", timeout_s=20)
    assert result.isolation == expected and result.stdout == "hi\n"
    assert f"[isolation: {expected}]" in result.render()
    assert "[policy: " in result.render()
