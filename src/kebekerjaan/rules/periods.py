"""The reporting period: a caturwulan (four months: I Januari–April, II Mei–Agustus,
III September–Desember) or a calendar year. One home for the rule, used by the answer
records (answers.caturwulan), the status overview of step 6, the recap and the report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from kebekerjaan.core.errors import KebekerjaanError

ROMAN = ("I", "II", "III")
CATURWULAN_MONTHS = ("Januari–April", "Mei–Agustus", "September–Desember")
# "I: Januari–April, II: Mei–Agustus, III: September–Desember", for definitions and errors.
CATURWULAN_TEXT = ", ".join(f"{r}: {m}" for r, m in zip(ROMAN, CATURWULAN_MONTHS))
_PERIOD_RE = re.compile(r"^\s*(\d{4})\s*(?:[-/ ]\s*(III|II|I|[123])\s*)?$", re.IGNORECASE)


def _number(month: int) -> int:
    """1, 2 or 3: the caturwulan of a month."""
    return (month - 1) // 4 + 1


def caturwulan(day) -> str | None:
    """Label of the caturwulan of a date ('2026-III'); None for a missing date."""
    if day is None or (isinstance(day, float) and day != day) or day is pd.NaT:
        return None
    day = pd.Timestamp(day)
    return f"{day.year}-{ROMAN[_number(day.month) - 1]}"


def caturwulan_of(days: pd.Series) -> pd.Series:
    """caturwulan() of ISO date (or date-time) strings, vectorized for millions of answers;
    None where the text holds no year and month."""
    text = days.astype("string")
    year = text.str.slice(0, 4)
    month = pd.to_numeric(text.str.slice(5, 7), errors="coerce")
    ok = (year.notna() & month.notna()).to_numpy()
    out = pd.Series(None, index=days.index, dtype=object)
    numbers = _number(month[ok].astype(int)).to_numpy()
    out[ok] = (year[ok].astype(str) + "-" + np.array(ROMAN, dtype=object)[numbers - 1]).to_numpy()
    return out


@dataclass(frozen=True)
class Period:
    """A caturwulan ("2026-III": September–December 2026) or a year ("2026")."""

    label: str
    start: date
    end: date

    @classmethod
    def parse(cls, text: str) -> Period:
        m = _PERIOD_RE.match(text or "")
        if not m or not 1900 <= int(m.group(1)) <= 2999:
            raise KebekerjaanError(
                f"Periode '{text}' tidak dikenal. Tulis caturwulan seperti 2026-III "
                f"({CATURWULAN_TEXT}) atau tahun seperti 2026."
            )
        year = int(m.group(1))
        part = m.group(2)
        if part is None:
            return cls(str(year), date(year, 1, 1), date(year, 12, 31))
        n = int(part) if part.isdigit() else ROMAN.index(part.upper()) + 1
        return cls._caturwulan(year, n)

    @classmethod
    def containing(cls, day: date) -> Period:
        """The caturwulan of a date."""
        day = pd.Timestamp(day)
        return cls._caturwulan(day.year, _number(day.month))

    @classmethod
    def _caturwulan(cls, year: int, n: int) -> Period:
        first = 4 * (n - 1) + 1
        start = date(year, first, 1)
        end = (date(year + 1, 1, 1) if n == 3 else date(year, first + 4, 1)) - timedelta(days=1)
        return cls(f"{year}-{ROMAN[n - 1]}", start, end)

    @property
    def is_year(self) -> bool:
        return "-" not in self.label

    @property
    def number(self) -> int | None:
        """1, 2 or 3 for a caturwulan; None for a year."""
        return None if self.is_year else ROMAN.index(self.label.split("-")[1]) + 1

    def previous(self) -> Period:
        """2026-I -> 2025-III; 2026-II -> 2026-I; 2026 -> 2025."""
        year = self.start.year
        if self.is_year:
            return Period.parse(str(year - 1))
        n = self.number
        return Period._caturwulan(year - 1, 3) if n == 1 else Period._caturwulan(year, n - 1)

    @property
    def title(self) -> str:
        """"Caturwulan III 2026 (September–Desember)" or "Tahun 2026"."""
        if self.is_year:
            return f"Tahun {self.start.year}"
        n = self.number
        return f"Caturwulan {ROMAN[n - 1]} {self.start.year} ({CATURWULAN_MONTHS[n - 1]})"

    @property
    def name(self) -> str:
        """Mid-sentence, lower case: 'caturwulan III 2026' or 'tahun 2026'."""
        if self.is_year:
            return f"tahun {self.start.year}"
        return f"caturwulan {ROMAN[self.number - 1]} {self.start.year}"


def resolve_period(periode: str | None, as_of: date) -> Period:
    """The notebook parameter `periode`: empty means the caturwulan of the as-of date.
    A bad value raises KebekerjaanError explaining the accepted forms in Indonesian."""
    return Period.parse(periode) if (periode or "").strip() else Period.containing(as_of)
