"""(Re)generate the survey-answer fixtures: tests/fixtures/wa/ and tests/fixtures/respons/.

Usage:
    python scripts/make_answer_fixtures.py

The chat exports carry invisible characters (U+200E direction marks, U+202F narrow
no-break spaces, CRLF) that are hard to type by hand, so they are written from here.
Every person is synthetic; the READMEs in both folders say what each file holds and
what a reader should make of it. Output is byte-for-byte deterministic except
sheet_dates.xlsx (openpyxl stamps its zip entries with the current time).
"""

# Chat lines are kept whole, as WhatsApp writes them.
# ruff: noqa: E501
from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
WA = ROOT / "tests" / "fixtures" / "wa"
RESPONS = ROOT / "tests" / "fixtures" / "respons"
LRM, NNBSP = "\u200e", "\u202f"
ZIP_TIME = (2026, 1, 1, 0, 0, 0)

# --- WhatsApp ----------------------------------------------------------------------------
# Android, Indonesian, 24 h with ".", two-digit year, day-first (13/01 decides).
ANDROID_ID_24H = f"""\
12/01/24 08.00 - Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya.
12/01/24 08.00 - Admin BPVP membuat grup "Alumni TIK 2023"
12/01/24 08.01 - Admin BPVP menambahkan +62 812-3456-7801
12/01/24 08.02 - +62 813-1111-2222 bergabung menggunakan tautan undangan grup ini
12/01/24 08.05 - Admin BPVP: Selamat pagi rekan alumni. Mohon kabarnya:
sudah bekerja, wirausaha, atau masih mencari?
Terima kasih 🙏
13/01/24 09.15 - +62 812-3456-7801: Alhamdulillah sudah kerja di PT Maju Jaya bagian admin
13/01/24 09.16 - +62 813-1111-2222: belum kerja kak, masih cari
13/01/24 09.20 - Wa Ode Sitti: <Media tidak disertakan>
13/01/24 09.21 - Wa Ode Sitti: buka usaha jahitan di rumah {LRM}<Pesan ini diedit>
13/01/24 10.00 - Admin BPVP: SURVEI:
Status kerja sekarang?
OPSI: Bekerja (2 suara)
OPSI: Mencari (1 suara)
13/01/24 10.30 - Rudi: Pesan ini telah dihapus
13/01/24 11.00 - Rudi keluar
14/01/24 07.45 - Admin BPVP mengubah subjek dari "Alumni TIK" ke "Alumni TIK 2023"
14/01/24 07.46 - Admin BPVP mengubah ikon grup ini
14/01/24 07.47 - Admin BPVP mengubah deskripsi grup
14/01/24 07.48 - Kode keamanan Anda dengan Wa Ode Sitti telah berubah. Ketuk untuk info selengkapnya.
14/01/24 07.50 - Admin BPVP mengeluarkan +62 852-0000-1111
"""

# Android, English (US), 12 h with a narrow no-break space before AM/PM, CRLF,
# month-first (12/31 decides).
ANDROID_EN_12H = (
    f"12/30/23, 8:00{NNBSP}AM - Messages and calls are end-to-end encrypted. No one outside of this chat, "
    "not even WhatsApp, can read or listen to them. Tap to learn more.\n"
    f"12/30/23, 8:01{NNBSP}AM - Admin BPVP created group \"Alumni Otomotif\"\n"
    f"12/30/23, 8:02{NNBSP}AM - Admin BPVP added Budi Santoso\n"
    f"12/31/23, 9:15{NNBSP}PM - Budi Santoso: Alhamdulillah diterima di PT Astra Motor Kendari\n"
    f"12/31/23, 9:16{NNBSP}PM - +62 821-4444-5555: masih mencari kerja pak\n"
    "sudah melamar ke 3 bengkel\n"
    f"12/31/23, 12:05{NNBSP}AM - Budi Santoso: <Media omitted>\n"
    f"1/1/24, 12:30{NNBSP}PM - Sari: This message was deleted\n"
    f"1/1/24, 1:00{NNBSP}PM - Admin BPVP: POLL:\n"
    "Working yet?\n"
    "OPTION: Yes (1 vote)\n"
    "OPTION: No (2 votes)\n"
    f"1/1/24, 1:05{NNBSP}PM - Sari left\n"
    f"1/1/24, 1:06{NNBSP}PM - Admin BPVP removed +62 852-0000-1111\n"
    f"1/1/24, 1:07{NNBSP}PM - Admin BPVP changed the subject from \"Alumni\" to \"Alumni Otomotif\"\n"
    f"1/1/24, 1:08{NNBSP}PM - Your security code with Sari changed. Tap to learn more.\n"
).replace("\n", "\r\n")

# iOS, Indonesian, [dd/mm/yy hh.mm.ss], direction marks, the group as the sender of
# system lines, day-first (25/02 decides).
IOS_ID_BRACKETS = f"""\
{LRM}[20/02/24 10.00.00] Alumni Las 2023: {LRM}Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya.
{LRM}[20/02/24 10.00.05] Alumni Las 2023: {LRM}Admin BPVP membuat grup "Alumni Las 2023"
{LRM}[20/02/24 10.01.00] Alumni Las 2023: {LRM}Admin BPVP menambahkan Andi
[25/02/24 19.30.12] Andi: Skrg sy kerja di CV. Sinar Las, Kendari
Alhamdulillah 🙏
[25/02/24 19.31.40] {LRM}+62 811-2222-3333: lanjut kuliah di UHO pak
{LRM}[25/02/24 19.32.00] Andi: {LRM}gambar tidak disertakan
{LRM}[25/02/24 19.32.30] Andi: {LRM}stiker tidak disertakan
[25/02/24 19.33.00] Andi: terima kasih infonya pak
{LRM}[26/02/24 08.00.00] Alumni Las 2023: {LRM}Andi mengubah subjek menjadi "Alumni Las"
"""

# iOS, English, [m/d/yy, h:mm:ss AM]; every date reads both ways and all are on one day,
# so the English AM/PM export (US setting) decides month-first.
IOS_EN_AMPM = f"""\
{LRM}[1/5/24, 9:00:00{NNBSP}AM] Alumni Listrik: {LRM}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.
{LRM}[1/5/24, 9:00:10{NNBSP}AM] Alumni Listrik: {LRM}Admin BPVP added Dewi
[1/5/24, 9:15:32{NNBSP}AM] Dewi: now working at PLN? no, still looking 😅
[1/5/24, 9:16:00{NNBSP}AM] Dewi: sudah kerja di PT PLN (Persero) ULP Kendari
{LRM}[1/5/24, 9:17:00{NNBSP}AM] Dewi: {LRM}image omitted
{LRM}[1/5/24, 12:01:00{NNBSP}PM] Dewi: {LRM}This message was deleted.
{LRM}[1/5/24, 12:02:00{NNBSP}PM] Alumni Listrik: {LRM}Dewi left
"""

# Android en_IN/AU style: 4-digit year, "a.m."/"p.m.", day-first (31/01 decides).
ANDROID_EN_AMPM_DOTS = """\
31/01/2024, 9:05 a.m. - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.
31/01/2024, 9:06 a.m. - Joko: jualan online baju di rumah
31/01/2024, 12:00 p.m. - Joko: <Media omitted>
01/02/2024, 1:15 p.m. - Joko: makasih pak
"""

# Month-first without any day > 12: only the chronology decides (1/2, 1/5, 2/1 ...).
MONTH_FIRST = """\
1/2/24, 08:00 - Admin BPVP: Selamat tahun baru alumni
1/5/24, 08:00 - Ani: sudah kerja di Hotel Claro Kendari
1/9/24, 08:00 - Beni: belum kerja
2/1/24, 08:00 - Ani: terima kasih
2/3/24, 08:00 - Beni: Alhamdulillah diterima di PT Vale Indonesia
"""

# Android, Indonesian, four-digit year, ":" in times, day-first (all dates ambiguous and
# on one day; the Indonesian wording decides).
ANDROID_ID_4DIGIT_COLON = """\
05/03/2024 10:00 - Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya.
05/03/2024 10:01 - Citra: usaha sendiri pak, salon kecantikan
05/03/2024 10:02 - Citra: <Media tidak disertakan>
"""

# A zip from iOS with _chat.txt and a photo next to it.
IOS_ZIP_CHAT = IOS_ID_BRACKETS

WA_FILES = {
    "android_id_24h.txt": ANDROID_ID_24H,
    "android_en_12h.txt": ANDROID_EN_12H,
    "ios_id_brackets.txt": IOS_ID_BRACKETS,
    "ios_en_ampm.txt": IOS_EN_AMPM,
    "android_en_ampm_dots.txt": ANDROID_EN_AMPM_DOTS,
    "month_first.txt": MONTH_FIRST,
    "android_id_4digit_colon.txt": ANDROID_ID_4DIGIT_COLON,
}


# --- Real export shapes (issue 9): one file per case ----------------------------------
# iOS: alumni whose text reads like a notice ("Abis keluar"); the real notices carry
# U+200E before the bracket and before the text, with the chat's name as sender.
IOS_NOTICE_LOOKALIKES = f"""\
{LRM}[02/03/25 08.00.00] Alumni Otomotif 2024: {LRM}Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya.
{LRM}[02/03/25 08.00.05] Alumni Otomotif 2024: {LRM}Abis keluar
[02/03/25 09.10.00] Rahmat: Abis keluar
[02/03/25 09.11.00] Nurul: baru bergabung
[02/03/25 09.12.00] Ilham: saya sekarang menjadi admin
[02/03/25 09.13.00] Ilham: di toko bangunan Sinar Jaya
{LRM}[02/03/25 09.14.00] Alumni Otomotif 2024: {LRM}Nurul bergabung menggunakan tautan undangan grup ini
{LRM}[02/03/25 09.15.00] Alumni Otomotif 2024: {LRM}Admin BPVP mengubah setelan pesan sementara
{LRM}[02/03/25 09.16.00] Rahmat: {LRM}gambar tidak disertakan
[14/03/25 10.00.00] Rahmat: Andi keluar dari PT lama, sekarang kerja di bengkel
[14/03/25 10.05.00] Alumni Otomotif 2024: Rahmat keluar
"""

# iOS in Indonesian on a phone set to a US region: dotted 24 h clock, month-first dates,
# every date reads both ways and both readings run forward (all on one day).
IOS_ID_US_REGION = f"""\
{LRM}[1/10/25 21.40.00] Alumni TIK 2024: {LRM}Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya.
[1/10/25 21.41.35] Sulfiani: sudah kerja di Indomaret Poasia
[1/10/25 21.42.10] Asrul: masih cari kerja pak
"""

# Year first with one-digit month and day.
YEAR_FIRST_SHORT = """\
[2026/7/9 23:39:03] Fitri: alhamdulillah sudah kerja di Alfamart Wua-Wua
[2026/7/10 06:05:00] Jumardin: blm ada kerjaan pak
[2026/10/1 8:00:00] Fitri: makasih infonya
"""

# Android en_AU/IN: "p.m." then two spaces before the dash.
TWO_SPACES_DASH = """\
10/12/2025, 10:36 p.m.  - R: masih nganggur kak
10/12/2025, 10:40 p.m.  - Hasrul: usaha las di rumah pak
"""

# "Name:text" with no space after the colon.
TIGHT_SENDER = """\
15/01/25 08.00 - Ani:sudah kerja di PT Maju Jaya
15/01/25 08.01 - +62 812-3456-7801:lanjut kuliah di USN Kolaka
15/01/25 08.02 - Beni: https://lowongan.example.com/123
"""

# Old iOS shape: no brackets, the time followed by a colon.
IOS_OLD_COLON = """\
13/06/15 17:56:34: Irma: sudah kerja di hotel pak
13/06/15 17:58:02: Yusran: belum kerja
lagi cari
"""

# Exported "with media": attachments by file name; deleted by oneself; messages that
# had not arrived when the chat was exported.
WITH_MEDIA = """\
15/01/25 10.00 - Ani: IMG-20250115-WA0002.jpg (file terlampir)
15/01/25 10.01 - Ani: PTT-20250115-WA0003.opus (file terlampir)
15/01/25 10.02 - Beni: Beni Saputra.vcf (file terlampir)
15/01/25 10.03 - Beni: STK-20250115-WA0004.webp (file terlampir)
15/01/25 10.04 - Cici: CV Cici Lestari.pdf (file terlampir)
15/01/25 10.05 - Dedi: IMG-20250115-WA0005.jpg (file attached)
15/01/25 10.06 - Dedi: Anda telah menghapus pesan ini
15/01/25 10.07 - Eka: Menunggu pesan ini
15/01/25 10.08 - Eka: Waiting for this message
15/01/25 10.09 - Eka: sudah kerja di CV Anoa Teknik
"""

NO_MESSAGES = """\
Ini catatan rapat alumni, bukan ekspor obrolan.
Daftar hadir menyusul.
"""

UTF16_TEXT = """\
15/01/25 08.00 - Wa Ode Sitti: buka usaha jahitan di Baubau 🙏
15/01/25 08.05 - Ridwan: sdh kerja di PT Antam Pomalaa, terima kasih BPVP 😊
"""

# One invalid byte (0xFF) inside the second message; the emoji around it stay right.
INVALID_BYTE = ("15/01/25 08.00 - Ani: sudah kerja 😊\n".encode()
                + b"15/01/25 08.01 - Beni: buka warung kopi" + b" \xff "
                + "di Unaaha ☕\n".encode()
                + "15/01/25 08.02 - Cici: lanjut kuliah di UHO 📚\n".encode())

FORMAT_FILES = {
    "ios_notice_lookalikes.txt": IOS_NOTICE_LOOKALIKES.encode("utf-8"),
    "ios_id_us_region.txt": IOS_ID_US_REGION.encode("utf-8"),
    "year_first_short.txt": YEAR_FIRST_SHORT.encode("utf-8"),
    "two_spaces_dash.txt": TWO_SPACES_DASH.encode("utf-8"),
    "tight_sender.txt": TIGHT_SENDER.encode("utf-8"),
    "ios_old_colon.txt": IOS_OLD_COLON.encode("utf-8"),
    "with_media.txt": WITH_MEDIA.encode("utf-8"),
    "no_messages.txt": NO_MESSAGES.encode("utf-8"),
    "utf16.txt": UTF16_TEXT.encode("utf-16"),  # with its byte-order mark
    "utf16_no_bom.txt": UTF16_TEXT.encode("utf-16-le"),
    "invalid_byte.txt": INVALID_BYTE,
}


def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)


def write_wa() -> None:
    WA.mkdir(parents=True, exist_ok=True)
    for name, text in WA_FILES.items():
        (WA / name).write_bytes(text.encode("utf-8"))
    for name, data in FORMAT_FILES.items():
        (WA / name).write_bytes(data)
    _zip(WA / "ios_export.zip", {
        "_chat.txt": IOS_ZIP_CHAT.encode("utf-8"),
        "00000012-PHOTO-2024-02-25-19-32-00.jpg": b"\xff\xd8\xff\xe0 not a real photo",
    })
    _zip(WA / "WhatsApp Chat with Alumni TIK 2023.zip", {
        "WhatsApp Chat with Alumni TIK 2023.txt": ANDROID_ID_24H.encode("utf-8"),
    })


# --- Google Forms ------------------------------------------------------------------------
QUESTIONS = [
    "NIK", "Nama lengkap", "Nomor WhatsApp yang aktif",
    "Kejuruan pelatihan yang Anda ikuti di BPVP Kendari", "Angkatan/gelombang pelatihan",
    "Apa status Anda saat ini?",
    "Nama perusahaan/instansi tempat Anda bekerja atau nama usaha Anda",
    "Jabatan atau posisi Anda",
    "Apa jenis perusahaan/instansi tempat Anda bekerja?",
    "Bidang usaha tempat Anda bekerja atau usaha Anda",
    "Di kabupaten/kota mana Anda bekerja atau menjalankan usaha?",
    "Sejak kapan Anda mulai bekerja atau menjalankan usaha ini?",
    "Berapa rata-rata penghasilan Anda per bulan?",
    "Seberapa erat hubungan pelatihan yang Anda ikuti dengan pekerjaan atau usaha Anda?",
    "Bagaimana Anda mendapatkan pekerjaan ini? (boleh lebih dari satu)",
    "Saya bersedia data ini digunakan BPVP Kendari untuk survei kebekerjaan dan laporan "
    "kepada Kementerian Ketenagakerjaan",
]
CONSENT = "Ya, saya bersedia"
# One response per line; `when` is the real moment (local time, WITA), `start` the
# start date; checkbox answers as a list, joined per file format.
# fmt: off
RESPONSES = [
    # 1: bekerja, complete
    dict(when=datetime(2026, 11, 27, 20, 15, 3), email="budi@example.com",
         cells=["7471011201990001", "BUDI SANTOSO", "0812-3456-7801", "TIK", "1", "Bekerja", "PT Maju Jaya",
                "Operator Komputer", "Perusahaan swasta", "Informasi dan komunikasi", "Kota Kendari",
                None, "Lebih dari Rp2,5 juta sampai Rp4 juta", "Erat",
                ["Informasi lowongan dari BPVP", "Teman atau keluarga"], CONSENT],
         start=date(2026, 9, 1)),
    # 2: wirausaha without NIK
    dict(when=datetime(2026, 11, 28, 7, 5, 0), email="",
         cells=["", "wa ode sitti", "+62 813 1111 2222", "Garmen", "II", "Wirausaha", "Jahitan Sitti", "",
                "Wiraswasta/usaha sendiri", "Jasa lainnya (salon/penjahit/laundry dll.)", "Kendari", None,
                "Rp1 juta sampai Rp2,5 juta", "Sangat erat", [], CONSENT],
         start=date(2026, 10, 15)),
    # 3: mencari, NIK and name only
    dict(when=datetime(2026, 11, 29, 13, 45, 10), email="",
         cells=["7471015203990002", "Rina Marlina", "", "", "", "Belum bekerja dan sedang mencari kerja",
                "", "", "", "", "", None, "", "", [], CONSENT], start=None),
    # 4: bekerja, "Yang lain" answers (one with a comma), position missing -> problem
    dict(when=datetime(2026, 11, 30, 9, 0, 0), email="",
         cells=["", "Andi", "081299990000", "Las", "1", "Bekerja", "Koperasi Tani Makmur", "",
                "Koperasi", "Pertanian/perkebunan/perikanan", "Konawe", None, "Kurang dari Rp1 juta",
                "Cukup erat", ["Media sosial", "Dari grup WA, alumni"], CONSENT],
         start=date(2026, 11, 1)),
    # 5: reject - no identity at all
    dict(when=datetime(2026, 12, 1, 10, 0, 0), email="",
         cells=["", "", "", "", "", "Bekerja", "PT Tanpa Nama", "", "", "", "", None, "", "", [], CONSENT],
         start=None),
    # 6: reject - unreadable timestamp
    dict(when="kemarin sore", email="",
         cells=["", "Dedi", "081377778888", "", "", "Melanjutkan pendidikan", "", "", "", "", "", None, "",
                "", [], CONSENT], start=None),
    # 7: reject - unknown status
    dict(when=datetime(2026, 12, 2, 16, 30, 0), email="",
         cells=["", "Eka", "081355556666", "", "", "Freelance", "", "", "", "", "", None, "", "", [],
                CONSENT], start=None),
    # 8: reject - empty status
    dict(when=datetime(2026, 12, 3, 8, 0, 0), email="",
         cells=["", "Fajar", "081366667777", "", "", "", "", "", "", "", "", None, "", "", [], CONSENT],
         start=None),
]
# fmt: on

# The same questions worded the way staff write them (shortened, words reordered, other
# punctuation, extra spaces, "(wajib)"), as in form_reworded.csv.
REWORDED = [
    "NIK (wajib)", "Nama Lengkap Alumni", "No. WhatsApp aktif", "Kejuruan yang diikuti",
    "Gelombang / angkatan pelatihan", "Status pekerjaan saat ini", "Nama perusahaan / usaha",
    "Jabatan / Posisi (wajib)", "Jenis perusahaan atau instansi tempat bekerja",
    "Bidang usaha tempat kerja", "Kabupaten / kota tempat bekerja atau usaha",
    "Sejak kapan mulai bekerja/usaha?", "Rata-rata   penghasilan per bulan",
    "Hubungan pelatihan dengan pekerjaan", "Cara mendapat pekerjaan (boleh lebih dari satu)",
    "Persetujuan penggunaan data (wajib)",
]


def _form_stamp(when: datetime) -> str:
    # The form's own download: year first, 12 h, with the zone (this form is set to GMT+7,
    # Jakarta; the reader converts to WITA).
    shifted = when - timedelta(hours=1)
    h12 = shifted.hour % 12 or 12
    ampm = "AM" if shifted.hour < 12 else "PM"
    return f"{shifted:%Y/%m/%d} {h12}:{shifted:%M:%S} {ampm} GMT+7"


def _rows(stamp, start, multi_sep: str, with_email: bool):
    for r in RESPONSES:
        cells = list(r["cells"])
        cells[11] = start(r["start"]) if r["start"] else ""
        cells[14] = multi_sep.join(cells[14])
        when = r["when"] if isinstance(r["when"], str) else stamp(r["when"])
        yield [when] + ([r["email"]] if with_email else []) + ["" if c is None else c for c in cells]


def _csv(path: Path, header: list[str], rows) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8"))


def write_respons() -> None:
    RESPONS.mkdir(parents=True, exist_ok=True)
    _csv(RESPONS / "form_download.csv", ["Timestamp", "Email Address"] + QUESTIONS,
         _rows(_form_stamp, lambda d: d.isoformat(), ";", True))
    # Reworded headers, plus a column without a header and a "Catatan" column holding data
    # (both must be listed as not used) and an empty column without a header (ignored).
    _csv(RESPONS / "form_reworded.csv",
         ["Timestamp", "Email Address"] + REWORDED + ["", "Catatan", ""],
         (row + [f"dicek {i}" if i % 2 == 0 else "", "telepon ulang" if i == 1 else "", ""]
          for i, row in enumerate(_rows(_form_stamp, lambda d: d.isoformat(), ";", True))))
    _csv(RESPONS / "sheet_us.csv", ["Timestamp", "Email Address"] + QUESTIONS,
         _rows(lambda w: f"{w.month}/{w.day}/{w.year} {w:%H:%M:%S}",
               lambda d: f"{d.month}/{d.day}/{d.year}", ", ", True))
    _csv(RESPONS / "sheet_id.csv", ["Cap waktu", "Alamat email"] + QUESTIONS,
         _rows(lambda w: f"{w:%d/%m/%Y %H.%M.%S}", lambda d: f"{d:%d/%m/%Y}", ", ", True))
    book = Workbook()
    sheet = book.active
    sheet.title = "Respons Formulir 1"
    sheet.append(["Stempel waktu"] + QUESTIONS)
    for row in _rows(lambda w: w, lambda d: d, ", ", False):
        sheet.append([None if c == "" else c for c in row])
    for cell in sheet["A"][1:]:
        if isinstance(cell.value, datetime):
            cell.number_format = "dd/mm/yyyy hh:mm:ss"
    for cell in sheet["M"][1:]:
        if isinstance(cell.value, (date, datetime)):
            cell.number_format = "dd/mm/yyyy"
    book.properties.created = datetime(2026, 1, 1)
    book.properties.modified = datetime(2026, 1, 1)
    book.save(RESPONS / "sheet_dates.xlsx")


def main() -> None:
    import sys

    write_wa()
    if "--wa" not in sys.argv:  # --wa: leave the form fixtures (xlsx stamps) untouched
        write_respons()
    print(f"ditulis: {WA.relative_to(ROOT)}, {RESPONS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
