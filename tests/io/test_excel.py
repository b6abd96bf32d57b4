from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from kebekerjaan.io.excel import safe_csv_value, write_workbook


def test_formula_like_text_stays_inert(tmp_path):
    frame = pd.DataFrame({
        "Nama": ['=HYPERLINK("http://x","klik")', "+62 812", "-1+1", "@SUM(A1)", "\tx", "Budi"],
    })
    path = write_workbook(tmp_path / "o.xlsx", {"Data": frame})
    sheet = openpyxl.load_workbook(path)["Data"]
    cells = [sheet.cell(row=r, column=1) for r in range(2, 8)]
    assert all(c.data_type == "s" for c in cells)
    assert cells[0].value == '=HYPERLINK("http://x","klik")'  # shown as typed
    assert all(c.quotePrefix for c in cells[:5])
    assert not cells[5].quotePrefix


def test_sheet_layout_header_freeze_filter_dates(tmp_path):
    frame = pd.DataFrame({"NIK": ["7471010101900001"], "Tanggal": [dt.date(2025, 3, 1)], "N": [3]})
    path = write_workbook(tmp_path / "o.xlsx", {"Data": frame})
    sheet = openpyxl.load_workbook(path)["Data"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C2"
    assert sheet["A1"].font.bold
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == "7471010101900001"
    assert sheet["B2"].is_date and sheet["B2"].number_format == "DD/MM/YYYY"
    assert sheet.column_dimensions["A"].width >= 16


def test_csv_value_prefix():
    assert safe_csv_value("=1+1") == "'=1+1"
    assert safe_csv_value("Budi") == "Budi"
    assert safe_csv_value(5) == 5


def _mixed_frame():
    return pd.DataFrame({
        "Nama": ["Budi", "=1+1", None, " spasi ", "A & B <c>"],
        "Tanggal": pd.to_datetime(["2026-03-01", None, "2026-12-31", "2026-01-31", "2026-02-28"]),
        "Tanggal Objek": [dt.date(2025, 3, 1), None, "tidak tahu", dt.date(2024, 2, 29), None],
        "Jumlah": [1, 2, 3, 4, 5],
        "Persen": [0.5, float("nan"), 0.123, 1.0, 0.0],
        "Ya": [True, False, True, True, False],
    })


def test_number_formats_per_column(tmp_path):
    path = write_workbook(tmp_path / "o.xlsx", {"Data": _mixed_frame()},
                          formats={"Data": {"Persen": "0.0%"}})
    sheet = openpyxl.load_workbook(path)["Data"]
    assert sheet["E2"].number_format == "0.0%" and sheet["E2"].value == 0.5
    assert sheet["E3"].value is None
    assert sheet["D2"].number_format == "General" and sheet["D2"].value == 1
    assert sheet["B2"].is_date and sheet["B2"].value == dt.datetime(2026, 3, 1)
    assert sheet["C2"].is_date and sheet["C4"].value == "tidak tahu"
    assert sheet["A5"].value == " spasi " and sheet["A6"].value == "A & B <c>"
    assert sheet["F2"].value is True


def test_every_row_and_column_reads_back(tmp_path):
    """Rows past the first (constant-memory writing) keep their values, types and formats."""
    n = 3000
    frame = pd.DataFrame({
        "NIK": [f"74710101019{i:05d}" for i in range(n)],
        "Tanggal": pd.to_datetime("2026-01-01") + pd.to_timedelta(range(n), unit="D"),
        "Persen": [i / n for i in range(n)],
        "Catatan": ["=SUM(A1)" if i % 7 == 0 else f"baris {i}" for i in range(n)],
    })
    path = write_workbook(tmp_path / "o.xlsx", {"Data": frame, "Kosong": frame.head(0)},
                          formats={"Data": {"Persen": "0.0%"}})
    book = openpyxl.load_workbook(path)
    sheet = book["Data"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == n
    assert [r[0] for r in rows] == frame["NIK"].tolist()
    assert [r[1] for r in rows] == [t.to_pydatetime() for t in frame["Tanggal"]]
    assert [r[3] for r in rows] == frame["Catatan"].tolist()
    last = sheet.cell(row=n + 1, column=3)
    assert last.number_format == "0.0%" and last.value == (n - 1) / n
    assert sheet.cell(row=n + 1, column=4).quotePrefix is False
    assert sheet.cell(row=2, column=4).quotePrefix is True
    assert [c.value for c in book["Kosong"][1]] == ["NIK", "Tanggal", "Persen", "Catatan"]
    # A second, independent reader (the one step 1 uses) sees the same cells.
    from python_calamine import CalamineWorkbook

    again = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data").to_python()
    assert again[0] == ["NIK", "Tanggal", "Persen", "Catatan"]
    assert [r[0] for r in again[1:]] == frame["NIK"].tolist()
    assert [r[3] for r in again[1:]] == frame["Catatan"].tolist()


def test_nik_stored_as_a_number_is_masked_for_display():
    from kebekerjaan.io.privacy import for_display

    shown = for_display(pd.DataFrame({"NIK": [7471010101900001.0, "7471010101900002"]}))
    assert shown["NIK"].tolist() == ["7471********0001", "7471********0002"]


def test_csv_for_excel_in_an_indonesian_locale(tmp_path):
    from kebekerjaan.core.config import load_settings
    from kebekerjaan.core.errors import ConfigError
    from kebekerjaan.io.excel import CsvFormat, csv_format, write_csv

    frame = pd.DataFrame({"Nama": ["Andi", "=1+1"], "Catatan": ["a;b", "é"]})
    default = csv_format(load_settings(None))
    assert default == CsvFormat(";", True)
    raw = write_csv(tmp_path / "a.csv", frame, default).read_bytes()
    assert raw == ('\ufeffNama;Catatan\r\nAndi;"a;b"\r\n\'=1+1;é\r\n').encode("utf-8")
    toml = tmp_path / "kebekerjaan.toml"
    toml.write_text('[output]\ncsv_separator = ","\ncsv_bom = false\n', encoding="utf-8")
    plain = write_csv(tmp_path / "b.csv", frame, csv_format(load_settings(toml))).read_bytes()
    assert plain.startswith(b"Nama,Catatan\r\n")
    toml.write_text('[output]\ncsv_separator = "::"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="csv_separator"):
        csv_format(load_settings(toml))
