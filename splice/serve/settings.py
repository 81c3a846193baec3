"""What a running `splice serve` is told: auth, size caps, the optional fallback model."""

from __future__ import annotations

from pydantic import BaseModel, Field

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787
# A 128k-token file (the largest hosted apply models take) is about 512 KB of text; the
# JSON envelope escapes it once more. 4 MiB leaves room for both without inviting abuse.
DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024
# How long an idle kept-alive connection stays open. It must outlast the idle time of the
# clients' pools (httpx, hence the openai SDK: 5 s, uvicorn's own default too): a client
# that picks an idle connection just as the server closes it has its request reset (no HTTP
# status at all). With the server's timeout longer, the client always closes first.
KEEP_ALIVE_S = 75
# Model names clients send: Morph's three, and Relace's (its REST body names one too).
MODELS: tuple[str, ...] = ("morph-v3-fast", "morph-v3-large", "auto", "relace-apply-3",
                          "relace-apply-2.5-lite")


class FallbackSettings(BaseModel):
    """An OpenAI-compatible apply model that gets the requests splice refuses."""

    url: str = Field(description="base URL, e.g. https://api.morphllm.com/v1; "
                                 "requests go to {url}/chat/completions")
    model: str | None = Field(None, description="model name to send upstream; None: the "
                                                "model the client asked for")
    api_key: str | None = Field(None, description="sent as Authorization: Bearer upstream")
    timeout_s: float = Field(120.0, gt=0)


class ServeSettings(BaseModel):
    token: str | None = Field(None, description="when set, every /v1 request needs "
                                                "Authorization: Bearer <token>")
    max_body_bytes: int = Field(DEFAULT_MAX_BODY_BYTES, gt=0)
    fallback: FallbackSettings | None = None
