"""The review panel (SOP step 7) driven as staff would: it cannot put an answer on the
wrong person by default, takes the person and the status in one decision, records a
refusal in one click, asks before discarding, can undo, and one odd answer never blocks
the queue."""

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
        wa_reply(con, "wa:1", "2025-11-05T09:07:00", "mencari", "masih cari kerja pak",
                 "masih_mencari")
    refresh_with_settings(con, ws.settings())
    con.close()
    return ws


def wa_reply(con, key: str, at: str, status: str, message: str, rule: str) -> None:
    """A WhatsApp reply from "Andi Saputra", the name both twins share."""
    save_answers(con, pd.DataFrame([{
        "answer_key": key, "source": "whatsapp", "answered_at": at, "given_name": "Andi Saputra",
        "status": status, "message": message, "rule": rule}]), import_id=None, file_name=None)


def rows(ws, sql: str, *args) -> list[sqlite3.Row]:
    con = sqlite3.connect(ws.store_path)
    con.row_factory = sqlite3.Row
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def stored(ws):
    return tuple(rows(ws, "SELECT nik, discarded FROM answers WHERE answer_key = 'wa:1'")[0])


def test_tied_candidates_have_no_default_and_are_shown_side_by_side(twins_ws):
    panel = ReviewPanel(twins_ws, decided_by="Bu Wati")
    card = panel.card.value
    assert not panel.other.value and panel.other.label == "— pilih —" and panel.confirm.disabled
    # the namesakes are told apart in the list too: training, angkatan, masked NIK
    first, second = [label for label, nik in panel.other.options if nik]
    assert first != second
    assert "Teknik Las · angkatan 1 (2025) · NIK 7471********0001" in first
    assert "TIK · angkatan 2 (2025) · NIK 7471********0002" in second
    assert "Skor calon teratas sama" in card
    for text in ("Teknik Las", "TIK", "Las SMAW 3G", "Operator Komputer", "2 Oktober 2025",
                 "16 Oktober 2025", "…1111", "…2222", "7471********0001"):
        assert text in card
    assert "+6281200001111" not in card
    # Status by its questionnaire label, the date the Indonesian way.
    assert "Belum bekerja dan sedang mencari kerja" in card and "5 November 2025 09.07" in card
    panel.save.click()  # nothing picked
    assert "Pilih alumnus" in panel.message.value and stored(twins_ws)[0] is None
    panel.other.value = "7471010101950002"
    panel.save.click()
    assert stored(twins_ws)[0] == "7471010101950002"


def test_decided_by_is_required(twins_ws):
    panel = ReviewPanel(twins_ws)
    panel.other.value = "7471010101950001"
    panel.save.click()
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


def answer(ws, key="wa:1"):
    return dict(rows(ws, "SELECT nik, status, match_status, discarded FROM answers "
                         "WHERE answer_key = ?", key)[0])


def test_the_person_and_the_status_are_taken_in_one_decision(twins_ws):
    panel = ReviewPanel(twins_ws, decided_by="Bu Wati")
    panel.other.value = "7471010101950001"
    panel.status.value = "bekerja"  # the reply said "mencari"; staff know better
    panel.save.click()
    assert answer(twins_ws) == {"nik": "7471010101950001", "status": "bekerja",
                                "match_status": "cocok", "discarded": 0}
    assert "Tidak ada lagi" in panel.card.value
    panel.undo.click()
    assert answer(twins_ws)["status"] == "mencari" and answer(twins_ws)["nik"] is None


def refusals(ws):
    return [tuple(r) for r in rows(ws, "SELECT nik, refused_on, entered_by, reason FROM refusals")]


def test_a_reply_read_as_a_refusal_is_recorded_as_one_in_one_click(twins_ws):
    panel = ReviewPanel(twins_ws, decided_by="Bu Wati")
    panel.refuse.click()  # nobody picked (tied)
    assert "Pilih dulu alumnus" in panel.message.value and refusals(twins_ws) == []
    panel.other.value = "7471010101950002"
    panel.refuse.click()
    ((nik, day, by, reason),) = refusals(twins_ws)
    assert (nik, day, by) == ("7471010101950002", "2025-11-05", "Bu Wati")
    assert "masih cari kerja pak" in reason
    assert answer(twins_ws)["discarded"] == 1  # not counted as an answer
    assert "Penolakan Andi Saputra tercatat" in panel.message.value
    panel.undo.click()  # both taken back
    assert refusals(twins_ws) == [] and answer(twins_ws)["discarded"] == 0
    assert len(ReviewPanel(twins_ws).queue) == 1


def test_a_reply_matched_by_its_number_but_unclear_keeps_its_alumnus(twins_ws):
    """Matched by the sender's phone (no candidates to choose from), queued for its
    wording: the alumnus is offered, so a status or a refusal takes one click."""
    con = store.connect(twins_ws.store_path)
    with store.transaction(con):
        save_answers(con, pd.DataFrame([{
            "answer_key": "wa:2", "source": "whatsapp", "answered_at": "2025-11-06T10:00:00",
            "given_name": "Andi S", "given_phone": TWINS[1][2], "status": None,
            "message": "maaf pak saya tidak mau ikut survei lagi", "unclear": "pesan kurang jelas"}]),
            import_id=None, file_name=None)
    refresh_with_settings(con, twins_ws.settings())
    con.close()
    assert answer(twins_ws, "wa:2")["match_status"] == "cocok"
    panel = ReviewPanel(twins_ws, decided_by="Bu Wati")
    panel.skip.click()  # past the tied one
    assert "maaf pak" in panel.card.value
    assert panel.other.value == TWINS[1][0] and panel.other.label.startswith("Andi Saputra — TIK")
    panel.refuse.click()
    ((nik, day, by, _),) = refusals(twins_ws)
    assert (nik, day, by) == (TWINS[1][0], "2025-11-06", "Bu Wati")
    assert answer(twins_ws, "wa:2")["discarded"] == 1


def test_a_candidate_without_a_name_shows_the_name_from_the_store(twins_ws):
    con = store.connect(twins_ws.store_path)
    with store.transaction(con):  # as a respondent code match leaves it
        con.execute("UPDATE answers SET candidates = ? WHERE answer_key = 'wa:1'",
                    ('[{"nik": "7471010101950001", "name": null, "score": 100.0}]',))
    con.close()
    panel = ReviewPanel(twins_ws, decided_by="Bu Wati")
    assert "None" not in panel.card.value and "<b>Andi Saputra</b>" in panel.card.value
    assert panel.other.options[1][0].startswith("Andi Saputra — Teknik Las")


def test_an_answer_that_cannot_be_drawn_says_which_and_the_queue_goes_on(twins_ws, monkeypatch):
    con = store.connect(twins_ws.store_path)
    wa_reply(con, "wa:2", "2025-11-06T10:00:00", "bekerja", "sudah kerja di PT Anoa", "bekerja")
    refresh_with_settings(con, twins_ws.settings())
    con.close()
    import kebekerjaan.ui.answers as answers

    drawn = answers._card

    def card(row, *args, **kwargs):
        if row["answer_key"] == "wa:1":
            raise AttributeError("'NoneType' object has no attribute 'replace'")
        return drawn(row, *args, **kwargs)

    monkeypatch.setattr(answers, "_card", card)
    panel = ReviewPanel(twins_ws, decided_by="Bu Wati")
    assert "Jawaban 1 dari 2" in panel.card.value and "tidak dapat ditampilkan" in panel.card.value
    assert "wa:1" in panel.card.value and "NoneType" in panel.card.value
    assert panel.save.disabled and not panel.skip.disabled and not panel.discard.disabled
    panel.skip.click()
    assert "Jawaban 2 dari 2" in panel.card.value and "sudah kerja di PT Anoa" in panel.card.value
    panel.other.value = "7471010101950001"
    panel.save.click()
    assert answer(twins_ws, "wa:2")["nik"] == "7471010101950001"
    assert "Jawaban 1 dari 1" in panel.card.value  # the odd one is still there to decide
