"""Small projects with real failures, one per kind of tool output (the recipes behind the
fixtures in tests/compact/fixtures/tools/; `splice bench compact --capture-tools DIR`
runs them). Each is a few files written here and a command run by the real tool in
splice's sandbox; the failures are ordinary mistakes (an off-by-one, a wrong type, an
unused import), never text written to look like tool output.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ToolProject:
    kind: str                  # fixture name: one kind of output
    command: str               # run in the project's root, in the sandbox
    files: dict[str, str]
    query: str                 # what an agent reading the output would be after
    node_modules: bool = False  # needs typescript/eslint/jest/vitest installed beside it
    git: list[str] = field(default_factory=list)  # git commands that build a history first


def _py_shop(bug: bool = True) -> str:
    total = "sum(prices) + 1" if bug else "sum(prices)"
    return (
        "def total(prices):\n"
        f"    return {total}\n\n\n"
        "def discount(amount, percent):\n"
        "    if percent > 100:\n"
        "        raise ValueError('percent over 100')\n"
        "    return amount - amount * percent // 100\n\n\n"
        "def parse_price(text):\n"
        "    return int(text.strip().lstrip('$'))\n")


_UNITTEST = "import unittest\n\nfrom shop import discount, parse_price, total\n\n\n" + \
    "class DiscountTest(unittest.TestCase):\n" + "".join(
        f"    def test_discount_{p}(self):\n"
        f"        self.assertEqual(discount(200, {p}), {200 - 200 * p // 100})\n\n"
        for p in range(0, 100, 4)) + \
    "\nclass TotalTest(unittest.TestCase):\n" \
    "    def test_total_of_two(self):\n        self.assertEqual(total([3, 4]), 7)\n\n" \
    "    def test_empty_total(self):\n        self.assertEqual(total([]), 0)\n\n" \
    "    def test_parse_cents(self):\n        self.assertEqual(parse_price('$1.50'), 150)\n\n\n" \
    "if __name__ == '__main__':\n    unittest.main()\n"

_GO_SHOP = """package shop

import "strings"

// Total adds the prices.
func Total(prices []int) int {
	sum := 0
	for i := 1; i < len(prices); i++ {
		sum += prices[i]
	}
	return sum
}

// Slug lowercases a title and joins its words with dashes.
func Slug(title string) string {
	return strings.Join(strings.Fields(strings.ToLower(title)), "_")
}
"""
_GO_TESTS = "package shop\n\nimport \"testing\"\n\n" + "".join(
    f"func TestTotalSingle{i}(t *testing.T) {{\n"
    f"\tif got := Total([]int{{0, {i}}}); got != {i} {{\n"
    f"\t\tt.Errorf(\"Total = %d, want {i}\", got)\n\t}}\n}}\n\n" for i in range(20)) + """\
func TestTotalTwo(t *testing.T) {
	if got := Total([]int{3, 4}); got != 7 {
		t.Errorf("Total([3 4]) = %d, want 7", got)
	}
}

func TestSlug(t *testing.T) {
	if got := Slug("Hello Big World"); got != "hello-big-world" {
		t.Fatalf("Slug = %q, want %q", got, "hello-big-world")
	}
}
"""

_JS_CART = """export function total(prices) {
  return prices.reduce((a, b) => a + b, 1);
}

export function formatPrice(cents) {
  return '$' + (cents / 100).toFixed(1);
}
"""


def _js_tests(runner: str) -> str:
    head = ("import { describe, it, expect } from 'vitest';\n" if runner == "vitest" else "")
    head += "import { total, formatPrice } from './cart.js';\n\n"
    body = "describe('formatPrice', () => {\n" + "".join(
        f"  it('formats {c} cents', () => {{\n"
        f"    expect(formatPrice({c * 100})).toContain('$');\n  }});\n" for c in range(25))
    body += ("  it('keeps two decimals', () => {\n"
             "    expect(formatPrice(150)).toBe('$1.50');\n  });\n});\n\n"
             "describe('total', () => {\n  it('adds prices', () => {\n"
             "    expect(total([3, 4])).toBe(7);\n  });\n});\n")
    return head + body


_MYPY_FILES = {
    "inventory/__init__.py": "",
    "inventory/models.py": (
        "from dataclasses import dataclass\n\n\n@dataclass\nclass Item:\n    name: str\n"
        "    price: int\n    tags: list[str]\n\n\n"
        "def cheapest(items: list[Item]) -> Item:\n"
        "    return min(items, key=lambda i: i.price, default=None)\n\n\n"
        "def label(item: Item) -> str:\n    return item.name + ': ' + item.price\n"),
    "inventory/store.py": (
        "from inventory.models import Item, cheapest\n\n\n"
        "class Store:\n    def __init__(self) -> None:\n        self.items = {}\n\n"
        "    def add(self, item: Item) -> None:\n        self.items[item.name] = item\n\n"
        "    def find(self, name: str) -> Item:\n        return self.items.get(name)\n\n"
        "    def total(self) -> int:\n        return sum(i.price for i in self.items.values())\n\n"
        "    def best(self) -> str:\n        return cheapest(list(self.items.values()))\n\n"
        "    def restock(self, names: list[str]) -> int:\n        count = 0\n"
        "        for name in names:\n            count += self.find(name).tags\n"
        "        return count\n"),
}

_PY_LINT = {
    "app/__init__.py": "",
    "app/views.py": (
        "import os\nimport sys\nimport json\nfrom typing import List, Dict, Optional\n\n\n"
        "def render(items: List[Dict]) -> str:\n    out = []\n    for i in range(len(items)):\n"
        "        item = items[i]\n        if item == None:\n            continue\n"
        "        out.append(f\"{item['name']}\")\n    return '\\n'.join(out)\n\n\n"
        "def load(path):\n    try:\n        return json.load(open(path))\n    except:\n"
        "        return None\n\n\n"
        "def lookup(table: Dict, key: Optional[str] = None):\n    l = table.get(key)\n"
        "    return undefined_name(l)\n"),
    "app/models.py": (
        "import re, collections\n\n\nclass User:\n    def __init__(self, name, tags=[]):\n"
        "        self.name = name\n        self.tags = tags\n\n"
        "    def matches(self, pattern):\n        return re.match(pattern, self.name) != None\n"),
}

_TS_FILES = {
    "tsconfig.json": ('{\n  "compilerOptions": {"strict": true, "target": "es2020", '
                      '"module": "commonjs", "noEmit": true, "pretty": false},\n'
                      '  "include": ["src"]\n}\n'),
    "src/cart.ts": (
        "export interface Item { name: string; price: number; tags?: string[] }\n\n"
        "export function total(items: Item[]): number {\n"
        "  return items.reduce((sum, i) => sum + i.price, '0');\n}\n\n"
        "export function firstTag(item: Item): string {\n  return item.tags[0];\n}\n"),
    "src/app.ts": (
        "import { total, Item } from './cart';\n\n"
        "const items: Item[] = [{ name: 'a', price: '3' }, { name: 'b', price: 4 }];\n"
        "console.log(total(items).toFixed(2));\n"
        "export function label(item: Item) {\n  return item.nme.toUpperCase();\n}\n"),
}

_ESLINT_FILES = {
    "eslint.config.js": (
        "import js from '@eslint/js';\n\nexport default [\n  js.configs.recommended,\n"
        "  { rules: { 'no-unused-vars': 'warn', 'no-console': 'warn', eqeqeq: 'warn',\n"
        "             'prefer-const': 'warn' },\n"
        "    languageOptions: { globals: { console: 'readonly' } } },\n];\n"),
    "package.json": '{ "name": "lintme", "type": "module", "private": true }\n',
    "src/cart.js": "".join(
        f"export function step{i}(value) {{\n  let unused{i} = {i};\n"
        f"  console.log('step {i}', value);\n  if (value == {i}) {{\n    return value;\n  }}\n"
        f"  return value + {i};\n}}\n\n" for i in range(12)) +
        "export function broken(items) {\n  return items.map((x) => x + missingValue);\n}\n\n"
        "export function again(a) {\n  switch (a) {\n    case 1:\n      const b = 2;\n"
        "      return b;\n    default:\n      return a;\n  }\n}\n",
}

_C_FILES = {
    "Makefile": ("CC = cc\nCFLAGS = -Wall -Wextra -O1\nOBJS = main.o util.o parse.o\n\n"
                 "app: $(OBJS)\n\t$(CC) -o $@ $(OBJS)\n\n%.o: %.c\n\t$(CC) $(CFLAGS) -c $<\n"),
    "util.c": ("#include <stdio.h>\n\nint add(int a, int b) {\n  int unused = 0;\n"
               "  return a + b;\n}\n\nint scale(int a, unsigned b) {\n"
               "  if (a < b) return 0;\n  return a * b;\n}\n"),
    "parse.c": ("#include <stdlib.h>\n\nint parse(const char *s) {\n  int n;\n"
                "  return atoi(s) + undefined_counter;\n}\n"),
    "main.c": ("#include <stdio.h>\n\nint add(int, int);\n\nint main(void) {\n"
               "  int x;\n  printf(\"%d\\n\", add(1, 2));\n  return 0;\n}\n"),
}

_BROKEN_SETUP = (
    "from setuptools import setup\nfrom setuptools.command.build_py import build_py\n\n\n"
    "class Build(build_py):\n    def run(self):\n"
    "        import numpy_config_helper  # a build-time dependency nobody declared\n"
    "        super().run()\n\n\n"
    "setup(name='priceparse', version='0.1', py_modules=['priceparse'],\n"
    "      cmdclass={'build_py': Build})\n")

_GIT_AUTHOR = ("-c user.name=Ada -c user.email=ada@example.org "
               "-c commit.gpgsign=false")


def _git_history() -> list[str]:
    """Commands that build a 30-commit history of shop.py (run before the git kind's
    command)."""
    cmds = ["git init -q -b main"]
    for i in range(30):
        body = (f"Touch step {i} of the pricing rules.\\n\\nThe rounding of step {i} moved "
                "from the caller into the helper, so every caller now gets the same "
                "result. Reviewed with the pricing team.")
        cmds.append(f"printf 'def step{i}(v):\\n    return v + {i}\\n' >> shop.py && "
                    f"git add -A && git {_GIT_AUTHOR} commit -q -m 'pricing: step {i}' "
                    f"-m \"$(printf '{body}')\"")
    cmds.append("sed -i 's/return v + 7$/return v + 70/; s/return v + 21$/return v - 21/; "
                "s/return v + 12$/return v * 12/; s/return v + 26$/return v + 260/' shop.py")
    return cmds


PROJECTS: list[ToolProject] = [
    ToolProject("unittest", "python -m unittest -v test_shop",
                {"shop.py": _py_shop(), "test_shop.py": _UNITTEST},
                "why does total of an empty cart fail"),
    ToolProject("go_test", "go test -v ./...",
                {"go.mod": "module example.com/shop\n\ngo 1.19\n", "shop.go": _GO_SHOP,
                 "shop_test.go": _GO_TESTS}, "fix the failing Total and Slug tests"),
    ToolProject("jest", "NODE_OPTIONS=--experimental-vm-modules npx jest --verbose --ci",
                {"package.json": '{ "name": "cart", "type": "module", "private": true }\n',
                 "cart.js": _JS_CART, "cart.test.js": _js_tests("jest")},
                "fix the failing total and formatPrice tests", node_modules=True),
    ToolProject("vitest", "npx vitest run --reporter=verbose",
                {"package.json": '{ "name": "cart", "type": "module", "private": true }\n',
                 "cart.js": _JS_CART, "cart.test.js": _js_tests("vitest")},
                "fix the failing total and formatPrice tests", node_modules=True),
    ToolProject("mypy", "python -m mypy --pretty --show-error-context --no-incremental inventory",
                _MYPY_FILES, "fix the type errors in inventory"),
    ToolProject("ruff", "ruff check --no-cache --select E,F,W,B,UP app", _PY_LINT,
                "fix the lint errors in app"),
    ToolProject("tsc", "npx tsc -p . --pretty true", _TS_FILES,
                "fix the type errors in src", node_modules=True),
    ToolProject("eslint", "npx eslint src", _ESLINT_FILES, "fix the eslint errors in src/cart.js",
                node_modules=True),
    ToolProject("pip_install", "python -m pip install -v --no-index --no-build-isolation "
                "--no-cache-dir --target build_out .",
                {"setup.py": _BROKEN_SETUP, "priceparse.py": "def parse(s):\n    return int(s)\n"},
                "why did the install fail"),
    ToolProject("npm_install", "npm install --offline --no-audit --no-fund --loglevel verbose "
                "left-pad@1.3.0",
                {"package.json": '{ "name": "cart", "version": "1.0.0", "private": true }\n'},
                "why did npm install fail"),
    ToolProject("make", "make -k", _C_FILES, "fix the build errors"),
    ToolProject("git_log", "git log --stat -n 25", {}, "which commit changed step 7",
                git=_git_history()),
    ToolProject("git_diff", "git diff -U8", {}, "the change to step 21", git=_git_history()),
    ToolProject("json", "ruff check --no-cache --select E,F,W,B,UP --output-format json app",
                _PY_LINT, "the undefined name error in app/views.py"),
]
