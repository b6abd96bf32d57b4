"""SOP step 1 intake on the committed fixture files (tests/fixtures/alumni/README.md)."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import date

import openpyxl
import pytest

from kebekerjaan.core.context import StepContext
from kebekerjaan.steps.alumni import alumni_per_kejuruan, collect_alumni

TODAY = date(2026, 11, 27)


@pytest.fixture
def intake(ws, tmp_path):
    runs = iter(range(100))

    def _run():
        return collect_alumni(StepContext(ws, TODAY, tmp_path / f"run{next(runs)}"))

    return _run


def rows(ws, sql, *args):
    con = sqlite3.connect(ws.store_path)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql, args)]
    finally:
        con.close()


def balanced(report):
    return report.rows_read == (report.new + report.updated + report.unchanged
                                + report.duplicates + report.rejected)


@pytest.mark.parametrize("name,read", [
    ("title_block.xlsx", 8), ("semicolon_cp1252.csv", 6), ("comma_bom.csv", 5),
    ("excel_dates.xlsx", 6), ("legacy.xls", 4),
])
def test_every_input_variant_is_read_whole(drop, intake, ws, name, read):
    drop(name)
    (report,) = intake().files
    assert (report.status, report.rows_read, report.new, report.rejected) == ("ok", read, read, 0)
    assert len(rows(ws, "SELECT nik FROM alumni")) == read


def test_title_block_values_are_normalized(drop, intake, ws):
    drop("title_block.xlsx")
    result = intake()
    person = rows(ws, "SELECT * FROM alumni WHERE nik = '7471106108040002'")[0]
    assert person["name"] == "Nur'aini binti Usman"
    assert person["sex"] == "P" and person["birth_date"] == "2004-08-21"
    assert person["kabkota_name"] == "Kota Kendari" and person["prov_name"] == "Sulawesi Tenggara"
    enrol = rows(ws, "SELECT * FROM enrolments WHERE nik = '7471106108040002'")[0]
    assert enrol["kejuruan"] == "Teknologi Informasi dan Komunikasi"
    assert (enrol["start_date"], enrol["end_date"]) == ("2025-03-03", "2025-04-25")
    assert all(p["phone"].startswith("+628") for p in rows(ws, "SELECT phone FROM alumni"))
    # the number cell is kept but flagged for a human look
    assert result.flagged["Baris"].tolist() == [9]
    assert "angka" in result.flagged["Catatan"].iloc[0]


def test_cp1252_semicolon_file_keeps_its_characters(drop, intake, ws):
    drop("semicolon_cp1252.csv")
    intake()
    names = {r["name"] for r in rows(ws, "SELECT name FROM alumni")}
    # byte 0x92 is a cp1252 apostrophe (not a control character), kept as the typographic
    # apostrophe it is
    assert "Nur’aini Safitri" in names and "Rosmiati" in names and "Muh. André Pratama" in names
    assert any("Résidence" in r["address"] for r in rows(ws, "SELECT address FROM alumni"))
    ends = {r["end_date"] for r in rows(ws, "SELECT end_date FROM enrolments")}
    assert ends == {"2025-11-07"}
    assert {r["angkatan"] for r in rows(ws, "SELECT angkatan FROM enrolments")} == {"2"}


def test_excel_serial_and_english_month_dates(drop, intake, ws):
    drop("excel_dates.xlsx")
    intake()
    ends = sorted(r["end_date"] for r in rows(ws, "SELECT end_date FROM enrolments"))
    assert ends == ["2024-01-12"] * 3 + ["2025-12-25"] * 3


def test_each_reject_reason_with_row_number(drop, intake, ws, tmp_path):
    drop("rejects.csv")
    result = intake()
    (report,) = result.files
    assert (report.rows_read, report.new, report.rejected) == (11, 2, 9)
    assert balanced(report)
    by_row = dict(zip(result.rejects["Baris"], result.rejects["Alasan"]))
    assert sorted(by_row) == list(range(3, 12))
    assert "notasi ilmiah" in by_row[3]
    assert "tidak 16 digit" in by_row[4]
    assert "kode provinsi '99'" in by_row[5]
    assert by_row[6] == "nama kosong"
    assert "kejuruan 'Perhiasan Emas' tidak dikenal" in by_row[7]
    assert by_row[8] == "program kosong"
    assert by_row[9] == "angkatan kosong"
    assert by_row[10] == "tanggal selesai kosong"
    assert "31/02/2025" in by_row[11]
    # kept in the store with the original cells, and in the run's workbook
    stored = rows(ws, "SELECT row_number, reason, raw FROM rejects ORDER BY row_number")
    assert [r["row_number"] for r in stored] == list(range(3, 12))
    assert json.loads(stored[0]["raw"])["NIK"] == "7.47103E+15"
    sheet = openpyxl.load_workbook(tmp_path / "run0" / "ditolak_alumni.xlsx")["Ditolak"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Berkas", "Baris", "Alasan"] and "NIK" in header
    assert sheet.max_row == 10


def test_flags_keep_the_row(drop, intake, ws):
    drop("flags.csv")
    result = intake()
    (report,) = result.files
    assert (report.new, report.rejected, report.flagged) == (7, 0, 6)
    notes = dict(zip(result.flagged["Baris"], result.flagged["Catatan"]))
    assert sorted(notes) == [2, 3, 4, 5, 6, 7]
    assert "tanpa nomor HP" in notes[2]
    assert "tidak valid" in notes[3]
    assert "bukan nomor seluler" in notes[4]
    assert "jenis kelamin" in notes[5]
    assert "tanggal lahir menurut NIK" in notes[6]
    assert "30/02/2001" in notes[7]
    stored = rows(ws, "SELECT flags FROM enrolments WHERE flags IS NOT NULL")
    assert len(stored) == 6


def test_duplicates_inside_a_file_are_counted_not_doubled(drop, intake, ws):
    drop("duplicates.csv")
    (report,) = intake().files
    assert (report.rows_read, report.new, report.duplicates) == (5, 3, 2)
    assert len(rows(ws, "SELECT * FROM enrolments")) == 3


def test_newer_export_updates_and_keeps_history(drop, intake, ws):
    drop("update_v1.csv")
    intake()
    (v2,) = drop("update_v2.csv")
    os.utime(v2, ns=(v2.stat().st_atime_ns, v2.stat().st_mtime_ns + 10**9))
    (report,) = [f for f in intake().files if f.status == "ok"]
    assert (report.new, report.updated, report.unchanged) == (1, 2, 3)
    assert balanced(report)
    history = rows(ws, "SELECT * FROM history WHERE table_name = 'alumni'")
    assert len(history) == 2
    old = {json.loads(h["old_values"])["phone"] for h in history}
    new = {json.loads(h["new_values"])["phone"] for h in history}
    assert old == {"+6285201110002", "+6282201110004"}
    assert new == {"+6285201119002", "+6282201119004"}
    assert len(rows(ws, "SELECT * FROM enrolments")) == 6


def test_same_file_twice_changes_nothing(drop, intake, ws):
    drop("title_block.xlsx")
    intake()
    before = rows(ws, "SELECT * FROM alumni ORDER BY nik")
    second = intake()
    assert [f.status for f in second.files] == ["skipped"]
    assert rows(ws, "SELECT * FROM alumni ORDER BY nik") == before
    # the same content under another name is the same file
    (ws.inbox("alumni") / "title_block.xlsx").rename(ws.inbox("alumni") / "copy.xlsx")
    assert [f.status for f in intake().files] == ["skipped"]
    assert len(rows(ws, "SELECT * FROM import_log")) == 1


@pytest.mark.parametrize("name,words", [
    ("missing_column.csv", "kolom wajib tidak ditemukan: Tanggal Selesai"),
    ("empty.csv", "kosong"),
    ("corrupt.xlsx", "rusak"),
    ("password.xlsx", "kata sandi"),
])
def test_unreadable_file_changes_nothing_and_says_why(drop, intake, ws, name, words):
    drop("duplicates.csv")
    intake()
    before = rows(ws, "SELECT * FROM enrolments ORDER BY id")
    drop(name)
    (report,) = [f for f in intake().files if f.status != "skipped"]
    assert report.status == "failed"
    assert f"Berkas '{name}' tidak dapat dibaca" in report.message and words in report.message
    assert rows(ws, "SELECT * FROM enrolments ORDER BY id") == before
    log = rows(ws, "SELECT status, message FROM import_log WHERE file_name = ?", name)
    assert log[0]["status"] == "gagal" and words in log[0]["message"]


def test_failure_during_merge_rolls_the_file_back(drop, intake, ws, monkeypatch):
    from kebekerjaan.steps import alumni as step

    def boom(*args, **kwargs):
        raise RuntimeError("disk penuh")

    drop("duplicates.csv")
    monkeypatch.setattr(step, "store_rejects", boom)
    with pytest.raises(RuntimeError):
        intake()
    assert rows(ws, "SELECT * FROM import_log") == []
    assert rows(ws, "SELECT * FROM alumni") == []


def test_manifest_record_and_counts_balance_over_all_fixtures(drop, intake, ws, tmp_path, fixtures_dir):
    drop(*sorted(p.name for p in (fixtures_dir / "alumni").iterdir() if p.suffix != ".md"))
    result = intake()
    totals = result.totals()
    assert totals["rows_read"] == sum(totals[k] for k in
                                      ("new", "updated", "unchanged", "duplicates", "rejected"))
    assert totals["files_failed"] == 4
    record = json.loads((tmp_path / "run0" / "steps" / "01.json").read_text())
    assert record["counts"] == totals
    assert {i["file"] for i in record["inputs"]} == {f.file for f in result.files}


def test_alumni_per_kejuruan_counts_people(drop, intake, ws):
    drop("duplicates.csv", "title_block.xlsx")
    intake()
    table = alumni_per_kejuruan(ws)
    assert table.loc["Pariwisata", "Jumlah"] == 3
    assert table.loc["Teknologi Informasi dan Komunikasi", "Jumlah"] == 8


def test_intake_leaves_no_dangling_references(drop, intake, ws):
    drop("update_v1.csv", "duplicates.csv", "rejects.csv")
    intake()
    con = sqlite3.connect(ws.store_path)
    try:
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()
