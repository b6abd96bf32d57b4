"""Normalizers for alumni intake: each takes a whole pandas Series and returns clean values
plus Indonesian messages (reject reasons in `error`, notes in `flag`)."""

from __future__ import annotations

from kebekerjaan.io.normalize.dates import DateParseError, parse_date, parse_dates
from kebekerjaan.io.normalize.fields import (
    clean_repeating,
    normalize_angkatan,
    normalize_email,
    normalize_graduation,
    normalize_sex,
)
from kebekerjaan.io.normalize.kejuruan import KejuruanMapper, kejuruan_mapper
from kebekerjaan.io.normalize.names import normalize_name
from kebekerjaan.io.normalize.nik import normalize_nik
from kebekerjaan.io.normalize.phone import normalize_phone, to_e164
from kebekerjaan.io.normalize.text import clean_text, header_key

__all__ = [
    "DateParseError",
    "KejuruanMapper",
    "clean_repeating",
    "clean_text",
    "header_key",
    "kejuruan_mapper",
    "normalize_angkatan",
    "normalize_email",
    "normalize_graduation",
    "normalize_name",
    "normalize_nik",
    "normalize_phone",
    "normalize_sex",
    "parse_date",
    "parse_dates",
    "to_e164",
]
