"""Issue 15, step 7 end to end: a WhatsApp message from an alumnus (by phone or by name)
or quoting a respondent code is never dropped unless it is surely no status of the
sender's; anything the reader cannot place goes to review with its reason."""

from __future__ import annotations

import sqlite3
from datetime import date

from kebekerjaan.core.context import StepContext
from kebekerjaan.steps.alumni import collect_alumni
from kebekerjaan.steps.answers.collect import collect_answers

TODAY = date(2026, 11, 27)
UNSURE = "masih begini-begini saja pak"  # the reader cannot place it
# Android export, Indonesian, 24 h. The alumni of fixtures/alumni/comma_bom.csv: Rahmat
# Hidayat (+62 812-0345-1234), Sukri Lasandara (+62 822-0333-1237), Muhammad Yusuf.
CHAT = f"""\
20/11/26 08.00 - Admin BPVP: Selamat pagi rekan alumni, mohon kabarnya 🙏
20/11/26 08.05 - +62 812-0345-1234: {UNSURE}
20/11/26 08.06 - +62 812-0345-1234: Selamat pagi semua
20/11/26 08.07 - Muhammad Yusuf: {UNSURE}
20/11/26 08.08 - +62 899-9999-0000: {UNSURE}
20/11/26 08.09 - +62 899-9999-0001: {UNSURE}, kode saya 23AB-CD45
20/11/26 08.10 - +62 822-0333-1237: adik saya sudah kerja di bengkel Honda pak
20/11/26 08.11 - +62 822-0333-1237: sudah kerja di PT Maju Jaya pak
"""


def test_unplaced_messages_from_alumni_go_to_review_and_others_stay_ignored(ws, drop, tmp_path):
    drop("comma_bom.csv")
    collect_alumni(StepContext(ws, TODAY, tmp_path / "r0"))
    (ws.inbox("wa") / "chat.txt").write_text(CHAT, encoding="utf-8")
    result = collect_answers(StepContext(ws, TODAY, tmp_path / "r1"))
    report = next(f for f in result.files if f.kind == "wa")
    con = sqlite3.connect(ws.store_path)
    try:
        stored = con.execute(
            "SELECT row_number, status, unclear, given_code FROM answers WHERE source = 'whatsapp' "
            "ORDER BY row_number").fetchall()
        kinds = dict(con.execute("SELECT kind, COUNT(*) FROM wa_messages GROUP BY kind").fetchall())
    finally:
        con.close()
    by_line = {line: (status, unclear, code) for line, status, unclear, code in stored}
    # The alumnus by phone, the alumnus by name, and the stranger quoting a code: to review,
    # with an Indonesian reason, no status guessed.
    for line in (2, 4, 6):
        status, unclear, _ = by_line[line]
        assert status is None and "tidak dapat digolongkan" in unclear
    assert by_line[6][2] == "23ABCD45"
    # A greeting is surely no status, a stranger's unclear message says nothing of an
    # alumnus, and a relative's job is not the sender's: none of them is an answer.
    assert {3, 5, 7}.isdisjoint(by_line)
    assert by_line[8][0] == "bekerja" and by_line[8][1] is None
    assert report.counts["perlu ditinjau"] == 3
    assert report.counts["berisi status"] == 1
    assert report.counts["diabaikan"] == 4  # admin greeting, greeting, stranger, relative
    assert kinds == {"tinjau": 3, "status": 1, "diabaikan": 4}
    # Every reviewed message is in the staff's review queue with its reason.
    queued = result.queue[result.queue["source"] == "whatsapp"]
    assert len(queued) == 3 and queued["unclear"].str.contains("periksa apakah berisi status").all()
