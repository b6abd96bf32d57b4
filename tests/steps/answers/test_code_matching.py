"""Step 7: a form answer or WhatsApp message is matched by its respondent code first."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pandas as pd
import pytest

from kebekerjaan.core.context import StepContext
from kebekerjaan.rules import codes
from kebekerjaan.steps.answers.collect import collect_answers
from kebekerjaan.steps.outreach.invite import invite_survey

END = date(2025, 1, 15)
INVITED = date(2025, 2, 10)
ANSWERED = "2025-02-12 10:00:00"


@pytest.fixture
def invited(ws, tmp_path, survey):
    """Two alumni with the same name, and one with two trainings, all invited."""
    try:
        ids = {
            "siti1": survey.training(survey.alumnus(1, name="Siti Aminah"), END),
            "siti2": survey.training(survey.alumnus(2, name="Siti Aminah"), END),
            "budi_old": survey.training(survey.alumnus(3, name="Budi Santoso"), date(2024, 11, 15),
                                    angkatan="1"),
            "budi_new": survey.training(survey.nik(3), END, program="Juru Las FCAW", angkatan="2"),
        }
    finally:
        survey.close()
    listed = invite_survey(StepContext(ws, INVITED, tmp_path / "inv")).listed
    code_of = dict(zip(listed["enrolment_id"], listed["code"]))
    # Budi's older training is due a wave on another day: give it its code too.
    con = sqlite3.connect(ws.store_path)
    con.row_factory = sqlite3.Row
    from kebekerjaan.rules.codes import ensure_codes
    code_of.update(ensure_codes(con, [ids["budi_old"]]))
    con.close()
    return ids, code_of


def form(ws, rows, name="respons.csv"):
    frame = pd.DataFrame(rows, columns=["Timestamp", "Kode responden", "Nama Lengkap",
                                        "Nomor WhatsApp", "Apa status Anda saat ini?"])
    frame.to_csv(ws.inbox("respons") / name, index=False)


def answers(ws):
    con = sqlite3.connect(ws.store_path)
    con.row_factory = sqlite3.Row
    try:
        return {r["given_name"]: dict(r) for r in con.execute("SELECT * FROM answers")}
    finally:
        con.close()


def test_a_code_names_the_alumnus_and_the_training(ws, tmp_path, invited, survey):
    ids, code_of = invited
    typo = code_of[ids["siti2"]][:-1] + ("A" if code_of[ids["siti2"]][-1] != "A" else "B")
    form(ws, [
        [ANSWERED, codes.display(code_of[ids["siti1"]]).lower(), "Siti Aminah", "", "Bekerja"],
        [ANSWERED, code_of[ids["budi_new"]], "Budi S", "", "Belum bekerja"],
        [ANSWERED, codes.display(typo), "Siti A.", survey.phone(2), "Bekerja"],
        [ANSWERED, "ZZZZZZZ" + codes.check_character("ZZZZZZZ"), "Tanpa Kode Sah", "", "Bekerja"],
        [ANSWERED, "", "Budi Santoso", survey.phone(3), "Bekerja"],
    ])
    collect_answers(StepContext(ws, date(2025, 2, 20), tmp_path / "r1"))
    got = answers(ws)
    siti = got["Siti Aminah"]
    # Two alumni share the name; the code alone decides, exactly.
    assert (siti["nik"], siti["match_method"], siti["match_status"]) == (survey.nik(1), "kode", "cocok")
    assert siti["enrolment_id"] == ids["siti1"] and siti["wave"] == 1
    budi = got["Budi S"]
    assert (budi["nik"], budi["enrolment_id"], budi["match_method"]) == (
        survey.nik(3), ids["budi_new"], "kode")
    # A mistyped code goes to review even though its phone is known: never a guess.
    bad = got["Siti A."]
    assert bad["match_status"] == "tinjau" and bad["nik"] is None
    assert "salah ketik" in bad["unclear"]
    assert json.loads(bad["candidates"])[0]["nik"] == survey.nik(2)  # offered as a suggestion
    unknown = got["Tanpa Kode Sah"]  # well formed, but never handed out
    assert unknown["match_status"] == "tinjau" and "tidak dikenal" in unknown["unclear"]
    # Without a code: as before.
    assert got["Budi Santoso"]["match_method"] == "telepon"
    queue = pd.read_excel(tmp_path / "r1" / "perlu_ditinjau.xlsx")
    assert len(queue) == 2 and queue["Alasan Ditinjau"].str.contains("kode responden").all()
    # The review card shows the code as given, so staff can read it back to the alumnus.
    from kebekerjaan.ui.answers import ReviewPanel

    card = ReviewPanel(ws, decided_by="Wati").card.value
    assert "Kode responden" in card
    assert codes.display(typo) in card or codes.display("ZZZZZZZ" + codes.check_character("ZZZZZZZ")) in card


def test_an_answer_with_only_a_code_is_not_refused(ws, tmp_path, invited, survey):
    ids, code_of = invited
    form(ws, [[ANSWERED, code_of[ids["siti2"]], "", "", "Wirausaha"]])
    result = collect_answers(StepContext(ws, date(2025, 2, 20), tmp_path / "r1"))
    assert result.rejects.empty
    (row,) = answers(ws).values()
    assert (row["nik"], row["match_method"], row["given_code"]) == (
        survey.nik(2), "kode", code_of[ids["siti2"]])


def test_a_whatsapp_message_quoting_a_code_matches_by_it(ws, tmp_path, invited, survey):
    ids, code_of = invited
    code = codes.display(code_of[ids["siti2"]])
    chat = (f"12/02/25 10.00 - Siti Aminah: Kode saya {code}, alhamdulillah sudah bekerja di "
            "Hotel Claro Kendari\n")
    (ws.inbox("wa") / "grup.txt").write_text(chat, encoding="utf-8")
    collect_answers(StepContext(ws, date(2025, 2, 20), tmp_path / "r1"))
    (row,) = answers(ws).values()
    assert (row["nik"], row["match_method"], row["status"]) == (survey.nik(2), "kode", "bekerja")


def test_a_code_of_someone_else_than_the_nik_given_goes_to_review(ws, tmp_path):
    """A forwarded personal link: the code and the typed NIK name two alumni."""
    from kebekerjaan.steps.answers.matching import match_answers

    alumni = pd.DataFrame({"enrolment_id": [1, 2], "nik": ["A" * 16, "B" * 16],
                           "name": ["Siti", "Budi"], "phone": [None, None],
                           "kejuruan": ["Las", "Las"], "angkatan": ["1", "1"],
                           "code": ["ZZZZZZZ" + codes.check_character("ZZZZZZZ"), None]})
    given = pd.DataFrame({"nik": ["B" * 16, None], "name": ["Budi", "Siti"], "phone": [None, None],
                          "code": [alumni["code"][0]] * 2})
    found = match_answers(given, alumni)
    assert found["match_status"].tolist() == ["tinjau", "cocok"]
    assert "milik alumnus lain" in found["match_note"][0]
    assert found["matched_enrolment"][1] == 1
