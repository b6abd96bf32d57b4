"""Reading the store and deciding who is in scope of a period, with their status."""

from __future__ import annotations

from datetime import date

import pandas as pd

from kebekerjaan.answers.matching import UNMATCHED
from kebekerjaan.answers.records import review_queue
from kebekerjaan.graduates import ENROLMENT_JOIN, GRADUATE_SQL
from kebekerjaan.delivery import REACHED, SENT, UNREACHABLE
from kebekerjaan.outreach import add_months
from kebekerjaan.refusals import CONSENT_NO, load_refusals, refused_enrolments
from kebekerjaan.steps.recap.model import EMPLOYED, SEX_LABELS, STATUSES, UNKNOWN

# --- reading the store ---------------------------------------------------------------


def load_enrolments(con, own_bpvp: str = "") -> pd.DataFrame:
    """Graduate enrolments with their person; `bpvp` is the source BPVP (own when NULL)."""
    frame = pd.read_sql_query(
        "SELECT e.id AS enrolment_id, e.nik, a.name AS nama, a.sex, a.birth_date, a.education, "
        "a.address, a.phone, a.email, a.prov_name, a.kabkota_name, e.kejuruan, e.program, "
        "e.angkatan, e.training_year AS tahun, e.start_date AS training_start, e.end_date, "
        "COALESCE(e.bpvp, ?) AS bpvp "
        f"FROM {ENROLMENT_JOIN} WHERE {GRADUATE_SQL}",
        con, params=(own_bpvp or UNKNOWN,),
    )
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    frame["jenis_kelamin"] = frame["sex"].map(SEX_LABELS).fillna(UNKNOWN)
    kabkota = frame["kabkota_name"].where(frame["kabkota_name"].fillna("").str.strip() != "")
    frame["kabkota"] = kabkota.fillna(UNKNOWN)
    return frame


def wave_dues(enrol: pd.DataFrame, waves: tuple[int, ...]) -> pd.DataFrame:
    """enrolment_id, wave, due: one row per enrolment and wave (computed per end date)."""
    ends = pd.unique(enrol["end_date"])
    table = pd.DataFrame(
        [(end, w, add_months(pd.Timestamp(end).date(), w)) for end in ends for w in waves],
        columns=["end_date", "wave", "due"],
    )
    table["end_date"] = pd.to_datetime(table["end_date"])
    table["due"] = pd.to_datetime(table["due"])
    return enrol[["enrolment_id", "end_date"]].merge(table, on="end_date")[
        ["enrolment_id", "wave", "due"]]


ANSWER_COLUMNS = ("id", "enrolment_id", "wave", "status", "answered_at", "employer", "position",
                  "employer_type", "sector", "location", "start_date", "income", "relevance",
                  "job_source", "source")


def load_answers(con, as_of: date) -> pd.DataFrame:
    """Counted answers as known on `as_of`: the latest for their training and wave, kept,
    with a status. (answers.is_latest is over the whole store, so a recap with a past
    as-of date picks its own latest among the answers it may see.)"""
    frame = pd.read_sql_query(
        f"SELECT {', '.join(ANSWER_COLUMNS)} FROM answers "
        # "Tidak bersedia" to the consent question: a refusal (refusals.py), not an answer.
        "WHERE discarded = 0 AND status IS NOT NULL AND enrolment_id IS NOT NULL "
        f"AND IFNULL(consent, '') != '{CONSENT_NO}' "
        "AND wave IS NOT NULL AND substr(answered_at, 1, 10) <= ? "
        "ORDER BY answered_at, id",
        con, params=(as_of.isoformat(),),
    )
    frame = frame.drop_duplicates(["enrolment_id", "wave"], keep="last").reset_index(drop=True)
    frame["enrolment_id"] = frame["enrolment_id"].astype("int64")
    frame["wave"] = frame["wave"].astype("int64")
    return frame


def refused(con, enrol: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """enrolment_id, refused_on, refusal (Indonesian) of the enrolments refused by `as_of`."""
    return refused_enrolments(load_refusals(con, as_of), enrol)


def mark_refused(frame: pd.DataFrame, refusals: pd.DataFrame) -> pd.DataFrame:
    """`frame` with `menolak` (refused and no counted answer) and `penolakan` (why)."""
    why = frame["enrolment_id"].map(refusals.set_index("enrolment_id")["refusal"]) \
        if len(refusals) else pd.Series(None, index=frame.index, dtype=object)
    out = frame.assign(penolakan=why)
    out["menolak"] = out["status"].isna() & out["penolakan"].notna()
    return out


def reach(con, as_of: date) -> dict[str, int]:
    """Invited alumni (up to `as_of`) by what the blast delivery reports say of their number."""
    invited = pd.read_sql_query(
        "SELECT DISTINCT o.nik, a.phone FROM outreach_log o JOIN alumni a ON a.nik = o.nik "
        "WHERE o.kind = 'undangan' AND o.sent_on <= ?", con, params=(as_of.isoformat(),))
    last = pd.read_sql_query(
        "SELECT phone, status FROM blast_deliveries WHERE IFNULL(substr(status_at, 1, 10), '') <= ? "
        "ORDER BY phone, IFNULL(status_at, ''), id", con, params=(as_of.isoformat(),),
    ).drop_duplicates("phone", keep="last")
    status = invited["phone"].map(dict(zip(last["phone"], last["status"])))
    return {
        "diundang": len(invited),
        "pesan_diterima": int(status.isin(REACHED).sum()),
        "pesan_terkirim": int((status == SENT).sum()),
        "pesan_gagal": int(status.isin(UNREACHABLE).sum()),
        "tanpa_laporan_kirim": int(status.isna().sum()),
    }


def quality(con) -> dict[str, int]:
    def one(sql, *params):
        return int(con.execute(sql, params).fetchone()[0])

    return {
        "baris_alumni_ditolak": one("SELECT COUNT(*) FROM rejects WHERE kind = 'alumni'"),
        "baris_respons_ditolak": one("SELECT COUNT(*) FROM rejects WHERE kind = 'respons'"),
        "jawaban_tidak_cocok": one(
            "SELECT COUNT(*) FROM answers WHERE discarded = 0 AND match_status = ?", UNMATCHED),
        "antrean_tinjauan": len(review_queue(con)),
    }


# --- scope and counts ----------------------------------------------------------------

def latest_answer(answers: pd.DataFrame) -> pd.DataFrame:
    """Each enrolment's most recent answer among `answers`."""
    ranked = answers.sort_values(["answered_at", "id"])
    return ranked.drop_duplicates("enrolment_id", keep="last").rename(
        columns={"wave": "answer_wave"})


def period_scope(enrol, due, answers, start: date, until: date) -> pd.DataFrame:
    """In-scope enrolments of a period (waves due from `start` to `until`), with status."""
    in_period = due[(due["due"] >= pd.Timestamp(start)) & (due["due"] <= pd.Timestamp(until))]
    return _with_answers(enrol, in_period, answers.merge(
        in_period[["enrolment_id", "wave"]], on=["enrolment_id", "wave"]))


def cumulative_scope(enrol, due, answers, as_of: date) -> pd.DataFrame:
    return _with_answers(enrol, due[due["due"] <= pd.Timestamp(as_of)], answers)


def _with_answers(enrol, waves_due, answers) -> pd.DataFrame:
    record = (waves_due.sort_values(["enrolment_id", "wave"])
              .drop_duplicates("enrolment_id", keep="last")
              .rename(columns={"wave": "gelombang", "due": "jatuh_tempo"}))
    frame = enrol.merge(record, on="enrolment_id")
    return frame.merge(latest_answer(answers), on="enrolment_id", how="left")


def ratio(num, den):
    return num / den if den else float("nan")


def counts(frame: pd.DataFrame) -> dict:
    status = frame["status"]
    row = {"alumni": len(frame), "merespons": int(status.notna().sum()),
           "menolak": int(frame["menolak"].sum()) if "menolak" in frame else 0}
    for code in STATUSES:
        row[code] = int((status == code).sum())
    row["bekerja_wirausaha"] = sum(row[code] for code in EMPLOYED)
    row["tingkat_respons"] = ratio(row["merespons"], row["alumni"])
    row["tpk_responden"] = ratio(row["bekerja_wirausaha"], row["merespons"])
    row["tpk_seluruh"] = ratio(row["bekerja_wirausaha"], row["alumni"])
    return row
