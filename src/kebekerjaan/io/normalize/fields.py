"""Small coded fields: sex, angkatan (cohort), email, graduation status.

These columns have few distinct values, so each works per unique value and maps back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from kebekerjaan.io.normalize.text import factorize_text, header_key

__all__ = ["GRADUATED", "NOT_GRADUATED", "clean_repeating", "normalize_angkatan",
           "normalize_email", "normalize_graduation", "normalize_sex"]

# The graduation statuses normalize_graduation writes (rules/graduates.py says who counts).
GRADUATED, NOT_GRADUATED = "Lulus", "Tidak Lulus"

_SEX = {
    **dict.fromkeys(["l", "lk", "laki", "lakilaki", "lelaki", "pria", "male", "m", "cowok"], "L"),
    **dict.fromkeys(["p", "pr", "prp", "perempuan", "wanita", "female", "f", "w", "cewek"], "P"),
}

_ROMAN = {
    r: i
    for i, r in enumerate(
        "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX".split(), start=1
    )
}
# "Angkatan ke-2", "Gel. 3", "Gelombang III", "Batch 4"; the number follows the word.
_ANGKATAN_PREFIXED = re.compile(
    r"\b(?:angkatan|angk|akt|gelombang|gel|batch|kelompok|klp)\b\.?\s*"
    r"(?:ke\b\s*[-.]?\s*)?(\d+|[ivx]+)\b",
    re.IGNORECASE,
)
# Or the whole cell is the number: "2", "III".
_ANGKATAN_BARE = re.compile(r"(?:ke\s*[-.]?\s*)?(\d+|[ivx]+)", re.IGNORECASE)

_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
)

_PASSED = {"lulus", "kompeten", "k"}
_FAILED = {"tidaklulus", "belumkompeten", "tidakkompeten", "bk", "tl", "tk", "gagal"}


def _per_unique(values: pd.Series, fn: Callable[[str], Any], empty: Any) -> pd.Series:
    """fn applied once per distinct cleaned text, mapped back to every row; empty -> `empty`."""
    codes, texts = factorize_text(values)
    results = np.empty(len(texts) + 1, dtype=object)
    for k, t in enumerate(texts):
        results[k] = empty if t is None else fn(t)
    results[-1] = empty  # code -1 (empty cell) picks this one
    return pd.Series(results[codes], index=values.index, dtype=object)


def clean_repeating(values: pd.Series) -> pd.Series:
    """clean_text for columns with few distinct values (program, education): each once."""
    return _per_unique(values, lambda text: text, None)


def _split(values: pd.Series, fn: Callable[[str], tuple], names: list[str]) -> pd.DataFrame:
    """Like _per_unique for a fn returning a tuple: one column per tuple item."""
    codes, texts = factorize_text(values)
    columns = {name: np.full(len(texts) + 1, None, dtype=object) for name in names}
    for u, t in enumerate(texts):
        if t is not None:
            for col, item in zip(columns.values(), fn(t), strict=True):
                col[u] = item
    return pd.DataFrame({k: col[codes] for k, col in columns.items()}, index=values.index)


def _sex(text: str) -> tuple[str | None, str | None]:
    code = _SEX.get(header_key(text))
    if code is None:
        return None, f"jenis kelamin '{text}' tidak dikenal"
    return code, None


def normalize_sex(values: pd.Series) -> pd.DataFrame:
    """Columns `sex` ('L'/'P'/None) and `flag`. P is perempuan; empty -> None, no flag."""
    return _split(values, _sex, ["sex", "flag"])


def _angkatan(text: str) -> str:
    m = _ANGKATAN_PREFIXED.search(text) or _ANGKATAN_BARE.fullmatch(text)
    if m:
        token = m.group(1)
        if token.isdigit():
            return str(int(token))
        number = _ROMAN.get(token.upper())
        if number is not None:
            return str(number)
    return text


def normalize_angkatan(values: pd.Series) -> pd.Series:
    """Cohort number as text: "Angkatan I", "Gel. 3", "Batch 4", 1.0 -> "1", "3", "4", "1".

    Roman numerals I..XX are read; a value without a number is kept as cleaned text.
    """
    return _per_unique(values, _angkatan, None)


def _email(text: str) -> tuple[str | None, str | None]:
    email = text.lower()
    if email.startswith("mailto:"):
        email = email[len("mailto:") :]
    if _EMAIL.fullmatch(email):
        return email, None
    return None, f"email '{text}' tidak valid"


def normalize_email(values: pd.Series) -> pd.DataFrame:
    """Columns `email` (lower case) and `flag` ("email '...' tidak valid"); empty -> None."""
    return _split(values, _email, ["email", "flag"])


def _graduation(text: str) -> str:
    key = header_key(text)
    if key in _PASSED:
        return GRADUATED
    if key in _FAILED:
        return NOT_GRADUATED
    return text


def normalize_graduation(values: pd.Series) -> pd.Series:
    """ "Lulus"/"Kompeten"/"K" -> "Lulus"; "Tidak Lulus"/"Belum Kompeten"/"BK"/"TL" ->
    "Tidak Lulus"; empty -> None; anything else is kept as cleaned text."""
    return _per_unique(values, _graduation, None)
