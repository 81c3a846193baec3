"""The starlette app: Morph's and Relace's apply endpoints, backed by splice's merge engine."""

from __future__ import annotations

import hmac
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from splice import __version__
from splice.core.errors import InvalidRequest
from splice.serve import protocol as wire
from splice.serve.engine import Merged, Refusal, merge_off_loop
from splice.serve.fallback import (
    FALLBACK_HEADER,
    Fallback,
    FallbackFailed,
    merged_code,
    morph_message,
)
from splice.serve.settings import MODELS, ServeSettings

Handler = Callable[[Request], Awaitable[Response]]


class HTTPProblem(Exception):
    """An error answer: status and OpenAI's error envelope."""

    def __init__(self, status: int, kind: str, code: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.response = JSONResponse(wire.error_body(kind, code, message), status_code=status,
                                     headers=headers)


def _bad_request(exc: InvalidRequest | ValidationError | str) -> HTTPProblem:
    if isinstance(exc, ValidationError):
        where = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}"
                          for e in exc.errors()[:5])
        text = f"the request body does not fit: {where}"
    else:
        text = str(exc)
    return HTTPProblem(400, "invalid_request_error", "invalid_request", text)


async def read_json(request: Request, cap: int) -> dict[str, Any]:
    """The body as a JSON object, refused with 413 past `cap` bytes before it is all read."""
    declared = request.headers.get("content-length")
    too_large = (f"the request body is over this server's limit of {cap} bytes; send a "
                 "smaller file, or restart splice serve with a larger --max-body-bytes.")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise HTTPProblem(413, "invalid_request_error", "request_too_large",
                          f"{too_large} (Content-Length: {declared})")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise HTTPProblem(413, "invalid_request_error", "request_too_large", too_large)
        chunks.append(chunk)
    try:
        body = json.loads(b"".join(chunks))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _bad_request(f"the request body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise _bad_request("the request body must be a JSON object.")
    return body


def _check_model(model: str) -> None:
    if model not in MODELS:
        raise HTTPProblem(404, "invalid_request_error", "model_not_found",
                          f"model {model!r} is not served here; use one of: "
                          f"{', '.join(MODELS)} (all run splice's merge engine).")


def _refused(refusal: Refusal) -> JSONResponse:
    return JSONResponse(wire.error_body("apply_refused", refusal.code, refusal.message,
                                        candidates=refusal.candidates), status_code=422)


def _fallback_failed(refusal: Refusal, url: str, why: str) -> JSONResponse:
    message = (f"splice refused the edit ({refusal.code}: {refusal.message}) and the fallback "
               f"model at {url} did not answer: {why}")
    return JSONResponse(wire.error_body("fallback_failed", "fallback_failed", message,
                                        candidates=refusal.candidates), status_code=502)


def _merged_headers(merged: Merged) -> dict[str, str]:
    return {"x-splice-format": merged.fmt,
            "x-splice-language": merged.language or "unknown",
            "x-splice-already-applied": "1" if merged.already_applied else "0"}


class ApplyService:
    """The handlers, sharing settings and the fallback client."""

    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        self.fallback: Fallback | None = None

    def guarded(self, handler: Handler) -> Handler:
        """Bearer auth (when a token is set) and HTTPProblem -> its response."""
        token = self.settings.token

        async def run(request: Request) -> Response:
            try:
                if token is not None:
                    sent = request.headers.get("authorization", "")
                    scheme, _, given = sent.partition(" ")
                    if scheme.lower() != "bearer" or not hmac.compare_digest(
                            given.strip().encode(), token.encode()):
                        raise HTTPProblem(401, "authentication_error", "invalid_api_key",
                                          "this splice server needs Authorization: Bearer "
                                          "<token> (the --token it was started with).",
                                          headers={"WWW-Authenticate": "Bearer"})
                return await handler(request)
            except HTTPProblem as problem:
                return problem.response

        return run

    async def chat_completions(self, request: Request) -> Response:
        raw = await read_json(request, self.settings.max_body_bytes)
        try:
            chat = wire.ChatRequest.model_validate(raw)
            text = wire.last_user_text(chat)
            parts = wire.parse_apply_message(text)
        except (ValidationError, InvalidRequest) as exc:
            raise _bad_request(exc) from None
        _check_model(chat.model)
        result = await merge_off_loop(parts.code, parts.update, parts.instruction,
                                      parts.head, parts.tail)
        if isinstance(result, Refusal):
            return await self._chat_fallback(raw, chat, result)
        tokens = wire.usage(result.prompt_tokens, result.completion_tokens)
        if chat.stream:
            events = wire.chat_chunks(chat.model, result.text, tokens,
                                      include_usage=chat.wants_usage_chunk())
            return StreamingResponse(_iterate(events), media_type="text/event-stream",
                                     headers=_merged_headers(result))
        return JSONResponse(wire.chat_completion(chat.model, result.text, tokens),
                            headers=_merged_headers(result))

    async def _chat_fallback(self, raw: dict[str, Any], chat: wire.ChatRequest,
                             refusal: Refusal) -> Response:
        if self.fallback is None:
            return _refused(refusal)
        marked = {FALLBACK_HEADER: "1", "x-splice-refused": refusal.code}
        try:
            if not chat.stream:
                upstream = await self.fallback.complete(raw)
                return JSONResponse(upstream.body, status_code=upstream.status, headers=marked)
            response = await self.fallback.stream(raw)
        except FallbackFailed as exc:
            return _fallback_failed(refusal, self.fallback.settings.url, str(exc))
        return StreamingResponse(response.aiter_raw(), status_code=response.status_code,
                                 media_type=response.headers.get("content-type"),
                                 headers=marked, background=BackgroundTask(response.aclose))

    async def code_apply(self, request: Request) -> Response:
        raw = await read_json(request, self.settings.max_body_bytes)
        try:
            body = wire.RelaceRequest.model_validate(raw)
        except ValidationError as exc:
            raise _bad_request(exc) from None
        if body.stream:
            raise _bad_request("stream: true is not offered on /v1/code/apply; send "
                               "stream: false (a local merge answers in milliseconds), or "
                               "use /v1/chat/completions, which streams.")
        _check_model(body.model)
        # the prompt a hosted model would bill: instruction, file and snippet, a line each
        head = f"{body.instruction}\n" if body.instruction else ""
        tail = f"\n{body.edit_snippet}" if body.edit_snippet else ""
        result = await merge_off_loop(body.initial_code, body.edit_snippet, body.instruction,
                                      head, tail)
        if isinstance(result, Merged):
            tokens = wire.usage(result.prompt_tokens, result.completion_tokens)
            return JSONResponse(wire.relace_result(result.text, tokens),
                                headers=_merged_headers(result))
        if self.fallback is None:
            return _refused(result)
        message = morph_message(body.initial_code, body.edit_snippet, body.instruction)
        forwarded = {"model": body.model, "messages": [{"role": "user", "content": message}]}
        try:
            upstream = await self.fallback.complete(forwarded)
            if upstream.status != 200:
                raise FallbackFailed(f"HTTP {upstream.status}: {json.dumps(upstream.body)[:500]}")
            merged = merged_code(upstream)
        except FallbackFailed as exc:
            return _fallback_failed(result, self.fallback.settings.url, str(exc))
        tokens = upstream.body.get("usage") or wire.usage(0, 0)
        return JSONResponse(wire.relace_result(merged, tokens),
                            headers={FALLBACK_HEADER: "1", "x-splice-refused": result.code})

    async def models(self, request: Request) -> Response:
        return JSONResponse(wire.models_list(MODELS))


async def _iterate(events: list[bytes]) -> AsyncIterator[bytes]:
    for event in events:
        yield event


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok", "service": "splice serve", "version": __version__})


def build_app(settings: ServeSettings | None = None) -> Starlette:
    """The ASGI app; `splice serve` runs it under uvicorn, tests may too."""
    service = ApplyService(settings or ServeSettings())

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if service.settings.fallback is not None:
            service.fallback = Fallback(service.settings.fallback)
        try:
            yield
        finally:
            if service.fallback is not None:
                await service.fallback.aclose()

    routes = [
        Route("/v1/chat/completions", service.guarded(service.chat_completions),
              methods=["POST"]),
        Route("/v1/code/apply", service.guarded(service.code_apply), methods=["POST"]),
        Route("/v1/models", service.guarded(service.models), methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
