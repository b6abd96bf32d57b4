"""Phone numbers: every accepted way of writing an Indonesian number ends as E.164."""

from __future__ import annotations

import re

import pandas as pd
import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kebekerjaan.io.normalize import normalize_phone, to_e164
from kebekerjaan.io.normalize import phone as phone_mod

E164_ID = re.compile(r"^\+62\d{8,13}$")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("81234567890", "+6281234567890"),  # bare national number without the 0
        ("(0812) 345-6789", "+628123456789"),
        (81234567890.0, "+6281234567890"),  # Excel float
        (81234567890, "+6281234567890"),
        ("81234567890.0", "+6281234567890"),  # Excel float saved as text
        ("'081234567890", "+6281234567890"),  # Excel text marker
        ("0812.3456.7890", "+6281234567890"),
        ("+62 (0) 812-3456-7890", "+6281234567890"),
        ("0062 812 3456 7890", "+6281234567890"),
        (" 0812\u00a03456\u200b7890 ", "+6281234567890"),
        ("HP: 0812 3456 7890", "+6281234567890"),
        ("0812 3456 7890 (WA)", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
        ("０８１２-３４５６-７８９０", "+6281234567890"),  # full-width digits (phone keyboards)
    ],
)
def test_accepted_formats(raw, expected):
    assert to_e164(raw) == expected
    out = normalize_phone(pd.Series([raw], dtype=object))
    assert out.loc[0, "phone"] == expected
    assert out.loc[0, "flag"] is None


@pytest.mark.parametrize("raw", [None, "", "   ", float("nan"), "-", "tidak ada"])
def test_empty_is_flagged_without_number(raw):
    out = normalize_phone(pd.Series([raw], dtype=object))
    assert out.loc[0, "phone"] is None
    assert out.loc[0, "flag"] == "tanpa nomor HP"
    assert to_e164(raw) is None


@pytest.mark.parametrize("raw", ["12345", "abc", "0812", "0812-3456-7890-1234-5678", "+1 555"])
def test_invalid_number_is_flagged_with_raw_value(raw):
    out = normalize_phone(pd.Series([raw], dtype=object))
    assert out.loc[0, "phone"] is None
    assert out.loc[0, "flag"] == f"nomor HP tidak valid: '{raw}'"
    assert to_e164(raw) is None


def test_landline_is_kept_but_flagged_as_not_mobile():
    # BPVP Kendari's own office number.
    out = normalize_phone(pd.Series(["0401-3195170", "(0401) 3195170", "+62 401 3195170"]))
    assert list(out["phone"]) == ["+624013195170"] * 3
    assert out.loc[0, "flag"] == "nomor HP bukan nomor seluler: '0401-3195170'"
    assert out.loc[1, "flag"] == "nomor HP bukan nomor seluler: '(0401) 3195170'"


@pytest.mark.parametrize(
    "raw",
    [
        "0812-3456-7890 / 0813-1111-2222",
        "0812-3456-7890, 0813-1111-2222",
        "0812-3456-7890 atau 0813-1111-2222",
        "081234567890\n081311112222",
        "081234567890 081311112222",
        "abc / 0812-3456-7890",
    ],
)
def test_two_numbers_keep_the_first_valid_one(raw):
    out = normalize_phone(pd.Series([raw]))
    assert out.loc[0, "phone"] == "+6281234567890"
    assert out.loc[0, "flag"] == "lebih dari satu nomor HP; dipakai yang pertama"


def test_foreign_number_is_kept_and_flagged():
    out = normalize_phone(pd.Series(["+60 12-345 6789"]))
    assert out.loc[0, "phone"] == "+60123456789"
    assert out.loc[0, "flag"] == "nomor HP luar negeri: '+60 12-345 6789'"


def test_ambiguous_62_prefix_reads_country_code_first():
    # phonenumbers alone would read "62812..." as a national number (+6262812...).
    assert to_e164("62812345678") == "+62812345678"


def test_index_and_columns_are_kept():
    values = pd.Series(["0812-3456-7890", None, "0401-3195170"], index=[10, 20, 30])
    out = normalize_phone(values)
    assert list(out.index) == [10, 20, 30]
    assert list(out.columns) == ["phone", "flag"]


def test_float_column_from_excel():
    out = normalize_phone(pd.Series([81234567890.0, float("nan")]))
    assert list(out["phone"]) == ["+6281234567890", None]
    assert list(out["flag"]) == [None, "tanpa nomor HP"]


def test_mobile_pattern_comes_from_phonenumbers_metadata():
    meta = phonenumbers.PhoneMetadata.metadata_for_region("ID")
    assert phone_mod.MOBILE_PATTERN == meta.mobile.national_number_pattern
    assert phone_mod.FIXED_LINE_PATTERN == meta.fixed_line.national_number_pattern


# --- properties ------------------------------------------------------------------------

_mobile_national = st.builds(
    lambda second, rest: "8" + second + rest,
    st.sampled_from("1235789"),
    st.text("0123456789", min_size=7, max_size=10),
)


def _write(national: str, style: int) -> object:
    groups = f"{national[:3]}-{national[3:7]}-{national[7:]}"
    return [
        "0" + national,
        "+62" + national,
        "62" + national,
        national,
        "0" + groups,
        "+62 " + groups.replace("-", " "),
        f"(0{national[:3]}) {national[3:]}",
        float(national),
        "'0" + national,
        "0062" + national,
    ][style]


@settings(max_examples=300, deadline=None)
@given(_mobile_national, st.integers(0, 9))
def test_every_accepted_mobile_is_valid_e164_and_stable(national, style):
    result = to_e164(_write(national, style))
    assert result == "+62" + national
    assert E164_ID.match(result)
    assert phonenumbers.is_valid_number(phonenumbers.parse(result))
    assert to_e164(result) == result
    out = normalize_phone(pd.Series([_write(national, style), result], dtype=object))
    assert out["phone"].tolist() == [result, result]
    assert out["flag"].tolist() == [None, None]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789+-() ./'٠٨١２", max_size=20))
def test_any_accepted_value_is_valid_and_idempotent(raw):
    result = to_e164(raw)
    if result is not None:
        assert re.fullmatch(r"\+[0-9]{8,15}", result)
        assert phonenumbers.is_valid_number(phonenumbers.parse(result))
        assert to_e164(result) == result


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["0", "62", "+62", "", "0062", "620", "06"]),
    st.text("0123456789", min_size=6, max_size=13),
)
def test_regex_fast_paths_agree_with_phonenumbers(prefix, digits):
    raw = prefix + digits
    mobile = phone_mod._fast_mobile(raw)
    fixed = phone_mod._fast_fixed(raw)
    if mobile is None and fixed is None:
        return
    reference = None
    for form in phone_mod._international_forms(raw):
        try:
            number = phonenumbers.parse(form, None)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            reference = number
            break
    assert reference is not None
    e164 = phonenumbers.format_number(reference, phonenumbers.PhoneNumberFormat.E164)
    kind = phonenumbers.number_type(reference)
    if mobile is not None:
        assert mobile == e164
        assert kind in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
    else:
        assert fixed == e164
        assert kind == phonenumbers.PhoneNumberType.FIXED_LINE
