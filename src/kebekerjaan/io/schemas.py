"""Table schemas (pandera): the shape a table must have before it enters the store.

The normalizers produce these shapes; the schema is the last guard, so a bug in a
normalizer sends a row to the rejects list instead of corrupting the store.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from pandera.typing import Series

__all__ = ["CHECK_LABELS", "AlumniRecord", "SchemaErrors"]


_NIK = r"^\d{16}$"
_PHONE = r"^\+\d{8,15}$"


def _matches(values: pd.Series, pattern: str) -> pd.Series:
    """values.str.match(pattern, na=False), as pandera's str_matches computes it.

    For a `^body$` pattern whose body cannot match a NUL: when every value is text
    without NUL or newline (where `$` would differ from the end of the text), all of them
    match exactly when their NUL-joined text fully matches `body(NUL body)*`. That one
    scan runs in C; otherwise, or if some value fails, each value is matched on its own.
    """
    body = pattern.removeprefix("^").removesuffix("$")
    try:
        joined = "\0".join(values.to_numpy(dtype=object))
    except TypeError:  # a value that is not text
        joined = None
    if (
        joined is not None
        and "\n" not in joined
        and joined.count("\0") == len(values) - 1
        and re.fullmatch(f"(?:{body})(?:\0(?:{body}))*", joined)
    ):
        return pd.Series(True, index=values.index)
    return values.str.match(pattern, na=False)


class AlumniRecord(pa.DataFrameModel):
    """One accepted row of a SIAPkerja alumni export (one NIK in one training).

    Text columns are declared `object`: pandera checks `str` element by element, which
    costs more than all the normalizers together on 100k rows, while the string checks
    below already fail on anything that is not text.
    """

    nik: Series[object]  # format: see _nik_format
    name: Series[object] = pa.Field(ne="")
    sex: Series[object] = pa.Field(isin=["L", "P"], nullable=True)
    phone: Series[object] = pa.Field(nullable=True)  # format: see _phone_format
    kejuruan: Series[object] = pa.Field(ne="")
    program: Series[object] = pa.Field(ne="")
    angkatan: Series[object] = pa.Field(ne="")
    # Dates are written by date.isoformat(); only their presence needs checking.
    end_date: Series[object] = pa.Field(nullable=False)
    training_year: Series[int] = pa.Field(ge=2000, le=2100)

    # The two format checks are pandera's str_matches (same name and error text, so the
    # same reject reason), computed by _matches: one regex scan instead of one per cell.
    @pa.check("nik", name="str_matches", error=f"str_matches('{_NIK}')")
    def _nik_format(cls, nik: Series[object]) -> Series[bool]:
        return _matches(nik, _NIK)

    @pa.check("phone", name="str_matches", error=f"str_matches('{_PHONE}')")
    def _phone_format(cls, phone: Series[object]) -> Series[bool]:
        return _matches(phone, _PHONE)

    class Config:
        strict = False  # the frame also carries bookkeeping columns (row number, flags)
        coerce = False


# Indonesian names of the checks, for reject reasons.
CHECK_LABELS = {
    "str_matches": "format tidak sesuai",
    "str_length": "kosong",
    "isin": "nilai tidak dikenal",
    "not_nullable": "kosong",
    "not_equal_to": "kosong",
    "greater_than_or_equal_to": "di luar rentang",
    "less_than_or_equal_to": "di luar rentang",
}
