"""The function a file's best region calls ranks as that file's next region: a report names
the class and what it does wrong, and the fix is one call down, in a helper whose own
lines hold few of the report's words (regions.callee_regions)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from splice.core.spans import Span
from splice.search import SearchRequest, search
from splice.search import regions as regions_module
from splice.search.regions import callee_regions
from splice.search.symbols import extract_definitions

OTHERS = "".join(f'''

class StreamingResponse{i}(HttpResponseBase):
    """A response whose content type is set by the caller, streamed in chunks."""

    def __init__(self, content_type=None, charset=None, status=None):
        super().__init__(content_type=content_type, charset=charset, status=status)
        self.content_type = content_type or "text/html"
        self.streaming = True
''' for i in range(4))

FILLER = "".join(f"""
    def hook_{i}(self, stream):
        # called once the response has streamed its file: the type is set by then
        return self.on_closed(stream, {i})
""" for i in range(12))

RESPONSE = '''import mimetypes


class HttpResponseBase:
    def __init__(self, content_type=None, charset=None, status=None):
        self.headers = {}
        self.status_code = status or 200
''' + OTHERS + '''

class FileResponse(HttpResponseBase):
    """A streaming response for a file opened by the caller."""

    block_size = 4096

    def _set_streaming_content(self, value):
        if not hasattr(value, "read"):
            self.file_to_stream = None
            return
        self.file_to_stream = filelike = value
        if hasattr(filelike, "close"):
            self._resource_closers.append(filelike.close)
        value = iter(lambda: filelike.read(self.block_size), b"")
        self.set_headers(filelike)
        self.streaming_content = value
''' + FILLER + '''
    def set_headers(self, filelike):
        filename = getattr(filelike, "name", "")
        filename = filename if isinstance(filename, str) else ""
        if self._no_explicit_content_type:
            if filename:
                guessed, encoding = mimetypes.guess_type(filename)
                guessed = {
                    "bzip2": "application/x-bzip",
                    "gzip": "application/gzip",
                    "xz": "application/x-xz",
                }.get(encoding, guessed)
                self.headers["Content-Type"] = guessed or "application/octet-stream"
'''

REPORT = """Improper guessing of Mime Type for "br" and "Z" file types
Description

Below FileResponse will set the content type as text/html, even if the last file
extension is "Z" or "br".
FileResponse(open('test.html.Z', 'rb'))
FileResponse(open('test.html.br', 'rb'))
"""

FIX = '                    "xz": "application/x-xz",'


async def _shown(tmp_path: Path) -> bool:
    (tmp_path / "http").mkdir(exist_ok=True)
    (tmp_path / "http" / "response.py").write_text(RESPONSE)
    result = await search(SearchRequest(query=REPORT, repo=str(tmp_path), max_tokens=420))
    fix = RESPONSE.splitlines().index(FIX) + 1
    return any(s.path == "http/response.py" and s.start_line <= fix <= s.end_line
               for s in result.spans)


async def test_the_helper_the_best_region_calls_is_shown(tmp_path: Path) -> None:
    assert await _shown(tmp_path)


async def test_without_the_call_the_helper_waits(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # the same search with the rule off: the streaming classes' regions come first
    monkeypatch.setattr(regions_module, "callee_regions", lambda *args: set())
    assert not await _shown(tmp_path)


FIELDS = '''class ModelChoiceField(ChoiceField):
    def to_python(self, value):
        try:
            value = self.queryset.get(pk=value)
        except self.queryset.model.DoesNotExist:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return value

    def validate(self, value):
        return Field.validate(self, value)


class ModelMultipleChoiceField(ModelChoiceField):
    def to_python(self, value):
        if not value:
            return []
        return list(self._check_values(value))

    def _check_values(self, value):
        return [self.clean_one(v) for v in value]

    def clean_one(self, v):
        return v
'''


class _Read:
    def __init__(self, text: str) -> None:
        self.text = text


class _Engine:
    def read(self, path: str, start: int = 1, end: int | None = None) -> _Read:
        return _Read("\n".join(FIELDS.split("\n")[start - 1:end]))


class _Index:
    def definitions(self, path: str) -> list:
        return extract_definitions(FIELDS.encode(), "python")


def _region(first: int, last: int) -> tuple:
    return (1.0, list(range(first, last + 1)), first,
            Span(path="forms/models.py", start_line=first, end_line=last))


def _at(text: str) -> int:
    return FIELDS.splitlines().index(text) + 1


def test_callees_siblings_and_cut_definitions_of_the_best_region() -> None:
    ctx = SimpleNamespace(engine=_Engine(), index=_Index())
    sub = _at("class ModelMultipleChoiceField(ModelChoiceField):")
    base_raise = _at('            raise ValidationError(self.error_messages["invalid_choice"], '
                     'code="invalid_choice")')
    check = _at("        return [self.clean_one(v) for v in value]")
    validate = _at("        return Field.validate(self, value)")
    # the best region: the subclass's to_python, which calls _check_values and overrides
    # the base to_python; the region of `validate` is neither called nor a sibling
    scored = [_region(sub, _at("        return list(self._check_values(value))")),
              _region(validate, validate), _region(base_raise, base_raise), _region(check, check)]
    assert callee_regions(ctx, "forms/models.py", scored) == {2, 3}
    # a window that shows the head of `to_python` but stops inside it: the rest comes next
    head = _at("    def to_python(self, value):")
    cut = [_region(1, head + 1), _region(validate, validate), _region(base_raise, base_raise)]
    assert callee_regions(ctx, "forms/models.py", cut) == {2}
