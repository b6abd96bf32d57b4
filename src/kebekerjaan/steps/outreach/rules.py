"""Survey outreach shared by SOP steps 4 (invitations) and 5 (reminders).

Survey rules from `[survey]` in kebekerjaan.toml (rules/waves.py), who was already
invited or already answered, one message per person and day, the outreach log and
the lists staff send. Dates are handled as pandas Timestamps (midnight) so a store of
100k enrolments is compared column-wise, not row by row.

Conventions both steps rely on:
- A wave's due date is the training end + N months, clamped to the month end
  (rules/waves.py).
- A log or answer row that names its enrolment counts for that training only; a row
  with just a NIK (an answer matched by NIK) counts for every training of that NIK.
- Any answer to a wave stops invitations and reminders for it, whatever its date:
  never pester someone who already answered.
- Log entries of the as-of date itself are ignored when choosing who is due, so making
  the same day's list twice gives the same list (and INSERT OR IGNORE the same log).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd
import phonenumbers

from kebekerjaan.core import store
from kebekerjaan.core.config import Settings
from kebekerjaan.io.messages import template as message_template
from kebekerjaan.rules import graduates
from kebekerjaan.rules.codes import display as display_code
from kebekerjaan.rules.codes import ensure_codes
from kebekerjaan.rules.labels import OUTREACH_LABELS, REMINDER, SURVEY_KINDS
from kebekerjaan.rules.refusals import CONSENT_NO, refused_enrolments
from kebekerjaan.rules.waves import SurveyRules, wave_windows

_MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE,
                 phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)

# Indonesian column labels of the lists staff read.
LIST_LABELS = {
    "nik": "NIK", "name": "Nama", "kejuruan": "Kejuruan", "program": "Program",
    "angkatan": "Angkatan", "training_year": "Tahun", "end_date": "Selesai Pelatihan",
    "wave": "Gelombang (bulan)", "due": "Jatuh Tempo", "closes": "Batas Isi",
    "reminder_no": "Pengingat ke", "last_contact": "Kontak Terakhir", "note": "Catatan",
    "reason": "Alasan", "import_note": "Catatan Impor", "code_shown": "Kode Responden",
}


def wave_frame(enrolments: pd.DataFrame, rules: SurveyRules) -> pd.DataFrame:
    """One row per enrolment and wave: enrolment_id, wave, due, opens, closes."""
    if enrolments.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in (
            ("enrolment_id", "int64"), ("wave", "int64"), ("due", "datetime64[ns]"),
            ("opens", "datetime64[ns]"), ("closes", "datetime64[ns]"))})
    # A cohort shares its end date: compute each distinct end date's windows once.
    rows = [
        (end, wave, due, opens, closes)
        for end in pd.unique(enrolments["end_date"])
        for wave, due, opens, closes in wave_windows(pd.Timestamp(end).date(), rules)
    ]
    windows = pd.DataFrame(rows, columns=["end_date", "wave", "due", "opens", "closes"])
    for col in ("end_date", "due", "opens", "closes"):
        windows[col] = pd.to_datetime(windows[col])
    return enrolments[["enrolment_id", "end_date"]].merge(windows, on="end_date")[
        ["enrolment_id", "wave", "due", "opens", "closes"]
    ]


# --- reading the store -------------------------------------------------------------

_ENROLMENTS_SQL = f"""
SELECT e.id AS enrolment_id, e.nik, a.name, a.phone, e.kejuruan, e.program, e.program_key,
       e.angkatan, e.training_year, e.end_date, e.graduation, e.flags,
       substr(COALESCE(l.as_of, l.imported_at), 1, 10) AS collected_on
FROM {graduates.ENROLMENT_JOIN}
JOIN import_log l ON l.id = e.first_import_id
"""


def load_enrolments(con: sqlite3.Connection, graduates_only: bool = True) -> pd.DataFrame:
    """Enrolments with the person's name and phone and the date their data were collected."""
    frame = pd.read_sql_query(_ENROLMENTS_SQL, con)
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    frame["collected_on"] = pd.to_datetime(frame["collected_on"])
    if graduates_only:
        frame = graduates.graduates_only(frame)
    return frame.reset_index(drop=True)


def load_log(con: sqlite3.Connection, kinds: Iterable[str] = SURVEY_KINDS) -> pd.DataFrame:
    kinds = tuple(kinds)
    marks = ", ".join("?" for _ in kinds)
    frame = pd.read_sql_query(
        f"SELECT nik, enrolment_id, kind, wave, sent_on FROM outreach_log "
        f"WHERE kind IN ({marks}) AND wave IS NOT NULL",
        con, params=kinds,
    )
    frame["sent_on"] = pd.to_datetime(frame["sent_on"])
    return frame


def load_answers(con: sqlite3.Connection, run_id: str | None = None) -> pd.DataFrame:
    """Answers placed in a wave: nik, enrolment_id, wave, answered_on, and `arrived`:
    whether run `run_id` read the answer into the store (never, without a run id). An
    answer declining the survey is not among them: it is a refusal (rules.refusals)."""
    frame = pd.read_sql_query(
        "SELECT a.nik, a.enrolment_id, a.wave, substr(a.answered_at, 1, 10) AS answered_on, "
        "COALESCE(l.run_id = ?, 0) AS arrived FROM answers a "
        "LEFT JOIN import_log l ON l.id = a.import_id "
        "WHERE a.wave IS NOT NULL AND a.discarded = 0 AND COALESCE(a.consent, '') <> ? "
        "AND (a.enrolment_id IS NOT NULL OR a.nik IS NOT NULL)",
        con, params=(run_id, CONSENT_NO),
    )
    frame["answered_on"] = pd.to_datetime(frame["answered_on"])
    frame["arrived"] = frame["arrived"].astype(bool)
    return frame


def resolve(records: pd.DataFrame, enrolments: pd.DataFrame) -> pd.DataFrame:
    """Log or answer rows against enrolments, with an integer enrolment_id on each.

    A row naming its enrolment counts for it; a row with only a NIK counts for every
    training of that NIK (among `enrolments`).
    """
    named = records[records["enrolment_id"].notna()]
    loose = records[records["enrolment_id"].isna() & records["nik"].notna()]
    loose = loose.drop(columns="enrolment_id").merge(
        enrolments[["nik", "enrolment_id"]], on="nik"
    )
    out = pd.concat([named, loose[named.columns]], ignore_index=True)
    out["enrolment_id"] = out["enrolment_id"].astype("int64")
    out["wave"] = out["wave"].astype("int64")
    return out[out["enrolment_id"].isin(enrolments["enrolment_id"])]


def refused_in_run(refusals: pd.DataFrame, enrolments: pd.DataFrame, run_id: str | None
                   ) -> pd.DataFrame:
    """refusals.refused_enrolments(refusals, enrolments) with `arrived`: whether every
    refusal of that enrolment was read into the store by run `run_id` (a form or WhatsApp
    answer declining, in a file that came today); one known before makes it False."""
    refused = refused_enrolments(refusals, enrolments)
    if refused.empty or "run_id" not in refusals:
        return refused.assign(arrived=pd.Series(False, index=refused.index, dtype=bool))
    before = refused_enrolments(refusals[refusals["run_id"] != run_id], enrolments)
    return refused.assign(arrived=~refused["enrolment_id"].isin(before["enrolment_id"]))


def answered_in_run(answered: pd.DataFrame, answers: pd.DataFrame, enrolments: pd.DataFrame
                    ) -> pd.DataFrame:
    """The rows of `answered` (enrolment, wave pairs with an answer) whose every answer to
    that wave arrived in this run (load_answers' `arrived`)."""
    if "arrived" not in answers or not answers["arrived"].any():
        return answered.iloc[0:0]
    only_now, _ = without_pairs(answered, resolve(answers[~answers["arrived"]], enrolments))
    return only_now


def arrived_refusals(declined: pd.DataFrame, refused: pd.DataFrame | None) -> pd.DataFrame:
    """The rows of `declined` (without_refused) whose refusal arrived in this run."""
    if refused is None or declined.empty or "arrived" not in refused:
        return declined.iloc[0:0]
    now = declined["enrolment_id"].map(refused.set_index("enrolment_id")["arrived"])
    return declined[now.fillna(False).astype(bool).to_numpy()]


def without_refused(frame: pd.DataFrame, refused: pd.DataFrame | None
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows whose enrolment was not refused, refused rows with a `reason`).

    `refused` is refusals.refused_enrolments(...): refused alumni get no more messages.
    """
    if refused is None or refused.empty or frame.empty:
        return frame, frame.iloc[0:0].assign(reason=pd.Series(dtype=object))
    why = frame["enrolment_id"].map(refused.set_index("enrolment_id")["refusal"])
    hit = why.notna().to_numpy()
    out = frame[hit].copy()
    out["reason"] = why[hit]
    return frame[~hit], out


def pair_keys(frame: pd.DataFrame) -> pd.MultiIndex:
    return pd.MultiIndex.from_arrays([frame["enrolment_id"].astype("int64"),
                                      frame["wave"].astype("int64")])


def without_pairs(frame: pd.DataFrame, pairs: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Rows of `frame` whose (enrolment, wave) is not in `pairs`, and how many were dropped."""
    hit = pair_keys(frame).isin(pair_keys(pairs)) if len(pairs) else np.zeros(len(frame), bool)
    return frame[~hit], int(hit.sum())


# --- choosing whom to message ----------------------------------------------------

def one_per_person(due: pd.DataFrame, kind: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """At most one message of `kind` per NIK and wave number on a day: the latest training wins.

    Returns (kept, deferred). A kept row whose NIK had other trainings due gets a note
    naming them; deferred rows stay due and come up again at the next run.
    """
    if due.empty:
        return due.assign(note=pd.Series(dtype=object)), due.assign(note=pd.Series(dtype=object))
    order = due.sort_values(["nik", "wave", "end_date", "enrolment_id"],
                            ascending=[True, True, False, False])
    first = ~order.duplicated(["nik", "wave"], keep="first")
    kept, deferred = order[first].copy(), order[~first].copy()
    kept["note"] = None
    deferred["note"] = None
    what = OUTREACH_LABELS[kind]
    if not deferred.empty:
        label = _training_label(deferred)
        others = label.groupby([deferred["nik"], deferred["wave"]]).agg("; ".join)
        keys = pd.MultiIndex.from_arrays([kept["nik"], kept["wave"]])
        hit = keys.isin(others.index)
        kept.loc[hit, "note"] = [
            f"juga alumni {o}; {what} untuk pelatihan itu menyusul pada proses berikutnya"
            for o in others.reindex(keys[hit])
        ]
        kept_label = _training_label(kept).set_axis(keys)
        deferred["note"] = [
            f"ditunda: hari ini {what} dikirim untuk pelatihan terbaru ({kept_label.get((n, w))})"
            for n, w in zip(deferred["nik"], deferred["wave"])
        ]
    return kept.sort_index(), deferred.sort_index()


def _training_label(frame: pd.DataFrame) -> pd.Series:
    return (frame["program"] + " angkatan " + frame["angkatan"].astype(str) + " "
            + frame["training_year"].astype(str))


_INDONESIAN_E164 = re.compile(r"\+62[1-9][0-9]{5,13}")


@lru_cache(maxsize=65536)
def whatsapp_problem(phone: str | None) -> str | None:
    """Why a stored phone number cannot get a WhatsApp message, or None if it can."""
    if phone is None or (isinstance(phone, float) and phone != phone) or not str(phone).strip():
        return "tidak ada nomor HP yang sah di data alumni"
    text = str(phone)
    if _INDONESIAN_E164.fullmatch(text):
        # What step 1 stores: no need to parse it again, 40,000 times a list.
        number = phonenumbers.PhoneNumber(country_code=62, national_number=int(text[3:]))
    else:
        try:
            number = phonenumbers.parse(text, None)
        except phonenumbers.NumberParseException:
            return "nomor HP tidak sah"
    # number_type is UNKNOWN exactly when the number is not valid (is_valid_number asks
    # the same metadata): one lookup instead of two.
    kind = phonenumbers.number_type(number)
    if kind == phonenumbers.PhoneNumberType.UNKNOWN:
        return "nomor HP tidak sah"
    if kind not in _MOBILE_TYPES:
        return "bukan nomor seluler (telepon rumah/kantor tidak bisa menerima WhatsApp)"
    return None


def split_by_phone(rows: pd.DataFrame, unreachable: dict[str, str] | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows that can get a WhatsApp message, rows that cannot, with a `reason`).

    `unreachable` maps numbers a blast delivery report marked failed or not on WhatsApp
    (delivery.unreachable) to why.
    """
    reason = rows["phone"].map(whatsapp_problem)
    if unreachable:
        reported = rows["phone"].map(
            lambda p: f"{unreachable[p]}; hubungi lewat telepon" if p in unreachable else None)
        reason = reason.where(reason.notna(), reported)
    bad = reason.notna().to_numpy()
    missing = rows[bad].copy()
    missing["reason"] = reason[bad] + "; perbaiki nomornya di SIAPkerja lalu impor ulang"
    # The intake's phone note quotes the cell as typed: useful in the file for staff, but
    # it may hold a number, so it never goes into what a notebook shows.
    missing["import_note"] = (missing["flags"].fillna("")
                              .str.extract(r"((?:tanpa )?nomor HP[^;]*)")[0])
    return rows[~bad].copy(), missing


# --- messages, lists, log ----------------------------------------------------------

def with_codes(con: sqlite3.Connection, rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` with each enrolment's respondent code (`code`, and `code_shown` as printed),
    creating the codes not handed out yet."""
    rows = rows.copy()
    found = ensure_codes(con, rows["enrolment_id"].astype(int).tolist()) if len(rows) else {}
    rows["code"] = rows["enrolment_id"].map(lambda e: found.get(int(e))).astype(object)
    rows["code_shown"] = rows["code"].map(lambda c: display_code(c) if c else None)
    return rows


def message_context(row, rules: SurveyRules, settings: Settings) -> dict:
    """What a survey message template may use (names in Indonesian, as staff edit them)."""
    return {
        "nama": row.name, "kejuruan": row.kejuruan, "program": row.program,
        "angkatan": row.angkatan, "tahun": row.training_year,
        "selesai": _date(row.end_date), "gelombang": int(row.wave), "jatuh_tempo": _date(row.due),
        "batas": _date(row.closes), "tautan": rules.link_for(row.code),
        "kode": display_code(row.code),
        "balai": settings.institution.short_name, "nama_balai": settings.institution.name,
        "telepon_balai": settings.institution.phone,
    }


def render_messages(rows: pd.DataFrame, template: str, workspace_root, rules: SurveyRules,
                    settings: Settings, **extra_columns: str) -> list[str]:
    """One message per row; `extra_columns` maps a template field to a column of `rows`."""
    fill = message_template(template, workspace_root)  # compiled once for the whole list
    out = []
    for row in rows.itertuples(index=False):
        context = message_context(row, rules, settings)
        context.update({key: getattr(row, col) for key, col in extra_columns.items()})
        out.append(fill(**context))
    return out


def _date(value) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def as_dates(values: pd.Series) -> pd.Series:
    """Timestamps as `datetime.date` objects (what Excel and CSV output want)."""
    return pd.Series([_date(v) for v in values], index=values.index, dtype=object)


def labelled(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The given internal columns, dates as dates, headed in Indonesian."""
    out = pd.DataFrame(index=frame.index)
    for col in columns:
        values = frame[col] if col in frame else pd.Series(None, index=frame.index, dtype=object)
        if pd.api.types.is_datetime64_any_dtype(values):
            values = as_dates(values)
        out[LIST_LABELS[col]] = values
    return out.reset_index(drop=True)


def log_outreach(con: sqlite3.Connection, rows: pd.DataFrame, kind: str, sent_on: date,
                 run_id: str | None) -> int:
    """Record what was sent to the listed alumni (steps 3-5): one entry per row of `rows`
    (nik, enrolment_id, and `wave` for a survey message or `vacancy_id` for a vacancy).
    Returns how many entries are new (a same-day repeat adds none)."""
    if rows.empty:
        return 0
    n = len(rows)

    def numbers(column: str) -> list:
        return rows[column].astype(int).tolist() if column in rows else [None] * n

    records = zip(rows["nik"].tolist(), numbers("enrolment_id"), [kind] * n, numbers("wave"),
                  numbers("vacancy_id"), [sent_on.isoformat()] * n, [run_id] * n,
                  [store.now_iso()] * n)
    with store.transaction(con):
        before = con.total_changes
        # The unique index (per NIK, kind, enrolment, wave, vacancy and day) makes a repeat
        # a no-op.
        con.executemany(
            "INSERT OR IGNORE INTO outreach_log (nik, enrolment_id, kind, wave, vacancy_id, "
            "sent_on, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            records,
        )
        return con.total_changes - before


# --- what a step returns -----------------------------------------------------------

@dataclass
class OutreachResult:
    """One day's invitation or reminder list, and why others were left out."""

    kind: str                      # INVITATION | REMINDER (rules/labels)
    listed: pd.DataFrame           # rows sent to the blast list (with `message`)
    no_phone: pd.DataFrame         # due but no WhatsApp number (with `reason`)
    deferred: pd.DataFrame         # due, but another training of the same NIK went first
    by_wave: pd.DataFrame          # counts per wave, Indonesian headers
    counts: dict[str, int]
    notes: list[str]
    outputs: list = field(default_factory=list)
    refused: pd.DataFrame | None = None  # due, but declined the survey (with `reason`)
    arrivals: object = None              # answers.collect.Arrivals: read before the list

    def print_notes(self) -> None:
        for note in self.notes:
            print("PERHATIAN:", note)

    def print_outputs(self) -> None:
        print("Berkas hasil langkah ini:")
        for path in self.outputs:
            print(" ", path)

    def listed_frame(self) -> pd.DataFrame:
        """The list as staff check it (no phone; show through privacy.for_display)."""
        cols = ["nik", "name", "code_shown", "kejuruan", "program", "angkatan", "training_year",
                "wave"]
        cols += ["reminder_no", "last_contact"] if self.kind == REMINDER else ["due"]
        return labelled(self.listed, cols + ["closes", "note"])

    def no_phone_frame(self) -> pd.DataFrame:
        return labelled(self.no_phone, ["nik", "name", "kejuruan", "program", "angkatan",
                                        "training_year", "wave", "due", "reason"])

    def refused_frame(self) -> pd.DataFrame:
        """Alumni left out because they declined the survey (show through privacy.for_display)."""
        frame = self.refused if self.refused is not None else pd.DataFrame(
            columns=["nik", "enrolment_id", "wave", "reason"])
        return labelled(frame, ["nik", "name", "kejuruan", "program", "angkatan", "training_year",
                                "wave", "reason"])

    def deferred_frame(self) -> pd.DataFrame:
        return labelled(self.deferred, ["nik", "name", "kejuruan", "program", "angkatan",
                                        "training_year", "wave", "due", "note"])


def counts_by_wave(stages: dict[str, pd.DataFrame], waves: tuple[int, ...]) -> pd.DataFrame:
    """How many (enrolment, wave) pairs each stage holds, one row per wave."""
    table = pd.DataFrame({"Gelombang (bulan)": list(waves)})
    for label, frame in stages.items():
        per_wave = frame.groupby("wave").size() if len(frame) else pd.Series(dtype="int64")
        table[label] = [int(per_wave.get(w, 0)) for w in waves]
    return table


def write_lists(run_dir, stem: str, title: str, result: OutreachResult, extra_cols: list[str],
                no_phone_name: str, csv_fmt=None) -> tuple[list, list[str]]:
    """The blast list (xlsx, csv, wa.me page) and the list of alumni without WhatsApp,
    each only when it has someone in it; and the step-summary lines for the empty ones.

    Written for after the commit (core.publish.pending_dir): a run whose store changes are
    undone leaves no list; the paths returned are where the files will be."""
    from kebekerjaan.core.publish import final_path, pending_dir
    from kebekerjaan.io.blast import write_blast_list
    from kebekerjaan.io.excel import DEFAULT_CSV, write_workbook

    folder = pending_dir(run_dir)
    paths, notes = [], []
    listed = result.listed
    what = LIST_NAMES.get(result.kind, result.kind)
    if len(listed):
        rows = pd.DataFrame({"phone": listed["phone"], "name": listed["name"],
                             "kejuruan": listed["kejuruan"], "message": listed["message"]})
        rows = pd.concat([rows.reset_index(drop=True), labelled(listed, extra_cols)], axis=1)
        paths += write_blast_list(folder, stem, rows, title=title, csv_fmt=csv_fmt or DEFAULT_CSV)
    else:
        notes.append(f"Daftar kirim {what}: tidak ada (berkas {stem}.xlsx tidak dibuat)")
    if len(result.no_phone):
        missing = labelled(result.no_phone, ["nik", "name", "kejuruan", "program", "angkatan",
                                             "training_year", "wave", "due", "reason",
                                             "import_note"])
        paths.append(write_workbook(folder / no_phone_name, {"Tanpa Nomor WA": missing}))
    else:
        notes.append(f"Alumni tanpa nomor WhatsApp ({what}): tidak ada (berkas {no_phone_name} "
                     "tidak dibuat)")
    return [final_path(p) for p in paths], notes


LIST_NAMES = {"undangan": "undangan", "pengingat": "pengingat"}
