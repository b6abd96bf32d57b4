"""Table schemas (pandera): the shape a table must have before it enters the store.

The normalizers produce these shapes; the schema is the last guard, so a bug in a
normalizer sends a row to the rejects list instead of corrupting the store.
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series


class AlumniRecord(pa.DataFrameModel):
    """One accepted row of a SIAPkerja alumni export (one NIK in one training)."""

    nik: Series[str] = pa.Field(str_matches=r"^\d{16}$")
    name: Series[str] = pa.Field(str_length={"min_value": 1})
    sex: Series[str] = pa.Field(isin=["L", "P"], nullable=True)
    phone: Series[str] = pa.Field(str_matches=r"^\+\d{8,15}$", nullable=True)
    kejuruan: Series[str] = pa.Field(str_length={"min_value": 1})
    program: Series[str] = pa.Field(str_length={"min_value": 1})
    angkatan: Series[str] = pa.Field(str_length={"min_value": 1})
    end_date: Series[str] = pa.Field(str_matches=r"^\d{4}-\d{2}-\d{2}$")
    start_date: Series[str] = pa.Field(str_matches=r"^\d{4}-\d{2}-\d{2}$", nullable=True)
    birth_date: Series[str] = pa.Field(str_matches=r"^\d{4}-\d{2}-\d{2}$", nullable=True)
    training_year: Series[int] = pa.Field(ge=2000, le=2100)

    class Config:
        strict = False  # the frame also carries bookkeeping columns (row number, flags)
        coerce = False


# Indonesian names of the checks, for reject reasons.
CHECK_LABELS = {
    "str_matches": "format tidak sesuai",
    "str_length": "kosong",
    "isin": "nilai tidak dikenal",
    "not_nullable": "kosong",
    "greater_than_or_equal_to": "di luar rentang",
    "less_than_or_equal_to": "di luar rentang",
}
