"""Read a spreadsheet or CSV export into a frame of raw cells, whatever its shape.

Exports carry title blocks, odd header spellings, `;` or `,`, UTF-8 or Windows-1252.
The header row is found by matching cells against the configured aliases; each
data row keeps its spreadsheet row number so a reject can point staff to it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kebekerjaan.errors import InputFileError
from kebekerjaan.headers import FieldNames, HeaderResolution, resolve_headers
from kebekerjaan.normalize.text import header_key

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
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


def is_input_name(name: str) -> bool:
    """An export staff dropped in, not an Excel lock file (~$...) or a hidden file."""
    return Path(name).suffix.lower() in SUFFIXES and not name.startswith(("~$", "."))


def input_files(folder: Path) -> list[Path]:
    """Files staff dropped in an inbox, oldest first (a later export updates an earlier one)."""
    if not folder.is_dir():
        return []
    files = [
        p for p in folder.iterdir()
        if p.is_file() and is_input_name(p.name)
    ]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))


def read_table(
    path: Path,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    *,
    search_rows: int = 30,
    questions: Mapping[str, str] | None = None,
) -> RawTable:
    """Read `path`, locate its header row, map headers to fields (kebekerjaan.headers):
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
    if path.suffix.lower() == ".csv":
        grid, sheet = _read_csv_grid(path, alias_index, search_rows), None
    else:
        grid, sheet = _read_excel_grid(path, alias_index, search_rows)
    return _to_table(path, grid, sheet, alias_index, aliases, required, search_rows, names)


def read_header(
    path: Path,
    aliases: Mapping[str, Sequence[str]],
    *,
    search_rows: int = 30,
    questions: Mapping[str, str] | None = None,
) -> tuple[list[str], HeaderResolution]:
    """The header row of `path` and how each header reads, without refusing anything
    (for the column-mapping form). Raises InputFileError for a file that cannot be read."""
    path = Path(path)
    names = FieldNames(aliases, questions)
    alias_index = names.exact_index()
    if not path.exists() or path.stat().st_size == 0:
        raise InputFileError(path, "berkas kosong atau tidak ditemukan")
    if path.suffix.lower() == ".csv":
        grid = _read_csv_grid(path, alias_index, search_rows)
    else:
        grid, _ = _read_excel_grid(path, alias_index, search_rows)
    header_idx, _ = _header_index(grid, alias_index, search_rows)
    header_idx = max(header_idx, 0)
    header = [_header_text(c) for c in grid[header_idx]] if grid else []
    cells = _cells(grid, header_idx, len(header))
    return header, resolve_headers(header, names, lambda pos: _column_has_data(cells, pos))


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
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" as Windows-1252.
        return data.decode("cp1252", errors="replace")


def _read_csv_grid(path: Path, alias_index, search_rows: int) -> list[list]:
    text = _decode(path.read_bytes())
    if not text.strip():
        raise InputFileError(path, "berkas kosong (tidak ada baris data)")
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
    lines = text.splitlines(keepends=True)
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


def _read_excel_grid(path: Path, alias_index, search_rows: int) -> tuple[list[list], str]:
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
        book = pc.CalamineWorkbook.from_path(str(path))
        best: tuple[int, list[list], str] = (-1, [], "")
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            _, score = _header_index(rows, alias_index, search_rows)
            if score > best[0]:
                best = (score, rows, name)
    except pc.PasswordError as exc:
        raise InputFileError(path, "berkas Excel terkunci kata sandi; hapus kata sandinya") from exc
    except Exception as exc:  # calamine raises several types for damaged files
        raise InputFileError(
            path, f"bukan berkas Excel yang utuh atau berkas rusak ({type(exc).__name__}: {exc})"
        ) from exc
    if not best[1]:
        raise InputFileError(path, "berkas kosong (tidak ada lembar berisi data)")
    return best[1], best[2]


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

