import json
from pathlib import Path

from typer.testing import CliRunner

from splice.cli import app

runner = CliRunner()


def flat(text: str) -> str:
    return " ".join(text.split())  # rich wraps long error lines
SOURCE = "".join(f"def helper_{i}(x):\n    return x * {i}\n\n" for i in range(60))
SOURCE += "def checkout(cart):\n    total = sum(cart)\n    return total\n"


def test_compact_file_plain_and_numbered(tmp_path: Path) -> None:
    path = tmp_path / "shop.py"
    path.write_text(SOURCE)
    res = runner.invoke(app, ["compact", str(path), "--query", "checkout total", "--ratio", "0.2"])
    assert res.exit_code == 0, res.output
    assert "    total = sum(cart)\n" in res.stdout
    assert "# (filtered" in res.stdout
    res = runner.invoke(app, ["compact", str(path), "-q", "checkout", "--numbered",
                              "--keep", "1-2"])
    assert res.exit_code == 0
    assert "  1 | def helper_0(x):" in res.stdout
    assert "182 |     total = sum(cart)" in res.stdout


def test_compact_json_and_stdin() -> None:
    res = runner.invoke(app, ["compact", "-", "--path", "x.py", "-q", "checkout",
                              "--max-tokens", "80", "--json"], input=SOURCE)
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["tokens_after"] <= 80
    assert data["kind"] == "code"
    assert data["kept_ranges"]


def test_compact_errors_exit_non_zero(tmp_path: Path) -> None:
    res = runner.invoke(app, ["compact", str(tmp_path / "nope.py"), "-q", "x"])
    assert res.exit_code != 0 and "no such file" in flat(res.stderr)
    bad = tmp_path / "blob.bin"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    res = runner.invoke(app, ["compact", str(bad)])
    assert res.exit_code != 0 and "binary" in flat(res.stderr)
    res = runner.invoke(app, ["compact", "-", "--ratio", "2"], input=SOURCE)
    assert res.exit_code != 0 and "outside (0, 1]" in flat(res.stderr)
    res = runner.invoke(app, ["compact", "-", "--keep", "a-b"], input=SOURCE)
    assert res.exit_code != 0 and "not a line range" in flat(res.stderr)
    res = runner.invoke(app, ["compact", "-", "--json", "--ratio", "0.5", "--max-tokens", "9"],
                        input=SOURCE)
    assert res.exit_code != 0
    assert json.loads(res.stderr)["error"] == "invalid_request"
