"""What a model is told about edits, written once for every tool set that takes them."""

def lazy_marker_guide(param: str) -> str:
    """The lazy-snippet convention, for a tool whose edit parameter is `param`."""
    return LAZY_MARKER_GUIDE.replace("{param}", param)


# Every orchestrator turn re-sends this, so it says what a model needs and no more.
LAZY_MARKER_GUIDE = """\
In `{param}` send only what changes: each changed stretch with 2-3 unchanged lines above and \
below it, copied exactly, and a marker line for every unchanged stretch you skip: a comment in \
the file's own syntax reading `... existing code ...` (`# ... existing code ...`, \
`// ... existing code ...`). Start and end with a marker unless the edit begins at the file's \
first line or ends at its last: what lies beyond an unmarked edge is deleted. To delete lines, \
send the lines just before and after them with no marker between.\
"""
