"""Personal data in anything shown or printed: NIK masked, phone numbers left out."""

from __future__ import annotations

import re

import pandas as pd

_NIK = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")
# An Indonesian mobile number typed inside free text (a WhatsApp message, a note).
_PHONE = re.compile(r"(?<![\d+])(?:\+62[\s-]?|62|0)8\d(?:[\s.-]?\d){6,11}(?!\d)")
PHONE_COLUMNS = {"phone", "No HP", "No. HP", "Nomor HP", "Nomor WA", "Telepon", "WhatsApp",
                 "given_phone", "sender_phone", "No HP (jawaban)"}
NIK_COLUMNS = {"nik", "NIK"}


def mask_nik(value) -> str | None:
    """'7471010101900001' -> '7471********0001'; any 16-digit run inside text too."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return _NIK.sub(lambda m: f"{m.group(1)}********{m.group(2)}", str(value))


def mask_text(value: str) -> str:
    """NIKs masked and phone numbers hidden inside any text."""
    return _PHONE.sub("[nomor HP]", mask_nik(value))


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
