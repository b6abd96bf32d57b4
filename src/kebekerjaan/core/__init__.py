"""The machinery every step stands on: settings, the workspace and its SQLite store, run
folders, the workspace lock and all-or-nothing runs, step kernels and the runner.

Nothing here knows a survey rule; everything above imports from here, never the reverse.
"""
