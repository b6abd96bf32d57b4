"""Reading the store and deciding who is in scope of a period, with their status.

Built for a national store (a million enrolments, three million answers): the first
reads take only the columns every enrolment and answer needs (keys, dates, status), and
the wide columns (person, answer details) are read afterwards for the period's in-scope
rows only. Previous-period and cumulative figures are counted without building wide
frames. The SQL is plain (no SQLite-only functions), so the store can move to a server.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from kebekerjaan.rules.graduates import GRADUATE_SQL
from kebekerjaan.rules.labels import INVITATION, SEX_LABELS, UNMATCHED
from kebekerjaan.rules.refusals import CONSENT_NO, load_refusals, refused_enrolments
from kebekerjaan.rules.statuses import EMPLOYED, STATUSES
from kebekerjaan.rules.waves import add_months
from kebekerjaan.steps.answers.delivery import REACHED, SENT, UNREACHABLE
from kebekerjaan.steps.answers.records import review_queue
from kebekerjaan.steps.recap.model import COHORT_KEYS, UNKNOWN

# --- reading the store ---------------------------------------------------------------


def _read_sql(sql: str, con, params=()) -> pd.DataFrame:
    """pd.read_sql_query over plain tuples: building a sqlite3.Row per row (the store's
    row factory) costs about a third of the fetch at national scale (3 s of 9 s for the
    answers of 1M alumni)."""
    factory, con.row_factory = con.row_factory, None
    try:
        return pd.read_sql_query(sql, con, params=params)
    finally:
        con.row_factory = factory


def load_enrolments(con, own_bpvp: str = "") -> pd.DataFrame:
    """Graduate enrolments: keys, training end, training group columns; `bpvp` is the
    source BPVP (own when NULL); `cohort` numbers the (kejuruan, program, angkatan, tahun)
    groups. Person columns (sex, kab/kota, ...) come later, for in-scope rows only."""
    frame = _read_sql(
        "SELECT e.id AS enrolment_id, e.kejuruan, e.program, e.angkatan, "
        "e.training_year AS tahun, e.end_date, COALESCE(e.bpvp, ?) AS bpvp "
        f"FROM enrolments e WHERE {GRADUATE_SQL} ORDER BY e.id",
        con, params=(own_bpvp or UNKNOWN,),
    )
    frame["enrolment_id"] = frame["enrolment_id"].astype("int64")
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    frame["cohort"] = frame.groupby(COHORT_KEYS, dropna=False, sort=False).ngroup()
    return frame


_PERSON_COLUMNS = ("a.nik, a.name AS nama, a.sex, a.kabkota_name, a.birth_date, a.education, "
                   "a.address, a.phone, a.email, a.prov_name, e.start_date AS training_start")


def _by_ids(con, ids, select: str, joins: str, key: str) -> pd.DataFrame:
    """Rows for a list of ids through a temporary table (no giant IN list). The temporary
    table lives in this connection only; the store file is not written."""
    con.execute("CREATE TEMP TABLE IF NOT EXISTS recap_ids (id INTEGER PRIMARY KEY)")
    own = not con.in_transaction
    if own:
        con.execute("BEGIN")  # one transaction for all inserts, not one per row
    try:
        con.execute("DELETE FROM recap_ids")
        con.executemany("INSERT INTO recap_ids (id) VALUES (?)",
                        ((i,) for i in pd.unique(np.asarray(ids, dtype="int64")).tolist()))
        return _read_sql(f"SELECT {key} AS key_id, {select} FROM recap_ids r {joins}", con)
    finally:
        if own and con.in_transaction:
            con.execute("ROLLBACK")  # the ids were only ever for this read
        elif not own:
            con.execute("DELETE FROM recap_ids")


def load_people(con, enrolment_ids) -> pd.DataFrame:
    """Person and training-start columns of the given enrolments (index: enrolment id)."""
    frame = _by_ids(con, enrolment_ids, _PERSON_COLUMNS,
                    "JOIN enrolments e ON e.id = r.id JOIN alumni a ON a.nik = e.nik", "r.id")
    frame["jenis_kelamin"] = frame["sex"].map(SEX_LABELS).fillna(UNKNOWN)
    kabkota = frame["kabkota_name"].where(frame["kabkota_name"].fillna("").str.strip() != "")
    frame["kabkota"] = kabkota.fillna(UNKNOWN)
    return frame.set_index("key_id")


ANSWER_DETAILS = ("answered_at", "employer", "position", "employer_type", "sector", "location",
                  "start_date", "income", "relevance", "job_source", "source")


def load_answer_details(con, answer_ids) -> pd.DataFrame:
    """The questionnaire fields of the given answers (index: answer id)."""
    select = ", ".join(f"x.{c}" for c in ANSWER_DETAILS)
    return _by_ids(con, answer_ids, select, "JOIN answers x ON x.id = r.id", "r.id").set_index(
        "key_id")


def wave_dues(enrol: pd.DataFrame, waves: tuple[int, ...]) -> pd.DataFrame:
    """enrolment_id, wave, due: one row per enrolment and wave, in (enrolment, wave) order.
    Due dates are computed once per distinct training end date."""
    waves = tuple(sorted(int(w) for w in waves))
    ends = pd.DatetimeIndex(pd.unique(enrol["end_date"].dropna()))
    per_wave = []
    for w in waves:
        table = pd.Series(pd.to_datetime([add_months(d.date(), w) for d in ends]), index=ends)
        per_wave.append(enrol["end_date"].map(table).to_numpy("datetime64[ns]"))
    n = len(enrol)
    due = (np.column_stack(per_wave).ravel() if per_wave and n
           else np.array([], dtype="datetime64[ns]"))
    return pd.DataFrame({
        "enrolment_id": np.repeat(enrol["enrolment_id"].to_numpy(), len(waves)),
        "wave": np.tile(np.array(waves, dtype="int64"), n),
        "due": due,
    })


def load_answers(con, as_of: date) -> pd.DataFrame:
    """Counted answers as known on `as_of`: the latest for their training and wave, kept,
    with a status. (answers.is_latest is over the whole store, so a recap with a past
    as-of date picks its own latest among the answers it may see.) `order` ranks answers
    by answer time, then id; `status` is categorical over the questionnaire's codes."""
    # Ordered by SQL, so the answer time itself (a string per row) is never fetched.
    frame = _read_sql(
        # "Tidak bersedia" to the consent question: a refusal (refusals.py), not an answer.
        "SELECT id, enrolment_id, wave, status FROM answers "
        "WHERE discarded = 0 AND status IS NOT NULL AND enrolment_id IS NOT NULL "
        "AND wave IS NOT NULL AND COALESCE(consent, '') <> ? AND answered_at < ? "
        "ORDER BY answered_at, id",
        con, params=(CONSENT_NO, (as_of + timedelta(days=1)).isoformat()),
    )
    frame["id"] = frame["id"].astype("int64")
    frame["order"] = np.arange(len(frame), dtype="int64")
    frame = frame.drop_duplicates(["enrolment_id", "wave"], keep="last").reset_index(drop=True)
    frame["enrolment_id"] = frame["enrolment_id"].astype("int64")
    frame["wave"] = frame["wave"].astype("int64")
    # Categorical: the many status comparisons run on small integer codes. A code the
    # questionnaire does not know still counts as a response, as before.
    extra = sorted(set(frame["status"].dropna().unique()) - set(STATUSES))
    frame["status"] = pd.Categorical(frame["status"], categories=[*STATUSES, *extra])
    return frame


def refused(con, enrol: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """enrolment_id, refused_on, refusal (Indonesian) of the graduate enrolments refused by
    `as_of` (refusals.py). Refusals are few: their people's enrolments are read by NIK."""
    refusals = load_refusals(con, as_of)
    if refusals.empty:
        return refused_enrolments(refusals, pd.DataFrame(columns=["nik", "enrolment_id"]))
    people = _read_sql(
        "SELECT e.id AS enrolment_id, e.nik, COALESCE(e.bpvp, '') AS bpvp FROM enrolments e "
        "WHERE e.nik IN "
        "(SELECT nik FROM refusals UNION SELECT nik FROM answers WHERE consent = ?)",
        con, params=(CONSENT_NO,))
    people = people[people["enrolment_id"].isin(enrol["enrolment_id"])]
    return refused_enrolments(refusals, people)


def mark_refused(frame: pd.DataFrame, refusals: pd.DataFrame) -> pd.DataFrame:
    """`frame` with `menolak` (refused and no counted answer) and `penolakan` (why)."""
    why = (frame["enrolment_id"].map(refusals.set_index("enrolment_id")["refusal"])
           if len(refusals) else pd.Series(None, index=frame.index, dtype=object))
    out = frame.assign(penolakan=why.astype(object))
    out["menolak"] = out["status"].isna() & out["penolakan"].notna()
    return out


def reach(con, as_of: date) -> dict[str, int]:
    """Invited alumni (up to `as_of`) by what the blast delivery reports say of their number."""
    invited = _read_sql(
        "SELECT DISTINCT o.nik, a.phone FROM outreach_log o JOIN alumni a ON a.nik = o.nik "
        "WHERE o.kind = ? AND o.sent_on <= ?", con, params=(INVITATION, as_of.isoformat()))
    last = _read_sql(
        "SELECT phone, status FROM blast_deliveries "
        "WHERE status_at IS NULL OR status_at < ? ORDER BY phone, COALESCE(status_at, ''), id",
        con, params=((as_of + timedelta(days=1)).isoformat(),),
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

def _latest_per_enrolment(answers: pd.DataFrame) -> pd.DataFrame:
    """Each enrolment's most recent answer among `answers` (wave renamed answer_wave)."""
    ranked = answers.sort_values("order", kind="stable")
    return ranked.drop_duplicates("enrolment_id", keep="last").rename(
        columns={"wave": "answer_wave"})


def _window(due: pd.DataFrame, start: date | None, until: date) -> pd.DataFrame:
    keep = due["due"] <= pd.Timestamp(until)
    if start is not None:
        keep &= due["due"] >= pd.Timestamp(start)
    return due[keep]


def _record(waves_due: pd.DataFrame) -> pd.DataFrame:
    """Each enrolment's wave of record: the latest wave due (rows are in wave order)."""
    return (waves_due.drop_duplicates("enrolment_id", keep="last")
            .rename(columns={"wave": "gelombang", "due": "jatuh_tempo"}))


def _answers_for(answers: pd.DataFrame, waves_due: pd.DataFrame, same_wave: bool) -> pd.DataFrame:
    if same_wave:
        return answers.merge(waves_due[["enrolment_id", "wave"]], on=["enrolment_id", "wave"])
    return answers[answers["enrolment_id"].isin(waves_due["enrolment_id"])]


def period_scope(enrol, due, answers, start: date, until: date) -> pd.DataFrame:
    """In-scope enrolments of a period (waves due from `start` to `until`) with their
    group columns, wave of record and latest counted answer (id, status, answer_wave)."""
    in_period = _window(due, start, until)
    frame = enrol.merge(_record(in_period), on="enrolment_id")
    latest = _latest_per_enrolment(_answers_for(answers, in_period, same_wave=True))
    return frame.merge(latest[["enrolment_id", "id", "answer_wave", "status"]],
                       on="enrolment_id", how="left")


def period_counts(due, answers, start: date | None, until: date, same_wave: bool = True,
                  refused_ids=()) -> dict:
    """The summary row of a period (or, with start None and same_wave False, the
    cumulative row) without building the wide frame. `refused_ids`: enrolments refused."""
    waves_due = _window(due, start, until)
    latest = _latest_per_enrolment(_answers_for(answers, waves_due, same_wave))
    in_scope = pd.Index(pd.unique(waves_due["enrolment_id"]))
    refused = in_scope.isin(list(refused_ids)) & ~in_scope.isin(latest["enrolment_id"])
    return counts(latest["status"], len(in_scope), refused=int(refused.sum()))


def ratio(num, den):
    return num / den if den else float("nan")


def counts(status: pd.Series, alumni: int | None = None, refused: int = 0) -> dict:
    """Summary counts and rates; `status` has one entry per responded enrolment (NaN for
    the others when `alumni` is not given); `refused`: in scope, no answer, refused."""
    alumni = len(status) if alumni is None else alumni
    tally = status.value_counts()
    row = {"alumni": int(alumni), "merespons": int(status.notna().sum()), "menolak": int(refused)}
    for code in STATUSES:
        row[code] = int(tally.get(code, 0))
    row["bekerja_wirausaha"] = sum(row[code] for code in EMPLOYED)
    row["tingkat_respons"] = ratio(row["merespons"], row["alumni"])
    row["tpk_responden"] = ratio(row["bekerja_wirausaha"], row["merespons"])
    row["tpk_seluruh"] = ratio(row["bekerja_wirausaha"], row["alumni"])
    return row


def with_details(con, frame: pd.DataFrame) -> pd.DataFrame:
    """The in-scope frame with person columns and the fields of its counted answers."""
    people = load_people(con, frame["enrolment_id"]) if len(frame) else None
    answered = frame["id"].dropna()
    details = load_answer_details(con, answered) if len(answered) else None
    out = frame.copy()
    person_cols = ["nik", "nama", "jenis_kelamin", "kabkota", "birth_date", "education",
                   "address", "phone", "email", "prov_name", "training_start"]
    for col in person_cols:
        out[col] = (people[col].reindex(frame["enrolment_id"]).to_numpy()
                    if people is not None else pd.Series(dtype=object))
    ids = frame["id"]
    for col in ANSWER_DETAILS:
        if details is None:
            out[col] = None
        else:
            out[col] = details[col].reindex(ids.fillna(-1).astype("int64")).to_numpy()
    return out
