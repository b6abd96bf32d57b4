"""Per-cohort timeline against the SOP's timing, and trainings whose data came in late.

A cohort (angkatan) is one training: kejuruan, program, angkatan, year and end date
(a cohort whose rows disagree on the end date shows as two rows, which is worth seeing).
The SOP wants its alumni data one month after the training and surveys at 1, 3 and 6
months; each cell of the timeline says how that went:

- data: "tepat waktu" or "terlambat" (an enrolment exists only once collected);
- a wave: "tepat waktu" (first invitation on or before the due date), "terlambat"
  (after it), "belum jatuh tempo" (window not open yet), "belum diundang" (window open,
  nobody invited yet, e.g. no WhatsApp number), "terlewat" (window closed, nobody
  invited), "tidak ada lulusan".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from kebekerjaan.io.excel import write_workbook
from kebekerjaan.rules.graduates import is_graduate
from kebekerjaan.rules.labels import INVITATION, REMINDER
from kebekerjaan.rules.waves import SurveyRules, add_months, wave_windows
from kebekerjaan.steps.outreach.rules import as_dates, resolve

ON_TIME, LATE, NOT_DUE, OPEN, MISSED, NO_GRADUATES = (
    "tepat waktu", "terlambat", "belum jatuh tempo", "belum diundang", "terlewat",
    "tidak ada lulusan",
)
STATUS_HELP = {
    ON_TIME: "undangan pertama dikirim paling lambat pada tanggal jatuh tempo "
             "(untuk data alumni: dihimpun paling lambat pada batas himpun)",
    LATE: "undangan pertama dikirim sesudah tanggal jatuh tempo "
          "(untuk data alumni: dihimpun sesudah batas himpun)",
    NOT_DUE: "masa undangan gelombang ini belum dimulai",
    OPEN: "masa undangan sedang berjalan tetapi belum ada alumni yang diundang "
          "(mis. tidak ada nomor WhatsApp)",
    MISSED: "masa undangan sudah lewat dan tidak ada alumni yang diundang",
    NO_GRADUATES: "tidak ada peserta yang lulus",
}
# Cell colours in the notebook view.
_COLOURS = {ON_TIME: "#c6efce", LATE: "#ffeb9c", MISSED: "#ffc7ce", OPEN: "#ddebf7",
            NOT_DUE: "#f2f2f2"}
COHORT_KEY = ["kejuruan", "program_key", "angkatan", "training_year", "end_date"]


def cohort_timeline(enrolments: pd.DataFrame, log: pd.DataFrame, answers: pd.DataFrame,
                    rules: SurveyRules, as_of: date) -> pd.DataFrame:
    """One row per cohort (Indonesian headers); `enrolments` includes non-graduates."""
    as_of = pd.Timestamp(as_of)
    if enrolments.empty:
        return pd.DataFrame(columns=_base_columns(rules))
    enrol = enrolments.assign(
        graduate=is_graduate(enrolments["graduation"])
    )
    cohorts = enrol.groupby(COHORT_KEY, sort=False).agg(
        program=("program", "first"), participants=("enrolment_id", "size"),
        graduates=("graduate", "sum"), collected_on=("collected_on", "min"),
    ).reset_index().sort_values(["end_date", "kejuruan", "program_key", "angkatan"])
    grads = enrol[enrol["graduate"]]
    keyed = grads[["enrolment_id", *COHORT_KEY]]

    def per_cohort(records: pd.DataFrame, **aggs) -> pd.DataFrame:
        rows = resolve(records, grads).merge(keyed, on="enrolment_id")
        return rows.groupby([*COHORT_KEY, "wave"]).agg(**aggs)

    invites = per_cohort(log[log["kind"] == INVITATION], invited=("enrolment_id", "nunique"),
                         first_invite=("sent_on", "min"), last_invite=("sent_on", "max"))
    reminders = per_cohort(log[log["kind"] == REMINDER], reminders=("enrolment_id", "size"),
                           first_reminder=("sent_on", "min"), last_reminder=("sent_on", "max"))
    answered = per_cohort(answers, answered=("enrolment_id", "nunique"))

    out = pd.DataFrame({
        "Kejuruan": cohorts["kejuruan"], "Program": cohorts["program"],
        "Angkatan": cohorts["angkatan"], "Tahun": cohorts["training_year"],
        "Selesai Pelatihan": as_dates(cohorts["end_date"]),
        "Peserta": cohorts["participants"], "Lulus": cohorts["graduates"].astype(int),
    })
    data_due = cohorts["end_date"].map(lambda d: pd.Timestamp(add_months(d.date(), rules.data_due_months)))
    late_days = (cohorts["collected_on"] - data_due).dt.days
    out["Batas Himpun Data"] = as_dates(data_due)
    out["Data Dihimpun"] = as_dates(cohorts["collected_on"])
    out["Status Data"] = [LATE if d > 0 else ON_TIME for d in late_days]
    out["Terlambat Dihimpun (hari)"] = late_days.clip(lower=0).astype(int)

    keys = list(cohorts[COHORT_KEY].itertuples(index=False, name=None))
    for i, wave in enumerate(rules.waves):
        windows = [wave_windows(k[-1].date(), rules)[i] for k in keys]
        idx = [(*k, wave) for k in keys]
        inv = invites.reindex(idx)
        rem = reminders.reindex(idx)
        ans = answered.reindex(idx)
        p = f"Bln {wave} "
        out[p + "Jatuh Tempo"] = [w[1] for w in windows]
        out[p + "Status"] = [
            _wave_status(n_grad, first, w, as_of)
            for n_grad, first, w in zip(cohorts["graduates"], inv["first_invite"], windows)
        ]
        out[p + "Undangan Terlambat (hari)"] = [
            max((first.date() - w[1]).days, 0) if pd.notna(first) else 0
            for first, w in zip(inv["first_invite"], windows)
        ]
        out[p + "Diundang"] = inv["invited"].fillna(0).astype(int).to_numpy()
        out[p + "Tgl Undangan"] = _ranges(inv["first_invite"], inv["last_invite"])
        out[p + "Pengingat"] = rem["reminders"].fillna(0).astype(int).to_numpy()
        out[p + "Tgl Pengingat"] = _ranges(rem["first_reminder"], rem["last_reminder"])
        out[p + "Menjawab"] = ans["answered"].fillna(0).astype(int).to_numpy()
    return out.reset_index(drop=True)


def _wave_status(graduates: int, first_invite, window, as_of: pd.Timestamp) -> str:
    _, due, opens, closes = window
    if graduates == 0:
        return NO_GRADUATES
    if pd.notna(first_invite):
        return ON_TIME if first_invite.date() <= due else LATE
    today = as_of.date()
    if today < opens:
        return NOT_DUE
    return OPEN if today <= closes else MISSED


def _ranges(first: pd.Series, last: pd.Series) -> list[str]:
    out = []
    for a, b in zip(first, last):
        if pd.isna(a):
            out.append("")
        elif a == b:
            out.append(f"{a:%d/%m/%Y}")
        else:
            out.append(f"{a:%d/%m/%Y} s.d. {b:%d/%m/%Y}")
    return out


def _base_columns(rules: SurveyRules) -> list[str]:
    cols = ["Kejuruan", "Program", "Angkatan", "Tahun", "Selesai Pelatihan", "Peserta", "Lulus",
            "Batas Himpun Data", "Data Dihimpun", "Status Data", "Terlambat Dihimpun (hari)"]
    for w in rules.waves:
        cols += [f"Bln {w} {c}" for c in ("Jatuh Tempo", "Status", "Undangan Terlambat (hari)",
                                           "Diundang", "Tgl Undangan",
                                           "Pengingat", "Tgl Pengingat", "Menjawab")]
    return cols


def late_collected(timeline: pd.DataFrame) -> pd.DataFrame:
    """Trainings whose alumni data were collected after the SOP's deadline ("terlambat dihimpun")."""
    cols = ["Kejuruan", "Program", "Angkatan", "Tahun", "Selesai Pelatihan", "Batas Himpun Data",
            "Data Dihimpun", "Terlambat Dihimpun (hari)", "Peserta"]
    late = timeline[timeline["Status Data"] == LATE] if len(timeline) else timeline
    return late.reindex(columns=cols).sort_values(
        "Terlambat Dihimpun (hari)", ascending=False, kind="stable").reset_index(drop=True)


def write_timeline(run_dir: Path, timeline: pd.DataFrame, late: pd.DataFrame) -> Path:
    help_frame = pd.DataFrame({"Status": list(STATUS_HELP), "Arti": list(STATUS_HELP.values())})
    return write_workbook(Path(run_dir) / "lini_masa_angkatan.xlsx", {
        "Lini Masa": timeline, "Terlambat Dihimpun": late, "Keterangan": help_frame,
    })


def timeline_view(timeline: pd.DataFrame, rules: SurveyRules, as_of: date, months: int | None = None):
    """Compact, coloured view for the notebook: one text cell per wave.

    Shows cohorts that ended within the last `months` months (default: the last wave + 3),
    newest first; the workbook has them all.
    """
    months = months if months is not None else max(rules.waves) + 3
    since = add_months(as_of, -months)
    recent = timeline[timeline["Selesai Pelatihan"].map(lambda d: d >= since)] if len(timeline) else timeline
    view = pd.DataFrame({
        "Kejuruan": recent["Kejuruan"], "Program": recent["Program"],
        "Angkatan": recent["Angkatan"].astype(str) + "/" + recent["Tahun"].astype(str),
        "Selesai": [f"{d:%d/%m/%Y}" for d in recent["Selesai Pelatihan"]],
        "Lulus": recent["Lulus"],
        "Data alumni": [
            f"{s} ({d:%d/%m/%Y})" if s == ON_TIME else f"{s} {n} hari ({d:%d/%m/%Y})"
            for s, n, d in zip(recent["Status Data"], recent["Terlambat Dihimpun (hari)"],
                               recent["Data Dihimpun"])
        ],
    })
    for w in rules.waves:
        p = f"Bln {w} "
        view[f"Bulan {w}"] = [
            _wave_cell(*cells)
            for cells in zip(
                recent[p + "Status"], recent[p + "Jatuh Tempo"], recent[p + "Undangan Terlambat (hari)"],
                recent[p + "Diundang"], recent[p + "Tgl Undangan"], recent[p + "Pengingat"],
                recent[p + "Menjawab"])
        ]
    view = view.iloc[::-1].reset_index(drop=True)
    return view.style.map(_colour).hide(axis="index")


def _wave_cell(status: str, due: date, late_days: int, invited: int, dates: str, reminders: int,
               answered: int) -> str:
    parts = [f"{status} (jatuh tempo {due:%d/%m/%Y})"]
    if status == LATE:
        parts[0] = f"{status} {late_days} hari (jatuh tempo {due:%d/%m/%Y})"
    if invited:
        parts.append(f"{invited} diundang {dates}")
    if reminders:
        parts.append(f"{reminders} pengingat")
    if answered:
        parts.append(f"{answered} menjawab")
    return " · ".join(parts)


def _colour(text) -> str:
    if not isinstance(text, str):
        return ""
    for status, colour in _COLOURS.items():
        if text.startswith(status):
            return f"background-color: {colour}"
    return ""

