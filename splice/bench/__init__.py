"""Benchmark harness: corpora from real code, and one module per `splice bench` command."""
