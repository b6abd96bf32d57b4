"""SOP step 8 workbooks: the recap and the SMILe sheet, as staff open them."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest

from kebekerjaan.core.context import StepContext
from kebekerjaan.core.errors import ConfigError
from kebekerjaan.steps.recap import recap_step

REQUIRED = ["Ringkasan", "Per Kejuruan", "Per Angkatan", "Per Gelombang Survei", "Alumni Bekerja",
            "Alumni Wirausaha", "Belum Merespons", "Definisi"]


@pytest.fixture
def stepped(ws, tmp_path, recap_store):
    recap_store.write()
    run_dir = tmp_path / "run"
    recap = recap_step(StepContext(ws, recap_store.AS_OF, run_dir, periode="2026-III"))
    return ws, run_dir, recap


def _columns(sheet) -> dict[str, int]:
    return {c.value: c.column for c in sheet[1]}


def _rows(sheet):
    cols = _columns(sheet)
    return [{name: sheet.cell(row=r, column=i) for name, i in cols.items()}
            for r in range(2, sheet.max_row + 1)]


def test_files_and_step_record(stepped):
    _, run_dir, recap = stepped
    assert (run_dir / "rekap_kebekerjaan_2026-III.xlsx").exists()
    assert (run_dir / "smile_2026-III.xlsx").exists()
    record = json.loads((run_dir / "steps" / "08.json").read_text(encoding="utf-8"))
    assert set(record["outputs"]) == {"rekap_kebekerjaan_2026-III.xlsx", "smile_2026-III.xlsx"}
    assert record["counts"]["in_scope"] == recap.summary.at["periode", "alumni"]
    assert record["counts"]["not_responded"] == len(recap.not_responded)


def test_sheets_in_order_with_styled_frozen_filtered_headers(stepped):
    _, run_dir, recap = stepped
    book = openpyxl.load_workbook(run_dir / "rekap_kebekerjaan_2026-III.xlsx")
    names = book.sheetnames
    assert [n for n in names if n in REQUIRED] == REQUIRED
    assert names[0] == "Ringkasan" and names[-1] == "Definisi"
    for name in names:
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        last = openpyxl.utils.get_column_letter(sheet.max_column)
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}", name
        header = sheet["A1"]
        assert header.font.bold and header.fill.fgColor.rgb.endswith("1F4E78"), name
    bekerja = book["Alumni Bekerja"]
    assert bekerja.max_row - 1 == int((recap.employed["status"] == "bekerja").sum())
    assert book["Belum Merespons"].max_row - 1 == len(recap.not_responded)
    assert book["Definisi"].max_row - 1 == len(recap.definitions)
    widths = bekerja.column_dimensions
    assert widths[openpyxl.utils.get_column_letter(_columns(bekerja)["NIK"])].width >= 16


def test_rates_are_percentage_cells_and_counts_numbers(stepped):
    _, run_dir, recap = stepped
    sheet = openpyxl.load_workbook(run_dir / "rekap_kebekerjaan_2026-III.xlsx")["Ringkasan"]
    rows = _rows(sheet)
    labels = [r["Keterangan"].value for r in rows]
    assert labels[0] == "Caturwulan III 2026 (September–Desember)"
    now = rows[0]
    for header, col in (("Tingkat Respons", "tingkat_respons"), ("TPK Responden", "tpk_responden"),
                        ("TPK Seluruh Alumni", "tpk_seluruh")):
        cell = now[header]
        assert cell.number_format == "0.0%" and cell.data_type == "n"
        assert cell.value == pytest.approx(recap.summary.at["periode", col])
    assert now["Alumni"].value == recap.summary.at["periode", "alumni"]
    assert now["Perubahan TPK Seluruh (poin)"].value == pytest.approx(recap.change_points())
    kejuruan = _rows(openpyxl.load_workbook(run_dir / "rekap_kebekerjaan_2026-III.xlsx")["Per Kejuruan"])
    assert all(r["TPK Seluruh Alumni"].number_format == "0.0%" for r in kejuruan)


def test_dates_nik_and_phone_cells(stepped, recap_store):
    _, run_dir, recap = stepped
    book = openpyxl.load_workbook(run_dir / "rekap_kebekerjaan_2026-III.xlsx")
    waiting = _rows(book["Belum Merespons"])
    for row in waiting:
        assert row["Jatuh Tempo"].is_date and row["Jatuh Tempo"].number_format == "DD/MM/YYYY"
        assert row["NIK"].data_type == "s" and re.fullmatch(r"\d{16}", row["NIK"].value)
        if row["No HP"].value is not None:
            assert row["No HP"].data_type == "s" and row["No HP"].value.startswith("+62")
    working = _rows(book["Alumni Bekerja"])
    budi = next(r for r in working if r["NIK"].value == recap_store.nik(1))
    assert budi["Mulai Bekerja/Berusaha"].is_date
    assert budi["Mulai Bekerja/Berusaha"].value.date().isoformat() == "2026-10-01"
    assert budi["Tanggal Jawaban"].value.date().isoformat() == "2026-11-16"
    assert budi["Status"].value == "Bekerja"


def test_formula_in_a_name_stays_inert(stepped, recap_store):
    _, run_dir, _ = stepped
    evil = recap_store.PEOPLE[13][0]  # a name that is a formula
    for path, sheet in ((run_dir / "rekap_kebekerjaan_2026-III.xlsx", "Alumni Bekerja"),
                        (run_dir / "smile_2026-III.xlsx", "Data Kebekerjaan")):
        rows = _rows(openpyxl.load_workbook(path)[sheet])
        cell = next(r["Nama"] for r in rows if r["NIK"].value == recap_store.nik(13))
        assert cell.value == evil and cell.data_type == "s" and cell.quotePrefix


def test_smile_default_layout_lists_every_alumnus_of_the_period(stepped, recap_store):
    _, run_dir, recap = stepped
    sheet = openpyxl.load_workbook(run_dir / "smile_2026-III.xlsx")["Data Kebekerjaan"]
    rows = _rows(sheet)
    assert len(rows) == recap.summary.at["periode", "alumni"]
    statuses = [r["Status Kebekerjaan"].value for r in rows]
    assert statuses.count("Belum merespons") == len(recap.not_responded)
    assert statuses.count("Bekerja") == recap.summary.at["periode", "bekerja"]
    # Which BPVP, period and training each row is; no phone numbers unless asked for.
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["BPVP", "Periode", "ID Pelatihan"] and "No HP" not in header
    assert {r["Periode"].value for r in rows} == {"2026-III"}
    assert {r["BPVP"].value for r in rows} == {"BPVP Kendari"}
    first = next(r for r in rows if r["NIK"].value == recap_store.nik(1))
    assert re.fullmatch(r".+ / Angkatan \w+ / 20\d\d", first["ID Pelatihan"].value)


def _replace_smile(ws, text: str) -> None:
    body = ws.config_path.read_text(encoding="utf-8")
    start = body.index("\n[smile]")
    rest = re.search(r"^\[(?!smile)", body[start + 1:], re.M)
    end = start + 1 + rest.start() if rest else len(body)
    ws.config_path.write_text(body[:start] + "\n" + text + "\n" + body[end:], encoding="utf-8")


def test_smile_columns_follow_a_custom_mapping(ws, tmp_path, recap_store):
    recap_store.write()
    _replace_smile(ws, '[smile]\nsheet_name = "Impor SMILe"\ncolumns = [\n'
                       '  { header = "No. KTP", field = "nik" },\n'
                       '  { header = "Status", field = "status" },\n'
                       '  { header = "Tgl Mulai Kerja", field = "mulai" },\n'
                       '  { header = "Kejuruan Pelatihan", field = "kejuruan" },\n]\n')
    recap = recap_step(StepContext(ws, recap_store.AS_OF, tmp_path / "run", periode="2026-III"))
    sheet = openpyxl.load_workbook(tmp_path / "run" / "smile_2026-III.xlsx")["Impor SMILe"]
    assert [c.value for c in sheet[1]] == ["No. KTP", "Status", "Tgl Mulai Kerja",
                                           "Kejuruan Pelatihan"]
    rows = _rows(sheet)
    assert len(rows) == len(recap.in_scope)
    budi = next(r for r in rows if r["No. KTP"].value == recap_store.nik(1))
    assert budi["Status"].value == "Bekerja" and budi["Tgl Mulai Kerja"].is_date


def test_smile_unknown_field_is_a_config_error_before_anything_is_written(ws, tmp_path, recap_store):
    recap_store.write()
    _replace_smile(ws, '[smile]\nsheet_name = "SMILe"\ncolumns = [\n'
                       '  { header = "NIK", field = "nik" },\n'
                       '  { header = "Gaji", field = "gaji" },\n]\n')
    with pytest.raises(ConfigError, match="kolom SMILe ke-2 \\('Gaji'\\): field 'gaji' tidak dikenal"):
        recap_step(StepContext(ws, recap_store.AS_OF, tmp_path / "run", periode="2026-III"))
    assert not (tmp_path / "run").exists() or not list((tmp_path / "run").glob("*.xlsx"))


def test_smile_unknown_key_is_a_config_error(ws, tmp_path, recap_store):
    recap_store.write()
    _replace_smile(ws, '[smile]\nsheet_name = "SMILe"\ncolumns = [\n'
                       '  { header = "NIK", field = "nik", lebar = 20 },\n]\n')
    with pytest.raises(ConfigError, match="tidak dikenal"):
        recap_step(StepContext(ws, recap_store.AS_OF, tmp_path / "run", periode="2026-III"))
