"""splice: search, compact and apply workers that keep a coding agent's context small."""

__version__ = "0.1.0"
