"""`splice run` against a fake Anthropic API on loopback, and `splice bench` progress."""

from __future__ import annotations

import http.server
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.acceptance.installed import Installed
from tests.agent.fake_servers import FakeAPI, error, message, tool_use

PATCH = "\n".join([
    "--- a/verbs.py", "+++ b/verbs.py", "@@ -4,4 +4,4 @@", " def add(a, b):",
    '     """Return the sum of a and b."""', "-    return a - b", "+    return a + b", " ",
    ""])


def test_run_summary_counts_the_time_spent_on_retries(installed: Installed,
                                                      repo: Path) -> None:
    replies = [error(529, "overloaded_error")] * 3 + [
        message(tool_use("t1", "finish", summary="nothing to change"))]
    with FakeAPI(replies) as api:
        started = time.monotonic()
        done = installed.run("run", "check the add function", "--repo", str(repo), "--model",
                             "claude-sonnet-4-6", env={"ANTHROPIC_API_KEY": "sk-ant-fake",
                                                       "ANTHROPIC_BASE_URL": api.url})
        wall = time.monotonic() - started
    summary = re.search(r"after \d+ step\(s\):.*?([\d.]+)s$", done.stdout, re.M)
    assert summary is not None, done.stdout + done.stderr
    assert len(api.requests) >= 2 and wall > 1.0
    assert float(summary.group(1)) >= 0.5, done.stdout  # at least one backoff was waited


def test_bench_compact_shows_progress(installed: Installed, repo: Path, tmp_path: Path) -> None:
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_text(json.dumps({
        "instance_id": "verbs-1", "repo": "repo", "base_commit": "HEAD",
        "problem_statement": "add returns the difference instead of the sum",
        "patch": PATCH}) + "\n")
    done = installed.run("bench", "compact", "--tasks", str(tasks), "--repos",
                         str(repo.parent), "--repeat", "1", "--no-test-output", "--out",
                         str(tmp_path / "out" / "results.json"))
    assert done.returncode == 0, done.stderr
    assert re.search(r"tasks.*1/1", done.stderr), done.stderr
    assert (tmp_path / "out" / "results.json").is_file()


@contextmanager
def _file_server(folder: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_download_says_what_from_where_to_where(installed: Installed, tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    (served / "pkg-1.0.tar.gz").write_bytes(b"\0" * 200_000)
    dest = tmp_path / "cache" / "downloads" / "pkg-1.0.tar.gz"
    with _file_server(served) as url:
        done = installed.python(
            "from pathlib import Path; from splice.bench.corpus import _download; "
            f"_download('{url}/pkg-1.0.tar.gz', Path('{dest}'))")
    assert done.returncode == 0, done.stderr
    assert f"downloading {url}/pkg-1.0.tar.gz" in done.stderr
    assert f"-> {dest}" in done.stderr and dest.stat().st_size == 200_000
