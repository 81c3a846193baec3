"""Segments that end on changed lines, in the shapes models send (right outcome decided
from the text before splice ran):

- effect's Match.ts (a type's parameter list gains `Ret`): the segment ends `Pr,` /
  `Ret`, the file has `Pr` next: a short name still says the changed lines mention it,
  so `Pr,` replaces `Pr` (the similarity rule: replaced line >= 0.6 alike, the kept
  neighbour `> = internal.tag` < 0.4);
- django admin options.py (django-15467): the segment ends on a new `)` that equals the
  `)` closing the line above, so that `)` anchors it as an insertion, while its changed
  lines closely resemble the original line right after it: replace it or insert beside
  it is open: refuse, naming that line.
"""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.core.errors import AmbiguousMatch

MATCH = '''export const tag: <R, P>(
  pattern: P
) => <I, F, A, Pr>(
  self: Matcher<I, F, R, A, Pr>
) => Matcher<
  I,
  Types.AddWithout<F, Extract<R, Record<"_tag", P>>>,
  Types.ApplyFilters<I, Types.AddWithout<F, Extract<R, Record<"_tag", P>>>>,
  B | A,
  Pr
> = internal.tag

/**
 * @since 1.0.0
 */
'''
MATCH_EDIT = '''  // ... existing code ...
  Types.AddWithout<F, Extract<R, Record<"_tag", P>>>,
  Types.ApplyFilters<I, Types.AddWithout<F, Extract<R, Record<"_tag", P>>>>,
  B | A,
  Pr,
  Ret
  // ... rest of the code ...
'''


def test_short_name_next_to_the_changed_lines_is_replaced() -> None:
    out = merge(MATCH, MATCH_EDIT, path="src/Match.ts").text
    assert out == MATCH.replace("  Pr\n> = internal.tag", "  Pr,\n  Ret\n> = internal.tag")


ADMIN = '''        if "widget" not in kwargs:
            if db_field.name in self.raw_id_fields:
                kwargs["widget"] = widgets.ForeignKeyRawIdWidget(
                    db_field.remote_field, self.admin_site, using=db
                )
            elif db_field.name in self.radio_fields:
                kwargs["widget"] = widgets.AdminRadioSelect(
                    attrs={
                        "class": get_ul_class(self.radio_fields[db_field.name]),
                    }
                )
                kwargs["empty_label"] = _("None") if db_field.blank else None

        if "queryset" not in kwargs:
            queryset = self.get_field_queryset(db, db_field, request)
'''
ADMIN_EDIT = '''                    # ... existing code ...
                    }
                )
                kwargs["empty_label"] = (
                    kwargs.get("empty_label", _("None")) if db_field.blank else None
                )
                    # ... existing code ...
'''


def test_one_line_anchor_next_to_a_rewritten_line_is_refused() -> None:
    with pytest.raises(AmbiguousMatch) as err:
        merge(ADMIN, ADMIN_EDIT, path="django/contrib/admin/options.py")
    assert err.value.details["why"] == "thin_rewrite"
    assert err.value.details["candidates"] == [12]


def test_two_line_anchor_below_settles_it() -> None:
    edit = ADMIN_EDIT.replace('''                )
                    # ... existing code ...''', '''                )

        if "queryset" not in kwargs:
                    # ... existing code ...''')
    # the old line is left out between the new lines and the two-line anchor: replaced
    out = merge(ADMIN, edit, path="django/contrib/admin/options.py").text
    assert out == ADMIN.replace(
        '                kwargs["empty_label"] = _("None") if db_field.blank else None\n',
        '                kwargs["empty_label"] = (\n'
        '                    kwargs.get("empty_label", _("None")) if db_field.blank else None\n'
        '                )\n')



# click utils.py `echo` (boundary-end, docstring left out): the new lines end on `return`,
# which the file holds again further down; anchored there, the segment would drop the
# twenty statements in between for its four new lines (the similarity rule: the changed
# lines are inserted after `file = _default_text_stdout()`; the text allows both)
ECHO = """def echo(
    message: t.Optional[t.Any] = None,
    file: t.Optional[t.IO[t.Any]] = None,
    nl: bool = True,
    err: bool = False,
    color: t.Optional[bool] = None,
) -> None:
    if file is None:
        if err:
            file = _default_text_stderr()
        else:
            file = _default_text_stdout()

    # Convert non bytes/text into the native string type.
    if message is not None and not isinstance(message, (str, bytes, bytearray)):
        out: t.Optional[t.Union[str, bytes]] = str(message)
    else:
        out = message

    if nl:
        out = out or ""
        if isinstance(out, str):
            out += "\\n"
        else:
            out += b"\\n"

    if not out:
        file.flush()
        return

    # If there is a message and the value looks like bytes, we manually
    # need to find the binary stream and write the message in there.
    # This is done separately so that most stream types will work as you
    # would expect. Eg: you can write to StringIO for other cases.
    if isinstance(out, (bytes, bytearray)):
        binary_file = _find_binary_writer(file)

        if binary_file is not None:
            file.flush()
            binary_file.write(out)
            binary_file.flush()
            return

    # ANSI style code support. For no message or bytes, nothing happens.
    # When outputting to a file instead of a terminal, strip codes.
    else:
        color = resolve_color_default(color)

        if should_strip_ansi(file, color):
            out = strip_ansi(out)
        elif WIN:
            if auto_wrap_for_ansi is not None:
                file = auto_wrap_for_ansi(file)  # type: ignore
            elif not color:
                out = strip_ansi(out)

    file.write(out)  # type: ignore
    file.flush()
"""
ECHO_EDIT = """        # ... existing code ...
        else:
            file = _default_text_stdout()

        # There are no standard streams attached to write to. For example,
        # pythonw on Windows.
        if file is None:
            return
        # ... existing code ...
"""


def test_one_line_anchor_dropping_more_than_it_writes_is_refused() -> None:
    with pytest.raises(AmbiguousMatch):
        merge(ECHO, ECHO_EDIT, path="src/click/utils.py")
