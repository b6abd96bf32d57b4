"""SOP step 6: staff find an alumnus and type in an answer received by phone."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date

import pytest

from kebekerjaan.core.context import StepContext
from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.rules.periods import Period
from kebekerjaan.steps.alumni import collect_alumni
from kebekerjaan.steps.answers.manual import answers_in_period, record_answer, search_alumni
from kebekerjaan.ui.answers import ManualEntryForm, ReviewPanel

TODAY = date(2025, 11, 27)  # the fixture cohort ended 8 Aug 2025: its 3-month wave is due 8 Nov


@pytest.fixture
def alumni_ws(ws, drop, tmp_path):
    drop("duplicates.csv")  # Putri Lestari, Alfian Maulana, Indah Puspita (Barista, 2025)
    collect_alumni(StepContext(ws, TODAY, tmp_path / "run"))
    return ws


def answers(ws):
    con = sqlite3.connect(ws.store_path)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute("SELECT * FROM answers")]
    finally:
        con.close()


@pytest.mark.parametrize("typed,expected", [
    ("put", "Putri Lestari"),               # a few letters
    ("Alfian Mauana", "Alfian Maulana"),    # a typo
    ("7471035505", "Indah Puspita"),        # part of a NIK
    ("035505010103", "Indah Puspita"),      # a piece of NIK starting with 0 is not a phone
    ("0812-0101-0002", "Alfian Maulana"),   # the phone as staff type it
])
def test_search_by_name_nik_or_phone(alumni_ws, typed, expected):
    found = search_alumni(alumni_ws, typed)
    assert found.iloc[0]["name"] == expected


def test_a_valid_answer_is_saved_with_who_and_when(alumni_ws, working_answer):
    record_answer(alumni_ws, nik="7471021404020102", answered_on=date(2025, 11, 10),
                  entered_by="Bu Wati", today=TODAY, answer=working_answer)
    (row,) = answers(alumni_ws)
    assert (row["source"], row["entered_by"], row["status"]) == ("manual", "Bu Wati", "bekerja")
    assert (row["nik"], row["match_method"], row["wave"]) == ("7471021404020102", "manual", 3)
    assert row["answered_at"].startswith("2025-11-10")


def test_required_fields_per_status_and_dates_are_checked(alumni_ws):
    with pytest.raises(KebekerjaanError) as err:
        record_answer(alumni_ws, nik="7471021404020102", answered_on=date(2025, 12, 1),
                      entered_by="", today=TODAY, answer={"status": "bekerja"})
    text = str(err.value)
    assert "nama petugas" in text and "sesudah hari ini" in text and "wajib diisi" in text
    assert answers(alumni_ws) == []


def test_answers_of_the_period_are_listed(alumni_ws, working_answer):
    record_answer(alumni_ws, nik="7471015303030101", answered_on=date(2025, 11, 2),
                  entered_by="Bu Wati", today=TODAY,
                  answer={**working_answer, "status": "wirausaha", "employer": "Warung Kopi Putri"})
    record_answer(alumni_ws, nik="7471021404020102", answered_on=date(2025, 11, 3),
                  entered_by="Bu Wati", today=TODAY, answer={"status": "mencari", "consent": "ya"})
    period = answers_in_period(alumni_ws, Period.containing(TODAY))
    assert period["Nama"].tolist() == ["Putri Lestari", "Alfian Maulana"]
    assert period["Status"].tolist() == ["Wirausaha", "Belum bekerja dan sedang mencari kerja"]
    # as staff read it: labels for codes, whole waves, blanks for nothing, dd-mm-yyyy
    assert period["Sumber"].tolist() == ["Dicatat petugas"] * 2
    assert period["Gelombang (bulan)"].tolist() == [3, 3]
    assert period["Tempat Kerja/Usaha"].tolist() == ["Warung Kopi Putri", ""]
    assert period["Tanggal"].tolist() == ["02-11-2025", "03-11-2025"]
    assert answers_in_period(alumni_ws, Period.parse("2026-I")).empty  # another caturwulan


def test_step_6_shows_the_period_its_parameter_names(alumni_ws, tmp_path):
    from kebekerjaan.steps.answers.manual import period_overview

    for day in (date(2025, 8, 20), date(2025, 11, 3)):  # caturwulan II and III of 2025
        record_answer(alumni_ws, nik="7471021404020102", answered_on=day, entered_by="Bu Wati",
                      today=TODAY, answer={"status": "mencari", "consent": "ya"})

    def shown(periode):
        ctx = StepContext(alumni_ws, TODAY, tmp_path / f"run-{periode or 'bawaan'}", periode=periode)
        return period_overview(ctx)["Tanggal"].tolist()

    assert shown("") == ["03-11-2025"]  # no parameter: the as-of date's caturwulan
    assert shown("2025-II") == ["20-08-2025"]
    assert shown("2025") == ["20-08-2025", "03-11-2025"]
    record = json.loads((tmp_path / "run-2025-II" / "steps" / "06.json").read_text(encoding="utf-8"))
    assert record["counts"]["answers_in_period"] == 1
    assert record["notes"] == ["Periode: Caturwulan II 2025 (Mei–Agustus)"]
    with pytest.raises(KebekerjaanError, match="Periode '2025-IV' tidak dikenal"):
        shown("2025-IV")


def test_the_form_driven_like_staff_do(alumni_ws, working_answer):
    form = ManualEntryForm(alumni_ws, TODAY)
    form.search.value = "indah"
    assert len(form.results.options) == 1
    label = form.results.options[0][0]  # everything that tells namesakes apart, in full
    assert "Indah Puspita" in label and "angkatan" in label and "(2025)" in label
    assert "selesai 08-08-2025" in label and "7471********0103" in label
    form.results.value = "7471035505010103"
    assert form.rows["employer"].box.layout.display == "none"  # no status chosen yet
    form.fields["status"].value = "bekerja"
    assert form.rows["employer"].box.layout.display is None
    assert "Nama perusahaan/instansi" in form.rows["employer"].target.description  # its <label>
    assert "Anda" in form.rows["employer"].help.value  # the question as alumni saw it
    form.save.click()
    # each problem next to its field, a short summary at the top
    assert "Nama petugas yang mencatat wajib diisi" in form.rows["entered_by"].error.value
    assert "Wajib diisi untuk status Bekerja" in form.rows["employer"].error.value
    assert "isian perlu diperbaiki" in form.summary.value and "✖" in form.message.value
    assert answers(alumni_ws) == []
    for code, value in working_answer.items():
        if code != "start_date":
            form.fields[code].value = tuple(value) if isinstance(value, list) else value
    form.fields["start_date"].value = date(2025, 10, 1)
    form.fields["employer"].value = "Hotel Zahra Kendari"
    form.entered_by.value = "Pak Ridwan"
    form.answered_on.value = "20 November 2025"  # shown back as dd-mm-yyyy
    assert form.answered_on.input.value == "20-11-2025"
    form.save.click()
    assert "tersimpan" in form.message.value
    assert form.rows["employer"].error.value == ""
    (row,) = answers(alumni_ws)
    assert (row["employer"], row["entered_by"]) == ("Hotel Zahra Kendari", "Pak Ridwan")
    assert row["answered_at"].startswith("2025-11-20")


def test_fields_hidden_by_a_changed_status_are_not_saved(alumni_ws):
    form = ManualEntryForm(alumni_ws, TODAY)
    form.search.value = "indah"
    form.results.index = 0
    form.fields["status"].value = "bekerja"
    form.fields["employer"].value = "Hotel Zahra Kendari"  # typed, then the status changed
    form.fields["status"].value = "mencari"
    form.fields["consent"].value = "ya"
    form.entered_by.value = "Pak Ridwan"
    form.save.click()
    assert "tersimpan" in form.message.value
    (row,) = answers(alumni_ws)
    assert (row["status"], row["employer"]) == ("mencari", None)


def test_statuses_without_work_show_no_employer_fields(alumni_ws):
    form = ManualEntryForm(alumni_ws, TODAY)
    form.fields["status"].value = "wirausaha"
    assert "Nama usaha" in form.rows["employer"].target.description
    assert form.rows["position"].box.layout.display == "none"  # asked of employees only
    form.fields["status"].value = "mencari"
    shown = [code for code in form.fields if form.rows[code].box.layout.display is None]
    assert shown == ["status", "consent"]


def test_a_refusal_is_one_action_of_the_form(alumni_ws):
    form = ManualEntryForm(alumni_ws, TODAY)
    form.refuse.click()  # nobody chosen, nobody named
    assert "Pilih dulu alumnus yang menolak" in form.rows["nik"].error.value
    assert "Penolakan belum bisa dicatat" in form.refusal_message.value
    form.search.value = "putri"
    form.results.index = 0
    form.entered_by.value = "Bu Wati"
    form.refusal_reason.value = "tidak mau dihubungi lagi"
    form.refused_on.value = "20-11-2025"
    form.refuse.click()
    assert "tidak diundang lagi" in form.refusal_message.value
    con = sqlite3.connect(alumni_ws.store_path)
    try:
        (row,) = con.execute("SELECT nik, refused_on, reason, entered_by FROM refusals").fetchall()
    finally:
        con.close()
    assert row == ("7471015303030101", "2025-11-20", "tidak mau dihubungi lagi", "Bu Wati")
    assert answers(alumni_ws) == []


def test_review_panel_one_click_decisions(alumni_ws):
    import pandas as pd

    from kebekerjaan.core import store
    from kebekerjaan.steps.answers.matching import MatchRules
    from kebekerjaan.steps.answers.records import refresh, save_answers
    from kebekerjaan.steps.outreach.rules import SurveyRules

    con = store.connect(alumni_ws.store_path)
    rows = pd.DataFrame([
        {"answer_key": "f1", "source": "formulir", "answered_at": "2025-11-05T09:00:00",
         "given_name": "Putri Lestary", "given_phone": None, "status": "bekerja"},
        {"answer_key": "w1", "source": "whatsapp", "answered_at": "2025-11-06T09:00:00",
         "given_phone": "+6281201010002", "status": None, "message": "lagi coba2 jualan",
         "unclear": "pesan kurang jelas"},
    ])
    with store.transaction(con):
        save_answers(con, rows, import_id=None, file_name=None)
    # a strict threshold puts the misspelt name in the review band
    strict = replace(MatchRules.from_settings(), accept=99)
    refresh(con, SurveyRules.from_settings(alumni_ws.settings()), strict)
    con.close()
    panel = ReviewPanel(alumni_ws, decided_by="Bu Wati")
    assert len(panel.queue) == 2 and "Jawaban 1 dari 2" in panel.card.value
    assert "Putri Lestari" in panel.card.value  # the candidate is shown beside the answer
    panel.confirm.click()
    panel.status.value = "wirausaha"
    panel.save.click()  # the matched sender kept, the status chosen
    assert "Tidak ada lagi" in panel.card.value
    got = {r["answer_key"]: r for r in answers(alumni_ws)}
    assert got["f1"]["nik"] == "7471015303030101"
    assert got["w1"]["status"] == "wirausaha"
    assert ReviewPanel(alumni_ws).queue.empty  # never asked again


def test_every_problem_is_listed_at_once(alumni_ws, working_answer):
    with pytest.raises(KebekerjaanError) as err:
        record_answer(alumni_ws, nik="7471021404020102", answered_on=None, entered_by="",
                      today=TODAY, answer=working_answer)
    assert "nama petugas" in str(err.value) and "tanggal jawaban wajib diisi" in str(err.value)


def test_review_card_masks_numbers_inside_messages(alumni_ws):
    import pandas as pd

    from kebekerjaan.core import store
    from kebekerjaan.steps.answers.records import refresh_with_settings, save_answers

    con = store.connect(alumni_ws.store_path)
    with store.transaction(con):
        save_answers(con, pd.DataFrame([{
            "answer_key": "w9", "source": "whatsapp", "answered_at": "2025-11-06T09:00:00",
            "given_name": "Seseorang", "status": None, "unclear": "pesan kurang jelas",
            "message": "hubungi saya di 0812-0101-0009, NIK 7471021404020102"}]),
            import_id=None, file_name=None)
    refresh_with_settings(con, alumni_ws.settings())
    con.close()
    card = ReviewPanel(alumni_ws).card.value
    assert "0812-0101-0009" not in card and "7471021404020102" not in card
    assert "[nomor HP]" in card and "7471********0102" in card
