"""Answers in the store: idempotent saving, matching, waves, the latest-answer rule, review."""

from __future__ import annotations

import dataclasses
import os

import pandas as pd
import pytest

from kebekerjaan.core import store
from kebekerjaan.core.config import load_settings
from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.rules.periods import caturwulan
from kebekerjaan.steps.answers.records import decide, refresh, review_queue, save_answers
from kebekerjaan.steps.outreach.rules import SurveyRules

RULES = SurveyRules.from_settings(load_settings(None))  # waves 1, 3, 6; window 7 days before
PEOPLE = [
    # nik, name, phone, kejuruan, angkatan, end date
    ("7471010101990001", "Muhammad Rizky", "+6281200000001", "Las", "1", "2026-01-31"),
    ("7471010303990003", "Andi Baso Tenri", "+6281200000003", "Otomotif", "1", "2026-01-31"),
    ("7471010404990004", "Andi Baso Tanri", "+6281200000004", "Otomotif", "1", "2026-01-31"),
]


@pytest.fixture
def con(tmp_path):
    con = store.connect(tmp_path / "s.sqlite")
    with store.transaction(con):
        iid = store.log_import(con, kind="alumni", file_name="a.csv", sha256="x", status="ok")
        for nik, name, phone, kej, ang, end in PEOPLE:
            con.execute("INSERT INTO alumni (nik, name, phone, first_import_id, last_import_id, "
                        "updated_at) VALUES (?, ?, ?, ?, ?, 'x')", (nik, name, phone, iid, iid))
            con.execute("INSERT INTO enrolments (nik, kejuruan, program, program_key, angkatan, "
                        "training_year, end_date, first_import_id, last_import_id, updated_at) "
                        "VALUES (?, ?, 'P', 'p', ?, 2026, ?, ?, ?, 'x')", (nik, kej, ang, end, iid, iid))
    return con


def answer(key, when, source="formulir", **given):
    row = {"answer_key": key, "source": source, "answered_at": when, "status": "bekerja"}
    row.update(given)
    return row


def save(con, *rows):
    with store.transaction(con):
        return save_answers(con, pd.DataFrame(rows), import_id=None, file_name="f.csv")


def rows(con):
    return pd.read_sql_query("SELECT * FROM answers ORDER BY id", con)


def test_the_same_answer_twice_is_stored_once(con):
    a = answer("k1", "2026-03-01T10:00:00", given_nik="7471010101990001")
    assert save(con, a) == 1
    assert save(con, a) == 0
    assert len(rows(con)) == 1


def test_matching_and_wave_assignment(con):
    save(con,
         answer("nik", "2026-03-01T10:00:00", given_nik="7471010101990001"),
         answer("hp", "2026-05-10T08:00:00", given_phone="+6281200000001"),
         answer("early", "2026-01-15T08:00:00", given_nik="7471010101990001"),
         answer("nobody", "2026-03-01T08:00:00", given_name="Budi Santoso"))
    counts = refresh(con, RULES)
    got = rows(con).set_index("answer_key")
    # ended 31 Jan: wave 1 due 28 Feb, wave 3 due 30 Apr (opens 23 Apr), wave 6 due 31 Jul
    assert got.loc["nik", ["match_method", "wave", "caturwulan"]].tolist() == ["nik", 1, "2026-I"]
    assert got.loc["hp", ["match_method", "wave", "caturwulan"]].tolist() == ["telepon", 3, "2026-II"]
    assert pd.isna(got.loc["early", "wave"])  # before any window opened: no wave, still kept
    assert got.loc["nobody", "match_status"] == "tidak cocok"
    assert counts["matched"] == 3 and counts["unmatched"] == 1


def test_latest_answer_counts_and_all_are_kept(con):
    save(con,
         answer("a1", "2026-02-25T10:00:00", given_nik="7471010101990001", status="mencari"),
         answer("a2", "2026-03-20T10:00:00", given_nik="7471010101990001", status="bekerja"))
    refresh(con, RULES)
    got = rows(con).set_index("answer_key")
    assert got["wave"].tolist() == [1, 1]
    assert got.loc["a2", "is_latest"] == 1 and got.loc["a1", "is_latest"] == 0


def test_ambiguous_match_is_queued_and_a_decision_is_final(con):
    save(con, answer("amb", "2026-03-01T10:00:00", given_name="Andi Baso Tnri"))
    refresh(con, RULES)
    queue = review_queue(con)
    assert queue["answer_key"].tolist() == ["amb"]
    decide(con, "amb", "pilih", nik="7471010404990004", by="Pengantar Kerja")
    refresh(con, RULES)
    got = rows(con).iloc[0]
    assert (got["nik"], got["match_method"], got["wave"]) == ("7471010404990004", "tinjauan", 1)
    assert review_queue(con).empty
    refresh(con, RULES)  # asked once, decided for good
    assert rows(con).iloc[0]["nik"] == "7471010404990004" and review_queue(con).empty


def test_unclear_whatsapp_reply_gets_its_status_from_review(con):
    save(con, answer("wa1", "2026-03-01T10:00:00", source="whatsapp", given_phone="+6281200000001",
                     status=None, message="alhamdulillah lagi coba2 usaha", unclear="kurang jelas"))
    refresh(con, RULES)
    assert review_queue(con)["answer_key"].tolist() == ["wa1"]
    decide(con, "wa1", "status", status="wirausaha", by="Pengantar Kerja")
    refresh(con, RULES)
    got = rows(con).iloc[0]
    assert got["status"] == "wirausaha" and got["unclear"] is None


def test_discarded_answer_never_counts(con):
    save(con, answer("x", "2026-03-01T10:00:00", given_name="Andi Baso Tnri"))
    refresh(con, RULES)
    decide(con, "x", "buang", by="Pengantar Kerja")
    refresh(con, RULES)
    got = rows(con).iloc[0]
    assert got["discarded"] == 1 and got["is_latest"] == 0
    assert review_queue(con).empty


def test_decisions_are_checked(con):
    with pytest.raises(KebekerjaanError, match="Pilih alumnus"):
        decide(con, "k", "pilih")
    with pytest.raises(KebekerjaanError, match="tidak ada di data alumni"):
        decide(con, "k", "pilih", nik="9999999999999999")


@pytest.mark.parametrize("day,expected", [
    ("2026-01-01", "2026-I"), ("2026-04-30", "2026-I"), ("2026-05-01", "2026-II"),
    ("2026-08-31", "2026-II"), ("2026-09-01", "2026-III"), ("2026-12-31T23:59:00", "2026-III"),
])
def test_caturwulan(day, expected):
    assert caturwulan(day) == expected


def derived(con):
    cols = ["nik", "match_status", "match_method", "match_score", "candidates", "status",
            "unclear", "discarded", "enrolment_id", "wave", "caturwulan", "is_latest"]
    return pd.read_sql_query(f"SELECT answer_key, {', '.join(cols)} FROM answers ORDER BY id", con)


def from_scratch(con):
    """What a refresh that forgets everything it did before gives."""
    with store.transaction(con):
        con.execute("DELETE FROM store_state")
        con.execute("UPDATE answers SET refreshed_with = NULL")
    refresh(con, RULES)
    return derived(con)


def add_alumnus(con, nik, name, phone, end="2026-01-31"):
    with store.transaction(con):
        iid = store.log_import(con, kind="alumni", file_name="b.csv", sha256=nik, status="ok")
        con.execute("INSERT INTO alumni (nik, name, phone, first_import_id, last_import_id, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, 'x')", (nik, name, phone, iid, iid))
        con.execute("INSERT INTO enrolments (nik, kejuruan, program, program_key, angkatan, "
                    "training_year, end_date, first_import_id, last_import_id, updated_at) "
                    "VALUES (?, 'Las', 'P', 'p', '2', 2026, ?, ?, ?, 'x')", (nik, end, iid, iid))


def test_a_run_with_nothing_new_works_on_nothing_and_changes_nothing(con):
    save(con, answer("a", "2026-03-01T10:00:00", given_nik="7471010101990001"),
         answer("b", "2026-03-02T10:00:00", given_name="Andi Baso Tnri"))
    assert refresh(con, RULES)["refreshed"] == 2
    before = derived(con)
    path = con.execute("PRAGMA database_list").fetchone()[2]
    stamp = (os.stat(path).st_size, os.stat(path).st_mtime_ns, store.schema_version(con))
    state = store.content_state(con)
    again = refresh(con, RULES)
    assert again["refreshed"] == 0 and again["notes"] == []
    assert (os.stat(path).st_size, os.stat(path).st_mtime_ns, store.schema_version(con)) == stamp
    # Not even the generation token moves, so step 8 may reuse the recap an earlier run kept.
    assert store.content_state(con) == state
    assert {k: v for k, v in again.items() if k != "refreshed"} == {
        k: v for k, v in refresh(con, RULES).items() if k != "refreshed"}
    pd.testing.assert_frame_equal(derived(con), before)


@pytest.mark.parametrize("preload", [False, True], ids=["looked-up", "read-whole"])
def test_only_new_and_affected_answers_are_worked_on_and_the_result_equals_a_full_refresh(
        con, monkeypatch, preload):
    from kebekerjaan.steps.answers import records

    if preload:  # what a national store does with millions of answers to refresh
        monkeypatch.setattr(records, "PRELOAD", 1)
    save(con, answer("nik", "2026-03-01T10:00:00", given_nik="7471010101990001"),
         answer("later", "2026-03-01T10:00:00", given_name="Siti Rahmawati Hasan"),
         answer("phone", "2026-03-05T10:00:00", given_phone="+6281200000077"))
    refresh(con, RULES)
    assert rows(con).set_index("answer_key").loc["later", "match_status"] == "tidak cocok"
    # A newer alumni export brings the two people those answers were from.
    add_alumnus(con, "7471015505990055", "Siti Rahmawati Hasan", None)
    add_alumnus(con, "7471016606990066", "Budi Santoso", "+6281200000077")
    save(con, answer("new", "2026-03-20T10:00:00", given_nik="7471010101990001", status="mencari"))
    counts = refresh(con, RULES)
    assert counts["refreshed"] == 3  # the new answer, the name and the phone; not "nik"
    assert any("data alumni" in n for n in counts["notes"])
    got = rows(con).set_index("answer_key")
    assert got.loc["later", "nik"] == "7471015505990055"
    assert got.loc["phone", "nik"] == "7471016606990066"
    assert (got.loc["nik", "is_latest"], got.loc["new", "is_latest"]) == (0, 1)
    pd.testing.assert_frame_equal(derived(con), from_scratch(con))
    indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert set(store.DERIVED_ANSWER_INDEXES) <= indexes  # rebuilt after a whole refresh


def test_a_review_decision_is_applied_to_that_answer_only(con):
    save(con, answer("amb", "2026-03-01T10:00:00", given_name="Andi Baso Tnri"),
         answer("other", "2026-03-01T10:00:00", given_nik="7471010101990001"))
    refresh(con, RULES)
    decide(con, "amb", "pilih", nik="7471010303990003", by="Rina")
    assert refresh(con, RULES)["refreshed"] == 1
    assert rows(con).set_index("answer_key").loc["amb", "nik"] == "7471010303990003"
    decide(con, "amb", "pilih", nik="7471010404990004", by="Rina")  # staff change their mind
    assert refresh(con, RULES)["refreshed"] == 1
    assert rows(con).set_index("answer_key").loc["amb", "nik"] == "7471010404990004"
    pd.testing.assert_frame_equal(derived(con), from_scratch(con))


def test_a_changed_matching_setting_rematches_everything_and_says_so(con):
    from kebekerjaan.steps.answers.matching import MatchRules

    save(con, answer("a", "2026-03-01T10:00:00", given_name="Andi Baso Tenri"),
         answer("b", "2026-03-01T10:00:00", given_nik="7471010101990001"))
    refresh(con, RULES)
    assert rows(con).set_index("answer_key").loc["a", "match_status"] == "cocok"
    counts = refresh(con, RULES, dataclasses.replace(MatchRules.from_settings(), accept=99.5, review=99))
    assert counts["refreshed"] == 2
    assert "pengaturan pencocokan berubah: semua jawaban dicocokkan ulang" in counts["notes"]
    changed = dataclasses.replace(RULES, days_before=20)
    counts = refresh(con, changed, dataclasses.replace(MatchRules.from_settings(), accept=99.5, review=99))
    assert counts["refreshed"] == 2 and any("gelombang" in n for n in counts["notes"])


def test_a_name_from_a_bpvp_without_alumni_here_goes_to_review_with_its_reason(con):
    save(con, answer("x", "2026-03-01T10:00:00", given_name="Andi Baso Tenri"))
    with store.transaction(con):
        con.execute("UPDATE answers SET bpvp = 'BPVP Ternate'")  # came with a merge
        con.execute("UPDATE enrolments SET bpvp = 'BPVP Kendari'")
    refresh(con, RULES)
    got = rows(con).iloc[0]
    assert got["match_status"] == "tinjau" and "BPVP Ternate" in got["match_note"]
    assert review_queue(con)["answer_key"].tolist() == ["x"]
