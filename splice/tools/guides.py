"""What a model is told about edits, written once for every tool set that takes them."""

def lazy_marker_guide(param: str) -> str:
    """The lazy-snippet convention, for a tool whose edit parameter is `param`."""
    return LAZY_MARKER_GUIDE.replace("{param}", param)


LAZY_MARKER_GUIDE = """\
In `{param}` send only what changes: the changed lines, a few unchanged lines around each \
change so it can be placed, and one marker line for every stretch of unchanged code you skip. \
A marker is a comment in the file's own syntax whose text is `... existing code ...`: \
`// ... existing code ...` in JavaScript, TypeScript, Go, Rust, Java, C; \
`# ... existing code ...` in Python, shell, YAML, TOML (any comment text that starts and ends \
with `...` works, e.g. `// ... keep the auth checks ...`). Start with a marker unless the edit \
begins at the file's first line, and end with one unless it runs to the last line: without \
them, everything before the first or after the last line you send is deleted. To delete lines, \
send the lines just before and just after them with no marker in between. Example (JavaScript):
// ... existing code ...
function total(items) {
  return items.reduce((sum, item) => sum + item.price * item.qty, 0);
}
// ... existing code ...
Never re-type long unchanged stretches; use markers.\
"""
