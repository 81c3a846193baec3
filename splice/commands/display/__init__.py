"""What the CLI shows people: a run's progress and summary, a trace, the demo repository.

Display code lives with the commands, not in the library (splice.agent stays free of rich
consoles). Imported only by the commands that need it, so `splice --help` stays fast.
"""
