"""Review decisions teach the WhatsApp reader: the same phrasing is not asked twice."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from kebekerjaan.core import store
from kebekerjaan.core.context import StepContext
from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.steps.answers.classify import IGNORE_STAFF_DECIDED, NOT_STATUS
from kebekerjaan.steps.answers.collect import collect_answers
from kebekerjaan.steps.answers.learning import learned_summary
from kebekerjaan.steps.answers.records import decide, review_queue, undo
from kebekerjaan.steps.answers.whatsapp import classify_messages, parse_chat

TODAY = date(2026, 11, 27)
UNCLEAR = "begitulah pak, kadang kerja kadang tidak mi"  # the reader cannot place it


def chat(*lines):
    return "".join(f"{d} - {who}: {text}\n" for d, who, text in lines)


def queued(ws):
    con = store.connect(ws.store_path)
    try:
        return review_queue(con)
    finally:
        con.close()


def test_phrase_key_ignores_what_does_not_change_the_meaning():
    from kebekerjaan.steps.answers.model import phrase_key

    same = phrase_key("lagi bantu bantu di toko om saya")
    assert phrase_key("Lagi bantu-bantu di toko om sa, pak 🙏") == same
    assert phrase_key("blm pi dapat kerja kak!!") == phrase_key("Belum dapat kerja")
    assert phrase_key("belum dapat kerja") != phrase_key("sudah dapat kerja")


def test_learned_phrasing_is_classified_without_asking():
    messages = parse_chat(chat(("15/01/25 08.00", "Ani", UNCLEAR + " 🙏"),
                               ("15/01/25 08.01", "Beni", "Lagi bantu-bantu di bengkel om, sa!"))).messages
    before = classify_messages(messages)
    assert before.loc[0, "review"] and before.loc[0, "status"] is None
    after = classify_messages(messages, learned={"begitulah kadang kerja kadang tidak": "bekerja"})
    assert after.loc[0, "status"] == "bekerja"
    assert after.loc[0, "rule"] == "keputusan_staf" and not after.loc[0, "review"]
    # Only the same phrasing: the other reply reads as it did before the decision.
    cols = ["status", "review", "rule"]
    assert after.loc[1, cols].tolist() == before.loc[1, cols].tolist()
    assert after.loc[1, "rule"] != "keputusan_staf"
    gone = classify_messages(messages, learned={"begitulah kadang kerja kadang tidak": NOT_STATUS})
    assert gone.loc[0, "ignore_reason"] == IGNORE_STAFF_DECIDED


def test_a_decision_changes_the_next_import_of_the_same_phrasing(ws, tmp_path):
    (ws.inbox("wa") / "januari.txt").write_text(
        chat(("15/01/25 08.00", "+62 812-1111-0001", UNCLEAR)), encoding="utf-8")
    collect_answers(StepContext(ws, TODAY, tmp_path / "r1"))
    queue = queued(ws)
    assert queue["message"].tolist() == [UNCLEAR]
    con = store.connect(ws.store_path)
    with pytest.raises(KebekerjaanError, match="Diputuskan oleh"):
        decide(con, queue["answer_key"][0], "status", status="bekerja", by="  ")
    decide(con, queue["answer_key"][0], "status", status="bekerja", by="Pengantar Kerja")
    con.close()
    assert learned_summary(ws)["Jumlah ungkapan"].tolist() == [1, 1]
    # Another alumnus writes the same thing a month later, greeting the staff.
    (ws.inbox("wa") / "februari.txt").write_text(
        chat(("15/02/25 09.00", "+62 812-1111-0002",
              "Begitulah pak... kadang kerja kadang tidak mi, kak 🙏")),
        encoding="utf-8")
    collect_answers(StepContext(ws, TODAY, tmp_path / "r2"))
    con = sqlite3.connect(ws.store_path)
    got = con.execute("SELECT status, rule, unclear FROM answers WHERE given_phone = '+6281211110002'"
                      ).fetchall()
    con.close()
    assert got == [("bekerja", "keputusan_staf", None)]
    assert queued(ws).empty


def test_undoing_a_discard_puts_the_answer_back_and_forgets_the_lesson(ws, tmp_path):
    (ws.inbox("wa") / "januari.txt").write_text(
        chat(("15/01/25 08.00", "+62 812-1111-0001", UNCLEAR)), encoding="utf-8")
    collect_answers(StepContext(ws, TODAY, tmp_path / "r1"))
    key = queued(ws)["answer_key"][0]
    con = store.connect(ws.store_path)
    decide(con, key, "buang", by="Pengantar Kerja")
    assert con.execute("SELECT label FROM wa_labels").fetchall()[0][0] == NOT_STATUS
    undo(con, key, by="Pengantar Kerja")
    assert con.execute("SELECT COUNT(*) FROM wa_labels").fetchone()[0] == 0
    assert con.execute("SELECT undone_by FROM decision_log").fetchone()[0] == "Pengantar Kerja"
    with pytest.raises(KebekerjaanError, match="Tidak ada keputusan"):
        undo(con, key)
    con.close()
    collect_answers(StepContext(ws, TODAY, tmp_path / "r2"))  # refresh: still queued, not discarded
    assert queued(ws)["answer_key"].tolist() == [key]


def test_discarding_a_reply_with_a_status_teaches_nothing(ws, tmp_path):
    # The reader placed it; a discard may be about who sent it, not about the words.
    from kebekerjaan.steps.answers.learning import label_of

    assert label_of("buang", status=None, answer_status="bekerja", answer_unclear="x") is None
    assert label_of("buang", status=None, answer_status=None, answer_unclear="x") == NOT_STATUS
    assert label_of("status", status="studi", answer_status=None, answer_unclear="x") == "studi"
    assert label_of("konfirmasi", status=None, answer_status="bekerja", answer_unclear=None) is None


def test_the_same_wording_in_the_queue_is_decided_once(ws, tmp_path):
    from kebekerjaan.ui.answers import ReviewPanel

    (ws.inbox("wa") / "januari.txt").write_text(chat(
        ("15/01/25 08.00", "+62 812-1111-0001", UNCLEAR),
        ("16/01/25 08.00", "+62 812-1111-0002", "Begitulah, pak. Kadang kerja kadang tidak mi 🙏")),
        encoding="utf-8")
    collect_answers(StepContext(ws, TODAY, tmp_path / "r1"))
    panel = ReviewPanel(ws, decided_by="Pengantar Kerja")
    assert len(panel.queue) == 2
    panel.discard.click()
    panel.discard_yes.click()
    assert "1 jawaban lain dengan ungkapan yang sama" in panel.message.value
    assert "Tidak ada lagi" in panel.card.value and queued(ws).empty
    panel.undo.click()  # takes back both
    assert len(queued(ws)) == 2
    con = sqlite3.connect(ws.store_path)
    assert con.execute("SELECT COUNT(*) FROM wa_labels").fetchone()[0] == 0
    con.close()
