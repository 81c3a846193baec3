"""Model providers: Anthropic (official SDK), OpenAI-compatible (httpx), Scripted (core)."""
