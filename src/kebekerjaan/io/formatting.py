"""Numbers and dates the way an Indonesian reader expects them (babel, locale id_ID)."""

from __future__ import annotations

import math
from datetime import date, datetime

LOCALE = "id_ID"
DASH = "–"  # shown where a rate has no denominator


def _missing(value) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    try:
        return bool(value != value)  # NaT, numpy NaN
    except (TypeError, ValueError):
        return False


def angka(value) -> str:
    """1234 -> '1.234'; missing -> '–'."""
    from babel.numbers import format_decimal

    if _missing(value):
        return DASH
    return format_decimal(int(round(float(value))), locale=LOCALE)


def persen(fraction, digits: int = 1) -> str:
    """0.6972 -> '69,7%'; NaN (no denominator) -> '–'."""
    from babel.numbers import format_percent

    if _missing(fraction):
        return DASH
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(float(fraction), pattern, locale=LOCALE)


def desimal(value, digits: int = 1) -> str:
    """4.25 -> '4,3' (rounded half away from zero like the percentages)."""
    from babel.numbers import format_decimal

    if _missing(value):
        return DASH
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(float(value), pattern, locale=LOCALE)


def poin(fraction_delta) -> float:
    """Difference of two rates in percentage points, rounded as printed (one decimal)."""
    return round(float(fraction_delta) * 100, 1)


def tanggal(value) -> str:
    """date(2026, 11, 27) or '2026-11-27' -> '27 November 2026'."""
    from babel.dates import format_date

    if _missing(value) or value == "":
        return DASH
    if isinstance(value, datetime):  # pandas Timestamp too
        value = value.date()
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_date(value, "d MMMM y", locale=LOCALE)


def nip(value: str) -> str:
    """A civil servant number in its usual groups: 19700101 200003 1 001."""
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    if len(digits) != 18:
        return str(value)
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
