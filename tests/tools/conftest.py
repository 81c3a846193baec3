"""The MCP tests' small repository, for the tools' tests too."""

from tests.mcp.conftest import fixture_repo  # noqa: F401
