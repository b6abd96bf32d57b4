"""SOP step 2: gather job vacancies (lowongan) from employers and other sources.

Vacancy lists dropped in `data/masuk/lowongan/` are read like alumni exports (header
aliases from `[columns.lowongan]`), checked row by row and merged into the store; staff
can also add or close a vacancy by hand (widgets.vacancy_form). A vacancy is open until
its deadline (inclusive) or until it is closed by hand.

Identity: the same company, position and deadline (compared case-, space- and
punctuation-insensitively) is one vacancy, whichever file or form it came from; a later
file updates it, keeping the old values in the history table.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from kebekerjaan.core import journal, recovery, store
from kebekerjaan.core.config import Settings
from kebekerjaan.core.context import StepContext
from kebekerjaan.core.errors import EntryError, KebekerjaanError
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
from kebekerjaan.io.normalize import KejuruanMapper, clean_text, parse_date, parse_dates
from kebekerjaan.io.normalize.kejuruan import kejuruan_mapper
from kebekerjaan.io.normalize.text import header_key
from kebekerjaan.io.tables import cleaned_note, inbox_files, sheets_note

STEP = 2
KIND = "lowongan"
REQUIRED = ("company", "position", "kejuruan")
# Values a later file may change; the key (company, position, deadline) identifies the vacancy.
FIELDS = ("company", "position", "kejuruan", "location", "min_education", "openings", "deadline",
          "how_to_apply", "source", "received_date")
UPDATABLE = ("kejuruan", "location", "min_education", "openings", "how_to_apply", "source",
             "received_date")
# Columns a vacancy list may have ([columns.lowongan]); contact and link join how_to_apply.
FILE_FIELDS = ("company", "position", "kejuruan", "location", "min_education", "openings",
               "deadline", "how_to_apply", "contact", "link", "source", "received_date")
COUNT_NAMES = ("rows_read", "accepted", "new", "updated", "unchanged", "duplicates", "rejected")
KEJURUAN_SEPARATOR = "; "  # how the store joins several kejuruan (see store migration 2)

# Indonesian labels, for reject lists and the tables shown in the notebook.
LABELS = {
    "id": "No", "company": "Perusahaan", "position": "Jabatan", "kejuruan": "Kejuruan",
    "location": "Lokasi", "min_education": "Pendidikan Minimal", "openings": "Jumlah",
    "deadline": "Batas Lamaran", "how_to_apply": "Cara Melamar", "contact": "Kontak",
    "link": "Tautan", "source": "Sumber", "received_date": "Tanggal Diterima",
    "closed_on": "Ditutup", "closed_reason": "Alasan Ditutup", "entered_by": "Dicatat oleh",
}
MANUAL_SOURCE = "Input manual"

# Several kejuruan in one cell: "Las, Listrik", "TIK; Bisman", "Las / Listrik", "Las dan Listrik".
_SPLIT = re.compile(r"(\s*[,;/&+]\s*|\s+dan\s+)", re.IGNORECASE)


@dataclass
class VacancyImport(ImportResult):
    COUNT_NAMES = COUNT_NAMES
    FIELD_LABELS = LABELS


# --- kejuruan ------------------------------------------------------------------------------


class _KejuruanSplitter:
    """Reads a cell naming one or more kejuruan into canonical names.

    Canonical names contain the separators themselves ("Bisnis dan Manajemen",
    "Las / Manufaktur"), so the cell is cut at every separator and the longest run of
    pieces that names a kejuruan wins, left to right.
    """

    def __init__(self, mapper: KejuruanMapper):
        self.mapper = mapper
        self.order = {name: i for i, name in enumerate(mapper.names)}
        self._cache: dict[str, tuple[str | None, str | None]] = {}

    def _lookup(self, text: str) -> tuple[str | None, str | None]:
        if text not in self._cache:
            row = self.mapper.map(pd.Series([text], dtype=object)).iloc[0]
            self._cache[text] = (row["kejuruan"], row["error"])
        return self._cache[text]

    def split(self, text: str | None) -> tuple[list[str], list[str]]:
        """(canonical names in configuration order, Indonesian errors)."""
        if text is None or not str(text).strip():
            return [], ["kejuruan kosong"]
        parts = _SPLIT.split(str(text).strip())
        pieces, seps = parts[0::2], parts[1::2]
        found: list[str] = []
        errors: list[str] = []
        i = 0
        while i < len(pieces):
            for j in range(len(pieces), i, -1):
                candidate = "".join(p + s for p, s in zip(pieces[i:j], [*seps[i:j - 1], ""]))
                name, _ = self._lookup(candidate)
                if name is not None:
                    found.append(name)
                    i = j
                    break
            else:
                if pieces[i].strip():
                    errors.append(self._lookup(pieces[i].strip())[1])
                i += 1
        if not found and not errors:
            errors.append("kejuruan kosong")
        return sorted(set(found), key=self.order.__getitem__), errors


# --- import -------------------------------------------------------------------------------


@recovery.step_writer("mengimpor lowongan (langkah 2)")
def gather_vacancies(ctx: StepContext) -> VacancyImport:
    """Import every new vacancy list of the workspace; write the run's reject list."""
    ws, run_dir, today, run_id, settings = ctx.ws, ctx.run_dir, ctx.today, ctx.run_id, ctx.settings
    splitter = _KejuruanSplitter(kejuruan_mapper(settings))
    con = store.connect(ws.store_path)
    reports, rejects = [], []
    files, unread = inbox_files(ws.inbox(KIND))
    try:
        for path in files:
            report, rej = _import_file(con, path, settings, splitter, today, run_id)
            reports.append(report)
            if rej is not None and not rej.empty:
                rejects.append(rej)
    finally:
        con.close()
    reports += unread_reports(unread)
    result = VacancyImport(
        files=reports,
        rejects=concat_frames(rejects, ["Berkas", "Baris", "Alasan"]),
    )
    result.outputs = [write_workbook(run_dir / "ditolak_lowongan.xlsx",
                                     {"Ditolak": result.rejects,
                                      "Ringkasan Berkas": result.files_frame()})]
    record_step(run_dir, STEP, counts=result.totals(),
                inputs=[{"kind": KIND, **asdict(f)} for f in reports], outputs=result.outputs,
                notes=column_notes(reports))
    return result


def _import_file(con, path: Path, settings: Settings, splitter, today: date, run_id):
    sha, table, not_read = read_new_table(con, KIND, path, settings, REQUIRED, run_id)
    if not_read:
        return not_read, None

    accepted, rejected = normalize_vacancies(table.frame, table.row_numbers, splitter, today)
    with store.transaction(con):
        import_id = store.log_import(con, kind=KIND, file_name=path.name, sha256=sha, status="ok",
                                     run_id=run_id)
        counts = _merge(con, accepted, import_id)
        counts["rows_read"] = len(table.frame)
        counts["rejected"] = len(rejected)
        counts["accepted"] = counts["new"] + counts["updated"] + counts["unchanged"]
        store_rejects(con, rejected, import_id=import_id, kind=KIND, file_name=path.name,
                      labels=LABELS)
        store.update_import(con, import_id, **{k: v for k, v in counts.items() if k != "accepted"},
                            accepted=counts["accepted"])
    report = FileReport(path.name, sha, "ok", **counts)
    note_columns(report, table.resolution)
    report.message = "; ".join(filter(None, [report.message, sheets_note(table), cleaned_note(table)]))
    return report, rejects_frame(rejected, path.name, LABELS)


def normalize_vacancies(
    raw: pd.DataFrame, row_numbers: pd.Series, splitter: _KejuruanSplitter, today: date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split raw vacancy rows into accepted (normalized, keyed) and rejected (with reasons)."""
    raw = raw.reindex(columns=list(FILE_FIELDS), fill_value=None).reset_index(drop=True)
    text = {c: clean_text(raw[c]) for c in ("company", "position", "location", "min_education",
                                            "how_to_apply", "contact", "link", "source")}
    deadline = parse_dates(raw["deadline"], today=today)
    received = parse_dates(raw["received_date"], today=today)
    rows, bad = [], []
    for i in range(len(raw)):
        errors = []
        if text["company"][i] is None:
            errors.append("perusahaan kosong")
        if text["position"][i] is None:
            errors.append("jabatan kosong")
        kejuruan, kej_errors = splitter.split(_text_or_none(raw["kejuruan"][i]))
        errors += kej_errors
        if deadline["error"][i]:
            errors.append(f"batas lamaran: {deadline['error'][i]}")
        if received["error"][i]:
            errors.append(f"tanggal diterima: {received['error'][i]}")
        openings, err = parse_openings(raw["openings"][i])
        if err:
            errors.append(err)
        if errors:
            bad.append((i, "; ".join(errors)))
            continue
        rows.append({
            "_row": int(row_numbers[i]),
            "company": text["company"][i], "position": text["position"][i],
            "kejuruan": KEJURUAN_SEPARATOR.join(kejuruan), "location": text["location"][i],
            "min_education": text["min_education"][i], "openings": openings,
            "deadline": _iso(deadline["date"][i]),
            "how_to_apply": how_to_apply(text["how_to_apply"][i], text["contact"][i],
                                         text["link"][i]),
            "source": text["source"][i], "received_date": _iso(received["date"][i]),
        })
    accepted = pd.DataFrame(rows, columns=["_row", *FIELDS])
    accepted["vacancy_key"] = [vacancy_key(c, p, d) for c, p, d in
                               zip(accepted["company"], accepted["position"], accepted["deadline"])]
    accepted["_duplicate"] = accepted["vacancy_key"].duplicated(keep="first")
    idx = [i for i, _ in bad]
    rejected = raw.loc[idx].assign(_row=row_numbers.to_numpy()[idx] if idx else [],
                                   _reason=[r for _, r in bad])
    return accepted, rejected.reset_index(drop=True)


def vacancy_key(company: str, position: str, deadline: str | None) -> str:
    """Identity of a vacancy: same employer, same job, same closing date."""
    return "|".join([header_key(company), header_key(position), deadline or ""])


def how_to_apply(how: str | None, contact: str | None, link: str | None) -> str | None:
    """The three ways a list says how to apply, as one line."""
    parts = [how, f"Kontak: {contact}" if contact else None, link]
    parts = [p for p in parts if p]
    return "; ".join(parts) or None


def parse_openings(value) -> tuple[int | None, str | None]:
    """Number of openings: empty is allowed (unknown), otherwise a whole number >= 1."""
    text = _text_or_none(value)
    if text is None:
        return None, None
    m = re.fullmatch(r"(\d+)(?:[.,]0+)?(?:\s*(?:orang|org|posisi))?", text, re.IGNORECASE)
    if not m or int(m.group(1)) < 1:
        return None, f"jumlah lowongan '{text}' harus bilangan bulat positif"
    return int(m.group(1)), None


def _merge(con, accepted: pd.DataFrame, import_id: int) -> dict[str, int]:
    now = store.now_iso()
    counts = {"new": 0, "updated": 0, "unchanged": 0,
              "duplicates": int(accepted["_duplicate"].sum())}
    for rec in accepted.loc[~accepted["_duplicate"]].to_dict("records"):
        rec = {k: plain(v) for k, v in rec.items()}
        old = con.execute("SELECT * FROM vacancies WHERE vacancy_key = ?",
                          (rec["vacancy_key"],)).fetchone()
        if old is None:
            cols = ["vacancy_key", *FIELDS]
            con.execute(
                f"INSERT INTO vacancies ({', '.join(cols)}, import_id, created_at, updated_at) "
                f"VALUES ({', '.join('?' * len(cols))}, ?, ?, ?)",
                [rec[c] for c in cols] + [import_id, now, now],
            )
            counts["new"] += 1
            continue
        # A blank cell in the later file keeps the stored value.
        changed = {f: rec[f] for f in UPDATABLE if rec[f] is not None and rec[f] != old[f]}
        if not changed:
            counts["unchanged"] += 1
            continue
        con.execute(
            "INSERT INTO history (table_name, row_key, old_values, new_values, import_id, changed_at) "
            "VALUES ('vacancies', ?, ?, ?, ?, ?)",
            (str(old["id"]), store.to_json({f: old[f] for f in changed}), store.to_json(changed),
             import_id, now),
        )
        sets = ", ".join(f"{f} = ?" for f in changed)
        con.execute(f"UPDATE vacancies SET {sets}, import_id = ?, updated_at = ? WHERE id = ?",
                    [*changed.values(), import_id, now, old["id"]])
        counts["updated"] += 1
    return counts


# --- by hand ------------------------------------------------------------------------------


@journal.form_save("tambah_lowongan")
def add_vacancy(
    ws: Workspace,
    *,
    company: str,
    position: str,
    kejuruan: str | list[str],
    entered_by: str,
    location: str = "",
    min_education: str = "",
    openings: int | str | None = None,
    deadline: date | str | None = None,
    how_to_apply: str = "",
    source: str = "",
    received_date: date | str | None = None,
    today: date | None = None,
) -> int:
    """Validate and save a vacancy typed in by staff; return its number (id).

    Raises EntryError (a KebekerjaanError) listing every problem, each with its field (in
    Indonesian); nothing is saved then.
    """
    today = today or date.today()
    splitter = _KejuruanSplitter(kejuruan_mapper(ws.settings()))
    company, position, entered_by = (" ".join(str(v or "").split())
                                     for v in (company, position, entered_by))
    # (form field, message), so the form can show each message next to its field.
    errors: list[tuple[str, str]] = []
    if not company:
        errors.append(("company", "nama perusahaan wajib diisi"))
    if not position:
        errors.append(("position", "jabatan wajib diisi"))
    if not entered_by:
        errors.append(("entered_by", "nama petugas yang mencatat wajib diisi"))
    cells = kejuruan if isinstance(kejuruan, (list, tuple)) else [kejuruan]
    names, kej_errors = [], []
    for cell in cells:
        found, errs = splitter.split(cell)
        names += found
        kej_errors += [e for e in errs if e != "kejuruan kosong"]
    if not names and not kej_errors:
        kej_errors.append("pilih paling sedikit satu kejuruan")
    errors += [("kejuruan", e) for e in kej_errors]
    dates = {}
    for name, label, value in (("deadline", "batas lamaran", deadline),
                               ("received_date", "tanggal diterima", received_date)):
        try:
            dates[name] = parse_date(value, today=today) if value not in (None, "") else None
        except ValueError:
            errors.append((name, f"{label} '{value}' tidak dapat dibaca; tulis sebagai HH-BB-TTTT, "
                                 "mis. 31-12-2026"))
    if dates.get("deadline") and dates["deadline"] < today:
        errors.append(("deadline", f"batas lamaran {dates['deadline']:%d-%m-%Y} sudah lewat"))
    count, err = parse_openings(openings)
    if err:
        errors.append(("openings", err))
    if errors:
        raise EntryError("Lowongan belum disimpan", errors)
    names = sorted(set(names), key=splitter.order.__getitem__)
    key = vacancy_key(company, position, _iso(dates["deadline"]))
    now = store.now_iso()
    con = store.connect(ws.store_path)
    try:
        with store.transaction(con):
            old = con.execute("SELECT id FROM vacancies WHERE vacancy_key = ?", (key,)).fetchone()
            if old is not None:
                raise journal.AlreadySaved(
                    f"Lowongan belum disimpan: lowongan yang sama (perusahaan, jabatan dan batas "
                    f"lamaran sama) sudah tercatat sebagai nomor {old['id']}."
                )
            cur = con.execute(
                "INSERT INTO vacancies (vacancy_key, company, position, kejuruan, location, "
                "min_education, openings, deadline, how_to_apply, source, received_date, "
                "entered_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, company, position, KEJURUAN_SEPARATOR.join(names), _text_or_none(location),
                 _text_or_none(min_education), count, _iso(dates["deadline"]), _text_or_none(how_to_apply),
                 _text_or_none(source) or MANUAL_SOURCE, _iso(dates["received_date"] or today),
                 entered_by, now, now),
            )
            return int(cur.lastrowid)
    finally:
        con.close()


@journal.form_save("tutup_lowongan")
def close_vacancy(ws: Workspace, vacancy_id: int, reason: str, *, on: date | None = None,
                  closed_by: str = "") -> None:
    """Close a vacancy before its deadline (filled, withdrawn...); the reason is kept."""
    on = on or date.today()
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise KebekerjaanError("Lowongan belum ditutup: alasan penutupan wajib diisi.")
    try:
        vacancy_id = int(vacancy_id)
    except (TypeError, ValueError):
        raise KebekerjaanError(f"Nomor lowongan '{vacancy_id}' tidak sah.") from None
    if closed_by.strip():
        reason = f"{reason} (oleh {closed_by.strip()})"
    con = store.connect(ws.store_path)
    try:
        with store.transaction(con):
            row = con.execute("SELECT closed_on FROM vacancies WHERE id = ?", (vacancy_id,)).fetchone()
            if row is None:
                raise KebekerjaanError(f"Lowongan nomor {vacancy_id} tidak ditemukan.")
            if row["closed_on"]:
                raise journal.AlreadySaved(
                    f"Lowongan nomor {vacancy_id} sudah ditutup pada "
                    f"{date.fromisoformat(row['closed_on']):%d-%m-%Y}."
                )
            con.execute("UPDATE vacancies SET closed_on = ?, closed_reason = ?, updated_at = ? "
                        "WHERE id = ?", (on.isoformat(), reason, store.now_iso(), vacancy_id))
    finally:
        con.close()


# --- reading ------------------------------------------------------------------------------


def open_vacancies(ws: Workspace, as_of: date) -> pd.DataFrame:
    """Vacancies open on `as_of`: deadline not passed (inclusive) and not closed by then.

    Without a deadline, a vacancy stays open `[vacancies] open_days_without_deadline`
    days from the day it was received.
    """
    days = ws.settings().vacancies.open_days_without_deadline
    day = as_of.isoformat()
    con = store.connect(ws.store_path)
    try:
        frame = pd.read_sql_query(
            "SELECT id, company, position, kejuruan, location, min_education, openings, deadline, "
            "how_to_apply, source, received_date, entered_by FROM vacancies "
            "WHERE (closed_on IS NULL OR closed_on > :day) "
            "AND (received_date IS NULL OR received_date <= :day) "
            "AND (deadline >= :day OR (deadline IS NULL AND "
            "     date(COALESCE(received_date, substr(created_at, 1, 10)), :plus) >= :day)) "
            "ORDER BY deadline IS NULL, deadline, company, position",
            con, params={"day": day, "plus": f"+{days} days"},
        )
    finally:
        con.close()
    frame["openings"] = frame["openings"].astype("Int64")
    return frame


def for_staff(frame: pd.DataFrame) -> pd.DataFrame:
    """A vacancy table with Indonesian headers and dd-mm-yyyy dates, for the notebook."""
    out = frame.copy()
    for col in ("deadline", "received_date", "closed_on"):
        if col in out:
            out[col] = out[col].map(lambda v: f"{date.fromisoformat(v):%d-%m-%Y}"
                                    if isinstance(v, str) and v else "")
    return out.rename(columns=LABELS)


def open_per_kejuruan(frame: pd.DataFrame) -> pd.DataFrame:
    """How many open vacancies (and openings) each kejuruan has."""
    if frame.empty:
        return pd.DataFrame(columns=["Kejuruan", "Lowongan", "Jumlah dibutuhkan"])
    exploded = frame.assign(kejuruan=frame["kejuruan"].str.split(KEJURUAN_SEPARATOR)).explode("kejuruan")
    return (exploded.groupby("kejuruan")
            .agg(Lowongan=("id", "nunique"), **{"Jumlah dibutuhkan": ("openings", "sum")})
            .rename_axis("Kejuruan").reset_index())


def _text_or_none(value) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = " ".join(str(value).split())
    return text or None


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


