"""One writer at a time, all-or-nothing runs, form saves kept, storage faults named (issue 10).

In-process and small-subprocess tests; the papermill runs killed with SIGKILL are in
tests/core/test_faults.py (e2e).
"""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from kebekerjaan.cli import main
from kebekerjaan.core import journal, lock, recovery, store
from kebekerjaan.core.context import StepContext
from kebekerjaan.core.errors import KebekerjaanError, StorageError
from kebekerjaan.steps.alumni import collect_alumni
from kebekerjaan.steps.vacancies.gather import add_vacancy, close_vacancy

TODAY = date(2026, 11, 27)
ROOT = Path(__file__).resolve().parents[2]
VACANCY = dict(company="CV Anoa Digital", position="Operator Komputer", kejuruan=["TIK"],
               entered_by="Rina", deadline="31-12-2026")


def count(ws, table: str) -> int:
    con = store.connect(ws.store_path)
    try:
        return con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def dump(ws) -> list:
    con = sqlite3.connect(ws.store_path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


@pytest.fixture
def imported(ws, tmp_path, fixtures_dir):
    """`imported(*names)`: alumni fixture files put in the inbox and imported by step 1."""

    def _imported(*names):
        for name in names:
            (ws.inbox("alumni") / name).write_bytes((fixtures_dir / "alumni" / name).read_bytes())
        collect_alumni(StepContext(ws, TODAY, tmp_path / f"run-{'-'.join(names)}"))

    return _imported


def _python(code: str, *args) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(lock.RUN_ENV, None)
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


HOLD = """
    import sys, time
    from kebekerjaan.core.workspace import Workspace
    from kebekerjaan.core.recovery import RunGuard
    ws = Workspace(__import__('pathlib').Path(sys.argv[1]))
    with RunGuard(ws, what="uji", wait_seconds=0) as g:
        g.lock.write({**g._holder(), "run_id": "20261127-080000"})
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
"""


@pytest.fixture
def holder(ws):
    """Another process holding the workspace lock, as a scheduled run would."""
    proc = _python(HOLD, ws.root, 30)
    assert proc.stdout.readline().strip() == "held"
    yield proc
    proc.kill()
    proc.wait()


def test_second_writer_waits_names_the_holder_and_changes_nothing(ws, holder, capsys):
    settings = ws.config_path.read_text(encoding="utf-8")
    ws.config_path.write_text(settings.replace("lock_wait_seconds = 60", "lock_wait_seconds = 1"),
                              encoding="utf-8")
    before = sorted(p.relative_to(ws.root) for p in ws.root.rglob("*"))
    code = main(["run", "--workspace", str(ws.root), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1
    assert "sedang dipakai oleh proses 20261127-080000" in err and "sejak" in err
    assert "Menunggu" in err and "Traceback" not in err
    # nothing touched: no run folder, no store, no copy
    assert sorted(p.relative_to(ws.root) for p in ws.root.rglob("*")) == before


def test_a_lock_left_by_a_killed_process_is_cleared(ws):
    proc = _python(HOLD, ws.root, 30)
    assert proc.stdout.readline().strip() == "held"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    held = lock.WorkspaceLock(ws.data)
    assert held.holder()["pid"] == proc.pid  # the dead holder is still named in the file
    said = []
    with recovery.RunGuard(ws, wait_seconds=0, say=said.append) as g:
        assert g.lock.holder()["pid"] == os.getpid()
    assert any("tidak aktif lagi" in s and "20261127-080000" in s for s in said)
    assert lock.WorkspaceLock(ws.data).holder() == {}  # released cleanly


def test_a_stale_lock_file_from_the_same_host_names_the_dead_pid(ws):
    dead = _python("pass")
    dead.wait()
    (ws.data / lock.LOCK_NAME).write_text(json.dumps(
        {"run_id": "lama", "pid": dead.pid, "host": socket.gethostname(), "since": "2026-11-27T08:00:00"}))
    said = []
    with recovery.RunGuard(ws, wait_seconds=0, say=said.append):
        pass
    assert any(f"pid {dead.pid}" in s and "sudah berhenti" in s for s in said)


def test_a_step_run_alone_is_all_or_nothing(ws, tmp_path, monkeypatch, imported, fixtures_dir):
    imported("update_v1.csv")
    before = dump(ws)
    (ws.inbox("alumni") / "a.csv").write_bytes((fixtures_dir / "alumni" / "duplicates.csv").read_bytes())
    (ws.inbox("alumni") / "b.csv").write_bytes((fixtures_dir / "alumni" / "update_v2.csv").read_bytes())
    import kebekerjaan.steps.alumni as step

    real, calls = step._import_file, []

    def second_file_crashes(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("listrik padam")
        return real(*args, **kwargs)

    monkeypatch.setattr(step, "_import_file", second_file_crashes)
    with pytest.raises(RuntimeError):
        collect_alumni(StepContext(ws, TODAY, tmp_path / "run-crash"))
    assert dump(ws) == before  # the first file's commit was undone too
    assert list(journal.private_dir(ws.data).iterdir()) == []


KILLED_RUN = """
    import os, signal, sys
    from pathlib import Path
    from kebekerjaan.core import store
    from kebekerjaan.core.recovery import RunGuard
    from kebekerjaan.core.workspace import Workspace
    ws = Workspace(Path(sys.argv[1]))
    g = RunGuard(ws, wait_seconds=0).__enter__()
    g.begin("20261127-090000", ws.outputs / "20261127-090000" / "manifest.json")
    con = store.connect(ws.store_path)
    con.execute("BEGIN IMMEDIATE")
    con.execute("DELETE FROM enrolments")
    con.execute("DELETE FROM alumni")
    con.execute("COMMIT")  # a committed half of the run...
    con.execute("BEGIN IMMEDIATE")
    con.execute("DELETE FROM import_log")  # ...and one still open when the power goes
    print("killing", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _killed_run(ws):
    (ws.outputs / "20261127-090000").mkdir(parents=True)
    (ws.outputs / "20261127-090000" / "manifest.json").write_text(
        json.dumps({"run_id": "20261127-090000", "status": "berjalan", "steps": []}))
    proc = _python(KILLED_RUN, ws.root)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL, err
    return proc


def test_a_killed_run_is_undone_at_the_next_start_and_its_manifest_says_so(ws, tmp_path, imported):
    imported("update_v1.csv")
    before = dump(ws)
    _killed_run(ws)
    assert count(ws, "alumni") == 0  # the kill left the store half-written
    assert len(journal.unfinished_runs(ws)) == 1
    said = []
    with recovery.RunGuard(ws, wait_seconds=0, say=said.append):
        pass
    assert dump(ws) == before
    assert any("20261127-090000 tidak selesai" in s and "dikembalikan" in s for s in said)
    manifest = json.loads((ws.outputs / "20261127-090000" / "manifest.json").read_text())
    assert manifest["status"] == "gagal" and manifest["store_restored"] is True
    assert "restored_at" in manifest
    assert list(journal.private_dir(ws.data).iterdir()) == []  # no copy of personal data left


def test_a_notebook_opened_after_a_killed_run_restores_and_says_so(ws, tmp_path, capsys, imported):
    from kebekerjaan.core.context import open_step

    imported("update_v1.csv")
    before = dump(ws)
    _killed_run(ws)
    open_step(str(ws.root), TODAY.isoformat(), "", True)
    assert "PERHATIAN: Proses 20261127-090000 tidak selesai" in capsys.readouterr().out
    assert dump(ws) == before


def test_an_app_page_opened_after_a_killed_run_restores_and_says_so(ws, imported):
    from kebekerjaan.ui.app.pages import open_page

    imported("update_v1.csv")
    before = dump(ws)
    _killed_run(ws)
    # a preheated kernel's warm-up, before any request, leaves it for the tab to undo and say
    assert open_page(str(ws.root), TODAY.isoformat(), recover=False).notices == ()
    ctx = open_page(str(ws.root), TODAY.isoformat())
    assert len(ctx.notices) == 1 and "Proses 20261127-090000 tidak selesai" in ctx.notices[0]
    assert dump(ws) == before
    assert open_page(str(ws.root), TODAY.isoformat()).notices == ()


def test_the_app_tab_opened_after_a_killed_run_says_so_above_its_pages(ws, imported):
    from kebekerjaan.ui.app.router import staff_router

    imported("update_v1.csv")
    before = dump(ws)
    _killed_run(ws)
    app = staff_router(str(ws.root), TODAY.isoformat())
    app.show("beranda", replace=True)
    assert "PERHATIAN" in app.notice.value and "Proses 20261127-090000 tidak selesai" in app.notice.value
    assert dump(ws) == before


def test_no_recovery_while_the_run_is_alive(ws, holder, tmp_path):
    folder = journal.make_private(journal.private_dir(ws.data))
    (folder / "x.json").write_text(json.dumps({"run_id": "x", "copy": "x.sqlite"}))
    assert recovery.recover_unfinished(ws) == []  # the live holder's run is not unfinished
    assert (folder / "x.json").exists()


def test_pre_run_copy_is_private_and_never_in_outputs(ws, tmp_path, imported):
    imported("update_v1.csv")
    with recovery.RunGuard(ws, wait_seconds=0) as g:
        g.begin("r1")
        copy = journal.private_dir(ws.data) / "r1.sqlite"
        assert copy.exists()
        assert copy.stat().st_mode & 0o077 == 0
        assert journal.private_dir(ws.data).stat().st_mode & 0o077 == 0
        g.finish()
    assert not copy.exists()
    assert not [p for p in ws.outputs.rglob("*.sqlite")]


def test_form_saves_during_a_run_survive_its_failure(ws, tmp_path, imported):
    imported("update_v1.csv")
    kept = add_vacancy(ws, **VACANCY, today=TODAY)
    with recovery.RunGuard(ws, wait_seconds=0) as g:
        g.begin("r2")
        con = store.connect(ws.store_path)
        con.execute("DELETE FROM enrolments")  # the run's own (doomed) write
        con.close()
        new = add_vacancy(ws, **{**VACANCY, "position": "Teknisi Jaringan"}, today=TODAY)
        close_vacancy(ws, kept, "sudah terisi", on=TODAY)
        rec = g.rollback()
    assert count(ws, "enrolments") == 5  # the run's write is undone...
    rows = {r[0]: r[1] for r in sqlite3.connect(ws.store_path).execute(
        "SELECT id, closed_on FROM vacancies")}
    assert set(rows) == {kept, new}  # ...the staff's saves are not
    assert rows[kept] == TODAY.isoformat()
    assert rec.restored and rec.applied == 2 and not rec.kept
    assert len(rec.replayed) == 2 and all("diterapkan ulang" in r for r in rec.replayed)


def test_form_save_during_a_successful_run_is_kept_once(ws, tmp_path, imported, working_answer):
    from kebekerjaan.steps.answers.manual import record_answer

    imported("update_v1.csv")
    with recovery.RunGuard(ws, wait_seconds=0) as g:
        g.begin("r3")
        key = record_answer(ws, nik="7471045101000111", answer=working_answer,
                            answered_on=TODAY, entered_by="Rina", today=TODAY)
        imported("update_v2.csv")  # the run goes on writing
        g.finish()
    con = sqlite3.connect(ws.store_path)
    assert con.execute("SELECT COUNT(*) FROM answers WHERE answer_key = ?", (key,)).fetchone() == (1,)


def test_replaying_a_save_already_in_the_copy_adds_nothing(ws, tmp_path, imported, working_answer):
    """A save journalled while the copy was being taken may also be in the copy."""
    from kebekerjaan.steps.answers.manual import record_answer

    imported("update_v1.csv")
    folder = journal.make_private(journal.private_dir(ws.data))
    (folder / "r4.json").write_text(json.dumps({"run_id": "r4", "copy": "r4.sqlite"}))
    record_answer(ws, nik="7471045101000111", answer=working_answer, answered_on=TODAY,
                  entered_by="Rina", today=TODAY)  # journalled (the marker exists)...
    recovery.snapshot(ws.store_path, folder / "r4.sqlite")  # ...and in the copy
    done = recovery.recover_unfinished(ws)
    assert count(ws, "answers") == 1
    assert "sudah ada, tidak diterapkan ulang" in done[0].replayed[0]
    assert done[0].applied == 0 and not done[0].kept


def test_form_save_is_not_blocked_for_long_by_a_run_between_files(ws, tmp_path, imported):
    imported("update_v1.csv")
    with recovery.RunGuard(ws, wait_seconds=0) as g:
        g.begin("r5")
        reader = store.connect(ws.store_path)
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM alumni").fetchone()  # a run reading (WAL)
        add_vacancy(ws, **VACANCY, today=TODAY)  # a writer is not blocked by a reader
        reader.execute("COMMIT")
        reader.close()
        g.finish()
    assert store.connect(ws.store_path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# --- storage faults -------------------------------------------------------------------------


def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True)
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    if not _mount_tmpfs(mount, "2m"):
        pytest.skip("no tmpfs here; test_full_disk_simulated covers it")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_before_the_pre_run_copy_names_the_path_and_changes_nothing(small_disk, capsys):
    from kebekerjaan.core.workspace import init_workspace

    ws = init_workspace(small_disk / "ws")
    store.connect(ws.store_path).close()
    con = sqlite3.connect(ws.store_path, isolation_level=None)
    con.execute("PRAGMA journal_mode = DELETE")  # no WAL copy of the filler on the small disk
    con.execute("CREATE TABLE filler (x BLOB)")
    con.execute("INSERT INTO filler VALUES (zeroblob(1100000))")
    con.close()
    before = dump(ws)
    code = main(["run", "--workspace", str(ws.root), "--no-progress", "--steps", "1"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "ruang disk penuh" in err and str(journal.private_dir(ws.data)) in err
    assert dump(ws) == before
    assert list(journal.private_dir(ws.data).iterdir()) == []


def test_full_disk_simulated(ws, capsys, monkeypatch):
    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device", str(ws.data / "x"))

    monkeypatch.setattr(recovery, "snapshot", full)
    code = main(["run", "--workspace", str(ws.root), "--no-progress", "--steps", "1"])
    err = capsys.readouterr().err
    assert code == 1 and "ruang disk penuh" in err and "Kosongkan" in err
    (manifest,) = ws.outputs.glob("*/manifest.json")
    recorded = json.loads(manifest.read_text(encoding="utf-8"))
    assert recorded["status"] == "gagal" and "ruang disk penuh" in recorded["error"]
    assert recorded["steps"] == []  # no step ran


def test_full_disk_during_an_import_is_indonesian_and_undone(ws, tmp_path, monkeypatch, imported,
                                                             fixtures_dir):
    imported("update_v1.csv")
    before = dump(ws)
    (ws.inbox("alumni") / "b.csv").write_bytes((fixtures_dir / "alumni" / "update_v2.csv").read_bytes())

    def disk_full(*_a, **_k):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "update_import", disk_full)
    with pytest.raises(sqlite3.OperationalError) as info:
        collect_alumni(StepContext(ws, TODAY, tmp_path / "run-full"))
    assert dump(ws) == before
    from kebekerjaan.core.runner import explain_error

    text = explain_error("OperationalError", str(info.value), ws.store_path)
    assert text.startswith("Basis data tidak dapat ditulis: ruang disk penuh pada")
    assert str(ws.store_path) in text


def test_read_only_workspace_is_one_indonesian_message(tmp_path, capsys):
    from kebekerjaan.core.workspace import init_workspace

    mount = tmp_path / "ro"
    if not _mount_tmpfs(mount, "4m"):
        pytest.skip("cannot mount a read-only folder here")
    try:
        ws = init_workspace(mount / "ws")
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        code = main(["run", "--workspace", str(ws.root), "--no-progress"])
        err = capsys.readouterr().err
        assert code == 1 and "Traceback" not in err
        assert "hanya-baca" in err and str(ws.data) in err
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_read_only_outputs_folder_is_one_indonesian_message_and_no_change(ws, capsys):
    store.connect(ws.store_path).close()
    if not _mount_tmpfs(ws.outputs, "1m"):
        pytest.skip("cannot mount a read-only folder here")
    try:
        subprocess.run(["mount", "-o", "remount,ro", str(ws.outputs)], check=True)
        before = dump(ws)
        code = main(["run", "--workspace", str(ws.root), "--no-progress"])
        err = capsys.readouterr().err
        assert code == 1 and "Traceback" not in err
        assert "hanya-baca" in err and str(ws.outputs) in err
        assert dump(ws) == before
        assert list(journal.private_dir(ws.data).glob("*")) == []
        assert lock.WorkspaceLock(ws.data).holder() == {}  # the lock was released
    finally:
        subprocess.run(["umount", "-l", str(ws.outputs)], check=False)


def test_missing_permission_is_one_indonesian_message(ws, capsys, monkeypatch):
    real_open = os.open

    def denied(path, *args, **kwargs):
        if str(path).endswith(lock.LOCK_NAME):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    code = main(["run", "--workspace", str(ws.root), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1 and "tidak ada izin" in err and lock.LOCK_NAME in err


def test_internal_error_points_to_a_log_not_a_traceback(ws, capsys, monkeypatch):
    import kebekerjaan.core.runner as runner

    def boom(*_a, **_k):
        raise ZeroDivisionError("x")

    monkeypatch.setattr(runner, "run", boom)
    code = main(["run", "--workspace", str(ws.root), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and "galat internal" in err and "Traceback" not in err
    log = Path(err.split("pengembang: ")[1].strip())
    assert log.parent == ws.data / "log" and "ZeroDivisionError" in log.read_text()


def test_storage_error_message_names_path_and_remedy():
    exc = OSError(errno.EROFS, "Read-only file system", "/media/flashdisk/ws/data")
    text = StorageError.from_os_error(exc).args[0]
    assert text == ("folder hanya-baca pada /media/flashdisk/ws/data. Pindahkan folder kerja ke "
                    "disk yang bisa ditulis, atau buka proteksi tulisnya.")
    assert isinstance(StorageError("x"), KebekerjaanError)


def test_copy_holds_only_committed_rows_and_goes_back_under_an_open_reader(tmp_path):
    path = tmp_path / "s.sqlite"
    con = store.connect(path)
    with store.transaction(con):
        store.log_import(con, kind="alumni", file_name="a.csv", sha256="1", status="ok")
    copy = recovery.snapshot(path, tmp_path / "copy.sqlite")
    assert not Path(f"{copy}-wal").exists()  # one self-contained file
    with store.transaction(con):
        store.log_import(con, kind="alumni", file_name="b.csv", sha256="2", status="ok")
    reader = store.connect(path)  # a form's connection stays open during the restore
    recovery._copy_back(copy, path)
    assert [r[0] for r in reader.execute("SELECT file_name FROM import_log")] == ["a.csv"]
    reader.close()
    con.close()


def test_a_killed_writers_half_transaction_is_not_in_the_copy(tmp_path):
    path = tmp_path / "s.sqlite"
    store.connect(path).close()
    proc = _python("""
        import os, signal, sys
        from kebekerjaan.core import store
        con = store.connect(sys.argv[1])
        con.execute("BEGIN IMMEDIATE")
        store.log_import(con, kind="alumni", file_name="half.csv", sha256="x", status="ok")
        os.kill(os.getpid(), signal.SIGKILL)
    """, path)
    proc.wait()
    copy = recovery.snapshot(path, tmp_path / "copy.sqlite")
    assert sqlite3.connect(copy).execute("SELECT COUNT(*) FROM import_log").fetchone() == (0,)


def test_a_notebook_shows_the_message_not_a_traceback(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_cell("from kebekerjaan.core.lock import WorkspaceBusy\n"
                   "raise WorkspaceBusy('Folder kerja sedang dipakai oleh proses 20261127-080000')")
    out = capsys.readouterr().out
    assert "GAGAL: Folder kerja sedang dipakai oleh proses 20261127-080000" in out
    assert "Traceback" not in out and "raise WorkspaceBusy" not in out


def test_a_run_killed_while_copying_is_not_restored_from_half_a_copy(ws, tmp_path, imported):
    imported("update_v1.csv")
    before = dump(ws)
    folder = journal.make_private(journal.private_dir(ws.data))
    (folder / "r6.json").write_text(json.dumps({"run_id": "r6", "copy": "r6.sqlite"}))
    (folder / "r6.sqlite.part").write_bytes(b"SQLite format 3\x00 half")  # the kill hit here
    (rec,) = recovery.recover_unfinished(ws)
    assert rec.run_id == "r6" and "sebelum menulis apa pun" in rec.message()
    assert dump(ws) == before
    assert list(folder.iterdir()) == []


# --- issue 20: disk errors say what they are and what to do ---------------------------------


def test_sqlite_disk_io_error_on_a_full_disk_is_disk_penuh_with_the_room_needed(ws, monkeypatch):
    from kebekerjaan.core import errors

    monkeypatch.setattr(errors, "free_space", lambda _path: 12_000)
    text = errors.describe_storage_error(sqlite3.OperationalError("disk I/O error"),
                                         ws.store_path, needed=40_000_000)
    assert text.startswith(f"ruang disk penuh pada {ws.store_path} (tersisa 0,0 MB; "
                           "dibutuhkan sekitar 53,0 MB ruang kosong)")
    assert "flashdisk" not in text and "Kosongkan ruang disk" in text


def test_sqlite_disk_io_error_with_room_left_stays_a_read_write_error(ws):
    from kebekerjaan.core import errors

    text = errors.describe_storage_error(sqlite3.OperationalError("disk I/O error"), ws.store_path)
    assert text.startswith("galat baca/tulis disk") and "flashdisk" in text


def test_a_file_size_limit_is_named_with_what_to_do(ws):
    text = StorageError.from_os_error(OSError(errno.EFBIG, "File too large", "/x/y.sqlite")).args[0]
    assert text.startswith("berkas melebihi batas ukuran berkas pada /x/y.sqlite")
    assert "FAT32" in text and "ulimit" in text


def test_a_real_file_size_limit_stops_the_pre_run_copy_cleanly(ws, imported):
    """Issue 20: a file-size limit (ulimit -f) was reported as a generic storage error."""
    imported("update_v1.csv")
    before = dump(ws)
    limit = ws.store_path.stat().st_size // 2
    proc = _python(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
        from pathlib import Path
        from kebekerjaan.cli import main
        sys.exit(main(["run", "--workspace", sys.argv[1], "--steps", "1", "--no-progress"]))
    """, ws.root)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err
    assert "berkas melebihi batas ukuran berkas" in err and "ulimit" in err
    assert "galat penyimpanan" not in err and "Traceback" not in err
    assert dump(ws) == before
    assert list(journal.private_dir(ws.data).iterdir()) == []


def test_a_full_disk_in_a_step_names_the_room_a_run_needs(ws):
    from kebekerjaan.core.runner import explain_error

    text = explain_error("OSError", f"[Errno 28] No space left on device: '{ws.outputs}/x.pdf'",
                         ws.store_path, needed=3_000_000)
    assert text.startswith(f"ruang disk penuh pada {ws.outputs}/x.pdf (tersisa ")
    assert "dibutuhkan sekitar 8,6 MB ruang kosong" in text
