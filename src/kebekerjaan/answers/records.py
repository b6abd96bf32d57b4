"""Survey answers in the store: save, match, review decisions, wave and latest answer.

An answer is never deleted or overwritten by a later one: all are kept, and
`is_latest` marks the one that counts for its alumnus, training and wave. `refresh`
recomputes matching and waves from scratch, so alumni imported later, a changed
setting or a new review decision all take effect on the next run.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pandas as pd

from kebekerjaan import store
from kebekerjaan.answers.matching import MATCHED, REVIEW, UNMATCHED, MatchRules, match_answers
from kebekerjaan.errors import KebekerjaanError
from kebekerjaan.graduates import ENROLMENT_JOIN, graduates_only
from kebekerjaan.outreach import SurveyRules, wave_windows
from kebekerjaan.periods import caturwulan

# Questionnaire fields stored with each answer: columns named by their codes in
# data/kuesioner.toml; values are option codes or clean text.
ANSWER_FIELDS = ("status", "employer", "position", "employer_type", "sector", "location",
                 "start_date", "income", "relevance", "job_source", "consent")
GIVEN_FIELDS = ("given_nik", "given_name", "given_phone", "given_kejuruan", "given_angkatan",
                "given_code")
SOURCES = ("formulir", "whatsapp", "manual")
DECISIONS = ("konfirmasi", "pilih", "status", "buang")
# A human's word is final: these answers are not re-matched by the machine.
_FINAL_METHODS = ("manual", "tinjauan")


def save_answers(con: sqlite3.Connection, frame: pd.DataFrame, *, import_id: int | None,
                 file_name: str | None) -> int:
    """Insert answers (by `answer_key`, so the same answer twice is stored once).

    Returns how many were new. Call inside a transaction.
    """
    if frame.empty:
        return 0
    cols = ["answer_key", "source", "answered_at", *GIVEN_FIELDS, *ANSWER_FIELDS, "message",
            "rule", "confidence", "unclear", "row_number", "entered_by", "nik", "match_status",
            "match_method", "match_score"]
    present = [c for c in cols if c in frame.columns]
    bad = set(frame["source"]) - set(SOURCES)
    if bad:
        raise ValueError(f"unknown answer source {bad}")
    before = con.total_changes
    now = store.now_iso()
    con.executemany(
        f"INSERT OR IGNORE INTO answers ({', '.join(present)}, import_id, file_name, created_at) "
        f"VALUES ({', '.join('?' * len(present))}, ?, ?, ?)",
        [(*row, import_id, file_name, now)
         for row in frame[present].astype(object).where(frame[present].notna(), None)
         .itertuples(index=False, name=None)],
    )
    return con.total_changes - before


def decide(con: sqlite3.Connection, answer_key: str, decision: str, *, nik: str | None = None,
           status: str | None = None, by: str | None = None) -> None:
    """Record a staff decision on one queued answer; it is never asked again.

    `by` (who decided) is required. A decision on a WhatsApp reply also teaches the
    classifier that phrasing (answers/learning.py); `undo` takes a decision back.
    """
    if decision not in DECISIONS:
        raise KebekerjaanError(f"Keputusan '{decision}' tidak dikenal; pilih {', '.join(DECISIONS)}.")
    if decision == "pilih" and not nik:
        raise KebekerjaanError("Pilih alumnus yang dimaksud terlebih dahulu.")
    if decision == "status" and not status:
        raise KebekerjaanError("Pilih status kerja terlebih dahulu.")
    if nik and not con.execute("SELECT 1 FROM alumni WHERE nik = ?", (nik,)).fetchone():
        raise KebekerjaanError("NIK yang dipilih tidak ada di data alumni.")
    by = (by or "").strip()
    if not by:
        raise KebekerjaanError("Isi 'Diputuskan oleh' dengan nama petugas yang memutuskan.")
    from kebekerjaan.answers import learning

    prior = con.execute(
        "SELECT source, status, unclear, nik, match_status, match_method, message FROM answers "
        "WHERE answer_key = ?", (answer_key,)).fetchone()
    now = store.now_iso()
    with store.transaction(con):
        con.execute(
            "INSERT INTO review_decisions (answer_key, decision, nik, status, decided_by, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (answer_key) DO UPDATE SET "
            "decision = excluded.decision, nik = excluded.nik, status = excluded.status, "
            "decided_by = excluded.decided_by, decided_at = excluded.decided_at",
            (answer_key, decision, nik, status, by, now),
        )
        # The answer as it was, so the decision can be undone.
        con.execute(
            "INSERT INTO decision_log (answer_key, decision, nik, status, decided_by, decided_at, "
            "prior_status, prior_unclear, prior_nik, prior_match_status, prior_match_method) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (answer_key, decision, nik, status, by, now,
             *((prior[1], prior[2], prior[3], prior[4], prior[5]) if prior else (None,) * 5)),
        )
        if prior and prior[0] == "whatsapp" and prior[6]:
            label = learning.label_of(decision, status=status, answer_status=prior[1],
                                      answer_unclear=prior[2])
            if label:
                learning.remember(con, answer_key=answer_key, message=prior[6], label=label, by=by)


def undo(con: sqlite3.Connection, answer_key: str, *, by: str | None = None) -> None:
    """Take back the decision on one answer: it returns to the review queue as it was."""
    from kebekerjaan.answers import learning

    last = con.execute(
        "SELECT id, prior_status, prior_unclear, prior_nik, prior_match_status, prior_match_method "
        "FROM decision_log WHERE answer_key = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
        (answer_key,)).fetchone()
    if last is None:
        raise KebekerjaanError("Tidak ada keputusan yang dapat diurungkan untuk jawaban ini.")
    with store.transaction(con):
        con.execute("DELETE FROM review_decisions WHERE answer_key = ?", (answer_key,))
        con.execute(
            "UPDATE answers SET status = ?, unclear = ?, nik = ?, match_status = ?, "
            "match_method = ?, discarded = 0 WHERE answer_key = ?",
            (last[1], last[2], last[3], last[4], last[5], answer_key))
        con.execute("UPDATE decision_log SET undone_at = ?, undone_by = ? WHERE id = ?",
                    (store.now_iso(), (by or "").strip() or None, last[0]))
        learning.forget(con, answer_key)


def refresh(con: sqlite3.Connection, survey: SurveyRules, rules: MatchRules | None = None) -> dict:
    """Re-match answers, apply decisions, assign training, wave, caturwulan and latest."""
    rules = rules or MatchRules()
    answers = pd.read_sql_query(
        "SELECT a.id, a.answer_key, a.answered_at, a.status, a.nik, a.unclear, a.match_method, "
        "a.match_status, a.match_score, a.candidates, a.given_nik, a.given_name, a.given_phone, "
        "a.given_kejuruan, a.given_angkatan, a.given_code, d.decision, d.nik AS decided_nik, "
        "d.status AS decided_status "
        "FROM answers a LEFT JOIN review_decisions d ON d.answer_key = a.answer_key",
        con,
    )
    alumni = pd.read_sql_query(
        "SELECT e.id AS enrolment_id, e.nik, a.name, a.phone, e.kejuruan, e.angkatan, e.end_date, "
        f"e.graduation, c.code FROM {ENROLMENT_JOIN} "
        "LEFT JOIN respondent_codes c ON c.enrolment_id = e.id",
        con,
    )
    if answers.empty:
        return {"answers": 0}

    machine = ~answers["match_method"].isin(_FINAL_METHODS) & answers["decision"].isna()
    if machine.any():
        given = answers.loc[machine, list(GIVEN_FIELDS)].set_axis(
            ["nik", "name", "phone", "kejuruan", "angkatan", "code"], axis=1)
        found = match_answers(given, alumni, rules)
        answers.loc[machine, "match_status"] = found["match_status"]
        answers.loc[machine, "match_method"] = found["match_method"]
        answers.loc[machine, "match_score"] = found["match_score"]
        answers.loc[machine, "candidates"] = found["candidates"]
        answers.loc[machine, "nik"] = found["matched_nik"]
        answers["code_enrolment"] = found["matched_enrolment"].reindex(answers.index)
        # Why a code could not be used: said once in the review reason.
        note = found["match_note"].reindex(answers.index)
        noted = machine & note.notna()
        answers.loc[noted, "unclear"] = [
            n if not isinstance(u, str) or not u else (u if n in u else f"{u}; {n}")
            for n, u in zip(note[noted], answers.loc[noted, "unclear"])]

    answers["discarded"] = (answers["decision"] == "buang").astype(int)
    chosen = answers["decision"].isin(["konfirmasi", "pilih"])
    # Confirming a suggested match takes the best candidate unless staff named someone.
    best = answers["candidates"].map(_best_candidate)
    answers.loc[chosen, "nik"] = answers.loc[chosen, "decided_nik"].fillna(best[chosen])
    answers.loc[chosen, ["match_status", "match_method"]] = [MATCHED, "tinjauan"]
    set_status = answers["decision"] == "status"
    answers.loc[set_status, "status"] = answers.loc[set_status, "decided_status"]
    answers.loc[answers["decision"].notna(), "unclear"] = None

    graduates = graduates_only(alumni)
    placed = _place_in_waves(answers, graduates, survey)
    answers["enrolment_id"] = placed["enrolment_id"]
    answers["wave"] = placed["wave"]
    answers["caturwulan"] = answers["answered_at"].map(caturwulan)
    answers["is_latest"] = _latest(answers).astype(int)

    cols = ["nik", "match_status", "match_method", "match_score", "candidates", "status",
            "unclear", "discarded", "enrolment_id", "wave", "caturwulan", "is_latest"]
    values = answers[cols].astype(object).where(answers[cols].notna(), None)
    with store.transaction(con):
        con.executemany(
            f"UPDATE answers SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
            [(*row, int(i)) for row, i in zip(values.itertuples(index=False, name=None),
                                               answers["id"])],
        )
    kept = answers[answers["discarded"] == 0]
    return {
        "answers": len(answers),
        "matched": int((kept["match_status"] == MATCHED).sum()),
        "by_code": int(((kept["match_status"] == MATCHED) & (kept["match_method"] == "kode")).sum()),
        "to_review": int(((kept["match_status"] == REVIEW) | kept["unclear"].notna()).sum()),
        "unmatched": int((kept["match_status"] == UNMATCHED).sum()),
        "in_wave": int(kept["wave"].notna().sum()),
        "discarded": int(answers["discarded"].sum()),
    }


def refresh_with_settings(con: sqlite3.Connection, settings) -> dict:
    """refresh() with the survey timing and the [matching] thresholds of the workspace."""
    return refresh(con, SurveyRules.from_settings(settings), MatchRules.from_settings(settings))


def _best_candidate(candidates) -> str | None:
    import json

    if not isinstance(candidates, str):
        return None
    listed = json.loads(candidates)
    return listed[0]["nik"] if listed else None


def answer_windows(end: date, survey: SurveyRules) -> list[tuple[int, date, date]]:
    """(wave, from, to) within which an answer counts for each wave of a training.

    A wave's answers run from the day its invitation window opens until the day before
    the next wave's opens; the last wave's until its invitation window closes. So every
    answer between the first opening and the last closing belongs to exactly one wave.
    """
    windows = wave_windows(end, survey)
    out = []
    for i, (wave, _due, opens, closes) in enumerate(windows):
        until = windows[i + 1][2] - timedelta(days=1) if i + 1 < len(windows) else closes
        out.append((wave, opens, until))
    return out


def _place_in_waves(answers: pd.DataFrame, enrolments: pd.DataFrame,
                    survey: SurveyRules) -> pd.DataFrame:
    """Training and wave of each matched answer (None where none fits)."""
    out = pd.DataFrame({"enrolment_id": None, "wave": None}, index=answers.index, dtype=object)
    matched = answers["nik"].notna() & (answers["match_status"] == MATCHED)
    if not matched.any() or enrolments.empty:
        return out
    windows = pd.DataFrame(
        [(end, w, lo, hi) for end in pd.unique(enrolments["end_date"])
         for w, lo, hi in answer_windows(date.fromisoformat(end), survey)],
        columns=["end_date", "wave", "lo", "hi"],
    )
    cand = (answers.loc[matched, ["nik", "answered_at"]].reset_index()
            .merge(enrolments[["nik", "enrolment_id", "end_date"]], on="nik"))
    if "code_enrolment" in answers:
        # A respondent code names the training: only that one is a candidate.
        named = cand["index"].map(answers["code_enrolment"])
        cand = cand[named.isna().to_numpy() | (cand["enrolment_id"] == named).to_numpy()]
    cand["day"] = cand["answered_at"].str.slice(0, 10)
    cand = cand.merge(windows, on="end_date", how="left")
    cand["fits"] = (cand["lo"].astype(str) <= cand["day"]) & (cand["day"] <= cand["hi"].astype(str))
    # Prefer a training whose window holds the answer; among several, the latest training.
    cand = cand.sort_values(["index", "fits", "end_date"], ascending=[True, False, False])
    best = cand.drop_duplicates("index").set_index("index")
    out.loc[best.index, "enrolment_id"] = best["enrolment_id"].astype(object)
    out.loc[best.index, "wave"] = best["wave"].where(best["fits"], None).astype(object)
    # An answer that fits no window still belongs to the person's latest training.
    return out


def _latest(answers: pd.DataFrame) -> pd.Series:
    ok = (answers["discarded"] == 0) & answers["wave"].notna() & answers["enrolment_id"].notna()
    ranked = answers[ok].sort_values(["answered_at", "id"])
    last = ~ranked.duplicated(["enrolment_id", "wave"], keep="last")
    flag = pd.Series(False, index=answers.index)
    flag[ranked.index[last.to_numpy()]] = True
    return flag


def review_queue(con: sqlite3.Connection) -> pd.DataFrame:
    """Answers a human must look at: doubtful matches and unclear WhatsApp replies."""
    return pd.read_sql_query(
        "SELECT a.id, a.answer_key, a.source, a.answered_at, a.given_name, a.given_nik, "
        "a.given_phone, a.given_kejuruan, a.given_angkatan, a.given_code, a.status, a.employer, "
        "a.message, "
        "a.unclear, a.match_status, a.match_score, a.candidates "
        "FROM answers a LEFT JOIN review_decisions d ON d.answer_key = a.answer_key "
        "WHERE d.id IS NULL AND a.discarded = 0 AND (a.match_status = ? OR a.unclear IS NOT NULL) "
        "ORDER BY a.answered_at",
        con, params=(REVIEW,),
    )
