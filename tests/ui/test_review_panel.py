"""The review panel (SOP step 7) driven as staff would: it cannot put an answer on the
wrong person by default, asks before discarding, and can undo."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from kebekerjaan.core import store
from kebekerjaan.steps.answers.records import refresh_with_settings, save_answers
from kebekerjaan.ui.answers import ReviewPanel

TWINS = [  # same name, different people
    ("7471010101950001", "Andi Saputra", "+6281200001111", "Teknik Las", "Las SMAW 3G", "1",
     "2025-10-02"),
    ("7471010101950002", "Andi Saputra", "+6281200002222", "TIK", "Operator Komputer", "2",
     "2025-10-16"),
]


@pytest.fixture
def twins_ws(ws):
    con = store.connect(ws.store_path)
    now = store.now_iso()
    with store.transaction(con):
        iid = store.log_import(con, kind="alumni", file_name="peserta.csv", sha256="x", status="ok")
        for nik, name, phone, kejuruan, program, angkatan, end in TWINS:
            con.execute("INSERT INTO alumni (nik, name, phone, first_import_id, last_import_id, "
                        "updated_at) VALUES (?, ?, ?, ?, ?, ?)", (nik, name, phone, iid, iid, now))
            con.execute(
                "INSERT INTO enrolments (nik, kejuruan, program, program_key, angkatan, "
                "training_year, end_date, graduation, first_import_id, last_import_id, updated_at) "
                "VALUES (?, ?, ?, ?, ?, 2025, ?, 'lulus', ?, ?, ?)",
                (nik, kejuruan, program, program.casefold(), angkatan, end, iid, iid, now))
        save_answers(con, pd.DataFrame([{
            "answer_key": "wa:1", "source": "whatsapp", "answered_at": "2025-11-05T09:07:00",
            "given_name": "Andi Saputra", "status": "mencari", "message": "masih cari kerja pak",
            "rule": "masih_mencari"}]), import_id=None, file_name=None)
    refresh_with_settings(con, ws.settings())
    con.close()
    return ws


def stored(ws):
    con = sqlite3.connect(ws.store_path)
    try:
        return con.execute("SELECT nik, discarded FROM answers WHERE answer_key = 'wa:1'").fetchone()
    finally:
        con.close()


def test_tied_candidates_have_no_default_and_are_shown_side_by_side(twins_ws):
    panel = ReviewPanel(twins_ws, decided_by="Bu Wati")
    card = panel.card.value
    assert not panel.other.value and panel.other.label == "— pilih —" and panel.confirm.disabled
    assert "Skor calon teratas sama" in card
    for text in ("Teknik Las", "TIK", "Las SMAW 3G", "Operator Komputer", "2 Oktober 2025",
                 "16 Oktober 2025", "…1111", "…2222", "7471********0001"):
        assert text in card
    assert "+6281200001111" not in card
    # Status by its questionnaire label, the date the Indonesian way.
    assert "Belum bekerja dan sedang mencari kerja" in card and "5 November 2025 09.07" in card
    panel.choose.click()  # nothing picked
    assert "Pilih alumnus" in panel.message.value and stored(twins_ws)[0] is None
    panel.other.value = "7471010101950002"
    panel.choose.click()
    assert stored(twins_ws)[0] == "7471010101950002"


def test_decided_by_is_required(twins_ws):
    panel = ReviewPanel(twins_ws)
    panel.other.value = "7471010101950001"
    panel.choose.click()
    assert "Diputuskan oleh" in panel.message.value
    assert stored(twins_ws)[0] is None and len(ReviewPanel(twins_ws).queue) == 1


def test_discard_asks_first_and_can_be_undone(twins_ws):
    panel = ReviewPanel(twins_ws, decided_by="Bu Wati")
    panel.discard.click()
    assert panel.discard_box.layout.display == "flex" and stored(twins_ws)[1] == 0
    panel.discard_no.click()
    assert panel.discard_box.layout.display == "none" and stored(twins_ws)[1] == 0
    panel.discard.click()
    panel.discard_yes.click()
    assert stored(twins_ws)[1] == 1 and "Tidak ada lagi" in panel.card.value
    assert panel.undo.layout.display == "flex"
    panel.undo.click()
    assert stored(twins_ws)[1] == 0
    assert "Jawaban 1 dari 1" in panel.card.value and "diurungkan" in panel.message.value
    assert len(ReviewPanel(twins_ws).queue) == 1
