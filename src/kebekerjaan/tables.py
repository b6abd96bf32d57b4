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
    ignored_columns: list[str] = field(default_factory=list)
    sheet: str | None = None


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
) -> RawTable:
    """Read `path`, locate its header row, map headers to fields through `aliases`.

    Raises InputFileError (Indonesian) when the file cannot be used as a whole.
    """
    path = Path(path)
    alias_index = {header_key(a): fld for fld, names in aliases.items() for a in (*names, fld)}
    if not path.exists():
        raise InputFileError(path, "berkas tidak ditemukan")
    if path.stat().st_size == 0:
        raise InputFileError(path, "berkas kosong (0 byte)")
    if path.suffix.lower() == ".csv":
        grid, sheet = _read_csv_grid(path, alias_index, search_rows), None
    else:
        grid, sheet = _read_excel_grid(path, alias_index, search_rows)
    return _to_table(path, grid, sheet, alias_index, aliases, required, search_rows)


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


def _to_table(path, grid, sheet, alias_index, aliases, required, search_rows) -> RawTable:
    header_idx, score = _header_index(grid, alias_index, search_rows)
    if header_idx < 0:
        raise InputFileError(
            path,
            f"baris judul kolom tidak ditemukan di {search_rows} baris pertama "
            f"(dicari judul seperti: {', '.join(repr(aliases[f][0]) for f in required)})",
        )
    header = [str(c).strip() for c in grid[header_idx]]
    positions: dict[str, int] = {}
    found: dict[str, str] = {}
    ignored: list[str] = []
    for pos, text in enumerate(header):
        fld = alias_index.get(header_key(text)) if text else None
        if fld is None or fld in positions:
            if text:
                ignored.append(text)
            continue
        positions[fld] = pos
        found[fld] = text
    missing = [f for f in required if f not in positions]
    if missing:
        described = "; ".join(
            f"{aliases[f][0]} (judul yang dikenali: {', '.join(aliases[f][:4])}...)" for f in missing
        )
        raise InputFileError(
            path,
            f"kolom wajib tidak ditemukan: {described}. Jika judul kolomnya lain, tambahkan "
            f"sebagai alias di kebekerjaan.toml bagian [columns]",
        )
    # One object block of every cell (None where a row is short); the matched columns
    # are picked from it by position, without a frame of the whole sheet in between.
    cells = pd.DataFrame(grid[header_idx + 1:], dtype=object).to_numpy(dtype=object)
    width = max(cells.shape[1], len(header))
    if width > cells.shape[1]:  # header cells past the last data column: those columns are NaN
        cells = np.hstack([cells, np.full((len(cells), width - cells.shape[1]), np.nan, object)])
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
    )

