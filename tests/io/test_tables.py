"""Reading exports of any shape: header row search, aliases, encodings, bad files."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from kebekerjaan.core.config import load_settings
from kebekerjaan.core.errors import InputFileError
from kebekerjaan.io.tables import input_files, read_table
from kebekerjaan.steps.alumni import REQUIRED

ALIASES = load_settings(None).columns["alumni"]
HEADER = ["No", "NIK", "Nama Lengkap", "Kejuruan", "Program Pelatihan", "Angkatan",
          "Tgl Akhir Pelatihan", "No. Telp/WA"]
ROW = ["1", "7471014101990001", "Wa Ode Sitti", "TIK", "Operator Komputer", "1", "12/01/2025",
       "0812-3456-7890"]


def read(path):
    return read_table(path, ALIASES, REQUIRED)


def test_title_block_above_header_in_xlsx(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["DAFTAR PESERTA PELATIHAN"])
    sheet.append(["BPVP KENDARI"])
    sheet.append([])
    sheet.append(HEADER)
    sheet.append(ROW)
    sheet.append([])
    sheet.append(ROW[:1] + ["7471015203990002"] + ROW[2:])
    book.save(tmp_path / "a.xlsx")
    table = read(tmp_path / "a.xlsx")
    assert table.header_row == 4
    assert list(table.row_numbers) == [5, 7]  # the blank line is layout, not a row
    assert table.frame.loc[0, "nik"] == "7471014101990001"
    assert table.columns["phone"] == "No. Telp/WA"
    assert table.ignored_columns == ["No"]


@pytest.mark.parametrize("encoding,sep", [("utf-8-sig", ","), ("cp1252", ";"), ("utf-8", ";")])
def test_csv_encodings_and_separators(tmp_path, encoding, sep):
    lines = ["Daftar Peserta", "", sep.join(HEADER), sep.join(ROW[:2] + ["José Ré"] + ROW[3:])]
    path = tmp_path / "a.csv"
    path.write_bytes("\r\n".join(lines).encode(encoding))
    table = read(path)
    assert table.header_row == 3
    assert table.frame.loc[0, "name"] == "José Ré"
    assert list(table.row_numbers) == [4]


def test_headers_match_case_space_punctuation_insensitively(tmp_path):
    header = ["no. ktp", "NAMA  PESERTA", "kejuruan", "Program", "GELOMBANG", "Tanggal Selesai:"]
    path = tmp_path / "a.csv"
    path.write_text(",".join(header) + "\n" + ",".join(["1", "a", "b", "c", "d", "e"]) + "\n")
    table = read(path)
    assert set(table.columns) == {"nik", "name", "kejuruan", "program", "angkatan", "end_date"}


def test_missing_required_column_names_it(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("NIK,Nama,Kejuruan,Program,Angkatan\n1,a,b,c,d\n")
    with pytest.raises(InputFileError, match=r"'a.csv'.*kolom wajib tidak ditemukan: Tanggal Selesai"):
        read(path)


def test_empty_and_corrupt_files_are_clear_errors(tmp_path):
    (tmp_path / "e.csv").write_bytes(b"")
    with pytest.raises(InputFileError, match="kosong"):
        read(tmp_path / "e.csv")
    (tmp_path / "c.xlsx").write_bytes(b"PK\x03\x04 not really a zip" * 20)
    with pytest.raises(InputFileError, match="rusak"):
        read(tmp_path / "c.xlsx")
    (tmp_path / "p.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(InputFileError, match="kata sandi"):
        read(tmp_path / "p.xlsx")


def test_header_not_found(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("foo,bar\n1,2\n")
    with pytest.raises(InputFileError, match="baris judul kolom tidak ditemukan"):
        read(path)


def test_only_header_no_rows(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(",".join(HEADER) + "\n\n")
    with pytest.raises(InputFileError, match="tidak ada baris data"):
        read(path)


def test_input_files_skip_lock_and_other_files(tmp_path):
    for name in ["a.xlsx", "~$a.xlsx", ".hidden.csv", "notes.txt", "b.CSV", "c.xls"]:
        (tmp_path / name).write_bytes(b"x")
    assert sorted(p.name for p in input_files(tmp_path)) == ["a.xlsx", "b.CSV", "c.xls"]
