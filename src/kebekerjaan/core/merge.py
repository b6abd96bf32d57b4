"""`kebekerjaan gabung`: the stores of several BPVPs merged into one national workspace.

Each source is a BPVP's workspace folder; its `kebekerjaan.toml` names the BPVP
(`[institution] short_name`, else `name`), and every enrolment and answer it brings
keeps that name in `bpvp`. A person (NIK) trained in two BPVPs is one alumni row with
two enrolments. Re-merging a BPVP updates what changed and adds what is new, never a
second copy: alumni are keyed by NIK, enrolments by their training key, answers by
their answer key, review decisions by answer. Merged answers are matched and placed
again by the national store's step 7 (only those new or changed since the last merge),
within their own BPVP's alumni. Each source is read only, never migrated or written,
and merged in one transaction: a source that cannot be read changes nothing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kebekerjaan.core import store
from kebekerjaan.core.config import CONFIG_NAME
from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.core.workspace import Workspace, init_workspace

PERSON = ("name", "sex", "birth_date", "education", "address", "phone", "email", "prov_code",
          "prov_name", "kabkota_code", "kabkota_name")
TRAINING_KEY = ("nik", "kejuruan", "program_key", "angkatan", "training_year")
TRAINING = ("program", "start_date", "end_date", "graduation", "flags")
# What a BPVP's answer says and how a human settled it; what the machine derives from it
# (training, wave, latest) is computed again in the national store.
ANSWER = ("source", "answered_at", "status", "given_nik", "given_name", "given_phone",
          "given_kejuruan", "given_angkatan", "employer", "position", "employer_type", "sector",
          "location", "start_date", "income", "relevance", "job_source", "consent", "message",
          "rule", "confidence", "unclear", "notes", "file_name", "row_number", "entered_by",
          "created_at", "nik", "match_status", "match_method", "match_score", "candidates",
          "discarded")
DERIVED = ("nik", "match_status", "match_method", "match_score", "candidates")
DECISION = ("decision", "nik", "status", "decided_by", "decided_at")
CHUNK = 100_000
NATIONAL = {"name": "Rekap Nasional Survei Kebekerjaan Alumni BPVP", "short_name": "Nasional"}
# The SQL standard's null-safe "differs"; SQLite before 3.39 only knows its own IS NOT.
_DIFFERS = "IS DISTINCT FROM" if sqlite3.sqlite_version_info >= (3, 39) else "IS NOT"


@dataclass
class MergedSource:
    folder: Path
    bpvp: str
    status: str  # ok | skipped
    counts: dict = field(default_factory=dict)
    message: str = ""


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
    import tomlkit

    doc = tomlkit.parse(config_path.read_text(encoding="utf-8-sig"))
    if "institution" not in doc:
        raise KebekerjaanError(f"{config_path}: bagian [institution] tidak ditemukan.")
    doc["institution"]["name"] = name
    doc["institution"]["short_name"] = short_name
    config_path.write_text(tomlkit.dumps(doc), encoding="utf-8")


def merge_workspaces(sources: list[Path], dest: Path, *, progress: bool = False) -> list[MergedSource]:
    """Merge each source workspace's store into the national workspace at `dest`."""
    dest = Path(dest)
    fresh = not (dest / CONFIG_NAME).exists()
    national = init_workspace(dest)
    if fresh:
        set_institution(national.config_path, **NATIONAL)
    folders = [Path(s).resolve() for s in sources]
    if national.root in folders:
        raise KebekerjaanError("Folder nasional tidak boleh sekaligus menjadi sumber.")
    checked = []
    for folder in folders:
        # Every source is checked before anything is merged: a typo stops the whole run.
        if not (folder / CONFIG_NAME).is_file():
            raise KebekerjaanError(f"{folder}: bukan folder kerja kebekerjaan ({CONFIG_NAME} tidak ada).")
        ws = Workspace(folder)
        if not ws.store_path.is_file():
            raise KebekerjaanError(f"{folder}: basis data {ws.store_path.name} belum ada; jalankan "
                                   "langkah 1 di folder itu dahulu.")
        checked.append((ws, bpvp_name(ws)))
    labels = [label for _, label in checked]
    twice = sorted({x for x in labels if labels.count(x) > 1})
    if twice:
        raise KebekerjaanError(f"Nama BPVP sama pada lebih dari satu folder: {', '.join(twice)}; "
                               "bedakan [institution] short_name-nya.")
    con = store.connect(national.store_path)
    try:
        from tqdm.auto import tqdm

        return [_merge_one(con, ws, label)
                for ws, label in tqdm(checked, desc="Menggabungkan BPVP", unit="BPVP",
                                      disable=not progress)]
    finally:
        con.close()


def _merge_one(con, ws: Workspace, label: str) -> MergedSource:
    sha = store.sha256_file(ws.store_path)
    if store.already_imported(con, "gabung", sha):
        return MergedSource(ws.root, label, "skipped",
                            message="basis data ini sudah digabung dan tidak berubah sejak itu")
    src = sqlite3.connect(f"file:{ws.store_path}?mode=ro", uri=True)
    try:
        cols = {t: {r[1] for r in src.execute(f"PRAGMA table_info({t})")}
                for t in ("alumni", "enrolments", "answers", "review_decisions")}
        if not cols["alumni"] or not cols["enrolments"]:
            raise KebekerjaanError(f"{ws.store_path}: bukan basis data kebekerjaan (tabel alumni tidak ada).")
        with store.transaction(con):
            iid = store.log_import(con, kind="gabung", file_name=f"{label}: {ws.store_path}",
                                   sha256=sha, status="ok")
            counts = {
                "alumni": _copy(con, src, "alumni", ("nik",), PERSON, cols, iid, label),
                "pelatihan": _copy(con, src, "enrolments", TRAINING_KEY, TRAINING, cols, iid, label),
                "jawaban": _copy(con, src, "answers", ("answer_key",), ANSWER, cols, iid, label),
                "keputusan tinjauan": _copy(con, src, "review_decisions", ("answer_key",), DECISION,
                                            cols, iid, label),
            }
            store.update_import(con, iid, rows_read=sum(c["dibaca"] for c in counts.values()),
                                new=sum(c["baru"] for c in counts.values()),
                                updated=sum(c["diperbarui"] for c in counts.values()))
    except sqlite3.DatabaseError as exc:
        raise KebekerjaanError(f"{ws.store_path}: basis data tidak bisa dibaca ({exc}); tidak ada "
                               "yang digabung dari folder ini.") from None
    finally:
        src.close()
    return MergedSource(ws.root, label, "ok",
                        {f"{t} {k}": v for t, c in counts.items() for k, v in c.items()})


def _copy(con, src, table: str, key: tuple, fields: tuple, cols: dict, iid: int,
          label: str) -> dict:
    """Upsert one table of a source into the national store; count new and changed rows."""
    present = [f for f in fields if f in cols[table]]
    read = [*key, *present] + (["bpvp"] if "bpvp" in cols[table] else [])
    out = {"dibaca": 0, "baru": 0, "diperbarui": 0}
    if not cols[table]:
        return out
    tagged = table in ("enrolments", "answers")
    write = [*key, *present] + (["bpvp"] if tagged else [])
    extra = {"alumni": ["first_import_id", "last_import_id", "updated_at"],
             "enrolments": ["first_import_id", "last_import_id", "updated_at"],
             "answers": ["import_id"], "review_decisions": []}[table]
    changed = [*present, *(["bpvp"] if tagged else [])]
    sets = [f"{c} = excluded.{c}" for c in changed]
    sets += {"alumni": ["last_import_id = excluded.last_import_id", "updated_at = excluded.updated_at"],
             "enrolments": ["last_import_id = excluded.last_import_id",
                            "updated_at = excluded.updated_at"],
             # A changed answer is matched and placed again by the next step 7.
             "answers": ["import_id = excluded.import_id", "refreshed_with = NULL"],
             "review_decisions": []}[table]
    # What the national step 7 derives again (an answer's match) is no reason to update.
    compared = [c for c in changed if not (table == "answers" and c in DERIVED)]
    differs = " OR ".join(f"{table}.{c} {_DIFFERS} excluded.{c}" for c in compared)
    sql = (f"INSERT INTO {table} ({', '.join(write + extra)}) "
           f"VALUES ({', '.join('?' * (len(write) + len(extra)))}) "
           f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {', '.join(sets)} WHERE {differs}")
    now = store.now_iso()
    before_rows = con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    before_changes = con.total_changes
    order = "nik" if table == "alumni" else "rowid"
    for chunk in pd.read_sql_query(f"SELECT {', '.join(read)} FROM {table} ORDER BY {order}", src,
                                   chunksize=CHUNK):
        if tagged:
            # A source that is itself a merge keeps the BPVP each row came from.
            own = chunk["bpvp"] if "bpvp" in chunk else pd.Series(None, index=chunk.index)
            chunk["bpvp"] = own.where(own.notna(), label)
        chunk = chunk[write]
        values = chunk.astype(object).where(chunk.notna(), None)
        tail = {"alumni": (iid, iid, now), "enrolments": (iid, iid, now), "answers": (iid,),
                "review_decisions": ()}[table]
        con.executemany(sql, [(*row, *tail) for row in values.itertuples(index=False, name=None)])
        out["dibaca"] += len(chunk)
    touched = con.total_changes - before_changes
    out["baru"] = con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] - before_rows
    out["diperbarui"] = touched - out["baru"]
    return out
