"""Google Forms responses (SOP step 6): the form's CSV download or its linked sheet.

Both shapes real users hand in are read:
- the form's "Download responses (.csv)": timestamps like "2026/10/24 6:46:43 PM GMT+7",
  checkbox answers joined by ";";
- the linked Google Sheet saved as CSV/XLSX: "11/27/2026 20:15:03" (US locale),
  "27/11/2026 20.15.03" (Indonesian locale) or a real date cell; checkbox answers
  joined by ", ".

Whether d/m or m/d is decided once per file from the data; the choice and its reason
are returned with the answers. Rows that cannot be used become rejects with an
Indonesian reason and their spreadsheet row number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from kebekerjaan.core.config import Settings
from kebekerjaan.io.headers import HeaderResolution
from kebekerjaan.io.normalize import (
    DateParseError,
    KejuruanMapper,
    clean_text,
    normalize_angkatan,
    normalize_email,
    normalize_name,
    normalize_nik,
    normalize_phone,
    parse_date,
)
from kebekerjaan.io.normalize.dates import (
    DAY_FIRST,
    MONTH_FIRST,
    MONTHS,
    YEAR_FIRST,
    Stamp,
    order_evidence,
    split_stamp,
    stamp_datetime,
)
from kebekerjaan.io.normalize.phone import FLAG_EMPTY
from kebekerjaan.io.normalize.text import header_key
from kebekerjaan.io.tables import read_table
from kebekerjaan.rules.labels import FORM
from kebekerjaan.rules.questionnaire import MULTI_SEPARATOR, OTHER, Questionnaire, load_questionnaire
from kebekerjaan.rules.refusals import CONSENT_FIELD, CONSENT_NO, declines

__all__ = ["DAY_FIRST", "MONTH_FIRST", "YEAR_FIRST", "FormResult", "parse_timestamps", "read_form_export"]

SOURCE = FORM
REQUIRED = ("timestamp", "status")
# A form answer stamped before online survey forms existed or after the moment the file
# is read (a 1900 or 2099 typed into an Excel copy) is not a real answer.
EARLIEST_STAMP = datetime(2000, 1, 1)
STAMP_MARGIN = timedelta(days=31)
REASON_STAMP_RANGE = ("waktu pengisian {when} tidak wajar (sebelum tahun 2000 atau jauh sesudah "
                      "tanggal acuan); periksa kolom cap waktu di berkas")
# Timestamp headers that tell the form's language when every date is ambiguous.
_INDONESIAN_HEADERS = frozenset(header_key(h) for h in ("Cap waktu", "Stempel waktu"))
_ENGLISH_HEADERS = frozenset(header_key(h) for h in ("Timestamp",))

_MONTH_YEAR = re.compile(r"([^\W\d_]+)\.?\s*[\-/ ]\s*(\d{4})")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")

REASON_NO_IDENTITY = ("tanpa identitas: kode responden, NIK, nomor WhatsApp dan nama semuanya "
                      "kosong atau tidak sah")
REASON_NO_STAMP = "cap waktu kosong"
REASON_BAD_STAMP = "cap waktu '{raw}' tidak dapat dibaca"
REASON_STAMP_ORDER = "cap waktu '{raw}' tidak cocok dengan urutan tanggal berkas ini ({order})"
REASON_NO_STATUS = "status kosong"
REASON_BAD_STATUS = "status '{raw}' tidak dikenal (pilihan: {choices})"


@dataclass
class FormResult:
    """Answers (one row per accepted response) and rejects (file, row, reason, raw cells)."""

    answers: pd.DataFrame
    rejects: pd.DataFrame
    date_order: str
    date_order_reason: str
    columns: dict[str, str] = field(default_factory=dict)  # field -> header in the file
    ignored_columns: list[str] = field(default_factory=list)  # columns with data not used
    resolution: HeaderResolution | None = None  # which header was read as which field, and why


def _decide_order(stamps: list[tuple[int, Stamp]], header: str | None, default: str,
                  has_cells: bool) -> tuple[str, str]:
    """(order, Indonesian reason) for the d/m vs m/d question of one file."""
    found, why = order_evidence((f"baris {row}", s) for row, s in stamps)
    if found is not None:
        return found, why
    ambiguous_pool = [(row, s) for row, s in stamps if not s.year_first]
    if not ambiguous_pool:
        if stamps:
            return YEAR_FIRST, "cap waktu ditulis tahun/bulan/tanggal (unduhan CSV Google Form)"
        if has_cells:
            return YEAR_FIRST, "cap waktu berupa sel tanggal Excel"
        return default, f"tidak ada cap waktu yang terbaca; dipakai pengaturan ({default})"
    key = header_key(header or "")
    if key in _INDONESIAN_HEADERS:
        return DAY_FIRST, (f"semua tanggal bisa dibaca dua arah; judul kolom '{header}' berbahasa "
                           "Indonesia, jadi tanggal ditulis hari/bulan")
    if any(s.dot_time for _, s in ambiguous_pool):
        return DAY_FIRST, ("semua tanggal bisa dibaca dua arah; jam ditulis dengan titik "
                           "(setelan Indonesia), jadi tanggal ditulis hari/bulan")
    if key in _ENGLISH_HEADERS:
        return MONTH_FIRST, (f"semua tanggal bisa dibaca dua arah; judul kolom '{header}' berbahasa "
                             "Inggris (setelan Amerika), jadi tanggal ditulis bulan/hari")
    return default, f"semua tanggal bisa dibaca dua arah; dipakai pengaturan ({default})"


def _excel_serial(x: float) -> datetime | None:
    if not math.isfinite(x) or not 20_000 < x < 80_000:
        return None
    return datetime(1899, 12, 30) + timedelta(days=x)


def parse_timestamps(
    values: pd.Series,
    *,
    header: str | None = None,
    default: str = DAY_FIRST,
    utc_offset_hours: int = 8,
    rows: pd.Series | None = None,
) -> tuple[list[datetime | None], list[str | None], str, str]:
    """Form timestamps of one file: (datetime or None per value, Indonesian reject reason
    or None per value, date order, Indonesian reason for that order).

    d/m vs m/d is decided for the whole file (see module docstring); `header` is the
    timestamp column's title, a hint when every date reads both ways. Stamps with a zone
    ("GMT+7") are moved to `utc_offset_hours`.
    """
    values = pd.Series(values, dtype=object).reset_index(drop=True)
    rows = pd.Series(range(2, len(values) + 2)) if rows is None else rows
    local_minutes = utc_offset_hours * 60
    n = len(values)
    out: list[datetime | None] = [None] * n
    errors: list[str | None] = [None] * n
    parsed: dict[int, Stamp] = {}
    has_cells = False
    for i, v in enumerate(values):
        if isinstance(v, datetime):  # a real date cell (incl. pandas Timestamp)
            out[i] = pd.Timestamp(v).to_pydatetime().replace(tzinfo=None)
            has_cells = True
        elif isinstance(v, date):
            out[i] = datetime(v.year, v.month, v.day)
            has_cells = True
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            if isinstance(v, float) and math.isnan(v):
                errors[i] = REASON_NO_STAMP
                continue
            out[i] = _excel_serial(float(v))
            has_cells = True
            if out[i] is None:
                errors[i] = REASON_BAD_STAMP.format(raw=v)
        elif v is None or not str(v).strip():
            errors[i] = REASON_NO_STAMP
        else:
            s = split_stamp(str(v))
            if s is None or not s.has_time:
                errors[i] = REASON_BAD_STAMP.format(raw=str(v).strip())
            else:
                parsed[i] = s
    rows_list = rows.tolist()
    order, reason = _decide_order([(rows_list[i], s) for i, s in parsed.items()], header, default,
                                  has_cells)
    for i, s in parsed.items():
        out[i] = stamp_datetime(s, order, local_minutes)
        if out[i] is None:
            raw = str(values.iloc[i]).strip()
            other = DAY_FIRST if order == MONTH_FIRST else MONTH_FIRST
            fits_other = not s.year_first and stamp_datetime(s, other, 0) is not None
            errors[i] = (REASON_STAMP_ORDER.format(raw=raw, order=order) if fits_other
                         else REASON_BAD_STAMP.format(raw=raw))
    return out, errors, order, reason


def _parse_answer_date(value: object, order: str) -> tuple[date | None, str | None]:
    """A date question's answer: numeric dates follow the file's order; 'Maret 2026' is
    the first of the month."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, None
    if isinstance(value, str):
        text = " ".join(value.split())
        if not text:
            return None, None
        m = _NUMERIC_DATE.fullmatch(text)
        if m and order == MONTH_FIRST:
            value = f"{m.group(2)}/{m.group(1)}/{m.group(3)}"
        else:
            m = _MONTH_YEAR.fullmatch(text)
            if m and m.group(1).casefold() in MONTHS:
                return date(int(m.group(2)), MONTHS[m.group(1).casefold()], 1), None
    try:
        return parse_date(value), None
    except DateParseError:
        return None, f"tanggal '{value}' tidak dapat dibaca"


def read_form_export(
    path: Path,
    settings: Settings,
    *,
    questionnaire: Questionnaire | None = None,
    today: date | None = None,
) -> FormResult:
    """Read one Google Forms export (.csv or .xlsx) into answers and rejects.

    Answers: answered_at, nik, name, phone (E.164), email, kejuruan, angkatan, every
    questionnaire field as codes (multi-choice as codes joined by "; ", a typed "other"
    answer in `<field>_lainnya`), `problems` (Indonesian notes: incomplete answer,
    invalid NIK...), source="formulir", file, row. Raises InputFileError when the file as
    a whole cannot be used (no timestamp or status column, empty, corrupt).
    """
    q = questionnaire or load_questionnaire()
    conf = settings.answers
    aliases = settings.columns["respons"]
    table = read_table(Path(path), aliases, REQUIRED,
                       search_rows=settings.intake.header_search_rows,
                       questions=question_texts(q))
    raw = table.frame
    n = len(raw)
    rows = table.row_numbers.reset_index(drop=True)

    def col(name: str) -> pd.Series:
        return raw[name] if name in raw else pd.Series([None] * n, dtype=object)

    problems: list[list[str]] = [[] for _ in range(n)]
    reasons: list[list[str]] = [[] for _ in range(n)]
    if table.cleaned is not None:
        for i, note in enumerate(table.cleaned.tolist()):
            if note:
                problems[i].append(note)

    # A past as-of date (a recap re-run) must not refuse answers given since: the bound is
    # the later of the clock and the as-of date.
    latest = datetime.combine(max(date.today(), today or date.today()), datetime.min.time()) + STAMP_MARGIN
    answered_at, stamp_errors, order, order_reason = parse_timestamps(
        col("timestamp"), header=table.columns.get("timestamp"), default=conf.form_date_order,
        utc_offset_hours=conf.utc_offset_hours, rows=rows,
    )
    for i, err in enumerate(stamp_errors):
        if err:
            reasons[i].append(err)
        elif answered_at[i] is not None and not (EARLIEST_STAMP <= answered_at[i] <= latest):
            reasons[i].append(REASON_STAMP_RANGE.format(when=f"{answered_at[i]:%d-%m-%Y}"))
    # Answer dates follow the file's d/m order; year-first stamps say nothing about it.
    field_order = order if order != YEAR_FIRST else _decide_order(
        [], table.columns.get("timestamp"), conf.form_date_order, False)[0]
    if field_order == YEAR_FIRST:
        field_order = conf.form_date_order

    nik = normalize_nik(col("nik"))
    phone = normalize_phone(col("phone"))
    name = normalize_name(col("name"))
    email = normalize_email(col("email"))
    out = pd.DataFrame({
        "answered_at": pd.Series(answered_at, dtype="datetime64[ns]"),
        "nik": nik["nik"].to_numpy(dtype=object),
        "name": name.to_numpy(dtype=object),
        "phone": phone["phone"].to_numpy(dtype=object),
        "email": email["email"].to_numpy(dtype=object),
    })
    raw_nik = clean_text(col("nik")).to_numpy(dtype=object)
    # The respondent code of a personal link identifies the answer by itself (codes.py).
    given_code = clean_text(col("kode")).to_numpy(dtype=object)
    for i in range(n):
        if raw_nik[i] is not None and nik["error"].iat[i]:
            problems[i].append(nik["error"].iat[i])
        if phone["flag"].iat[i] and phone["flag"].iat[i] != FLAG_EMPTY:
            problems[i].append(phone["flag"].iat[i])
        if email["flag"].iat[i]:
            problems[i].append(email["flag"].iat[i])
        if (out.at[i, "nik"] is None and out.at[i, "phone"] is None and out.at[i, "name"] is None
                and given_code[i] is None):
            reasons[i].append(REASON_NO_IDENTITY)

    if "kejuruan" in raw:
        mapper = KejuruanMapper([(k.name, list(k.aliases)) for k in settings.kejuruan])
        kej = mapper.map(col("kejuruan"))
        out["kejuruan"] = kej["kejuruan"].to_numpy(dtype=object)
        given = clean_text(col("kejuruan")).notna().to_numpy()
        for i, err in enumerate(kej["error"]):
            if err and given[i]:
                problems[i].append(err)
    else:
        out["kejuruan"] = None
    out["angkatan"] = normalize_angkatan(col("angkatan")).to_numpy(dtype=object) \
        if "angkatan" in raw else None

    identity = {"nik", "name", "phone", "kejuruan", "angkatan"}
    for question in q.questions:
        if question.code in identity:
            continue
        values = clean_text(col(question.code)).to_numpy(dtype=object) \
            if question.type != "date" else col(question.code).to_numpy(dtype=object)
        out[question.code] = _convert(question, values, field_order, problems, reasons, q, out)
    if "consent" in out:
        # Who declines the survey need not say their status: the row is their refusal.
        for i, consent in enumerate(out["consent"]):
            if consent == CONSENT_NO and REASON_NO_STATUS in reasons[i]:
                reasons[i].remove(REASON_NO_STATUS)

    for i, answer in enumerate(out.to_dict("records")):
        if not reasons[i]:
            problems[i].extend(p for p in q.validate_answer(answer) if p not in problems[i])
    out["problems"] = ["; ".join(p) or None for p in problems]
    out["source"] = SOURCE
    out["file"] = table.path.name
    out["row"] = rows.astype("int64")

    rejected = [bool(r) for r in reasons]
    rej = raw.loc[rejected].map(_as_text).reset_index(drop=True)
    rej.insert(0, "reason", ["; ".join(r) for r in reasons if r])
    rej.insert(0, "row", rows[rejected].to_numpy())
    rej.insert(0, "file", table.path.name)
    accepted = out.loc[[not r for r in rejected]].reset_index(drop=True)
    return FormResult(
        answers=accepted,
        rejects=rej,
        date_order=order,
        date_order_reason=order_reason,
        columns=dict(table.columns),
        ignored_columns=list(table.ignored_columns),
        resolution=table.resolution,
    )


def question_texts(q: Questionnaire | None = None) -> dict[str, str]:
    """field -> the question's wording on the form, for reading form headers."""
    return {question.code: question.text for question in (q or load_questionnaire()).questions}


def _convert(question, values, order, problems, reasons, q, out) -> list:
    converted: list = []
    other_texts: list[str | None] = []
    for i, v in enumerate(values):
        other = None
        if question.type == "text":
            result = v
        elif question.type == "date":
            result, err = _parse_answer_date(v, order)
            if err:
                problems[i].append(f"{question.text}: {err}")
        elif v is None:
            result = None
        elif question.type == "single":
            result = q.option_code(question.code, v)
            if result is None and question.code == CONSENT_FIELD and declines(v):
                result = CONSENT_NO  # "Saya tidak bersedia.": a refusal, whatever its words
            if result is None:
                if question.code == "status":
                    choices = ", ".join(o.text for o in question.options)
                    reasons[i].append(REASON_BAD_STATUS.format(raw=v, choices=choices))
                elif question.other and OTHER in question.codes:
                    result, other = OTHER, v
                else:
                    problems[i].append(f"jawaban '{v}' untuk '{question.text}' tidak dikenal")
        else:  # multi
            codes, other = q.split_multi(question.code, v)
            if other is not None and not question.other:
                problems[i].append(f"jawaban '{other}' untuk '{question.text}' tidak dikenal")
            result = MULTI_SEPARATOR.join(codes) or None
        if question.code == "status" and v is None:
            reasons[i].append(REASON_NO_STATUS)
        converted.append(result)
        other_texts.append(other)
    if question.other:
        out[f"{question.code}_{OTHER}"] = other_texts
    return converted


def _as_text(x: object) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, datetime):
        return x.isoformat(sep=" ")
    return str(x)
