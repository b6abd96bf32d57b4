"""Messages that reach staff through any console: a Windows console, a scheduled task's log
file written in cp1252, a plain ASCII pipe.

Python writes to a redirected stream in the locale's encoding (cp1252 on an Indonesian or
English Windows) and fails on the first character it cannot encode (`→`, `—`, `·`), after
the work is done. `safe_streams()` keeps each stream's encoding and writes what it cannot
encode as its nearest plain text (`->`, `-`, `e` for `é`) or `?`, so a message is never lost
and never kills the command.
"""

from __future__ import annotations

import codecs
import io
import sys
import unicodedata

ERRORS = "kebekerjaan-ascii"

# What the messages use beyond ASCII, written as staff would type it.
_PLAIN = {
    "→": "->", "←": "<-", "↔": "<->", "⇒": "=>", "—": "-", "–": "-", "−": "-", "·": "-",
    "•": "*", "…": "...", "×": "x", "≥": ">=", "≤": "<=", "≠": "!=", "±": "+/-",
    "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": ",", "«": '"', "»": '"',
    "✓": "v", "✔": "v", "✗": "x", "✘": "x", "█": "#", "▏": "|", "▕": "|",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ",
}


def plain(char: str) -> str:
    """The nearest plain (ASCII) text for one character: a known sign, the letter without
    its accent, or `?`."""
    if char in _PLAIN:
        return _PLAIN[char]
    base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
    return base or "?"


def _replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = exc.object[exc.start:exc.end]
    out = []
    for char in text:
        # A replacement may still be unencodable in an exotic codec: then a question mark.
        candidate = plain(char)
        try:
            candidate.encode(exc.encoding)
        except (UnicodeEncodeError, LookupError):
            candidate = "?"
        out.append(candidate)
    return "".join(out), exc.end


codecs.register_error(ERRORS, _replace)


def _is_utf(encoding: str | None) -> bool:
    try:
        return codecs.lookup(encoding or "ascii").name.startswith("utf")
    except LookupError:
        return False


def make_safe(stream) -> None:
    """Let `stream` (a text stream) write any text: unencodable characters become their
    plain form. Streams that are not text files (a notebook's, a test's) are left alone."""
    if isinstance(stream, io.TextIOWrapper) and not _is_utf(stream.encoding):
        try:
            stream.reconfigure(errors=ERRORS)
        except (ValueError, OSError):  # closed or detached: nothing will be written there
            pass


def safe_streams() -> None:
    """Standard output and error of this process, made safe (see the module docstring)."""
    for stream in (sys.stdout, sys.stderr):
        make_safe(stream)
