"""Excel output for staff: styled, filterable, and safe to open.

Any text cell that Excel or LibreOffice could take for a formula (leading `=`, `+`,
`-`, `@`, or a control character) is written as a plain string with the quote
prefix set, so it shows as typed and never runs, even after the cell is edited.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

_RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
DATE_FORMAT = "DD/MM/YYYY"


def is_risky(text: str) -> bool:
    return bool(text) and (text.startswith(_RISKY_START) or ord(text[0]) < 32)


def safe_csv_value(value):
    """For CSV output: prefix a risky text with an apostrophe (the OWASP advice)."""
    if isinstance(value, str) and is_risky(value):
        return "'" + value
    return value


def write_workbook(path: Path, sheets: Mapping[str, pd.DataFrame]) -> Path:
    """Write each frame as a sheet with a styled header, frozen panes and a filter."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    book.remove(book.active)
    for title, frame in sheets.items():
        _write_sheet(book.create_sheet(title=title[:31]), frame)
    book.save(path)
    return path


def _write_sheet(sheet, frame: pd.DataFrame) -> None:
    columns = [str(c) for c in frame.columns]
    sheet.append(columns)
    for cell in sheet[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [len(c) for c in columns]
    for r, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c)
            value = _cell_value(value)
            if isinstance(value, str):
                # Explicit string type: openpyxl would otherwise store "=..." as a formula.
                cell.value = value
                cell.data_type = "s"
                if is_risky(value):
                    cell.quotePrefix = True
                widths[c - 1] = max(widths[c - 1], min(len(value), 60))
            else:
                cell.value = value
                if isinstance(value, (dt.date, dt.datetime)):
                    cell.number_format = DATE_FORMAT
                    widths[c - 1] = max(widths[c - 1], 10)
                elif value is not None:
                    widths[c - 1] = max(widths[c - 1], len(str(value)))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 62)
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(sheet.max_row, 1)}"


def _cell_value(value):
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()  # numpy scalar
    return value
