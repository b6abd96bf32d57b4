"""`kebekerjaan gabung`: the stores of several BPVPs merged into one national workspace.

Each source is a BPVP's workspace folder; its `kebekerjaan.toml` names the BPVP
(`[institution] short_name`, else `name`), and every enrolment, answer and refusal it
brings keeps that name in `bpvp`. A person (NIK) trained in two BPVPs is one alumni row
with two enrolments; the same training key at two BPVPs is two enrolments (the key ends
with the BPVP, store migration 9).

What is merged: alumni, enrolments, answers (with the respondent code they quote), review
decisions (one undone at the BPVP is removed), respondent codes, refusals, the blast
delivery reports and the survey outreach log (invitations, reminders). Not merged:
vacancies and their outreach, rejects, the WhatsApp message index, learned phrasings.

How (docs/dev/national-merge.md):
- the national workspace is locked like a run (RunGuard: one writer at a time; a killed
  national run is put back first, so its restore can never erase a merge made after it);
- each source is read as of its last commit: a private snapshot through SQLite's backup API
  inside one read transaction (the `-wal` included), taken under the source's own lock.
  A source whose run is in progress is read from that run's pre-run copy (the store before
  the run), one whose run was killed and not yet put back likewise; the next merge brings
  what the run adds once it has ended. The source is never written or migrated;
- a source refused (unreadable, newer schema, busy too long, bad settings) is named with
  its reason and the others are merged; a problem of the national disk stops the merge,
  named as such, and the sources not reached are listed;
- each source is one transaction. Re-merging updates what changed and adds what is new,
  never a second copy; a snapshot identical to one already merged is "unchanged";
- a name or phone of one NIK that differs from what another BPVP gave is updated with both
  values in `history` and listed for review (MergeReport.conflicts);
- a summary per source and a manifest go to `outputs/<stamp>-gabung/manifest.json`.

Merged answers are matched and placed again by the national store's step 7, within their
own BPVP's alumni. The SQL written to the national store is portable (ON CONFLICT,
COALESCE, IS DISTINCT FROM, TEMP tables), so the national store can move to PostgreSQL;
reading a source is SQLite's (it is a BPVP's file).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from kebekerjaan.core import store
from kebekerjaan.core.config import CONFIG_NAME
from kebekerjaan.core.errors import KebekerjaanError, StorageError, describe_storage_error, storage_problem
from kebekerjaan.core.journal import make_private, unfinished_runs
from kebekerjaan.core.lock import WorkspaceLock, configured_wait, now_iso, say_stderr
from kebekerjaan.core.runs import new_run_dir
from kebekerjaan.core.workspace import Workspace, init_workspace

KIND = "gabung"
# Part of every fingerprint: a new way of merging merges every source again once.
MERGE_FORMAT = "gabung-2"
MERGED, UNCHANGED, REFUSED = "ok", "unchanged", "refused"
STATUS_TEXT = {MERGED: "digabung", UNCHANGED: "tidak berubah", REFUSED: "DITOLAK"}
# The national workspace's private scratch folder: one source snapshot at a time.
SCRATCH = ".gabung"
# A run in progress is read from its pre-run copy. On Windows a file being read cannot be
# deleted, so reading it would make that run fail to clean up (and its next start restore
# the copy over the run's work): there, the merge waits for the run instead.
READ_RUNNING_COPY = os.name != "nt"
# Disk problems of the national side: the merge stops there (no later source can be written).
NATIONAL_PROBLEMS = ("ENOSPC", "EDQUOT", "EROFS", "EFBIG")

PERSON = ("name", "sex", "birth_date", "education", "address", "phone", "email", "prov_code",
          "prov_name", "kabkota_code", "kabkota_name")
REVIEWED = {"name": "Nama", "phone": "No HP"}  # person fields two BPVPs must agree on
TRAINING = ("program", "start_date", "end_date", "graduation", "flags")
# What a BPVP's answer says and how a human settled it; what the machine derives from it
# (training, wave, latest) is computed again in the national store.
ANSWER = ("source", "answered_at", "status", "given_nik", "given_name", "given_phone",
          "given_kejuruan", "given_angkatan", "given_code", "employer", "position",
          "employer_type", "sector", "location", "start_date", "income", "relevance",
          "job_source", "consent", "message", "rule", "confidence", "unclear", "notes",
          "file_name", "row_number", "entered_by", "created_at", "nik", "match_status",
          "match_method", "match_score", "candidates", "discarded")
DERIVED = ("nik", "match_status", "match_method", "match_score", "candidates")
DECISION = ("decision", "nik", "status", "decided_by", "decided_at")
SURVEY_OUTREACH = ("undangan", "pengingat")  # rules/labels: INVITATION, REMINDER
CHUNK = 100_000
NATIONAL = {"name": "Rekap Nasional Survei Kebekerjaan Alumni BPVP", "short_name": "Nasional"}
# The SQL standard's null-safe "differs"; SQLite before 3.39 only knows its own IS NOT.
_DIFFERS = "IS DISTINCT FROM" if sqlite3.sqlite_version_info >= (3, 39) else "IS NOT"


class SourceRefused(KebekerjaanError):
    """This source is not merged (the message says why); the others go on."""


class NationalStorageError(StorageError):
    """The national disk or folder refused a write: the merge stops."""


@dataclass
class MergedSource:
    folder: Path
    bpvp: str
    status: str  # ok | unchanged | refused
    counts: dict = field(default_factory=dict)
    message: str = ""
    read_from: str = ""  # the store itself, or the pre-run copy of which run
    fingerprint: str | None = None
    schema: int | None = None
    conflicts: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        """One line for staff: what became of this source."""
        head = f"{self.bpvp} ({self.folder}): {STATUS_TEXT[self.status]}"
        if self.status == REFUSED:
            return f"{head}: {self.message}"
        if self.status == UNCHANGED:
            return f"{head} ({self.message or 'sama dengan penggabungan terakhir'})"
        return head + (f", dibaca dari {self.read_from}" if self.read_from else "")


@dataclass
class MergeReport:
    sources: list[MergedSource]
    run_dir: Path
    manifest: Path | None  # None: it could not be written (the national disk, `stopped`)
    stopped: str | None = None  # why the merge stopped before the last source

    def __iter__(self) -> Iterator[MergedSource]:
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)

    def __getitem__(self, i: int) -> MergedSource:
        return self.sources[i]

    @property
    def refused(self) -> list[MergedSource]:
        return [s for s in self.sources if s.status == REFUSED]

    @property
    def conflicts(self) -> list[dict]:
        return [c for s in self.sources for c in s.conflicts]


def bpvp_name(ws: Workspace) -> str:
    """The BPVP a workspace belongs to, from its [institution] settings."""
    inst = ws.settings().institution
    label = (inst.short_name or inst.name).strip()
    if not label:
        raise KebekerjaanError(
            f"{ws.config_path}: isi [institution] short_name (mis. \"BPVP Makassar\") agar "
            "data BPVP ini bisa dikenali setelah digabung.")
    return label


def set_institution(config_path: Path, *, name: str, short_name: str) -> None:
    """Write [institution] name and short_name into a workspace's kebekerjaan.toml, keeping
    the rest of the file (comments included) as it was."""
    from kebekerjaan.core.config import edit_config

    def change(doc):
        if "institution" not in doc:
            raise KebekerjaanError(f"{config_path}: bagian [institution] tidak ditemukan.")
        doc["institution"]["name"] = name
        doc["institution"]["short_name"] = short_name

    edit_config(Path(config_path), change)


# --- the run -----------------------------------------------------------------------------------

def merge_workspaces(sources: list[Path], dest: Path, *, progress: bool = False,
                     wait_seconds: float | None = None,
                     say: Callable[[str], None] = say_stderr) -> MergeReport:
    """Merge each source workspace's store into the national workspace at `dest`.

    Stops before writing anything when a folder is not a workspace or two folders name the
    same BPVP (a typo in the command); any other problem of one source refuses that source
    only. `wait_seconds`: how long to wait for the national workspace and for a source
    that is busy (default: each workspace's [run] lock_wait_seconds).
    """
    from kebekerjaan.core.recovery import RunGuard

    dest = Path(dest)
    fresh = not (dest / CONFIG_NAME).exists()
    national = init_workspace(dest)
    if fresh:
        set_institution(national.config_path, **NATIONAL)
    folders = [Path(s).resolve() for s in sources]
    if national.root in folders:
        raise KebekerjaanError("Folder nasional tidak boleh sekaligus menjadi sumber.")
    checked = _check_sources(folders)
    labels = [label for _, label, _ in checked if label]
    twice = sorted({x for x in labels if labels.count(x) > 1})
    if twice:
        raise KebekerjaanError(f"Nama BPVP sama pada lebih dari satu folder: {', '.join(twice)}; "
                               "bedakan [institution] short_name-nya.")
    started = now_iso()
    results: list[MergedSource] = []
    stopped = None
    with RunGuard(national, what="menggabungkan data BPVP (gabung)", wait_seconds=wait_seconds,
                  say=say):
        run_dir = new_run_dir(national.outputs, suffix=KIND)
        scratch = _scratch(national)
        con = store.connect(national.store_path)
        try:
            from tqdm.auto import tqdm

            for ws, label, problem in tqdm(checked, desc="Menggabungkan BPVP", unit="BPVP",
                                           disable=not progress):
                name = label or ws.root.name
                if stopped or problem:
                    why = problem or f"tidak digabung karena penggabungan berhenti: {stopped}"
                    results.append(MergedSource(ws.root, name, REFUSED, message=why))
                    continue
                try:
                    results.append(_merge_source(con, ws, name, scratch, wait_seconds, say))
                except SourceRefused as exc:
                    results.append(MergedSource(ws.root, name, REFUSED, message=str(exc)))
                except NationalStorageError as exc:
                    stopped = str(exc)
                    results.append(MergedSource(ws.root, name, REFUSED, message=stopped))
        finally:
            con.close()
            shutil.rmtree(scratch, ignore_errors=True)
        try:
            manifest = _write_manifest(run_dir, national, started, results, stopped)
        except OSError as exc:  # what was merged stays merged; say why there is no manifest
            manifest = None
            stopped = stopped or describe_storage_error(
                exc, run_dir, before="ringkasan penggabungan tidak dapat ditulis")
    return MergeReport(results, run_dir, manifest, stopped)


def _check_sources(folders: list[Path]) -> list[tuple[Workspace, str | None, str | None]]:
    """(workspace, BPVP name, why it cannot be merged) of each folder. A folder that is not
    a workspace at all stops the whole merge before anything is written."""
    out = []
    for folder in folders:
        if not (folder / CONFIG_NAME).is_file():
            raise KebekerjaanError(f"{folder}: bukan folder kerja kebekerjaan ({CONFIG_NAME} "
                                   "tidak ada). Tidak ada yang digabung.")
        ws = Workspace(folder)
        try:
            label, problem = bpvp_name(ws), None
        except KebekerjaanError as exc:
            label, problem = None, f"pengaturannya tidak dapat dibaca: {exc}"
        if problem is None and not ws.store_path.is_file():
            problem = (f"basis data {ws.store_path.name} belum ada; jalankan langkah 1 di folder "
                       "itu dahulu")
        out.append((ws, label, problem))
    return out


def _scratch(national: Workspace) -> Path:
    """The private scratch folder, emptied of what a killed merge left."""
    folder = national.data / SCRATCH
    shutil.rmtree(folder, ignore_errors=True)
    try:
        return make_private(folder)
    except OSError as exc:
        raise StorageError.from_os_error(exc, folder, before="folder kerja nasional tidak dapat "
                                         "ditulis") from exc


def _write_manifest(run_dir: Path, national: Workspace, started: str, results, stopped) -> Path:
    path = run_dir / "manifest.json"
    manifest = {
        "kind": KIND, "started_at": started, "finished_at": now_iso(),
        "national": str(national.root), "schema": store.SCHEMA_VERSION,
        "status": "gagal" if stopped else ("sebagian" if any(r.status == REFUSED for r in results)
                                           else "ok"),
        "stopped": stopped,
        "sources": [{**asdict(r), "folder": str(r.folder), "status_text": STATUS_TEXT[r.status]}
                    for r in results],
    }
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, path)
    return path


# --- reading a source as of its last commit ----------------------------------------------------

def _merge_source(con, ws: Workspace, label: str, scratch: Path, wait_seconds, say) -> MergedSource:
    snap = scratch / f"{hashlib.sha1(label.encode()).hexdigest()[:16]}.sqlite"
    wait = configured_wait(ws) if wait_seconds is None else wait_seconds
    try:
        read_from = snapshot_source(ws, snap, wait, say)
        fingerprint = _fingerprint(label, snap)
        src = _open_snapshot(snap)
        try:
            schema = store.schema_version(src)
            tables = _columns(src)
            if schema > store.SCHEMA_VERSION:
                raise SourceRefused(
                    f"basis data {ws.store_path} memakai skema versi {schema}, lebih baru dari paket "
                    f"kebekerjaan di komputer ini (versi {store.SCHEMA_VERSION}); perbarui paket "
                    "kebekerjaan di komputer nasional lalu gabungkan lagi. Tidak ada yang "
                    "digabung dari BPVP ini")
            if not tables.get("alumni") or not tables.get("enrolments"):
                raise SourceRefused(f"{ws.store_path}: bukan basis data kebekerjaan (tabel alumni "
                                    "tidak ada); tidak ada yang digabung dari folder ini")
            if store.already_imported(con, KIND, fingerprint):
                return MergedSource(ws.root, label, UNCHANGED, read_from=read_from,
                                    fingerprint=fingerprint, schema=schema,
                                    message="basis data ini sudah digabung dan tidak berubah sejak itu")
            counts, conflicts = _merge_tables(con, src, tables, ws, label, fingerprint, read_from)
        finally:
            src.close()
    except (sqlite3.Error, pd.errors.DatabaseError, OSError) as exc:
        raise _classify(_cause(exc), ws, scratch.parent) from None
    finally:
        for path in (snap, *(Path(f"{snap}{x}") for x in ("-wal", "-shm", "-journal"))):
            with suppress(OSError):
                path.unlink()
    changed = sum(v for k, v in counts.items() if k.endswith(("baru", "diperbarui", "dihapus")))
    return MergedSource(ws.root, label, MERGED if changed else UNCHANGED, counts,
                        read_from=read_from, fingerprint=fingerprint, schema=schema,
                        conflicts=conflicts,
                        message="" if changed else "dibaca ulang; tidak ada yang berubah")


def _cause(exc: BaseException) -> BaseException:
    """SQLite's own error behind pandas' DatabaseError (its message says which)."""
    if isinstance(exc, pd.errors.DatabaseError) and isinstance(exc.__cause__, sqlite3.Error):
        return exc.__cause__
    return exc


def _classify(exc: BaseException, ws: Workspace, national_data: Path) -> KebekerjaanError:
    """A national disk problem stops the merge; anything else is this source's."""
    if storage_problem(exc) in NATIONAL_PROBLEMS:
        return NationalStorageError(describe_storage_error(
            exc, national_data, before="basis data nasional tidak dapat ditulis; "
            "penggabungan berhenti dan BPVP berikutnya tidak digabung"))
    return SourceRefused(f"basis data {ws.store_path} tidak bisa dibaca ({exc}); tidak ada yang "
                         "digabung dari folder ini")


def snapshot_source(ws: Workspace, target: Path, wait: float,
                    say: Callable[[str], None] = say_stderr) -> str:
    """Copy the store of `ws` into `target` as of its last commit; returns, in Indonesian,
    what was read.

    With the source's lock (no run in progress): its pre-run copy if a run was killed and
    not yet put back (the store holds part of that run), else the store itself, `-wal`
    included, through the backup API inside one read transaction started under the lock
    (a run starting meanwhile writes past that snapshot). A run in progress: its pre-run
    copy (the store before that run). No copy yet (the run is taking it), another holder, or
    Windows (READ_RUNNING_COPY): wait up to `wait` seconds, then refuse.
    """
    deadline = time.monotonic() + max(0.0, wait)
    told = False
    while True:
        lock = WorkspaceLock(ws.data)
        try:
            got = lock.try_acquire()
        except StorageError:
            got = None  # a folder without locks (read-only copy): no run can work there
        if got is not False:
            try:
                copy = _prerun_copy(ws)
                if copy is not None:  # a killed run, not put back yet
                    _backup(_open_copy(copy[0]), target)
                    return (f"salinan sebelum proses {copy[1]} (proses itu tidak selesai dan "
                            "belum dipulihkan di BPVP)")
                src = _open_live(ws.store_path)
                try:
                    src.execute("BEGIN")
                    src.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # the snapshot
                except BaseException:
                    src.close()
                    raise
            finally:
                if got:
                    lock.release()
            _backup(src, target)
            return "basis data BPVP"
        holder = lock.holder()
        if READ_RUNNING_COPY:
            copy = _prerun_copy(ws)
            if copy is not None:
                try:
                    src = _open_copy(copy[0])
                    src.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
                except (OSError, sqlite3.Error):
                    src = None  # the run ended meanwhile: try the lock again
                if src is not None:
                    _backup(src, target)
                    if _copy_as_recorded(target, copy[2]):
                        return f"salinan sebelum proses {copy[1]} yang sedang berjalan di BPVP"
        if time.monotonic() >= deadline:
            who = (f"proses {holder['run_id']}" if holder.get("run_id") else "proses lain")
            raise SourceRefused(
                f"folder kerja sedang dipakai oleh {who} (pid {holder.get('pid', '?')}, "
                f"{holder.get('what', 'menulis')}); sudah ditunggu {wait:.0f} detik. Gabungkan "
                "lagi setelah proses itu selesai")
        if not told:
            say(f"Menunggu {ws.root}: folder kerja BPVP sedang dipakai; ditunggu paling lama "
                f"{wait:.0f} detik...")
            told = True
        time.sleep(min(0.2, max(0.01, deadline - time.monotonic())))


def _prerun_copy(ws: Workspace) -> tuple[Path, str, dict] | None:
    """(copy, run id, marker) of the oldest unfinished run that has a complete pre-run
    copy: the store before that run and every later one. None: no such run."""
    for marker in unfinished_runs(ws):
        try:
            info = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            info = {}
        if not isinstance(info, dict):
            info = {}
        copy = marker.with_name(Path(info.get("copy") or f"{marker.stem}.sqlite").name)
        if copy.is_file():
            return copy, str(info.get("run_id") or marker.stem), info
    return None


def _copy_as_recorded(snap: Path, info: dict) -> bool:
    """The copy is what its run recorded, where the marker records it (content state)."""
    expected = (info.get("facts") or {}).get("state")
    if expected is None:
        return True
    try:
        con = _open_snapshot(snap)
        try:
            return store.content_state(con) == expected
        finally:
            con.close()
    except sqlite3.Error:
        return False


def _open_live(path: Path) -> sqlite3.Connection:
    # Read-only, but not immutable: the -wal is read too.
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                           isolation_level=None, timeout=store.BUSY_TIMEOUT_S)


def _open_copy(path: Path) -> sqlite3.Connection:
    # A pre-run copy is one file (no -wal) that is never written again.
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                           isolation_level=None)


_open_snapshot = _open_copy


def _backup(src: sqlite3.Connection, target: Path) -> None:
    """The source's pages into a new private file `target`, in one read transaction."""
    try:
        target.unlink(missing_ok=True)
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        dst = sqlite3.connect(target)
    except (OSError, sqlite3.Error) as exc:
        src.close()
        raise NationalStorageError.from_os_error(
            exc, target.parent, before="salinan sementara sumber tidak dapat dibuat di folder "
            "nasional; penggabungan berhenti") from exc
    try:
        src.backup(dst)
    except sqlite3.Error as exc:
        if storage_problem(exc) in NATIONAL_PROBLEMS:
            raise NationalStorageError(describe_storage_error(
                exc, target.parent, before="salinan sementara sumber tidak dapat ditulis di folder "
                "nasional; penggabungan berhenti")) from exc
        raise
    finally:
        dst.close()
        src.close()


def _fingerprint(label: str, snap: Path) -> str:
    digest = hashlib.sha256(f"{MERGE_FORMAT}|{label}|".encode())
    with open(snap, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _columns(src) -> dict[str, set[str]]:
    names = [r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: {r[1] for r in src.execute(f'PRAGMA table_info("{t}")')} for t in names}


# --- writing into the national store -----------------------------------------------------------

def _merge_tables(con, src, tables, ws: Workspace, label: str, fingerprint: str,
                  read_from: str) -> tuple[dict, list[dict]]:
    """Everything of one source in one transaction; (counts, identity conflicts)."""
    try:
        with store.transaction(con):
            iid = store.log_import(con, kind=KIND, file_name=f"{label}: {ws.store_path}",
                                   sha256=fingerprint, status="ok", message=read_from)
            con.execute("CREATE TEMP TABLE IF NOT EXISTS merge_keys (value TEXT PRIMARY KEY)")
            alumni, conflicts = _alumni(con, src, tables, iid, label)
            counts = {**alumni, **_copy(con, src, "enrolments", store.ENROLMENT_KEY, TRAINING,
                                        tables, iid, label, "pelatihan")}
            ids = _enrolment_ids(con, src, label)
            counts.update(_copy(con, src, "answers", ("answer_key",), ANSWER, tables, iid, label,
                                "jawaban"))
            counts.update(_copy(con, src, "review_decisions", ("answer_key",), DECISION, tables,
                                iid, label, "keputusan tinjauan"))
            counts.update(_undone_decisions(con, src, tables, label))
            code_counts, code_conflicts = _codes(con, src, tables, ids, label)
            counts.update(code_counts)
            counts.update(_refusals(con, src, tables, ids, label))
            counts.update(_deliveries(con, src, tables, iid))
            counts.update(_outreach(con, src, tables, ids))
            counts["konflik identitas"] = len(conflicts)
            counts["kode responden bentrok"] = len(code_conflicts)
            conflicts += code_conflicts
            store.update_import(
                con, iid, rows_read=sum(v for k, v in counts.items() if k.endswith("dibaca")),
                new=sum(v for k, v in counts.items() if k.endswith("baru")),
                updated=sum(v for k, v in counts.items() if k.endswith(("diperbarui", "dihapus"))),
                flagged=len(conflicts))
            con.execute("DROP TABLE IF EXISTS temp.merge_keys")
    except (sqlite3.Error, pd.errors.DatabaseError) as error:
        exc = _cause(error)
        if storage_problem(exc) is not None:
            raise NationalStorageError(describe_storage_error(
                exc, con_path(con), before="basis data nasional tidak dapat ditulis; BPVP ini "
                "tidak digabung dan penggabungan berhenti")) from exc
        raise SourceRefused(f"isi basis data {ws.store_path} tidak dapat digabung ({exc}); tidak "
                            "ada yang digabung dari folder ini") from exc
    return counts, conflicts


def con_path(con) -> str | None:
    row = con.execute("PRAGMA database_list").fetchone()
    return row[2] if row else None


def _read(src, sql: str, params=()) -> Iterator[pd.DataFrame]:
    yield from pd.read_sql_query(sql, src, params=params, chunksize=CHUNK)


def _plain(frame: pd.DataFrame) -> list[tuple]:
    values = frame.astype(object).where(frame.notna(), None)
    return list(values.itertuples(index=False, name=None))


def _fill_keys(con, keys) -> None:
    con.execute("DELETE FROM temp.merge_keys")
    con.executemany("INSERT INTO temp.merge_keys (value) VALUES (?)", ((k,) for k in keys))


def _alumni(con, src, tables, iid: int, label: str) -> tuple[dict, list[dict]]:
    """Alumni by NIK: new ones added, a changed one updated with its old values in
    `history` (a blank keeps the stored value).

    A NIK another BPVP also trained is shared: when this BPVP's details differ, the more
    recently updated details win (`updated_at` at their BPVP, which the national row keeps),
    whatever order the BPVPs are merged in; the others are kept in `history` too, each with
    its BPVP (once), and a differing name or phone is listed for review (MergedSource.conflicts)
    on every merge that finds it, until a BPVP corrects it."""
    present = [f for f in PERSON if f in tables["alumni"]]
    stamp = "updated_at" in tables["alumni"]
    counts = {"alumni dibaca": 0, "alumni baru": 0, "alumni diperbarui": 0}
    conflicts: list[dict] = []
    now = store.now_iso()
    read = ", ".join([*present, "updated_at" if stamp else "NULL AS updated_at"])
    for chunk in _read(src, f"SELECT nik, {read} FROM alumni ORDER BY nik"):
        counts["alumni dibaca"] += len(chunk)
        _fill_keys(con, chunk["nik"])
        stored = pd.read_sql_query(
            f"SELECT a.nik, {', '.join('a.' + f for f in present)}, a.updated_at FROM alumni a "
            "JOIN temp.merge_keys k ON k.value = a.nik", con).set_index("nik")
        others = pd.read_sql_query(
            "SELECT e.nik, e.bpvp FROM enrolments e JOIN temp.merge_keys k ON k.value = e.nik "
            "WHERE COALESCE(e.bpvp, '') <> ?", con, params=(label,))
        elsewhere = others.groupby("nik")["bpvp"].agg(
            lambda b: ", ".join(sorted({x or "folder nasional" for x in b}))).to_dict()
        chunk["updated_at"] = chunk["updated_at"].fillna(now)
        incoming = chunk.set_index("nik")
        known = incoming.index.isin(stored.index)
        fresh = incoming[~known]
        if len(fresh):
            con.executemany(
                f"INSERT INTO alumni (nik, {', '.join(present)}, first_import_id, last_import_id, "
                f"updated_at) VALUES ({', '.join('?' * (len(present) + 1))}, ?, ?, ?)",
                [(*row[:-1], iid, iid, row[-1])
                 for row in _plain(fresh.reset_index()[["nik", *present, "updated_at"]])])
            counts["alumni baru"] += len(fresh)
        if not known.any():
            continue
        new = incoming.loc[known, present]
        old = stored.reindex(new.index)
        times = incoming.loc[known, "updated_at"].astype(str)
        old_times = old["updated_at"].fillna("").astype(str)
        old = old[present]
        new = new.where(new.notna(), old)  # a blank keeps what is stored
        n, o = new.to_numpy(dtype=object), old.to_numpy(dtype=object)
        n_null, o_null = pd.isna(n), pd.isna(o)
        differs = (n_null != o_null) | (~n_null & ~o_null & (n != o))
        rows = differs.any(axis=1)
        if not rows.any():
            continue
        history, updates = [], []
        for pos in rows.nonzero()[0]:
            nik = new.index[pos]
            fields = [present[j] for j in differs[pos].nonzero()[0]]
            before = {f: _json_value(old.iat[pos, present.index(f)]) for f in fields}
            after = {f: _json_value(new.iat[pos, present.index(f)]) for f in fields}
            other = elsewhere.get(nik)
            if not other:  # only this BPVP trained this NIK: its correction
                history.append(("alumni", nik, store.to_json(before),
                                store.to_json({**after, "bpvp": label}), iid, now))
                updates.append((*[_json_value(v) for v in new.iloc[pos]], iid, times.iat[pos], nik))
                continue
            applied = times.iat[pos] >= old_times.iat[pos]
            before["bpvp"], after["bpvp"] = other, label
            # Always "what gave way" -> "what the national row holds".
            gave, kept = (before, after) if applied else (after, before)
            entry = ("alumni", nik, store.to_json(gave), store.to_json(kept))
            if applied or not con.execute(
                    "SELECT 1 FROM history WHERE table_name = ? AND row_key = ? AND old_values = ? "
                    "AND new_values = ?", entry).fetchone():
                history.append((*entry, iid, now))
            if applied:
                updates.append((*[_json_value(v) for v in new.iloc[pos]], iid, times.iat[pos], nik))
            conflicts += [{"jenis": "identitas", "nik": nik, "kolom": REVIEWED[f],
                           "nilai_nasional": before[f], "bpvp_lain": other,
                           "nilai_bpvp_ini": after[f], "bpvp": label,
                           "dipakai": after[f] if applied else before[f]}
                          for f in fields if f in REVIEWED and before[f] is not None
                          and after[f] is not None]
        con.executemany(
            "INSERT INTO history (table_name, row_key, old_values, new_values, import_id, "
            "changed_at) VALUES (?, ?, ?, ?, ?, ?)", history)
        con.executemany(
            f"UPDATE alumni SET {', '.join(f'{f} = ?' for f in present)}, last_import_id = ?, "
            "updated_at = ? WHERE nik = ?", updates)
        counts["alumni diperbarui"] += len(updates)
    return counts, conflicts


def _json_value(v):
    if v is None or (isinstance(v, float) and v != v):
        return None
    return v.item() if hasattr(v, "item") else v


def _copy(con, src, table: str, key: tuple, fields: tuple, tables: dict, iid: int, label: str,
          name: str) -> dict:
    """Upsert one table of a source into the national store; count new and changed rows."""
    out = {f"{name} dibaca": 0, f"{name} baru": 0, f"{name} diperbarui": 0}
    cols = tables.get(table)
    if not cols:
        return out
    present = [f for f in fields if f in cols]
    read = [*key, *present] + (["bpvp"] if "bpvp" in cols else [])
    tagged = table in ("enrolments", "answers", "review_decisions")
    write = [*key, *present] + (["bpvp"] if tagged else [])
    extra = {"enrolments": ["first_import_id", "last_import_id", "updated_at"],
             "answers": ["import_id"], "review_decisions": []}[table]
    changed = [*present, *(["bpvp"] if tagged and table != "enrolments" else [])]
    sets = [f"{c} = excluded.{c}" for c in changed]
    sets += {"enrolments": ["last_import_id = excluded.last_import_id",
                            "updated_at = excluded.updated_at"],
             # A changed answer is matched and placed again by the next step 7.
             "answers": ["import_id = excluded.import_id", "refreshed_with = NULL"],
             "review_decisions": []}[table]
    # What the national step 7 derives again (an answer's match) is no reason to update.
    compared = [c for c in changed if not (table == "answers" and c in DERIVED)]
    differs = " OR ".join(f"{table}.{c} {_DIFFERS} excluded.{c}" for c in compared)
    target = store.ENROLMENT_CONFLICT if table == "enrolments" else f"({', '.join(key)})"
    sql = (f"INSERT INTO {table} ({', '.join(write + extra)}) "
           f"VALUES ({', '.join('?' * (len(write) + len(extra)))}) "
           f"ON CONFLICT {target} DO UPDATE SET {', '.join(sets)} WHERE {differs}")
    now = store.now_iso()
    tail = {"enrolments": (iid, iid, now), "answers": (iid,), "review_decisions": ()}[table]
    before_rows = con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    before_changes = con.total_changes
    for chunk in _read(src, f"SELECT {', '.join(read)} FROM {table} ORDER BY rowid"):
        if tagged:
            chunk["bpvp"] = _own(chunk, label)
        con.executemany(sql, [(*row, *tail) for row in _plain(chunk[write])])
        out[f"{name} dibaca"] += len(chunk)
    touched = con.total_changes - before_changes
    out[f"{name} baru"] = con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] - before_rows
    out[f"{name} diperbarui"] = touched - out[f"{name} baru"]
    return out


def _own(chunk: pd.DataFrame, label: str) -> pd.Series:
    """The BPVP of each row: its own when the source is itself a merge, else the source's."""
    own = chunk["bpvp"] if "bpvp" in chunk else pd.Series(None, index=chunk.index, dtype=object)
    return own.where(own.notna() & (own.astype(str) != ""), label)


def _enrolment_ids(con, src, label: str) -> dict[int, int]:
    """{source enrolment id: national enrolment id}, by training key and BPVP."""
    key = list(store.ENROLMENT_KEY)
    cols = {r[1] for r in src.execute("PRAGMA table_info(enrolments)")}
    mine = pd.read_sql_query(
        f"SELECT id, {', '.join(key)}{', bpvp' if 'bpvp' in cols else ''} FROM enrolments", src)
    if mine.empty:
        return {}
    mine["bpvp"] = _own(mine, label)
    labels = sorted(mine["bpvp"].unique())
    _fill_keys(con, labels)
    theirs = pd.read_sql_query(
        f"SELECT e.id AS national_id, {', '.join('e.' + k for k in key)}, e.bpvp FROM enrolments e "
        "JOIN temp.merge_keys k ON k.value = e.bpvp", con)
    for frame in (mine, theirs):
        frame["training_year"] = frame["training_year"].astype("int64")
        frame[["nik", "kejuruan", "program_key", "angkatan", "bpvp"]] = frame[
            ["nik", "kejuruan", "program_key", "angkatan", "bpvp"]].astype(str)
    both = mine.merge(theirs, on=[*key, "bpvp"])
    return dict(zip(both["id"].astype(int), both["national_id"].astype(int)))


def _undone_decisions(con, src, tables, label: str) -> dict:
    """A review decision the BPVP took back (undo) is taken back nationally too: removed,
    and its answer matched again by the next step 7."""
    out = {"keputusan tinjauan dihapus": 0}
    if not tables.get("review_decisions") or not tables.get("answers"):
        return out
    cols = tables["answers"]
    labels = ({label} | {b for (b,) in src.execute("SELECT DISTINCT bpvp FROM answers "
                                                   "WHERE bpvp IS NOT NULL")}
              if "bpvp" in cols else {label})
    kept = [k for (k,) in src.execute("SELECT answer_key FROM review_decisions")]
    # Only decisions this BPVP brought: one staff took in the national workspace stays.
    con.execute("CREATE TEMP TABLE IF NOT EXISTS merge_kept (value TEXT PRIMARY KEY)")
    con.execute("DELETE FROM temp.merge_kept")
    con.executemany("INSERT INTO temp.merge_kept (value) VALUES (?)", ((k,) for k in kept))
    _fill_keys(con, sorted(labels))
    gone = [k for (k,) in con.execute(
        "SELECT d.answer_key FROM review_decisions d JOIN temp.merge_keys b ON b.value = d.bpvp "
        "WHERE d.answer_key NOT IN (SELECT value FROM temp.merge_kept)")]
    con.execute("DROP TABLE IF EXISTS temp.merge_kept")
    if gone:
        con.executemany("DELETE FROM review_decisions WHERE answer_key = ?", ((k,) for k in gone))
        con.executemany("UPDATE answers SET refreshed_with = NULL WHERE answer_key = ?",
                        ((k,) for k in gone))
    out["keputusan tinjauan dihapus"] = len(gone)
    return out


def _codes(con, src, tables, ids: dict[int, int], label: str) -> tuple[dict, list[dict]]:
    """Respondent codes, on the national enrolment of their training. A code another BPVP's
    enrolment already holds (two random codes alike) is not merged and listed."""
    out = {"kode responden dibaca": 0, "kode responden baru": 0}
    conflicts: list[dict] = []
    if not tables.get("respondent_codes"):
        return out, conflicts
    mine = pd.read_sql_query("SELECT enrolment_id, code, created_at FROM respondent_codes", src)
    out["kode responden dibaca"] = len(mine)
    mine["national_id"] = mine["enrolment_id"].map(ids)
    mine = mine[mine["national_id"].notna()]
    _fill_keys(con, mine["code"])
    held, held_by = {}, {}
    for code, eid, bpvp in con.execute(
            "SELECT c.code, c.enrolment_id, e.bpvp FROM respondent_codes c "
            "JOIN temp.merge_keys k ON k.value = c.code JOIN enrolments e ON e.id = c.enrolment_id"):
        held[code], held_by[code] = eid, bpvp or "folder nasional"
    rows = []
    for code, nid, created in zip(mine["code"], mine["national_id"].astype(int), mine["created_at"]):
        if code in held and held[code] != nid:
            nik = con.execute("SELECT nik FROM enrolments WHERE id = ?", (nid,)).fetchone()[0]
            conflicts.append({"jenis": "kode", "nik": nik, "kolom": "Kode responden",
                              "nilai_nasional": code, "bpvp_lain": held_by.get(code),
                              "nilai_bpvp_ini": code, "bpvp": label,
                              "dipakai": f"milik {held_by.get(code)} (tidak digabung)"})
            continue
        if code not in held:
            rows.append((nid, code, created))
    before = con.total_changes
    con.executemany("INSERT INTO respondent_codes (enrolment_id, code, created_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (enrolment_id) DO UPDATE SET code = excluded.code", rows)
    out["kode responden baru"] = con.total_changes - before
    return out, conflicts


def _refusals(con, src, tables, ids: dict[int, int], label: str) -> dict:
    """Refusals staff recorded, each kept once; one for the person covers the trainings at
    its own BPVP (rules/refusals)."""
    out = {"penolakan dibaca": 0, "penolakan baru": 0}
    cols = tables.get("refusals")
    if not cols:
        return out
    extra = ", bpvp" if "bpvp" in cols else ""
    frame = pd.read_sql_query("SELECT nik, enrolment_id, refused_on, reason, entered_by, "
                              f"created_at{extra} FROM refusals ORDER BY id", src)
    out["penolakan dibaca"] = len(frame)
    frame["bpvp"] = _own(frame, label)
    frame["enrolment_id"] = frame["enrolment_id"].map(ids).astype(object)
    before = con.total_changes
    con.executemany(
        "INSERT INTO refusals (nik, enrolment_id, refused_on, reason, entered_by, created_at, bpvp) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        _plain(frame[["nik", "enrolment_id", "refused_on", "reason", "entered_by", "created_at",
                      "bpvp"]]))
    out["penolakan baru"] = con.total_changes - before
    return out


def _deliveries(con, src, tables, iid: int) -> dict:
    """The blast apps' delivery reports (by number: the recap's reach)."""
    out = {"laporan kirim dibaca": 0, "laporan kirim baru": 0}
    if not tables.get("blast_deliveries"):
        return out
    before = con.total_changes
    for chunk in _read(src, "SELECT delivery_key, phone, name, status, status_at, status_text, "
                            "row_number FROM blast_deliveries ORDER BY id"):
        out["laporan kirim dibaca"] += len(chunk)
        con.executemany(
            "INSERT INTO blast_deliveries (delivery_key, phone, name, status, status_at, "
            "status_text, row_number, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING", [(*row, iid) for row in _plain(chunk)])
    out["laporan kirim baru"] = con.total_changes - before
    return out


def _outreach(con, src, tables, ids: dict[int, int]) -> dict:
    """Survey invitations and reminders sent (vacancy messages stay with the BPVP)."""
    out = {"catatan kirim dibaca": 0, "catatan kirim baru": 0}
    if not tables.get("outreach_log"):
        return out
    marks = ", ".join("?" for _ in SURVEY_OUTREACH)
    before = con.total_changes
    for chunk in _read(src, "SELECT nik, enrolment_id, kind, wave, sent_on, run_id, created_at "
                            f"FROM outreach_log WHERE kind IN ({marks}) ORDER BY id",
                       SURVEY_OUTREACH):
        out["catatan kirim dibaca"] += len(chunk)
        chunk["enrolment_id"] = chunk["enrolment_id"].map(ids).astype(object)
        con.executemany(
            "INSERT INTO outreach_log (nik, enrolment_id, kind, wave, sent_on, run_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", _plain(chunk))
    out["catatan kirim baru"] = con.total_changes - before
    return out
