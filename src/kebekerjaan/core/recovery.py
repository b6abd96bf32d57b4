"""Runs that are all or nothing even when killed: the pre-run copy of the store and
putting it back.

Before its first write a run copies the store to `data/.sebelum-proses/<run-id>.sqlite`
(a private folder, mode 700) next to a marker `<run-id>.json`. The run removes both when it
ends, either way. A marker found by the next process that takes the lock (lock.py) is a run
that never ended (SIGKILL, power loss): the store is put back from its copy, that run's
manifest says so, the staff form saves journalled meanwhile are re-applied (journal.py),
and the message is shown.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import sqlite3
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from kebekerjaan.core import publish, store
from kebekerjaan.core.errors import StorageError
from kebekerjaan.core.journal import (
    journal_path,
    make_private,
    private_dir,
    replay_form_saves,
    unfinished_runs,
)
from kebekerjaan.core.lock import HELD, WorkspaceLock, configured_wait, holds, now_iso, say_stderr


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
                 say: Callable[[str], None] = say_stderr):
        self.ws = ws
        self.what = what
        self.say = say
        self.wait_seconds = configured_wait(ws) if wait_seconds is None else wait_seconds
        self.lock = WorkspaceLock(ws.data)
        self.run_id: str | None = None
        self.notes: list[str] = []
        self.recovered: list[Recovery] = []
        self._marker: Path | None = None
        self._copy: Path | None = None

    # lock ---------------------------------------------------------------------------
    def __enter__(self) -> RunGuard:
        self.notes += self.lock.acquire(self._holder(), self.wait_seconds, self.say)
        HELD[str(self.ws.root)] = self
        try:
            self.recovered = recover_unfinished(self.ws, _locked=True)
            settled = publish.settle(self.ws)  # the send lists of a killed run (publish.py)
        except BaseException:
            self._release()
            raise
        for rec in self.recovered:
            self.notes.append(rec.message())
        self.notes += settled
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
        HELD.pop(str(self.ws.root), None)
        self.lock.release()

    def _holder(self) -> dict:
        return {"run_id": self.run_id, "pid": os.getpid(), "host": socket.gethostname(),
                "since": now_iso(), "what": self.what}

    # run ----------------------------------------------------------------------------
    def begin(self, run_id: str, manifest: Path | None = None) -> None:
        """Name the run in the lock, mark it unfinished and copy the store."""
        self.run_id = run_id
        self.lock.write(self._holder())
        folder = make_private(private_dir(self.ws.data))
        marker = folder / f"{run_id}.json"
        copy = folder / f"{run_id}.sqlite"
        try:
            # A store that does not exist yet is created (empty, migrated) first, so the
            # copy always exists and a restore is always "copy back".
            store.connect(self.ws.store_path).close()
            _write_json(marker, {"run_id": run_id, "pid": os.getpid(), "host": socket.gethostname(),
                                 "started_at": now_iso(), "copy": copy.name,
                                 "manifest": str(manifest) if manifest else None})
            self._marker = marker
            # Copied under a temporary name: `<run-id>.sqlite` exists only once complete, so a
            # run killed while copying (nothing written yet) is never "restored" from half a copy.
            snapshot(self.ws.store_path, _partial(copy))
            os.replace(_partial(copy), copy)
            self._copy = copy
        except BaseException as exc:
            for path in (copy, _partial(copy), marker, journal_path(marker)):
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


def step_writer(what: str):
    """Decorate a step function `f(ctx, ...)` (ctx: a core.context.StepContext) that
    writes the store.

    Called by the runner's kernel, it runs as is (the run holds the lock and has its copy).
    Called alone (a notebook run by hand, a script), it takes the lock, copies the store and
    puts it back if the step fails, just like a run of that one step.
    """

    def wrap(func):
        @functools.wraps(func)
        def inner(ctx, *args, **kwargs):
            if holds(ctx.ws):
                return func(ctx, *args, **kwargs)
            with RunGuard(ctx.ws, what=what) as guard:
                guard.begin(ctx.run_dir.name, ctx.run_dir / "manifest.json")
                try:
                    result = func(ctx, *args, **kwargs)
                except BaseException:
                    # its lists go first, then the guard puts the store back (on the way out)
                    publish.discard(ctx.run_dir, f"Langkah '{what}' gagal; basis data "
                                                 "dikembalikan ke keadaan sebelum langkah itu.")
                    raise
                done = publish.commit_step(guard, ctx.run_dir)
                for line in done.problems + done.notes:
                    guard.say(line)
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
    return replay_form_saves(ws, journal_path(marker))


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
                 journal_path(marker), marker.with_name(marker.name + ".tmp"), marker):
        with suppress(FileNotFoundError):
            path.unlink()


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)


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
            lock.write({"pid": os.getpid(), "host": socket.gethostname(), "since": now_iso(),
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
        "restored_at": now_iso(),
        "interrupted": "proses tidak selesai (dihentikan paksa atau listrik padam); basis data "
                       "dikembalikan ke keadaan sebelum proses ini pada awal proses berikutnya",
        "form_saves_reapplied": rec.replayed,
    })
    with suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_json(path, manifest)
