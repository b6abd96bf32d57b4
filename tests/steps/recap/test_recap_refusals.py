"""Recap and report: refused alumni counted as "menolak", and the reach of the invitations."""

from __future__ import annotations

from datetime import date

import pytest

from kebekerjaan.core import store
from kebekerjaan.steps.answers.manual import record_refusal
from kebekerjaan.steps.recap import Period, recap_frames, recap_sheets
from kebekerjaan.steps.recap.workbook import refused_labels
from kebekerjaan.steps.report import narrative, tables
from tests.survey_store import SurveyStore, nik, phone

END = date(2026, 8, 10)   # wave 1 due 10 September 2026: in 2026-III
AS_OF = date(2026, 11, 27)
WAVES = (1, 3, 6)


@pytest.fixture
def recap(ws):
    db = SurveyStore(ws)
    e = {n: db.training(db.alumnus(n, name=f"Alumni {n}"), END) for n in range(1, 6)}
    for n in range(1, 6):
        db.sent(nik(n), e[n], 1, date(2026, 9, 5))
    answer = ("INSERT INTO answers (nik, enrolment_id, wave, answered_at, source, status, consent, "
              "match_status, match_method, answer_key, created_at) "
              "VALUES (?, ?, 1, '2026-09-12T10:00:00', 'formulir', ?, ?, 'cocok', 'kode', ?, 'x')")
    db.con.execute(answer, (nik(1), e[1], "bekerja", "ya", "a1"))
    db.con.execute(answer, (nik(2), e[2], "mencari", "tidak", "a2"))  # "tidak bersedia"
    imp = db.import_on(date(2026, 9, 6))
    deliveries = [(phone(1), "dibaca"), (phone(2), "diterima"), (phone(3), "gagal"),
                  (phone(4), "terkirim")]
    db.con.executemany(
        "INSERT INTO blast_deliveries (delivery_key, phone, status, status_at, import_id) "
        "VALUES (?, ?, ?, '2026-09-05T09:00:00', ?)",
        [(p, p, s, imp) for p, s in deliveries])
    db.close()
    record_refusal(ws, nik=nik(3), refused_on=date(2026, 9, 20), entered_by="Wati",
                   reason="sudah pindah ke luar negeri", today=AS_OF)
    # A refusal after the as-of date does not count yet.
    record_refusal(ws, nik=nik(5), refused_on=AS_OF, entered_by="Wati", today=AS_OF)
    con = store.connect(ws.store_path)
    try:
        return recap_frames(con, Period.parse("2026-III"), date(2026, 11, 26), waves=WAVES)
    finally:
        con.close()


def test_refusals_are_menolak_not_non_respondents(recap):
    now = recap.summary.loc["periode"]
    assert (now["alumni"], now["merespons"], now["menolak"]) == (5, 1, 2)
    assert now["tingkat_respons"] == pytest.approx(1 / 5)  # still alumni of the period
    total = recap.summary.loc["kumulatif"]
    assert (total["alumni"], total["merespons"], total["menolak"]) == (5, 1, 2)
    assert recap.summary.loc["periode_sebelumnya", "menolak"] == 0  # none due in 2026-II
    assert sorted(recap.not_responded["nik"]) == [nik(4), nik(5)]
    refused = recap.refused.set_index("nik")["penolakan"]
    assert sorted(refused.index) == [nik(2), nik(3)]
    assert "sudah pindah ke luar negeri" in refused[nik(3)] and "formulir" in refused[nik(2)]
    assert recap.by["kejuruan"]["menolak"].sum() == 2


def test_the_workbook_report_and_definitions_say_menolak(recap):
    sheets = recap_sheets(recap)
    assert sorted(sheets["Menolak"]["NIK"]) == [nik(2), nik(3)]
    assert sheets["Menolak"]["Penolakan"].str.startswith("menolak disurvei sejak").all()
    # SMILe gets every alumnus of the period; the refused ones say so.
    smile = recap.in_scope.set_index("nik")
    labels = refused_labels(smile["status"], smile["penolakan"])
    assert (labels[nik(3)], labels[nik(4)], labels[nik(1)]) == (
        "Menolak disurvei", "Belum merespons", "Bekerja")
    assert sheets["Ringkasan"]["Menolak"].iloc[0] == 2
    terms = dict(recap.definitions)
    assert "Tidak bersedia" in terms["Menolak"] and "Belum merespons" in terms
    assert "Menolak disurvei" in str(tables.summary_table(recap))
    assert any("2 alumni sasaran menolak disurvei" in p for p in narrative.summary_paragraphs(recap))


def test_reach_of_the_invitations(recap):
    reach = {k: recap.quality[k] for k in ("diundang", "pesan_diterima", "pesan_terkirim",
                                           "pesan_gagal", "tanpa_laporan_kirim")}
    assert reach == {"diundang": 5, "pesan_diterima": 2, "pesan_terkirim": 1, "pesan_gagal": 1,
                     "tanpa_laporan_kirim": 1}
    quality = recap_sheets(recap)["Mutu Data"].set_index("Pemeriksaan")["Jumlah"]
    assert quality["Undangan gagal / bukan pengguna WhatsApp (laporan blast)"] == 1
    text = " ".join(narrative.quality_paragraphs(recap.quality))
    assert "kepada 5 alumni" in text and "1 gagal" in text
    assert "Undangan diterima/dibaca" in str(tables.quality_table(recap.quality))
    assert "Jangkauan undangan" in dict(recap.definitions)
