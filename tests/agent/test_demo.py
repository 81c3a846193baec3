import json
import subprocess
import sys
from pathlib import Path

from splice.commands.display.demo_repo import FILES


def _demo(target: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "splice", "demo", str(target), *extra],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=300, cwd=Path(__file__).resolve().parents[2])


def test_demo_fixes_the_bug_offline(tmp_path: Path) -> None:
    target = tmp_path / "shop"
    done = _demo(target, "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["status"] == "finished"
    fixed = (target / "shop" / "cart.py").read_text()
    assert "return self.subtotal() - self.discount()" in fixed
    # only the one line changed; everything else byte-identical
    assert fixed == FILES["shop/cart.py"].replace(
        "        return self.subtotal()\n\n    def receipt",
        "        return self.subtotal() - self.discount()\n\n    def receipt")
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                           cwd=target, capture_output=True, text=True, timeout=120)
    assert "3 passed" in tests.stdout


def test_demo_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    done = _demo(tmp_path)
    assert done.returncode != 0 and "not empty" in " ".join(done.stderr.split())
    assert (tmp_path / "keep.txt").read_text() == "mine"
