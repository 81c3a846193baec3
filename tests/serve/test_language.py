"""The server names the language the code shows, since Morph's and Relace's requests carry
no file name, and merges exactly as the engine does when it is given a path."""

from __future__ import annotations

import httpx
import pytest

from splice.apply import merge
from splice.serve.language import sniff_language, stand_in_path
from tests.serve.conftest import CART_EDIT, CART_PY, TWINS_EDIT, TWINS_PY, morph_message

PYTHON = CART_PY

GO = '''\
package cart

import "fmt"

type Item struct {
\tName  string
\tPrice float64
}

func (c *Cart) Add(item Item) error {
\tif item.Price < 0 {
\t\treturn fmt.Errorf("negative price for %s", item.Name)
\t}
\tc.items = append(c.items, item)
\treturn nil
}
'''

RUST = '''\
use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct Cart {
    items: HashMap<String, u32>,
}

impl Cart {
    pub fn add(&mut self, name: &str, qty: u32) {
        let entry = self.items.entry(name.to_string()).or_insert(0);
        *entry += qty;
    }

    pub fn count(&self) -> u32 {
        self.items.values().sum()
    }
}
'''

JAVA = '''\
package shop.cart;

import java.util.ArrayList;
import java.util.List;

public class Cart {
    private final List<Item> items = new ArrayList<>();

    public void add(Item item) {
        items.add(item);
    }

    @Override
    public String toString() {
        return "Cart(" + items.size() + ")";
    }
}
'''

TYPESCRIPT = '''\
import type { Item } from "./item";

export interface Cart {
  items: Item[];
  coupon?: string;
}

export function total(cart: Cart, taxRate: number): number {
  const sum = cart.items.reduce((acc, item) => acc + item.price * item.qty, 0);
  return sum * (1 + taxRate);
}
'''

TSX = '''\
import React from "react";

interface Props {
  title: string;
  count: number;
}

export function Badge({ title, count }: Props) {
  return (
    <span className="badge">
      {title}: {count}
    </span>
  );
}
'''

JAVASCRIPT = '''\
const express = require("express");

const app = express();

function total(items) {
  return items.reduce((acc, item) => acc + item.price * item.qty, 0);
}

app.get("/total", (req, res) => {
  res.json({ total: total(req.body.items) });
});

module.exports = app;
'''

JSX = '''\
import React from "react";

export default function Badge({ title, count }) {
  const label = `${title}: ${count}`;
  return (
    <span className="badge">
      {label}
    </span>
  );
}
'''

PROSE = '''\
Thanks for the review. I moved the discount logic into its own function as you asked,
and the totals now round once at the end. Let me know if the naming works for you.
'''


@pytest.mark.parametrize(("code", "language"), [
    (PYTHON, "python"), (GO, "go"), (RUST, "rust"), (JAVA, "java"),
    (TYPESCRIPT, "typescript"), (TSX, "tsx"), (JAVASCRIPT, "javascript"), (JSX, "javascript"),
])
def test_code_names_its_language(code: str, language: str) -> None:
    assert sniff_language(code) == language


@pytest.mark.parametrize("text", [PROSE, "", "\n\n", "x = 1\n"])
def test_text_that_says_too_little_names_no_language(text: str) -> None:
    assert sniff_language(text) is None


def test_a_broken_file_in_a_clear_language_still_names_it() -> None:
    broken = CART_PY.replace("def total(self):", "def total(self:")
    assert sniff_language(broken) == "python"


def test_stand_in_paths_carry_the_grammar_suffix() -> None:
    assert stand_in_path("python") == "<code>.py"
    assert stand_in_path("tsx") == "<code>.tsx"
    assert stand_in_path(None) is None


TS_EDIT = '''\
// ... existing code ...
export function total(cart: Cart, taxRate: number): number {
  const sum = cart.items.reduce((acc, item) => acc + item.price * item.qty, 0);
  const off = cart.coupon ? 0.9 : 1;
  return sum * off * (1 + taxRate);
}
'''

GO_EDIT = '''\
// ... existing code ...
func (c *Cart) Add(item Item) error {
\tif item.Price <= 0 {
\t\treturn fmt.Errorf("price must be positive for %s", item.Name)
\t}
// ... existing code ...
'''


@pytest.mark.parametrize(("code", "edit", "path", "language"), [
    (TYPESCRIPT, TS_EDIT, "cart.ts", "typescript"),
    (GO, GO_EDIT, "cart.go", "go"),
    (CART_PY, CART_EDIT, "cart.py", "python"),
])
def test_server_merges_as_the_engine_does_with_the_file_name(
        base: str, http: httpx.Client, code: str, edit: str, path: str,
        language: str) -> None:
    expected = merge(code, edit, path=path).text
    assert expected != code
    response = http.post(f"{base}/v1/chat/completions", json={
        "model": "auto", "messages": [{"role": "user", "content": morph_message(code, edit)}]})
    assert response.status_code == 200
    assert response.headers["x-splice-language"] == language
    assert response.json()["choices"][0]["message"]["content"] == expected
    relace = http.post(f"{base}/v1/code/apply",
                       json={"initial_code": code, "edit_snippet": edit})
    assert relace.status_code == 200
    assert relace.headers["x-splice-language"] == language
    assert relace.json()["mergedCode"] == expected


def test_refusal_names_no_stand_in_file(base: str, http: httpx.Client) -> None:
    response = http.post(f"{base}/v1/chat/completions", json={
        "model": "auto",
        "messages": [{"role": "user", "content": morph_message(TWINS_PY, TWINS_EDIT)}]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "ambiguous_match"
    assert "<code>" not in error["message"] and " in " not in error["message"].split(":")[0]


def test_instruction_naming_the_method_places_the_edit_once_the_language_is_known(
        base: str, http: httpx.Client) -> None:
    """Two identical methods: the engine's definition-aware rules (which need the language)
    read "A.f" in the instruction; before the server named the language this was refused."""
    message = morph_message(TWINS_PY, TWINS_EDIT, "I will mark A.f as checked")
    response = http.post(f"{base}/v1/chat/completions", json={
        "model": "auto", "messages": [{"role": "user", "content": message}]})
    assert response.status_code == 200
    assert response.json()["choices"][0]["message"]["content"] == TWINS_PY.replace(
        "        return None\n", "        return None\n        # checked\n", 1)
