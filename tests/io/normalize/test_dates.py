"""Dates: every accepted shape, day-first always, two-digit years, and no silent guesses."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kebekerjaan.io.normalize import DateParseError, parse_date, parse_dates
from kebekerjaan.io.normalize.dates import (
    DAY_FIRST,
    MONTH_FIRST,
    order_evidence,
    split_stamp,
    stamp_datetime,
)

TODAY = date(2025, 6, 1)
JAN12 = date(2024, 1, 12)

ID_MONTHS = {
    1: ["Januari", "Jan"],
    2: ["Februari", "Feb", "Peb", "Pebruari"],
    3: ["Maret", "Mar"],
    4: ["April", "Apr"],
    5: ["Mei"],
    6: ["Juni", "Jun"],
    7: ["Juli", "Jul"],
    8: ["Agustus", "Agu", "Agt", "Ags", "Agst", "Aug"],
    9: ["September", "Sep", "Sept"],
    10: ["Oktober", "Okt", "Oct"],
    11: ["November", "Nov", "Nop", "Nopember"],
    12: ["Desember", "Des", "Dec"],
}
EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
EN_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def p(value):
    return parse_date(value, today=TODAY)


@pytest.mark.parametrize(
    "raw",
    [
        "12/01/2024",
        "12/1/24",
        "12-01-2024",
        "12.01.2024",
        "12/01/24",
        "2024-01-12",
        "2024/01/12",
        "2024-1-12",
        "2024-01-12 00:00:00",
        "2024-01-12T00:00:00",
        "12 Januari 2024",
        "12 januari 2024",
        "12 JANUARI 2024",
        "12-Jan-24",
        "12 Jan 2024",
        "Jumat, 12 Januari 2024",
        "Jum'at, 12 Januari 2024",
        "Friday, 12 January 2024",
        "Fri, 12-Jan-24",
        "  12 Januari   2024 ",
    ],
)
def test_accepted_text_formats(raw):
    assert p(raw) == JAN12


def test_short_day_and_month():
    assert p("1/2/24") == date(2024, 2, 1)
    assert p("5-3-2023") == date(2023, 3, 5)


@pytest.mark.parametrize("raw", ["25-Dec-25", "25 Des 2025", "25 Desember 2025", "25.12.2025"])
def test_december(raw):
    assert p(raw) == date(2025, 12, 25)


def test_agt_abbreviation():
    assert p("12 Agt 2024") == date(2024, 8, 12)


@pytest.mark.parametrize("month, names", sorted(ID_MONTHS.items()))
def test_every_indonesian_month_name_and_abbreviation(month, names):
    for name in names:
        for variant in (name, name.upper(), name.lower(), name + "."):
            assert p(f"3 {variant} 2024") == date(2024, month, 3), variant


@pytest.mark.parametrize("month", range(1, 13))
def test_every_english_month_name_and_excel_abbreviation(month):
    assert p(f"3 {EN_MONTHS[month - 1]} 2024") == date(2024, month, 3)
    assert p(f"03-{EN_ABBR[month - 1]}-24") == date(2024, month, 3)


@pytest.mark.parametrize(
    "raw",
    [
        "Senin, 15 Januari 2024",
        "Selasa 16 Januari 2024",
        "Rabu, 17 Januari 2024",
        "Kamis, 18 Januari 2024",
        "Sabtu, 20 Januari 2024",
        "Minggu, 21 Januari 2024",
        "Monday, 15 January 2024",
        "Sun, 21 Jan 2024",
    ],
)
def test_weekday_prefixes(raw):
    assert p(raw).month == 1


def test_day_first_always():
    assert p("12/01/2024") == date(2024, 1, 12)
    assert p("01/12/2024") == date(2024, 12, 1)
    assert p("03.04.2024") == date(2024, 4, 3)


@pytest.mark.parametrize(
    "raw",
    [
        "31/02/2025",  # impossible
        "02/31/2025",  # looks month-first: never guessed
        "12/13/2024",
        "29/02/2023",  # not a leap year
        "29-Feb-23",
        "30 Februari 2024",
        "2024-02-30",
        "2024-13-01",
        "00/01/2024",
        "12/01/0024",  # no year 24 AD
        "12/01-2024",  # mixed separators
        "20240112",
        "2024",
        "Januari 2024",
        "12 Foo 2024",
        "kemarin",
        "12/01",
        "99999",  # Excel serial beyond 2100
        "1234",
    ],
)
def test_unreadable_values_raise(raw):
    with pytest.raises(DateParseError) as exc:
        p(raw)
    assert str(exc.value) == f"tanggal '{raw}' tidak dapat dibaca"


def test_date_parse_error_is_a_value_error():
    assert issubclass(DateParseError, ValueError)
    with pytest.raises(ValueError):
        p("31/02/2025")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("29/02/2024", date(2024, 2, 29)),
        ("29-Feb-00", date(2000, 2, 29)),
        ("29 Februari 2000", date(2000, 2, 29)),
        ("2024-02-29", date(2024, 2, 29)),
    ],
)
def test_leap_days(raw, expected):
    assert p(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("12/01/24", date(2024, 1, 12)),
        ("01/06/30", date(2030, 6, 1)),  # exactly 5 years after today: still 20YY
        ("02/06/30", date(1930, 6, 2)),  # more than 5 years after today: 19YY
        ("12/01/99", date(1999, 1, 12)),
        ("12-Jan-00", date(2000, 1, 12)),
        ("12 Jan 85", date(1985, 1, 12)),
    ],
)
def test_two_digit_years(raw, expected):
    assert p(raw) == expected


def test_two_digit_year_depends_on_today():
    assert parse_date("12/01/35", today=date(2031, 1, 1)) == date(2035, 1, 12)
    assert parse_date("12/01/35", today=date(2025, 1, 1)) == date(1935, 1, 12)


@pytest.mark.parametrize(
    "value, expected",
    [
        (45303, JAN12),
        (45303.0, JAN12),
        (45303.75, JAN12),  # time of day is dropped
        (np.int64(45303), JAN12),
        (np.float64(45303.0), JAN12),
        ("45303", JAN12),
        ("45303.0", JAN12),
        (7306, date(1920, 1, 1)),
    ],
)
def test_excel_serials(value, expected):
    assert p(value) == expected


@pytest.mark.parametrize("value", [0, 1, 2024, 7305, 100000, -5, True, float("inf")])
def test_implausible_excel_serials_raise(value):
    with pytest.raises(DateParseError):
        p(value)


@pytest.mark.parametrize(
    "value",
    [
        JAN12,
        datetime(2024, 1, 12, 15, 30),
        pd.Timestamp("2024-01-12"),
        pd.Timestamp("2024-01-12 23:59"),
        np.datetime64("2024-01-12"),
    ],
)
def test_date_objects(value):
    assert p(value) == JAN12


@pytest.mark.parametrize("value", [None, "", "   ", float("nan"), pd.NaT, np.datetime64("NaT")])
def test_empty_is_none(value):
    assert p(value) is None


def test_parse_dates_frame():
    values = pd.Series(
        ["12/01/2024", None, "31/02/2025", JAN12, 45303, "12/01/2024", float("nan")],
        index=list("abcdefg"),
    )
    out = parse_dates(values)
    assert list(out.index) == list("abcdefg")
    assert list(out.columns) == ["date", "error"]
    assert out["date"].dtype == object
    assert out["date"].tolist() == [JAN12, None, None, JAN12, JAN12, JAN12, None]
    assert out["error"].tolist() == [
        None,
        None,
        "tanggal '31/02/2025' tidak dapat dibaca",
        None,
        None,
        None,
        None,
    ]


def test_parse_dates_empty_series():
    out = parse_dates(pd.Series([], dtype=object))
    assert out.empty and list(out.columns) == ["date", "error"]


# --- properties ------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_arbitrary_text_raises_only_date_parse_error(text):
    try:
        result = p(text)
    except DateParseError:
        return
    assert result is None or isinstance(result, date)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers(), st.floats(allow_nan=True), st.booleans(), st.none()))
def test_arbitrary_numbers_raise_only_date_parse_error(value):
    try:
        result = p(value)
    except DateParseError:
        return
    assert result is None or isinstance(result, date)


EXCEL_EPOCH = date(1899, 12, 30)


@settings(max_examples=200, deadline=None)
@given(st.dates(date(1920, 1, 1), date(2100, 12, 31)))
def test_round_trip_through_formats(d):
    id_name = ID_MONTHS[d.month][0]
    forms = [
        f"{d.day:02d}/{d.month:02d}/{d.year}",
        f"{d.day}/{d.month}/{d.year}",
        d.isoformat(),
        f"{d.day} {id_name} {d.year}",
        f"{d.day:02d}-{EN_ABBR[d.month - 1]}-{d.year}",
        (d - EXCEL_EPOCH).days,
        float((d - EXCEL_EPOCH).days),
        d,
        pd.Timestamp(d),
    ]
    for form in forms:
        assert p(form) == d, form
    out = parse_dates(pd.Series(forms, dtype=object), today=TODAY)
    assert out["date"].tolist() == [d] * len(forms)
    assert out["error"].tolist() == [None] * len(forms)


@settings(max_examples=100, deadline=None)
@given(st.dates(date(1931, 1, 1), date(2030, 6, 1)))
def test_two_digit_year_round_trip_within_the_window(d):
    # Window at TODAY: 1930-06-02 .. 2030-06-01.
    assert p(f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}") == d
    assert p(f"{d.day}-{EN_ABBR[d.month - 1]}-{d.year % 100:02d}") == d


def test_cache_is_keyed_on_today():
    assert parse_date("12/01/35", today=date(2031, 1, 1)) == date(2035, 1, 12)
    assert parse_date("12/01/35", today=date(2020, 1, 1)) == date(1935, 1, 12)


# --- machine stamps: day/month order decided per file (form exports, delivery reports) ------

_stamps = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda d: d.replace(microsecond=0))


@settings(max_examples=300, deadline=None)
@given(_stamps)
def test_a_12_hour_us_stamp_reads_back_month_first(when):
    text = f"{when.month}/{when.day}/{when.year} {(when.hour % 12) or 12}:{when:%M:%S} " + (
        "PM" if when.hour >= 12 else "AM")
    assert stamp_datetime(split_stamp(text), MONTH_FIRST) == when


@settings(max_examples=300, deadline=None)
@given(_stamps)
def test_an_indonesian_stamp_reads_back_day_first(when):
    assert stamp_datetime(split_stamp(f"{when:%d/%m/%Y %H.%M.%S}"), DAY_FIRST) == when


@settings(max_examples=300, deadline=None)
@given(st.lists(_stamps, min_size=1, max_size=8), st.booleans())
def test_a_12_hour_time_decides_nothing_about_the_order(days, month_first):
    """Only a number above 12 tells day from month; the AM/PM of the time never does, and
    the order found is the one the stamps were written in."""
    def written(d):
        a, b = (d.month, d.day) if month_first else (d.day, d.month)
        return f"{a}/{b}/{d.year} {(d.hour % 12) or 12}:{d:%M} {'PM' if d.hour >= 12 else 'AM'}"

    found, _ = order_evidence((i, split_stamp(written(d))) for i, d in enumerate(days))
    telling = [d for d in days if d.day > 12]
    if telling:
        assert found == (MONTH_FIRST if month_first else DAY_FIRST)
    else:
        assert found is None
