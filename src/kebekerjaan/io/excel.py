"""Excel output for staff: styled, filterable, and safe to open.

Any text cell that Excel or LibreOffice could take for a formula (leading `=`, `+`,
`-`, `@`, or a control character) is written as a plain string with the quote
prefix set, so it shows as typed and never runs, even after the cell is edited.

The workbooks are write-only, and the recap of a whole country puts millions of cells
in them, so this module writes the SpreadsheetML itself (a zip of a few XML parts,
ECMA-376), column-wise: each distinct value of a column becomes its cell XML once, and
each row is joined once. Measured side by side on 1.6 million cells when it was chosen
(docs/dev/recap.md): the former writer through openpyxl internals 0.55M cells/s, XlsxWriter
0.21M cells/s, this writer 1.2M cells/s. Every cell carries an explicit type (inline string,
number, boolean), so nothing is ever a formula; the tests read the files back with
openpyxl and with calamine.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape as _html_escape
from pathlib import Path

import numpy as np
import pandas as pd

from kebekerjaan.core import outfiles

_RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")
# Characters XML 1.0 cannot hold (openpyxl drops them too).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
HEADER_FILL = "1F4E78"
DATE_FORMAT = "DD/MM/YYYY"
PERCENT_FORMAT = "0.0%"
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_MAX_WIDTH = 60
_MAX_TEXT = 32767  # Excel's limit per cell
_ROWS_PER_WRITE = 20_000
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def is_risky(text: str) -> bool:
    return bool(text) and (text.startswith(_RISKY_START) or ord(text[0]) < 32)


def safe_csv_value(value):
    """For CSV output: prefix a risky text with an apostrophe (the OWASP advice)."""
    if isinstance(value, str) and is_risky(value):
        return "'" + value
    return value


@dataclass(frozen=True)
class CsvFormat:
    """How CSV files are written: `[output] csv_separator` and `csv_bom`."""

    separator: str = ";"
    bom: bool = True

    @property
    def encoding(self) -> str:
        return "utf-8-sig" if self.bom else "utf-8"


DEFAULT_CSV = CsvFormat()
CSV_SEPARATORS = (";", ",", "|", "\t")


def csv_format(settings) -> CsvFormat:
    """`[output]` of the settings, checked."""
    from kebekerjaan.core.errors import ConfigError

    sep = settings.output.csv_separator
    if sep not in CSV_SEPARATORS:
        raise ConfigError(f"{settings.where}: 'output.csv_separator' harus salah satu dari "
                          '";", ",", "|" atau "\\t" (tab), bukan ' f"{sep!r}.")
    return CsvFormat(sep, settings.output.csv_bom)


def write_csv(path: Path, frame: pd.DataFrame, fmt: CsvFormat = DEFAULT_CSV) -> Path:
    """A CSV staff open in Excel: the separator and BOM of `fmt`, CRLF line ends, every
    risky text prefixed so it never runs as a formula. Returns where it was written (beside
    `path` when `path` is open in another program, see core.outfiles)."""
    import csv

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding=fmt.encoding, newline="") as fh:
            writer = csv.writer(fh, delimiter=fmt.separator, lineterminator="\r\n")
            writer.writerow(frame.columns)
            for record in frame.itertuples(index=False, name=None):
                writer.writerow([safe_csv_value(v) for v in record])

    return outfiles.write_with(path, write)


def write_workbook(path: Path, sheets: Mapping[str, pd.DataFrame],
                   formats: Mapping[str, Mapping[str, str]] | None = None) -> Path:
    """Write each frame as a sheet with a styled header, frozen panes and a filter.

    `formats` gives Excel number formats per sheet and column header, e.g.
    `{"Ringkasan": {"Tingkat Respons": "0.0%"}}`; they apply to the column's numbers and
    dates (dates default to DD/MM/YYYY). Text is always written as text. Returns where the
    workbook was written (beside `path` when `path` is open in Excel, see core.outfiles);
    a reader never sees half a workbook.
    """
    formats = formats or {}
    styles = _Styles()
    titles = [title[:31] for title in sheets]

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            filters = []
            for i, (title, frame) in enumerate(sheets.items(), start=1):
                with z.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as out:
                    filters.append(_write_sheet(out, frame, formats.get(title, {}), styles))
            z.writestr("[Content_Types].xml", _content_types(len(titles)))
            z.writestr("_rels/.rels", _xml(
                f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
                'Target="xl/workbook.xml"/></Relationships>'))
            z.writestr("xl/workbook.xml", _workbook(titles, filters))
            z.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(titles)))
            z.writestr("xl/styles.xml", styles.xml())

    return outfiles.write_with(path, write)


def _xml(body: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _content_types(n: int) -> str:
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    parts = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet}"/>'
                    for i in range(1, n + 1))
    return _xml(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{parts}</Types>")


def _workbook(titles: list[str], filters: list[str | None]) -> str:
    sheets = "".join(f'<sheet name="{_html_escape(t)}" sheetId="{i}" r:id="rId{i}"/>'
                     for i, t in enumerate(titles, start=1))
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{_esc(_quoted_sheet(t))}!{ref}</definedName>"
        for i, (t, ref) in enumerate(zip(titles, filters)) if ref)
    return _xml(f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
                f"<sheets>{sheets}</sheets>"
                + (f"<definedNames>{names}</definedNames>" if names else "") + "</workbook>")


def _quoted_sheet(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _workbook_rels(n: int) -> str:
    rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                   f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
    rels += f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return _xml(f'<Relationships xmlns="{_PKG}">{rels}</Relationships>')


class _Styles:
    """The workbook's cell formats (cellXfs) by key: header, quoted text, number formats.
    Index 0 is the default style."""

    _BUILTIN = {"General": 0, "0": 1, "0.00": 2, "0%": 9, "0.00%": 10}

    def __init__(self):
        self._keys: list[tuple] = [("default",)]
        self._formats: dict[str, int] = {}

    def id(self, key: tuple | None) -> int:
        if key is None:
            return 0
        if key not in self._keys:
            if key[0] == "format" and key[1] not in self._BUILTIN and key[1] not in self._formats:
                self._formats[key[1]] = 164 + len(self._formats)
            self._keys.append(key)
        return self._keys.index(key)

    def _xf(self, key: tuple) -> str:
        kind = key[0]
        if kind == "header":
            return ('<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" '
                    'applyFill="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>')
        if kind == "quote":
            return '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
        if kind == "format":
            num = self._BUILTIN.get(key[1], self._formats.get(key[1]))
            return (f'<xf numFmtId="{num}" fontId="0" fillId="0" borderId="0" xfId="0" '
                    'applyNumberFormat="1"/>')
        return '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'

    def xml(self) -> str:
        fmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{_html_escape(code)}"/>'
                       for code, i in self._formats.items())
        xfs = "".join(self._xf(k) for k in self._keys)
        font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
        return _xml(
            f'<styleSheet xmlns="{_MAIN}">'
            + (f'<numFmts count="{len(self._formats)}">{fmts}</numFmts>' if fmts else "")
            + f'<fonts count="2"><font>{font}</font><font><b/><color rgb="FFFFFFFF"/>{font}</font></fonts>'
            '<fills count="3"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill>'
            f'<fill><patternFill patternType="solid"><fgColor rgb="FF{HEADER_FILL}"/>'
            '<bgColor indexed="64"/></patternFill></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(self._keys)}">{xfs}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>")


def _letter(i: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _text_xml(text: str) -> str:
    if text[:1].isspace() or text[-1:].isspace():
        return f'<is><t xml:space="preserve">{_esc(text)}</t></is>'
    return f"<is><t>{_esc(text)}</t></is>"


def _cell_body(cell, styles: _Styles) -> str:
    """A cell's XML after `<c r="A2"`."""
    kind, value, key = cell
    style = f' s="{styles.id(key)}"' if key else ""
    if kind == "s":
        return f'{style} t="inlineStr">{_text_xml(value)}</c>'
    if kind == "b":
        return f'{style} t="b"><v>{value}</v></c>'
    return f"{style}><v>{value!r}</v></c>"


def _write_sheet(out, frame: pd.DataFrame, formats: Mapping[str, str], styles: _Styles) -> str | None:
    """Stream one worksheet part; return its filter range (None without columns)."""
    columns = [str(c) for c in frame.columns]
    n = len(frame)
    letters = [_letter(i) for i in range(len(columns))]
    cols = [_prepared(frame.iloc[:, i], formats.get(name), styles) for i, name in enumerate(columns)]
    ref = f"$A$1:${letters[-1]}${n + 1}" if columns else None
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{max(min(max(len(name), width) + 2, _MAX_WIDTH + 2), 8)}" '
        'customWidth="1"/>' for i, (name, (_, _, width)) in enumerate(zip(columns, cols), start=1))
    pane = ('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>'
            "</sheetView></sheetViews>")
    out.write(_xml(f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">{pane}'
                   '<sheetFormatPr defaultRowHeight="15"/>'
                   + (f"<cols>{widths}</cols>" if widths else "") + "<sheetData>").encode())
    header = styles.id(("header",))
    out.write(('<row r="1">' + "".join(
        f'<c r="{letter}1" s="{header}" t="inlineStr">{_text_xml(name)}</c>'
        for letter, name in zip(letters, columns)) + "</row>").encode())
    if n and columns:
        numbers = np.arange(2, n + 2).astype(str).astype(object)
        closed = numbers + '"'  # row number and the reference's closing quote, once per row
        parts = []
        for letter, (codes, bodies, _) in zip(letters, cols):
            picked = bodies[codes]  # code -1 picks the trailing None: an empty cell
            filled = codes >= 0
            cells = np.full(n, "", dtype=object)
            cells[filled] = (f'<c r="{letter}' + closed[filled]) + picked[filled]
            parts.append(cells)
        heads = '<row r="' + numbers + '">'
        for start in range(0, n, _ROWS_PER_WRITE):
            stop = start + _ROWS_PER_WRITE
            out.write("".join(
                head + "".join(row) + "</row>"
                for head, *row in zip(heads[start:stop], *(p[start:stop] for p in parts))
            ).encode())
    tail = "</sheetData>"
    if ref:
        tail += f'<autoFilter ref="{ref.replace("$", "")}"/>'
    out.write((tail + "</worksheet>").encode())
    return ref


def _prepared(series: pd.Series, fmt: str | None, styles: _Styles):
    """(codes, bodies, width): per row a code into `bodies`, the XML of each distinct cell
    after its reference (the last body is None: code -1, an empty cell)."""
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_localize(None)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    date_key = ("format", fmt or DATE_FORMAT)
    num_key = ("format", fmt) if fmt else None
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        days = np.asarray((pd.DatetimeIndex(uniques) - _EXCEL_EPOCH) / pd.Timedelta(days=1))
        return codes, _number_bodies(days, styles.id(date_key)), 10
    values = np.asarray(uniques)
    if values.dtype.kind in "iuf":
        bodies = _number_bodies(values, styles.id(num_key))
        if fmt and "%" in fmt:
            width = 6
        elif values.dtype.kind == "f":
            width = max((len(f"{v:g}") for v in values[np.isfinite(values)].tolist()), default=0)
        else:
            width = max((len(str(v)) for v in values.tolist()), default=0)
        return codes, bodies, width
    if values.dtype == object and all(isinstance(v, str) for v in values.tolist()):
        return codes, *_text_bodies(values, styles)
    cells = [_object_cell(v, num_key, date_key) for v in values.tolist()]
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
    bodies = np.array([*(None if c is None else _cell_body(c, styles) for c in cells), None],
                      dtype=object)
    return codes, bodies, width


def _number_bodies(values: np.ndarray, style: int) -> np.ndarray:
    """`<v>` bodies of numbers (whole numbers without ".0"); NaN and infinity left empty."""
    values = np.asarray(values)
    out = np.full(len(values) + 1, None, dtype=object)
    if values.dtype.kind in "iu":
        text = values.astype(str).astype(object)
        ok = np.ones(len(values), bool)
    else:
        values = values.astype(float)
        ok = np.isfinite(values)
        whole = ok & (values == np.round(values)) & (np.abs(values) < 2**53)
        text = values.astype(str).astype(object)
        text[whole] = values[whole].astype(np.int64).astype(str).astype(object)
    prefix = f' s="{style}"><v>' if style else "><v>"
    out[:-1][ok] = prefix + text[ok] + "</v></c>"
    return out


def _text_bodies(values: np.ndarray, styles: _Styles) -> tuple[np.ndarray, int]:
    """Inline-string bodies of distinct texts: illegal characters dropped, quote prefix on
    risky texts, spaces kept at either end. (Plain comprehensions: faster than .str.)"""
    texts = values.tolist()
    joined = "".join(texts)
    if _ILLEGAL.search(joined):
        texts = [_ILLEGAL.sub("", v) for v in texts]
    if max(map(len, texts), default=0) > _MAX_TEXT:
        texts = [v[:_MAX_TEXT] for v in texts]
    escaped = texts
    if "&" in joined or "<" in joined or ">" in joined:
        escaped = [v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for v in texts]
    risky = [v.startswith(_RISKY_START) for v in texts]
    plain = ' t="inlineStr"><is>'
    quote = f' s="{styles.id(("quote",))}"{plain}' if any(risky) else plain
    out = np.full(len(texts) + 1, None, dtype=object)
    out[:-1] = [
        (quote if r else plain)
        + ('<t xml:space="preserve">' if v[:1].isspace() or v[-1:].isspace() else "<t>")
        + e + "</t></is></c>"
        for v, e, r in zip(texts, escaped, risky)]
    return out, min(max(map(len, texts), default=0), _MAX_WIDTH)


def _object_cell(value, num_key, date_key):
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, str):
        if _ILLEGAL.search(value):
            value = _ILLEGAL.sub("", value)
        value = value[:_MAX_TEXT]
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
