"""The function a file's best region calls ranks as that file's next region: a report names
the class and what it does wrong, and the fix is one call down, in a helper whose own
lines hold few of the report's words (regions.callee_regions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from splice.search import SearchRequest, search
from splice.search import regions as regions_module

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
