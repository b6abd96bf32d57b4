"""Errors whose message is shown to staff as-is (in Indonesian)."""

from __future__ import annotations


class KebekerjaanError(Exception):
    """A problem the user can fix; the message says what and where, in Indonesian."""

    def _render_traceback_(self) -> list[str]:
        # IPython shows this instead of a traceback: staff in a notebook read the message only.
        return [f"GAGAL: {self}"]


class ConfigError(KebekerjaanError):
    """kebekerjaan.toml is wrong: unknown key, wrong type, bad value."""


class InputFileError(KebekerjaanError):
    """An input file cannot be read as a whole (corrupt, empty, missing column...)."""

    def __init__(self, path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"Berkas '{getattr(path, 'name', path)}' tidak dapat dibaca: {reason}")


# errno -> what to tell staff (the path is named by the caller). CORRUPT is SQLite's own.
_ERRNO_HELP = {
    "ENOSPC": ("ruang disk penuh", "Kosongkan ruang disk (hapus berkas yang tidak perlu) lalu "
                                   "jalankan lagi"),
    "EDQUOT": ("kuota disk habis", "Kosongkan ruang atau minta kuota tambahan, lalu jalankan lagi"),
    "EFBIG": ("berkas melebihi batas ukuran berkas", "Batas ukuran satu berkas terlampaui (4 GB "
                                                     "pada flashdisk FAT32, atau batas 'ulimit -f' "
                                                     "di komputer ini); pindahkan folder kerja ke "
                                                     "disk NTFS/ext4 atau minta batasnya dinaikkan, "
                                                     "lalu jalankan lagi"),
    "EROFS": ("folder hanya-baca", "Pindahkan folder kerja ke disk yang bisa ditulis, atau buka "
                                   "proteksi tulisnya"),
    "EACCES": ("tidak ada izin menulis/membaca", "Periksa izin folder (klik kanan > Properties > "
                                                 "Security, atau chmod) atau jalankan sebagai "
                                                 "pengguna pemilik folder"),
    "EPERM": ("operasi tidak diizinkan", "Periksa izin folder atau jalankan sebagai pengguna "
                                         "pemilik folder"),
    "ENOENT": ("folder atau berkas tidak ada", "Periksa apakah folder kerja masih ada dan benar"),
    "EIO": ("galat baca/tulis disk", "Periksa disk atau flashdisk, lalu jalankan lagi"),
    "CORRUPT": ("basis data rusak", "Kembalikan basis data dari cadangan (mis. salinan di "
                                    "flashdisk), atau kirim berkasnya ke pengembang"),
}
_SQLITE_HELP = (
    ("disk is full", "ENOSPC"), ("readonly database", "EROFS"), ("unable to open database", "EACCES"),
    ("disk i/o error", "EIO"), ("malformed", "CORRUPT"), ("not a database", "CORRUPT"),
)
_FULL = ("ENOSPC", "EDQUOT")
# SQLite says "disk I/O error" for some writes a full disk or a size limit refused: with
# less than this free, it is the disk being full.
_NEARLY_FULL = 1 << 20
_FAT32_LIMIT = (1 << 32) - 1


class StorageError(KebekerjaanError):
    """The disk or folder refused a read or write: full, read-only, no permission."""

    @classmethod
    def from_os_error(cls, exc: BaseException, path=None, before: str = "",
                      needed: int | None = None) -> StorageError:
        return cls(describe_storage_error(exc, path, before, needed=needed))


def storage_problem(exc: BaseException) -> str | None:
    """The errno name of a disk/permission problem behind `exc`, else None."""
    import errno
    import sqlite3

    if isinstance(exc, OSError) and exc.errno is not None:
        name = errno.errorcode.get(exc.errno)
        return name if name in _ERRNO_HELP else None
    if isinstance(exc, sqlite3.Error):
        text = str(exc).lower()
        for needle, name in _SQLITE_HELP:
            if needle in text:
                return name
    return None


def free_space(path) -> int | None:
    """Bytes free on the disk holding `path` (its nearest existing folder), None if unknown."""
    import shutil
    from pathlib import Path

    if path is None:
        return None
    here = Path(path)
    while not here.exists() and here != here.parent:
        here = here.parent
    try:
        return shutil.disk_usage(here).free
    except OSError:
        return None


def _mb(n: int) -> str:
    value = n / 1e6
    return (f"{value:,.1f}" if value < 100 else f"{value:,.0f}").replace(",", "_").replace(
        ".", ",").replace("_", ".") + " MB"


def _at_size_limit(path) -> bool:
    """A file at `path` (or its SQLite journal) at the size limit: ulimit -f, or FAT32."""
    import os

    limit = _FAT32_LIMIT
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
        if soft != resource.RLIM_INFINITY:
            limit = min(limit, soft)
    except (ImportError, OSError, ValueError):  # pragma: no cover - Windows
        pass
    for suffix in ("", "-wal", "-journal"):
        try:
            if os.path.getsize(f"{path}{suffix}") + _NEARLY_FULL >= limit:
                return True
        except OSError:
            continue
    return False


def describe_storage_error(exc: BaseException, path=None, before: str = "",
                           needed: int | None = None) -> str:
    """The problem, where, and what to do, in Indonesian. A full disk also says how much
    is free there and, when `needed` is given, how much the work needs."""
    name = storage_problem(exc)
    given = getattr(exc, "filename", None)
    if name == "EIO":
        where = given or path
        free = free_space(where)
        if free is not None and free < _NEARLY_FULL:
            name = "ENOSPC"
        elif where is not None and _at_size_limit(where):
            name = "EFBIG"
    # A full disk is about where we were writing; a refusal names the file refused.
    where = (path or given) if name in _FULL else (given or path)
    what, todo = _ERRNO_HELP.get(name, ("galat penyimpanan", "Periksa disk dan izin folder"))
    lead = f"{before[0].upper()}{before[1:]}: " if before else ""
    place = f" pada {where}" if where else ""
    if name in _FULL:
        free = free_space(where)
        room = [f"tersisa {_mb(free)}"] if free is not None else []
        if needed:
            room.append(f"dibutuhkan sekitar {_mb(int(needed * 1.2) + 5_000_000)} ruang kosong")
        place += f" ({'; '.join(room)})" if room else ""
    return f"{lead}{what}{place}. {todo}."


class EntryError(KebekerjaanError):
    """A form entry that cannot be saved; `problems` pairs each problem with its field.

    The field is a form field name (e.g. "status", "deadline") or None for a problem of
    the entry as a whole, so a form can show each message next to its input.
    """

    def __init__(self, summary: str, problems: list[tuple[str | None, str]]):
        self.problems = list(problems)
        super().__init__(f"{summary}: " + "; ".join(m for _, m in self.problems) + ".")
