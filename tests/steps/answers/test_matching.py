"""Answer -> alumnus matching: exact keys first, fuzzy names only among plausible people."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd

from kebekerjaan.steps.answers.matching import MATCHED, REVIEW, UNMATCHED, match_answers

ALUMNI = pd.DataFrame([
    # nik, name, phone, kejuruan, angkatan
    ("7471010101990001", "Muhammad Rizky bin Abdullah", "+6281200000001", "Las", "1"),
    ("7471014202990002", "Wa Ode Sitti Aminah", "+6281200000002", "Garmen Apparel", "2"),
    ("7471010303990003", "Andi Baso Tenri", "+6281200000003", "Otomotif", "1"),
    ("7471010404990004", "Andi Baso Tanri", "+6281200000004", "Otomotif", "1"),
    ("7471010505990005", "Hasnah Kasim", "+6281200000099", "Las", "3"),
    ("7471010606990006", "Rahmat Kasim", "+6281200000099", "Las", "3"),
    ("7471010707990007", "Nur'aini Safitri", None, "Kecantikan", "1"),
    ("7471010707990007", "Nur'aini Safitri", None, "Pariwisata", "2"),  # a second training
], columns=["nik", "name", "phone", "kejuruan", "angkatan"])


def run(rows, **cols):
    answers = pd.DataFrame(rows, columns=["nik", "phone", "name", *cols])
    return match_answers(answers, ALUMNI)


def test_nik_wins_even_with_another_name():
    out = run([("7471010101990001", None, "Rizky")])
    assert out.iloc[0][["match_status", "match_method", "matched_nik"]].tolist() == [
        MATCHED, "nik", "7471010101990001"]


def test_phone_exact_when_no_nik():
    out = run([(None, "+6281200000002", "Ibu Aminah")])
    assert (out.iloc[0]["match_method"], out.iloc[0]["matched_nik"]) == ("telepon", "7471014202990002")


def test_a_shared_phone_does_not_decide():
    out = run([(None, "+6281200000099", "Zulkifli")])
    assert out.iloc[0]["match_status"] == UNMATCHED


def test_fuzzy_name_with_typos_and_case():
    out = run([(None, None, "WA ODE SITI AMINAH")])
    row = out.iloc[0]
    assert (row["match_status"], row["match_method"], row["matched_nik"]) == (
        MATCHED, "nama", "7471014202990002")
    assert row["match_score"] >= 90


def test_two_close_candidates_go_to_review_with_both_listed():
    out = run([(None, None, "Andi Baso Tnri")])  # as close to Tenri as to Tanri
    row = out.iloc[0]
    assert row["match_status"] == REVIEW and row["matched_nik"] is None
    listed = {c["nik"] for c in json.loads(row["candidates"])}
    assert {"7471010303990003", "7471010404990004"} <= listed


def test_kejuruan_given_restricts_candidates():
    out = run([(None, None, "Hasnah Kasim", "Otomotif")], kejuruan=None)
    assert out.iloc[0]["match_status"] == UNMATCHED
    out = run([(None, None, "Hasnah Kasim", "Las")], kejuruan=None)
    assert out.iloc[0]["matched_nik"] == "7471010505990005"


def test_someone_unknown_stays_unmatched():
    out = run([(None, None, "Budi Santoso"), (None, None, None)])
    assert out["match_status"].tolist() == [UNMATCHED, UNMATCHED]


def test_middle_band_goes_to_review():
    out = run([(None, None, "Nur Safitri")])
    assert out.iloc[0]["match_status"] in (REVIEW, UNMATCHED)
    assert out.iloc[0]["match_score"] < 90


COMMON = pd.DataFrame([
    ("7471010101990011", "Budi Santoso", None, "Las", "1"),
    ("7471010101990012", "Budi Santosa", None, "Las", "1"),
    ("7471010101990013", "Budi Hartono", None, "Las", "2"),
    ("7471010101990014", "Eko Santoso", None, "Otomotif", "1"),
], columns=["nik", "name", "phone", "kejuruan", "angkatan"])


def test_common_tokens_fall_back_to_the_pair_of_tokens():
    from kebekerjaan.steps.answers.matching import MatchRules

    rules = replace(MatchRules.from_settings(), max_block=1)  # every token alone is "too common" here
    out = match_answers(pd.DataFrame([(None, None, "Budi Santoso")], columns=["nik", "phone", "name"]),
                        COMMON, rules)
    assert out.iloc[0]["matched_nik"] == "7471010101990011"


def test_an_answer_too_common_to_compare_goes_to_review_with_its_reason():
    from kebekerjaan.steps.answers.matching import MatchRules

    rules = replace(MatchRules.from_settings(), max_block=1)
    answers = pd.DataFrame([(None, None, "Budi Hartonoo"), (None, None, "Budi Hartonoo", "Las", "2")],
                           columns=["nik", "phone", "name", "kejuruan", "angkatan"])
    out = match_answers(answers, COMMON, rules)
    assert out.iloc[0]["match_status"] == REVIEW and out.iloc[0]["matched_nik"] is None
    assert "nama terlalu umum" in out.iloc[0]["match_note"] and "3 alumni" in out.iloc[0]["match_note"]
    # With kejuruan and angkatan given, the finer block holds one Budi: compared, matched.
    assert out.iloc[1]["matched_nik"] == "7471010101990013" and out.iloc[1]["match_note"] is None
