"""Issue 15: what came back today is read before anyone is messaged (steps 3, 4 and 5).

An answer, a refusal (the form's consent "Tidak bersedia") and a failed delivery arrive in
the inbox on the very day of the reminders: none of the three is reminded, whether step 5
runs alone (as a staff member may run it) or after step 7 in the same run, and the step's
summary says how many were skipped because their answer or refusal arrived today.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import openpyxl
import pandas as pd
import pytest

from kebekerjaan.core.context import StepContext
from kebekerjaan.core.runs import read_step_record
from kebekerjaan.rules import codes
from kebekerjaan.rules.questionnaire import load_questionnaire
from kebekerjaan.steps.answers.collect import collect_answers
from kebekerjaan.steps.outreach.invite import invite_survey
from kebekerjaan.steps.outreach.remind import remind
from kebekerjaan.steps.vacancies.gather import add_vacancy
from kebekerjaan.steps.vacancies.share import share_vacancies

END = date(2025, 1, 15)      # wave 1 due 15 February; window 8 Feb - 17 March
INVITED = date(2025, 2, 10)
TODAY = INVITED + timedelta(days=7)  # reminders are due
FORM_COLUMNS = ["Timestamp", "Kode responden", "Nama Lengkap", "Apa status Anda saat ini?",
                "Saya bersedia data ini digunakan BPVP Kendari untuk survei kebekerjaan dan "
                "laporan kepada Kementerian Ketenagakerjaan"]


@pytest.fixture
def invited(ws, survey, tmp_path):
    """Four alumni of one training, all invited to wave 1; their codes by number."""
    try:
        ids = {n: survey.training(survey.alumnus(n, name=f"Alumnus {n}"), END) for n in (1, 2, 3, 4)}
    finally:
        survey.close()
    listed = invite_survey(StepContext(ws, INVITED, tmp_path / "undangan")).listed
    code_of = dict(zip(listed["enrolment_id"], listed["code"]))
    return {n: (e, code_of[e]) for n, e in ids.items()}


def arrive_today(ws, survey, invited, status="Bekerja"):
    """This morning's files: #1 answered (`status`), #2 declined the survey, #3's number
    failed."""
    stamp = f"{(TODAY - timedelta(days=1)).isoformat()} 19:30:00"
    pd.DataFrame([
        [stamp, codes.display(invited[1][1]), "Alumnus 1", status, "Ya, saya bersedia"],
        [stamp, codes.display(invited[2][1]), "Alumnus 2", "", "Tidak bersedia"],
    ], columns=FORM_COLUMNS).to_csv(ws.inbox("respons") / "jawaban_hari_ini.csv", index=False)
    pd.DataFrame([[survey.phone(3), "Alumnus 3", "Failed", "2025-02-16 10:00"],
                  [survey.phone(4), "Alumnus 4", "Delivered", "2025-02-10 10:00"]],
                 columns=["Number", "Name", "Status", "Time"]).to_excel(
        ws.inbox("blast") / "laporan_blast.xlsx", index=False)


def reminded(run_dir) -> list[str]:
    book = openpyxl.load_workbook(run_dir / "pengingat_survei.xlsx")
    header = [c.value for c in book.active[1]]
    return [r[header.index("Nama")].value for r in book.active.iter_rows(min_row=2)]


def check_nobody_who_answered_refused_or_failed_is_reminded(result, run_dir, invited):
    assert result.listed["enrolment_id"].tolist() == [invited[4][0]]
    assert reminded(run_dir) == ["Alumnus 4"]
    assert result.no_phone["enrolment_id"].tolist() == [invited[3][0]]
    counts = read_step_record(run_dir, 5)["counts"]
    assert counts["already_answered"] == counts["answered_today"] == 1
    assert counts["refused"] == counts["refused_today"] == 1


def test_step_5_alone_reads_the_inbox_before_its_list(ws, survey, invited, tmp_path):
    arrive_today(ws, survey, invited)
    run_dir = tmp_path / "pengingat"
    result = remind(StepContext(ws, TODAY, run_dir))
    check_nobody_who_answered_refused_or_failed_is_reminded(result, run_dir, invited)
    record = read_step_record(run_dir, 5)
    assert record["counts"]["read_first_files"] == 2 and record["counts"]["read_first_answers"] == 2
    assert any("jawaban_hari_ini.csv" in n and "dibaca lebih dulu" in n for n in record["notes"])


def test_after_step_7_in_the_same_run_the_list_is_the_same_and_says_so(ws, survey, invited, tmp_path):
    arrive_today(ws, survey, invited)
    run_dir = tmp_path / "proses"
    collect_answers(StepContext(ws, TODAY, run_dir))
    result = remind(StepContext(ws, TODAY, run_dir))
    check_nobody_who_answered_refused_or_failed_is_reminded(result, run_dir, invited)
    # Step 7 read the files; step 5 did not read them a second time.
    assert "read_first_files" not in read_step_record(run_dir, 5)["counts"]


def test_an_answer_of_an_earlier_day_is_not_counted_as_today(ws, survey, invited, tmp_path):
    arrive_today(ws, survey, invited)
    collect_answers(StepContext(ws, TODAY - timedelta(days=1), tmp_path / "kemarin"))
    run_dir = tmp_path / "hari-ini"
    result = remind(StepContext(ws, TODAY, run_dir))
    assert result.listed["enrolment_id"].tolist() == [invited[4][0]]
    counts = read_step_record(run_dir, 5)["counts"]
    assert counts["already_answered"] == 1 and counts["answered_today"] == 0
    assert counts["refused"] == 1 and counts["refused_today"] == 0


def test_invitations_of_the_day_read_the_inbox_first_too(ws, survey, tmp_path):
    """A graduate who answered the form through its plain link before any invitation."""
    try:
        first, second = (survey.training(survey.alumnus(n, name=f"Alumnus {n}"), END) for n in (1, 2))
    finally:
        survey.close()
    pd.DataFrame([[f"{INVITED.isoformat()} 07:00:00", "", "Alumnus 1", "Bekerja", "Ya, saya bersedia"]],
                 columns=FORM_COLUMNS).assign(**{"NIK": [survey.nik(1)]}).to_csv(
        ws.inbox("respons") / "jawaban.csv", index=False)
    run_dir = tmp_path / "undangan"
    result = invite_survey(StepContext(ws, INVITED, run_dir))
    assert result.listed["enrolment_id"].tolist() == [second]
    counts = read_step_record(run_dir, 4)["counts"]
    assert counts["already_answered"] == counts["answered_today"] == 1
    assert first not in result.listed["enrolment_id"].tolist()


def test_someone_who_may_have_answered_waits_for_the_review(ws, survey, invited, tmp_path):
    """A form answer whose code is mistyped and whose name fits nobody for sure goes to
    review; its likely sender is not reminded until staff decide."""
    code = invited[1][1]
    typo = code[:-1] + ("A" if code[-1] != "A" else "B")
    pd.DataFrame([[f"{TODAY.isoformat()} 07:00:00", codes.display(typo), "Alumnus 1", "Bekerja",
                   "Ya, saya bersedia"]], columns=FORM_COLUMNS).to_csv(
        ws.inbox("respons") / "jawaban.csv", index=False)
    run_dir = tmp_path / "pengingat"
    result = remind(StepContext(ws, TODAY, run_dir))
    con = sqlite3.connect(ws.store_path)
    try:
        (status,) = con.execute("SELECT match_status FROM answers").fetchone()
    finally:
        con.close()
    assert status == "tinjau"
    assert sorted(result.listed["enrolment_id"]) == sorted(invited[n][0] for n in (2, 3, 4))
    record = read_step_record(run_dir, 5)
    assert record["counts"]["held_for_review"] == 1
    assert any("ditahan" in n for n in record["notes"])


def test_the_vacancy_list_shows_the_answer_that_came_today(ws, survey, invited, tmp_path):
    """Step 3's *Status Terakhir* is the latest stored answer, read from today's inbox
    (issue 15: it said "belum ada jawaban survei" for everyone)."""
    add_vacancy(ws, company="PT Contoh", position="Juru Las", kejuruan="Las",
                deadline=date(2025, 3, 30), entered_by="Uji", how_to_apply="Kirim CV", today=TODAY)
    arrive_today(ws, survey, invited, status="Belum bekerja dan sedang mencari kerja")
    run_dir = tmp_path / "lowongan"
    share_vacancies(StepContext(ws, TODAY, run_dir))
    sent = pd.read_excel(run_dir / "blast_lowongan.xlsx", dtype=str).set_index("Nama")
    assert "Alumnus 3" not in sent.index  # the number failed today
    status = sent["Status Terakhir"]
    assert status["Alumnus 1"] == load_questionnaire().status_label("mencari")
    assert status["Alumnus 2"] == "Menolak disurvei"
    assert status["Alumnus 4"] == "Belum ada jawaban survei"
