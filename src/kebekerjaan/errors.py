"""Errors whose message is shown to staff as-is (in Indonesian)."""

from __future__ import annotations


class KebekerjaanError(Exception):
    """A problem the user can fix; the message says what and where, in Indonesian."""


class ConfigError(KebekerjaanError):
    """kebekerjaan.toml is wrong: unknown key, wrong type, bad value."""


class InputFileError(KebekerjaanError):
    """An input file cannot be read as a whole (corrupt, empty, missing column...)."""

    def __init__(self, path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"Berkas '{getattr(path, 'name', path)}' tidak dapat dibaca: {reason}")


class EntryError(KebekerjaanError):
    """A form entry that cannot be saved; `problems` pairs each problem with its field.

    The field is a form field name (e.g. "status", "deadline") or None for a problem of
    the entry as a whole, so a form can show each message next to its input.
    """

    def __init__(self, summary: str, problems: list[tuple[str | None, str]]):
        self.problems = list(problems)
        super().__init__(f"{summary}: " + "; ".join(m for _, m in self.problems) + ".")
