from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd

from kebekerjaan.excel import safe_csv_value, write_workbook


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
