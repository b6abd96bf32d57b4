"""The project's bad-input corpus (issue 10): over a hundred hostile or odd inputs across the
four input kinds (alumni exports, vacancy lists, form exports, WhatsApp chats) and the
config, each with the outcome staff rely on.

For every case: no exception escapes the step; each file is imported, skipped or named as
not read with its reason; a refused file changes nothing in the store; an imported file's
rows add up (read = new + updated + unchanged + duplicates + rejected).
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest

from kebekerjaan.core.config import load_settings
from kebekerjaan.core.context import StepContext
from kebekerjaan.core.errors import ConfigError
from kebekerjaan.steps.alumni import collect_alumni
from kebekerjaan.steps.answers.collect import collect_answers
from kebekerjaan.steps.vacancies.gather import gather_vacancies

TODAY = date(2026, 11, 28)


# --- builders: files made in a temp dir from one small good export per input kind, so
# nothing large is committed. The cases below are built at collection time, hence a path
# here rather than the fixtures_dir fixture.

FIXTURES = Path(__file__).parent / "fixtures"
ALUMNI_GOOD = (FIXTURES / "alumni" / "update_v1.csv").read_text(encoding="utf-8")
VACANCY_GOOD = (FIXTURES / "lowongan" / "update_v1.csv").read_text(encoding="utf-8")
FORM_GOOD = (FIXTURES / "respons" / "form_download.csv").read_text(encoding="utf-8")
CHAT_GOOD = (FIXTURES / "wa" / "android_id_24h.txt").read_text(encoding="utf-8")


def lines(text: str) -> list[str]:
    return text.splitlines()


def csv_text(text: str) -> bytes:
    return text.encode("utf-8")


def replace_cell(text: str, line: int, old: str, new: str) -> str:
    """`text` with `old` replaced by `new` on line `line` (0 = header)."""
    rows = lines(text)
    assert old in rows[line], (old, rows[line])
    rows[line] = rows[line].replace(old, new, 1)
    return "\n".join(rows) + "\n"


def rows_of(text: str) -> list[list[str]]:
    import csv

    return list(csv.reader(io.StringIO(text)))


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx_bytes(text: str) -> bytes:
    """A minimal Word document (what staff get when they export the list to Word)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f"<w:document><w:body><w:p>{escape(text)}</w:p>"
                                        "</w:body></w:document>")
    return out.getvalue()


def ods_bytes(rows: list[list[str]]) -> bytes:
    """A minimal OpenDocument spreadsheet (what LibreOffice saves), text cells only."""
    body = "".join(
        "<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(c))}</text:p>'
            "</table:table-cell>" for c in row) + "</table:table-row>"
        for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Alumni">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@dataclass
class Case:
    """Files dropped in an inbox and what must come of each (by file name)."""

    files: dict[str, bytes]
    status: dict[str, str]  # file name -> ok | skipped | failed | unread
    reason: dict[str, str] = field(default_factory=dict)  # file name -> text in its message
    rejected: str | None = None  # text in a row reject reason
    flagged: str | None = None  # text in a row flag
    counts: dict[str, int] = field(default_factory=dict)  # totals of the step
    before: dict[str, bytes] = field(default_factory=dict)  # imported by an earlier run
    stored: tuple[str, object] | None = None  # (SQL giving one value, the value it must give)


def _case(id_, *args, marks=(), **kw):
    return pytest.param(Case(*args, **kw), id=id_, marks=marks)


# --- alumni exports (SOP step 1) ------------------------------------------------------------

A = ALUMNI_GOOD
A_ROWS = rows_of(A)
HUGE = "x" * 200_000


def _sep(text: str, sep: str) -> str:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\n").writerows(rows_of(text))
    return out.getvalue()


def _alumni_with(line: int, old: str, new: str) -> bytes:
    return csv_text(replace_cell(A, line, old, new))


def _ods_without(member: str) -> bytes:
    """The alumni export as an .ods some tools write: one member of the package missing."""
    import io
    import zipfile

    whole = zipfile.ZipFile(io.BytesIO(ods_bytes(A_ROWS)))
    return zip_bytes({n: whole.read(n) for n in whole.namelist() if n != member})


ALUMNI_CASES = [
    _case("good-csv", {"a.csv": csv_text(A)}, {"a.csv": "ok"}, counts={"new": 5}),
    _case("semicolon", {"a.csv": csv_text(_sep(A, ";"))}, {"a.csv": "ok"}, counts={"new": 5}),
    _case("tab", {"a.csv": csv_text(_sep(A, "\t"))}, {"a.csv": "ok"}, counts={"new": 5}),
    _case("pipe", {"a.csv": csv_text(_sep(A, "|"))}, {"a.csv": "ok"}, counts={"new": 5}),
    _case("utf16-bom-unicode-text", {"a.csv": _sep(A, "\t").encode("utf-16")}, {"a.csv": "ok"},
          counts={"new": 5}),
    _case("utf16le-no-bom", {"a.csv": _sep(A, "\t").encode("utf-16-le")}, {"a.csv": "ok"},
          counts={"new": 5}),
    _case("utf16be-bom", {"a.csv": b"\xfe\xff" + A.encode("utf-16-be")}, {"a.csv": "ok"},
          counts={"new": 5}),
    _case("utf8-bom", {"a.csv": b"\xef\xbb\xbf" + csv_text(A)}, {"a.csv": "ok"}, counts={"new": 5}),
    _case("cp1252", {"a.csv": replace_cell(A, 2, "Musdalifah", "Musdalifáh").encode("cp1252")},
          {"a.csv": "ok"}, counts={"new": 5}),
    _case("crlf", {"a.csv": A.replace("\n", "\r\n").encode()}, {"a.csv": "ok"}, counts={"new": 5}),
    _case("empty-0-bytes", {"a.csv": b""}, {"a.csv": "failed"}, {"a.csv": "kosong"}),
    _case("only-whitespace", {"a.csv": b"  \n\n  \n"}, {"a.csv": "failed"}, {"a.csv": "kosong"}),
    _case("header-only", {"a.csv": csv_text(lines(A)[0] + "\n")}, {"a.csv": "failed"},
          {"a.csv": "tidak ada baris data"}),
    _case("no-header", {"a.csv": b"halo,apa,kabar\n1,2,3\n"}, {"a.csv": "failed"},
          {"a.csv": "baris judul kolom tidak ditemukan"}),
    _case("missing-nik-column", {"a.csv": csv_text(A.replace("NIK,", "Nomor,", 1))},
          {"a.csv": "failed"}, {"a.csv": "kolom wajib tidak ditemukan: NIK"}),
    _case("header-below-search-rows", {"a.csv": csv_text("judul\n" * 35 + A)}, {"a.csv": "failed"},
          {"a.csv": "baris judul kolom tidak ditemukan"}),
    _case("title-block", {"a.csv": csv_text("DATA ALUMNI BPVP KENDARI\nPeriode 2025\n\n" + A)},
          {"a.csv": "ok"}, counts={"new": 5}),
    _case("blank-lines-between", {"a.csv": csv_text(A.replace("\n7471065", "\n\n\n7471065"))},
          {"a.csv": "ok"}, counts={"new": 5}),
    _case("ragged-row", {"a.csv": csv_text(A + "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17\n")},
          {"a.csv": "failed"}, {"a.csv": "tidak konsisten"}),
    _case("oversized-cell-refuses-file-not-drop",
          {"a.csv": _alumni_with(1, "Jl. Malaka", HUGE), "b.csv": csv_text(_sep(A, ";"))},
          {"a.csv": "failed", "b.csv": "ok"}, {"a.csv": "batas sel Excel"}, counts={"new": 5}),
    _case("oversized-cell-csv-limit", {"a.csv": _alumni_with(3, "SMA", "y" * 140_000)},
          {"a.csv": "failed"}, {"a.csv": "baris 4"}),
    _case("nul-in-name", {"a.csv": _alumni_with(3, "Nurjannah", "Nur\x00jannah")}, {"a.csv": "ok"},
          flagged="karakter kendali"),
    _case("rtl-override-in-name", {"a.csv": _alumni_with(2, "Musdalifah", "Musda\u202elifah")},
          {"a.csv": "ok"}, flagged="karakter kendali"),
    _case("zero-width-in-name", {"a.csv": _alumni_with(2, "Musdalifah", "Musda\u200blifah")},
          {"a.csv": "ok"}, flagged="karakter kendali"),
    _case("bidi-isolate-in-address", {"a.csv": _alumni_with(1, "Jl. Malaka", "Jl.\u2067 Malaka")},
          {"a.csv": "ok"}, flagged="kolom 'Alamat'"),
    _case("bell-char-in-program",
          {"a.csv": _alumni_with(1, "Tata Rias Pengantin", "Tata\x07 Rias Pengantin")},
          {"a.csv": "ok"}, flagged="karakter kendali"),
    _case("training-ends-2099", {"a.csv": _alumni_with(2, "10/10/2025", "10/10/2099")},
          {"a.csv": "ok"}, rejected="lebih dari 90 hari sesudah tanggal acuan", counts={"new": 4}),
    _case("training-ends-1900", {"a.csv": _alumni_with(2, "10/10/2025", "10/10/1900")},
          {"a.csv": "ok"}, rejected="sebelum tahun 1950", counts={"new": 4}),
    _case("training-ends-next-month", {"a.csv": _alumni_with(2, "10/10/2025", "20/12/2026")},
          {"a.csv": "ok"}, flagged="belum selesai pada tanggal acuan", counts={"new": 5}),
    _case("training-starts-1900", {"a.csv": _alumni_with(2, "01/09/2025", "01/09/1900")},
          {"a.csv": "ok"}, flagged="tanggal mulai pelatihan tidak wajar", counts={"new": 5}),
    _case("end-date-unreadable", {"a.csv": _alumni_with(2, "10/10/2025", "kemarin")},
          {"a.csv": "ok"}, rejected="tanggal selesai", counts={"new": 4}),
    _case("end-date-empty", {"a.csv": _alumni_with(2, "10/10/2025", "")}, {"a.csv": "ok"},
          rejected="tanggal selesai kosong", counts={"new": 4}),
    _case("start-after-end", {"a.csv": _alumni_with(2, "01/09/2025", "01/11/2025")}, {"a.csv": "ok"},
          flagged="tanggal mulai sesudah tanggal selesai"),
    _case("birth-in-future", {"a.csv": _alumni_with(2, "12/02/2001", "12/02/2030")}, {"a.csv": "ok"},
          flagged="tanggal lahir"),
    _case("nik-15-digits", {"a.csv": _alumni_with(2, "7471055202010112", "747105520201011")},
          {"a.csv": "ok"}, rejected="NIK", counts={"new": 4}),
    _case("nik-with-letters", {"a.csv": _alumni_with(2, "7471055202010112", "74710552O2010112")},
          {"a.csv": "ok"}, rejected="NIK", counts={"new": 4}),
    _case("nik-empty", {"a.csv": _alumni_with(2, "7471055202010112", "")}, {"a.csv": "ok"},
          rejected="NIK", counts={"new": 4}),
    _case("nik-all-zeros", {"a.csv": _alumni_with(2, "7471055202010112", "0000000000000000")},
          {"a.csv": "ok"}, rejected="NIK", counts={"new": 4}),
    _case("nik-float-text", {"a.csv": _alumni_with(2, "7471055202010112", "7471055202010112.0")},
          {"a.csv": "ok"}, counts={"new": 5}),
    _case("name-empty", {"a.csv": _alumni_with(2, "Musdalifah", "")}, {"a.csv": "ok"},
          rejected="nama kosong", counts={"new": 4}),
    _case("kejuruan-unknown", {"a.csv": _alumni_with(2, "Tata Rias,", "Perhiasan Emas,")},
          {"a.csv": "ok"}, rejected="tidak dikenal", counts={"new": 4}),
    _case("program-empty", {"a.csv": _alumni_with(2, "Tata Rias Pengantin", "")}, {"a.csv": "ok"},
          rejected="program kosong", counts={"new": 4}),
    _case("angkatan-empty", {"a.csv": _alumni_with(2, "Pengantin,1,", "Pengantin,,")}, {"a.csv": "ok"},
          rejected="angkatan kosong", counts={"new": 4}),
    _case("phone-too-short", {"a.csv": _alumni_with(2, "0852-0111-0002", "12345")}, {"a.csv": "ok"},
          flagged="", counts={"new": 5}),
    _case("phone-in-brackets", {"a.csv": _alumni_with(2, "0852-0111-0002", "(0852) 0111 0002")},
          {"a.csv": "ok"}, counts={"new": 5, "flagged": 0}),
    _case("email-invalid", {"a.csv": _alumni_with(2, "0852-0111-0002,", "0852-0111-0002,bukan-email")},
          {"a.csv": "ok"}, flagged="", counts={"new": 5}),
    _case("sex-unknown", {"a.csv": _alumni_with(2, ",P,", ",X,")}, {"a.csv": "ok"}, flagged="",
          counts={"new": 5}),
    _case("exact-duplicate-row", {"a.csv": csv_text(A + lines(A)[1] + "\n")}, {"a.csv": "ok"},
          counts={"new": 5, "duplicates": 1}),
    _case("formula-in-address", {"a.csv": _alumni_with(1, "Jl. Malaka", "=HYPERLINK(A1)+cmd|calc!A0")},
          {"a.csv": "ok"}, counts={"new": 5}),
    _case("quoted-newline-in-address", {"a.csv": _alumni_with(1, "Jl. Malaka No. 11", "Jl. Malaka\nNo. 11")},
          {"a.csv": "ok"}, counts={"new": 5}),
    _case("header-odd-case-and-spaces",
          {"a.csv": csv_text(A.replace("NIK,Nama Lengkap", "  nik ,NAMA  LENGKAP", 1))},
          {"a.csv": "ok"}, counts={"new": 5}),
    _case("three-hundred-extra-columns",
          {"a.csv": csv_text("\n".join(r + "," * 300 for r in lines(A)) + "\n")}, {"a.csv": "ok"},
          counts={"new": 5}),
    _case("same-file-twice", {"a.csv": csv_text(A)}, {"a.csv": "skipped"}, before={"old.csv": csv_text(A)}),
    _case("same-content-new-name", {"copy of a.csv": csv_text(A)}, {"copy of a.csv": "skipped"},
          before={"a.csv": csv_text(A)}),
    _case("other-person-under-stored-nik",
          {"b.csv": _alumni_with(2, "Musdalifah", "Budi Santoso")}, {"b.csv": "ok"},
          flagged="tersimpan atas nama lain ('Musdalifah')", counts={"updated": 1},
          before={"a.csv": csv_text(A)}),
    _case("name-spelling-fix-not-flagged",
          {"b.csv": _alumni_with(3, "Nurjannah binti Ismail", "Nurjanah binti Ismail")}, {"b.csv": "ok"},
          counts={"updated": 1, "flagged": 0}, before={"a.csv": csv_text(A)}),
    _case("pdf-in-inbox", {"a.csv": csv_text(A), "petunjuk.pdf": b"%PDF-1.4"},
          {"a.csv": "ok", "petunjuk.pdf": "unread"}, {"petunjuk.pdf": "jenis berkas '.pdf'"}),
    _case("excel-lock-file", {"~$alumni.xlsx": b"\x00" * 165}, {"~$alumni.xlsx": "unread"},
          {"~$alumni.xlsx": "berkas sementara Excel"}),
    _case("hidden-file", {".DS_Store": b"\x00\x00"}, {".DS_Store": "unread"},
          {".DS_Store": "tersembunyi"}),
    _case("no-extension", {"alumni": csv_text(A)}, {"alumni": "unread"}, {"alumni": "tanpa ekstensi"}),
    _case("txt-in-alumni-inbox", {"alumni.txt": csv_text(A)}, {"alumni.txt": "unread"},
          {"alumni.txt": "'.txt'"}),
    _case("export-in-subfolder", {"2025/angkatan1.csv": csv_text(A)}, {"angkatan1.csv": "ok"},
          counts={"new": 5}),
    _case("upper-case-extension", {"A.CSV": csv_text(A)}, {"A.CSV": "ok"}, counts={"new": 5}),
    _case("xlsx-good", {"a.xlsx": xlsx_bytes({"Sheet1": A_ROWS})}, {"a.xlsx": "ok"}, counts={"new": 5}),
    _case("xlsx-two-full-sheets",
          {"a.xlsx": xlsx_bytes({"Angkatan 1": A_ROWS[:3], "Angkatan 2": [A_ROWS[0], *A_ROWS[3:]]})},
          {"a.xlsx": "failed"}, {"a.xlsx": "'Angkatan 1', 'Angkatan 2'"}),
    _case("xlsx-data-and-notes-sheet",
          {"a.xlsx": xlsx_bytes({"Petunjuk": [["Isi data mulai baris 2"]], "Data": A_ROWS})},
          {"a.xlsx": "ok"}, {"a.xlsx": "lembar lain tanpa judul kolom lengkap tidak dibaca: 'Petunjuk'"},
          counts={"new": 5}),
    _case("xlsx-empty-sheet-and-data", {"a.xlsx": xlsx_bytes({"Kosong": [], "Data": A_ROWS})},
          {"a.xlsx": "ok"}, counts={"new": 5}),
    _case("xlsx-corrupt", {"a.xlsx": b"PK\x03\x04 bukan zip yang utuh"}, {"a.xlsx": "failed"},
          {"a.xlsx": "rusak"}),
    _case("csv-saved-as-xlsx", {"a.xlsx": csv_text(A)}, {"a.xlsx": "failed"},
          {"a.xlsx": "isinya berkas teks (mis. CSV), bukan buku kerja Excel (.xlsx)"}),
    _case("word-renamed-xlsx", {"a.xlsx": docx_bytes("Daftar peserta")},
          {"a.xlsx": "failed"}, {"a.xlsx": "isinya dokumen Word (.docx)"}),
    _case("xlsx-empty-workbook", {"a.xlsx": xlsx_bytes({"Sheet1": []})}, {"a.xlsx": "failed"},
          {"a.xlsx": ""}),
    _case("ods-read", {"a.ods": ods_bytes(A_ROWS)}, {"a.ods": "ok"}, counts={"new": 5}),
    _case("legacy-xls", {"legacy.xls": (FIXTURES / "alumni" / "legacy.xls").read_bytes()},
          {"legacy.xls": "ok"}, counts={"new": 4}),
    _case("password-xlsx", {"p.xlsx": (FIXTURES / "alumni" / "password.xlsx").read_bytes()},
          {"p.xlsx": "failed"}, {"p.xlsx": "kata sandi"}),
    _case("binary-garbage-csv", {"a.csv": bytes(range(256)) * 40}, {"a.csv": "failed"}),
    _case("two-status-columns-graduation-decides",
          {"a.csv": csv_text("\n".join(
              [lines(A)[0].replace("Status Kelulusan", "Status,Status")]
              + [r.replace(",Lulus", ",Aktif,Tidak Lulus" if i == 0 else ",Aktif,Lulus")
                 for i, r in enumerate(lines(A)[1:])]) + "\n")},
          # Both columns hold data: which one decides graduation is not ours to guess.
          {"a.csv": "failed"}, reason={"a.csv": "'Status', 'Status'"}),
    _case("two-phone-columns-empty-first",
          {"a.csv": csv_text("\n".join(
              [lines(A)[0].replace("No. Telp/WA", "No HP,No HP")]
              + [r.replace(",0", ",,0", 1) for r in lines(A)[1:]]) + "\n")},
          {"a.csv": "ok"}, counts={"new": 5},
          stored=("SELECT COUNT(*) FROM alumni WHERE phone IS NULL", 0)),
    # issue 20, still open from the first corpus
    _case("typographic-apostrophe-kept", {"a.csv": _alumni_with(2, "Musdalifah", "MA’RUF")},
          {"a.csv": "ok"}, counts={"new": 5},
          stored=("SELECT name FROM alumni WHERE nik = '7471055202010112'", "Ma’ruf")),
    _case("same-nik-second-training-other-name-keeps-the-first",
          {"a.csv": csv_text(A + replace_cell(A, 2, "Pengantin,1,", "Pengantin,2,").splitlines()[2]
                             .replace("Musdalifah", "Musdalifah Rahim") + "\n")},
          {"a.csv": "ok"}, counts={"new": 6},
          stored=("SELECT old_values || ' > ' || new_values FROM history WHERE row_key = "
                  "'7471055202010112'", '{"name": "Musdalifah"} > {"name": "Musdalifah Rahim"}')),
    _case("ods-without-manifest", {"a.ods": _ods_without("META-INF/manifest.xml")}, {"a.ods": "ok"},
          counts={"new": 5}),
    _case("ods-without-mimetype", {"a.ods": _ods_without("mimetype")}, {"a.ods": "ok"},
          counts={"new": 5}),
    _case("ods-without-content", {"a.ods": _ods_without("content.xml")}, {"a.ods": "failed"},
          {"a.ods": "content.xml tidak ada"}),
]


def _step_files(result):
    return {f.file: f for f in result.files}


def _check_common(result, case: Case, ws):
    files = _step_files(result)
    for name, status in case.status.items():
        assert files[name].status == status, (name, files[name])
        if name in case.reason:
            assert case.reason[name] in files[name].message, files[name].message
    con = sqlite3.connect(ws.store_path)
    try:
        for name, status in case.status.items():
            if status in ("failed", "unread"):
                # a refused file changed nothing: no import of it, no rows from it
                assert con.execute("SELECT COUNT(*) FROM import_log WHERE file_name = ? AND "
                                   "status = 'ok'", (name,)).fetchone() == (0,)
    finally:
        con.close()
    return files


@pytest.mark.parametrize("case", ALUMNI_CASES)
def test_alumni_corpus(case: Case, ws, tmp_path):
    for name, data in case.before.items():
        write(ws.inbox("alumni"), name, data)
    if case.before:
        collect_alumni(StepContext(ws, TODAY, tmp_path / "before"))
    for name, data in case.files.items():
        write(ws.inbox("alumni"), name, data)
    result = collect_alumni(StepContext(ws, TODAY, tmp_path / "run"))
    files = _check_common(result, case, ws)
    for f in files.values():
        if f.status == "ok":
            assert f.rows_read == f.new + f.updated + f.unchanged + f.duplicates + f.rejected
    totals = result.totals()
    for key, value in case.counts.items():
        assert totals[key] == value, (key, totals)
    if case.rejected is not None:
        assert result.rejects["Alasan"].str.contains(case.rejected, regex=False).any(), \
            result.rejects["Alasan"].tolist()
        # reasons speak the staff's language, not the code's
        assert not result.rejects["Alasan"].str.contains("_date|_year|training|nik:", regex=True).any()
    if case.flagged is not None:
        assert result.flagged["Catatan"].str.contains(case.flagged, regex=False).any(), \
            result.flagged["Catatan"].tolist()
    _check_stored(case, ws)


def _check_stored(case: Case, ws) -> None:
    if case.stored is not None:
        sql, expected = case.stored
        con = sqlite3.connect(ws.store_path)
        try:
            assert con.execute(sql).fetchone()[0] == expected
        finally:
            con.close()


def test_alumni_control_characters_are_gone_from_the_store(ws, tmp_path):
    write(ws.inbox("alumni"), "a.csv", _alumni_with(2, "Musdalifah", "Mus\x00da\u202elifah\u200b"))
    collect_alumni(StepContext(ws, TODAY, tmp_path / "run"))
    con = sqlite3.connect(ws.store_path)
    (name,) = con.execute("SELECT name FROM alumni WHERE nik = '7471055202010112'").fetchone()
    assert name == "Musdalifah"


def test_alumni_other_person_keeps_the_old_name_in_history(ws, tmp_path):
    write(ws.inbox("alumni"), "a.csv", csv_text(A))
    collect_alumni(StepContext(ws, TODAY, tmp_path / "r1"))
    write(ws.inbox("alumni"), "b.csv", _alumni_with(2, "Musdalifah", "Budi Santoso"))
    collect_alumni(StepContext(ws, TODAY, tmp_path / "r2"))
    con = sqlite3.connect(ws.store_path)
    old = [r[0] for r in con.execute(
        "SELECT old_values FROM history WHERE table_name = 'alumni' AND row_key = '7471055202010112'")]
    assert old == ['{"name": "Musdalifah"}']


# --- vacancy lists (SOP step 2) -------------------------------------------------------------

V = VACANCY_GOOD
V_ROWS = rows_of(V)
N_VACANCIES = len(V_ROWS) - 1


def _vacancy_with(line: int, old: str, new: str) -> bytes:
    return csv_text(replace_cell(V, line, old, new))


VACANCY_CASES = [
    _case("good", {"v.csv": csv_text(V)}, {"v.csv": "ok"}, counts={"new": N_VACANCIES}),
    _case("semicolon", {"v.csv": csv_text(_sep(V, ";"))}, {"v.csv": "ok"}, counts={"new": N_VACANCIES}),
    _case("utf16", {"v.csv": _sep(V, "\t").encode("utf-16")}, {"v.csv": "ok"},
          counts={"new": N_VACANCIES}),
    _case("empty", {"v.csv": b""}, {"v.csv": "failed"}, {"v.csv": "kosong"}),
    _case("no-company-column", {"v.csv": csv_text(V.replace("Nama Perusahaan", "Apa", 1))},
          {"v.csv": "failed"}, {"v.csv": "kolom wajib"}),
    _case("oversized-cell", {"v.csv": _vacancy_with(1, "Lamar di loker.example.id", HUGE),
                             "w.csv": csv_text(_sep(V, ";"))},
          {"v.csv": "failed", "w.csv": "ok"}, {"v.csv": "batas sel"}),
    _case("nul-in-company", {"v.csv": _vacancy_with(1, "PT Sultra", "PT\x00 Sultra")}, {"v.csv": "ok"},
          {"v.csv": "karakter kendali/tak terlihat dihapus pada baris 2"}, counts={"new": N_VACANCIES}),
    _case("company-empty", {"v.csv": _vacancy_with(1, "PT Sultra Mandiri Teknik", "")}, {"v.csv": "ok"},
          rejected="perusahaan kosong"),
    _case("kejuruan-unknown", {"v.csv": _vacancy_with(1, "Listrik / Elektronika", "Perhiasan Emas")},
          {"v.csv": "ok"}, rejected="tidak dikenal"),
    _case("deadline-unreadable", {"v.csv": _vacancy_with(1, "2026-12-10", "akhir bulan")},
          {"v.csv": "ok"}, rejected="batas lamaran"),
    _case("xlsx", {"v.xlsx": xlsx_bytes({"Lowongan": V_ROWS})}, {"v.xlsx": "ok"},
          counts={"new": N_VACANCIES}),
    _case("ods", {"v.ods": ods_bytes(V_ROWS)}, {"v.ods": "ok"}, counts={"new": N_VACANCIES}),
    _case("two-full-sheets", {"v.xlsx": xlsx_bytes({"Job fair": V_ROWS, "Kunjungan": V_ROWS})},
          {"v.xlsx": "failed"}, {"v.xlsx": "'Job fair', 'Kunjungan'"}),
    _case("docx-in-inbox", {"brosur.docx": b"PK\x03\x04"}, {"brosur.docx": "unread"},
          {"brosur.docx": "'.docx'"}),
    _case("image-in-inbox", {"poster.jpg": b"\xff\xd8\xff"}, {"poster.jpg": "unread"}),
    _case("subfolder", {"jobfair/v.csv": csv_text(V)}, {"v.csv": "ok"}, counts={"new": N_VACANCIES}),
    _case("twice", {"v.csv": csv_text(V)}, {"v.csv": "skipped"}, before={"v0.csv": csv_text(V)}),
    _case("corrupt-xlsx", {"v.xlsx": b"PK\x03\x04rusak"}, {"v.xlsx": "failed"}, {"v.xlsx": "rusak"}),
    _case("header-only", {"v.csv": csv_text(lines(V)[0] + "\n")}, {"v.csv": "failed"}),
    _case("title-block", {"v.csv": csv_text("LOWONGAN KERJA\n\n" + V)}, {"v.csv": "ok"},
          counts={"new": N_VACANCIES}),
]


@pytest.mark.parametrize("case", VACANCY_CASES)
def test_vacancy_corpus(case: Case, ws, tmp_path):
    for name, data in case.before.items():
        write(ws.inbox("lowongan"), name, data)
    if case.before:
        gather_vacancies(StepContext(ws, TODAY, tmp_path / "before"))
    for name, data in case.files.items():
        write(ws.inbox("lowongan"), name, data)
    result = gather_vacancies(StepContext(ws, TODAY, tmp_path / "run"))
    _check_common(result, case, ws)
    totals = result.totals()
    for key, value in case.counts.items():
        assert totals[key] == value, (key, totals)
    if case.rejected is not None:
        assert result.rejects["Alasan"].str.contains(case.rejected, regex=False).any()


def test_vacancy_control_characters_removed(ws, tmp_path):
    write(ws.inbox("lowongan"), "v.csv", _vacancy_with(1, "PT Sultra", "PT\u202e\x00 Sultra"))
    gather_vacancies(StepContext(ws, TODAY, tmp_path / "run"))
    companies = [r[0] for r in sqlite3.connect(ws.store_path).execute("SELECT company FROM vacancies")]
    assert "PT Sultra Mandiri Teknik" in companies


# --- form exports and WhatsApp chats (SOP step 7) -------------------------------------------

F = FORM_GOOD
F_ROWS = rows_of(F)
FORM_ANSWERS = 4  # of the fixture's 8 rows (tests/fixtures/respons/README.md)


def _form_with(line: int, old: str, new: str) -> bytes:
    return csv_text(replace_cell(F, line, old, new))


def _chat_with(old: str, new: str) -> bytes:
    assert old in CHAT_GOOD
    return CHAT_GOOD.replace(old, new, 1).encode("utf-8")


# The fixture chat has 7 messages (tests/fixtures/wa/README.md).
MESSAGES_READ = ("SELECT COUNT(*) FROM wa_messages", 7)
# Another group's export, written month first (an English phone): 2 messages.
SECOND_CHAT = (b"1/15/24, 8:00 AM - Admin Las: Kabar alumni las?\n"
               b"1/15/24, 9:30 AM - Rudi: sudah kerja di bengkel las\n")

FORM_CASES = [
    _case("good", {"f.csv": csv_text(F)}, {"f.csv": "ok"}, counts={"answers": FORM_ANSWERS}),
    _case("utf16-unicode-text", {"f.csv": _sep(F, "\t").encode("utf-16")}, {"f.csv": "ok"},
          counts={"answers": FORM_ANSWERS}),
    _case("utf16-no-bom", {"f.csv": _sep(F, "\t").encode("utf-16-le")}, {"f.csv": "ok"},
          counts={"answers": FORM_ANSWERS}),
    _case("stamp-1900", {"f.csv": _form_with(1, "2026/11/27 7:15:03 PM", "1900/01/01 7:15:03 PM")},
          {"f.csv": "ok"}, rejected="tidak wajar", counts={"answers": FORM_ANSWERS - 1}),
    _case("stamp-2099", {"f.csv": _form_with(1, "2026/11/27 7:15:03 PM", "2099/11/27 7:15:03 PM")},
          {"f.csv": "ok"}, rejected="tidak wajar", counts={"answers": FORM_ANSWERS - 1}),
    _case("empty", {"f.csv": b""}, {"f.csv": "failed"}, {"f.csv": "kosong"}),
    _case("no-status-column", {"f.csv": csv_text(F.replace("Apa status Anda saat ini?", "Catatan", 1))},
          {"f.csv": "failed"}, {"f.csv": "kolom wajib"}),
    _case("oversized-cell-refuses-file-not-drop",
          {"f.csv": _form_with(1, "PT Maju Jaya", HUGE), "chat.txt": CHAT_GOOD.encode()},
          {"f.csv": "failed", "chat.txt": "ok"}, {"f.csv": "batas sel"}),
    _case("nul-in-employer", {"f.csv": _form_with(1, "PT Maju Jaya", "PT\x00 Maju Jaya")}, {"f.csv": "ok"},
          counts={"answers": FORM_ANSWERS},
          stored=("SELECT notes LIKE '%karakter kendali%' FROM answers WHERE employer = 'PT Maju Jaya'", 1)),
    _case("xlsx", {"f.xlsx": xlsx_bytes({"Form Responses 1": F_ROWS})}, {"f.xlsx": "ok"},
          counts={"answers": FORM_ANSWERS}),
    _case("ods", {"f.ods": ods_bytes(F_ROWS)}, {"f.ods": "ok"}, counts={"answers": FORM_ANSWERS}),
    _case("two-full-sheets", {"f.xlsx": xlsx_bytes({"Form Responses 1": F_ROWS, "Salinan": F_ROWS})},
          {"f.xlsx": "failed"}, {"f.xlsx": "'Form Responses 1', 'Salinan'"}),
    _case("subfolder", {"november/f.csv": csv_text(F)}, {"f.csv": "ok"}, counts={"answers": FORM_ANSWERS}),
    _case("pdf-summary-in-inbox", {"ringkasan.pdf": b"%PDF"}, {"ringkasan.pdf": "unread"},
          {"ringkasan.pdf": "'.pdf'"}),
    _case("twice", {"f.csv": csv_text(F)}, {"f.csv": "skipped"}, before={"f0.csv": csv_text(F)}),
    _case("corrupt-xlsx", {"f.xlsx": b"PK\x03\x04??"}, {"f.xlsx": "failed"}, {"f.xlsx": "rusak"}),
    _case("ragged", {"f.csv": csv_text(F + "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v\n")},
          {"f.csv": "failed"}, {"f.csv": "tidak konsisten"}),
    # chats
    _case("chat-good", {"chat.txt": CHAT_GOOD.encode()}, {"chat.txt": "ok"}, stored=MESSAGES_READ),
    _case("chat-zip", {"chat.zip": zip_bytes({"WhatsApp Chat.txt": CHAT_GOOD.encode()})},
          {"chat.zip": "ok"}),
    _case("chat-subfolder", {"grup tik/chat.txt": CHAT_GOOD.encode()}, {"chat.txt": "ok"}),
    _case("chat-twice", {"chat.txt": CHAT_GOOD.encode()}, {"chat.txt": "skipped"},
          before={"old.txt": CHAT_GOOD.encode()}),
    _case("chat-pdf-in-inbox", {"chat.pdf": b"%PDF"}, {"chat.pdf": "unread"}, {"chat.pdf": "'.pdf'"}),
    _case("chat-opus-voice-note", {"PTT-20240112.opus": b"Ogg"}, {"PTT-20240112.opus": "unread"}),
    _case("chat-corrupt-zip", {"chat.zip": b"PK\x03\x04??"}, {"chat.zip": "failed"}),
    _case("chat-zip-without-txt", {"chat.zip": zip_bytes({"foto.jpg": b"\xff\xd8"})},
          {"chat.zip": "failed"}),
    # issue 20: two groups' exports zipped together are both read (it said "no chat")
    _case("chat-zip-with-two-chats",
          {"chat.zip": zip_bytes({"Grup TIK.txt": CHAT_GOOD.encode(), "Grup Las.txt": SECOND_CHAT,
                                  "catatan/foto.jpg": b"\xff\xd8"})},
          {"chat.zip": "ok"}, stored=("SELECT COUNT(*) FROM wa_messages", 9)),
    _case("chat-nul-bytes", {"chat.txt": _chat_with("Mohon kabarnya", "Mohon\x00 kabarnya")},
          {"chat.txt": "ok"}),
    _case("chat-huge-line-with-form", {"chat.txt": _chat_with("Mohon kabarnya", HUGE), "f.csv": csv_text(F)},
          {"f.csv": "ok"}, counts={"answers": FORM_ANSWERS}),
    _case("chat-utf16", {"chat.txt": CHAT_GOOD.encode("utf-16")}, {"chat.txt": "ok"},
          stored=MESSAGES_READ),
    _case("chat-utf16-no-bom", {"chat.txt": CHAT_GOOD.encode("utf-16-le")}, {"chat.txt": "ok"},
          stored=MESSAGES_READ),
    # Year-first dotted dates are an unusual shape, but readable: read, not refused.
    _case("chat-year-first-dotted-dates",
          {"chat.txt": b"[2024.01.12 08:00] Budi: sudah kerja\n[2024.01.13 09:00] Ani: belum\n"},
          {"chat.txt": "ok"}),
    _case("chat-unknown-date-format",
          {"chat.txt": b"<12 Jan> Budi: sudah kerja\n<13 Jan> Ani: belum\n"},
          {"chat.txt": "failed"}),
    _case("chat-empty", {"chat.txt": b""}, {"chat.txt": "failed"}),
]


@pytest.mark.parametrize("case", FORM_CASES)
def test_answers_corpus(case: Case, ws, tmp_path):
    def drop(files):
        for name, data in files.items():
            inbox = "wa" if name.rsplit(".", 1)[-1].lower() in ("txt", "zip", "opus") or "chat" in name \
                else "respons"
            write(ws.inbox(inbox), name, data)

    drop(case.before)
    if case.before:
        collect_answers(StepContext(ws, TODAY, tmp_path / "before"))
    drop(case.files)
    result = collect_answers(StepContext(ws, TODAY, tmp_path / "run"))
    _check_common(result, case, ws)
    con = sqlite3.connect(ws.store_path)
    stored = con.execute("SELECT COUNT(*) FROM answers WHERE source = 'formulir'").fetchone()[0]
    for key, value in case.counts.items():
        assert key == "answers" and stored == value, (key, stored)
    if case.rejected is not None:
        assert result.rejects["Alasan"].str.contains(case.rejected, regex=False).any(), \
            result.rejects["Alasan"].tolist()
    _check_stored(case, ws)


# --- issue 20: what a BPVP's store brings to `gabung`, and the inputs found with it ----------
# Each case states what staff must see: the BPVP that could not be merged named with its
# reason while the others are merged, national figures equal to the BPVPs' own, nothing of
# a run in progress or rolled back, no conflict overwritten unseen.

A_LABEL, B_LABEL = "BPVP Kendari", "BPVP Baubau"
NIK_MUSDALIFAH = "7471055202010112"


def _bpvp(tmp_path, folder: str, label: str, *files: tuple[str, bytes], wait: int = 0):
    """A BPVP workspace whose step 1 imported `files` (default: update_v1.csv)."""
    from kebekerjaan.core.merge import set_institution
    from kebekerjaan.core.workspace import init_workspace

    ws = init_workspace(tmp_path / folder)
    set_institution(ws.config_path, name=f"Balai {label}", short_name=label)
    text = ws.config_path.read_text(encoding="utf-8")
    ws.config_path.write_text(text.replace("lock_wait_seconds = 60", f"lock_wait_seconds = {wait}"),
                              encoding="utf-8")
    for name, data in files or [("update_v1.csv", csv_text(A))]:
        write(ws.inbox("alumni"), name, data)
    collect_alumni(StepContext(ws, TODAY, ws.outputs / "r1"))
    return ws


def _enrolled(path, bpvp: str | None = None) -> int:
    con = sqlite3.connect(path)
    try:
        if bpvp is None:
            return con.execute("SELECT COUNT(*) FROM enrolments").fetchone()[0]
        return con.execute("SELECT COUNT(*) FROM enrolments WHERE bpvp = ?", (bpvp,)).fetchone()[0]
    finally:
        con.close()


def _value(path, sql: str, *params):
    con = sqlite3.connect(path)
    try:
        row = con.execute(sql, params).fetchone()
        return row[0] if row else None
    finally:
        con.close()


def _spoil_schema(ws):
    con = sqlite3.connect(ws.store_path)
    from kebekerjaan.core import store

    con.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    con.close()


def _spoil_bytes(ws):
    for suffix in ("-wal", "-shm"):
        (ws.store_path.parent / (ws.store_path.name + suffix)).unlink(missing_ok=True)
    ws.store_path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 8000)


def _spoil_pages(ws):
    """A store whose header is fine but whose table pages are damaged (a bad sector)."""
    con = sqlite3.connect(ws.store_path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(ws.store_path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for n in range(2, len(data) // page):
        data[n * page:n * page + 64] = b"\x55" * 64
    ws.store_path.write_bytes(bytes(data))


def _spoil_other_db(ws):
    for suffix in ("", "-wal", "-shm"):
        (ws.store_path.parent / (ws.store_path.name + suffix)).unlink(missing_ok=True)
    con = sqlite3.connect(ws.store_path)
    con.execute("CREATE TABLE catatan (isi TEXT)")
    con.commit()
    con.close()


def _spoil_settings(ws):
    ws.config_path.write_text("[institution\nshort_name = 'x'\n", encoding="utf-8")


def _spoil_missing_store(ws):
    for suffix in ("", "-wal", "-shm"):
        (ws.store_path.parent / (ws.store_path.name + suffix)).unlink(missing_ok=True)


def _spoil_busy(ws):
    """Another process holds the BPVP's lock and no run copy is there (e.g. a restore)."""
    from kebekerjaan.core.lock import WorkspaceLock

    lock = WorkspaceLock(ws.data)
    lock.acquire({"pid": 1, "host": "lain", "what": "memulihkan basis data"}, 0, print)
    return lock


MERGE_SOURCE_CASES = [
    pytest.param(_spoil_schema, "skema versi", id="newer-schema-named"),
    pytest.param(_spoil_bytes, "tidak bisa dibaca", id="unreadable-store"),
    pytest.param(_spoil_pages, "tidak bisa dibaca", id="damaged-pages"),
    pytest.param(_spoil_other_db, "bukan basis data kebekerjaan", id="not-a-kebekerjaan-store"),
    pytest.param(_spoil_settings, "pengaturannya tidak dapat dibaca", id="bad-settings"),
    pytest.param(_spoil_missing_store, "belum ada", id="store-missing"),
    pytest.param(_spoil_busy, "sedang dipakai", id="busy-too-long"),
]


@pytest.mark.parametrize("spoil, reason", MERGE_SOURCE_CASES)
def test_merge_one_bad_source_is_named_and_the_good_one_merged(spoil, reason, tmp_path, capsys):
    from kebekerjaan.cli import main
    from kebekerjaan.core.workspace import open_workspace

    good = _bpvp(tmp_path, "kendari", A_LABEL)
    bad = _bpvp(tmp_path, "baubau", B_LABEL)
    held = spoil(bad)
    try:
        rc = main(["gabung", str(good.root), str(bad.root), "--ke", str(tmp_path / "nasional")])
    finally:
        if held is not None:
            held.release()
    out, err = capsys.readouterr()
    assert rc == 1 and "Traceback" not in out + err
    assert f"{A_LABEL} ({good.root}): digabung" in out
    line = next(x for x in out.splitlines() if x.startswith(f"{B_LABEL} (") or
                x.startswith("baubau ("))
    assert "DITOLAK" in line and reason in line, line
    assert "1 dari 2 BPVP tidak digabung" in err
    national = open_workspace(tmp_path / "nasional")
    assert _enrolled(national.store_path, A_LABEL) == 5 and _enrolled(national.store_path) == 5
    manifest = json.loads(next(national.outputs.glob("*-gabung/manifest.json")).read_text("utf-8"))
    assert [s["status"] for s in manifest["sources"]] == ["ok", "refused"]
    assert reason in manifest["sources"][1]["message"]


def test_merge_same_training_at_two_bpvps_is_two_enrolments(tmp_path):
    from kebekerjaan.core.merge import merge_workspaces

    a, b = _bpvp(tmp_path, "a", A_LABEL), _bpvp(tmp_path, "b", B_LABEL)
    report = merge_workspaces([a.root, b.root], tmp_path / "nasional", wait_seconds=0)
    path = tmp_path / "nasional" / "data" / "kebekerjaan.sqlite"
    assert [s.status for s in report] == ["ok", "ok"]
    # same NIK, programme, angkatan and year at two BPVPs: two trainings, one person each
    assert _enrolled(path) == 10 and _enrolled(path, A_LABEL) == _enrolled(path, B_LABEL) == 5
    assert _value(path, "SELECT COUNT(*) FROM alumni") == 5


def test_merge_a_conflicting_name_and_phone_keep_both_in_history_and_are_listed(tmp_path, capsys):
    from kebekerjaan.cli import main

    a = _bpvp(tmp_path, "a", A_LABEL)
    other = replace_cell(replace_cell(A, 2, "Musdalifah", "Musdalifa Rahim"), 2, "0852-0111-0002",
                         "0852-9999-0002")
    b = _bpvp(tmp_path, "b", B_LABEL, ("b.csv", csv_text(other)))
    for ws, when in ((a, "2026-11-20T09:00:00"), (b, "2026-11-27T09:00:00")):  # B's are newer
        con = sqlite3.connect(ws.store_path)
        with con:
            con.execute("UPDATE alumni SET updated_at = ?", (when,))
        con.close()
    national = tmp_path / "nasional"
    assert main(["gabung", str(a.root), str(b.root), "--ke", str(national)]) == 0
    out = capsys.readouterr().out
    assert "2 data perlu ditinjau" in out and "tinjau_gabungan.xlsx" in out
    path = national / "data" / "kebekerjaan.sqlite"
    old, new = _value(path, "SELECT old_values FROM history WHERE row_key = ?", NIK_MUSDALIFAH), \
        _value(path, "SELECT new_values FROM history WHERE row_key = ?", NIK_MUSDALIFAH)
    old, new = json.loads(old), json.loads(new)
    assert (old["name"], old["phone"], old["bpvp"]) == ("Musdalifah", "+6285201110002", A_LABEL)
    assert (new["name"], new["phone"], new["bpvp"]) == ("Musdalifa Rahim", "+6285299990002", B_LABEL)
    review = next(national.glob("outputs/*-gabung/tinjau_gabungan.xlsx"))
    import pandas as pd

    listed = pd.read_excel(review, dtype=str)
    assert set(listed["Kolom"]) == {"Nama", "No HP"}
    assert set(listed["NIK"]) == {NIK_MUSDALIFAH}
    assert set(listed["Dipakai"]) == {"Musdalifa Rahim", "+6285299990002"}  # B's are newer
    # merged again unchanged: no second history row, nothing listed again
    assert main(["gabung", str(a.root), str(b.root), "--ke", str(national)]) == 0
    assert _value(path, "SELECT COUNT(*) FROM history WHERE row_key = ?", NIK_MUSDALIFAH) == 1
    # merged the other way round: the same details win (the more recent), both in history
    reverse = tmp_path / "nasional-terbalik"
    assert main(["gabung", str(b.root), str(a.root), "--ke", str(reverse)]) == 0
    rpath = reverse / "data" / "kebekerjaan.sqlite"
    assert _value(rpath, "SELECT name || ' ' || phone FROM alumni WHERE nik = ?", NIK_MUSDALIFAH) \
        == "Musdalifa Rahim +6285299990002"
    (gave, kept), = sqlite3.connect(rpath).execute(
        "SELECT old_values, new_values FROM history WHERE row_key = ?", (NIK_MUSDALIFAH,))
    assert json.loads(gave)["name"] == "Musdalifah" and json.loads(kept)["name"] == "Musdalifa Rahim"
    # a later merge of A (changed elsewhere) does not turn the national row back
    con = sqlite3.connect(a.store_path)
    with con:
        con.execute("UPDATE alumni SET email = 'x@example.id' WHERE nik = '7471045101000111'")
    con.close()
    assert main(["gabung", str(a.root), "--ke", str(national)]) == 0
    assert _value(path, "SELECT name FROM alumni WHERE nik = ?", NIK_MUSDALIFAH) == "Musdalifa Rahim"
    assert _value(path, "SELECT COUNT(*) FROM history WHERE row_key = ?", NIK_MUSDALIFAH) == 1


def test_merge_a_bpvp_on_an_older_version_is_read_as_it_is_never_migrated(tmp_path, monkeypatch):
    """A BPVP that has not updated its package (a store before migration 9) is merged; its
    store stays at its version."""
    from kebekerjaan.core import store
    from kebekerjaan.core.merge import merge_workspaces

    a = _bpvp(tmp_path, "a", A_LABEL)
    older = [m for m in store.MIGRATIONS if m[0] < 9]
    with monkeypatch.context() as m:
        m.setattr(store, "MIGRATIONS", older)
        m.setattr(store, "SCHEMA_VERSION", older[-1][0])
        m.setattr(store, "ENROLMENT_CONFLICT", f"({', '.join(store.ENROLMENT_KEY)})")  # as then
        b = _bpvp(tmp_path, "b", B_LABEL)
    report = merge_workspaces([a.root, b.root], tmp_path / "nasional", wait_seconds=0)
    assert [s.status for s in report] == ["ok", "ok"] and report[1].schema == 8
    assert _value(b.store_path, "PRAGMA user_version") == 8
    assert _enrolled(tmp_path / "nasional" / "data" / "kebekerjaan.sqlite", B_LABEL) == 5


def test_merge_a_change_still_in_the_wal_is_merged(tmp_path):
    from kebekerjaan.core.merge import merge_workspaces

    a = _bpvp(tmp_path, "a", A_LABEL)
    national = tmp_path / "nasional"
    assert merge_workspaces([a.root], national, wait_seconds=0)[0].status == "ok"
    before = a.store_path.read_bytes()
    con = sqlite3.connect(a.store_path)
    con.execute("PRAGMA wal_autocheckpoint = 0")
    with con:
        con.execute("UPDATE alumni SET phone = '+6281299990000' WHERE nik = ?", (NIK_MUSDALIFAH,))
    try:
        assert a.store_path.read_bytes() == before  # the change lives in the -wal only
        again = merge_workspaces([a.root], national, wait_seconds=0)[0]
    finally:
        con.close()
    assert again.status == "ok" and again.counts["alumni diperbarui"] == 1
    assert _value(national / "data" / "kebekerjaan.sqlite", "SELECT phone FROM alumni WHERE nik = ?",
                  NIK_MUSDALIFAH) == "+6281299990000"


def test_merge_a_full_national_disk_is_named_as_such_and_stops(tmp_path, monkeypatch, capsys):
    from kebekerjaan.cli import main
    from kebekerjaan.core import store

    a, b = _bpvp(tmp_path, "a", A_LABEL), _bpvp(tmp_path, "b", B_LABEL)

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "update_import", full)
    national = tmp_path / "nasional"
    assert main(["gabung", str(a.root), str(b.root), "--ke", str(national)]) == 1
    out, err = capsys.readouterr()
    assert "ruang disk penuh" in err and "basis data nasional" in err.lower() and "Traceback" not in err
    assert "tidak bisa dibaca" not in out + err  # not blamed on the BPVP's store
    assert "penggabungan berhenti" in [x for x in out.splitlines() if x.startswith(B_LABEL)][0]
    assert _enrolled(national / "data" / "kebekerjaan.sqlite") == 0


def test_merge_waits_for_the_national_workspace_and_writes_nothing_while_it_is_busy(tmp_path):
    from kebekerjaan.core.lock import WorkspaceBusy
    from kebekerjaan.core.merge import merge_workspaces
    from kebekerjaan.core.recovery import RunGuard
    from kebekerjaan.core.workspace import init_workspace

    a = _bpvp(tmp_path, "a", A_LABEL)
    national = init_workspace(tmp_path / "nasional")
    with RunGuard(national, wait_seconds=0) as run:  # a national run (steps 7-9) is working
        run.begin("r-nasional")
        with pytest.raises(WorkspaceBusy, match="sedang dipakai"):
            merge_workspaces([a.root], national.root, wait_seconds=0)
        run.finish()
    assert _enrolled(national.store_path) == 0


def test_merge_after_a_killed_national_run_puts_it_back_first_and_keeps_the_merge(tmp_path):
    """Before, a killed national run's restore (at the next start) erased a BPVP merged
    after it: gabung ignored the lock. Now gabung restores first, then merges."""
    from kebekerjaan.core import lock, recovery
    from kebekerjaan.core.journal import unfinished_runs
    from kebekerjaan.core.merge import merge_workspaces
    from kebekerjaan.core.workspace import open_workspace

    a, b = _bpvp(tmp_path, "a", A_LABEL), _bpvp(tmp_path, "b", B_LABEL)
    merge_workspaces([a.root], tmp_path / "nasional", wait_seconds=0)
    national = open_workspace(tmp_path / "nasional")
    run = recovery.RunGuard(national, wait_seconds=0).__enter__()
    run.begin("r-dibunuh")
    con = sqlite3.connect(national.store_path)
    with con:  # the killed run had written something
        con.execute("DELETE FROM enrolments WHERE bpvp = ?", (A_LABEL,))
    con.close()
    lock.HELD.pop(str(national.root))
    run.lock.release()  # SIGKILL: the OS drops the lock, the marker and copy stay
    assert unfinished_runs(national)
    report = merge_workspaces([b.root], national.root, wait_seconds=0)
    assert report[0].status == "ok" and not unfinished_runs(national)
    assert recovery.recover_unfinished(national) == []  # nothing left to put back later
    assert _enrolled(national.store_path, A_LABEL) == 5  # the killed run undone
    assert _enrolled(national.store_path, B_LABEL) == 5  # and the merge kept


def _national_figures(path) -> dict:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("alumni", "enrolments", "answers", "refusals", "respondent_codes")} | {
            "by_bpvp": dict(con.execute("SELECT bpvp, COUNT(*) FROM enrolments GROUP BY bpvp")),
            "phones": dict(con.execute("SELECT nik, phone FROM alumni"))}
    finally:
        con.close()


@pytest.mark.parametrize("ending", ["rolled-back", "finished", "killed-not-yet-restored"])
def test_merge_while_a_bpvp_runs_equals_the_merge_at_rest(ending, tmp_path):
    """A BPVP's run (step 1 importing update_v2.csv: a new alumnus, new phones) is working
    when gabung reads it: gabung reads the store as before that run, then the run ends one
    way or another, and merging again gives what merging the BPVP at rest gives."""
    from kebekerjaan.core import lock, recovery
    from kebekerjaan.core.merge import merge_workspaces

    a, b = _bpvp(tmp_path, "a", A_LABEL), _bpvp(tmp_path, "b", B_LABEL)
    at_rest_before = tmp_path / "tenang-sebelum"
    merge_workspaces([a.root, b.root], at_rest_before, wait_seconds=0)
    write(b.inbox("alumni"), "update_v2.csv", (FIXTURES / "alumni" / "update_v2.csv").read_bytes())
    run = recovery.RunGuard(b, wait_seconds=0).__enter__()
    run.begin("r-bpvp")
    collect_alumni(StepContext(b, TODAY, b.outputs / "r-bpvp"))  # committed inside the run
    assert _enrolled(b.store_path) == 6
    during = tmp_path / "selama"
    report = merge_workspaces([a.root, b.root], during, wait_seconds=0)
    assert [s.status for s in report] == ["ok", "ok"]
    assert "sedang berjalan" in report[1].read_from
    figures = _national_figures(during / "data" / "kebekerjaan.sqlite")
    assert figures == _national_figures(at_rest_before / "data" / "kebekerjaan.sqlite")
    if ending == "killed-not-yet-restored":
        lock.HELD.pop(str(b.root))
        run.lock.release()  # killed: marker and copy stay, the store holds part of the run
        again = merge_workspaces([b.root], during, wait_seconds=0)[0]
        assert "tidak selesai" in again.read_from and again.status == "unchanged"
        recovery.recover_unfinished(b)  # the BPVP's next start puts its store back
    elif ending == "rolled-back":
        run.rollback()
        run.__exit__(None, None, None)
    else:
        run.finish()
        run.__exit__(None, None, None)
    after = merge_workspaces([a.root, b.root], during, wait_seconds=0)
    at_rest = tmp_path / "tenang"
    merge_workspaces([a.root, b.root], at_rest, wait_seconds=0)
    assert _national_figures(during / "data" / "kebekerjaan.sqlite") == _national_figures(
        at_rest / "data" / "kebekerjaan.sqlite")
    if ending == "finished":
        assert after[1].status == "ok" and _enrolled(at_rest / "data" / "kebekerjaan.sqlite") == 11
    else:  # the run left nothing: nothing to take back nationally either
        assert after[1].status == "unchanged" and _enrolled(at_rest / "data" / "kebekerjaan.sqlite") == 10


def test_merge_codes_refusals_deliveries_and_an_undone_decision(tmp_path):
    """What the survey of a BPVP adds beside alumni comes along: respondent codes on the
    right national training, a refusal for the person covering that BPVP's trainings only,
    delivery reports and invitations; a review decision the BPVP took back goes nationally
    too, while one staff took in the national workspace stays."""
    from kebekerjaan.core import store
    from kebekerjaan.core.merge import merge_workspaces
    from kebekerjaan.rules.codes import ensure_codes
    from kebekerjaan.rules.refusals import load_refusals, refused_enrolments
    from kebekerjaan.steps.answers.manual import record_refusal

    a, b = _bpvp(tmp_path, "a", A_LABEL), _bpvp(tmp_path, "b", B_LABEL)
    con = store.connect(a.store_path)
    ids = [r[0] for r in con.execute("SELECT id FROM enrolments ORDER BY id")]
    codes = ensure_codes(con, ids)
    with store.transaction(con):
        con.execute("INSERT INTO outreach_log (nik, enrolment_id, kind, wave, sent_on, created_at) "
                    "SELECT nik, id, 'undangan', 1, '2026-11-20', 'x' FROM enrolments")
        iid = store.log_import(con, kind="blast", file_name="l.csv", sha256="1" * 64, status="ok")
        con.execute("INSERT INTO blast_deliveries (delivery_key, phone, status, status_at, import_id) "
                    "VALUES ('k1', '+6285201110002', 'gagal', '2026-11-20T09:00:00', ?)", (iid,))
        con.execute("INSERT INTO answers (answer_key, source, answered_at, created_at, bpvp) VALUES "
                    "('f:1', 'formulir', '2026-11-21T10:00:00', 'x', NULL), "
                    "('f:2', 'formulir', '2026-11-21T11:00:00', 'x', NULL)")
        con.execute("INSERT INTO review_decisions (answer_key, decision, decided_by, decided_at) "
                    "VALUES ('f:1', 'buang', 'Wati', '2026-11-22T10:00:00')")
    con.close()
    record_refusal(a, nik=NIK_MUSDALIFAH, refused_on=date(2026, 11, 21), entered_by="Wati",
                   today=TODAY)
    national = tmp_path / "nasional"
    report = merge_workspaces([a.root, b.root], national, wait_seconds=0)
    path = national / "data" / "kebekerjaan.sqlite"
    counts = report[0].counts
    assert (counts["kode responden baru"], counts["penolakan baru"], counts["laporan kirim baru"],
            counts["catatan kirim baru"]) == (5, 1, 1, 5)
    con = sqlite3.connect(path)
    merged_codes = dict(con.execute(
        "SELECT c.code, e.nik || '/' || e.bpvp FROM respondent_codes c "
        "JOIN enrolments e ON e.id = c.enrolment_id"))
    src = sqlite3.connect(a.store_path)
    own_codes = {code: f"{n}/{A_LABEL}" for eid, code in codes.items()
                 for (n,) in src.execute("SELECT nik FROM enrolments WHERE id = ?", (eid,))}
    src.close()
    assert merged_codes == own_codes
    enrol = pd_frame(con, "SELECT id AS enrolment_id, nik, COALESCE(bpvp, '') AS bpvp FROM enrolments")
    refused = refused_enrolments(load_refusals(con), enrol)
    assert list(refused["enrolment_id"].map(enrol.set_index("enrolment_id")["bpvp"])) == [A_LABEL]
    con.execute("INSERT INTO review_decisions (answer_key, decision, decided_by, decided_at) "
                "VALUES ('f:2', 'buang', 'Petugas pusat', '2026-11-23T10:00:00')")
    con.commit()
    con.close()
    src = store.connect(a.store_path)
    with store.transaction(src):  # the BPVP takes its decision back (undo)
        src.execute("DELETE FROM review_decisions WHERE answer_key = 'f:1'")
    src.close()
    again = merge_workspaces([a.root], national, wait_seconds=0)[0]
    assert again.counts["keputusan tinjauan dihapus"] == 1
    assert _value(path, "SELECT COUNT(*) FROM review_decisions WHERE answer_key = 'f:1'") == 0
    assert _value(path, "SELECT refreshed_with FROM answers WHERE answer_key = 'f:1'") is None
    assert _value(path, "SELECT decided_by FROM review_decisions WHERE answer_key = 'f:2'") == \
        "Petugas pusat"


def pd_frame(con, sql):
    import pandas as pd

    return pd.read_sql_query(sql, con)


# --- issue 20: delivery reports of the blast app (SOP step 5) -------------------------------

DELIVERY_HEADER = "No HP,Nama,Status,Waktu\n"
PHONE_1, PHONE_2 = "+6281200000001", "+6281200000002"


def _report(*rows: str) -> bytes:
    return (DELIVERY_HEADER + "".join(r + "\n" for r in rows)).encode("utf-8")


DELIVERY_CASES = [
    # a "failed" dated next year must not outrank today's "read"
    _case("failed-dated-next-year", {"l.csv": _report("0812-0000-0001,Siti,Failed,28/11/2027 10:00",
                                                      "0812-0000-0001,Siti,Read,28/11/2026 09:00")},
          {"l.csv": "ok"}, rejected="sesudah tanggal acuan 28-11-2026",
          stored=("SELECT status FROM blast_deliveries", "dibaca")),
    _case("belum-terkirim-not-failed", {"l.csv": _report("0812-0000-0001,Siti,Belum terkirim,"
                                                         "27/11/2026 10:00")},
          {"l.csv": "ok"}, rejected="belum final (pesan belum terkirim, bukan gagal)",
          stored=("SELECT COUNT(*) FROM blast_deliveries", 0)),
    _case("belum-terkirim-after-a-failure", {"l.csv": _report(
        "0812-0000-0001,Siti,Failed,26/11/2026 10:00",
        "0812-0000-0001,Siti,Pesan belum terkirim,27/11/2026 10:00")}, {"l.csv": "ok"},
        rejected="belum final", stored=("SELECT status FROM blast_deliveries", "gagal")),
    # "2:06 PM" says nothing about day/month order; "11/25/2026" elsewhere says month first
    _case("ampm-with-month-first-evidence", {"l.csv": _report(
        "0812-0000-0001,Siti,Delivered,11/05/2026 2:06 PM",
        "0812-0000-0002,Budi,Read,11/25/2026 9:00 AM")}, {"l.csv": "ok"},
        stored=("SELECT status_at FROM blast_deliveries WHERE phone = '+6281200000001'",
                "2026-11-05T14:06:00")),
    _case("ampm-alone-reads-day-first", {"l.csv": _report(
        "0812-0000-0001,Siti,Delivered,11/05/2026 2:06 PM")}, {"l.csv": "ok"},
        stored=("SELECT status_at FROM blast_deliveries", "2026-05-11T14:06:00")),
    _case("ampm-with-day-first-evidence", {"l.csv": _report(
        "0812-0000-0001,Siti,Delivered,11/05/2026 2:06 PM",
        "0812-0000-0002,Budi,Read,25/11/2026 9:00 AM")}, {"l.csv": "ok"},
        stored=("SELECT status_at FROM blast_deliveries WHERE phone = '+6281200000001'",
                "2026-05-11T14:06:00")),
    _case("midnight-and-noon-12-hour", {"l.csv": _report(
        "0812-0000-0001,Siti,Sent,27/11/2026 12:05 AM", "0812-0000-0002,Budi,Sent,27/11/2026 12:05 PM")},
        {"l.csv": "ok"},
        stored=("SELECT group_concat(substr(status_at, 12, 5), ' ') FROM "
                "(SELECT status_at FROM blast_deliveries ORDER BY phone)", "00:05 12:05")),
]


@pytest.mark.parametrize("case", DELIVERY_CASES)
def test_delivery_corpus(case: Case, ws, tmp_path):
    from kebekerjaan.core import store
    from kebekerjaan.steps.answers.delivery import import_delivery_reports

    for name, data in case.files.items():
        write(ws.inbox("blast"), name, data)
    con = store.connect(ws.store_path)
    try:
        result = import_delivery_reports(con, ws.inbox("blast"), ws.settings(), tmp_path / "run",
                                         None, today=TODAY)
    finally:
        con.close()
    _check_common(result, case, ws)
    if case.rejected is not None:
        assert result.rejects["Alasan"].str.contains(case.rejected, regex=False).any(), \
            result.rejects["Alasan"].tolist()
    _check_stored(case, ws)


def test_delivery_a_future_failure_does_not_stop_reminders(ws, tmp_path):
    """The alumnus whose number was 'read' today and 'failed' next year (a typo) is still
    reminded: the latest real event wins. Likewise a store holding such a row from before."""
    from kebekerjaan.core import store
    from kebekerjaan.steps.answers.delivery import unreachable
    from kebekerjaan.steps.outreach.remind import remind

    # one alumnus, trained until 20 October, invited for wave 1 on 20 November
    person, number = "7471000000000001", "+6281200000001"
    con = store.connect(ws.store_path)
    with store.transaction(con):
        iid = store.log_import(con, kind="alumni", file_name="a.csv", sha256="a" * 64, status="ok",
                               imported_at="2026-10-21T09:00:00")
        con.execute("INSERT INTO alumni (nik, name, phone, first_import_id, last_import_id, "
                    "updated_at) VALUES (?, 'Siti Aminah', ?, ?, ?, 'x')", (person, number, iid, iid))
        eid = con.execute("INSERT INTO enrolments (nik, kejuruan, program, program_key, angkatan, "
                          "training_year, end_date, graduation, first_import_id, last_import_id, "
                          "updated_at) VALUES (?, 'Las', 'Juru Las', 'juru las', '1', 2026, "
                          "'2026-10-20', 'Lulus', ?, ?, 'x')", (person, iid, iid)).lastrowid
        con.execute("INSERT INTO outreach_log (nik, enrolment_id, kind, wave, sent_on, created_at) "
                    "VALUES (?, ?, 'undangan', 1, '2026-11-20', 'x')", (person, eid))
    con.close()
    write(ws.inbox("blast"), "l.csv", _report(f"{number},Siti,Failed,28/11/2027 10:00",
                                              f"{number},Siti,Read,21/11/2026 09:00"))
    result = remind(StepContext(ws, TODAY, tmp_path / "r5"))
    assert list(result.listed["nik"]) == [person] and result.no_phone.empty
    con = store.connect(ws.store_path)
    try:
        with store.transaction(con):  # a future row already in a store from before the fix
            con.execute("INSERT INTO blast_deliveries (delivery_key, phone, status, status_at, "
                        "import_id) VALUES ('lama', ?, 'gagal', '2027-11-28T10:00:00', 1)",
                        (number,))
        assert unreachable(con, TODAY) == {}
        assert number in unreachable(con, date(2027, 12, 1))  # by then it would count
    finally:
        con.close()


# --- issue 20: a consent answer in the form's own words, and saving settings ----------------

def test_form_consent_declined_in_own_words_is_a_refusal_not_a_response(ws, tmp_path):
    from kebekerjaan.steps.recap.scope import load_answers

    write(ws.inbox("respons"), "f.csv", _form_with(1, '"Ya, saya bersedia"', "Saya tidak bersedia."))
    collect_answers(StepContext(ws, TODAY, tmp_path / "run"))
    con = sqlite3.connect(ws.store_path)
    try:
        consent, aid = con.execute("SELECT consent, id FROM answers WHERE given_nik = "
                                   "'7471011201990001'").fetchone()
        assert consent == "tidak"  # not left in the notes only
        assert aid not in set(load_answers(con, TODAY)["id"])  # counted as a refusal, not a response
    finally:
        con.close()


@pytest.mark.parametrize("answer, declines", [
    ("Saya tidak bersedia.", True), ("tidak setuju", True), ("Saya keberatan", True),
    ("gak mau", True), ("No", True), ("Belum bersedia", True), ("tidak akan bersedia", True),
    ("Ya, saya bersedia", False), ("Tidak keberatan", False), ("Bersedia", False),
    ("Tidak masalah, saya bersedia", False), ("", False), (None, False),
])
def test_consent_wordings(answer, declines):
    from kebekerjaan.rules.refusals import declines as rule

    assert rule(answer) is declines


def _mapping_case(ws, data: bytes):
    ws.config_path.write_bytes(data)
    write(ws.inbox("respons"), "f.csv", csv_text(F.replace("Nama lengkap", "Nama si alumni", 1)))


def test_settings_mapping_saved_into_a_toml_with_a_byte_order_mark(ws):
    from kebekerjaan.core.config import load_settings
    from kebekerjaan.ui.mapping import ColumnMappingForm

    _mapping_case(ws, b"\xef\xbb\xbf" + ws.config_path.read_bytes())
    form = ColumnMappingForm(ws)
    (choice, picker), = [(c, p) for c, p in form.pickers if c.header == "Nama si alumni"]
    picker.value = "name"
    form._on_save()
    assert "Disimpan" in form.message.value, form.message.value
    assert ws.config_path.read_bytes().startswith(b"\xef\xbb\xbf")  # as Notepad saved it
    assert "Nama si alumni" in load_settings(ws.config_path).columns["respons"]["name"]


def test_settings_mapping_into_a_read_only_toml_says_so_and_changes_nothing(ws, monkeypatch):
    import errno
    import os
    from pathlib import Path

    from kebekerjaan.ui.mapping import ColumnMappingForm

    _mapping_case(ws, ws.config_path.read_bytes())
    before = ws.config_path.read_bytes()
    os.chmod(ws.config_path, 0o444)
    if os.geteuid() == 0:  # root writes read-only files: refuse as the file system would
        real = Path.write_bytes

        def refuse(self, data):
            if self == ws.config_path:
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return real(self, data)

        monkeypatch.setattr(Path, "write_bytes", refuse)
    form = ColumnMappingForm(ws)
    (choice, picker), = [(c, p) for c, p in form.pickers if c.header == "Nama si alumni"]
    picker.value = "name"
    form._on_save()
    assert "tidak dapat disimpan" in form.message.value and "hanya-baca" in form.message.value
    assert "Traceback" not in form.message.value and "OSError" not in form.message.value
    os.chmod(ws.config_path, 0o644)
    assert ws.config_path.read_bytes() == before


# --- the config (kebekerjaan.toml) ----------------------------------------------------------

CONFIG_CASES = [
    ("utf8-bom", b"\xef\xbb\xbf[institution]\nshort_name = \"BPVP Kendari\"\n", None),
    ("empty-file", b"", None),
    ("crlf", b"[run]\r\nlock_wait_seconds = 5\r\n", None),
    ("unknown-key", b"[intake]\nheader_rows = 5\n", "tidak dikenal"),
    ("typo-section-hint", b"[intkae]\nheader_search_rows = 5\n", "maksud Anda 'intake'"),
    ("wrong-type", b"[run]\nlock_wait_seconds = \"lama\"\n", "bilangan bulat"),
    ("invalid-toml", b"[run\nlock_wait_seconds = 5\n", "penulisan TOML tidak sah"),
    ("cp1252", "[institution]\nshort_name = \"BPVP Kendári\"\n".encode("cp1252"), "UTF-8"),
    ("utf16", "[institution]\nshort_name = \"x\"\n".encode("utf-16"), "UTF-8"),
    ("waves-not-rising", b"[survey]\nwaves_months = [6, 3, 1]\n", "naik"),
    ("kejuruan-without-name", b"[[kejuruan]]\naliases = [\"x\"]\n", "tidak punya 'name'"),
    ("table-expected", b"intake = 5\n", "harus berupa tabel"),
    ("nul-byte", b"[run]\nlock_wait_seconds = 5\x00\n", "TOML"),
]


@pytest.mark.parametrize("data, error", [pytest.param(d, e, id=i) for i, d, e in CONFIG_CASES])
def test_config_corpus(tmp_path, data, error):
    path = tmp_path / "kebekerjaan.toml"
    path.write_bytes(data)
    if error is None:
        settings = load_settings(path)
        assert settings.source == path
    else:
        with pytest.raises(ConfigError) as info:
            load_settings(path)
        assert error in str(info.value) and "kebekerjaan.toml" in str(info.value)


# --- what a killed run leaves behind (issue 20): its pre-run copy, marker and journal -------
# The next start must never put a damaged copy over the live store, never lose a staff save
# journalled during the run, and never fail every later run because of what it found.

NIK_BEFORE = "7471045101000111"  # in update_v1.csv: in the store before the run
NIK_NEW = "7471095606050116"  # only in update_v2.csv: comes in with the run
ANSWER = {"status": "bekerja", "employer": "Kopi Kenangan Kendari", "position": "Barista",
          "employer_type": "swasta", "sector": "akomodasi", "location": "Kota Kendari",
          "start_date": "2025-10-01", "income": "2.5-4", "relevance": "sangat_erat",
          "job_source": ["info_bpvp"], "consent": "ya"}
RUN_DAY = date(2026, 11, 27)


def _killed_run(ws, *, checked: bool = True, saves=()) -> dict:
    """A run that imported update_v2.csv and was killed before it ended, with `saves` (names
    of the staff saves below) made while it worked. In-process: the run's lock is released
    and its copy, marker and journal are left as a SIGKILL leaves them (tests/test_faults.py
    kills real processes)."""
    from kebekerjaan.core import recovery
    from kebekerjaan.steps.alumni import collect_alumni as collect

    (ws.inbox("alumni") / "update_v1.csv").write_bytes((FIXTURES / "alumni" / "update_v1.csv").read_bytes())
    collect(StepContext(ws, RUN_DAY, ws.outputs / "r0"))
    (ws.inbox("alumni") / "update_v2.csv").write_bytes((FIXTURES / "alumni" / "update_v2.csv").read_bytes())
    guard = recovery.RunGuard(ws, wait_seconds=0).__enter__()
    guard.begin("r1", ws.outputs / "r1" / "manifest.json")
    (ws.outputs / "r1").mkdir(parents=True, exist_ok=True)
    (ws.outputs / "r1" / "manifest.json").write_text('{"run_id": "r1", "status": "berjalan"}')
    if checked:
        guard._checker.join()  # its SHA-256 and integrity check are in the marker
    else:  # killed before the background check ended (on so small a copy it may be done)
        guard._stop_checker()
        marker = ws.data / ".sebelum-proses" / "r1.json"
        info = json.loads(marker.read_text(encoding="utf-8"))
        info.pop("checks", None)
        marker.write_text(json.dumps(info), encoding="utf-8")
    from kebekerjaan.core import lock

    lock.HELD.pop(str(ws.root))  # the steps below write as the run's kernel would
    import os

    os.environ[lock.RUN_ENV] = "r1"
    guard.lock.write({**guard._holder(), "run_id": "r1"})
    try:
        collect(StepContext(ws, RUN_DAY, ws.outputs / "r1"))  # the run's writes
        done = {name: _SAVES[name](ws) for name in saves}
    finally:
        os.environ.pop(lock.RUN_ENV)
    guard._marker = None  # killed: nothing puts the store back, nothing removes the files
    guard.lock.release()
    return done


def _save_answer(ws, nik=NIK_BEFORE):
    from kebekerjaan.steps.answers.manual import record_answer

    return record_answer(ws, nik=nik, answer=ANSWER, answered_on=RUN_DAY, entered_by="Rina",
                         today=RUN_DAY)


def _save_vacancy(ws):
    from kebekerjaan.steps.vacancies.gather import add_vacancy

    return add_vacancy(ws, company="CV Saat Proses", position="Kurir", kejuruan=["TIK"],
                       entered_by="Rina", today=RUN_DAY)


_SAVES = {"answer": _save_answer, "vacancy": _save_vacancy,
          "answer_new_alumnus": lambda ws: _save_answer(ws, NIK_NEW)}


def _rows(ws, sql, *args):
    con = sqlite3.connect(ws.store_path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def _alumni(ws) -> int:
    return _rows(ws, "SELECT COUNT(*) FROM alumni")[0][0]


def _private(ws):
    from kebekerjaan.core import journal

    folder = journal.private_dir(ws.data)
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _flip(path, needle: bytes | None = None, offset: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    at = data.index(needle) if needle is not None else offset
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def _next_start(ws) -> list:
    """What the next run, notebook or app page does first."""
    from kebekerjaan.core import recovery

    said = []
    with recovery.RunGuard(ws, wait_seconds=0, say=said.append) as guard:
        recs = guard.recovered
    return recs, " ".join(said)


COPY_DAMAGE = {
    # name: (damage the copy, checked in the background before the kill)
    "0-byte": (lambda c: c.write_bytes(b""), True, "kosong (0 bita)"),
    "0-byte, killed before the check": (lambda c: c.write_bytes(b""), False, "kosong (0 bita)"),
    "truncated to half": (lambda c: c.write_bytes(c.read_bytes()[: c.stat().st_size // 2]), True,
                          "terpotong"),
    "truncated, killed before the check": (
        lambda c: c.write_bytes(c.read_bytes()[: c.stat().st_size // 2]), False, "terpotong"),
    "one bit flipped in a name": (lambda c: _flip(c, b"Musdalifah"), True, "SHA-256 tidak cocok"),
    "one bit flipped in a page header, killed before the check": (
        lambda c: _flip(c, offset=2 * 4096), False, "integritas SQLite"),
    "not SQLite at all": (lambda c: c.write_bytes(b"bukan basis data " * 900), True, "ukurannya"),
    "another store of the same size": (None, False, "tidak sama dengan saat diambil"),
}


@pytest.mark.parametrize("damage", list(COPY_DAMAGE))
def test_a_damaged_pre_run_copy_never_replaces_the_live_store(ws, damage):
    """Issue 20: a 0-byte copy "restored" the store to empty, a half copy was written over
    it; both said the store was restored. Now the copy fails verification, the live store
    (with what the killed run committed, and the staff saves) is kept and used, the copy is
    set aside and named, and the next run goes on."""
    from kebekerjaan.core import journal

    spoil, checked, reason = COPY_DAMAGE[damage]
    saved = _killed_run(ws, checked=checked, saves=("answer", "vacancy"))
    copy = journal.private_dir(ws.data) / "r1.sqlite"
    if spoil is None:  # a sound store, but not this one: the store as the run left it
        other = ws.data / "lain.sqlite"
        from kebekerjaan.core import recovery

        recovery.snapshot(ws.store_path, other)
        if other.stat().st_size != copy.stat().st_size:
            pytest.skip("the run changed the store's size")
        other.replace(copy)
    else:
        spoil(copy)
    live = _rows(ws, "SELECT nik FROM alumni ORDER BY nik")
    (rec,), said = _next_start(ws)
    assert rec.outcome == "salinan_rusak" and reason in rec.copy_problem
    assert "rusak" in said and "TIDAK dipakai" in said and str(rec.kept_copy) in said
    assert "dikembalikan ke keadaan sebelum" not in said
    assert _rows(ws, "SELECT nik FROM alumni ORDER BY nik") == live  # untouched, 6 alumni
    assert _alumni(ws) == 6
    assert _rows(ws, "SELECT COUNT(*) FROM answers WHERE answer_key = ?", saved["answer"]) == [(1,)]
    assert _rows(ws, "SELECT COUNT(*) FROM vacancies WHERE id = ?", saved["vacancy"]) == [(1,)]
    assert _rows(ws, "PRAGMA integrity_check") == [("ok",)]
    assert rec.kept_copy.exists() and _private(ws) == ["rusak", "rusak/r1.formulir.jsonl",
                                                      "rusak/r1.json", "rusak/r1.sqlite"]
    manifest = json.loads((ws.outputs / "r1" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["store_restored"] is False and manifest["damaged_copy_kept"] == str(rec.kept_copy)
    assert _next_start(ws)[0] == []  # nothing left to trip over


def test_a_damaged_live_store_and_a_damaged_copy_keep_both_and_stop(ws):
    from kebekerjaan.core import journal
    from kebekerjaan.core.errors import StorageError

    _killed_run(ws, saves=("answer",))
    copy = journal.private_dir(ws.data) / "r1.sqlite"
    copy.write_bytes(b"")
    con = sqlite3.connect(ws.store_path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(ws.store_path.read_bytes())
    data[4096 * 2: 4096 * 2 + 64] = b"\xff" * 64  # a page the store cannot read any more
    ws.store_path.write_bytes(bytes(data))
    before = (ws.store_path.read_bytes(), _private(ws))
    for _ in range(2):  # every start says the same and touches nothing
        with pytest.raises(StorageError) as info:
            _next_start(ws)
        text = str(info.value)
        assert str(ws.store_path) in text and str(copy) in text
        assert "Kedua berkas disimpan apa adanya" in text and "cadangan" in text
        assert (ws.store_path.read_bytes(), _private(ws)) == before
    # staff put a good store back (here: the run's own first import again) and go on
    ws.store_path.unlink()
    (rec,), said = _next_start(ws)
    assert rec.outcome == "salinan_rusak" and "rusak/r1.sqlite" in said


def test_a_damaged_live_store_is_replaced_by_a_sound_copy(ws):
    _killed_run(ws, saves=("vacancy",))
    con = sqlite3.connect(ws.store_path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    ws.store_path.write_bytes(b"rusak" * 1000)
    (rec,), said = _next_start(ws)
    assert rec.restored and rec.applied == 1
    assert _alumni(ws) == 5 and _rows(ws, "PRAGMA integrity_check") == [("ok",)]
    assert _rows(ws, "SELECT company FROM vacancies") == [("CV Saat Proses",)]


def test_an_unreadable_marker_with_a_sound_copy_is_still_restored(ws):
    from kebekerjaan.core import journal

    saved = _killed_run(ws, saves=("answer",))
    (journal.private_dir(ws.data) / "r1.json").write_text("{ terpotong")
    (rec,), said = _next_start(ws)
    assert rec.restored and _alumni(ws) == 5  # the copy checked in full: integrity, schema
    assert _rows(ws, "SELECT COUNT(*) FROM answers WHERE answer_key = ?", saved["answer"]) == [(1,)]
    assert _private(ws) == []


def test_stray_sqlite_files_next_to_a_sound_copy_change_nothing(ws):
    """A -journal or -wal beside the copy (left by a tool that opened it) would roll back or
    add pages if the copy were opened normally; it is verified and read as it is, and gone
    afterwards."""
    from kebekerjaan.core import journal

    saved = _killed_run(ws, saves=("answer",))
    folder = journal.private_dir(ws.data)
    for suffix in ("-journal", "-wal"):
        (folder / f"r1.sqlite{suffix}").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"x" * 600)
    (rec,), _ = _next_start(ws)
    assert rec.restored and _alumni(ws) == 5
    assert _rows(ws, "SELECT COUNT(*) FROM answers WHERE answer_key = ?", saved["answer"]) == [(1,)]
    assert _private(ws) == []


JOURNAL_DAMAGE = {
    # name: (change to the journal, text naming the kept save)
    "last line cut short": (lambda lines: lines[:-1] + [lines[-1][: len(lines[-1]) // 2]],
                            "lowongan yang diisi petugas yang catatannya tidak terbaca"),
    "a line that is not JSON": (lambda lines: lines + ["\x00\x00 bukan json"], "tidak terbaca"),
    "a byte that is not UTF-8 in the answer's line": (
        lambda lines: [lines[0].replace("Rina", "R\udcffna"), *lines[1:]],
        "jawaban alumni yang dicatat petugas yang catatannya tidak terbaca"),
    "an operation this version does not know": (
        lambda lines: lines + [json.dumps({"id": "x", "op": "hapus_semua", "kwargs": {}})],
        "tidak dikenal"),
    "fields the save no longer takes": (
        lambda lines: lines + [json.dumps({"id": "y", "op": "tambah_lowongan",
                                           "kwargs": {"perusahaan": "CV Lama"}})],
        "galat internal (TypeError"),
}


@pytest.mark.parametrize("damage", list(JOURNAL_DAMAGE))
def test_a_damaged_journal_line_is_kept_and_named_and_the_rest_replayed(ws, damage):
    from kebekerjaan.core import journal

    change, reason = JOURNAL_DAMAGE[damage]
    saved = _killed_run(ws, saves=("answer", "vacancy"))
    path = journal.private_dir(ws.data) / "r1.formulir.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_bytes(("\n".join(change(lines)) + "\n").encode("utf-8", "surrogateescape"))
    (rec,), said = _next_start(ws)
    assert rec.restored and _alumni(ws) == 5
    assert len(rec.kept) == 1 and reason in rec.kept[0]
    assert "TIDAK dapat diterapkan ulang" in said and str(rec.kept_file) in said
    kept = [json.loads(x) for x in rec.kept_file.read_text(encoding="utf-8").splitlines()]
    assert len(kept) == 1 and kept[0]["alasan"] in rec.kept[0]
    # the readable saves are back (the damaged one is kept, not applied)
    answers = 0 if "answer's line" in damage else 1
    assert _rows(ws, "SELECT COUNT(*) FROM answers WHERE answer_key = ?", saved["answer"]) == [
        (answers,)]
    vacancies = 0 if damage == "last line cut short" else 1
    assert _rows(ws, "SELECT COUNT(*) FROM vacancies")[0][0] == vacancies
    assert _private(ws) == ["tertahan", "tertahan/r1.jsonl"]  # the marker is gone
    manifest = json.loads((ws.outputs / "r1" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["form_saves_kept"] == str(rec.kept_file)
    assert _next_start(ws)[0] == []


def test_a_save_the_restored_store_refuses_is_kept_with_where_to_enter_it(ws):
    """An answer recorded for an alumnus who came in with the killed run: after the store is
    put back that alumnus is not there; the save is kept and named, not dropped."""
    saved = _killed_run(ws, saves=("answer_new_alumnus", "vacancy"))
    (rec,), said = _next_start(ws)
    assert rec.restored and rec.applied == 1 and len(rec.kept) == 1
    assert "tidak ada di data alumni" in rec.kept[0] and "halaman 'Catat jawaban'" in rec.kept[0]
    assert "oleh Rina" in rec.kept[0]
    (kept,) = [json.loads(x) for x in rec.kept_file.read_text(encoding="utf-8").splitlines()]
    assert kept["kwargs"]["nik"] == NIK_NEW and kept["result"] == saved["answer_new_alumnus"]


def test_saves_journalled_for_two_unfinished_runs_are_replayed_once(ws):
    import shutil

    from kebekerjaan.core import journal

    saved = _killed_run(ws, saves=("answer",))
    folder = journal.private_dir(ws.data)
    # an older unfinished run whose copy never got its name (killed while copying), whose
    # journal holds the same save
    shutil.copyfile(folder / "r1.formulir.jsonl", folder / "r0.formulir.jsonl")
    (folder / "r0.json").write_text(json.dumps({"run_id": "r0", "copy": "r0.sqlite"}))
    recs, said = _next_start(ws)
    assert [r.outcome for r in recs] == ["belum_menulis", "dikembalikan"]
    assert _rows(ws, "SELECT COUNT(*) FROM answers WHERE answer_key = ?", saved["answer"]) == [(1,)]
    assert recs[1].applied == 1 and _private(ws) == []


def test_corpus_has_over_a_hundred_kinds():
    assert len(ALUMNI_CASES) + len(VACANCY_CASES) + len(FORM_CASES) + len(CONFIG_CASES) >= 100
