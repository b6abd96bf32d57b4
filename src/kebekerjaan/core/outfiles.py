"""Output files written whole, and never lost to a file staff have open.

Every file for staff (workbooks, CSV lists, wa.me pages, messages, posters, the report) is
written under a temporary name beside its place and then moved there, so nobody ever opens
half a file. On Windows a file open in Excel cannot be replaced: the new one is then put
beside it as `<name> (baru).xlsx` (`(baru 2)`, ...), and a note says so; the step goes on.
The notes of this process are collected for the step's record (runs.record_step), which
the run prints and keeps in its manifest.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

_NOTES: list[str] = []
MAX_BESIDE = 50


def beside(path: Path, n: int = 1) -> Path:
    """`laporan.pdf` -> `laporan (baru).pdf`, then `laporan (baru 2).pdf`..."""
    tag = "baru" if n == 1 else f"baru {n}"
    return path.with_name(f"{path.stem} ({tag}){path.suffix}")


def temporary(path: Path) -> Path:
    """Where `path` is written before it is put in place (same folder: a rename, not a copy)."""
    return path.with_name(path.name + ".tmp")


def put_in_place(tmp: Path, path: Path) -> Path:
    """Move the finished file `tmp` to `path`, or beside it when `path` is open elsewhere
    (see the module docstring); returns where it went."""
    tmp, path = Path(tmp), Path(path)
    try:
        os.replace(tmp, path)
        return path
    except PermissionError as refused:
        if not path.exists():  # no file in the way: the folder itself refuses, say that
            _discard(tmp)
            raise
        for n in range(1, MAX_BESIDE + 1):
            other = beside(path, n)
            try:
                os.replace(tmp, other)
            except PermissionError:
                continue  # that one is open too
            note(f"Berkas {path.name} sedang dibuka program lain (mis. Excel) sehingga tidak dapat "
                 f"diganti; berkas baru ditulis sebagai {other.name} di folder yang sama. Tutup "
                 "berkas lama dan pakai yang baru.")
            return other
        _discard(tmp)
        raise refused


def write_with(path: Path, write: Callable[[Path], object]) -> Path:
    """Call `write(tmp)` to write the file at a temporary path, then put it in place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary(path)
    try:
        write(tmp)
    except BaseException:
        _discard(tmp)
        raise
    return put_in_place(tmp, path)


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    return write_with(path, lambda tmp: tmp.write_text(text, encoding=encoding))


def write_bytes(path: Path, data: bytes) -> Path:
    return write_with(path, lambda tmp: tmp.write_bytes(data))


def note(text: str) -> None:
    """Keep `text` for the step's record, and show it now (a notebook shows it under its cell)."""
    _NOTES.append(text)
    print(f"PERHATIAN: {text}", flush=True)


def take_notes() -> list[str]:
    """The notes made since the last call (runs.record_step files them with its step)."""
    out = list(_NOTES)
    _NOTES.clear()
    return out


def _discard(tmp: Path) -> None:
    with suppress(OSError):
        tmp.unlink()
