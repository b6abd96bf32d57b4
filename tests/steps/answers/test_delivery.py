"""Blast delivery reports: the wordings and shapes blast apps export, read exactly."""

from __future__ import annotations

from datetime import date

import pytest

from kebekerjaan.core import store
from kebekerjaan.core.workspace import init_workspace
from kebekerjaan.steps.answers import delivery
from kebekerjaan.steps.answers.manual import search_alumni


@pytest.mark.parametrize("text,code", [
    ("Sent", "terkirim"), ("TERKIRIM", "terkirim"), ("Berhasil dikirim", "terkirim"),
    ("Delivered", "diterima"), ("diterima", "diterima"),
    ("Read", "dibaca"), ("Dibaca", "dibaca"), ("seen", "dibaca"),
    ("Failed", "gagal"), ("Gagal terkirim", "gagal"), ("error", "gagal"),
    ("Tidak terkirim", "gagal"), ("Undelivered", "gagal"),
    ("Not on WhatsApp", "bukan_wa"), ("bukan pengguna WhatsApp", "bukan_wa"),
    ("Nomor tidak terdaftar", "bukan_wa"), ("Failed: number is not on WhatsApp", "bukan_wa"),
    ("Invalid WhatsApp number", "bukan_wa"),
    # not final yet: its own state, never a failure ("belum" is "not yet", not "not")
    ("Pending", "belum_terkirim"), ("Belum terkirim", "belum_terkirim"),
    ("Pesan belum terkirim", "belum_terkirim"), ("Not sent yet", "belum_terkirim"),
    ("", None), ("Nomor WhatsApp aktif", None),
])
def test_status_wordings_in_english_and_indonesian(text, code):
    assert delivery.status_code(text) == code


@pytest.mark.parametrize("cell,stored", [
    ("12/11/2025 10.15", "2025-11-12T10:15:00"),
    ("12-11-2025 10:15:30", "2025-11-12T10:15:30"),
    ("2025-11-12 10:15", "2025-11-12T10:15:00"),
    (45973.5, "2025-11-12T12:00:00"),
    ("12/11/25 10:15", "2025-11-12T10:15:00"),
    ("12 Nov 2025 10:15", "2025-11-12T10:15:00"),
    ("Nov 12, 2025 10:15 AM", "2025-11-12T10:15:00"),
    (None, None),
])
def test_times_as_apps_write_them(cell, stored):
    assert delivery._parse_time(cell) == (stored, None)


@pytest.mark.parametrize("cell", ["31/02/2026 10:00", "kemarin", "12/13/2026 10:00"])
def test_an_impossible_time_is_a_reason_not_a_guess(cell):
    at, problem = delivery._parse_time(cell)
    assert at is None and "tidak dapat dibaca" in problem


def test_a_semicolon_csv_with_indonesian_headers_and_a_title_block(ws, tmp_path):
    (ws.inbox("blast") / "laporan.csv").write_text(
        "Laporan Broadcast Alumni;;;\n;;;\nNo HP;Nama Kontak;Status Pengiriman;Waktu Kirim;Catatan\n"
        "0812-0000-0001;Siti;Terkirim;12/11/2025 10.15;\n"
        "+62 812 0000 0002;Budi;Gagal;12/11/2025 10.16;nomor tidak terdaftar di WhatsApp\n"
        "0812 0000 0003;Ani;Menunggu;12/11/2025 10.17;\n", encoding="utf-8")
    con = store.connect(ws.store_path)
    try:
        result = delivery.import_delivery_reports(con, ws.inbox("blast"), ws.settings(),
                                                  tmp_path / "run", None)
        (report,) = result.files
        assert (report.rows_read, report.new, report.rejected) == (3, 2, 1)
        assert report.message == "" and report.ignored_columns == []  # "Catatan" is the detail
        assert "belum final" in result.rejects["Alasan"].iloc[0]
        assert delivery.unreachable(con) == {
            "+6281200000002": "laporan blast WhatsApp (laporan.csv, 2025-11-12): bukan pengguna WhatsApp"}
        logged = con.execute("SELECT status, rows_read, rejected FROM import_log WHERE kind = 'blast'"
                             ).fetchone()
        assert tuple(logged) == ("ok", 3, 1)
    finally:
        con.close()
    assert (tmp_path / "run" / "ditolak_laporan_blast.xlsx").exists()


def test_init_makes_the_blast_inbox(tmp_path):
    ws = init_workspace(tmp_path / "baru")
    assert ws.inbox("blast").is_dir() and ws.inbox("blast") == ws.root / "data" / "masuk" / "blast"


def test_staff_find_an_alumnus_by_the_code_read_out_by_phone(ws, survey):
    from kebekerjaan.rules.codes import display, ensure_codes

    person = survey.alumnus(1, name="Siti Aminah")
    survey.training(person, date(2025, 1, 15), angkatan="1")
    later = survey.training(person, date(2025, 6, 15), angkatan="2")
    code = ensure_codes(survey.con, [later])[later]
    survey.close()
    found = search_alumni(ws, display(code).lower())
    assert found["enrolment_id"].tolist() == [later]


@pytest.mark.parametrize("text,code", [
    ("Message failed to send", "gagal"), ("Pesan tidak terkirim ke nomor ini", "gagal"),
    ("Read by recipient", "dibaca"), ("Delivered to device", "diterima"),
    ("Sent successfully (1 tick)", "terkirim"), ("Already read", "dibaca"),
])
def test_longer_wordings_by_their_words(text, code):
    assert delivery.status_code(text) == code


def test_a_report_written_month_first_is_read_month_first():
    us = ["11/12/2025 10:15", "11/13/2025 09:00"]  # 13 cannot be a month: the file is m/d/y
    assert delivery.month_first(us) and not delivery.month_first(["13/11/2025 10:15", "11/12/2025"])
    assert delivery._parse_time(us[0], delivery.month_first(us))[0] == "2025-11-12T10:15:00"
    assert delivery._parse_time(us[0])[0] == "2025-12-11T10:15:00"  # the Indonesian default
