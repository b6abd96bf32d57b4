"""Dates as typed in Indonesian spreadsheets, read strictly: day first, never guessed.

Numeric dates with / - . are always day-first (12/01/2024 is 12 January). Anything that
does not fit one of the known shapes, or is not a real calendar date, raises
DateParseError instead of being guessed.

Machine stamps (form timestamps, blast delivery reports) may come from an app set to US
English: `split_stamp` reads their parts and `order_evidence` decides day/month order
once per file from the numbers alone. A 12-hour time ("2:06 PM") says nothing about that
order: only a number above 12 in the first or second place does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd

__all__ = ["DAY_FIRST", "MONTH_FIRST", "YEAR_FIRST", "DateParseError", "Stamp", "explain_date",
           "order_evidence", "parse_date", "parse_dates", "parse_month", "split_stamp",
           "stamp_datetime"]

# Excel's day 0 (it counts 1900 as a leap year, so serials from March 1900 on use this).
EXCEL_EPOCH = date(1899, 12, 30)
MIN_YEAR, MAX_YEAR = 1900, 2100
# Plausible Excel serials: 1920-01-01 .. 2100-12-31.
_SERIAL_MIN = (date(1920, 1, 1) - EXCEL_EPOCH).days
_SERIAL_MAX = (date(2100, 12, 31) - EXCEL_EPOCH).days
# A two-digit year is 20YY unless that is more than this many years after today.
TWO_DIGIT_YEAR_FUTURE = 5

MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        "januari jan january",
        "februari feb peb pebruari february",
        "maret mar march",
        "april apr",
        "mei may",
        "juni jun june",
        "juli jul july",
        "agustus agu agt ags agst aug august",
        "september sep sept",
        "oktober okt oct october",
        "november nov nop nopember",
        "desember des dec december",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _num

_WEEKDAYS = (
    "senin selasa rabu kamis jumat jum'at sabtu minggu ahad "
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs "
    "fri sat sun"
).split()
_WEEKDAY_ALTERNATIVES = "|".join(re.escape(w) for w in sorted(_WEEKDAYS, key=len, reverse=True))
_WEEKDAY_PREFIX = re.compile(rf"^(?:{_WEEKDAY_ALTERNATIVES})\.?\s*,?\s*", re.IGNORECASE)
_TIME = r"(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?)?"
_DAY_FIRST = re.compile(rf"(\d{{1,2}})([/.\-])(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_TIME}")
_ISO = re.compile(rf"(\d{{4}})([/\-])(\d{{1,2}})\2(\d{{1,2}}){_TIME}")
_TEXT_MONTH = re.compile(
    r"(\d{1,2})(?:\s*[\-/.]\s*|\s+)([^\W\d_]+)\.?(?:\s*[\-/.,]\s*|\s+)(\d{4}|\d{2})",
)
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?")
# A month without a day, where a month is enough ("Maret 2026", "03-2026", "2026-03").
_MONTH_NAME_YEAR = re.compile(r"([^\W\d_]+)\.?(?:\s*[\-/.,]\s*|\s+)(\d{4})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\-](\d{4})")
_YEAR_MONTH = re.compile(r"(\d{4})[/\-](\d{1,2})")
MONTH_NAMES_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                  "September", "Oktober", "November", "Desember")


class DateParseError(ValueError):
    """A date that cannot be read without guessing; the message is in Indonesian."""

    def __init__(self, value: object):
        self.value = value
        super().__init__(f"tanggal '{value}' tidak dapat dibaca")


def _two_digit_year(yy: int, month: int, day: int, today: date) -> int:
    year = 2000 + yy
    limit = (today.year + TWO_DIGIT_YEAR_FUTURE, today.month, today.day)
    return year - 100 if (year, month, day) > limit else year


def _make(year: int, month: int, day: int) -> date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _from_serial(serial: float) -> date | None:
    if not math.isfinite(serial) or not _SERIAL_MIN <= serial < _SERIAL_MAX + 1:
        return None
    # A fractional part is the time of day.
    return EXCEL_EPOCH + timedelta(days=math.floor(serial))


def _year(text: str, month: int, day: int, today: date) -> int:
    y = int(text)
    return _two_digit_year(y, month, day, today) if len(text) == 2 else y


@lru_cache(maxsize=65536)
def _parse_text(text: str, today: date) -> date | None:
    """Parse one stripped, non-empty string; None when it cannot be read."""
    if text[0].isdigit():
        m = _DAY_FIRST.fullmatch(text)
        if m:
            day, month = int(m.group(1)), int(m.group(3))
            return _make(_year(m.group(4), month, day, today), month, day)
        m = _ISO.fullmatch(text)
        if m:
            return _make(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        if _SERIAL_TEXT.fullmatch(text):
            return _from_serial(float(text))
    else:
        text = _WEEKDAY_PREFIX.sub("", text, count=1)
    m = _TEXT_MONTH.fullmatch(text)
    if m:
        month = MONTHS.get(m.group(2).casefold())
        if month is None:
            return None
        day = int(m.group(1))
        return _make(_year(m.group(3), month, day, today), month, day)
    return None


def parse_date(value: object, *, today: date | None = None) -> date | None:
    """One cell as a date; None for empty; DateParseError for anything unreadable.

    Accepts date/datetime/Timestamp, Excel serials (1920-2100), dd/mm/yyyy, d/m/yy,
    dd-mm-yyyy, dd.mm.yyyy (always day first), yyyy-mm-dd and yyyy/mm/dd (optional time),
    and "12 Januari 2024", "12-Jan-24", "Jumat, 12 Agt 2024" with Indonesian or English
    month names. A two-digit year is 20YY unless that is more than 5 years after today.
    """
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, datetime):  # includes pandas Timestamp
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).date()
    if isinstance(value, (bool, np.bool_)):
        raise DateParseError(value)
    if isinstance(value, (int, np.integer, float, np.floating)):
        if isinstance(value, (float, np.floating)) and math.isnan(value):
            return None
        result = _from_serial(float(value))
        if result is None:
            raise DateParseError(value)
        return result
    if not isinstance(value, str):
        try:
            if pd.isna(value):
                return None
        except (TypeError, ValueError):
            pass
    text = " ".join(str(value).split())
    if not text:
        return None
    result = _parse_text(text, today or date.today())
    if result is None:
        raise DateParseError(text)
    return result


def _parse_or_error(value: object, today: date) -> tuple[date | None, str | None]:
    if type(value) is str:  # the common case, without parse_date's type dispatch
        text = " ".join(value.split())
        if not text:
            return None, None
        result = _parse_text(text, today)
        return (result, None) if result is not None else (None, str(DateParseError(text)))
    try:
        return parse_date(value, today=today), None
    except DateParseError as exc:
        return None, str(exc)


def parse_dates(values: pd.Series, *, today: date | None = None) -> pd.DataFrame:
    """Columns `date` (python date or None) and `error` (Indonesian or None), same index.

    Each distinct value is parsed once (and strings are cached across calls).
    """
    today = today or date.today()
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    # One slot more for code -1 (NaN/None), which stays None.
    dates_u = np.full(len(uniques) + 1, None, dtype=object)
    errors_u = np.full(len(uniques) + 1, None, dtype=object)
    for k, u in enumerate(uniques):
        dates_u[k], errors_u[k] = _parse_or_error(u, today)
    return pd.DataFrame({"date": dates_u[codes], "error": errors_u[codes]}, index=values.index)


def parse_month(value: object) -> date | None:
    """A month written without a day ("Maret 2026", "Mar 2026", "03-2026", "2026-03"): its
    first day. None when `value` is empty or is not written as a month alone (a full date
    is parse_date's). For fields where a month is enough, such as the start of a job."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    m = _MONTH_NAME_YEAR.fullmatch(text)
    if m:
        month, year = MONTHS.get(m.group(1).casefold()), int(m.group(2))
    else:
        m = _MONTH_YEAR.fullmatch(text) or _YEAR_MONTH.fullmatch(text)
        if not m:
            return None
        first, second = int(m.group(1)), int(m.group(2))
        month, year = (first, second) if m.re is _MONTH_YEAR else (second, first)
    if month is None or not 1 <= month <= 12:
        return None
    return _make(year, month, 1)


def explain_date(value: object, *, today: date | None = None) -> str:
    """Why a typed date cannot be read, in words staff can act on: a day that does not
    exist is called that ("31-02-2026: Februari 2026 hanya sampai tanggal 28"), a month
    or year out of range is named, any other shape gets the form to write it in."""
    import calendar

    text = " ".join(str(value).split())
    today = today or date.today()
    parts = None
    m = _DAY_FIRST.fullmatch(text)
    if m:
        parts = int(m.group(1)), int(m.group(3)), _year(m.group(4), 1, 1, today)
    else:
        m = _ISO.fullmatch(text)
        if m:
            parts = int(m.group(4)), int(m.group(3)), int(m.group(1))
        else:
            m = _TEXT_MONTH.fullmatch(_WEEKDAY_PREFIX.sub("", text, count=1))
            if m:
                month = MONTHS.get(m.group(2).casefold())
                if month is None:
                    return f"nama bulan '{m.group(2)}' tidak dikenal"
                parts = int(m.group(1)), month, _year(m.group(3), 1, 1, today)
    if parts is None:
        return "bentuknya tidak dikenali; tulis sebagai HH-BB-TTTT, mis. 27-11-2026"
    day, month, year = parts
    if not 1 <= month <= 12:
        return f"bulan {month} tidak ada; tulis hari dulu, lalu bulan: HH-BB-TTTT"
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"tahun {year} di luar {MIN_YEAR}–{MAX_YEAR}"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return (f"tanggal {text} tidak ada: {MONTH_NAMES_ID[month - 1]} {year} hanya sampai "
                f"tanggal {last}")
    return "bentuknya tidak dikenali; tulis sebagai HH-BB-TTTT, mis. 27-11-2026"


# --- machine stamps: day/month order decided per file ---------------------------------------

DAY_FIRST, MONTH_FIRST, YEAR_FIRST = "hari-bulan", "bulan-hari", "tahun-bulan-hari"

_STAMP = re.compile(
    r"(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{2,4})"
    r"(?:[ T,]+(?P<H>\d{1,2})(?P<sep>[:.])(?P<M>\d{2})(?:[:.](?P<S>\d{2})(?:\.\d+)?)?"
    r"(?:\s*(?P<ampm>[AaPp])\.?\s?[Mm]\.?)?"
    r"(?:\s*(?:GMT|UTC)\s*(?P<tz>[+-]\d{1,2})(?::?(?P<tzm>\d{2}))?)?)?"
)


@dataclass(frozen=True)
class Stamp:
    """The parts of a numeric date (and time) as written: a/b/c in written order."""

    a: int
    b: int
    c: int
    hour: int
    minute: int
    second: int
    tz_minutes: int | None
    dot_time: bool  # "20.15.03": the Indonesian way of writing a time
    has_time: bool = True

    @property
    def year_first(self) -> bool:
        return self.a > 31


def split_stamp(text: str) -> Stamp | None:
    """'11/05/2026 2:06 PM', '27/11/2026 20.15.03', '2026/10/24 6:46:43 PM GMT+7',
    '2026-11-27' as parts; None for any other shape. A 12-hour time becomes 24-hour."""
    m = _STAMP.fullmatch(" ".join(str(text).replace("\u202f", " ").split()))
    if m is None:
        return None
    hour = int(m["H"] or 0)
    if m["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m["ampm"] in "Pp" else 0)
    tz = None
    if m["tz"]:
        sign = -1 if m["tz"].startswith("-") else 1
        tz = int(m["tz"]) * 60 + sign * int(m["tzm"] or 0)
    c = int(m["c"])
    if len(m["c"]) == 2 and len(m["a"]) <= 2:
        c += 2000
    return Stamp(int(m["a"]), int(m["b"]), c, hour, int(m["M"] or 0), int(m["S"] or 0), tz,
                 m["sep"] == ".", m["H"] is not None)


def stamp_datetime(s: Stamp, order: str, local_minutes: int | None = None) -> datetime | None:
    """The stamp read in `order` (year-first stamps whatever the order); a stamp with a
    zone is moved to `local_minutes` east of UTC when that is given. None: no such date."""
    if s.year_first:
        y, mo, d = s.a, s.b, s.c
    elif order == MONTH_FIRST:
        y, mo, d = s.c, s.a, s.b
    else:
        y, mo, d = s.c, s.b, s.a
    try:
        out = datetime(y, mo, d, s.hour, s.minute, s.second)
    except ValueError:
        return None
    if s.tz_minutes is not None and local_minutes is not None:
        out += timedelta(minutes=local_minutes - s.tz_minutes)
    return out


def order_evidence(stamps: Iterable[tuple[object, Stamp]]) -> tuple[str | None, str]:
    """(DAY_FIRST, MONTH_FIRST or None when the numbers do not tell, Indonesian reason) of
    one file's stamps, given as (where, stamp) pairs: a first number above 12 is a day, a
    second number above 12 is a day. Both kinds in one file: the more frequent wins."""
    ambiguous = [(where, s) for where, s in stamps if not s.year_first]
    day_first = [(where, s) for where, s in ambiguous if s.a > 12]
    month_first = [(where, s) for where, s in ambiguous if s.b > 12]

    def example(item):
        where, s = item
        return f"{s.a:02d}/{s.b:02d}/{s.c} ({where})"

    if day_first and not month_first:
        return DAY_FIRST, f"ada tanggal dengan angka pertama lebih dari 12: {example(day_first[0])}"
    if month_first and not day_first:
        return MONTH_FIRST, f"ada tanggal dengan angka kedua lebih dari 12: {example(month_first[0])}"
    if day_first and month_first:
        order = DAY_FIRST if len(day_first) >= len(month_first) else MONTH_FIRST
        return order, (
            f"berkas mencampur dua urutan tanggal ({example(day_first[0])} dan "
            f"{example(month_first[0])}); dipakai urutan yang lebih banyak: {order}; "
            "baris yang tidak cocok ditolak"
        )
    return None, "semua tanggal bisa dibaca dua arah"
