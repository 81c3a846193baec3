"""`splice serve`: Morph- and Relace-compatible apply over HTTP, merged by splice's engine.

    from splice.serve import build_app, ServeSettings
    app = build_app(ServeSettings(token="..."))   # an ASGI app (starlette)
"""

from splice.serve.app import build_app
from splice.serve.settings import (
    DEFAULT_HOST,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_PORT,
    MODELS,
    FallbackSettings,
    ServeSettings,
)

__all__ = ["DEFAULT_HOST", "DEFAULT_MAX_BODY_BYTES", "DEFAULT_PORT", "MODELS",
           "FallbackSettings", "ServeSettings", "build_app"]
