"""Fixtures for the MCP tests: a small repo in tmp_path and `splice mcp` as a real subprocess."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

from tests.processes import stop

# The worktree root: `python -m splice` must import this checkout's splice, not another.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 30.0

CART_PY = '''\
"""A shopping cart with tax."""

TAX_RATE = 0.2


class Cart:
    def __init__(self):
        self.items = []

    def add(self, name, price, qty=1):
        self.items.append((name, price, qty))

    def subtotal(self):
        return sum(price * qty for _, price, qty in self.items)

    def total(self):
        return self.subtotal() * (1 + TAX_RATE)
'''

PRICING_JS = '''\
// Price helpers for the web shop.
export function lineTotal(item) {
  return item.price * item.qty;
}

export function orderTotal(items) {
  let sum = 0;
  for (const item of items) {
    sum += lineTotal(item);
  }
  return sum;
}
'''

UTIL_PY = '''\
def slugify(text):
    return "-".join(text.lower().split())
'''


@pytest.fixture
def fixture_repo(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    (root / "app").mkdir(parents=True)
    (root / "web").mkdir()
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "cart.py").write_text(CART_PY)
    (root / "app" / "util.py").write_text(UTIL_PY)
    (root / "web" / "pricing.js").write_text(PRICING_JS)
    (root / "README.md").write_text("# Shop\n\nA cart (app/cart.py) and web pricing.\n")
    # A file outside the repo that no tool may touch.
    (tmp_path / "secret.txt").write_text("outside the repo\n")
    return root


def server_args(repo: Path, *extra: str) -> list[str]:
    return ["-m", "splice", "mcp", "--repo", str(repo), *extra]


@asynccontextmanager
async def stdio_session(repo: Path, *extra: str, errlog: Path) -> AsyncIterator[ClientSession]:
    """A ClientSession over stdio to `python -m splice mcp --repo REPO` as a subprocess."""
    params = StdioServerParameters(command=sys.executable, args=server_args(repo, *extra),
                                   cwd=str(PROJECT_ROOT))
    with errlog.open("w") as err:
        async with stdio_client(params, errlog=err) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                yield session


SERVING_LINE = re.compile(r"serving streamable HTTP on (http://\S+)")


def wait_for_url(proc: subprocess.Popen[bytes], errlog: Path) -> str:
    """The URL the server prints on stderr once its port is bound."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        found = SERVING_LINE.search(errlog.read_text())
        if found:
            return found.group(1)
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}:\n{errlog.read_text()}")
        time.sleep(0.05)
    raise AssertionError(f"server did not start in time:\n{errlog.read_text()}")


@contextmanager
def http_server(repo: Path, *extra: str, errlog: Path) -> Iterator[str]:
    """Start `splice mcp --http 0` (any free loopback port); yield its URL; terminate it."""
    with errlog.open("w") as err:
        # stdin is a pipe, as under many process managers: the server must not let its
        # children (ripgrep) read it.
        proc = subprocess.Popen([sys.executable, *server_args(repo, "--http", "0", *extra)],
                                cwd=PROJECT_ROOT, stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, stderr=err)
        try:
            yield wait_for_url(proc, errlog)
        finally:
            stop(proc)


@asynccontextmanager
async def http_session(url: str) -> AsyncIterator[ClientSession]:
    async with streamable_http_client(url) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            yield session
