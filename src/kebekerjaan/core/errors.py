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


# errno -> what to tell staff (the path is named by the caller).
_ERRNO_HELP = {
    "ENOSPC": ("ruang disk penuh", "Kosongkan ruang disk (hapus berkas yang tidak perlu) lalu "
                                   "jalankan lagi"),
    "EDQUOT": ("kuota disk habis", "Kosongkan ruang atau minta kuota tambahan, lalu jalankan lagi"),
    "EROFS": ("folder hanya-baca", "Pindahkan folder kerja ke disk yang bisa ditulis, atau buka "
                                   "proteksi tulisnya"),
    "EACCES": ("tidak ada izin menulis/membaca", "Periksa izin folder (klik kanan > Properties > "
                                                 "Security, atau chmod) atau jalankan sebagai "
                                                 "pengguna pemilik folder"),
    "EPERM": ("operasi tidak diizinkan", "Periksa izin folder atau jalankan sebagai pengguna "
                                         "pemilik folder"),
    "ENOENT": ("folder atau berkas tidak ada", "Periksa apakah folder kerja masih ada dan benar"),
    "EIO": ("galat baca/tulis disk", "Periksa disk atau flashdisk, lalu jalankan lagi"),
}
_SQLITE_HELP = (
    ("disk is full", "ENOSPC"), ("readonly database", "EROFS"), ("unable to open database", "EACCES"),
    ("disk i/o error", "EIO"),
)


class StorageError(KebekerjaanError):
    """The disk or folder refused a read or write: full, read-only, no permission."""

    @classmethod
    def from_os_error(cls, exc: BaseException, path=None, before: str = "") -> StorageError:
        return cls(describe_storage_error(exc, path, before))


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


def describe_storage_error(exc: BaseException, path=None, before: str = "") -> str:
    name = storage_problem(exc)
    # A full disk is about where we were writing; a refusal names the file refused.
    given = getattr(exc, "filename", None)
    where = (path or given) if name in ("ENOSPC", "EDQUOT") else (given or path)
    what, todo = _ERRNO_HELP.get(name, ("galat penyimpanan", "Periksa disk dan izin folder"))
    lead = f"{before[0].upper()}{before[1:]}: " if before else ""
    place = f" pada {where}" if where else ""
    return f"{lead}{what}{place}. {todo}."


class EntryError(KebekerjaanError):
    """A form entry that cannot be saved; `problems` pairs each problem with its field.

    The field is a form field name (e.g. "status", "deadline") or None for a problem of
    the entry as a whole, so a form can show each message next to its input.
    """

    def __init__(self, summary: str, problems: list[tuple[str | None, str]]):
        self.problems = list(problems)
        super().__init__(f"{summary}: " + "; ".join(m for _, m in self.problems) + ".")
