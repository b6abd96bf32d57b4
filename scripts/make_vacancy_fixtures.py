"""(Re)generate the spreadsheet vacancy fixture tests/fixtures/lowongan/job_fair.xlsx.

Usage:
    python scripts/make_vacancy_fixtures.py

The CSV fixtures beside it are plain text, edited by hand; tests/fixtures/lowongan/README.md
describes every file. Every company is fictional.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "lowongan" / "job_fair.xlsx"
FROZEN = (2026, 1, 1, 0, 0, 0)  # zip entry time, so a regenerated file does not churn git

ROWS = [
    # company, position, kejuruan, location, education, openings, deadline, contact, received
    ("PT Sultra Mandiri Teknik", "Teknisi Listrik Industri", "Listrik dan Elektronika",
     "Morowali Utara", "SMK", 2, date(2026, 12, 10), "hrd@sultramandiri.example.id",
     date(2026, 11, 18)),
    ("Bengkel Maju Motor Kendari", "Mekanik Sepeda Motor", "Otomotif Sepeda Motor", "Kendari",
     "SMK", 2, date(2026, 12, 5), "0813-0456-7788", date(2026, 11, 19)),
]


def main() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Lowongan"
    sheet.append(["INFORMASI LOWONGAN KERJA — JOB FAIR KENDARI 2026"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(["Dihimpun oleh Pengantar Kerja BPVP Kendari"])
    sheet.append([])
    sheet.append(["No", "Nama Perusahaan", "Jabatan", "Kejuruan Terkait", "Lokasi Kerja",
                  "Pendidikan Minimal", "Jumlah Lowongan", "Batas Lamaran", "Narahubung",
                  "Tanggal Diterima"])
    for i, row in enumerate(ROWS, start=1):
        sheet.append([i, *row])
    for cell in sheet["H"][4:] + sheet["J"][4:]:
        cell.number_format = "DD/MM/YYYY"
    buf = io.BytesIO()
    book.save(buf)
    # Rewrite the zip with a fixed entry time: byte-for-byte reproducible.
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            info = zipfile.ZipInfo(item.filename, FROZEN)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)
    print(OUT)


if __name__ == "__main__":
    main()
