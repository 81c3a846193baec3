"""Callers of a changed signature: the edits a model makes (a parameter added, a function
renamed, a body rewritten) and the call sites it must update next."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from splice.search.callers import find_callers
from splice.search.signatures import signature_changes

PRICING_OLD = '''"""Prices."""


def total(items, tax):
    """Sum of prices. Call it as total(items, tax)."""
    return sum(i.price for i in items) * (1 + tax)


def receipt(items):
    # total(items, 0) would skip the tax
    return f"{total(items, 0.2):.2f}"
'''

FILES: dict[str, str] = {
    "shop/pricing.py": PRICING_OLD,
    "shop/cart.py": '''from shop.pricing import total
from shop import pricing


class Cart:
    def __init__(self):
        self.items = []

    def total(self, tax):
        return total(self.items,
                     tax)

    def checkout(self):
        return pricing.total(self.items, 0.2)
''',
    "shop/orders/export.py": '''from shop.pricing import total


def export(order):
    message = "total(items, tax) is computed on export"
    return {"sum": total(order.items, order.tax)}
''',
    "tools/report.py": '''from shop.pricing import total


def line(cart):
    return cart.total(0.1)


def grand(items):
    return total(items, 0.0)
''',
}


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    for rel, text in FILES.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    return tmp_path


def _edit(root: Path, rel: str, old: str, new: str) -> tuple[str, str]:
    before = (root / rel).read_text()
    after = before.replace(old, new)
    assert after != before
    (root / rel).write_text(after)
    return before, after


def _labels(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.label() for s in report.sites]


async def test_added_parameter_lists_every_call_and_no_mention(shop: Path) -> None:
    before, after = _edit(shop, "shop/pricing.py", "def total(items, tax):",
                          "def total(items, tax, currency):")
    report = await find_callers(shop, "shop/pricing.py", before, after)
    assert [c.change.change for c in report.changes] == ["changed"]
    assert report.changes[0].change.old == "def total(items, tax)"
    assert report.changes[0].change.new == "def total(items, tax, currency)"
    # same file first; the definition, the docstring, the comment and the string are not
    # calls; `cart.total(` is a method of another class; `pricing.total(` is this module
    assert _labels(report) == ["shop/pricing.py:11", "shop/cart.py:10-11", "shop/cart.py:14",
                               "shop/orders/export.py:6", "tools/report.py:9"]
    assert report.changes[0].left_out == 0
    rendered = report.render()
    assert rendered.startswith("signature changed: def total(items, tax) -> "
                               "def total(items, tax, currency) — 5 call sites: "
                               "shop/pricing.py:11, shop/cart.py:10-11")


async def test_changed_method_lists_only_dotted_calls(shop: Path) -> None:
    before, after = _edit(shop, "shop/cart.py", "def total(self, tax):",
                          "def total(self, tax, rounding=2):")
    report = await find_callers(shop, "shop/cart.py", before, after)
    assert [(c.change.name, c.change.kind) for c in report.changes] == [("total", "method")]
    # `.total(` calls, whichever object; never the plain function's `total(` calls
    assert _labels(report) == ["shop/cart.py:14", "tools/report.py:5"]


async def test_body_only_or_annotation_change_reports_nothing(shop: Path) -> None:
    before, after = _edit(shop, "shop/pricing.py", "return sum(i.price for i in items)",
                          "return sum(i.price * i.count for i in items)")
    assert (await find_callers(shop, "shop/pricing.py", before, after)).changes == []
    annotated = after.replace("def total(items, tax):", "def total(items: list, tax: float):")
    assert signature_changes(after, annotated, "python") == []
    # a default given breaks no caller; a default dropped does
    defaulted = after.replace("def total(items, tax):", "def total(items, tax=0.2):")
    assert signature_changes(after, defaulted, "python") == []
    assert [c.change for c in signature_changes(defaulted, after, "python")] == ["changed"]


def test_removed_function_is_reported_and_removed_override_is_not() -> None:
    cart = FILES["shop/cart.py"]
    no_override = cart.replace("    def total(self, tax):\n        return total(self.items,\n"
                               "                     tax)\n\n", "")
    assert no_override != cart
    assert signature_changes(cart, no_override, "python") == []
    gone = signature_changes(PRICING_OLD, PRICING_OLD.split("def receipt")[0], "python")
    assert [(c.change, c.name, c.new) for c in gone] == [("removed", "receipt", "")]


async def test_renamed_function_lists_the_old_names_callers(shop: Path) -> None:
    before, after = _edit(shop, "shop/pricing.py", "def total(items, tax):",
                          "def grand_total(items, tax):")
    report = await find_callers(shop, "shop/pricing.py", before, after)
    change = report.changes[0].change
    assert (change.change, change.name, change.new_name) == ("renamed", "total", "grand_total")
    assert "shop/orders/export.py:6" in _labels(report)
    assert "of total:" in report.render()


async def test_budget_keeps_the_best_and_counts_the_rest(shop: Path) -> None:
    before, after = _edit(shop, "shop/pricing.py", "def total(items, tax):",
                          "def total(items, tax, currency):")
    report = await find_callers(shop, "shop/pricing.py", before, after, max_tokens=40)
    entry = report.changes[0]
    assert 1 <= len(entry.sites) < 5
    assert entry.sites[0].path == "shop/pricing.py"
    assert len(entry.sites) + entry.left_out == 5
    assert report.tokens <= 40
    assert f"(+{5 - min(5, len(entry.sites))} more)" in report.render()


def test_other_grammars_compare_parameter_lists() -> None:
    changed = signature_changes("function f(a) {}\nconst g = (x) => x\n",
                                "function f(a, b) {}\nconst g = (x) => x + 1\n", "javascript")
    assert [(c.name, c.old, c.new) for c in changed] == [("f", "f(a)", "f(a, b)")]
    go = signature_changes("func F(a int) {}\n", "func F(a int, b int) {}\n", "go")
    assert [c.name for c in go] == ["F"]


async def test_constructor_change_lists_class_calls_and_elides_a_long_signature(
        tmp_path: Path) -> None:
    old = ('class Imputer:\n    def __init__(\n        self,\n        *,\n'
           '        missing_values=None,  # what counts as missing\n'
           '        strategy="mean",\n        max_iter=10,\n        tol=1e-3,\n'
           '        verbose=0,\n        random_state=None,\n        add_indicator=False,\n'
           '    ):\n        self.strategy = strategy\n')
    new = old.replace('        strategy="mean",\n',
                      '        strategy="mean",\n        fill_value=None,\n')
    (tmp_path / "impute.py").write_text(new)
    (tmp_path / "use.py").write_text("from impute import Imputer\n\n"
                                     "imp = Imputer(strategy='median')\n")
    report = await find_callers(tmp_path, "impute.py", old, new)
    assert _labels(report) == ["use.py:3"]
    assert report.render() == (
        'signature changed: def __init__(…, strategy="mean", max_iter=10, …) -> '
        'def __init__(…, strategy="mean", fill_value=None, max_iter=10, …)'
        " — 1 call site: use.py:3")
