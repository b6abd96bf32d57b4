"""One writer at a time per workspace, and runs that are all or nothing even when killed.

Lock: `data/.kebekerjaan.lock`. The lock itself is the operating system's advisory lock
on that file (fcntl.flock, msvcrt.locking on Windows), which the OS drops the moment its
holder dies, so a lock left by a killed process can never block anyone; the file's text
names the holder (run id, pid, host, since) for the message a waiting run shows, and a
text naming a holder whose lock is free is reported as a stale lock and cleared.

Pre-run copy: before its first write a run copies the store with SQLite's backup API to
`data/.sebelum-proses/<run-id>.sqlite` (a private folder, mode 700) next to a marker
`<run-id>.json`. The run removes both when it ends, either way. A marker found by the next
process that takes the lock is a run that never ended (SIGKILL, power loss): the store is
put back from its copy, that run's manifest says so, and the message is shown.

Form saves during a run (notebooks 02, 06, 07 and the staff app) are never blocked: they
write their own short transaction, and while a run's marker exists they are also journalled
(`<run-id>.formulir.jsonl`); a restore re-applies them, so putting the store back never
loses what staff typed in. Re-applying is idempotent: an entry already in the copy is
skipped.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import os
import socket
import sqlite3
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kebekerjaan.core import store
from kebekerjaan.core.errors import KebekerjaanError, StorageError

LOCK_NAME = ".kebekerjaan.lock"
PRIVATE_DIR = ".sebelum-proses"
# Set by the runner for its step kernels: the run that holds the workspace lock.
RUN_ENV = "KEBEKERJAAN_RUN_ID"
DEFAULT_WAIT = 60.0


class WorkspaceBusy(KebekerjaanError):
    """Another process holds the workspace lock for longer than we were willing to wait."""


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _say_default(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _alive(pid: int) -> bool:
    if pid <= 0:  # os.kill(0, ...) would mean "my process group"
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _describe(holder: dict) -> str:
    since = holder.get("since", "?")
    with suppress(ValueError, TypeError):
        since = datetime.fromisoformat(since).strftime("%d-%m-%Y %H:%M:%S")
    what = f"proses {holder['run_id']}" if holder.get("run_id") else "sebuah proses"
    return (f"{what} (pid {holder.get('pid', '?')} di komputer {holder.get('host', '?')}, "
            f"{holder.get('what', 'menulis')}) sejak {since}")


# --- the lock -------------------------------------------------------------------------------


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


# --- the pre-run copy and the unfinished-run marker -----------------------------------------


def private_dir(data_dir: Path) -> Path:
    return Path(data_dir) / PRIVATE_DIR


def _make_private(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with suppress(OSError):
        os.chmod(folder, 0o700)
    return folder


@dataclass
class Recovery:
    run_id: str
    manifest: Path | None
    replayed: list[str] = field(default_factory=list)

    restored: bool = True  # False: killed while copying, before any write

    def message(self) -> str:
        what = ("basis data dikembalikan ke keadaan sebelum proses itu" if self.restored
                else "proses itu berhenti sebelum menulis apa pun; basis data tetap")
        text = f"Proses {self.run_id} tidak selesai (dihentikan paksa atau listrik padam): {what}."
        if self.replayed:
            text += f" {len(self.replayed)} isian formulir petugas selama proses itu diterapkan ulang."
        if self.manifest:
            text += f" Dicatat di {self.manifest}."
        return text


class RunGuard:
    """The workspace lock for one run, its pre-run copy, and putting the store back."""

    def __init__(self, ws, *, what: str = "menjalankan proses", wait_seconds: float | None = None,
                 say: Callable[[str], None] = _say_default):
        self.ws = ws
        self.what = what
        self.say = say
        self.wait_seconds = _wait_seconds(ws) if wait_seconds is None else wait_seconds
        self.lock = WorkspaceLock(ws.data)
        self.run_id: str | None = None
        self.notes: list[str] = []
        self.recovered: list[Recovery] = []
        self._marker: Path | None = None
        self._copy: Path | None = None

    # lock ---------------------------------------------------------------------------
    def __enter__(self) -> RunGuard:
        self.notes += self.lock.acquire(self._holder(), self.wait_seconds, self.say)
        _HELD[str(self.ws.root)] = self
        try:
            self.recovered = recover_unfinished(self.ws, _locked=True)
        except BaseException:
            self._release()
            raise
        for rec in self.recovered:
            self.notes.append(rec.message())
        for note in self.notes:
            self.say(note)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if self._marker is not None:  # ended without finish(): put the store back
                self.rollback()
        finally:
            self._release()

    def _release(self) -> None:
        _HELD.pop(str(self.ws.root), None)
        self.lock.release()

    def _holder(self) -> dict:
        return {"run_id": self.run_id, "pid": os.getpid(), "host": socket.gethostname(),
                "since": _now(), "what": self.what}

    # run ----------------------------------------------------------------------------
    def begin(self, run_id: str, manifest: Path | None = None) -> None:
        """Name the run in the lock, mark it unfinished and copy the store."""
        self.run_id = run_id
        self.lock.write(self._holder())
        folder = _make_private(private_dir(self.ws.data))
        marker = folder / f"{run_id}.json"
        copy = folder / f"{run_id}.sqlite"
        try:
            # A store that does not exist yet is created (empty, migrated) first, so the
            # copy always exists and a restore is always "copy back".
            store.connect(self.ws.store_path).close()
            _write_json(marker, {"run_id": run_id, "pid": os.getpid(), "host": socket.gethostname(),
                                 "started_at": _now(), "copy": copy.name,
                                 "manifest": str(manifest) if manifest else None})
            self._marker = marker
            # Copied under a temporary name: `<run-id>.sqlite` exists only once complete, so a
            # run killed while copying (nothing written yet) is never "restored" from half a copy.
            snapshot(self.ws.store_path, _partial(copy))
            os.replace(_partial(copy), copy)
            self._copy = copy
        except BaseException as exc:
            for path in (copy, _partial(copy), marker, _journal(marker)):
                with suppress(OSError):
                    path.unlink(missing_ok=True)
            self._marker = self._copy = None
            if isinstance(exc, (OSError, sqlite3.Error)):
                raise StorageError.from_os_error(exc, folder, before="salinan basis data sebelum "
                                                 "proses tidak dapat dibuat; basis data tidak "
                                                 "diubah") from exc
            raise

    def finish(self) -> None:
        """The run ended as it should: drop the copy and the marker."""
        if self._marker is None:
            return
        marker, self._marker = self._marker, None
        _remove_run_files(marker)

    def rollback(self) -> list[str]:
        """Put the store back as it was before begin(), re-apply form saves; drop the copy."""
        if self._marker is None:
            return []
        marker = self._marker
        replayed = _restore_from(self.ws, marker)
        self._marker = None
        _remove_run_files(marker)
        return replayed


_HELD: dict[str, RunGuard] = {}


def holds(ws) -> bool:
    """This process (or the run that started this kernel) already holds the workspace lock."""
    if str(ws.root) in _HELD:
        return True
    run_id = os.environ.get(RUN_ENV)
    if not run_id:
        return False
    holder = WorkspaceLock(ws.data).holder()
    pid = int(holder.get("pid") or 0)
    return holder.get("run_id") == run_id and pid > 0 and _alive(pid)


def _wait_seconds(ws) -> float:
    try:
        return float(ws.settings().raw.get("run", {}).get("lock_wait_seconds", DEFAULT_WAIT))
    except KebekerjaanError:
        return DEFAULT_WAIT


def step_writer(what: str):
    """Decorate a step function `f(ws, run_dir, ...)` that writes the store.

    Called by the runner's kernel, it runs as is (the run holds the lock and has its copy).
    Called alone (a notebook run by hand, a script), it takes the lock, copies the store and
    puts it back if the step fails, just like a run of that one step.
    """

    def wrap(func):
        @functools.wraps(func)
        def inner(ws, run_dir, *args, **kwargs):
            if holds(ws):
                return func(ws, run_dir, *args, **kwargs)
            with RunGuard(ws, what=what) as guard:
                guard.begin(Path(run_dir).name, Path(run_dir) / "manifest.json")
                result = func(ws, run_dir, *args, **kwargs)
                guard.finish()
                return result

        return inner

    return wrap


def snapshot(store_path: Path, dest: Path) -> Path:
    """Copy the store consistently, as cheaply as the disk allows.

    A file copy of the store and its WAL while holding the store's write lock: no commit
    can happen meanwhile (a form save waits, within its busy timeout), readers go on, and
    the pair copied is exactly the committed store. About 4x faster than SQLite's backup
    API (scripts/bench_snapshot.py), which matters for a 1 GB store on every run. The copy
    is then folded into one file.
    """
    import shutil

    store_path, dest = Path(store_path), Path(dest)
    wal_copy = Path(f"{dest}-wal")
    for path in (dest, wal_copy, Path(f"{dest}-shm")):
        path.unlink(missing_ok=True)
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # private from the start
    os.close(fd)
    live = sqlite3.connect(store_path, isolation_level=None, timeout=store.BUSY_TIMEOUT_S)
    try:
        live.execute("BEGIN IMMEDIATE")  # the write lock: nothing commits while we copy
        try:
            shutil.copyfile(store_path, dest)
            wal = Path(f"{store_path}-wal")
            if wal.exists():
                fd = os.open(wal_copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                os.close(fd)
                shutil.copyfile(wal, wal_copy)
        finally:
            live.execute("ROLLBACK")
    finally:
        live.close()
    copy = sqlite3.connect(dest, isolation_level=None)
    try:
        copy.execute("PRAGMA journal_mode = DELETE")  # folds the copied WAL in: one file
    finally:
        copy.close()
    for path in (wal_copy, Path(f"{dest}-shm")):
        path.unlink(missing_ok=True)
    return dest


def _read_marker(marker: Path) -> dict:
    try:
        return json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # unreadable: the names follow from the marker's own
        return {"run_id": marker.stem, "copy": f"{marker.stem}.sqlite"}


def _restore_from(ws, marker: Path) -> list[str]:
    info = _read_marker(marker)
    copy = marker.with_name(info.get("copy") or f"{info['run_id']}.sqlite")
    if not copy.exists():
        # The copy was never finished (the run died while copying): nothing was written yet.
        return []
    try:
        _copy_back(copy, ws.store_path)
    except (OSError, sqlite3.Error) as exc:
        raise StorageError.from_os_error(
            exc, ws.store_path, before="basis data belum dapat dikembalikan ke keadaan sebelum "
            f"proses {info['run_id']} (salinannya tetap disimpan dan dicoba lagi pada proses "
            "berikut)") from exc
    return replay_form_saves(ws, _journal(marker))


def _copy_back(copy: Path, store_path: Path) -> None:
    """Write the copy's pages into the live store through SQLite (safe while a form has the
    store open; a killed run's half transaction in the WAL is discarded at open)."""
    try:
        src = sqlite3.connect(copy)
        dst = sqlite3.connect(store_path, timeout=60)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    except sqlite3.DatabaseError as exc:
        if "malformed" not in str(exc) and "not a database" not in str(exc):
            raise
        # The live store itself is damaged: replace the file.
        for suffix in ("-journal", "-wal", "-shm"):
            Path(f"{store_path}{suffix}").unlink(missing_ok=True)
        import shutil

        shutil.copyfile(copy, store_path)


def _partial(copy: Path) -> Path:
    return copy.with_name(copy.name + ".part")


def _remove_run_files(marker: Path) -> None:
    copy = marker.with_suffix(".sqlite")
    part = _partial(copy)
    for path in (copy, part, *(Path(f"{f}{x}") for f in (copy, part) for x in ("-wal", "-shm", "-journal")),
                 _journal(marker), marker.with_name(marker.name + ".tmp"), marker):
        with suppress(FileNotFoundError):
            path.unlink()


def _journal(marker: Path) -> Path:
    return marker.with_name(marker.stem + ".formulir.jsonl")


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def unfinished_runs(ws) -> list[Path]:
    folder = private_dir(ws.data)
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.json"))


def recover_unfinished(ws, *, _locked: bool = False) -> list[Recovery]:
    """Put the store back for every run that never ended; only with the lock held.

    Without the lock (`_locked` False) it tries to take it without waiting; when another
    process holds it, its run is not unfinished, so nothing is done.
    """
    markers = unfinished_runs(ws)
    if not markers:
        return []
    if not _locked:
        if holds(ws):
            return []
        lock = WorkspaceLock(ws.data)
        if not lock.try_acquire():
            return []
        try:
            lock.write({"pid": os.getpid(), "host": socket.gethostname(), "since": _now(),
                        "what": "memulihkan basis data"})
            return recover_unfinished(ws, _locked=True)
        finally:
            lock.release()
    done = []
    # Newest first: each copy is the store before its run, so the oldest one wins last.
    for marker in reversed(markers):
        info = _read_marker(marker)
        restored = marker.with_name(info.get("copy") or f"{info['run_id']}.sqlite").exists()
        replayed = _restore_from(ws, marker)
        manifest = Path(info["manifest"]) if info.get("manifest") else None
        rec = Recovery(info["run_id"], manifest, replayed, restored)
        if manifest is not None:
            _note_in_manifest(manifest, rec)
        _remove_run_files(marker)
        done.append(rec)
    return list(reversed(done))


def _note_in_manifest(path: Path, rec: Recovery) -> None:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {
            "run_id": rec.run_id}
    except ValueError:
        manifest = {"run_id": rec.run_id}
    manifest.update({
        "status": "gagal",
        "store_restored": rec.restored,
        "restored_at": _now(),
        "interrupted": "proses tidak selesai (dihentikan paksa atau listrik padam); basis data "
                       "dikembalikan ke keadaan sebelum proses ini pada awal proses berikutnya",
        "form_saves_reapplied": rec.replayed,
    })
    with suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_json(path, manifest)


# --- form saves during a run ----------------------------------------------------------------

# op name -> "module:function" whose first argument is the workspace.
_FORM_OPS: dict[str, str] = {}


_REPLAY: dict[str, Callable[[dict, Any], dict]] = {}


def form_save(op: str, replay: Callable[[dict, Any], dict] | None = None):
    """Decorate a staff form's save `f(ws, **fields)`: journalled while a run is unfinished.

    `replay(fields, result)` gives the fields to re-apply it with (e.g. the key the first
    save generated, so a save already in the pre-run copy is recognised and skipped).
    """

    def wrap(func):
        _FORM_OPS[op] = f"{func.__module__}:{func.__qualname__}"
        if replay:
            _REPLAY[op] = replay

        signature = inspect.signature(func)

        @functools.wraps(func)
        def inner(ws, *args, **kwargs):
            fields = dict(signature.bind(ws, *args, **kwargs).arguments)
            fields.pop(next(iter(signature.parameters)))
            result = func(ws, *args, **kwargs)
            _journal_save(ws, op, fields, result)
            return result

        inner.__wrapped_save__ = func
        return inner

    return wrap


def _journal_save(ws, op: str, kwargs: dict, result) -> None:
    markers = unfinished_runs(ws)
    if not markers:
        return
    entry = json.dumps({"op": op, "kwargs": kwargs, "result": result, "at": _now()},
                       ensure_ascii=False, default=_encode)
    for marker in markers:
        try:
            with open(_journal(marker), "a", encoding="utf-8") as fh:
                fh.write(entry + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        except OSError:
            pass  # the marker went away meanwhile (the run ended): nothing to re-apply


def _encode(value):
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    if isinstance(value, (set, tuple)):
        return list(value)
    return str(value)


def _decode(value):
    if isinstance(value, dict):
        if set(value) == {"__date__"}:
            return date.fromisoformat(value["__date__"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def replay_form_saves(ws, journal: Path) -> list[str]:
    """Re-apply journalled form saves after a restore; returns what each one did."""
    if not journal.exists():
        return []
    done = []
    for line in journal.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short by the kill: that save never returned either
        module, _, name = _FORM_OPS.get(entry["op"], entry["op"]).partition(":")
        func = getattr(importlib.import_module(module), name)
        func = getattr(func, "__wrapped_save__", func)
        kwargs = _decode(entry["kwargs"])
        if entry["op"] in _REPLAY:
            kwargs = _REPLAY[entry["op"]](kwargs, entry.get("result"))
        try:
            func(ws, **kwargs)
            done.append(f"{entry['op']} ({entry.get('at', '')}): diterapkan ulang")
        except KebekerjaanError as exc:  # already in the copy, or no longer applicable
            done.append(f"{entry['op']} ({entry.get('at', '')}): tidak diterapkan ulang ({exc})")
    return done


def run_env(run_id: str) -> dict[str, Any]:
    return {RUN_ENV: run_id}
