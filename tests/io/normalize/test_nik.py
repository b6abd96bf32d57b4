"""NIK: reject reasons, flags, decoding and the century rule. All NIKs here are synthetic."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kebekerjaan.io import wilayah
from kebekerjaan.io.normalize import normalize_nik

TODAY = date(2025, 6, 1)
# Kota Kendari (74.71), kecamatan Mandonga (74.71.01); a woman born 1 Jan 1995; serial 0001.
NIK_P = "7471014101950001"
# Same place, a man born 12 Aug 2001.
NIK_L = "7471011208010001"

COLUMNS = [
    "nik",
    "error",
    "flag",
    "nik_sex",
    "nik_birth_date",
    "prov_code",
    "prov_name",
    "kabkota_code",
    "kabkota_name",
]


def one(value, sex=None, birth=None, today=TODAY) -> pd.Series:
    out = normalize_nik(
        pd.Series([value], dtype=object),
        sex=None if sex is None else pd.Series([sex], dtype=object),
        birth_date=None if birth is None else pd.Series([birth], dtype=object),
        today=today,
    )
    return out.iloc[0]


def test_decodes_a_valid_nik():
    row = one(NIK_P)
    assert row["nik"] == NIK_P
    assert row["error"] is None and row["flag"] is None
    assert row["nik_sex"] == "P"
    assert row["nik_birth_date"] == date(1995, 1, 1)
    assert (row["prov_code"], row["prov_name"]) == ("74", "Sulawesi Tenggara")
    assert (row["kabkota_code"], row["kabkota_name"]) == ("7471", "Kota Kendari")
    male = one(NIK_L)
    assert (male["nik_sex"], male["nik_birth_date"]) == ("L", date(2001, 8, 12))


def test_columns_and_index():
    out = normalize_nik(pd.Series([NIK_P, None], index=["a", "b"]), today=TODAY)
    assert list(out.columns) == COLUMNS
    assert list(out.index) == ["a", "b"]


@pytest.mark.parametrize(
    "raw",
    [
        "7471 0141 0195 0001",
        "7471.0141.0195.0001",
        "7471-0141-0195-0001",
        "'7471014101950001",
        "7471014101950001.0",
        " 7471014101950001 ",
    ],
)
def test_separators_apostrophe_and_trailing_zero_are_stripped(raw):
    row = one(raw)
    assert row["nik"] == NIK_P
    assert row["error"] is None
    assert row["flag"] is None


@pytest.mark.parametrize("raw", [7471014101950001, 7471014101950001.0, np.int64(7471014101950001)])
def test_number_cell_is_accepted_with_flag(raw):
    row = one(raw)
    assert row["nik"] == NIK_P
    assert row["flag"] == "NIK tersimpan sebagai angka di Excel; periksa digit terakhir"


def test_number_column_dtype_is_flagged_too():
    out = normalize_nik(pd.Series([7471014101950001, 7471011208010001]), today=TODAY)
    assert out["nik"].tolist() == [NIK_P, NIK_L]
    assert set(out["flag"]) == {"NIK tersimpan sebagai angka di Excel; periksa digit terakhir"}


@pytest.mark.parametrize("raw", [None, "", "   ", float("nan"), "-"])
def test_empty(raw):
    row = one(raw)
    assert row["nik"] is None
    assert row["error"] == "NIK kosong"


@pytest.mark.parametrize("raw", ["7.47101E+15", "7,47101E+15", "7.47101e+15"])
def test_scientific_notation_cannot_be_recovered(raw):
    row = one(raw)
    assert row["nik"] is None
    assert row["error"] == (
        f"NIK '{raw}' rusak karena Excel menyimpannya dalam notasi ilmiah; tidak dapat "
        "dipulihkan — ekspor ulang dengan kolom NIK sebagai teks"
    )


@pytest.mark.parametrize(
    "raw, count", [("747101410195000", 15), ("74710141019500012", 17), ("7471 0141", 8)]
)
def test_wrong_length(raw, count):
    assert one(raw)["error"] == f"NIK '{raw}' tidak 16 digit ({count} digit)"


def test_letters_inside():
    row = one("74710141019500O1")
    assert row["nik"] is None
    assert row["error"] == "NIK '74710141019500O1' mengandung huruf"


def test_unknown_province():
    assert one("9971014101950001")["error"] == (
        "NIK '9971014101950001': kode provinsi '99' tidak dikenal"
    )


@pytest.mark.parametrize(
    "raw, part",
    [
        ("7471013201950001", "320195"),  # day 32
        ("7471014001950001", "400195"),  # day 40: neither a man's nor a woman's day
        ("7471017201950001", "720195"),  # woman, day 32
        ("7471010001950001", "000195"),  # day 0
        ("7471011513950001", "151395"),  # month 13
        ("7471011500950001", "150095"),  # month 0
        ("7471013111950001", "311195"),  # 31 November
        ("7471012902010001", "290201"),  # 29 Feb 2001
        ("7471016902990001", "690299"),  # woman, 29 Feb 1999
        ("7471013002960001", "300296"),  # 30 Feb
    ],
)
def test_impossible_birth_date(raw, part):
    row = one(raw)
    assert row["nik"] is None
    assert row["error"] == f"NIK '{raw}': bagian tanggal lahir '{part}' tidak mungkin"


@pytest.mark.parametrize(
    "raw, born, sex",
    [
        ("7471012902000001", date(2000, 2, 29), "L"),
        ("7471016902960001", date(1996, 2, 29), "P"),
        ("7471013112990001", date(1999, 12, 31), "L"),
        ("7471017112990001", date(1999, 12, 31), "P"),
        ("7471010101990001", date(1999, 1, 1), "L"),
        ("7471014101990001", date(1999, 1, 1), "P"),
    ],
)
def test_leap_days_and_day_boundaries(raw, born, sex):
    row = one(raw)
    assert row["error"] is None
    assert (row["nik_birth_date"], row["nik_sex"]) == (born, sex)


def test_serial_zero():
    assert one("7471014101950000")["error"] == (
        "NIK '7471014101950000': nomor urut '0000' tidak mungkin"
    )


def test_messages_show_the_value_as_given():
    assert one("9971 0141 0195 0001")["error"] == (
        "NIK '9971 0141 0195 0001': kode provinsi '99' tidak dikenal"
    )


# --- century rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "yymmdd_day, today, born",
    [
        # 20YY when that makes the person at least 10 years old today...
        ("010115", date(2025, 6, 1), date(2015, 1, 1)),
        ("010615", date(2025, 6, 1), date(2015, 6, 1)),  # exactly 10 today
        ("010103", date(2025, 6, 1), date(2003, 1, 1)),  # stdnum.id.nik says 1903
        ("010100", date(2025, 6, 1), date(2000, 1, 1)),
        # ...else 19YY.
        ("020615", date(2025, 6, 1), date(1915, 6, 2)),  # one day short of 10
        ("010120", date(2025, 6, 1), date(1920, 1, 1)),
        ("010199", date(2025, 6, 1), date(1999, 1, 1)),
        ("010165", date(2025, 6, 1), date(1965, 1, 1)),
    ],
)
def test_century_rule(yymmdd_day, today, born):
    dd, mm, yy = yymmdd_day[:2], yymmdd_day[2:4], yymmdd_day[4:]
    row = one(f"747101{dd}{mm}{yy}0001", today=today)
    assert row["nik_birth_date"] == born


def test_today_defaults_to_the_current_date():
    out = normalize_nik(pd.Series([NIK_P]))
    assert out.loc[0, "nik_birth_date"] == date(1995, 1, 1)


# --- flags ------------------------------------------------------------------------------


def test_sex_disagreeing_with_the_form_is_flagged():
    assert one(NIK_P, sex="L")["flag"] == (
        "jenis kelamin menurut NIK (perempuan) berbeda dengan isian ('L')"
    )
    assert one(NIK_L, sex="P")["flag"] == (
        "jenis kelamin menurut NIK (laki-laki) berbeda dengan isian ('P')"
    )
    assert one(NIK_P, sex="P")["flag"] is None
    assert one(NIK_P, sex=None)["flag"] is None


@pytest.mark.parametrize(
    "birth", [date(1995, 1, 2), pd.Timestamp("1995-01-02"), pd.Timestamp("1995-01-02 08:00")]
)
def test_birth_date_disagreeing_with_the_form_is_flagged(birth):
    assert one(NIK_P, birth=birth)["flag"] == (
        "tanggal lahir menurut NIK (01-01-1995) berbeda dengan isian (02-01-1995)"
    )


@pytest.mark.parametrize("birth", [date(1995, 1, 1), pd.Timestamp("1995-01-01"), None, pd.NaT])
def test_matching_or_missing_birth_date_is_not_flagged(birth):
    assert one(NIK_P, birth=birth)["flag"] is None


def test_birth_date_compares_day_month_and_two_digit_year():
    # The century in the NIK is inferred; the form's own century wins silently.
    assert one("7471010101200001", birth=date(2020, 1, 1), today=TODAY)["flag"] is None


def test_sex_and_birth_flags_are_joined():
    row = one(NIK_P, sex="L", birth=date(1996, 1, 1))
    assert row["flag"] == (
        "jenis kelamin menurut NIK (perempuan) berbeda dengan isian ('L'); "
        "tanggal lahir menurut NIK (01-01-1995) berbeda dengan isian (01-01-1996)"
    )


def test_sex_and_birth_series_are_aligned_by_index():
    values = pd.Series([NIK_P, NIK_L], index=[5, 6])
    sex = pd.Series(["L", "P"], index=[6, 5])  # agrees with both NIKs once aligned
    out = normalize_nik(values, sex=sex, today=TODAY)
    assert out["flag"].tolist() == [None, None]


def test_unknown_kabkota_is_flagged_not_rejected():
    row = one("7499014101950001")
    assert row["nik"] == "7499014101950001"
    assert row["kabkota_code"] == "7499" and row["kabkota_name"] is None
    assert row["flag"] == "kode kabupaten/kota '7499' di NIK tidak dikenal"


def test_unknown_kecamatan_is_flagged_not_rejected():
    row = one("7471994101950001")
    assert row["nik"] == "7471994101950001"
    assert row["flag"] == "kode kecamatan '747199' di NIK tidak dikenal"


@pytest.mark.parametrize(
    "prefix",
    [
        "747111",  # Nambo, Kendari: only in the 2025 list
        "910101",  # Merauke under Papua: only in the 2016/2020 lists
        "930101",  # Merauke under Papua Selatan: 2025
    ],
)
def test_codes_from_every_version_are_known(prefix):
    row = one(f"{prefix}4101950001")
    assert row["error"] is None
    assert row["flag"] is None


def test_old_papua_code_keeps_its_old_names():
    row = one("9101014101950001")
    assert (row["prov_name"], row["kabkota_name"]) == ("Papua", "Kabupaten Merauke")


def test_no_flags_for_rejected_rows_except_number_cells():
    out = normalize_nik(
        pd.Series(["9971014101950001", 7471010000000000.0], dtype=object),
        sex=pd.Series(["L", "L"]),
        today=TODAY,
    )
    assert out["flag"].tolist() == [
        None,
        "NIK tersimpan sebagai angka di Excel; periksa digit terakhir",
    ]
    assert out["nik"].tolist() == [None, None]


# --- property: NIKs built from valid parts ---------------------------------------------

_KECAMATAN = sorted(int(c) for c in np.flatnonzero(wilayah.tables().kecamatan_known))


@st.composite
def valid_nik(draw):
    kec = draw(st.sampled_from(_KECAMATAN))
    # Births for which the century rule is unambiguous at TODAY (10..109 years old).
    born = draw(st.dates(date(1920, 1, 1), date(2015, 6, 1)))
    sex = draw(st.sampled_from("LP"))
    serial = draw(st.integers(1, 9999))
    day = born.day + (40 if sex == "P" else 0)
    nik = f"{kec:06d}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"
    return nik, sex, born


def _styled(nik: str, style: int) -> str:
    return [
        nik,
        f"{nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}",
        ".".join([nik[:6], nik[6:12], nik[12:]]),
        "'" + nik,
        f"  {nik}\u00a0",
        nik + ".0",
    ][style]


@settings(max_examples=200, deadline=None)
@given(valid_nik(), st.integers(0, 5))
def test_valid_parts_normalize_to_themselves(parts, style):
    nik, sex, born = parts
    out = normalize_nik(
        pd.Series([_styled(nik, style), nik]),
        sex=pd.Series([sex, sex]),
        birth_date=pd.Series([born, pd.Timestamp(born)]),
        today=TODAY,
    )
    assert out["nik"].tolist() == [nik, nik]
    assert out["error"].tolist() == [None, None]
    assert out["flag"].tolist() == [None, None]
    assert out["nik_sex"].tolist() == [sex, sex]
    assert out["nik_birth_date"].tolist() == [born, born]
    assert out["prov_code"].tolist() == [nik[:2]] * 2
    assert out["prov_name"].iloc[0] == wilayah.province_name(nik[:2])
    assert out["kabkota_name"].iloc[0] == wilayah.kabkota_name(nik[:4])


def test_large_mixed_column_is_consistent():
    # The vectorized path must give the same answer as one row at a time.
    values = [
        NIK_P,
        "9971014101950001",
        None,
        "7471 0141 0195 0001",
        7471011208010001,
        "7471013202950001",
        "x",
        "7471014101950000",
    ] * 50
    batch = normalize_nik(pd.Series(values, dtype=object), today=TODAY)
    for i in range(8):
        single = one(values[i])
        assert batch.iloc[i].tolist() == single.tolist()
    assert normalize_nik(pd.Series([], dtype=object), today=TODAY).columns.tolist() == COLUMNS
