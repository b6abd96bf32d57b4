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

from kebekerjaan import store
from kebekerjaan.answers.records import ANSWER_FIELDS, refresh_with_settings, save_answers
from kebekerjaan.errors import KebekerjaanError
from kebekerjaan.normalize.dates import DateParseError, parse_date
from kebekerjaan.periods import Period
from kebekerjaan.questionnaire import load_questionnaire
from kebekerjaan.workspace import Workspace

STEP = 6
_DIGITS = re.compile(r"\D+")
_NUMBER_LIKE = re.compile(r"^[\d\s+().-]+$")


def _alumni(con) -> pd.DataFrame:
    return pd.read_sql_query(
        "SELECT e.id AS enrolment_id, a.nik, a.name, a.phone, e.kejuruan, e.program, e.angkatan, "
        "e.training_year, e.end_date FROM enrolments e JOIN alumni a ON a.nik = e.nik "
        "ORDER BY e.end_date DESC",
        con,
    )


def search_alumni(ws: Workspace, text: str, limit: int = 15) -> pd.DataFrame:
    """Alumni (one row per training) whose name, NIK or phone fits what was typed.

    Three or more digits search NIK and phone; letters search names, by substring first
    and then by similarity, so a few letters or a misspelt name are enough.
    """
    text = (text or "").strip()
    con = store.connect(ws.store_path)
    try:
        alumni = _alumni(con)
    finally:
        con.close()
    if len(text) < 2 or alumni.empty:
        return alumni.head(0)
    digits = _DIGITS.sub("", text)
    if len(digits) >= 3 and _NUMBER_LIKE.match(text):
        if digits.startswith("0"):
            digits = "62" + digits[1:]  # 0812... as typed, +62812... as stored
        hit = alumni["nik"].str.contains(digits, regex=False) | alumni["phone"].fillna("").str.contains(
            digits, regex=False)
        return alumni[hit].head(limit).reset_index(drop=True)
    lowered = alumni["name"].str.casefold()
    direct = alumni[lowered.str.contains(text.casefold(), regex=False)]
    if len(direct) >= limit:
        return direct.head(limit).reset_index(drop=True)
    names = alumni["name"].drop_duplicates()
    similar = process.extract(text, names.to_dict(), scorer=fuzz.WRatio, limit=limit,
                              score_cutoff=70)
    close = alumni[alumni["name"].isin([name for name, _, _ in similar])]
    return pd.concat([direct, close]).drop_duplicates("enrolment_id").head(limit).reset_index(drop=True)


def record_answer(ws: Workspace, *, nik: str, answer: dict, answered_on, entered_by: str,
                  today: date | None = None) -> str:
    """Validate and save one answer typed in by staff; returns its key.

    `answer` holds questionnaire codes (status, employer, ...). Raises KebekerjaanError
    listing every problem, in Indonesian, and saves nothing then.
    """
    today = today or date.today()
    problems = []
    if not (entered_by or "").strip():
        problems.append("nama petugas yang mencatat wajib diisi")
    unreadable = False
    try:
        answered = parse_date(answered_on)
    except DateParseError as exc:
        answered, unreadable = None, True
        problems.append(f"tanggal jawaban: {exc}")
    if answered is None and not unreadable:
        problems.append("tanggal jawaban wajib diisi")
    elif answered is not None and answered > today:
        problems.append("tanggal jawaban tidak boleh sesudah hari ini")
    con = store.connect(ws.store_path)
    try:
        person = con.execute("SELECT name, phone FROM alumni WHERE nik = ?", (nik,)).fetchone()
        if person is None:
            problems.append("alumnus belum dipilih atau tidak ada di data alumni")
        full = {**{k: v for k, v in answer.items() if v not in (None, "", [], ())},
                "nik": nik, "name": person["name"] if person else None,
                "phone": person["phone"] if person else None}
        problems += load_questionnaire().validate_answer(full)
        start = full.get("start_date")
        if start and answered:
            try:
                if parse_date(start) > answered:
                    problems.append("tanggal mulai kerja/usaha tidak boleh sesudah tanggal jawaban")
            except DateParseError:
                pass  # already reported by the questionnaire check
        if problems:
            raise KebekerjaanError("Jawaban belum bisa disimpan: " + "; ".join(problems) + ".")
        key = f"manual:{uuid.uuid4().hex}"
        row = {f: _plain(full.get(f)) for f in ANSWER_FIELDS}
        row["start_date"] = parse_date(row["start_date"]).isoformat() if row["start_date"] else None
        record = pd.DataFrame([{
            "answer_key": key, "source": "manual", "answered_at": f"{answered.isoformat()}T00:00:00",
            "given_nik": nik, "given_name": full["name"], "given_phone": full["phone"],
            "nik": nik, "match_status": "cocok", "match_method": "manual", "match_score": 100.0,
            "entered_by": entered_by.strip(), **row,
        }])
        with store.transaction(con):
            save_answers(con, record, import_id=None, file_name=None)
        refresh_with_settings(con, ws.settings())
    finally:
        con.close()
    return key


def _plain(value):
    if isinstance(value, (list, tuple)):
        return "; ".join(value) or None
    if isinstance(value, date):
        return value.isoformat()
    return value


def period_bounds(today: date) -> tuple[date, date]:
    """First and last day of the caturwulan containing `today`."""
    period = Period.containing(today)
    return period.start, period.end


def period_overview(ws: Workspace, today: date, run_dir) -> pd.DataFrame:
    """Answers of the current caturwulan, recorded for the run manifest (papermill mode)."""
    from kebekerjaan.runs import record_step

    frame = answers_in_period(ws, today)
    counts = {"answers_in_period": len(frame)}
    counts.update({f"source_{k}": int(v) for k, v in frame["Sumber"].value_counts().items()})
    record_step(run_dir, STEP, counts=counts)
    return frame


def answers_in_period(ws: Workspace, today: date) -> pd.DataFrame:
    """Answers received in the caturwulan of `today`, from every channel (for the notebook)."""
    start, end = period_bounds(today)
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
            con, params=(start.isoformat(), end.isoformat()),
        )
    finally:
        con.close()
    q = load_questionnaire()
    frame["Status"] = frame["Status"].map(lambda s: q.status_label(s) if s else None)
    return frame
