"""(Re)generate the small alumni-intake fixtures in tests/fixtures/alumni/.

Usage:
    python scripts/make_fixtures.py [--out DIR]

Needs only openpyxl. Two files need extra packages, which the project does not depend on:
`legacy.xls` (xlwt, or LibreOffice on PATH) and `password.xlsx` (msoffcrypto-tool). Run
the script with an interpreter that has them, e.g. a throwaway venv:

    python3 -m venv /tmp/xlwtenv
    /tmp/xlwtenv/bin/pip install openpyxl xlwt msoffcrypto-tool
    /tmp/xlwtenv/bin/python scripts/make_fixtures.py

Without them those two files are left as they are (the committed copies) and a note is
printed. Every person is synthetic; see tests/fixtures/alumni/README.md for what each file
holds and what an intake should make of it. Output is byte-for-byte deterministic except
password.xlsx (encryption uses a random salt).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

# The fixture rows below are data tables; keep them one person per line or two.
# fmt: off

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "tests" / "fixtures" / "alumni"
PASSWORD = "rahasia"

HEADERS = [
    "NIK", "Nama Lengkap", "Jenis Kelamin", "Tanggal Lahir", "Pendidikan Terakhir", "Alamat",
    "No. Telp/WA", "Email", "Kejuruan", "Program Pelatihan", "Angkatan", "Tanggal Mulai",
    "Tanggal Selesai", "Status Kelulusan",
]
FROZEN = (2026, 1, 1, 0, 0, 0)  # zip entry time, so regenerated xlsx files do not churn git


def nik(kec: str, born: date, sex: str, serial: int) -> str:
    """NIK = kecamatan code + DDMMYY (day + 40 for women) + 4-digit serial."""
    day = born.day + (40 if sex == "P" else 0)
    return f"{kec}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def dmy(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def excel_serial(d: date) -> int:
    return (d - date(1899, 12, 30)).days


# --- writers ---------------------------------------------------------------------------

def write_csv(path: Path, header: list[str], rows: list[list], *, sep: str = ",",
              encoding: str = "utf-8") -> None:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=sep, lineterminator="\r\n")  # Excel on Windows: CRLF
    w.writerow(header)
    w.writerows(["" if v is None else v for v in r] for r in rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def freeze_xlsx(path: Path) -> None:
    """Fix zip entry times and docProps timestamps so output is reproducible."""
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-01-01T00:00:00Z", data)
            info = zipfile.ZipInfo(name, FROZEN)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def save_xlsx(wb: Workbook, path: Path) -> None:
    wb.save(path)
    freeze_xlsx(path)


# --- fixture data ----------------------------------------------------------------------

def person(kec, serial, name, sex, born, edu, address, phone, email=None) -> dict:
    return {"nik": nik(kec, born, sex, serial), "name": name, "sex": sex, "born": born,
            "edu": edu, "address": address, "phone": phone, "email": email}


def row(p: dict, training: dict, *, sex_style: str = "LP") -> list:
    """A row in the standard SIAPkerja column order (HEADERS)."""
    sex = p["sex"] if sex_style == "LP" else {"L": "Laki-laki", "P": "Perempuan"}[p["sex"]]
    return [p["nik"], p["name"], sex, p["born"], p["edu"], p["address"], p["phone"],
            p["email"], training["kejuruan"], training["program"], training["angkatan"],
            training["start"], training["end"], "Lulus"]


def textify(values: list, fmt=dmy) -> list:
    return [fmt(v) if isinstance(v, date) else v for v in values]


def make_title_block(out: Path) -> None:
    tr = {"kejuruan": "TIK", "program": "Desainer Grafis Madya", "angkatan": 1,
          "start": date(2025, 3, 3), "end": date(2025, 4, 25)}
    people = [
        person("747104", 3, "Muhammad Ilham Saputra", "L", date(2001, 5, 14), "SMK",
               "Jl. Malaka No. 12, Kec. Poasia, Kota Kendari", "0812-0345-1101",
               "ilham.saputra@example.com"),
        person("747202", 11, "Wa Ode Nurhayati", "P", date(2003, 2, 9), "SMA",
               "Jl. Betoambari No. 8, Kota Bau Bau", "+62 852 0412 2202"),
        person("737101", 5, "ANDI BASO RAHMAN", "L", date(1999, 11, 30), "S1",
               "BTN Graha Permai Blok C No. 3, Kec. Baruga, Kota Kendari", "081300561303",
               "andibaso99@example.net"),
        person("747110", 2, "Nur'aini binti Usman", "P", date(2004, 8, 21), "SMK",
               "Jl. Orinunggu RT 004/RW 002, Kambu", "0853 0417 2204"),
        person("740316", 8, "La Ndoke", "L", date(2000, 1, 5), "SMA",
               "Dusun II, Kec. Katobu, Kab. Muna", "6282300411205"),
        person("740202", 21, "Sitti Rahmawati Tamburaka", "P", date(2002, 12, 1), "D3",
               "Jl. Poros No. 40, Kec. Unaaha, Kab. Konawe", "0822-0388-1206",
               "sitti.rahmawati@example.org"),
        person("740505", 7, "I Made Suardana", "L", date(1998, 6, 17), "SMK",
               "Jl. Pembangunan No. 2, Kec. Landono, Kab. Konawe Selatan", "081100451207"),
        person("747108", 14, "Fitri Handayani", "P", date(2005, 3, 28), "SMA",
               "Jl. Sao-Sao No. 77, Kec. Kadia, Kota Kendari", "0821 0399 1208",
               "fitrihandayani05@example.com"),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "Peserta"
    ws.append(["DAFTAR PESERTA PELATIHAN"])
    ws.append(["BPVP KENDARI"])
    ws.append(["Periode: 3 Maret 2025 s.d. 25 April 2025"])
    ws.append([])
    ws.append(["No", *HEADERS])  # "No" is an extra column an intake should ignore
    for r in (1, 2, 3):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(HEADERS) + 1)
        ws.cell(r, 1).font = Font(bold=True)
    for cell in ws[5]:
        cell.font = Font(bold=True)
    for i, p in enumerate(people, 1):
        values = row(p, tr, sex_style="long")
        if i == 4:
            values[0] = int(values[0])  # NIK typed into a General cell: a number
        ws.append([i, *values])
        cells = ws[ws.max_row]
        cells[1].number_format = "0" if i == 4 else "@"
        for j in (4, 12, 13):  # birth, start, end (after the extra "No" column)
            cells[j].number_format = "DD/MM/YYYY"
    save_xlsx(wb, out / "title_block.xlsx")


def make_semicolon_cp1252(out: Path) -> None:
    header = ["Nama Peserta", "NIK", "JK", "Tgl Lahir", "Pendidikan", "Alamat", "No HP/WA",
              "E-mail", "Kejuruan", "Nama Pelatihan", "Gelombang", "Tgl Mulai", "Tgl Selesai",
              "Keterangan Lulus"]
    start, end = "8 Sep 2025", "7 Nop 2025"
    people = [
        ("Nur\u2019aini Safitri", "747110", 31, "P", date(2002, 2, 3), "3 Peb 2002", "SMK",
         "Perumahan Griya Résidence Blok C No. 4, Kec. Kambu, Kota Kendari", "0812-0455-2101"),
        ("Wa Ode Sitti Aminah", "747206", 32, "P", date(2000, 8, 12), "12 Agt 2000", "SMA",
         "Jl. Sultan Hasanuddin No. 9, Kec. Murhum, Kota Bau Bau", "085204552102"),
        ("Hasnah binti Kasim", "740104", 33, "P", date(1999, 5, 21), "21/05/1999", "SMP",
         "Jl. Pattimura No. 17, Kec. Kolaka, Kab. Kolaka", "+62 813 0455 2103"),
        ("ROSMIATI", "747105", 34, "P", date(2003, 5, 1), "1 Mei 2003", "SMA",
         "Jl. Diponegoro RT 002/RW 001, Kendari Barat", "0823 0455 2104"),
        ("Andi Nurul Fadilah", "737103", 35, "P", date(1997, 12, 17), "17 Des 1997", "D3",
         "BTN Citra Blok A No. 21, Kec. Baruga, Kota Kendari", "6285304552105"),
        ("Muh. André Pratama", "747109", 36, "L", date(2001, 1, 9), "9 Jan 2001", "SMK",
         "Jl. Kijang No. 5, Kec. Puuwatu, Kota Kendari", "081204552106"),
    ]
    rows = []
    for name, kec, serial, sex, born, born_text, edu, addr, phone in people:
        rows.append([name, nik(kec, born, sex, serial), sex, born_text, edu, addr, phone, "",
                     "Menjahit", "Menjahit Pakaian Wanita", "Gel. 2", start, end, "Lulus"])
    write_csv(out / "semicolon_cp1252.csv", header, rows, sep=";", encoding="cp1252")


def make_comma_bom(out: Path) -> None:
    header = ["No. KTP", "NAMA PESERTA", "L/P", "Tgl Lahir", "Pendidikan", "Alamat Lengkap",
              "No HP", "E-mail", "Nama Kejuruan", "Nama Pelatihan", "Gelombang", "Tgl Mulai",
              "Tgl Akhir Pelatihan", "Kelulusan"]
    tr = ["Otomotif Sepeda Motor", "Teknisi Sepeda Motor Injeksi", "II"]
    start, end = "2025-06-02", "25-Jul-25"
    people = [
        ("747103", 41, "RAHMAT HIDAYAT", "L", date(2001, 4, 7), "2001-04-07", "SMK",
         "Jl. Sao-Sao No. 5, Kec. Kadia, Kota Kendari", "6281203451234",
         "rahmat.hidayat@example.com"),
        ("740501", 42, "LA ODE MUHAMMAD ARIF", "L", date(2004, 1, 12), "12-Jan-04", "SMA",
         "Dusun III, Kec. Tinanggea, Kab. Konawe Selatan", "81202221235", ""),
        ("747107", 43, "ARDIANSYAH BIN ABDULLAH", "L", date(1998, 9, 30), "1998-09-30", "SMP",
         'BTN "Griya Asri" Blok B No. 2, Kec. Wua-Wua, Kota Kendari', "0852-0333-1236", ""),
        ("740211", 44, "SUKRI LASANDARA", "L", date(2002, 3, 15), "15-Mar-02", "SMK",
         "Jl. Poros No. 88, Kec. Soropia, Kab. Konawe", "+62 822 0333 1237",
         "sukri02@example.net"),
        ("747201", 45, "MUHAMMAD YUSUF", "L", date(2000, 7, 25), "2000-07-25", "S1",
         "Jl. Betoambari No. 1, Kec. Betoambari, Kota Bau Bau", "0878 0333 1238", ""),
    ]
    rows = [[nik(kec, born, sex, serial), name, sex, born_text, edu, addr, phone, email, *tr,
             start, end, "Lulus"]
            for kec, serial, name, sex, born, born_text, edu, addr, phone, email in people]
    write_csv(out / "comma_bom.csv", header, rows, encoding="utf-8-sig")


def make_excel_dates(out: Path) -> None:
    # Two Las cohorts; dates are plain numbers (Excel serials, General format) or text.
    a_start, a_end = date(2023, 11, 27), date(2024, 1, 12)
    b_start, b_end = date(2025, 11, 3), date(2025, 12, 25)
    people = [
        ("747101", 51, "Asrul Kurniawan", "L", date(2001, 1, 1), "A", excel_serial(a_end)),
        ("747106", 52, "Hendra Setiawan", "L", date(1999, 10, 3), "A", "12-Jan-24"),
        ("740107", 53, "Jumadil Akbar", "L", date(2003, 6, 22), "A", "12-Jan-24"),
        ("747102", 54, "Sahrul Ramadhan", "L", date(2002, 2, 14), "B", excel_serial(b_end)),
        ("741303", 55, "La Ode Firman", "L", date(2000, 8, 8), "B", "25-Dec-25"),
        ("740904", 56, "Siti Aisyah", "P", date(2004, 4, 4), "B", "25-Dec-25"),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(HEADERS)
    for k, (kec, serial, name, sex, born, cohort, end) in enumerate(people, 1):
        start = excel_serial(a_start if cohort == "A" else b_start)
        angkatan = "Angkatan 1" if cohort == "A" else "Angkatan 3"
        ws.append([nik(kec, born, sex, serial), name, sex, excel_serial(born), "SMK",
                   "Jl. Kelapa No. 3, Kec. Mandonga, Kota Kendari", f"0812-0777-{1301 + k}",
                   None, "Welding", "Juru Las SMAW 3G", angkatan, start, end, "Lulus"])
        ws.cell(ws.max_row, 1).number_format = "@"
    save_xlsx(wb, out / "excel_dates.xlsx")


LEGACY_HEADER = ["NIK", "Nama", "JK", "Tgl Lahir", "Pendidikan", "Alamat", "No HP", "Email",
                 "Kejuruan", "Nama Program", "Angkatan", "Tgl Mulai", "Tgl Selesai", "Status"]


def legacy_rows() -> list[list]:
    tr = ["AC", "Teknisi AC Residential", 2, date(2025, 4, 14), date(2025, 5, 30), "Lulus"]
    people = [
        ("747104", 61, "Irwan Syahputra", "L", date(1997, 7, 7), "SMK",
         "Jl. Madusila No. 4, Kec. Poasia, Kota Kendari", "0812-0661-2001"),
        ("740605", 62, "La Bolu", "L", date(2001, 11, 11), "SMA",
         "Dusun I, Kec. Kabaena, Kab. Bombana", "085306612002"),
        ("747109", 63, "Taufik Maulana", "L", date(2003, 9, 2), "SMK",
         "Jl. Balai Kota No. 19, Kec. Puuwatu, Kota Kendari", "+62 821 0661 2003"),
        ("727101", 64, "Yusuf Rasyid", "L", date(1999, 3, 23), "D3",
         "Jl. Anggrek No. 6, Kec. Kadia, Kota Kendari", "0813 0661 2004"),
    ]
    return [[nik(kec, born, sex, serial), name, sex, born, edu, addr, phone, None, *tr]
            for kec, serial, name, sex, born, edu, addr, phone in people]


def make_legacy_xls(out: Path) -> str:
    target = out / "legacy.xls"
    try:
        import xlwt
    except ImportError:
        xlwt = None
    if xlwt is not None:
        wb = xlwt.Workbook(encoding="utf-8")
        ws = wb.add_sheet("Peserta")
        bold = xlwt.easyxf("font: bold on")
        text = xlwt.easyxf(num_format_str="@")
        dstyle = xlwt.easyxf(num_format_str="DD/MM/YYYY")
        ws.write(0, 0, "DAFTAR PESERTA PELATIHAN", bold)
        ws.write(1, 0, "BPVP KENDARI", bold)
        for j, h in enumerate(LEGACY_HEADER):  # row 3 blank, header on row 4
            ws.write(3, j, h, bold)
        for i, values in enumerate(legacy_rows(), start=4):
            for j, v in enumerate(values):
                if isinstance(v, date):
                    ws.write(i, j, v, dstyle)
                elif j == 0:
                    ws.write(i, j, v, text)
                elif v is not None:
                    ws.write(i, j, v)
        wb.save(str(target))
        return "legacy.xls written with xlwt"
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office:
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "legacy.xlsx"
            wb = Workbook()
            ws = wb.active
            ws.append(["DAFTAR PESERTA PELATIHAN"])
            ws.append(["BPVP KENDARI"])
            ws.append([])
            ws.append(LEGACY_HEADER)
            for values in legacy_rows():
                ws.append(values)
                ws.cell(ws.max_row, 1).number_format = "@"
                for j in (4, 12, 13):
                    ws.cell(ws.max_row, j).number_format = "DD/MM/YYYY"
            wb.save(src)
            subprocess.run([office, "--headless", "--convert-to", "xls", "--outdir", tmp,
                            str(src)], check=True, capture_output=True)
            shutil.copyfile(Path(tmp) / "legacy.xls", target)
        return "legacy.xls written with LibreOffice"
    return "legacy.xls NOT regenerated: needs xlwt or LibreOffice (kept existing file)"


def make_rejects(out: Path) -> None:
    tr = ["Listrik", "Instalasi Penerangan Listrik", "1", "03/03/2025", "25/04/2025"]

    def r(kec, serial, name, sex, born, phone, **over):
        values = [nik(kec, born, sex, serial), name, sex, dmy(born), "SMK",
                  "Jl. Rambutan No. 10, Kec. Baruga, Kota Kendari", phone, None, *tr, "Lulus"]
        for key, v in over.items():
            values[HEADERS.index(key)] = v
        return values

    sci = f"{float(nik('747103', date(2001, 3, 3), 'L', 72)):.5E}"  # as Excel shows it
    rows = [
        r("747103", 71, "Arman Saleh", "L", date(2000, 2, 2), "0812-0771-0002"),  # 2 good
        r("747103", 72, "Firman Hamzah", "L", date(2001, 3, 3), "0812-0771-0003",
          NIK=sci),  # 3
        r("747104", 73, "Agus Jafar", "L", date(1998, 4, 4), "0812-0771-0004",
          NIK=nik("747104", date(1998, 4, 4), "L", 73)[:15]),  # 4
        r("747105", 74, "Ridwan Idris", "L", date(1999, 5, 5), "0812-0771-0005",
          NIK="99" + nik("747105", date(1999, 5, 5), "L", 74)[2:]),  # 5
        r("747106", 75, "", "L", date(2002, 6, 6), "0812-0771-0006"),  # 6
        r("747107", 76, "Kadir Anwar", "L", date(2003, 7, 7), "0812-0771-0007",
          Kejuruan="Perhiasan Emas"),  # 7
        r("747108", 77, "Haerul Ilyas", "L", date(1997, 8, 8), "0812-0771-0008",
          **{"Program Pelatihan": ""}),  # 8
        r("747109", 78, "Muliadi Tamrin", "L", date(2000, 9, 9), "0812-0771-0009",
          Angkatan=""),  # 9
        r("747110", 79, "Darmin Haris", "L", date(2001, 10, 10), "0812-0771-0010",
          **{"Tanggal Selesai": ""}),  # 10
        r("747101", 80, "Nasrun Rahman", "L", date(2002, 11, 11), "0812-0771-0011",
          **{"Tanggal Selesai": "31/02/2025"}),  # 11
        r("747102", 81, "Sri Wahyuni", "P", date(2004, 12, 12), "0812-0771-0012"),  # 12 good
    ]
    write_csv(out / "rejects.csv", HEADERS, rows)


def make_flags(out: Path) -> None:
    tr = ["Konstruksi", "Tukang Batu", "Angkatan 2", "05/05/2025", "13/06/2025"]

    def r(serial, name, born, phone, sex_shown="L", born_shown=None):
        return [nik("747108", born, "L", serial), name, sex_shown, born_shown or dmy(born),
                "SMP", "Jl. Abunawas No. 21, Kec. Kadia, Kota Kendari", phone, None, *tr,
                "Lulus"]

    rows = [
        r(91, "Safaruddin", date(1996, 1, 20), ""),  # 2 no phone
        r(92, "Jusman Ilyas", date(1997, 2, 21), "12345"),  # 3 invalid phone
        r(93, "Hamka Idris", date(1998, 3, 22), "0401-3021456"),  # 4 landline
        r(94, "Rusdin Saleh", date(1999, 4, 23), "0812-0991-0005", sex_shown="P"),  # 5
        r(95, "Samsudin Anwar", date(1999, 5, 12), "0812-0991-0006",
          born_shown="12/05/1998"),  # 6 NIK says 12/05/1999
        r(96, "Amiruddin Jafar", date(2000, 6, 25), "0812-0991-0007",
          born_shown="30/02/2001"),  # 7 impossible birth date
        r(97, "Slamet Nugroho", date(2001, 7, 26), "0812-0991-0008"),  # 8 clean
    ]
    write_csv(out / "flags.csv", HEADERS, rows)


def make_duplicates(out: Path) -> None:
    tr = {"kejuruan": "Barista", "program": "Barista", "angkatan": "1",
          "start": date(2025, 7, 7), "end": date(2025, 8, 8)}
    a = person("747101", 101, "Putri Lestari", "P", date(2003, 3, 13), "SMA",
               "Jl. Mekar No. 1, Kec. Mandonga, Kota Kendari", "0812-0101-0001")
    b = person("747102", 102, "Alfian Maulana", "L", date(2002, 4, 14), "SMK",
               "Jl. Kelapa No. 2, Kec. Kendari, Kota Kendari", "0812-0101-0002")
    c = person("747103", 103, "Indah Puspita", "P", date(2001, 5, 15), "D3",
               "Jl. Anggrek No. 3, Kec. Baruga, Kota Kendari", "0812-0101-0003")
    rows = [textify(row(p, tr)) for p in (a, b, c, a, c)]  # rows 5 and 6 copy rows 2 and 4
    write_csv(out / "duplicates.csv", HEADERS, rows)


def make_updates(out: Path) -> None:
    tr = {"kejuruan": "Tata Rias", "program": "Tata Rias Pengantin", "angkatan": "1",
          "start": date(2025, 9, 1), "end": date(2025, 10, 10)}
    people = [
        person("747104", 111, "Wa Ode Hasmiati", "P", date(2000, 1, 11), "SMA",
               "Jl. Malaka No. 11, Kec. Poasia, Kota Kendari", "0812-0111-0001"),
        person("747105", 112, "Musdalifah", "P", date(2001, 2, 12), "SMK",
               "Jl. Saranani No. 12, Kec. Kendari Barat, Kota Kendari", "0852-0111-0002"),
        person("747106", 113, "Nurjannah binti Ismail", "P", date(2002, 3, 13), "SMA",
               "Jl. Lumba-Lumba No. 13, Kec. Abeli, Kota Kendari", "0813-0111-0003"),
        person("747107", 114, "Hikmah Ramadhani", "P", date(2003, 4, 14), "D3",
               "Jl. Kijang No. 14, Kec. Wua-Wua, Kota Kendari", "0822-0111-0004"),
        person("747108", 115, "Andi Sartika", "P", date(2004, 5, 15), "SMK",
               "Jl. Sao-Sao No. 15, Kec. Kadia, Kota Kendari", "0853-0111-0005"),
    ]
    v1 = [textify(row(p, tr)) for p in people]
    write_csv(out / "update_v1.csv", HEADERS, v1)
    v2 = [list(r) for r in v1]
    phone = HEADERS.index("No. Telp/WA")
    v2[1][phone] = "0852-0111-9002"  # row 3: corrected phone
    v2[3][phone] = "0822-0111-9004"  # row 5: corrected phone
    new = person("747109", 116, "Ayu Azzahra", "P", date(2005, 6, 16), "SMA",
                 "Jl. Haluoleo No. 16, Kec. Puuwatu, Kota Kendari", "0821-0111-0006")
    v2.append(textify(row(new, tr)))  # row 7: new alumna
    write_csv(out / "update_v2.csv", HEADERS, v2)


def make_missing_column(out: Path) -> None:
    end_at = HEADERS.index("Tanggal Selesai")
    tr = {"kejuruan": "Bisman", "program": "Administrasi Perkantoran", "angkatan": "1",
          "start": date(2025, 2, 3), "end": None}
    people = [
        person("747110", 121, "Ummi Kartika", "P", date(2002, 7, 1), "SMA",
               "Jl. Budi Utomo No. 1, Kec. Kambu, Kota Kendari", "0812-0121-0001"),
        person("747110", 122, "Irma Safitri", "P", date(2003, 8, 2), "SMK",
               "Jl. Budi Utomo No. 2, Kec. Kambu, Kota Kendari", "0812-0121-0002"),
        person("747110", 123, "Arif Setiawan", "L", date(2001, 9, 3), "S1",
               "Jl. Budi Utomo No. 3, Kec. Kambu, Kota Kendari", "0812-0121-0003"),
    ]
    rows = [textify(row(p, tr)) for p in people]
    for values in rows:
        del values[end_at]
    write_csv(out / "missing_column.csv", HEADERS[:end_at] + HEADERS[end_at + 1:], rows)


def make_broken(out: Path) -> None:
    (out / "empty.csv").write_bytes(b"")
    (out / "corrupt.xlsx").write_bytes(random.Random(2026).randbytes(2048))


def make_password(out: Path) -> str:
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        return "password.xlsx NOT regenerated: needs msoffcrypto-tool (kept existing file)"
    tr = {"kejuruan": "Elektronika", "program": "Teknisi Telepon Seluler", "angkatan": 1,
          "start": date(2025, 5, 5), "end": date(2025, 6, 13)}
    p = person("747101", 131, "Ilham Pratama", "L", date(2002, 2, 2), "SMK",
               "Jl. Pattimura No. 31, Kec. Mandonga, Kota Kendari", "0812-0131-0001")
    wb = Workbook()
    wb.active.append(HEADERS)
    wb.active.append(row(p, tr))
    plain = io.BytesIO()
    wb.save(plain)
    plain.seek(0)
    with open(out / "password.xlsx", "wb") as f:
        OOXMLFile(plain).encrypt(PASSWORD, f)
    return f"password.xlsx encrypted with password {PASSWORD!r}"

# fmt: on


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    make_title_block(out)
    make_semicolon_cp1252(out)
    make_comma_bom(out)
    make_excel_dates(out)
    make_rejects(out)
    make_flags(out)
    make_duplicates(out)
    make_updates(out)
    make_missing_column(out)
    make_broken(out)
    for note in (make_legacy_xls(out), make_password(out)):
        print(note)
    print(f"fixtures in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
