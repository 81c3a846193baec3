"""Anchors that pair up in several places are not settled by which pairing drops fewer
lines (lazy.sequential): that is a ranking among readings the text allows, and the
issue's rule 4 says more than one reading left is a refusal. Shape from the model-shaped
corpus (type-fest internal.d.ts, lazy-ctx3): the segment's first and last lines open and
close two definitions of the file, one long and one short; the changed lines say nothing
of which body they replace."""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.core.errors import AmbiguousMatch

LONG_BODY = "".join(f"    step_{i} = run_step({i}, client)\n" for i in range(45))
ORIGINAL = f'''def check_long():
    client = make_client()
{LONG_BODY}    assert client.closed


def check_short():
    client = make_client()
    client.send(b"ping")
    client.close()
    assert client.closed
'''
EDIT = '''# ... existing code ...
    client = make_client()
    with client:
        client.send(b"ping")
    assert client.closed
# ... existing code ...
'''
SHORT_FIXED = ORIGINAL.replace('''    client.send(b"ping")
    client.close()
''', '''    with client:
        client.send(b"ping")
''')


def test_pairing_that_drops_fewer_lines_is_not_picked() -> None:
    # right outcome: refuse, naming both places (check_long's body or check_short's)
    with pytest.raises(AmbiguousMatch) as err:
        merge(ORIGINAL, EDIT, path="test_client.py")
    assert "check_long" in str(err.value) and "check_short" in str(err.value)


def test_seen_lines_settle_it() -> None:
    # right outcome: the writer was shown check_short only, so its body is the one replaced
    start = ORIGINAL.splitlines().index("def check_short():") + 1
    out = merge(ORIGINAL, EDIT, path="test_client.py", seen_lines=[(start, start + 4)]).text
    assert out == SHORT_FIXED
