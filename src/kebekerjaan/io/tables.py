"""Read a spreadsheet or CSV export into a frame of raw cells, whatever its shape.

Exports carry title blocks, odd header spellings, `;` or `,`, UTF-8 or Windows-1252.
The header row is found by matching cells against the configured aliases; each
data row keeps its spreadsheet row number so a reject can point staff to it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kebekerjaan.core.errors import InputFileError
from kebekerjaan.io.headers import FieldNames, HeaderResolution, resolve_headers
from kebekerjaan.io.normalize.text import header_key

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
# The WhatsApp inbox takes chat exports: the .txt, or the .zip WhatsApp shares.
CHAT_SUFFIXES = (".txt", ".zip")
# Excel's own limit on a cell: a longer one is a damaged or mis-saved file, not data.
MAX_CELL = 32_767
# Characters that have no business in a name or an address: C0/C1 controls (a NUL cuts
# text short downstream), bidi overrides that make a name display reversed, zero-width
# characters. Removed, and the row flagged.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f"
                      "\u202a-\u202e\u2060-\u2069\ufeff\ue000]")
_NUL_STAND_IN = "\ue000"  # a NUL from a CSV, kept visible to the cell check (pandas cuts at NUL)
# Files staff never meant as input, left out of "not read" lists: our own placeholder.
_PLACEHOLDERS = {".gitkeep"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DELIMITERS = (";", ",", "\t", "|")


@dataclass
class RawTable:
    """Cells of one input file, columns renamed to field names."""

    path: Path
    frame: pd.DataFrame  # object dtype, one column per matched field
    row_numbers: pd.Series  # spreadsheet row number of each frame row (1-based)
    header_row: int
    columns: dict[str, str]  # field -> header text as found in the file
    ignored_columns: list[str] = field(default_factory=list)  # columns with data not used
    sheet: str | None = None
    resolution: HeaderResolution | None = None  # which header was read as which field, and why
    ignored_sheets: list[str] = field(default_factory=list)  # other sheets with content
    cleaned: pd.Series | None = None  # per row: control characters removed (note) or None


def is_input_name(name: str, suffixes: Sequence[str] = SUFFIXES) -> bool:
    """An export staff dropped in, not an Excel lock file (~$...) or a hidden file."""
    return Path(name).suffix.lower() in suffixes and not name.startswith(("~$", "."))


def input_files(folder: Path, suffixes: Sequence[str] = SUFFIXES) -> list[Path]:
    """Files staff dropped in an inbox or any subfolder of it, oldest first (a later export
    updates an earlier one)."""
    return inbox_files(folder, suffixes)[0]


def inbox_files(folder: Path,
                suffixes: Sequence[str] = SUFFIXES) -> tuple[list[Path], list[tuple[Path, str]]]:
    """(files to read, oldest first; [(file, why it is not read)]) for every file under `folder`.

    Nothing in an inbox goes unmentioned: a file is read, or listed with its reason.
    """
    if not Path(folder).is_dir():
        return [], []
    readable, unread = [], []
    for path in sorted(Path(folder).rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts[:-1]) or not path.is_file():
            continue  # hidden folders (.git, .Trash) are not staff's
        if path.name in _PLACEHOLDERS:
            continue
        reason = not_read_reason(path.name, suffixes)
        if reason:
            unread.append((path, reason))
        else:
            readable.append(path)
    readable.sort(key=lambda p: (p.stat().st_mtime_ns, p.name))
    return readable, unread


def not_read_reason(name: str, suffixes: Sequence[str] = SUFFIXES) -> str | None:
    if name.startswith("~$"):
        return ("berkas sementara Excel (dibuat saat berkas aslinya sedang dibuka); tutup Excel, "
                "lalu hapus berkas ini bila masih ada")
    if name.startswith("."):
        return "berkas tersembunyi tidak dibaca"
    suffix = Path(name).suffix.lower()
    if suffix not in suffixes:
        kinds = ", ".join(suffixes)
        what = f"jenis berkas '{suffix}'" if suffix else "berkas tanpa ekstensi"
        return f"{what} tidak dibaca di folder ini; yang dibaca: {kinds}"
    return None


def inbox_suffixes(kind: str) -> tuple[str, ...]:
    """The file types an inbox (data/masuk/<kind>/) reads."""
    return CHAT_SUFFIXES if kind == "wa" else SUFFIXES


# --- what a file really is, whatever its name says ---------------------------------------

# What staff are told a file is.
CONTENT_WORDS = {
    "xlsx": "buku kerja Excel (.xlsx)", "xls": "buku kerja Excel lama (.xls)",
    "ods": "lembar kerja OpenDocument (.ods)", "text": "berkas teks (mis. CSV)",
    "zip": "arsip ZIP", "docx": "dokumen Word (.docx)", "doc": "dokumen Word lama (.doc)",
    "pptx": "presentasi PowerPoint", "ppt": "presentasi PowerPoint lama",
    "odt": "dokumen OpenDocument (.odt)", "pdf": "berkas PDF", "image": "gambar",
    "html": "halaman web (HTML)", "encrypted": "buku kerja Excel yang terkunci kata sandi",
    "ole": "berkas Office yang tidak dikenal",
    "binary": "berkas rusak atau berkas biner yang tidak dikenal",
    "empty": "berkas kosong (0 byte)", "broken-zip": "arsip ZIP yang rusak atau terpotong",
}
# What each name promises.
_EXPECTED = {".xlsx": ("xlsx",), ".xlsm": ("xlsx",), ".xls": ("xls",), ".ods": ("ods",),
             ".csv": ("text",), ".txt": ("text",), ".zip": ("zip",)}
_OLE_NAMES = {  # stream names in an OLE container (UTF-16LE in its directory)
    "encrypted": "EncryptionInfo", "xls": "Workbook", "doc": "WordDocument",
    "ppt": "PowerPoint Document"}


def sniff(path: Path) -> str:
    """What `path` holds, from its bytes: xlsx, xls, ods, text, zip, docx, doc, pptx, ppt,
    odt, pdf, image, html, encrypted, ole, binary, empty or broken-zip (CONTENT_WORDS)."""
    import zipfile

    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                mimetype = (archive.read("mimetype")[:80].decode("ascii", "replace")
                            if "mimetype" in names else "")
                if not mimetype and "content.xml" in names:
                    # OpenDocument saved without its mimetype (and maybe its manifest):
                    # the body says which kind (read in pieces, it can be large).
                    mimetype = _opendocument_kind(archive)
        except (zipfile.BadZipFile, OSError, KeyError, ValueError):
            return "broken-zip"
        if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        if "ppt/presentation.xml" in names:
            return "pptx"
        if "spreadsheet" in mimetype:
            return "ods"
        if "opendocument.text" in mimetype:
            return "odt"
        return "zip"
    if head.startswith(_OLE_MAGIC):
        import mmap

        with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            for kind, name in _OLE_NAMES.items():
                if data.find(name.encode("utf-16-le")) >= 0:
                    return kind
            if data.find("Book".encode("utf-16-le")) >= 0:  # Excel 5/95 workbooks
                return "xls"
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")) or head[8:12] == b"WEBP":
        return "image"
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "text"  # UTF-16 text (Excel's "Unicode Text")
    text = head.decode("latin-1").lstrip("\ufeff\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(("<!doctype html", "<html", "<table", "<?xml")):
        return "html"
    # Text: next to no control bytes (a stray one is the readers' to flag; a UTF-16 file
    # without a BOM has a NUL beside most letters).
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    if controls <= max(2, len(head) // 100) or head.count(0) > len(head) // 4:
        return "text"
    return "binary"


def _opendocument_kind(archive) -> str:
    """'spreadsheet' or 'opendocument.text' from content.xml's body element, else ''."""
    tail = b""
    with archive.open("content.xml") as fh:
        for _ in range(256):  # at most 16 MB of styles before the body
            chunk = fh.read(65536)
            if not chunk:
                break
            text = tail + chunk
            if b"<office:spreadsheet" in text:
                return "spreadsheet"
            if b"<office:text" in text:
                return "opendocument.text"
            tail = text[-32:]
    return ""


def content_problem(path: Path, suffixes: Sequence[str] = SUFFIXES) -> str | None:
    """Why `path` is not what its name says (None when it is): a Word file renamed to .xlsx,
    a web page saved as .xls, an Excel file saved as .csv... said with what to do."""
    path = Path(path)
    suffix = path.suffix.lower()
    expected = _EXPECTED.get(suffix)
    if expected is None:
        return None
    found = sniff(path)
    if found in expected:
        return None
    if found == "empty":
        return "berkas kosong (0 byte)"
    what = CONTENT_WORDS.get(found, found)
    if found == "encrypted" or (found == "ole" and suffix in (".xlsx", ".xlsm")):
        return ("berkas Excel terkunci kata sandi (terenkripsi). Buka di Excel, hapus kata "
                "sandinya, simpan ulang, lalu tambahkan lagi")
    lead = f"isinya {what}, bukan {CONTENT_WORDS[expected[0]]} seperti nama berkasnya"
    fixes = {"xlsx": ".xlsx", "xls": ".xls", "ods": ".ods", "text": ".csv"}
    if found in fixes and fixes[found] in suffixes:
        return (f"{lead}. Ganti akhiran nama berkasnya menjadi {fixes[found]} (atau buka di "
                "Excel lalu Simpan Sebagai .xlsx), kemudian tambahkan lagi")
    if found == "html":
        return (f"{lead}: unduhan ini halaman web. Buka di Excel, lalu Simpan Sebagai "
                "Excel Workbook (.xlsx), kemudian tambahkan berkas .xlsx itu")
    if found == "broken-zip":
        return f"{what}; unduh atau simpan ulang berkasnya, lalu tambahkan lagi"
    return (f"{lead}. Yang dibaca di sini: {', '.join(suffixes)}; simpan datanya sebagai "
            "salah satunya, lalu tambahkan lagi")


def read_table(
    path: Path,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    *,
    search_rows: int = 30,
    questions: Mapping[str, str] | None = None,
) -> RawTable:
    """Read `path`, locate its header row, map headers to fields (kebekerjaan.io.headers):
    through `aliases`, the `questions` wording (field -> question text), then tolerantly.

    Raises InputFileError (Indonesian) when the file cannot be used as a whole.
    """
    path = Path(path)
    names = FieldNames(aliases, questions)
    alias_index = names.exact_index()
    if not path.exists():
        raise InputFileError(path, "berkas tidak ditemukan")
    if path.stat().st_size == 0:
        raise InputFileError(path, "berkas kosong (0 byte)")
    problem = content_problem(path)
    if problem:
        raise InputFileError(path, problem)
    ignored_sheets: list[str] = []
    if path.suffix.lower() == ".csv":
        grid, sheet = _read_csv_grid(path, alias_index, search_rows), None
    else:
        grid, sheet, ignored_sheets = _read_excel_grid(path, alias_index, required, search_rows)
    table = _to_table(path, grid, sheet, alias_index, aliases, required, search_rows, names)
    table.ignored_sheets = ignored_sheets
    table.cleaned = _strip_controls(table.frame, table.columns)
    return table


def read_header(
    path: Path,
    aliases: Mapping[str, Sequence[str]],
    *,
    search_rows: int = 30,
    questions: Mapping[str, str] | None = None,
) -> tuple[list[str], HeaderResolution, dict[int, list[str]]]:
    """The header row of `path`, how each header reads, and a few values of each column
    (position -> up to 3 distinct values), without refusing anything (for the
    column-mapping form). Raises InputFileError for a file that cannot be read."""
    path = Path(path)
    names = FieldNames(aliases, questions)
    alias_index = names.exact_index()
    if not path.exists() or path.stat().st_size == 0:
        raise InputFileError(path, "berkas kosong atau tidak ditemukan")
    problem = content_problem(path)
    if problem:
        raise InputFileError(path, problem)
    if path.suffix.lower() == ".csv":
        grid = _read_csv_grid(path, alias_index, search_rows)
    else:
        grid, _, _ = _read_excel_grid(path, alias_index, (), search_rows)
    header_idx, _ = _header_index(grid, alias_index, search_rows)
    header_idx = max(header_idx, 0)
    header = [_header_text(c) for c in grid[header_idx]] if grid else []
    cells = _cells(grid, header_idx, len(header))
    resolution = resolve_headers(header, names, lambda pos: _column_has_data(cells, pos))
    return header, resolution, {pos: _samples(cells, pos) for pos in range(len(header))}


def _samples(cells: np.ndarray, pos: int, n: int = 3) -> list[str]:
    out: list[str] = []
    if pos >= cells.shape[1]:
        return out
    for value in cells[:200, pos]:
        text = _header_text(value)
        if text and text not in out:
            out.append(text[:60])
            if len(out) == n:
                break
    return out


def _header_text(cell) -> str:
    if cell is None or (isinstance(cell, float) and cell != cell):
        return ""
    return " ".join(str(cell).split())


def _cells(grid, header_idx: int, width: int) -> np.ndarray:
    """Every cell below the header as one object block, at least `width` columns wide."""
    cells = pd.DataFrame(grid[header_idx + 1:], dtype=object).to_numpy(dtype=object)
    if cells.ndim != 2 or cells.shape[0] == 0:
        return np.empty((0, width), dtype=object)
    if width > cells.shape[1]:  # header cells past the last data column: those columns are NaN
        cells = np.hstack([cells, np.full((len(cells), width - cells.shape[1]), np.nan, object)])
    return cells


def _column_has_data(cells: np.ndarray, pos: int) -> bool:
    if pos >= cells.shape[1]:
        return False
    values = cells[:, pos]
    filled = ~(pd.isna(values) | (values == ""))
    if not filled.any():
        return False
    # A cell of spaces only is not data either.
    return any(str(v).strip() for v in values[filled])


def sheets_note(table: RawTable) -> str:
    """Other sheets of a workbook that were not read, named (never ignored silently)."""
    if not table.ignored_sheets:
        return ""
    return (f"hanya lembar '{table.sheet}' yang dibaca; lembar lain tanpa judul kolom lengkap "
            f"tidak dibaca: {', '.join(repr(n) for n in table.ignored_sheets)}")


def cleaned_note(table: RawTable) -> str:
    """Which rows had control characters removed, for inputs without per-row flags."""
    if table.cleaned is None or not table.cleaned.notna().any():
        return ""
    rows = table.row_numbers[table.cleaned.notna().to_numpy()].tolist()
    shown = ", ".join(map(str, rows[:20])) + (" ..." if len(rows) > 20 else "")
    return f"karakter kendali/tak terlihat dihapus pada baris {shown}"


def _strip_controls(frame: pd.DataFrame, headers: Mapping[str, str]) -> pd.Series:
    """Remove control and invisible characters in place; a note per row that had some."""
    notes = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    for col in frame.columns:
        values = frame[col].to_numpy(dtype=object)
        # One search over the whole column (nearly always clean) before any cell is touched;
        # "\n" is not in _CONTROL.
        try:
            joined = "\n".join(values)
        except TypeError:  # numbers, dates, blanks among the text
            joined = "\n".join(v for v in values if type(v) is str)
        if not _CONTROL.search(joined):
            continue
        label = headers.get(col, col)
        for i, v in enumerate(values):
            if type(v) is str and _CONTROL.search(v):
                values[i] = _CONTROL.sub("", v)
                note = f"karakter kendali/tak terlihat dihapus dari kolom '{label}'"
                notes.iat[i] = note if notes.iat[i] is None else f"{notes.iat[i]}; {note}"
        frame[col] = values
    return notes


def _score(row: Sequence, alias_index: Mapping[str, str]) -> int:
    """How many distinct fields the cells of a row name."""
    return len({alias_index[k] for k in (header_key(str(c)) for c in row if c != "") if k in alias_index})


def _header_index(rows: Sequence[Sequence], alias_index, search_rows: int) -> tuple[int, int]:
    best, best_score = -1, 0
    for i, row in enumerate(rows[:search_rows]):
        s = _score(row, alias_index)
        if s > best_score:
            best, best_score = i, s
    return best, best_score


def _decode(data: bytes) -> str:
    # Excel's "Unicode Text" is UTF-16 (with a BOM); some tools write it without one,
    # which shows as a NUL beside nearly every ASCII character.
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    head = data[:4000]
    if len(head) >= 4 and head.count(0) > len(head) // 4:
        odd, even = head[1::2].count(0), head[0::2].count(0)
        return data.decode("utf-16-le" if odd > even else "utf-16-be", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" as Windows-1252.
        return data.decode("cp1252", errors="replace")


def _read_csv_grid(path: Path, alias_index, search_rows: int) -> list[list]:
    text = _decode(path.read_bytes())
    if "\x00" in text:
        text = text.replace("\x00", _NUL_STAND_IN)
    if not text.strip():
        raise InputFileError(path, "berkas kosong (tidak ada baris data)")
    lines = text.splitlines(keepends=True)
    _check_cell_length(path, lines)
    head = text.splitlines()[:search_rows]
    best = (-1, 0, ",")
    for delim in _DELIMITERS:
        rows = list(csv.reader(head, delimiter=delim))
        idx, score = _header_index(rows, alias_index, search_rows)
        if score > best[1]:
            best = (idx, score, delim)
    header_idx, _, delim = best
    if header_idx < 0:
        return [row for row in csv.reader(head, delimiter=",")]
    # The C parser reads the table below the header; lines above it (a title block)
    # may have any shape, so they are skipped rather than parsed.
    body = "".join(lines[header_idx:])
    try:
        frame = pd.read_csv(
            io.StringIO(body), sep=delim, header=None, dtype=str, keep_default_na=False,
            skip_blank_lines=False, engine="c", on_bad_lines="error",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputFileError(path, f"susunan kolom CSV tidak konsisten ({exc})") from exc
    grid = [[""]] * header_idx + frame.values.tolist()
    return grid


def _check_cell_length(path: Path, lines: list[str]) -> None:
    """Refuse a file with a cell longer than Excel allows, naming the row (the csv module
    would stop the whole drop at 131,072 characters)."""
    if max(map(len, lines), default=0) <= MAX_CELL:
        return
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_CELL:
            longest = max(len(cell) for cell in re.split(r"[;,\t|]", line))
            if longest > MAX_CELL:
                raise InputFileError(
                    path,
                    f"baris {number} berisi sel sepanjang {longest:,} karakter (batas sel Excel "
                    f"{MAX_CELL:,}); berkas tampaknya rusak atau salah simpan. Periksa baris itu, "
                    "simpan ulang, lalu taruh kembali di folder masuk".replace(",", "."),
                )


def _read_excel_grid(path: Path, alias_index, required,
                     search_rows: int) -> tuple[list[list], str, list[str]]:
    import python_calamine as pc

    with open(path, "rb") as fh:
        magic = fh.read(8)
    if magic == _OLE_MAGIC and path.suffix.lower() != ".xls":
        raise InputFileError(
            path,
            "berkas Excel terkunci kata sandi (terenkripsi). Buka di Excel, hapus kata "
            "sandinya, simpan ulang, lalu taruh kembali di folder masuk",
        )
    try:
        book = _open_workbook(pc, path)
        best: tuple[int, list[list], str] = (-1, [], "")
        complete, other = [], []  # sheets whose header names every required field; the rest
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            idx, score = _header_index(rows, alias_index, search_rows)
            named = {alias_index.get(header_key(str(c))) for c in rows[idx]} if idx >= 0 else set()
            if required and set(required) <= named:
                complete.append(name)
            elif any(any(c not in ("", None) for c in row) for row in rows[:search_rows]):
                other.append(name)
            if score > best[0]:
                best = (score, rows, name)
    except pc.PasswordError as exc:
        raise InputFileError(path, "berkas Excel terkunci kata sandi; hapus kata sandinya") from exc
    except InputFileError:
        raise
    except Exception as exc:  # calamine raises several types for damaged files
        raise InputFileError(
            path, "bukan berkas Excel/OpenDocument yang utuh atau berkas rusak; buka di Excel atau "
            f"LibreOffice, simpan ulang, lalu taruh kembali di folder masuk (rincian: {exc})"
        ) from exc
    if not best[1]:
        raise InputFileError(path, "berkas kosong (tidak ada lembar berisi data)")
    if len(complete) > 1:
        raise InputFileError(
            path,
            f"data ada di beberapa lembar ({', '.join(repr(n) for n in complete)}), masing-masing "
            "dengan judul kolom lengkap. Agar tidak ada yang terlewat atau terbaca dua kali, "
            "simpan tiap lembar sebagai berkas sendiri (atau gabungkan ke satu lembar), lalu "
            "taruh kembali di folder masuk",
        )
    chosen = complete[0] if complete else best[2]
    ignored = [n for n in [*complete, *other] if n != chosen]
    if chosen != best[2]:
        rows = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
        return rows, chosen, ignored
    return best[1], best[2], ignored


_ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
    f'manifest:media-type="{_ODS_MIME}"/><manifest:file-entry manifest:full-path="content.xml" '
    'manifest:media-type="text/xml"/></manifest:manifest>')


def _open_workbook(pc, path: Path):
    """calamine's workbook of `path`. An .ods that some tools write without its
    META-INF/manifest.xml or mimetype (calamine requires both, though the data is all in
    content.xml) is read from a copy in memory with the two added."""
    if path.suffix.lower() != ".ods":
        return pc.CalamineWorkbook.from_path(str(path))
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "content.xml" not in names:
                raise InputFileError(
                    path, "bukan lembar kerja OpenDocument yang utuh (content.xml tidak ada); buka "
                    "di LibreOffice, simpan ulang sebagai .ods atau .xlsx, lalu taruh kembali")
            if {"META-INF/manifest.xml", "mimetype"} <= names:
                return pc.CalamineWorkbook.from_path(str(path))
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as fixed:
                fixed.writestr(zipfile.ZipInfo("mimetype"), _ODS_MIME)  # first, stored
                if "META-INF/manifest.xml" not in names:
                    fixed.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
                for name in zf.namelist():
                    if name != "mimetype":
                        fixed.writestr(name, zf.read(name))
    except zipfile.BadZipFile:
        return pc.CalamineWorkbook.from_path(str(path))  # calamine names what is wrong
    return pc.CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue()))


def _to_table(path, grid, sheet, alias_index, aliases, required, search_rows,
              names: FieldNames | None = None) -> RawTable:
    names = names or FieldNames(aliases)
    header_idx, score = _header_index(grid, alias_index, search_rows)
    if header_idx < 0:
        raise InputFileError(
            path,
            f"baris judul kolom tidak ditemukan di {search_rows} baris pertama "
            f"(dicari judul seperti: {', '.join(repr((names.names(f) or [f])[0]) for f in required)})",
        )
    header = [_header_text(c) for c in grid[header_idx]]
    # One object block of every cell (None where a row is short); the matched columns
    # are picked from it by position, without a frame of the whole sheet in between.
    cells = _cells(grid, header_idx, len(header))
    resolution = resolve_headers(header, names, lambda pos: _column_has_data(cells, pos))
    if resolution.conflicts:
        raise InputFileError(path, "judul kolom tidak dapat dibaca dengan pasti: "
                             + " | ".join(resolution.conflicts))
    positions = {f: u.position for f, u in resolution.used.items()}
    found = {f: u.header for f, u in resolution.used.items()}
    ignored = [u.header or u.label for u in resolution.unused]
    missing = [f for f in required if f not in positions]
    if missing:
        described = "; ".join(
            f"{names.label(f)} (judul yang dikenali: "
            f"{', '.join(names.names(f)[:4]) or f}...)" for f in missing
        )
        raise InputFileError(
            path,
            f"kolom wajib tidak ditemukan: {described}. Jika judul kolomnya lain, tambahkan "
            f"sebagai alias di kebekerjaan.toml bagian [columns]",
        )
    picked = list(positions.values())
    # Wholly blank lines are layout, not data rows. Nearly every row has its first field,
    # so each further column is only looked at for the rows that are still blank.
    blank = np.ones(len(cells), dtype=bool)
    for pos in picked:
        rows = np.flatnonzero(blank)
        if not len(rows):
            break
        values = cells[rows, pos]
        blank[rows] = pd.isna(values) | (values == "")
    kept = np.flatnonzero(~blank)
    row_numbers = pd.Series(kept + header_idx + 2, dtype="int64")
    frame = pd.DataFrame(cells[np.ix_(kept, picked)], columns=list(positions), dtype=object)
    if frame.empty:
        raise InputFileError(path, "tidak ada baris data di bawah baris judul kolom")
    return RawTable(
        path=path,
        frame=frame,
        row_numbers=row_numbers,
        header_row=header_idx + 1,
        columns=found,
        ignored_columns=ignored,
        sheet=sheet,
        resolution=resolution,
    )

