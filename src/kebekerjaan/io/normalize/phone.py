"""Indonesian phone numbers to E.164 (+62...), with notes for the user.

Almost every cell is one Indonesian mobile or landline number; those are recognised by
regexes built from phonenumbers' own metadata for ID (tests check that they agree with
phonenumbers.parse). The rest (several numbers in one cell, foreign numbers, junk) goes
through phonenumbers.parse, once per unique value.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

from kebekerjaan.io.normalize.text import clean_text_array

__all__ = ["normalize_phone", "to_e164"]

_ID_META = phonenumbers.PhoneMetadata.metadata_for_region("ID")
# National numbers without the trunk 0; "8[1-35-9]\d{7,10}" for mobiles in phonenumbers 9.
MOBILE_PATTERN = _ID_META.mobile.national_number_pattern
FIXED_LINE_PATTERN = _ID_META.fixed_line.national_number_pattern
_FIXED_LENGTHS = frozenset(_ID_META.fixed_line.possible_length)
_GENERAL = re.compile(_ID_META.general_desc.national_number_pattern, re.ASCII)

# Every way people write the Indonesian prefix: 0..., 62..., +62..., 0062..., the
# "+62 (0) 812" trunk 0 after the country code, or nothing (bare "812...").
_PREFIX = r"(?:(?:\+62|0062|62)0?|0)?"
# re.ASCII: \d must not accept other scripts' digits, which E.164 cannot hold.
_FAST_MOBILE = re.compile(rf"{_PREFIX}({MOBILE_PATTERN})", re.ASCII)
# For landlines a bare "62..." may also be an area code 062x without its 0; leave that
# ambiguous case (and any other reading phonenumbers might prefer) to the slow path.
_FAST_FIXED = re.compile(
    rf"(?:(?:\+62|0062|62)0?|0)({FIXED_LINE_PATTERN})|(?!62)({FIXED_LINE_PATTERN})", re.ASCII
)

# Separators inside one number: whitespace (incl. NBSP), dashes, dots, brackets,
# apostrophes (Excel's text marker) and invisible characters.
_SEPARATORS = re.compile("[\\s\\-.()'’\u200b\u200c\u200d\u2060\ufeff]")
# Between several numbers in one cell.
_MULTI_SPLIT = re.compile(r"\s*(?:[/,;|&\\]|\s(?:atau|dan|or|and)\s)\s*", re.IGNORECASE)
# Labels around a number: "HP: 0812...", "WA 0812...", "0812... (WA)", "Telp. 0401...".
_LABEL = re.compile(
    r"\(?\b(?:no|nomor|nmr|hp|wa|whatsapp|telp|tlp|tel|telepon|ponsel|handphone|mobile|"
    r"phone|rumah|kantor)\b\)?[\s.:\-]*",
    re.IGNORECASE,
)
_CANDIDATE = re.compile(r"\+?[0-9]+")
# Placeholders typed into an empty phone cell.
_PLACEHOLDERS = frozenset(
    "-|--|---|0|00|000|.|x|xx|xxx|n/a|na|none|null|nan|kosong|tidak ada|tdk ada|belum ada|"
    "tidak punya|tdk punya".split("|")
)

_MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)

FLAG_EMPTY = "tanpa nomor HP"
FLAG_INVALID = "nomor HP tidak valid: '{raw}'"
FLAG_NOT_MOBILE = "nomor HP bukan nomor seluler: '{raw}'"
FLAG_FOREIGN = "nomor HP luar negeri: '{raw}'"
FLAG_MULTIPLE = "lebih dari satu nomor HP; dipakai yang pertama"


def _fast_mobile(text: str) -> str | None:
    """E.164 of a single Indonesian mobile number, or None if it is anything else."""
    m = _FAST_MOBILE.fullmatch(text)
    if m is None:
        # A trailing ".0" (Excel float as text) must not become a digit.
        if text.endswith(".0"):
            return None
        m = _FAST_MOBILE.fullmatch(_SEPARATORS.sub("", text))
        if m is None:
            return None
    return "+62" + m.group(1)


def _fast_fixed(text: str) -> str | None:
    """E.164 of a single Indonesian landline number, or None."""
    m = _FAST_FIXED.fullmatch(_SEPARATORS.sub("", text))
    if m is None:
        return None
    national = m.group(1) or m.group(2)
    if len(national) not in _FIXED_LENGTHS or not _GENERAL.fullmatch(national):
        return None
    return "+62" + national


def _is_placeholder(text: str) -> bool:
    return text.casefold() in _PLACEHOLDERS or not any(c.isalnum() for c in text)


def _international_forms(digits: str) -> list[str]:
    """'+CC...' strings to try for one candidate, most likely reading first."""
    if digits.startswith("+"):
        forms = [digits]
    elif digits.startswith("0062"):
        # phonenumbers knows only 008/009 as ID's international prefix, not 00.
        forms = ["+" + digits[2:]]
    elif digits.startswith("62"):
        # WhatsApp style without "+"; phonenumbers would read it as a national number
        # (+6262...). A landline in area 062x written without its 0 is the rarer reading.
        forms = ["+" + digits, "+62" + digits]
    elif digits.startswith("0"):
        forms = ["+62" + digits[1:]]
    else:
        forms = ["+62" + digits]
    # "+62 (0) 812...": drop the trunk 0 kept after the country code.
    return ["+62" + f[4:] if f.startswith("+620") else f for f in forms]


# Kinds of a recognised number, deciding the flag.
_MOBILE, _FIXED, _OTHER, _FOREIGN = "mobile", "fixed", "other", "foreign"


def _ascii_digits(text: str) -> str:
    """Other scripts' decimal digits (e.g. full-width ０８１２) as ASCII digits."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def _parse_one(candidate: str) -> tuple[str, str] | None:
    """(E.164, kind) of one candidate number, or None if it is not a valid number."""
    if not candidate.isascii():
        candidate = _ascii_digits(candidate)
    fast = _fast_mobile(candidate)
    if fast is not None:
        return fast, _MOBILE
    fast = _fast_fixed(candidate)
    if fast is not None:
        return fast, _FIXED
    digits = _SEPARATORS.sub("", candidate)
    if not _CANDIDATE.fullmatch(digits):
        return None
    for form in _international_forms(digits):
        try:
            number = phonenumbers.parse(form, None)
        except NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            if number.country_code != 62:
                kind = _FOREIGN
            elif phonenumbers.number_type(number) in _MOBILE_TYPES:
                kind = _MOBILE
            else:
                kind = _OTHER
            return _e164(number), kind
    return None


def _parse_cell(text: str) -> tuple[tuple[str, str] | None, int]:
    """First valid number in a cell and how many candidate numbers the cell holds."""
    whole = _parse_one(_LABEL.sub("", text))
    if whole is not None:
        return whole, 1
    candidates = [p for p in (_LABEL.sub("", c).strip() for c in _MULTI_SPLIT.split(text)) if p]
    if len(candidates) <= 1 and " " in text:
        # Numbers separated only by spaces: "081234567890 081311112222" is clear, but
        # "0812 3456 7890" groups are not separate numbers.
        spaced = text.split(" ")
        if len(spaced) > 1 and all(len(_SEPARATORS.sub("", c)) >= 9 for c in spaced):
            candidates = spaced
    for c in candidates:
        number = _parse_one(c)
        if number is not None:
            return number, len(candidates)
    return None, len(candidates)


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _slow_result(text: str) -> tuple[str | None, str | None]:
    """(phone, flag) for a cleaned, non-empty cell that is not a plain mobile number."""
    if _is_placeholder(text):
        return None, FLAG_EMPTY
    found, count = _parse_cell(text)
    if found is None:
        return None, FLAG_INVALID.format(raw=text)
    e164, kind = found
    flags = []
    if count > 1:
        flags.append(FLAG_MULTIPLE)
    if kind == _FOREIGN:
        flags.append(FLAG_FOREIGN.format(raw=text))
    elif kind != _MOBILE:
        flags.append(FLAG_NOT_MOBILE.format(raw=text))
    return e164, "; ".join(flags) or None


def to_e164(raw: object) -> str | None:
    """E.164 form (+62...) of the first valid phone number in `raw`, or None.

    Accepts 0812-3456-7890, +62 812 3456 7890, 62812..., bare 812..., (0812) 345-6789,
    Excel floats (81234567890.0) and a leading apostrophe. Idempotent.
    """
    return normalize_phone(pd.Series([raw], dtype=object))["phone"].iloc[0]


def normalize_phone(values: pd.Series) -> pd.DataFrame:
    """Columns `phone` (E.164 or None) and `flag` (Indonesian note or None), same index.

    Empty -> flag "tanpa nomor HP"; invalid -> None + "nomor HP tidak valid: '...'";
    a valid landline is kept with "nomor HP bukan nomor seluler: '...'"; with several
    numbers the first valid one is kept and flagged "lebih dari satu nomor HP; ...".
    """
    arr = values.to_numpy(dtype=object)
    n = len(arr)
    # Pass 1, no cleaning: text cells holding one mobile number (nearly all of them).
    phone = np.empty(n, dtype=object)
    phone[:] = [_fast_mobile(x) if type(x) is str else None for x in arr]
    flag = np.full(n, None, dtype=object)

    rest = np.flatnonzero(phone == None)  # noqa: E711 - elementwise on an object array
    if len(rest):
        # Pass 2: clean (Excel floats, odd whitespace, several lines), then try again.
        texts = clean_text_array(pd.Series(arr[rest], dtype=object), keep_lines=True)
        empty = texts == None  # noqa: E711
        flag[rest[empty]] = FLAG_EMPTY
        rest, texts = rest[~empty], texts[~empty]
        again = np.empty(len(texts), dtype=object)
        again[:] = [_fast_mobile(t) for t in texts]
        hit = again != None  # noqa: E711
        phone[rest[hit]] = again[hit]
        rest, texts = rest[~hit], texts[~hit]
        if len(rest):
            # Pass 3: everything else, once per distinct text.
            codes, uniques = pd.factorize(texts)
            results = [_slow_result(u) for u in uniques]
            res_phone = np.empty(len(results), dtype=object)
            res_flag = np.empty(len(results), dtype=object)
            res_phone[:] = [r[0] for r in results]
            res_flag[:] = [r[1] for r in results]
            phone[rest] = res_phone[codes]
            flag[rest] = res_flag[codes]

    return pd.DataFrame({"phone": phone, "flag": flag}, index=values.index)
