"""SOP step 6: alumni report their employment status.

Most answers arrive through the Google Form or the alumni WhatsApp group (read in
step 7). This module is for the rest: answers staff receive by phone or private
chat and type in, after finding the alumnus by name, NIK or phone.
"""

from __future__ import annotations

import re
import uuid
from datetime import date

import pandas as pd
from rapidfuzz import fuzz, process

from kebekerjaan.core import journal, store
from kebekerjaan.core.context import StepContext
from kebekerjaan.core.errors import EntryError, KebekerjaanError
from kebekerjaan.core.workspace import Workspace
from kebekerjaan.io.normalize.dates import DateParseError, parse_date
from kebekerjaan.rules import codes
from kebekerjaan.rules.graduates import ENROLMENT_JOIN
from kebekerjaan.rules.labels import MANUAL, MATCH_LABELS, MATCHED, SOURCE_LABELS
from kebekerjaan.rules.periods import Period, resolve_period
from kebekerjaan.rules.questionnaire import load_questionnaire
from kebekerjaan.steps.answers.records import ANSWER_FIELDS, refresh_with_settings, save_answers

STEP = 6
_DIGITS = re.compile(r"\D+")
_NUMBER_LIKE = re.compile(r"^[\d\s+().-]+$")


def _alumni(con) -> pd.DataFrame:
    return pd.read_sql_query(
        "SELECT e.id AS enrolment_id, a.nik, a.name, a.phone, e.kejuruan, e.program, e.angkatan, "
        f"e.training_year, e.end_date, rc.code FROM {ENROLMENT_JOIN} "
        "LEFT JOIN respondent_codes rc ON rc.enrolment_id = e.id ORDER BY e.end_date DESC",
        con,
    )


def load_alumni(ws: Workspace) -> pd.DataFrame:
    """Every alumnus and training, read once for a form that searches as staff type."""
    con = store.connect(ws.store_path)
    try:
        return _alumni(con)
    finally:
        con.close()


def search_alumni(ws: Workspace, text: str, limit: int = 15) -> pd.DataFrame:
    """Alumni (one row per training) whose name, NIK or phone fits what was typed.

    A respondent code read out by phone ("K7QX-M4PZ") finds its training; three or more
    digits search NIK and phone; letters search names, by substring first and then by
    similarity, so a few letters or a misspelt name are enough.
    """
    return find_alumni(load_alumni(ws), text, limit)[0]


def find_alumni(alumni: pd.DataFrame, text: str, limit: int = 15) -> tuple[pd.DataFrame, int]:
    """search_alumni over an already loaded frame: (at most `limit` rows, how many fit).

    The count tells staff when the list is cut ("menampilkan 15 dari 42").
    """
    text = (text or "").strip()
    code = codes.normalize(text)
    if codes.is_valid(code):  # a respondent code read out by phone names the training itself
        hit = alumni["code"] == code
        if hit.any():
            return alumni[hit].reset_index(drop=True), int(hit.sum())
    if len(text) < 2 or alumni.empty:
        return alumni.head(0), 0
    digits = _DIGITS.sub("", text)
    if len(digits) >= 3 and _NUMBER_LIKE.match(text):
        # 0812... as typed, +62812... as stored; a piece of NIK may start with 0 too.
        phone = "62" + digits[1:] if digits.startswith("0") else digits
        hit = alumni["nik"].str.contains(digits, regex=False) | alumni["phone"].fillna("").str.contains(
            phone, regex=False)
        return alumni[hit].head(limit).reset_index(drop=True), int(hit.sum())
    lowered = alumni["name"].str.casefold()
    direct = alumni[lowered.str.contains(text.casefold(), regex=False)]
    if len(direct) >= limit:
        return direct.head(limit).reset_index(drop=True), len(direct)
    names = alumni["name"].drop_duplicates()
    similar = process.extract(text, names.to_dict(), scorer=fuzz.WRatio, limit=limit,
                              score_cutoff=70)
    close = alumni[alumni["name"].isin([name for name, _, _ in similar])]
    found = pd.concat([direct, close]).drop_duplicates("enrolment_id")
    return found.head(limit).reset_index(drop=True), len(found)


def _staff_entry(entered_by: str, typed_day, field: str, what: str,
                 today: date) -> tuple[date | None, list[tuple[str | None, str]]]:
    """The date of something staff record (an answer, a refusal) and the problems with it
    and with who recorded it: (form field, message), the date's under `field`."""
    problems: list[tuple[str | None, str]] = []
    if not (entered_by or "").strip():
        problems.append(("entered_by", "nama petugas yang mencatat wajib diisi"))
    try:
        day = parse_date(typed_day)
    except DateParseError as exc:
        return None, [*problems, (field, f"{what}: {exc}")]
    if day is None:
        problems.append((field, f"{what} wajib diisi"))
    elif day > today:
        problems.append((field, f"{what} tidak boleh sesudah hari ini"))
    return day, problems


@journal.form_save("jawaban_manual", replay=lambda fields, key: {**fields, "key": key})
def record_answer(ws: Workspace, *, nik: str, answer: dict, answered_on, entered_by: str,
                  today: date | None = None, key: str | None = None) -> str:
    """Validate and save one answer typed in by staff; returns its key.

    `answer` holds questionnaire codes (status, employer, ...). Raises EntryError (a
    KebekerjaanError) listing every problem, in Indonesian, and saves nothing then. `key` is
    given when a save is re-applied after a restore (kebekerjaan.core.recovery): one already there
    is skipped.
    """
    today = today or date.today()
    if key is not None:
        con = store.connect(ws.store_path)
        try:
            if con.execute("SELECT 1 FROM answers WHERE answer_key = ?", (key,)).fetchone():
                raise journal.AlreadySaved("jawaban ini sudah tersimpan")
        finally:
            con.close()
    # (form field, message): the form shows each message next to its field.
    answered, problems = _staff_entry(entered_by, answered_on, "answered_on", "tanggal jawaban",
                                      today)
    con = store.connect(ws.store_path)
    try:
        person = con.execute("SELECT name, phone FROM alumni WHERE nik = ?", (nik,)).fetchone()
        if person is None:
            problems.append(("nik", "alumnus belum dipilih atau tidak ada di data alumni"))
        full = {**{k: v for k, v in answer.items() if v not in (None, "", [], ())},
                "nik": nik, "name": person["name"] if person else None,
                "phone": person["phone"] if person else None}
        problems += load_questionnaire().field_problems(full)
        start = full.get("start_date")
        if start and answered:
            try:
                if parse_date(start) > answered:
                    problems.append(("start_date", "tanggal mulai kerja/usaha tidak boleh sesudah "
                                                   "tanggal jawaban"))
            except DateParseError:
                pass  # already reported by the questionnaire check
        if problems:
            raise EntryError("Jawaban belum bisa disimpan", problems)
        key = key or f"manual:{uuid.uuid4().hex}"
        row = {f: _plain(full.get(f)) for f in ANSWER_FIELDS}
        row["start_date"] = parse_date(row["start_date"]).isoformat() if row["start_date"] else None
        record = pd.DataFrame([{
            "answer_key": key, "source": MANUAL, "answered_at": f"{answered.isoformat()}T00:00:00",
            "given_nik": nik, "given_name": full["name"], "given_phone": full["phone"],
            "nik": nik, "match_status": MATCHED, "match_method": "manual", "match_score": 100.0,
            "entered_by": entered_by.strip(), **row,
        }])
        with store.transaction(con):
            save_answers(con, record, import_id=None, file_name=None)
        refresh_with_settings(con, ws.settings())
    finally:
        con.close()
    return key


@journal.form_save("penolakan")
def record_refusal(ws: Workspace, *, nik: str, refused_on, entered_by: str, reason: str = "",
                   enrolment_id: int | None = None, today: date | None = None) -> int:
    """Record that an alumnus declined the survey (e.g. told staff by phone); returns its id.

    `enrolment_id` None means every training of this alumnus. A refused alumnus gets no
    further invitations or reminders and counts as "menolak" in the recap. Raises
    KebekerjaanError listing every problem, in Indonesian, and saves nothing then.
    Recording the same refusal twice keeps one.
    """
    today = today or date.today()
    refused, found = _staff_entry(entered_by, refused_on, "refused_on", "tanggal penolakan", today)
    problems = [message for _, message in found]
    con = store.connect(ws.store_path)
    try:
        if con.execute("SELECT 1 FROM alumni WHERE nik = ?", (nik,)).fetchone() is None:
            problems.append("alumnus belum dipilih atau tidak ada di data alumni")
        elif enrolment_id is not None and con.execute(
                "SELECT 1 FROM enrolments WHERE id = ? AND nik = ?", (enrolment_id, nik)
        ).fetchone() is None:
            problems.append("pelatihan yang dipilih bukan pelatihan alumnus ini")
        if problems:
            raise KebekerjaanError("Penolakan belum bisa disimpan: " + "; ".join(problems) + ".")
        day = refused.isoformat()
        with store.transaction(con):
            con.execute(
                "INSERT INTO refusals (nik, enrolment_id, refused_on, reason, entered_by, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (nik, enrolment_id, day, (reason or "").strip() or None, entered_by.strip(),
                 store.now_iso()),
            )
            row = con.execute(
                "SELECT id FROM refusals WHERE nik = ? AND IFNULL(enrolment_id, 0) = ? "
                "AND refused_on = ? AND bpvp IS NULL", (nik, enrolment_id or 0, day),
            ).fetchone()
    finally:
        con.close()
    return int(row["id"])


@journal.form_save("tarik_penolakan")
def withdraw_refusal(ws: Workspace, *, nik: str, refused_on: str) -> None:
    """Take back a refusal recorded by mistake (the review panel's "Urungkan"): the one of
    this alumnus, for every training, on that day (named by what it is, not its row id, so
    a replay after a restored store removes the same refusal). Removing one already gone
    changes nothing."""
    con = store.connect(ws.store_path)
    try:
        with store.transaction(con):
            con.execute("DELETE FROM refusals WHERE nik = ? AND enrolment_id IS NULL AND "
                        "refused_on = ? AND bpvp IS NULL", (nik, str(refused_on)))
    finally:
        con.close()


def _plain(value):
    if isinstance(value, (list, tuple)):
        return "; ".join(value) or None
    if isinstance(value, date):
        return value.isoformat()
    return value


def step_period(ctx: StepContext) -> Period:
    """The period step 6 shows: the `periode` parameter (a caturwulan like 2026-III or a
    year), else the caturwulan of the as-of date."""
    return resolve_period(ctx.periode, ctx.today)


def period_overview(ctx: StepContext) -> pd.DataFrame:
    """Answers of the step's period (step_period), recorded for the run manifest."""
    from kebekerjaan.core.runs import record_step

    period = step_period(ctx)
    frame = answers_in_period(ctx.ws, period, labelled=False)
    counts = {"answers_in_period": len(frame)}
    counts.update({f"source_{k}": int(v) for k, v in frame["Sumber"].value_counts().items()})
    record_step(ctx.run_dir, STEP, counts=counts, notes=[f"Periode: {period.title}"])
    return for_staff(frame)


def answers_in_period(ws: Workspace, period: Period, *, labelled: bool = True) -> pd.DataFrame:
    """Answers received in `period`, from every channel (for the notebook and the app).

    Labelled (the default) it is ready for staff (see for_staff); else it keeps codes.
    """
    con = store.connect(ws.store_path)
    try:
        frame = pd.read_sql_query(
            "SELECT substr(a.answered_at, 1, 10) AS Tanggal, a.source AS Sumber, "
            "COALESCE(al.name, a.given_name) AS Nama, a.nik AS NIK, e.kejuruan AS Kejuruan, "
            "e.angkatan AS Angkatan, a.wave AS \"Gelombang (bulan)\", a.status AS Status, "
            "a.employer AS \"Tempat Kerja/Usaha\", a.match_status AS Pencocokan, "
            "a.entered_by AS Petugas "
            "FROM answers a LEFT JOIN alumni al ON al.nik = a.nik "
            "LEFT JOIN enrolments e ON e.id = a.enrolment_id "
            "WHERE a.discarded = 0 AND substr(a.answered_at, 1, 10) BETWEEN ? AND ? "
            "ORDER BY a.answered_at",
            con, params=(period.start.isoformat(), period.end.isoformat()),
        )
    finally:
        con.close()
    return for_staff(frame) if labelled else frame


def for_staff(frame: pd.DataFrame) -> pd.DataFrame:
    """The overview as staff read it: labels for codes, dd-mm-yyyy, whole numbers, blanks."""
    q = load_questionnaire()
    out = frame.copy()
    out["Tanggal"] = out["Tanggal"].map(lambda v: f"{date.fromisoformat(v):%d-%m-%Y}" if v else "")
    out["Sumber"] = out["Sumber"].map(lambda v: SOURCE_LABELS.get(v, v))
    out["Status"] = out["Status"].map(lambda v: q.status_label(v) if v else None)
    out["Pencocokan"] = out["Pencocokan"].map(lambda v: MATCH_LABELS.get(v, v))
    out["Gelombang (bulan)"] = pd.to_numeric(out["Gelombang (bulan)"]).astype("Int64")
    return out.astype(object).where(out.notna(), "")
