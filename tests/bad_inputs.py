"""Builders for the bad-input corpus (tests/test_bad_inputs.py): files made in a temp dir
from one small good export per input kind, so nothing large is committed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl

from tests.conftest import FIXTURES

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
