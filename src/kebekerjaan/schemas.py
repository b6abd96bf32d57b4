"""Table schemas (pandera): the shape a table must have before it enters the store.

The normalizers produce these shapes; the schema is the last guard, so a bug in a
normalizer sends a row to the rejects list instead of corrupting the store.
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.errors import SchemaErrors
from pandera.typing import Series

__all__ = ["CHECK_LABELS", "AlumniRecord", "SchemaErrors"]


class AlumniRecord(pa.DataFrameModel):
    """One accepted row of a SIAPkerja alumni export (one NIK in one training).

    Text columns are declared `object`: pandera checks `str` element by element, which
    costs more than all the normalizers together on 100k rows, while the string checks
    below already fail on anything that is not text.
    """

    nik: Series[object] = pa.Field(str_matches=r"^\d{16}$")
    name: Series[object] = pa.Field(ne="")
    sex: Series[object] = pa.Field(isin=["L", "P"], nullable=True)
    phone: Series[object] = pa.Field(str_matches=r"^\+\d{8,15}$", nullable=True)
    kejuruan: Series[object] = pa.Field(ne="")
    program: Series[object] = pa.Field(ne="")
    angkatan: Series[object] = pa.Field(ne="")
    # Dates are written by date.isoformat(); only their presence needs checking.
    end_date: Series[object] = pa.Field(nullable=False)
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
    "not_equal_to": "kosong",
    "greater_than_or_equal_to": "di luar rentang",
    "less_than_or_equal_to": "di luar rentang",
}
