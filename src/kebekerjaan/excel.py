"""Excel output for staff: styled, filterable, and safe to open.

Any text cell that Excel or LibreOffice could take for a formula (leading `=`, `+`,
`-`, `@`, or a control character) is written as a plain string with the quote
prefix set, so it shows as typed and never runs, even after the cell is edited.

Workbooks are write-only, so they are written with XlsxWriter in constant-memory mode
(each row is flushed to disk as it is written, strings inline): memory stays flat for
the million-row lists of a national recap, and every cell is written with an explicit
type (write_string never makes a formula). Each distinct value of a column is
prepared once (kind, value, format), then the rows are written cell by cell.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

_RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")
HEADER_STYLE = {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78", "pattern": 1,
                "text_wrap": True, "valign": "vcenter"}
DATE_FORMAT = "DD/MM/YYYY"
PERCENT_FORMAT = "0.0%"
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_MAX_WIDTH = 60
CONSTANT_MEMORY = True


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
    book = xlsxwriter.Workbook(str(path), {"constant_memory": CONSTANT_MEMORY})
    styles = _Styles(book)
    try:
        for title, frame in sheets.items():
            _write_sheet(book, styles, title[:31], frame, formats.get(title, {}))
    finally:
        book.close()
    return path


class _Styles:
    """The workbook's cell formats by key: header, quoted text, number formats."""

    def __init__(self, book):
        self.book = book
        self._formats: dict[tuple, object] = {}

    def get(self, key: tuple | None):
        if key is None:
            return None
        if key not in self._formats:
            kind = key[0]
            if kind == "header":
                props = HEADER_STYLE
            elif kind == "quote":
                props = {"quote_prefix": True}
            else:
                props = {"num_format": key[1]}
            self._formats[key] = self.book.add_format(props)
        return self._formats[key]


def _write_sheet(book, styles: _Styles, title: str, frame: pd.DataFrame,
                 formats: Mapping[str, str]) -> None:
    sheet = book.add_worksheet(title)
    columns = [str(c) for c in frame.columns]
    cols = [_column(frame.iloc[:, i], formats.get(name)) for i, name in enumerate(columns)]
    for i, (name, col) in enumerate(zip(columns, cols)):
        width = min(max(len(name), col.width) + 2, _MAX_WIDTH + 2)
        sheet.set_column(i, i, max(width, 8))
    sheet.freeze_panes(1, 0)
    if columns:
        sheet.autofilter(0, 0, len(frame), len(columns) - 1)
    header = styles.get(("header",))
    for c, name in enumerate(columns):
        sheet.write_string(0, c, name, header)
    # Per column, the distinct cells as (writer, value, format) once; rows pick by code.
    writers = {"s": sheet.write_string, "n": sheet.write_number, "b": sheet.write_boolean}
    prepared = []
    for col in cols:
        table = [None if cell is None else
                 (writers[cell[0]], bool(cell[1]) if cell[0] == "b" else cell[1],
                  styles.get(cell[2]))
                 for cell in col.cells]
        prepared.append(_Column(col.codes, table, col.width).values())
    for r, row in enumerate(zip(*prepared), start=1):
        for c, cell in enumerate(row):
            if cell is not None:
                write, value, fmt = cell
                write(r, c, value, fmt)


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
