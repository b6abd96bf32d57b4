"""Refusals: an alumnus who declines the survey is recorded once, and only when valid."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kebekerjaan.core.context import StepContext
from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.steps.alumni import collect_alumni
from kebekerjaan.steps.answers.manual import record_refusal

TODAY = date(2025, 11, 27)
NIK = "7471021404020102"  # Alfian Maulana in duplicates.csv


@pytest.fixture
def alumni_ws(ws, drop, tmp_path):
    drop("duplicates.csv")
    collect_alumni(StepContext(ws, TODAY, tmp_path / "run"))
    return ws


def refusals(ws):
    con = sqlite3.connect(ws.store_path)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute("SELECT * FROM refusals")]
    finally:
        con.close()


def test_a_refusal_is_saved_with_who_when_and_why(alumni_ws):
    rid = record_refusal(alumni_ws, nik=NIK, refused_on="20/11/2025", entered_by=" Bu Wati ",
                         reason="Tidak mau disurvei lagi", today=TODAY)
    (row,) = refusals(alumni_ws)
    assert row["id"] == rid
    assert (row["nik"], row["refused_on"], row["entered_by"]) == (NIK, "2025-11-20", "Bu Wati")
    assert row["reason"] == "Tidak mau disurvei lagi" and row["enrolment_id"] is None


def test_the_same_refusal_twice_is_kept_once(alumni_ws):
    first = record_refusal(alumni_ws, nik=NIK, refused_on=date(2025, 11, 20), entered_by="Wati",
                           today=TODAY)
    again = record_refusal(alumni_ws, nik=NIK, refused_on=date(2025, 11, 20), entered_by="Wati",
                           today=TODAY)
    assert first == again and len(refusals(alumni_ws)) == 1


def test_every_problem_is_listed_and_nothing_saved(alumni_ws):
    with pytest.raises(KebekerjaanError) as err:
        record_refusal(alumni_ws, nik="0000000000000000", refused_on="2025-12-30", entered_by=" ",
                       today=TODAY)
    text = str(err.value)
    assert "nama petugas" in text and "sesudah hari ini" in text and "tidak ada di data alumni" in text
    with pytest.raises(KebekerjaanError, match="tanggal penolakan"):
        record_refusal(alumni_ws, nik=NIK, refused_on="kemarin sore", entered_by="Wati", today=TODAY)
    with pytest.raises(KebekerjaanError, match="wajib diisi"):
        record_refusal(alumni_ws, nik=NIK, refused_on=None, entered_by="Wati", today=TODAY)
    with pytest.raises(KebekerjaanError, match="bukan pelatihan alumnus ini"):
        record_refusal(alumni_ws, nik=NIK, refused_on=TODAY, entered_by="Wati", enrolment_id=999,
                       today=TODAY)
    assert refusals(alumni_ws) == []


_NEGATIONS = ["tidak", "tak", "gak", "nggak", "enggak", "belum", "no", "not"]
_CONSENTS = ["bersedia", "setuju", "mau", "boleh", "mengizinkan", "agree", "willing"]
_LEAD = st.sampled_from(["", "Saya ", "saya ", "Mohon maaf, saya ", "Maaf "])
_TAIL = st.sampled_from(["", ".", "!", " ya", " kak", " 🙏", "..."])


@settings(max_examples=300, deadline=None)
@given(_LEAD, st.sampled_from(_NEGATIONS), st.sampled_from(["", "akan ", "terlalu "]),
       st.sampled_from(_CONSENTS), _TAIL, st.booleans())
def test_a_negated_consent_declines_whatever_its_case_and_punctuation(lead, no, between, word,
                                                                      tail, upper):
    from kebekerjaan.rules.refusals import declines

    text = f"{lead}{no} {between}{word}{tail}"
    assert declines(text.upper() if upper else text)


@settings(max_examples=300, deadline=None)
@given(_LEAD, st.sampled_from(_CONSENTS + ["Ya, bersedia", "tidak keberatan", "tidak menolak",
                                            "Tidak masalah, saya setuju"]), _TAIL)
def test_a_consent_without_a_negation_before_it_never_declines(lead, word, tail):
    from kebekerjaan.rules.refusals import declines

    assert not declines(f"{lead}{word}{tail}")
