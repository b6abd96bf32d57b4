"""Excel output for staff: styled, filterable, and safe to open.

Any text cell that Excel or LibreOffice could take for a formula (leading `=`, `+`,
`-`, `@`, or a control character) is written as a plain string with the quote
prefix set, so it shows as typed and never runs, even after the cell is edited.

Workbooks are written in openpyxl's write-only (streaming) mode. Without lxml,
openpyxl serialises each cell through an ElementTree element (~70k cells/s), too slow
for the 100k-row lists of step 8; when the stream allows it, the rows are written as
ready-made XML instead (same cells, same styles, ~10x faster), else cell by cell.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

_RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)
DATE_FORMAT = "DD/MM/YYYY"
PERCENT_FORMAT = "0.0%"
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_MAX_WIDTH = 60


def is_risky(text: str) -> bool:
    return bool(text) and (text.startswith(_RISKY_START) or ord(text[0]) < 32)


def safe_csv_value(value):
    """For CSV output: prefix a risky text with an apostrophe (the OWASP advice)."""
    if isinstance(value, str) and is_risky(value):
        return "'" + value
    return value


def write_workbook(path: Path, sheets: Mapping[str, pd.DataFrame],
                   formats: Mapping[str, Mapping[str, str]] | None = None) -> Path:
    """Write each frame as a sheet with a styled header, frozen panes and a filter.

    `formats` gives Excel number formats per sheet and column header, e.g.
    `{"Ringkasan": {"Tingkat Respons": "0.0%"}}`; they apply to the column's numbers and
    dates (dates default to DD/MM/YYYY). Text is always written as text.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    formats = formats or {}
    book = Workbook(write_only=True)
    for title, frame in sheets.items():
        _write_sheet(book, title[:31], frame, formats.get(title, {}))
    book.save(path)
    return path


class _Styles:
    """Style ids of one workbook: header, dates, number formats, quoted text."""

    def __init__(self, sheet):
        self.sheet = sheet
        self._ids: dict[tuple, int] = {}

    def cell(self, key: tuple) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet)
        kind = key[0]
        if kind == "header":
            cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, HEADER_ALIGNMENT
        elif kind == "quote":
            cell.quotePrefix = True
        elif kind == "format":
            cell.number_format = key[1]
        return cell

    def id(self, key: tuple) -> int:
        if key not in self._ids:
            self._ids[key] = self.cell(key).style_id
        return self._ids[key]


def _write_sheet(book, title: str, frame: pd.DataFrame, formats: Mapping[str, str]) -> None:
    sheet = book.create_sheet(title=title)
    columns = [str(c) for c in frame.columns]
    cols = [_column(frame.iloc[:, i], formats.get(name)) for i, name in enumerate(columns)]
    # Write-only sheets take widths, panes and the filter before the first row.
    for i, (name, col) in enumerate(zip(columns, cols), start=1):
        width = min(max(len(name), col.width) + 2, _MAX_WIDTH + 2)
        sheet.column_dimensions[get_column_letter(i)].width = max(width, 8)
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"
    styles = _Styles(sheet)
    if not _write_raw(sheet, columns, cols, styles):
        _write_cells(sheet, columns, cols, styles)


class _Column:
    """A column as codes into its distinct cells, so each distinct value is prepared once.

    A cell is (kind, value, style key): ("s", text, None | ("quote",)), ("n", number,
    None | ("format", fmt)) or ("b", 0/1, None); code -1 is an empty cell.
    """

    def __init__(self, codes: np.ndarray, cells: list, width: int):
        self.codes, self.cells, self.width = codes, cells, width

    def values(self) -> list:
        table = np.empty(len(self.cells) + 1, dtype=object)
        table[:-1] = self.cells
        return table[self.codes].tolist()  # code -1 picks the trailing None


def _column(series: pd.Series, fmt: str | None) -> _Column:
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_localize(None)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    date_key = ("format", fmt or DATE_FORMAT)
    num_key = ("format", fmt) if fmt else None
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return _Column(codes, [("n", _serial(v), date_key) for v in uniques], 10)
    cells = [_object_cell(v, num_key, date_key) for v in uniques.tolist()]
    width = 0
    for cell in cells:
        if cell is None:
            continue
        if cell[0] == "s":
            w = min(len(cell[1]), _MAX_WIDTH)
        elif cell[2] == date_key:
            w = 10
        elif fmt and "%" in fmt:
            w = 6
        else:
            w = len(f"{cell[1]:g}") if isinstance(cell[1], float) else len(str(cell[1]))
        width = max(width, w)
    return _Column(codes, cells, width)


def _object_cell(value, num_key, date_key):
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, str):
        if ILLEGAL_CHARACTERS_RE.search(value):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return ("s", value, ("quote",) if is_risky(value) else None)
    if isinstance(value, bool | np.bool_):
        return ("b", int(value), None)
    if isinstance(value, dt.date):  # datetime and pd.Timestamp included
        return ("n", _serial(value), date_key)
    if isinstance(value, int | np.integer):
        return ("n", int(value), num_key)
    if isinstance(value, float | np.floating):
        return ("n", float(value), num_key) if math.isfinite(value) else None
    return _object_cell(str(value), num_key, date_key)


def _serial(value) -> int | float:
    """Excel's day number (1900 date system) of a date or datetime."""
    if isinstance(value, dt.datetime):  # pd.Timestamp too
        delta = value.replace(tzinfo=None) - _EXCEL_EPOCH
        days = delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000
        return int(days) if days == int(days) else days
    return (value - _EXCEL_EPOCH.date()).days


def _raw_stream(sheet):
    """The text writer under a write-only sheet's XML stream (et_xmlfile), or None (lxml)."""
    writer = sheet._writer
    xf = writer.xf.send(True)
    write = getattr(xf, "_file", None)
    return xf, (write if callable(write) else None)


def _write_raw(sheet, columns: list[str], cols: list[_Column], styles: _Styles) -> bool:
    """Stream the rows as ready-made XML; False (nothing written) if the stream can't take it."""
    try:
        sheet._get_writer()
        writer = sheet._writer
    except AttributeError:  # pragma: no cover - a future openpyxl
        return False
    xf, write = _raw_stream(sheet)
    if write is None:
        writer.xf.send(None)  # hand the stream back untouched
        return False
    letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
    header_style = styles.id(("header",))
    prepared = [_Column(col.codes, [None if c is None else _cell_xml(c, styles) for c in col.cells],
                        col.width).values() for col in cols]
    with xf.element("sheetData"):
        write('<row r="1">' + "".join(
            f'<c r="{letter}1" s="{header_style}" t="inlineStr"><is>{_t(name)}</is></c>'
            for letter, name in zip(letters, columns)) + "</row>")
        chunk = []
        for r, bodies in enumerate(zip(*prepared), start=2):
            chunk.append(f'<row r="{r}">' + "".join(
                f'<c r="{letter}{r}"{body}' for letter, body in zip(letters, bodies)
                if body is not None) + "</row>")
            if len(chunk) >= 2000:
                write("".join(chunk))
                chunk.clear()
        write("".join(chunk))
    writer.xf.send(None)

    def done():
        yield

    # close() then finishes the sheet (tail: filter, widths...) without writing rows again.
    sheet._rows = done()
    return True


def _cell_xml(cell, styles: _Styles) -> str:
    kind, value, key = cell
    style = f' s="{styles.id(key)}"' if key else ""
    if kind == "s":
        return f'{style} t="inlineStr"><is>{_t(value)}</is></c>'
    if kind == "b":
        return f'{style} t="b"><v>{value}</v></c>'
    return f"{style}><v>{value!r}</v></c>"


def _t(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if text[:1].isspace() or text[-1:].isspace():
        return f'<t xml:space="preserve">{escaped}</t>'
    return f"<t>{escaped}</t>"


def _write_cells(sheet, columns: list[str], cols: list[_Column], styles: _Styles) -> None:
    """The plain openpyxl path: one WriteOnlyCell per cell."""
    header = []
    for name in columns:
        cell = styles.cell(("header",))
        cell.value = name
        cell.data_type = "s"
        header.append(cell)
    sheet.append(header)
    for values in zip(*(col.values() for col in cols)):
        row = []
        for item in values:
            if item is None:
                row.append(None)
                continue
            kind, value, key = item
            cell = styles.cell(key) if key else WriteOnlyCell(sheet)
            if kind == "b":
                value = bool(value)
            cell.value = value
            if kind == "s":
                # Explicit string type: openpyxl would otherwise store "=..." as a formula.
                cell.data_type = "s"
            row.append(cell)
        sheet.append(row)
