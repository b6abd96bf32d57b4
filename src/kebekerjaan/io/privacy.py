"""Personal data in anything shown or printed: NIK masked, phone numbers left out."""

from __future__ import annotations

import re

import pandas as pd

_NIK = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")
# Sixteen digits written in groups ("7471 0101 0190 0001", "7471.0101.0190.0001"): could be
# a NIK, so masked the same way.
_NIK_GROUPED = re.compile(r"(?<![\d.\-])\d(?:[ .\-]?\d){15}(?![\d]|[ .\-]\d)")
# Phone numbers as Indonesians write them inside free text: mobile numbers with 0, 62 or
# +62, in brackets or not, grouped by spaces, dots or dashes ("(0812) 0777 1234",
# "0812.0777.1234", "+62 812-0777-1234", "+62 (812) 0777 1234"), and landlines with an
# area code ("(0401) 312 3456", "021-5551234", "+62 401 3123456").
_PHONE = re.compile(
    r"(?<![\d+])(?:\+\s?62|\(\+62\)|62|\(0|0)[\s.\-]?\(?\s?8\d{1,3}\)?(?:[\s.\-]?\d){6,9}(?!\d)"
    r"|(?<![\d+])(?:\+\s?62[\s.\-]?\(?|\(0|0)[2-79]\d{1,2}\)?[\s.\-]?\d{3,4}[\s.\-]?\d{3,4}(?!\d)"
)
PHONE_COLUMNS = {"phone", "No HP", "No. HP", "Nomor HP", "Nomor WA", "Telepon", "WhatsApp",
                 "given_phone", "sender_phone", "No HP (jawaban)"}
NIK_COLUMNS = {"nik", "NIK"}


def mask_nik(value) -> str | None:
    """'7471010101900001' -> '7471********0001'; any 16-digit run inside text too."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return _NIK.sub(lambda m: f"{m.group(1)}********{m.group(2)}", str(value))


def _mask_grouped(m: re.Match) -> str:
    text, seen, out = m.group(0), 0, []
    for ch in text:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= 4 or seen > 12 else "*")
        else:
            out.append(ch)
    return "".join(out)


def mask_text(value: str) -> str:
    """NIKs masked and phone numbers hidden inside any text."""
    text = _PHONE.sub("[nomor HP]", mask_nik(value))
    return _NIK_GROUPED.sub(_mask_grouped, text)


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy safe to show in a notebook or report: NIK masked, phone numbers removed."""
    out = frame.drop(columns=[c for c in frame.columns if c in PHONE_COLUMNS])
    for col in out.columns:
        if col in NIK_COLUMNS:
            # A NIK cell Excel stored as a number arrives as a float, not text.
            out[col] = out[col].map(lambda v: mask_nik(f"{v:.0f}" if isinstance(v, float) and v == v
                                                        else v))
        elif out[col].dtype == object:
            out[col] = out[col].map(lambda v: mask_text(v) if isinstance(v, str) else v)
    return out
