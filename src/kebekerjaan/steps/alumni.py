"""SOP step 1: collect alumni data exported from SIAPkerja.

Every new file in `data/masuk/alumni/` is read, normalized and merged into the
store in one transaction per file. Each row ends up counted exactly once:
rows read = new + updated + unchanged + duplicates + rejected.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd

from kebekerjaan.core import recovery, store
from kebekerjaan.core.config import Settings
from kebekerjaan.core.context import StepContext
from kebekerjaan.core.runs import record_step
from kebekerjaan.core.workspace import Workspace
from kebekerjaan.io.excel import write_workbook
from kebekerjaan.io.intake import (
    FileReport,
    ImportResult,
    column_notes,
    concat_frames,
    note_columns,
    plain,
    read_new_table,
    rejects_frame,
    store_rejects,
    unread_reports,
)
from kebekerjaan.io.normalize import (
    KejuruanMapper,
    clean_repeating,
    clean_text,
    kejuruan_mapper,
    normalize_angkatan,
    normalize_email,
    normalize_graduation,
    normalize_name,
    normalize_nik,
    normalize_phone,
    normalize_sex,
    parse_dates,
)
from kebekerjaan.io.normalize.programs import tidy_program
from kebekerjaan.io.normalize.text import header_key
from kebekerjaan.io.tables import RawTable, inbox_files, sheets_note

STEP = 1
KIND = "alumni"
REQUIRED = ("nik", "name", "kejuruan", "program", "angkatan", "end_date")
PERSON_FIELDS = ("name", "sex", "birth_date", "education", "address", "phone", "email",
                 "prov_code", "prov_name", "kabkota_code", "kabkota_name")
# The training key (store.ENROLMENT_KEY): this workspace's own enrolments have no BPVP.
ENROLMENT_KEY = store.ENROLMENT_KEY
# Values of an enrolment that a newer export may change (the key identifies it).
ENROLMENT_FIELDS = ("program", "start_date", "end_date", "graduation", "flags")
COUNT_NAMES = ("rows_read", "accepted", "new", "updated", "unchanged", "duplicates", "rejected",
               "flagged")

# Plausible dates: a training before 1950 or ending well after the as-of date is a typo
# (a year 1900 or 2099), not data.
EARLIEST_TRAINING = date(1950, 1, 1)
FUTURE_MARGIN = timedelta(days=90)
EARLIEST_BIRTH = date(1920, 1, 1)
YOUNGEST = timedelta(days=365 * 10)

# Indonesian labels of the fields, for messages and output sheets.
LABELS = {
    "nik": "NIK", "name": "Nama", "sex": "Jenis Kelamin", "birth_date": "Tanggal Lahir",
    "education": "Pendidikan", "address": "Alamat", "phone": "No HP", "email": "Email",
    "kejuruan": "Kejuruan", "program": "Program", "angkatan": "Angkatan",
    "start_date": "Tanggal Mulai", "end_date": "Tanggal Selesai", "graduation": "Status Kelulusan",
}
# Derived fields the schema guard checks, named as staff know them.
_DERIVED_LABELS = {"training_year": "Tahun pelatihan (dari tanggal selesai)", "program_key": "Program",
                   "flags": "Catatan"}


@dataclass
class IntakeResult(ImportResult):
    flagged: pd.DataFrame = field(default_factory=pd.DataFrame)

    COUNT_NAMES = COUNT_NAMES
    FIELD_LABELS = LABELS
    SHOWN = ("file", "status", "rows_read", "new", "updated", "unchanged", "duplicates",
             "rejected", "flagged", "message")

    def reasons_frame(self) -> pd.DataFrame:
        """How often each reject reason occurred."""
        if self.rejects.empty:
            return pd.DataFrame(columns=["Alasan", "Jumlah baris"])
        reasons = self.rejects["Alasan"].str.split("; ").explode()
        reasons = reasons.str.replace(r" '.*", "", regex=True).str.replace(r":.*", "", regex=True)
        out = reasons.value_counts().rename_axis("Alasan").reset_index(name="Jumlah baris")
        return out


@recovery.step_writer("mengimpor data alumni (langkah 1)")
def collect_alumni(ctx: StepContext) -> IntakeResult:
    """Import every new alumni export of the workspace; write the run's reject list.
    At the notebook (ctx.interactive) a progress bar counts the files."""
    ws, today, run_id, settings = ctx.ws, ctx.today, ctx.run_id, ctx.settings
    mapper = kejuruan_mapper(settings)
    files, unread = inbox_files(ws.inbox(KIND))
    if ctx.interactive:
        from tqdm.auto import tqdm

        files = tqdm(files, desc="Berkas alumni", unit="berkas")
    con = store.connect(ws.store_path)
    reports, rejects, flagged = [], [], []
    try:
        for path in files:
            report, rej, flg = _import_file(con, path, settings, mapper, today, run_id)
            reports.append(report)
            rejects.append(rej)
            flagged.append(flg)
    finally:
        con.close()
    reports += unread_reports(unread)
    result = IntakeResult(
        files=reports,
        rejects=concat_frames(rejects, ["Berkas", "Baris", "Alasan"]),
        flagged=concat_frames(flagged, ["Berkas", "Baris", "Catatan"]),
    )
    result.outputs = _write_outputs(result, ctx.run_dir)
    record_step(
        ctx.run_dir, STEP,
        counts=result.totals(),
        inputs=[{"kind": KIND, **asdict(f)} for f in reports],
        outputs=result.outputs,
        notes=column_notes(reports),
    )
    return result


def _import_file(con, path: Path, settings: Settings, mapper, today, run_id):
    sha, table, not_read = read_new_table(con, KIND, path, settings, REQUIRED, run_id)
    if not_read:
        return not_read, None, None

    accepted, rejected = normalize_alumni(table, mapper, today,
                                          settings.intake.program_acronyms)
    # The merge writes each person before their enrolments and references only the log
    # row it has just made, so SQLite's per-row foreign-key lookups (a third of the write
    # time on a large file) can be skipped for it.
    with store.foreign_keys_off(con), store.transaction(con):
        import_id = store.log_import(con, kind=KIND, file_name=path.name, sha256=sha, status="ok",
                                     run_id=run_id, as_of=today.isoformat())
        counts = _merge_into_store(con, accepted, import_id)
        store_rejects(con, rejected, import_id=import_id, kind=KIND, file_name=path.name,
                      labels=LABELS)
        counts["rows_read"] = len(table.frame)
        counts["rejected"] = len(rejected)
        counts["accepted"] = counts["new"] + counts["updated"] + counts["unchanged"]
        store.update_import(con, import_id, **counts)
    kept = accepted[~accepted["_duplicate"]]
    flagged = kept.loc[kept["flags"].notna(), ["_row", "nik", "name", "flags"]]
    flagged = pd.DataFrame({
        "Berkas": path.name, "Baris": flagged["_row"].to_numpy(), "NIK": flagged["nik"].to_numpy(),
        "Nama": flagged["name"].to_numpy(), "Catatan": flagged["flags"].to_numpy(),
    })
    report = FileReport(path.name, sha, "ok", **counts)
    note_columns(report, table.resolution)
    report.message = "; ".join(filter(None, [report.message, sheets_note(table)]))
    return report, rejects_frame(rejected, path.name, LABELS), flagged


def normalize_alumni(
    table: RawTable, mapper: KejuruanMapper, today: date, acronyms: tuple[str, ...] = ()
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a raw table into accepted rows (normalized) and rejected rows (with reasons)."""
    raw = table.frame.reindex(columns=list(LABELS), fill_value=None)
    sex = normalize_sex(raw["sex"])
    # `today` fixes the century of two-digit years, so a rerun reads dates the same way.
    birth = parse_dates(raw["birth_date"], today=today)
    start = parse_dates(raw["start_date"], today=today)
    end = parse_dates(raw["end_date"], today=today)
    nik = normalize_nik(raw["nik"], sex=sex["sex"], birth_date=birth["date"], today=today)
    phone = normalize_phone(raw["phone"])
    email = normalize_email(raw["email"])
    kejuruan = mapper.map(raw["kejuruan"])
    name = normalize_name(raw["name"])
    program = tidy_program(clean_repeating(raw["program"]), acronyms)
    angkatan = normalize_angkatan(raw["angkatan"])

    errors = _join_notes([
        nik["error"],
        _when(name.isna(), "nama kosong"),
        kejuruan["error"],
        _when(program.isna(), "program kosong"),
        _when(angkatan.isna(), "angkatan kosong"),
        _when(end["date"].isna() & end["error"].isna(), "tanggal selesai kosong"),
        _prefixed("tanggal selesai", end["error"]),
        _when(_outside(end["date"], EARLIEST_TRAINING, None),
              f"tanggal selesai pelatihan sebelum tahun {EARLIEST_TRAINING.year} (tidak wajar)"),
        _when(_outside(end["date"], None, today + FUTURE_MARGIN),
              f"tanggal selesai pelatihan lebih dari {FUTURE_MARGIN.days} hari sesudah tanggal "
              "acuan (tidak wajar)"),
    ])
    flags = _join_notes([
        nik["flag"], sex["flag"], phone["flag"], email["flag"],
        _prefixed("tanggal lahir", birth["error"]),
        _prefixed("tanggal mulai", start["error"]),
        _when(_dates_reversed(start["date"], end["date"]), "tanggal mulai sesudah tanggal selesai"),
        _when(_outside(start["date"], EARLIEST_TRAINING, today + FUTURE_MARGIN),
              "tanggal mulai pelatihan tidak wajar (sebelum "
              f"{EARLIEST_TRAINING.year} atau jauh sesudah tanggal acuan)"),
        _when(_outside(end["date"], None, today) & ~_outside(end["date"], None, today + FUTURE_MARGIN),
              "pelatihan belum selesai pada tanggal acuan"),
        _when(_outside(birth["date"], EARLIEST_BIRTH, today - YOUNGEST),
              "tanggal lahir tidak wajar"),
        table.cleaned if table.cleaned is not None else _when(pd.Series(False, index=raw.index), ""),
    ])
    columns = {
        "_row": table.row_numbers.to_numpy(),
        "nik": nik["nik"], "name": name, "sex": sex["sex"],
        "birth_date": _iso(birth["date"]), "education": clean_repeating(raw["education"]),
        "address": clean_text(raw["address"]), "phone": phone["phone"], "email": email["email"],
        "prov_code": nik["prov_code"], "prov_name": nik["prov_name"],
        "kabkota_code": nik["kabkota_code"], "kabkota_name": nik["kabkota_name"],
        "kejuruan": kejuruan["kejuruan"], "program": program, "angkatan": angkatan,
        "start_date": _iso(start["date"]), "end_date": _iso(end["date"]),
        "graduation": normalize_graduation(raw["graduation"]), "flags": flags,
    }
    bad = errors.notna().to_numpy()
    rejected = pd.concat([raw.loc[bad], pd.DataFrame({"_row": columns["_row"][bad],
                                                       "_reason": errors[bad]},
                                                      index=raw.index[bad])], axis=1)
    # The accepted rows straight from the column arrays: one copy, not a frame of every
    # row that is then filtered and copied again.
    keep = ~bad
    accepted = pd.DataFrame(
        {k: np.asarray(v)[keep] for k, v in columns.items()},
        index=raw.index[keep],
    )
    # End and program names repeat (one per cohort): each distinct one is read once.
    codes, ends = pd.factorize(accepted["end_date"], use_na_sentinel=False)
    years = pd.Series(ends, dtype=object).str.slice(0, 4).astype("int64").to_numpy()
    accepted["training_year"] = years[codes]
    accepted["program_key"] = accepted["program"].map(
        {p: header_key(p) for p in pd.unique(accepted["program"])}
    )
    accepted, schema_rejects = _schema_guard(accepted, raw)
    if not schema_rejects.empty:
        rejected = pd.concat([rejected, schema_rejects])
    accepted["_duplicate"] = accepted.duplicated(list(ENROLMENT_KEY), keep="first")
    accepted.index = pd.RangeIndex(len(accepted))  # the frame is ours: no copy to renumber it
    return accepted, rejected.sort_values("_row").reset_index(drop=True)


def _outside(dates: pd.Series, earliest, latest) -> pd.Series:
    """Mask: a date before `earliest` or after `latest` (None: no bound); blanks are not."""
    values = dates.to_numpy(dtype=object)
    out = np.fromiter((d is not None and d == d and ((earliest is not None and d < earliest)
                                                      or (latest is not None and d > latest))
                       for d in values), dtype=bool, count=len(values))
    return pd.Series(out, index=dates.index)


def _schema_guard(accepted: pd.DataFrame, raw: pd.DataFrame):
    """Last line of defence: rows that break the table schema become rejects."""
    # Imported here: pandera costs every other step's kernel half a second at start-up.
    from kebekerjaan.io.schemas import CHECK_LABELS, AlumniRecord, SchemaErrors

    try:
        AlumniRecord.validate(accepted, lazy=True)
        return accepted, pd.DataFrame()
    except SchemaErrors as exc:
        cases = exc.failure_cases.dropna(subset=["index"])
        reasons = (
            cases.assign(text=lambda d: d["column"].map({**LABELS, **_DERIVED_LABELS})
                         .fillna("isian") + ": "
                         + d["check"].astype(str).str.split("(").str[0].map(CHECK_LABELS)
                         .fillna("tidak sah"))
            .groupby("index")["text"].agg(lambda s: "; ".join(sorted(set(s))))
        )
        bad = accepted.index.isin(reasons.index)
        rej = raw.loc[accepted.index[bad]].assign(
            _row=accepted.loc[bad, "_row"], _reason=reasons.reindex(accepted.index[bad]).to_numpy()
        )
        return accepted.loc[~bad], rej


def _when(mask: pd.Series, text: str) -> pd.Series:
    return pd.Series(np.where(mask.to_numpy(), text, None), index=mask.index, dtype=object)


def _prefixed(label: str, notes: pd.Series) -> pd.Series:
    return (label + ": " + notes).where(notes.notna(), None)


def _join_notes(parts: list[pd.Series]) -> pd.Series:
    """Row-wise '; '-join of the non-empty notes; None where there are none."""
    grid = np.column_stack([p.to_numpy(dtype=object) for p in parts])
    present = ~pd.isna(grid)
    out = np.full(len(grid), None, dtype=object)
    # Few rows carry a note: join only those.
    for i in np.flatnonzero(present.any(axis=1)):
        out[i] = "; ".join(grid[i, present[i]])
    return pd.Series(out, index=parts[0].index, dtype=object)


def _iso(dates: pd.Series) -> pd.Series:
    # Dates repeat a lot (one end date per cohort): format each distinct one once.
    distinct = {d: d.isoformat() for d in pd.unique(dates.dropna())}
    return dates.map(distinct).astype(object).where(dates.notna(), None)


def _dates_reversed(start: pd.Series, end: pd.Series) -> pd.Series:
    both = (start.notna() & end.notna()).to_numpy()
    out = np.zeros(len(start), dtype=bool)
    out[both] = start.to_numpy()[both] > end.to_numpy()[both]  # elementwise date comparison
    return pd.Series(out, index=start.index)


def _merge_into_store(con, accepted: pd.DataFrame, import_id: int) -> dict[str, int]:
    """Insert new rows, update changed ones (keeping old values in history)."""
    now = store.now_iso()
    dup = accepted["_duplicate"].to_numpy()
    batch = accepted.loc[~dup]
    batch.index = pd.RangeIndex(len(batch))  # a fresh frame: renumbered without a copy
    counts = {"new": 0, "updated": 0, "unchanged": 0, "duplicates": int(dup.sum()),
              "flagged": int(batch["flags"].notna().sum())}
    if batch.empty:
        return counts

    # Only the stored rows of this file's NIKs are compared (one JSON parameter, no temp table);
    # into an empty store (the first import) there is nothing to compare.
    empty = con.execute("SELECT NOT EXISTS (SELECT 1 FROM alumni)").fetchone()[0]
    niks = "[]" if empty else json.dumps(batch["nik"].unique().tolist())
    in_batch = "nik IN (SELECT value FROM json_each(?))"
    old_people = pd.read_sql_query(
        f"SELECT nik, {', '.join(PERSON_FIELDS)} FROM alumni WHERE {in_batch}", con, params=(niks,)
    ).set_index("nik")
    old_enrol = pd.read_sql_query(
        f"SELECT id, {', '.join(ENROLMENT_KEY)}, {', '.join(ENROLMENT_FIELDS)} FROM enrolments "
        f"WHERE {in_batch} AND bpvp IS NULL",  # a merged BPVP's training is not this one's
        con, params=(niks,),
    )
    old_enrol = old_enrol.set_index(_training_key(old_enrol))
    nothing_stored = old_people.empty and old_enrol.empty  # the usual case: a new cohort
    if not old_people.empty:
        _flag_other_person(accepted, batch, old_people)
        counts["flagged"] = int(batch["flags"].notna().sum())

    # Person: the last row of a NIK in this file wins; a blank cell keeps the stored value.
    last = ~batch["nik"].duplicated(keep="last").to_numpy()
    people = batch.loc[last, list(PERSON_FIELDS)]
    people.index = pd.Index(batch["nik"].to_numpy()[last], name="nik")
    stored = old_people.reindex(people.index)
    known = people.index.isin(old_people.index)
    if nothing_stored:
        person_changed = pd.Series(False, index=people.index)
    else:
        people = people.where(people.notna() | ~known[:, None], stored)
        person_changed = pd.Series(_differs(people, stored) & known, index=people.index)

    # Enrolment: found by its training key; a blank cell keeps the stored value too.
    key = pd.Index([]) if nothing_stored else _training_key(batch)
    exists = np.zeros(len(batch), bool) if nothing_stored else old_enrol.index.get_indexer(key) >= 0
    enrol_new = batch[list(ENROLMENT_FIELDS)]
    if nothing_stored:
        enrol_old, enrol_diff = None, np.zeros(len(batch), bool)
    else:
        enrol_old = old_enrol.reindex(key)[list(ENROLMENT_FIELDS)].reset_index(drop=True)
        enrol_new = enrol_new.where(enrol_new.notna() | ~exists[:, None], enrol_old)
        enrol_diff = _differs(enrol_new, enrol_old) & exists
    row_person_changed = person_changed.reindex(batch["nik"]).to_numpy(dtype=bool)

    counts["new"] = int((~exists).sum())
    counts["updated"] = int((exists & (enrol_diff | row_person_changed)).sum())
    counts["unchanged"] = int((exists & ~enrol_diff & ~row_person_changed).sum())

    # A NIK given more than once in this file with other details (a name spelt otherwise
    # in its second training's row): the last row wins, every earlier one is kept in
    # history, in file order, so the first name given is never lost.
    history = _within_file_history(batch)
    history += [
        ("alumni", nik, *_diff_json(stored.loc[nik], people.loc[nik], PERSON_FIELDS))
        for nik in people.index[person_changed.to_numpy()]
    ]
    if enrol_diff.any():
        ids = old_enrol["id"].reindex(key).to_numpy()
        history += [
            ("enrolments", str(int(ids[i])),
             *_diff_json(enrol_old.iloc[i], enrol_new.iloc[i], ENROLMENT_FIELDS))
            for i in np.flatnonzero(enrol_diff)
        ]
    # import_id and the timestamp are generated here, so they are safe to inline.
    stamp = f"{int(import_id)}, {int(import_id)}, '{now}'"
    con.executemany(
        "INSERT INTO history (table_name, row_key, old_values, new_values, import_id, changed_at) "
        f"VALUES (?, ?, ?, ?, {int(import_id)}, '{now}')", history,
    )
    # Rows the reads above found absent get a plain INSERT: cheaper than an upsert, and a
    # conflict there would be a bug to stop at. Changed rows take the upsert.
    people_cols = [people.index, *(people[f] for f in PERSON_FIELDS)]
    person_sql = (
        f"INSERT INTO alumni (nik, {', '.join(PERSON_FIELDS)}, first_import_id, last_import_id, "
        f"updated_at) VALUES ({', '.join('?' * (len(PERSON_FIELDS) + 1))}, {stamp})"
    )
    # In NIK order: alumni is a NIK B-tree (WITHOUT ROWID), which sorted keys fill by
    # appending; its row order is not visible.
    con.executemany(person_sql, sorted(_records(people_cols, ~known), key=itemgetter(0)))
    con.executemany(
        person_sql + " ON CONFLICT (nik) DO UPDATE SET "
        + ", ".join(f"{f} = excluded.{f}" for f in PERSON_FIELDS)
        + ", last_import_id = excluded.last_import_id, updated_at = excluded.updated_at",
        _records(people_cols, person_changed.to_numpy() & known),
    )
    ecols = list(ENROLMENT_KEY) + list(ENROLMENT_FIELDS)
    enrol_cols = [*(batch[c] for c in ENROLMENT_KEY), *(enrol_new[c] for c in ENROLMENT_FIELDS)]
    enrol_sql = (
        f"INSERT INTO enrolments ({', '.join(ecols)}, first_import_id, last_import_id, updated_at) "
        f"VALUES ({', '.join('?' * len(ecols))}, {stamp})"
    )
    # File order, so new enrolments get their ids in the order of the file.
    con.executemany(enrol_sql, _records(enrol_cols, ~exists))
    con.executemany(
        enrol_sql + f" ON CONFLICT {store.ENROLMENT_CONFLICT} DO UPDATE SET "
        + ", ".join(f"{f} = excluded.{f}" for f in ENROLMENT_FIELDS)
        + ", last_import_id = excluded.last_import_id, updated_at = excluded.updated_at",
        _records(enrol_cols, enrol_diff),
    )
    return counts


def _within_file_history(batch: pd.DataFrame) -> list[tuple]:
    """History rows (table, key, old, new) between the successive versions of a person
    that one file gives more than once with different details (vectorized: people with
    several trainings are common, different details among them are not)."""
    repeated = batch["nik"].duplicated(keep=False).to_numpy()
    if not repeated.any():
        return []
    versions = batch.loc[repeated, ["nik", *PERSON_FIELDS]].sort_values("nik", kind="stable")
    later = versions["nik"].duplicated(keep="first").to_numpy()  # has an earlier version
    fields = versions[list(PERSON_FIELDS)]
    differs = np.zeros(len(versions), dtype=bool)
    differs[1:] = _differs(fields.iloc[1:].reset_index(drop=True),
                           fields.iloc[:-1].reset_index(drop=True))
    return [("alumni", versions["nik"].iat[i],
             *_diff_json(fields.iloc[i - 1], fields.iloc[i], PERSON_FIELDS))
            for i in np.flatnonzero(differs & later)]


# Below this similarity (rapidfuzz token_set_ratio, 0-100) a NIK's new name is another
# person's, not a spelling fix ("Nurjanah" / "Nurjannah binti Ismail" stay above it).
OTHER_PERSON_BELOW = 60


def _flag_other_person(accepted: pd.DataFrame, batch: pd.DataFrame, stored: pd.DataFrame) -> None:
    """Flag rows whose NIK is stored under a clearly different name (a mistyped NIK or
    another person): the update goes ahead, the old name stays in history, staff look."""
    from rapidfuzz import fuzz

    names = batch["name"].to_numpy(dtype=object)
    old = stored["name"].reindex(batch["nik"]).to_numpy(dtype=object)
    flags = batch["flags"].to_numpy(dtype=object).copy()
    hits = []
    for i in np.flatnonzero(pd.notna(old) & pd.notna(names)):
        a, b = str(old[i]).casefold(), str(names[i]).casefold()
        if a != b and fuzz.token_set_ratio(a, b) < OTHER_PERSON_BELOW:
            note = (f"NIK ini tersimpan atas nama lain ('{old[i]}'); periksa NIK-nya. Nama lama "
                    "tetap tercatat di riwayat")
            flags[i] = note if pd.isna(flags[i]) else f"{flags[i]}; {note}"
            hits.append(i)
    if not hits:
        return
    batch["flags"] = flags
    # batch holds the non-duplicate rows of accepted, in order.
    positions = np.flatnonzero(~accepted["_duplicate"].to_numpy())[hits]
    accepted.iloc[positions, accepted.columns.get_loc("flags")] = flags[hits]


def _training_key(frame: pd.DataFrame) -> pd.Index:
    """One string per (NIK, training): a single-column join is much cheaper than five."""
    parts = [frame[c].astype(str) for c in ENROLMENT_KEY]
    out = parts[0]
    for part in parts[1:]:
        out = out + "\x1f" + part
    return pd.Index(out.to_numpy())


def _diff_json(old: pd.Series, new: pd.Series, fields) -> tuple[str, str]:
    changed = [f for f in fields if not _same(old[f], new[f])]
    return (store.to_json({f: plain(old[f]) for f in changed}),
            store.to_json({f: plain(new[f]) for f in changed}))


def _same(a, b) -> bool:
    a_null = a is None or (isinstance(a, float) and np.isnan(a))
    b_null = b is None or (isinstance(b, float) and np.isnan(b))
    return (a_null and b_null) or (not a_null and not b_null and a == b)


def _differs(new: pd.DataFrame, old: pd.DataFrame) -> np.ndarray:
    """Row mask: any field differs (two blanks are equal)."""
    n, o = new.to_numpy(dtype=object), old.to_numpy(dtype=object)
    n_null, o_null = pd.isna(n), pd.isna(o)
    neq = (n_null != o_null) | (~n_null & ~o_null & (n != o))
    return neq.any(axis=1)


def _records(columns, rows: np.ndarray):
    """The `rows` (a mask) of the columns as rows of plain Python values (None for blanks),
    as sqlite3 wants them.

    Column by column, without a frame of just those rows: far cheaper than converting a
    frame row by row.
    """
    if not rows.any():
        return iter(())
    every = rows.all()
    out = []
    for col in columns:
        values = col.to_numpy(dtype=object)
        values = values.copy() if every else values[rows]
        values[pd.isna(values)] = None
        out.append(values.tolist())
    return zip(*out)


def _write_outputs(result: IntakeResult, run_dir: Path) -> list[Path]:
    files = result.files_frame()
    rejects = write_workbook(run_dir / "ditolak_alumni.xlsx",
                             {"Ditolak": result.rejects, "Ringkasan Berkas": files})
    flagged = write_workbook(run_dir / "perlu_dicek_alumni.xlsx", {"Perlu Dicek": result.flagged})
    return [rejects, flagged]


def alumni_counts(ws: Workspace) -> pd.DataFrame:
    """Alumni per kejuruan and angkatan (training year and batch), from the store."""
    con = store.connect(ws.store_path)
    try:
        frame = pd.read_sql_query(
            "SELECT kejuruan AS Kejuruan, training_year AS Tahun, angkatan AS Angkatan, "
            "COUNT(DISTINCT nik) AS Alumni, MIN(end_date) AS \"Selesai\" "
            "FROM enrolments GROUP BY kejuruan, training_year, angkatan "
            "ORDER BY kejuruan, training_year, CAST(angkatan AS INTEGER), angkatan",
            con,
        )
    finally:
        con.close()
    return frame


def alumni_per_kejuruan(ws: Workspace) -> pd.DataFrame:
    counts = alumni_counts(ws)
    if counts.empty:
        return counts
    table = counts.pivot_table(index="Kejuruan", columns="Tahun", values="Alumni", aggfunc="sum",
                               fill_value=0)
    table["Jumlah"] = table.sum(axis=1)
    return table
