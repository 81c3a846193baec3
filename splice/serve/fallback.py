"""Forwarding what splice refuses to an OpenAI-compatible apply model (Morph, Relace, ...)."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel

from splice.serve.settings import FallbackSettings

FALLBACK_HEADER = "x-splice-fallback"


class FallbackFailed(Exception):
    """The upstream model did not answer with a completion."""


class Upstream(BaseModel):
    status: int
    body: dict[str, Any]


def morph_message(code: str, update: str, instruction: str | None) -> str:
    head = f"<instruction>{instruction}</instruction>\n" if instruction else ""
    return f"{head}<code>{code}</code>\n<update>{update}</update>"


class Fallback:
    """One shared httpx client for the server's lifetime."""

    def __init__(self, settings: FallbackSettings) -> None:
        self.settings = settings
        headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {}
        self.client = httpx.AsyncClient(base_url=settings.url.rstrip("/") + "/",
                                        headers=headers, timeout=settings.timeout_s)

    def body(self, request: dict[str, Any], *, stream: bool) -> dict[str, Any]:
        body = dict(request)
        if self.settings.model:
            body["model"] = self.settings.model
        body["stream"] = stream
        if not stream:
            body.pop("stream_options", None)
        return body

    async def complete(self, request: dict[str, Any]) -> Upstream:
        """A non-streamed completion; any upstream status is passed back as it came."""
        try:
            response = await self.client.post("chat/completions",
                                              json=self.body(request, stream=False))
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise FallbackFailed(f"{type(exc).__name__}: {exc}") from exc
        if not isinstance(body, dict):
            raise FallbackFailed("the upstream answer is not a JSON object")
        return Upstream(status=response.status_code, body=body)

    async def stream(self, request: dict[str, Any]) -> httpx.Response:
        """Open a streamed completion; the caller relays its bytes and closes it."""
        try:
            sent = self.client.build_request("POST", "chat/completions",
                                             json=self.body(request, stream=True))
            return await self.client.send(sent, stream=True)
        except httpx.HTTPError as exc:
            raise FallbackFailed(f"{type(exc).__name__}: {exc}") from exc

    async def aclose(self) -> None:
        await self.client.aclose()


def merged_code(upstream: Upstream) -> str:
    """choices[0].message.content of an upstream completion, or FallbackFailed."""
    try:
        content = upstream.body["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as exc:
        raise FallbackFailed("the upstream answer has no choices[0].message.content") from exc
    if not isinstance(content, str):
        raise FallbackFailed("the upstream answer's content is not text")
    return content
