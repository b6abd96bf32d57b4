"""Survey answers in the store: save, match, review decisions, wave and latest answer.

An answer is never deleted or overwritten by a later one: all are kept, and
`is_latest` marks the one that counts for its alumnus, training and wave. `refresh`
works on what changed since it last ran (new answers, alumni imported later, a new
review decision, a changed setting) and gives what a refresh from scratch would give.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pandas as pd

from kebekerjaan.core import journal, store
from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.rules import codes
from kebekerjaan.rules.graduates import graduates_only
from kebekerjaan.rules.labels import (
    MATCHED,
    REFUSED_SHOWN,
    REVIEW,
    SOURCES,
    UNMATCHED,
    WHATSAPP,
)
from kebekerjaan.rules.periods import caturwulan_of
from kebekerjaan.rules.questionnaire import load_questionnaire
from kebekerjaan.rules.refusals import CONSENT_NO, load_refusals
from kebekerjaan.rules.waves import SurveyRules, wave_windows
from kebekerjaan.steps.answers.matching import (
    ExactKeys,
    MatchRules,
    NameIndex,
    blocking_tokens,
    empty_result,
    match_answers,
)

# Questionnaire fields stored with each answer: columns named by their codes in
# data/kuesioner.toml; values are option codes or clean text.
ANSWER_FIELDS = ("status", "employer", "position", "employer_type", "sector", "location",
                 "start_date", "income", "relevance", "job_source", "consent")
GIVEN_FIELDS = ("given_nik", "given_name", "given_phone", "given_kejuruan", "given_angkatan",
                "given_code")
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
            "rule", "confidence", "unclear", "notes", "row_number", "entered_by", "nik", "match_status",
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
    from kebekerjaan.steps.answers import learning

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
        if prior and prior[0] == WHATSAPP and prior[6]:
            label = learning.label_of(decision, status=status, answer_status=prior[1],
                                      answer_unclear=prior[2])
            if label:
                learning.remember(con, answer_key=answer_key, message=prior[6], label=label, by=by)


def undo(con: sqlite3.Connection, answer_key: str, *, by: str | None = None) -> None:
    """Take back the decision on one answer: it returns to the review queue as it was."""
    from kebekerjaan.steps.answers import learning

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
            "match_method = ?, discarded = 0, refreshed_with = NULL WHERE answer_key = ?",
            (last[1], last[2], last[3], last[4], last[5], answer_key))
        con.execute("UPDATE decision_log SET undone_at = ?, undone_by = ? WHERE id = ?",
                    (store.now_iso(), (by or "").strip() or None, last[0]))
        learning.forget(con, answer_key)


@journal.form_save("keputusan_tinjauan")
def decide_and_refresh(ws, *, answer_key: str, decision: str, nik: str | None = None,
                       status: str | None = None, by: str | None = None) -> list[str]:
    """A staff decision from the review panel, answers re-matched after it (a form save).

    A person may be chosen together with a status (decision konfirmasi or pilih with
    `status`). A status or discard decision also settles the same wording elsewhere in the
    queue, so it is not asked again. Returns the keys of every answer decided.
    """
    from kebekerjaan.steps.answers.learning import same_phrasing

    con = store.connect(ws.store_path)
    try:
        decide(con, answer_key, decision, nik=nik, status=status, by=by)
        decided = [answer_key]
        if decision in ("status", "buang") or status:
            # The wording settles the same wording elsewhere; the person is this answer's own.
            also = "buang" if decision == "buang" else "status"
            for key in same_phrasing(con, answer_key):
                decide(con, key, also, status=status, by=by)
                decided.append(key)
        refresh_with_settings(con, ws.settings())
    finally:
        con.close()
    return decided


@journal.form_save("urungkan_tinjauan")
def undo_and_refresh(ws, *, answer_keys: list[str], by: str | None = None) -> None:
    """Take back review decisions (last first), answers re-matched after it (a form save)."""
    con = store.connect(ws.store_path)
    try:
        for key in reversed(answer_keys):
            undo(con, key, by=by)
        refresh_with_settings(con, ws.settings())
    finally:
        con.close()


# Answers read, matched, placed and written per batch: bounds memory at national scale.
BATCH = 200_000
# From this many answers to refresh, alumni and enrolments are read once, whole, instead
# of looked up per batch (a fresh national store: millions of answers).
PRELOAD = 50_000
_STATE_MATCHING, _STATE_WAVES, _STATE_MARK = "refresh_matching", "refresh_waves", "refresh_import_mark"
_DIRTY_COLS = ["nik", "match_status", "match_method", "match_score", "candidates", "match_note",
               "status", "unclear", "discarded", "enrolment_id", "wave", "caturwulan",
               "refreshed_with"]


def survey_fingerprint(survey: SurveyRules) -> str:
    """What wave placement depends on besides the data: a change re-places every answer."""
    return json.dumps(["waves-v1", list(survey.waves), survey.days_before, survey.days_after])


def refresh(con: sqlite3.Connection, survey: SurveyRules, rules: MatchRules | None = None) -> dict:
    """Match, apply decisions, assign training, wave, caturwulan and latest: for what changed.

    Only answers whose inputs changed since the last refresh are worked on: new answers,
    answers with a new or changed review decision, and answers an alumni import may
    affect (their NIK, phone or a name token is that of an alumnus the import added or
    changed). A change of the `[matching]` or wave settings re-matches or re-places every
    answer, and says so in `notes`. `is_latest` is recomputed only for the (training,
    wave) groups those answers left or joined. The result equals a refresh from scratch.
    """
    rules = rules or MatchRules.from_settings()
    match_fp, wave_fp = rules.fingerprint(), survey_fingerprint(survey)
    if _nothing_pending(con, match_fp, wave_fp):
        # No write transaction at all: the store's content state stays as it was, so the
        # recap an earlier run kept can be reused by step 8.
        return {**_totals(con), "refreshed": 0, "notes": []}
    # Every nik and enrolment_id written comes from the alumni and enrolments tables
    # just read: checking each reference again would double the cost of a large refresh.
    with store.foreign_keys_off(con), store.transaction(con):
        seen_match = store.get_state(con, _STATE_MATCHING)
        seen_waves = store.get_state(con, _STATE_WAVES)
        mark = int(store.get_state(con, _STATE_MARK) or 0)
        top = con.execute("SELECT COALESCE(MAX(id), 0) FROM import_log").fetchone()[0]
        notes: list[str] = []
        rematch_all = seen_match is not None and seen_match != match_fp
        replace_all = seen_waves is not None and seen_waves != wave_fp
        if rematch_all:
            notes.append("pengaturan pencocokan berubah: semua jawaban dicocokkan ulang")
        if replace_all:
            notes.append("pengaturan gelombang survei berubah: semua jawaban ditempatkan ulang "
                         "pada gelombangnya")
        _temp_tables(con)
        if rematch_all or replace_all:
            con.execute("INSERT INTO tmp_dirty (id, rematch) SELECT id, ? FROM answers",
                        (int(rematch_all),))
        _mark_dirty(con, "SELECT id, 1 FROM answers WHERE refreshed_with IS NULL")
        if top > mark and seen_match is not None:
            changed = _alumni_changed_since(con, mark)
            if changed:
                notes.append(f"data alumni bertambah/berubah ({changed} alumni): jawaban yang "
                             "mungkin terkait dicocokkan ulang")
        _mark_dirty(
            con,
            "SELECT a.id, 0 FROM review_decisions d JOIN answers a ON a.answer_key = d.answer_key "
            "WHERE a.refreshed_with IS NULL OR a.refreshed_with <> "
            "d.decision || '|' || COALESCE(d.nik, '') || '|' || COALESCE(d.status, '')")
        ids = [r[0] for r in con.execute("SELECT id FROM tmp_dirty ORDER BY id")]
        everything = len(ids) == con.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
        ctx = _Context(con, survey, preload=len(ids) >= PRELOAD, groups=not everything)
        rebuild = everything and len(ids) >= PRELOAD
        if rebuild:
            for name in store.DERIVED_ANSWER_INDEXES:
                con.execute(f"DROP INDEX IF EXISTS {name}")
        for start in range(0, len(ids), BATCH):
            _refresh_batch(con, ids[start:start + BATCH], survey, rules, ctx)
        _recompute_latest(con, everything)
        if rebuild:
            for sql in store.DERIVED_ANSWER_INDEXES.values():
                con.execute(sql)
        store.set_state(con, _STATE_MATCHING, match_fp)
        store.set_state(con, _STATE_WAVES, wave_fp)
        store.set_state(con, _STATE_MARK, str(top))
        totals = _totals(con)
        _drop_temp_tables(con)
    totals["refreshed"] = len(ids)
    totals["notes"] = notes
    return totals


def _nothing_pending(con, match_fp: str, wave_fp: str) -> bool:
    """True when a refresh would change nothing: same settings, no import since the last
    refresh, no answer never refreshed, no review decision the answer has not seen."""
    if (store.get_state(con, _STATE_MATCHING) != match_fp
            or store.get_state(con, _STATE_WAVES) != wave_fp):
        return False
    mark = int(store.get_state(con, _STATE_MARK) or 0)
    if con.execute("SELECT COALESCE(MAX(id), 0) FROM import_log").fetchone()[0] > mark:
        return False
    if con.execute("SELECT 1 FROM answers WHERE refreshed_with IS NULL LIMIT 1").fetchone():
        return False
    return con.execute(
        "SELECT 1 FROM review_decisions d JOIN answers a ON a.answer_key = d.answer_key "
        "WHERE a.refreshed_with IS NULL OR a.refreshed_with <> "
        "d.decision || '|' || COALESCE(d.nik, '') || '|' || COALESCE(d.status, '') LIMIT 1"
    ).fetchone() is None


def _temp_tables(con) -> None:
    _drop_temp_tables(con)
    con.execute("CREATE TEMP TABLE tmp_dirty (id INTEGER PRIMARY KEY, rematch INTEGER NOT NULL)")
    con.execute("CREATE TEMP TABLE tmp_groups (enrolment_id INTEGER NOT NULL, wave INTEGER NOT NULL,"
                " PRIMARY KEY (enrolment_id, wave))")
    con.execute("CREATE TEMP TABLE tmp_keys (value TEXT PRIMARY KEY)")


def _drop_temp_tables(con) -> None:
    for t in ("tmp_dirty", "tmp_groups", "tmp_keys"):
        con.execute(f"DROP TABLE IF EXISTS temp.{t}")


def _mark_dirty(con, select_sql: str, params=()) -> None:
    # WHERE true: SQLite needs it to read ON CONFLICT after a SELECT; PostgreSQL accepts it.
    con.execute(f"INSERT INTO tmp_dirty (id, rematch) SELECT * FROM ({select_sql}) s WHERE true "
                "ON CONFLICT (id) DO NOTHING", params)


def _fill_keys(con, values) -> None:
    con.execute("DELETE FROM tmp_keys")
    con.executemany("INSERT INTO tmp_keys (value) VALUES (?) ON CONFLICT (value) DO NOTHING",
                    [(v,) for v in values if isinstance(v, str) and v])


def _alumni_changed_since(con, mark: int) -> int:
    """Mark for re-matching the answers an alumni import after `mark` may affect."""
    niks = {r[0] for r in con.execute(
        "SELECT nik FROM alumni WHERE last_import_id > ? "
        "UNION SELECT nik FROM enrolments WHERE last_import_id > ?", (mark, mark))}
    if not niks:
        return 0
    _fill_keys(con, niks)
    phones, tokens = set(), set()
    for name, phone in con.execute(
            "SELECT a.name, a.phone FROM alumni a JOIN tmp_keys k ON k.value = a.nik"):
        phones.add(phone)
        tokens |= blocking_tokens(name)
    # Names and numbers the changed alumni had before: an answer may have matched those.
    for (old,) in con.execute(
            "SELECT old_values FROM history WHERE table_name = 'alumni' AND import_id > ?", (mark,)):
        before = json.loads(old)
        phones.add(before.get("phone"))
        tokens |= blocking_tokens(before.get("name"))
    for col in ("nik", "given_nik"):
        _mark_dirty(con, f"SELECT a.id, 1 FROM answers a JOIN tmp_keys k ON k.value = a.{col}")
    _fill_keys(con, phones)
    _mark_dirty(con, "SELECT a.id, 1 FROM answers a JOIN tmp_keys k ON k.value = a.given_phone")
    if tokens:
        cur = con.execute("SELECT id, given_name FROM answers WHERE match_method = 'nama' "
                          "AND given_name IS NOT NULL")
        while rows := cur.fetchmany(50_000):
            hit = [(i,) for i, name in rows if blocking_tokens(name) & tokens]
            con.executemany("INSERT INTO tmp_dirty (id, rematch) VALUES (?, 1) "
                            "ON CONFLICT (id) DO UPDATE SET rematch = 1", hit)
    return len(niks)


class _Context:
    """What every batch of one refresh shares: the alumni lookups, built when needed.

    A small refresh looks up only the alumni its answers name (by NIK, phone); a large
    one reads alumni and enrolments once. Name indexes are built only if some answer
    needs a name match, one per BPVP: in a merged national store an answer came to one
    BPVP, and only that BPVP's alumni are candidates for a name, blocked as that BPVP's
    own store blocks them (NULL = the workspace's own BPVP).
    """

    def __init__(self, con, survey: SurveyRules, *, preload: bool, groups: bool):
        self.con, self.groups, self.indexes = con, groups, None
        self.people = self.enrolments = self.keys = self.graduates = self.nik_index = None
        self.windows = _Windows(survey)
        if preload:
            self.people = pd.read_sql_query("SELECT nik, name, phone FROM alumni", con)
            self.enrolments = pd.read_sql_query(
                "SELECT id AS enrolment_id, nik, kejuruan, angkatan, end_date, graduation, bpvp "
                "FROM enrolments", con)
            self.keys = ExactKeys(self.people)
            # Batches join graduates on an integer code of the NIK: hashed once, not per batch.
            self.nik_index = pd.Index(pd.unique(self.enrolments["nik"]))
            grads = graduates_only(self.enrolments)[["nik", "enrolment_id", "end_date", "bpvp"]]
            self.graduates = grads.assign(nik_code=self.nik_index.get_indexer(grads["nik"]))

    def exact(self, niks, phones) -> ExactKeys:
        if self.keys is not None:
            return self.keys
        _fill_keys(self.con, [*niks, *phones])
        return ExactKeys(pd.read_sql_query(
            "SELECT nik, name, phone FROM alumni WHERE nik IN (SELECT value FROM tmp_keys) "
            "UNION SELECT nik, name, phone FROM alumni WHERE phone IN (SELECT value FROM tmp_keys)",
            self.con))

    def codes(self, given) -> pd.DataFrame:
        """The enrolments (enrolment_id, nik, name, code) whose respondent codes were given."""
        wanted = [c for c in (codes.normalize(g) for g in given) if c]
        if not wanted:
            return pd.DataFrame(columns=["enrolment_id", "nik", "name", "code"])
        _fill_keys(self.con, wanted)
        return pd.read_sql_query(
            "SELECT c.enrolment_id, e.nik, a.name, c.code FROM respondent_codes c "
            "JOIN tmp_keys k ON k.value = c.code JOIN enrolments e ON e.id = c.enrolment_id "
            "JOIN alumni a ON a.nik = e.nik", self.con)

    def enrolments_of(self, niks) -> pd.DataFrame:
        if self.enrolments is not None:
            return self.enrolments
        _fill_keys(self.con, niks)
        return pd.read_sql_query(
            "SELECT e.id AS enrolment_id, e.nik, e.end_date, e.graduation, e.bpvp FROM enrolments e "
            "WHERE e.nik IN (SELECT value FROM tmp_keys)", self.con)

    def name_indexes(self) -> dict[str, NameIndex]:
        if self.indexes is None:
            people = (self.people[["nik", "name"]] if self.people is not None
                      else pd.read_sql_query("SELECT nik, name FROM alumni", self.con))
            enrol = (self.enrolments[["nik", "kejuruan", "angkatan", "bpvp"]].copy()
                     if self.enrolments is not None else pd.read_sql_query(
                         "SELECT nik, kejuruan, angkatan, bpvp FROM enrolments", self.con))
            enrol["bpvp"] = enrol["bpvp"].fillna("")
            groups = enrol.groupby("bpvp", sort=False)
            if groups.ngroups <= 1:
                self.indexes = {(enrol["bpvp"].iat[0] if len(enrol) else ""): NameIndex(people, enrol)}
            else:
                self.indexes = {b: NameIndex(people[people["nik"].isin(set(e["nik"]))], e)
                                for b, e in groups}
        return self.indexes


def _refresh_batch(con, ids: list[int], survey: SurveyRules, rules: MatchRules,
                   ctx: _Context) -> None:
    # The batch is a range of the sorted dirty ids: read by range, no id list to send.
    answers = pd.read_sql_query(
        "SELECT a.id, a.answer_key, a.answered_at, a.status, a.nik, a.unclear, a.match_method, "
        "a.match_status, a.match_score, a.candidates, a.match_note, a.given_nik, a.given_name, "
        "a.given_phone, a.given_kejuruan, a.given_angkatan, a.given_code, a.bpvp, a.enrolment_id, "
        "a.wave, t.rematch, d.decision, d.nik AS decided_nik, d.status AS decided_status "
        "FROM tmp_dirty t JOIN answers a ON a.id = t.id "
        "LEFT JOIN review_decisions d ON d.answer_key = a.answer_key "
        "WHERE t.id BETWEEN ? AND ?",
        con, params=(ids[0], ids[-1]),
    )
    if ctx.groups:
        _add_groups(con, answers)  # the groups these answers leave
    machine = ((answers["rematch"] == 1) & ~answers["match_method"].isin(_FINAL_METHODS)
               & answers["decision"].isna())
    if machine.any():
        given = answers.loc[machine, [*GIVEN_FIELDS, "bpvp"]].set_axis(
            ["nik", "name", "phone", "kejuruan", "angkatan", "code", "bpvp"], axis=1)
        keys = ctx.exact(given["nik"].dropna().unique(), given["phone"].dropna().unique())
        coded = ctx.codes(given["code"].dropna().unique())
        found = match_answers(given, coded, rules, names=_NamesOnDemand(ctx), keys=keys)
        rows = machine.to_numpy()
        for col, src in (("match_status", "match_status"), ("match_method", "match_method"),
                         ("match_score", "match_score"), ("candidates", "candidates"),
                         ("match_note", "match_note"), ("nik", "matched_nik")):
            values = answers[col].to_numpy(dtype=object, copy=True)
            values[rows] = found[src].to_numpy(dtype=object)
            answers[col] = values
        # Why a code (or a name) could not be used: said once in the review reason.
        note = pd.Series(found["match_note"].to_numpy(dtype=object), index=answers.index[rows])
        note = note[note.notna()]
        if len(note):
            answers.loc[note.index, "unclear"] = [
                n if not isinstance(u, str) or not u else (u if n in u else f"{u}; {n}")
                for n, u in zip(note, answers.loc[note.index, "unclear"])]
    # A respondent code names the training itself: only that one is a candidate for the wave.
    by_code = (answers["match_method"] == "kode") & (answers["match_status"] == MATCHED)
    answers["code_enrolment"] = None
    if by_code.any():
        given_codes = answers.loc[by_code, "given_code"].map(codes.normalize)
        named = ctx.codes(given_codes.dropna().unique())
        enrolment_of = dict(zip(named["code"], named["enrolment_id"]))
        answers.loc[by_code, "code_enrolment"] = given_codes.map(enrolment_of).astype(object)

    answers["discarded"] = (answers["decision"] == "buang").astype(int)
    chosen = answers["decision"].isin(["konfirmasi", "pilih"])
    # Confirming a suggested match takes the best candidate unless staff named someone.
    best = answers.loc[chosen, "candidates"].map(_best_candidate)
    answers.loc[chosen, "nik"] = answers.loc[chosen, "decided_nik"].fillna(best)
    answers.loc[chosen, ["match_status", "match_method"]] = [MATCHED, "tinjauan"]
    # A status decision, or a person chosen together with a status (one decision, both).
    set_status = (answers["decision"] == "status") | (
        answers["decision"].isin(["konfirmasi", "pilih"]) & answers["decided_status"].notna())
    answers.loc[set_status, "status"] = answers.loc[set_status, "decided_status"]
    answers.loc[answers["decision"].notna(), "unclear"] = None

    if ctx.graduates is not None:
        graduates = ctx.graduates
        answers["nik_code"] = ctx.nik_index.get_indexer(answers["nik"])
    else:
        graduates = graduates_only(ctx.enrolments_of(answers["nik"].dropna().unique()))
    placed = _place_in_waves(answers, graduates, survey, ctx.windows)
    answers["enrolment_id"] = placed["enrolment_id"]
    answers["wave"] = placed["wave"]
    answers["caturwulan"] = caturwulan_of(answers["answered_at"])
    answers["refreshed_with"] = (answers["decision"].fillna("") + "|"
                                 + answers["decided_nik"].fillna("") + "|"
                                 + answers["decided_status"].fillna(""))
    answers.loc[answers["decision"].isna(), "refreshed_with"] = "-"
    if ctx.groups:
        _add_groups(con, answers)  # and the groups they join
    columns = []
    for col in _DIRTY_COLS:  # plain Python values, NULL for every kind of missing
        values = answers[col].to_numpy(dtype=object, copy=True)
        values[pd.isna(values)] = None
        columns.append(values.tolist())
    columns.append(answers["id"].astype(int).tolist())
    con.executemany(
        f"UPDATE answers SET {', '.join(f'{c} = ?' for c in _DIRTY_COLS)} WHERE id = ?",
        zip(*columns),
    )


class _NamesOnDemand:
    """Hands `match_answers` the name index of each answer's BPVP when it asks for names."""

    def __init__(self, ctx: _Context):
        self.ctx = ctx

    def match(self, answers, rules) -> pd.DataFrame:
        indexes = self.ctx.name_indexes()
        bpvp = answers["bpvp"].fillna("") if "bpvp" in answers else pd.Series("", answers.index)
        parts = []
        for label, group in answers.groupby(bpvp, sort=False):
            if label in indexes:
                parts.append(indexes[label].match(group, rules))
            else:  # no alumni of that BPVP: nobody to compare with, and staff are told
                who = label or "folder kerja ini sendiri"
                parts.append(empty_result(group.index).assign(
                    match_method="nama", match_status=REVIEW,
                    match_note=f"tidak ada alumni dari {who} untuk dicocokkan dengan nama ini; "
                               "pilih alumnus yang dimaksud"))
        return pd.concat(parts).reindex(answers.index)


def _add_groups(con, answers: pd.DataFrame) -> None:
    both = answers["enrolment_id"].notna() & answers["wave"].notna()
    pairs = {(int(e), int(w)) for e, w in zip(answers.loc[both, "enrolment_id"],
                                              answers.loc[both, "wave"])}
    con.executemany("INSERT INTO tmp_groups (enrolment_id, wave) VALUES (?, ?) "
                    "ON CONFLICT (enrolment_id, wave) DO NOTHING", sorted(pairs))


def _recompute_latest(con, everything: bool = False) -> None:
    """is_latest for the (training, wave) groups touched: the last answer counts."""
    if everything:
        con.execute("UPDATE answers SET is_latest = 0 WHERE is_latest = 1")
        con.execute(
            "UPDATE answers SET is_latest = 1 WHERE id IN (SELECT id FROM ("
            "SELECT id, ROW_NUMBER() OVER (PARTITION BY enrolment_id, wave "
            "ORDER BY answered_at DESC, id DESC) AS rn FROM answers "
            "WHERE discarded = 0 AND enrolment_id IS NOT NULL AND wave IS NOT NULL) ranked "
            "WHERE rn = 1)")
        return
    con.execute("UPDATE answers SET is_latest = 0 WHERE is_latest = 1 "
                "AND id IN (SELECT id FROM tmp_dirty)")
    con.execute("UPDATE answers SET is_latest = 0 WHERE is_latest = 1 AND EXISTS ("
                "SELECT 1 FROM tmp_groups g WHERE g.enrolment_id = answers.enrolment_id "
                "AND g.wave = answers.wave)")
    con.execute(
        "UPDATE answers SET is_latest = 1 WHERE id IN (SELECT id FROM ("
        "SELECT a.id, ROW_NUMBER() OVER (PARTITION BY a.enrolment_id, a.wave "
        "ORDER BY a.answered_at DESC, a.id DESC) AS rn "
        "FROM tmp_groups g JOIN answers a ON a.enrolment_id = g.enrolment_id AND a.wave = g.wave "
        "WHERE a.discarded = 0) ranked WHERE rn = 1)")


def _totals(con) -> dict:
    row = con.execute(
        "SELECT COUNT(*), "
        "SUM(CASE WHEN discarded = 0 AND match_status = ? THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN discarded = 0 AND (match_status = ? OR unclear IS NOT NULL) THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN discarded = 0 AND match_status = ? THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN discarded = 0 AND wave IS NOT NULL THEN 1 ELSE 0 END), "
        "SUM(discarded), "
        "SUM(CASE WHEN discarded = 0 AND match_status = ? AND match_method = 'kode' THEN 1 ELSE 0 END) "
        "FROM answers", (MATCHED, REVIEW, UNMATCHED, MATCHED)).fetchone()
    if not row[0]:
        return {"answers": 0}
    keys = ("answers", "matched", "to_review", "unmatched", "in_wave", "discarded", "by_code")
    return {k: int(v or 0) for k, v in zip(keys, row)}


def refresh_with_settings(con: sqlite3.Connection, settings) -> dict:
    """refresh() with the survey timing and the [matching] thresholds of the workspace."""
    return refresh(con, SurveyRules.from_settings(settings), MatchRules.from_settings(settings))


def _best_candidate(candidates) -> str | None:
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


class _Windows:
    """answer_windows() of each training end date, computed once per refresh."""

    def __init__(self, survey: SurveyRules):
        self.survey, self.frames = survey, {}

    def of(self, end_dates) -> pd.DataFrame:
        for end in end_dates:
            if end not in self.frames:
                self.frames[end] = [(end, w, lo, hi) for w, lo, hi in
                                    answer_windows(date.fromisoformat(end), self.survey)]
        windows = pd.DataFrame([row for end in end_dates for row in self.frames[end]],
                               columns=["end_date", "wave", "lo", "hi"])
        windows["lo"] = windows["lo"].astype("datetime64[ns]")
        windows["hi"] = windows["hi"].astype("datetime64[ns]")
        return windows


def _place_in_waves(answers: pd.DataFrame, enrolments: pd.DataFrame,
                    survey: SurveyRules, windows: _Windows | None = None) -> pd.DataFrame:
    """Training and wave of each matched answer (None where none fits).

    With a `nik_code` column in both frames, they are joined on it (an integer) instead
    of the NIK text.
    """
    out = pd.DataFrame({"enrolment_id": None, "wave": None}, index=answers.index, dtype=object)
    matched = answers["nik"].notna() & (answers["match_status"] == MATCHED)
    if not matched.any() or enrolments.empty:
        return out
    key = "nik_code" if "nik_code" in answers and "nik_code" in enrolments else "nik"
    mine = answers.loc[matched, [key, "answered_at"]].assign(
        bpvp=answers.loc[matched, "bpvp"] if "bpvp" in answers else None)
    cols = [key, "enrolment_id", "end_date"] + (["bpvp"] if "bpvp" in enrolments else [])
    cand = mine.reset_index().merge(enrolments[cols], on=key, suffixes=("", "_e"))
    if "code_enrolment" in answers:
        # A respondent code names the training: only that one is a candidate.
        named = cand["index"].map(answers["code_enrolment"])
        cand = cand[named.isna().to_numpy() | (cand["enrolment_id"] == named).to_numpy()]
    windows = (windows or _Windows(survey)).of(pd.unique(cand["end_date"]))
    cand["same_bpvp"] = (cand["bpvp"].fillna("").astype(str)
                         == cand.get("bpvp_e", cand["bpvp"]).fillna("").astype(str))
    cand["day"] = pd.to_datetime(cand["answered_at"].str.slice(0, 10), format="%Y-%m-%d",
                                 errors="coerce")
    cand = cand.merge(windows, on="end_date", how="left")
    cand["fits"] = (cand["lo"] <= cand["day"]) & (cand["day"] <= cand["hi"])
    # Prefer a training of the BPVP the answer came to, then one whose window holds the
    # answer; among several, the latest training.
    cand = cand.sort_values(["index", "same_bpvp", "fits", "end_date"],
                            ascending=[True, False, False, False])
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


def latest_status(con: sqlite3.Connection, day: date) -> pd.DataFrame:
    """Each alumnus's latest word on `day`, as every "latest status" staff read shows it
    (the vacancy list's *Status Terakhir*), indexed by NIK, for those who answered or refused
    by then: `status`, the questionnaire code of their latest stored answer that has one
    (matched, kept; an answer declining consent is a refusal, not a status); `shown`, its
    label, or "Menolak disurvei" when a refusal (recorded or answered) is as late or later.
    Read after the inbox, so an answer read today is today's latest (collect.read_arrivals).
    """
    until = (day + timedelta(days=1)).isoformat()
    answers = pd.read_sql_query(
        "SELECT nik, status, substr(answered_at, 1, 10) AS answered_on FROM answers "
        "WHERE nik IS NOT NULL AND discarded = 0 AND status IS NOT NULL "
        "AND COALESCE(consent, '') <> ? AND answered_at < ? ORDER BY answered_at, id",
        con, params=(CONSENT_NO, until))
    latest = answers.drop_duplicates("nik", keep="last").set_index("nik")
    refused = load_refusals(con, day).groupby("nik")["refused_on"].max()
    out = latest.reindex(latest.index.union(refused.index))
    out["refused_on"] = refused.reindex(out.index)
    q = load_questionnaire()
    labels = {code: q.status_label(code) for code in out["status"].dropna().unique()}
    said_last = out["refused_on"].notna() & ~(out["answered_on"] > out["refused_on"])
    out["shown"] = out["status"].map(labels).where(~said_last, REFUSED_SHOWN)
    return out[["status", "shown"]].rename_axis("nik")


def review_senders(con: sqlite3.Connection) -> pd.DataFrame:
    """Who may have sent an answer still waiting in the review queue: nik (the matched
    alumnus of an unclear reply, or each candidate of a doubtful match) and answered_on
    (ISO date). Steps 4 and 5 hold their messages until staff decide (outreach.send)."""
    rows = con.execute(
        "SELECT a.nik, a.candidates, substr(a.answered_at, 1, 10) "
        "FROM answers a LEFT JOIN review_decisions d ON d.answer_key = a.answer_key "
        "WHERE d.id IS NULL AND a.discarded = 0 AND (a.match_status = ? OR a.unclear IS NOT NULL)",
        (REVIEW,)).fetchall()
    people = []
    for nik, candidates, day in rows:
        niks = {nik} if nik else set()
        try:
            niks |= {c["nik"] for c in json.loads(candidates or "[]") if c.get("nik")}
        except (ValueError, TypeError, AttributeError):
            pass  # a candidates cell that is not the list refresh writes names nobody
        people += [(n, day) for n in niks]
    return pd.DataFrame(people, columns=["nik", "answered_on"])


def review_queue(con: sqlite3.Connection) -> pd.DataFrame:
    """Answers a human must look at: doubtful matches and unclear WhatsApp replies."""
    return pd.read_sql_query(
        "SELECT a.id, a.answer_key, a.source, a.answered_at, a.given_name, a.given_nik, "
        "a.given_phone, a.given_kejuruan, a.given_angkatan, a.given_code, a.status, a.employer, "
        "a.message, a.unclear, a.match_status, a.match_score, a.candidates, a.match_note "
        "FROM answers a LEFT JOIN review_decisions d ON d.answer_key = a.answer_key "
        "WHERE d.id IS NULL AND a.discarded = 0 AND (a.match_status = ? OR a.unclear IS NOT NULL) "
        "ORDER BY a.answered_at",
        con, params=(REVIEW,),
    )
