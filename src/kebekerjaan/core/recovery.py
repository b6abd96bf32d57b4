"""Runs that are all or nothing even when killed: the pre-run copy of the store, checked
before it is ever put back.

Before its first write a run copies the store to `data/.sebelum-proses/<run-id>.sqlite`
(a private folder, mode 700) next to a marker `<run-id>.json`. The copy is taken under a
temporary name and renamed once complete, after the marker records what the copy must be:
its size and its content state (store.content_state: schema, generation token, rows and
highest rowid per table). A background thread then makes the copy durable and adds its
SHA-256 and the result of PRAGMA integrity_check to the marker, while the run goes on
(measured in scripts/bench_snapshot.py: both together cost several times the copy itself).
The run removes copy and marker when it ends, either way.

A marker found by the next process that takes the lock (lock.py) is a run that never ended
(SIGKILL, power loss). Its copy is verified first (size, SHA-256 when recorded, integrity
check unless the recorded one still holds, content state); then, with the saves lock held
exclusive (lock.saves_lock):

- no complete copy: the run died while copying, before any write; the store stays;
- a copy that verifies: it is written back into the store, the staff form saves journalled
  meanwhile are re-applied (journal.py), the saves that cannot be are kept and named;
- a copy that fails verification is never put back. If the live store passes its integrity
  check it is kept as it is (with whatever the run committed) and the bad copy is moved to
  `data/.sebelum-proses/rusak/`; if the live store is damaged too, nothing is touched, both
  files are named and no run starts until staff put a good store back.

That run's manifest says what was done and the message is shown. Restoring is idempotent:
a kill while restoring leaves the marker, and the next start does it all again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from kebekerjaan.core import journal, publish, store
from kebekerjaan.core.errors import KebekerjaanError, StorageError, storage_problem
from kebekerjaan.core.faults import fault_point
from kebekerjaan.core.journal import journal_path, make_private, private_dir, unfinished_runs
from kebekerjaan.core.lock import (
    HELD,
    WorkspaceLock,
    configured_wait,
    holds,
    now_iso,
    saves_lock,
    say_stderr,
)

RESTORED, NOT_STARTED, COPY_REFUSED = "dikembalikan", "belum_menulis", "salinan_rusak"
REFUSED_DIR = "rusak"  # under the private folder: copies that failed verification


@dataclass
class Recovery:
    """What was done about one run that did not end well."""

    run_id: str
    manifest: Path | None
    outcome: str = RESTORED
    replayed: list[str] = field(default_factory=list)  # one line per journalled save
    applied: int = 0
    kept: list[str] = field(default_factory=list)  # saves not re-applied, described
    kept_file: Path | None = None
    copy_problem: str | None = None
    kept_copy: Path | None = None
    store_path: Path | None = None

    @property
    def restored(self) -> bool:
        return self.outcome == RESTORED

    def message(self) -> str:
        return (f"Proses {self.run_id} tidak selesai (dihentikan paksa atau listrik padam): "
                f"{self.summary(this=False)}"
                + (f" Dicatat di {self.manifest}." if self.manifest else ""))

    def summary(self, *, this: bool = True) -> str:
        run = "proses ini" if this else "proses itu"
        if self.outcome == NOT_STARTED:
            return f"{run} berhenti sebelum menulis apa pun; basis data tetap."
        if self.outcome == COPY_REFUSED:
            return (f"salinan basis data sebelum {run} rusak ({self.copy_problem}), jadi TIDAK "
                    f"dipakai untuk memulihkan. Basis data {self.store_path} utuh dan dipakai apa "
                    f"adanya: isinya termasuk bagian {run} yang sudah tersimpan, dan isian "
                    "petugas tetap ada; jalankan prosesnya lagi untuk melengkapi. Salinan yang "
                    f"rusak disimpan di {self.kept_copy} untuk diperiksa (boleh dihapus).")
        text = f"basis data dikembalikan ke keadaan sebelum {run}."
        if self.applied:
            text += f" {self.applied} isian formulir petugas selama {run} diterapkan ulang."
        if self.kept:
            text += (f" {len(self.kept)} isian formulir petugas TIDAK dapat diterapkan ulang; "
                     f"isiannya disimpan di {self.kept_file}: " + "; ".join(self.kept) + ".")
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
        self._checker: _CopyChecker | None = None

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
                try:
                    self.rollback()
                except KebekerjaanError as failed:
                    # say both: why the run stopped, and that the store is not back yet
                    if exc is None:
                        raise
                    why = str(exc) if isinstance(exc, KebekerjaanError) else (
                        f"proses berhenti karena galat ({type(exc).__name__})")
                    raise StorageError(f"{why}\n{failed} Basis data dikembalikan otomatis pada "
                                       "awal proses berikutnya, setelah masalah itu diatasi."
                                       ) from exc
        finally:
            self._release()

    def _release(self) -> None:
        self._stop_checker()
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
        part = _partial(copy)
        try:
            # A store that does not exist yet is created (empty, migrated) first, so the
            # copy always exists and a restore is always "copy back".
            store.connect(self.ws.store_path).close()
            info = {"run_id": run_id, "pid": os.getpid(), "host": socket.gethostname(),
                    "started_at": now_iso(), "copy": copy.name,
                    "manifest": str(manifest) if manifest else None}
            _write_json(marker, info)
            self._marker = marker
            fault_point("copy-begun")
            snapshot(self.ws.store_path, part)
            # What the copy must be, recorded before it gets its name: a copy under its own
            # name always has its facts in the marker.
            info["facts"] = copy_facts(part)
            _write_json(marker, info)
            os.replace(part, copy)
            _fsync_dir(folder)
            self._copy = copy
            fault_point("copy-complete")
        except BaseException as exc:
            for path in (copy, part, marker, journal_path(marker)):
                with suppress(OSError):
                    path.unlink(missing_ok=True)
            self._marker = self._copy = None
            if isinstance(exc, (OSError, sqlite3.Error)):
                raise StorageError.from_os_error(
                    exc, folder, before="salinan basis data sebelum proses tidak dapat dibuat; "
                    "basis data tidak diubah", needed=space_needed(self.ws)) from exc
            raise
        self._checker = _CopyChecker(marker, copy, info)
        self._checker.start()

    def finish(self) -> None:
        """The run ended as it should: drop the copy and the marker."""
        if self._marker is None:
            return
        self._stop_checker()
        marker, self._marker = self._marker, None
        _remove_run_files(marker)

    def rollback(self) -> Recovery | None:
        """Put the store back as it was before begin() (when its copy verifies), re-apply
        form saves; drop the copy. None when there was nothing to put back."""
        if self._marker is None:
            return None
        self._stop_checker()  # its facts are in the marker, or the copy is checked in full
        marker, self._marker = self._marker, None  # on failure the next start tries again
        (rec,) = _recover(self.ws, [marker], note_manifests=False)
        return rec

    def _stop_checker(self) -> None:
        checker, self._checker = self._checker, None
        if checker is not None:
            checker.stop()


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


# --- the copy -------------------------------------------------------------------------------


def snapshot(store_path: Path, dest: Path) -> Path:
    """Copy the store consistently, as cheaply as the disk allows.

    A file copy of the store and its WAL while holding the store's write lock: no commit
    can happen meanwhile (a form save waits, within its busy timeout), readers go on, and
    the pair copied is exactly the committed store. About 4x faster than SQLite's backup
    API (scripts/bench_snapshot.py), which matters for a 1 GB store on every run. The copy
    is then folded into one file.
    """
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
    fault_point("copy-written")
    copy = sqlite3.connect(dest, isolation_level=None)
    try:
        copy.execute("PRAGMA journal_mode = DELETE")  # folds the copied WAL in: one file
    finally:
        copy.close()
    for path in (wal_copy, Path(f"{dest}-shm")):
        path.unlink(missing_ok=True)
    return dest


def _read_only(path: Path) -> sqlite3.Connection:
    """A connection that can change nothing, not even a journal next to the file."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                           isolation_level=None)


def copy_facts(copy: Path) -> dict:
    """What a copy is when taken (cheap: no pass over the file)."""
    con = _read_only(copy)
    try:
        state = store.content_state(con)
    finally:
        con.close()
    return {"size": Path(copy).stat().st_size, "state": state, "taken_at": now_iso()}


def integrity(path: Path, *, live: bool = False) -> str:
    """PRAGMA integrity_check of a store: "ok", or its first findings."""
    try:
        con = (sqlite3.connect(path, timeout=store.BUSY_TIMEOUT_S) if live else _read_only(path))
        try:
            rows = [r[0] for r in con.execute("PRAGMA integrity_check(5)")]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        if storage_problem(exc) and storage_problem(exc) != "CORRUPT":
            raise
        return f"tidak dapat dibaca sebagai basis data: {exc}"
    return "ok" if rows == ["ok"] else "; ".join(rows)


def _sha256(path: Path, stop: threading.Event | None = None) -> str | None:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            if stop is not None and stop.is_set():
                return None
            digest.update(chunk)
    return digest.hexdigest()


class _CopyChecker(threading.Thread):
    """Make the copy durable and add its SHA-256 and integrity check to the marker, while
    the run works (each a full pass over the copy). A run that ends first stops it; a run
    killed first leaves a marker without them, and the restore checks the copy in full."""

    def __init__(self, marker: Path, copy: Path, info: dict):
        super().__init__(name="kebekerjaan-periksa-salinan", daemon=True)
        self.marker, self.copy, self.info = marker, copy, info
        self._stop_event = threading.Event()
        self._con: sqlite3.Connection | None = None

    def run(self) -> None:
        try:
            fd = os.open(self.copy, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            digest = _sha256(self.copy, self._stop_event)
            if digest is None:
                return
            checks = {"sha256": digest}
            self._record(checks)
            self._con = _read_only(self.copy)
            try:
                if self._stop_event.is_set():
                    return
                rows = [r[0] for r in self._con.execute("PRAGMA integrity_check(5)")]
            finally:
                self._con.close()
            checks.update(integrity_check="ok" if rows == ["ok"] else "; ".join(rows),
                          checked_at=now_iso())
            self._record(checks)
            fault_point("copy-checked")
        except (OSError, sqlite3.Error):
            pass  # stopped, or the disk refused: the restore checks the copy in full

    def _record(self, checks: dict) -> None:
        if not self._stop_event.is_set():
            _write_json(self.marker, {**self.info, "checks": dict(checks)})

    def stop(self) -> None:
        self._stop_event.set()
        while self.is_alive():
            con = self._con
            if con is not None:
                with suppress(sqlite3.Error):
                    con.interrupt()
            self.join(0.05)


def verify_copy(copy: Path, info: dict) -> str | None:
    """None when `copy` is the store as it was when the run took it; else why not (in
    Indonesian). Uses every fact the marker holds; a marker without facts (unreadable, or
    written by an older version) still needs a sound store with the store's tables."""
    facts, checks = info.get("facts") or {}, info.get("checks") or {}
    try:
        size = copy.stat().st_size
        if size == 0:
            return "berkas salinan kosong (0 bita)"
        if "size" in facts and size != facts["size"]:
            return (f"ukurannya {_bytes(size)}, seharusnya {_bytes(facts['size'])}; salinan "
                    "terpotong atau tertimpa")
        unchanged = False
        if checks.get("sha256"):
            if _sha256(copy) != checks["sha256"]:
                return "isinya berubah sejak diambil (sidik SHA-256 tidak cocok)"
            unchanged = True
        recorded = checks.get("integrity_check")
        if recorded not in (None, "ok"):
            return f"sudah rusak saat diambil (pemeriksaan integritas SQLite: {recorded})"
        if not (unchanged and recorded == "ok"):
            found = integrity(copy)
            if found != "ok":
                return f"pemeriksaan integritas SQLite gagal: {found}"
        con = _read_only(copy)
        try:
            state = store.content_state(con)
        finally:
            con.close()
    except OSError as exc:
        return f"tidak dapat dibaca ({exc.strerror or exc})"
    except sqlite3.DatabaseError as exc:
        return f"tidak dapat dibaca sebagai basis data kebekerjaan ({exc})"
    if facts.get("state") is not None and state != facts["state"]:
        wrong = sorted(k for k in set(state) | set(facts["state"])
                       if state.get(k) != facts["state"].get(k))
        return "isinya tidak sama dengan saat diambil (berbeda: " + ", ".join(wrong[:5]) + ")"
    if not facts and not state.get("schema"):
        return "bukan salinan basis data kebekerjaan (tanpa skema)"
    return None


# --- putting the store back -----------------------------------------------------------------


def _read_marker(marker: Path) -> dict:
    try:
        info = json.loads(marker.read_text(encoding="utf-8"))
        if isinstance(info, dict) and info.get("run_id"):
            return info
    except (OSError, ValueError):
        pass
    # unreadable: the names follow from the marker's own, the copy is checked in full
    return {"run_id": marker.stem, "copy": f"{marker.stem}.sqlite"}


def _copy_of(marker: Path, info: dict) -> Path:
    return marker.with_name(Path(info.get("copy") or f"{info['run_id']}.sqlite").name)


def _copy_back(copy: Path, store_path: Path) -> None:
    """Write the copy's pages into the live store through SQLite (safe while a form has the
    store open; a killed run's half transaction in the WAL is discarded at open)."""
    try:
        src = _read_only(copy)
        dst = sqlite3.connect(store_path, timeout=60)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    except sqlite3.DatabaseError as exc:
        if storage_problem(exc) != "CORRUPT":
            raise
        # The live store itself is damaged: replace the file, and drop its WAL, whose
        # frames belong to the damaged file.
        tmp = store_path.with_name(store_path.name + ".pulih")
        shutil.copyfile(copy, tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        for suffix in ("-journal", "-wal", "-shm"):
            Path(f"{store_path}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, store_path)


def _recover(ws, markers: list[Path], *, note_manifests: bool = True) -> list[Recovery]:
    """Deal with these unfinished runs (oldest first); see the module docstring. A run
    putting its own store back writes its manifest itself (`note_manifests` False)."""
    folder = private_dir(ws.data)
    infos = {m: _read_marker(m) for m in markers}
    recs = {m: Recovery(infos[m]["run_id"],
                        Path(infos[m]["manifest"]) if infos[m].get("manifest") else None,
                        store_path=ws.store_path) for m in markers}
    # The store goes back to the oldest copy that verifies: it is the store before that run
    # and before every later one. Checked before taking the saves lock (it can take seconds).
    target = None
    for marker in markers:
        copy = _copy_of(marker, infos[marker])
        if target is not None:
            continue  # a later run: the older copy puts the store back before it too
        if not copy.exists():
            recs[marker].outcome = NOT_STARTED
            continue
        problem = verify_copy(copy, infos[marker])
        if problem:
            recs[marker].outcome, recs[marker].copy_problem = COPY_REFUSED, problem
        else:
            target = marker
    refused = [m for m in markers if recs[m].outcome == COPY_REFUSED]
    if target is None and refused:
        damage = integrity(ws.store_path, live=True) if ws.store_path.exists() else "ok"
        if damage != "ok":
            copies = "; ".join(f"{_copy_of(m, infos[m])} ({recs[m].copy_problem})" for m in refused)
            raise StorageError(
                f"Basis data {ws.store_path} rusak ({damage}), dan salinan sebelum proses "
                f"{recs[refused[-1]].run_id} yang tidak selesai juga rusak: {copies}. Kedua "
                "berkas disimpan apa adanya, tidak ada yang ditimpa, dan tidak ada proses yang "
                f"dijalankan. Kembalikan basis data dari cadangan (mis. salinan di flashdisk) ke "
                f"{ws.store_path}, lalu jalankan lagi; atau kirim kedua berkas itu ke pengembang.")
    with saves_lock(ws.data, exclusive=True):
        if target is not None:
            copy = _copy_of(target, infos[target])
            try:
                _copy_back(copy, ws.store_path)
            except (OSError, sqlite3.Error) as exc:
                raise StorageError.from_os_error(
                    exc, ws.store_path, needed=_size(copy),
                    before=f"basis data belum dapat dikembalikan ke keadaan sebelum proses "
                    f"{recs[target].run_id} (salinannya tetap disimpan dan dipakai lagi pada "
                    "proses berikut)") from exc
            fault_point("restore-copied")
            items = journal.read_journals([journal_path(m) for m in markers])
            done = journal.replay(ws, items)
            rec = recs[target]
            rec.replayed, rec.applied = done.lines(), len(done.applied)
            rec.kept = [k.describe() for k in done.kept]
            rec.kept_file = journal.keep(folder, rec.run_id, done.kept)
            for marker in markers[markers.index(target) + 1:]:
                recs[marker].outcome = RESTORED
        for marker in refused:
            recs[marker].kept_copy = _set_aside(marker, _copy_of(marker, infos[marker]))
        for marker in markers:
            if note_manifests and recs[marker].manifest is not None:
                _note_in_manifest(recs[marker].manifest, recs[marker])
        fault_point("restore-noted")
        for marker in markers:
            if marker not in refused:
                _remove_run_files(marker)
    return [recs[m] for m in markers]


def _set_aside(marker: Path, copy: Path) -> Path:
    """Move a copy that failed verification (with its marker and journal) out of the way,
    kept for inspection: it never blocks a run again."""
    aside = make_private(marker.parent / REFUSED_DIR)
    target = aside / copy.name
    for path in (copy, journal_path(marker), marker):
        with suppress(FileNotFoundError):
            os.replace(path, aside / path.name)
    _remove_run_files(marker)  # the leftovers (a partial copy, temporary files)
    return target


def _partial(copy: Path) -> Path:
    return copy.with_name(copy.name + ".part")


def _remove_run_files(marker: Path) -> None:
    """The copy first: a marker left without a copy means "nothing to put back", which is
    true once the copy is gone (restored, or the run finished)."""
    copy = marker.with_suffix(".sqlite")
    part = _partial(copy)
    for path in (copy, part, *(Path(f"{f}{x}") for f in (copy, part) for x in ("-wal", "-shm", "-journal")),
                 journal_path(marker), marker.with_name(marker.name + ".tmp"), marker):
        with suppress(FileNotFoundError):
            path.unlink()


def _write_json(path: Path, data: dict) -> None:
    """Whole or not at all, and on disk before it counts (a marker lost to a power cut
    would leave a half-run store unnoticed)."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(data, ensure_ascii=False, indent=2))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # pragma: no cover - directories cannot be opened on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _bytes(n: int) -> str:
    return f"{n:,} bita".replace(",", ".")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def space_needed(ws) -> int:
    """Bytes a run needs free, roughly: the pre-run copy (store and WAL), and the output of
    the latest run as a guess at this one's."""
    need = sum(_size(Path(f"{ws.store_path}{x}")) for x in ("", "-wal"))
    try:
        runs = sorted(p for p in ws.outputs.iterdir() if p.is_dir() and p.name[:1].isdigit())
    except OSError:
        runs = []
    if runs:
        need += sum(_size(p) for p in runs[-1].rglob("*") if p.is_file())
    return need


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
    return _recover(ws, markers)


def _note_in_manifest(path: Path, rec: Recovery) -> None:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {
            "run_id": rec.run_id}
    except (OSError, ValueError):
        manifest = {"run_id": rec.run_id}
    if manifest.get("status") == "berjalan":  # killed: the run itself never got to say so
        manifest["interrupted"] = ("proses tidak selesai (dihentikan paksa atau listrik padam); "
                                   "ditangani pada awal proses berikutnya")
    manifest.update({
        "status": "gagal",
        "store_restored": rec.restored,
        "restored_at": now_iso(),
        "recovery": rec.summary(),
        "recovery_outcome": rec.outcome,  # publish.settle keeps the lists of a store kept as is
        "form_saves_reapplied": rec.replayed,
    })
    if rec.kept_file:
        manifest["form_saves_kept"] = str(rec.kept_file)
    if rec.kept_copy:
        manifest["damaged_copy_kept"] = str(rec.kept_copy)
    with suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_json(path, manifest)
