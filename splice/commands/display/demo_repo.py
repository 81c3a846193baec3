"""`splice demo`: a real run of the agent loop, offline, on a small repo with a bug.

The workers are real (search, apply, the sandbox running pytest, compaction); only the
model is scripted, so the demo needs no API key and no network and always shows the same
steps: search for the bug, send a lazy edit, run the tests, finish, apply the diff.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from splice.core.errors import InvalidRequest

TASK = "Cart.total() ignores the discount code; fix it so the tests pass."

FILES: dict[str, str] = {
    "shop/__init__.py": '"""A tiny shop: a catalog, money helpers and a cart."""\n',
    "shop/money.py": '''"""Money in integer cents, so totals never drift."""


def cents(amount: float) -> int:
    return round(amount * 100)


def format_cents(value: int) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}${value // 100}.{value % 100:02d}"


def percent_of(value: int, percent: int) -> int:
    """`percent` percent of `value`, rounded half up."""
    return (value * percent + 50) // 100
''',
    "shop/catalog.py": '''"""Products by SKU."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price: int  # cents


CATALOG = {
    "tea": Product("tea", "Green tea", 450),
    "mug": Product("mug", "Stoneware mug", 1200),
    "pot": Product("pot", "Cast-iron teapot", 3900),
}


def lookup(sku: str) -> Product:
    try:
        return CATALOG[sku]
    except KeyError:
        raise KeyError(f"unknown product {sku!r}") from None
''',
    "shop/cart.py": '''"""The shopping cart."""

from shop.catalog import lookup
from shop.money import format_cents, percent_of

DISCOUNT_CODES = {"TEA10": 10, "HALF": 50}


class Cart:
    def __init__(self) -> None:
        self.lines: dict[str, int] = {}
        self.code: str | None = None

    def add(self, sku: str, qty: int = 1) -> None:
        if qty <= 0:
            raise ValueError("quantity must be positive")
        lookup(sku)  # fail early on unknown products
        self.lines[sku] = self.lines.get(sku, 0) + qty

    def apply_code(self, code: str) -> None:
        if code not in DISCOUNT_CODES:
            raise ValueError(f"unknown discount code {code!r}")
        self.code = code

    def subtotal(self) -> int:
        return sum(lookup(sku).price * qty for sku, qty in self.lines.items())

    def discount(self) -> int:
        if self.code is None:
            return 0
        return percent_of(self.subtotal(), DISCOUNT_CODES[self.code])

    def total(self) -> int:
        return self.subtotal()

    def receipt(self) -> str:
        rows = [f"{qty} x {lookup(sku).name}" for sku, qty in sorted(self.lines.items())]
        rows.append(f"total {format_cents(self.total())}")
        return "\\n".join(rows)
''',
    "tests/test_cart.py": '''from shop.cart import Cart


def test_total_without_code():
    cart = Cart()
    cart.add("tea", 2)
    assert cart.total() == 900


def test_total_with_code():
    cart = Cart()
    cart.add("pot")
    cart.apply_code("TEA10")
    assert cart.total() == 3510


def test_receipt_shows_the_discounted_total():
    cart = Cart()
    cart.add("mug")
    cart.apply_code("HALF")
    assert cart.receipt().endswith("total $6.00")
''',
}

LAZY_FIX = '''    def total(self) -> int:
        return self.subtotal() - self.discount()

    def receipt(self) -> str:
# ... existing code ...
'''

SCRIPT = [
    {"content": [{"type": "text", "text": "Find where the total is computed."},
                 {"type": "tool_use", "name": "search",
                  "input": {"query": "Cart.total discount", "max_tokens": 800}}]},
    {"content": [{"type": "text", "text": "total() never subtracts discount(); lazy edit."},
                 {"type": "tool_use", "name": "edit",
                  "input": {"path": "shop/cart.py", "edit": "# ... existing code ...\n"
                            + LAZY_FIX, "instruction": "subtract the discount in total()"}}]},
    {"content": [{"type": "tool_use", "name": "run",
                  "input": {"command": "python -m pytest -q -p no:cacheprovider",
                            "timeout_s": 120}}]},
    {"content": [{"type": "tool_use", "name": "finish",
                  "input": {"summary": "Cart.total() now subtracts the discount; "
                            "3 tests pass."}}]},
]


def write_demo_repo(target: Path) -> Path:
    """The demo repo at `target` (must be empty or absent), as a git repo when git exists."""
    if target.exists() and any(target.iterdir()):
        raise InvalidRequest(f"{target}: is not empty",
                             hint="Give a new or empty directory for the demo repo.")
    for rel, text in FILES.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git = ["git", "-c", "user.name=splice demo", "-c", "user.email=demo@localhost", "-C",
           str(target)]
    try:
        subprocess.run([*git, "init", "-q"], check=True, capture_output=True)
        subprocess.run([*git, "add", "-A"], check=True, capture_output=True)
        subprocess.run([*git, "commit", "-qm", "demo shop"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pass  # no git: the scratch tree is then a plain copy
    return target


def write_script(path: Path) -> Path:
    path.write_text(json.dumps(SCRIPT, indent=1), encoding="utf-8")
    return path
