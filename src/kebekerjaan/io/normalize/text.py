"""Text helpers shared by the normalizers: header keys and cell-to-text cleaning."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

import numpy as np
import pandas as pd

__all__ = ["clean_text", "clean_text_array", "factorize_text", "header_key"]

_NON_KEY = re.compile(r"[^a-z0-9]+")
# Invisible characters that survive str.split(): zero-width space/joiners, word
# joiner, BOM, soft hyphen. They are removed, not turned into spaces.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# "3.0", "81234567890.0": Excel numbers that went through a float.
_INTEGRAL_FLOAT_TEXT = re.compile(r"^(-?\d+)\.0+$")


@lru_cache(maxsize=4096)
def header_key(s: str) -> str:
    """Matching key for headers and aliases: casefolded, accents stripped, only [a-z0-9]."""
    decomposed = unicodedata.normalize("NFKD", str(s).casefold())
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    return _NON_KEY.sub("", ascii_only)


def _clean_str(x: str, keep_lines: bool = False) -> str | None:
    if not x.isascii() and _INVISIBLE.search(x):
        x = _INVISIBLE.sub("", x)
    if keep_lines and "\n" in x:
        # Several entries typed on separate lines (Alt+Enter in Excel) stay apart.
        out = " / ".join(" ".join(line.split()) for line in x.splitlines() if line.strip())
    else:
        out = " ".join(x.split())
    if not out:
        return None
    if out[-1] == "0" and "." in out:
        m = _INTEGRAL_FLOAT_TEXT.match(out)
        if m:
            out = m.group(1)
    return out


def _scalar_text(x: object) -> str | None:
    """Text of one non-str cell value (numbers and dates from Excel, etc.)."""
    if x is None or x is pd.NaT:
        return None
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        f = float(x)
        if math.isnan(f):
            return None
        if math.isfinite(f) and f.is_integer():
            return str(int(f))
        return repr(f)
    if isinstance(x, datetime):  # includes pandas Timestamp
        if (x.hour, x.minute, x.second, x.microsecond) == (0, 0, 0, 0):
            return x.date().isoformat()
        return x.isoformat(sep=" ")
    if isinstance(x, date):
        return x.isoformat()
    try:
        if pd.isna(x):
            return None
    except (TypeError, ValueError):
        pass
    return _clean_str(str(x))


def _float_array_text(arr: np.ndarray) -> np.ndarray:
    out = np.full(arr.shape, None, dtype=object)
    finite = np.isfinite(arr)
    integral = finite & (np.floor(arr) == arr) & (np.abs(arr) < 2**63)
    if integral.any():
        out[integral] = arr[integral].astype(np.int64).astype(str).astype(object)
    other = finite & ~integral
    if other.any():
        out[other] = [repr(float(f)) for f in arr[other]]
    inf = np.isinf(arr)
    if inf.any():
        out[inf] = [repr(float(f)) for f in arr[inf]]
    return out


def clean_text_array(values: pd.Series, *, keep_lines: bool = False) -> np.ndarray:
    """Object array of cleaned str/None; see clean_text. `keep_lines` joins lines with ' / '."""
    arr = values.to_numpy()
    if arr.dtype.kind == "f":
        return _float_array_text(arr)
    if arr.dtype.kind in "iu":
        return arr.astype(str).astype(object)
    if arr.dtype.kind != "O":
        # Via pandas: datetime64 becomes Timestamps, not integers.
        arr = values.to_numpy(dtype=object)
    out = np.empty(len(arr), dtype=object)
    is_str = np.fromiter((type(x) is str for x in arr), dtype=bool, count=len(arr))
    if is_str.all():
        out[:] = [_clean_str(x, keep_lines) for x in arr]
        return out
    if is_str.any():
        out[is_str] = [_clean_str(x, keep_lines) for x in arr[is_str]]
    rest = arr[~is_str]
    if len(rest):
        # Non-text cells (NaN, Excel numbers, dates) go through the slower type dispatch.
        out[~is_str] = [_scalar_text(x) for x in rest]
    return out


def factorize_text(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, cleaned uniques) for columns with few distinct values.

    Cleans each distinct raw value once; empty cells get code -1 (also those that only
    become empty after cleaning, e.g. "   ").
    """
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    texts = clean_text_array(pd.Series(uniques, dtype=object))
    empty = texts == None  # noqa: E711 - elementwise on an object array
    if empty.any():
        codes = np.where(empty[np.maximum(codes, 0)] & (codes >= 0), -1, codes)
    return codes, texts


def clean_text(values: pd.Series) -> pd.Series:
    """Cell values as trimmed text with inner whitespace collapsed; empty/NaN -> None.

    Non-breaking and other Unicode spaces count as whitespace, zero-width characters are
    dropped, and integral floats (Excel numbers, 3.0 or "3.0") become "3".
    """
    if not isinstance(values, pd.Series):
        values = pd.Series(values)
    return pd.Series(clean_text_array(values), index=values.index, dtype=object)
