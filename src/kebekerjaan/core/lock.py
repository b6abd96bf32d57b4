"""One writer at a time per workspace: the lock `data/.kebekerjaan.lock`.

The lock itself is the operating system's advisory lock on that file (fcntl.flock,
msvcrt.locking on Windows), which the OS drops the moment its holder dies, so a lock left
by a killed process can never block anyone; the file's text names the holder (run id, pid,
host, since) for the message a waiting run shows, and a text naming a holder whose lock is
free is reported as a stale lock and cleared.

A second, finer lock `data/.kebekerjaan.simpan.lock` (`saves_lock`) orders staff form saves
against putting the store back: a save holds it shared from before its commit until its
journal line is written (journal.py), a restore holds it exclusive from the copy back until
the journal is read and its run's files are gone (recovery.py). Saves never wait for a run,
only for a restore in progress, and no save can commit between the copy back and the
reading of the journal, where it would be lost.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from kebekerjaan.core.config import load_settings
from kebekerjaan.core.errors import KebekerjaanError, StorageError

LOCK_NAME = ".kebekerjaan.lock"
SAVES_LOCK_NAME = ".kebekerjaan.simpan.lock"
# Set by the runner for its step kernels: the run that holds the workspace lock.
RUN_ENV = "KEBEKERJAAN_RUN_ID"


class WorkspaceBusy(KebekerjaanError):
    """Another process holds the workspace lock for longer than we were willing to wait."""


def now_iso() -> str:
    return datetime.now().isoformat(timespec="seconds")


def say_stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _alive(pid: int) -> bool:
    """Whether process `pid` still runs on this computer, through psutil on every platform.

    Never `os.kill(pid, 0)`: on Windows signal 0 is CTRL_C_EVENT, which either raises (a
    stale lock then looks alive forever) or interrupts the console. A zombie (ended, not yet
    reaped) is not alive; a process we may not inspect (another user's) is.
    """
    if pid <= 0:
        return False
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def _describe(holder: dict) -> str:
    since = holder.get("since", "?")
    with suppress(ValueError, TypeError):
        since = datetime.fromisoformat(since).strftime("%d-%m-%Y %H:%M:%S")
    what = f"proses {holder['run_id']}" if holder.get("run_id") else "sebuah proses"
    return (f"{what} (pid {holder.get('pid', '?')} di komputer {holder.get('host', '?')}, "
            f"{holder.get('what', 'menulis')}) sejak {since}")


class WorkspaceLock:
    """The OS lock on data/.kebekerjaan.lock, with its holder's description in the file."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / LOCK_NAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def holder(self) -> dict:
        """Who the lock file names (empty when nobody holds it cleanly)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return {}
        try:
            return json.loads(text) if text.strip() else {}
        except ValueError:
            return {}

    def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StorageError.from_os_error(exc, self.path) from exc
        if _os_lock(fd):
            self._fd = fd
            return True
        os.close(fd)
        return False

    def acquire(self, holder: dict, wait_seconds: float, say: Callable[[str], None]) -> list[str]:
        """Take the lock, waiting up to `wait_seconds`; returns notes (a stale lock cleared)."""
        deadline = time.monotonic() + max(0.0, wait_seconds)
        told = False
        while not self.try_acquire():
            other = self.holder()
            if time.monotonic() >= deadline:
                raise WorkspaceBusy(
                    f"Folder kerja {self.path.parent.parent} sedang dipakai oleh {_describe(other)}. "
                    f"Sudah ditunggu {wait_seconds:.0f} detik; proses ini berhenti tanpa mengubah "
                    "apa pun. Jalankan lagi setelah proses itu selesai (atau perbesar "
                    "[run] lock_wait_seconds di kebekerjaan.toml)."
                )
            if not told:
                say(f"Menunggu: folder kerja sedang dipakai oleh {_describe(other)}; "
                    f"ditunggu paling lama {wait_seconds:.0f} detik...")
                told = True
            time.sleep(min(0.5, max(0.05, deadline - time.monotonic())))
        notes = []
        previous = self.holder()
        if previous:
            # The OS gave us the lock, so whoever the file names no longer holds it.
            gone = previous.get("host") != socket.gethostname() or not _alive(int(previous.get("pid", 0)))
            notes.append(
                f"Kunci lama folder kerja dari {_describe(previous)} tidak aktif lagi "
                f"({'proses itu sudah berhenti' if gone else 'kunci dilepas tanpa dibersihkan'}); "
                "kunci dibersihkan."
            )
        self.write(holder)
        return notes

    def write(self, holder: dict) -> None:
        assert self._fd is not None
        data = json.dumps(holder, ensure_ascii=False).encode("utf-8")
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, data, 0) if hasattr(os, "pwrite") else _seek_write(self._fd, data)
        os.fsync(self._fd)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)  # a clean release leaves no holder named
        except OSError:
            pass
        _os_unlock(fd)
        os.close(fd)


def _seek_write(fd: int, data: bytes) -> None:  # pragma: no cover - Windows
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    _REGION = 1 << 30  # lock a byte far past the holder text, which stays readable

    def _os_lock(fd: int) -> bool:
        os.lseek(fd, _REGION, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _os_unlock(fd: int) -> None:
        os.lseek(fd, _REGION, os.SEEK_SET)
        with suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    def _os_wait_lock(fd: int, exclusive: bool) -> None:
        # msvcrt has no shared lock: saves queue behind each other too, as SQLite makes them.
        while not _os_lock(fd):
            time.sleep(0.05)
else:
    import fcntl

    def _os_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
        except OSError as exc:  # a file system without locks (some network shares)
            raise StorageError(
                f"Folder kerja tidak mendukung penguncian berkas ({exc.strerror}); pindahkan "
                "folder kerja ke disk lokal."
            ) from exc

    def _os_unlock(fd: int) -> None:
        with suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)

    def _os_wait_lock(fd: int, exclusive: bool) -> None:
        with suppress(OSError):  # no locks on this file system: the workspace lock says so
            fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)


@contextmanager
def saves_lock(data_dir: Path, *, exclusive: bool):
    """Held shared by a form save, exclusive by a restore (see the module docstring)."""
    path = Path(data_dir) / SAVES_LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StorageError.from_os_error(exc, path) from exc
    try:
        _os_wait_lock(fd, exclusive)
        yield
    finally:
        _os_unlock(fd)
        os.close(fd)


# Runs this process holds, by workspace root (the RunGuard of recovery.py).
HELD: dict[str, object] = {}


def holds(ws) -> bool:
    """This process (or the run that started this kernel) already holds the workspace lock."""
    if str(ws.root) in HELD:
        return True
    run_id = os.environ.get(RUN_ENV)
    if not run_id:
        return False
    holder = WorkspaceLock(ws.data).holder()
    pid = int(holder.get("pid") or 0)
    return holder.get("run_id") == run_id and pid > 0 and _alive(pid)


def configured_wait(ws) -> float:
    """`[run] lock_wait_seconds`; the packaged default while kebekerjaan.toml is broken
    (the step then reports the broken file itself)."""
    try:
        return float(ws.settings().run.lock_wait_seconds)
    except KebekerjaanError:
        return float(load_settings(None).run.lock_wait_seconds)


def run_env(run_id: str) -> dict[str, Any]:
    return {RUN_ENV: run_id}
