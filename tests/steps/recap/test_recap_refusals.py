"""Recap and report: refused alumni counted as "menolak", and the reach of the invitations."""

from __future__ import annotations

from datetime import date

import pytest

from kebekerjaan.core import store
from kebekerjaan.steps.answers.manual import record_refusal
from kebekerjaan.steps.recap import Period, recap_frames, recap_sheets
from kebekerjaan.steps.recap.workbook import refused_labels
from kebekerjaan.steps.report import narrative, tables

END = date(2026, 8, 10)   # wave 1 due 10 September 2026: in 2026-III
AS_OF = date(2026, 11, 27)
WAVES = (1, 3, 6)


@pytest.fixture
def recap(ws, survey):
    e = {n: survey.training(survey.alumnus(n, name=f"Alumni {n}"), END) for n in range(1, 6)}
    for n in range(1, 6):
        survey.sent(survey.nik(n), e[n], 1, date(2026, 9, 5))
    answer = ("INSERT INTO answers (nik, enrolment_id, wave, answered_at, source, status, consent, "
              "match_status, match_method, answer_key, created_at) "
              "VALUES (?, ?, 1, '2026-09-12T10:00:00', 'formulir', ?, ?, 'cocok', 'kode', ?, 'x')")
    survey.con.execute(answer, (survey.nik(1), e[1], "bekerja", "ya", "a1"))
    survey.con.execute(answer, (survey.nik(2), e[2], "mencari", "tidak", "a2"))  # "tidak bersedia"
    imp = survey.import_on(date(2026, 9, 6))
    deliveries = [(survey.phone(1), "dibaca"), (survey.phone(2), "diterima"), (survey.phone(3), "gagal"),
                  (survey.phone(4), "terkirim")]
    survey.con.executemany(
        "INSERT INTO blast_deliveries (delivery_key, phone, status, status_at, import_id) "
        "VALUES (?, ?, ?, '2026-09-05T09:00:00', ?)",
        [(p, p, s, imp) for p, s in deliveries])
    survey.close()
    record_refusal(ws, nik=survey.nik(3), refused_on=date(2026, 9, 20), entered_by="Wati",
                   reason="sudah pindah ke luar negeri", today=AS_OF)
    # A refusal after the as-of date does not count yet.
    record_refusal(ws, nik=survey.nik(5), refused_on=AS_OF, entered_by="Wati", today=AS_OF)
    con = store.connect(ws.store_path)
    try:
        return recap_frames(con, Period.parse("2026-III"), date(2026, 11, 26), waves=WAVES)
    finally:
        con.close()


def test_refusals_are_menolak_not_non_respondents(recap, survey):
    now = recap.summary.loc["periode"]
    assert (now["alumni"], now["merespons"], now["menolak"]) == (5, 1, 2)
    assert now["tingkat_respons"] == pytest.approx(1 / 5)  # still alumni of the period
    total = recap.summary.loc["kumulatif"]
    assert (total["alumni"], total["merespons"], total["menolak"]) == (5, 1, 2)
    assert recap.summary.loc["periode_sebelumnya", "menolak"] == 0  # none due in 2026-II
    assert sorted(recap.not_responded["nik"]) == [survey.nik(4), survey.nik(5)]
    refused = recap.refused.set_index("nik")["penolakan"]
    assert sorted(refused.index) == [survey.nik(2), survey.nik(3)]
    assert "sudah pindah ke luar negeri" in refused[survey.nik(3)] and "formulir" in refused[survey.nik(2)]
    assert recap.by["kejuruan"]["menolak"].sum() == 2


def test_the_workbook_report_and_definitions_say_menolak(recap, survey):
    sheets = recap_sheets(recap)
    assert sorted(sheets["Menolak"]["NIK"]) == [survey.nik(2), survey.nik(3)]
    assert sheets["Menolak"]["Penolakan"].str.startswith("menolak disurvei sejak").all()
    # SMILe gets every alumnus of the period; the refused ones say so.
    smile = recap.in_scope.set_index("nik")
    labels = refused_labels(smile["status"], smile["penolakan"])
    assert (labels[survey.nik(3)], labels[survey.nik(4)], labels[survey.nik(1)]) == (
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
