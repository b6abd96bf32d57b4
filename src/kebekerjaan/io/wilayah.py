"""Indonesian region codes (provinsi, kabupaten/kota, kecamatan) from the shipped wilayah.csv.

The file keeps the 2016, 2020 and 2025 code lists together: a NIK keeps the code of the
region that issued it, so every code that ever existed is a valid NIK prefix. The file is
package data (see data/WILAYAH_LICENSE.md) and is read once, on first use.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

__all__ = [
    "WilayahTables",
    "kabkota_name",
    "kecamatan_known",
    "province_name",
    "tables",
]

_CODE_TEXT = re.compile(r"\d[\d. ]*")


@dataclass(frozen=True)
class WilayahTables:
    """Lookup arrays indexed by the integer code, for vectorized use (e.g. NIK checks).

    `prov_name[pp]` (100 entries), `kabkota_name[ppkk]` (10,000) and the matching
    `*_known` booleans; `kecamatan_known[ppkkdd]` (1,000,000 booleans, 1 MB).
    """

    prov_name: np.ndarray
    prov_known: np.ndarray
    kabkota_name: np.ndarray
    kabkota_known: np.ndarray
    kecamatan_known: np.ndarray


def _display_name(name: str) -> str:
    # Codes only in the 2016/2020 lists are upper case in the source ("KAB. MERAUKE").
    if not name.isupper():
        return name
    name = re.sub(r"^KAB\.?\s+", "KABUPATEN ", name)
    return " ".join(w.capitalize() for w in name.split())


@cache
def tables() -> WilayahTables:
    """Load data/wilayah.csv once and build the lookup arrays."""
    raw = resources.files("kebekerjaan").joinpath("data/wilayah.csv").read_text(encoding="utf-8")
    prov_name = np.full(100, None, dtype=object)
    kab_name = np.full(10_000, None, dtype=object)
    kec_known = np.zeros(1_000_000, dtype=bool)
    for row in csv.DictReader(io.StringIO(raw, newline="")):
        digits = row["kode"].replace(".", "")
        code = int(digits)
        if len(digits) == 2:
            prov_name[code] = _display_name(row["nama"].strip())
        elif len(digits) == 4:
            kab_name[code] = _display_name(row["nama"].strip())
        elif len(digits) == 6:
            kec_known[code] = True
    for arr in (prov_name, kab_name, kec_known):
        arr.flags.writeable = False
    prov_known = np.array([n is not None for n in prov_name])
    kab_known = np.array([n is not None for n in kab_name])
    prov_known.flags.writeable = False
    kab_known.flags.writeable = False
    return WilayahTables(prov_name, prov_known, kab_name, kab_known, kec_known)


def _code(code: object, length: int) -> int | None:
    """Integer value of a code given as digits, with or without dots ("74.71" or "7471")."""
    if code is None:
        return None
    text = str(code).strip()
    if not _CODE_TEXT.fullmatch(text):
        return None
    digits = text.replace(".", "").replace(" ", "")
    return int(digits) if len(digits) == length else None


def province_name(code2: str) -> str | None:
    """Province name for a 2-digit code ("74" -> "Sulawesi Tenggara"), or None if unknown."""
    code = _code(code2, 2)
    return None if code is None else tables().prov_name[code]


def kabkota_name(code4: str) -> str | None:
    """Kabupaten/kota name for a 4-digit code ("7471" -> "Kota Kendari"), or None."""
    code = _code(code4, 4)
    return None if code is None else tables().kabkota_name[code]


def kecamatan_known(code6: str) -> bool:
    """Whether a 6-digit kecamatan code ("747101") is in any of the shipped code lists."""
    code = _code(code6, 6)
    return code is not None and bool(tables().kecamatan_known[code])
