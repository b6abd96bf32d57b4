"""Small coded fields: sex, angkatan, email, graduation status."""

from __future__ import annotations

import pandas as pd
import pytest

from kebekerjaan.io.normalize import (
    clean_text,
    header_key,
    normalize_angkatan,
    normalize_email,
    normalize_graduation,
    normalize_sex,
)

# --- text helpers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, key",
    [
        ("No. Telp/WA", "notelpwa"),
        (" Nama  Lengkap ", "namalengkap"),
        ("Tánggal Lahír", "tanggallahir"),
        ("NIK", "nik"),
        ("Jenis_Kelamin (L/P)", "jeniskelaminlp"),
    ],
)
def test_header_key(raw, key):
    assert header_key(raw) == key


def test_clean_text():
    values = pd.Series(
        [
            "  a\u00a0\u00a0b ",
            "x\u200by",
            "baris\nkedua",
            3.0,
            3,
            "3.0",
            3.5,
            None,
            float("nan"),
            "",
            "   ",
            pd.Timestamp("2024-01-12"),
            81234567890.0,
        ],
        dtype=object,
    )
    assert clean_text(values).tolist() == [
        "a b",
        "xy",
        "baris kedua",
        "3",
        "3",
        "3",
        "3.5",
        None,
        None,
        None,
        None,
        "2024-01-12",
        "81234567890",
    ]


def test_clean_text_numeric_columns():
    assert clean_text(pd.Series([3.0, float("nan"), 2.5])).tolist() == ["3", None, "2.5"]
    assert clean_text(pd.Series([1, 2], index=[4, 5])).to_dict() == {4: "1", 5: "2"}


# --- sex --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["L", "l", "Laki-laki", "LAKI-LAKI", "Laki laki", "Pria", "Lk", "LK", "Male", "M"]
)
def test_sex_male(raw):
    out = normalize_sex(pd.Series([raw]))
    assert out.loc[0, "sex"] == "L"
    assert out.loc[0, "flag"] is None


@pytest.mark.parametrize(
    "raw", ["P", "p", "Perempuan", "PEREMPUAN", "Wanita", "Pr", "Female", "F", "W"]
)
def test_sex_female(raw):
    # "P" is perempuan, never "pria".
    out = normalize_sex(pd.Series([raw]))
    assert out.loc[0, "sex"] == "P"
    assert out.loc[0, "flag"] is None


@pytest.mark.parametrize("raw", [None, "", "  ", float("nan")])
def test_sex_empty_without_flag(raw):
    out = normalize_sex(pd.Series([raw], dtype=object))
    assert out.loc[0, "sex"] is None and out.loc[0, "flag"] is None


def test_sex_unknown_is_flagged():
    out = normalize_sex(pd.Series(["X", "L/P"], index=[3, 4]))
    assert out["sex"].tolist() == [None, None]
    assert out["flag"].tolist() == [
        "jenis kelamin 'X' tidak dikenal",
        "jenis kelamin 'L/P' tidak dikenal",
    ]
    assert list(out.index) == [3, 4]


# --- angkatan ---------------------------------------------------------------------------


def test_angkatan_examples_from_the_spec():
    values = pd.Series(
        [
            "Angkatan 1",
            "Angkatan I",
            "ANGKATAN KE-2",
            "Gel. 3",
            "Gelombang III",
            "Batch 4",
            "1",
            1.0,
        ],
        dtype=object,
    )
    assert normalize_angkatan(values).tolist() == ["1", "1", "2", "3", "3", "4", "1", "1"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Angkatan XX", "20"),
        ("Gelombang xiv", "14"),
        ("angkatan ke 9", "9"),
        ("01", "1"),
        ("Angkatan 2 Tahun 2024", "2"),
        ("IV", "4"),
        (3, "3"),
        ("Kelas Pagi", "Kelas Pagi"),
        ("  Kelas   Sore ", "Kelas Sore"),
        ("Civil", "Civil"),
        (None, None),
        ("", None),
    ],
)
def test_angkatan_more(raw, expected):
    assert normalize_angkatan(pd.Series([raw], dtype=object)).iloc[0] == expected


# --- email ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        (" Budi.Santoso@Gmail.com ", "budi.santoso@gmail.com"),
        ("ani_99@yahoo.co.id", "ani_99@yahoo.co.id"),
        ("x+tag@bpvp.kemnaker.go.id", "x+tag@bpvp.kemnaker.go.id"),
    ],
)
def test_email_valid(raw, expected):
    out = normalize_email(pd.Series([raw]))
    assert out.loc[0, "email"] == expected
    assert out.loc[0, "flag"] is None


@pytest.mark.parametrize(
    "raw",
    [
        "budi@",
        "budi",
        "budi@gmail",
        "budi santoso@gmail.com",
        "budi@@gmail.com",
        "budi..s@gmail.com",
        "@gmail.com",
        "budi@gmail..com",
    ],
)
def test_email_invalid(raw):
    out = normalize_email(pd.Series([raw]))
    assert out.loc[0, "email"] is None
    assert out.loc[0, "flag"] == f"email '{raw}' tidak valid"


def test_email_empty_without_flag():
    out = normalize_email(pd.Series([None, ""], dtype=object))
    assert out["email"].tolist() == [None, None]
    assert out["flag"].tolist() == [None, None]


# --- graduation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Lulus", "Lulus"),
        ("LULUS", "Lulus"),
        ("Kompeten", "Lulus"),
        ("K", "Lulus"),
        ("Tidak Lulus", "Tidak Lulus"),
        ("TIDAK LULUS", "Tidak Lulus"),
        ("Belum Kompeten", "Tidak Lulus"),
        ("BK", "Tidak Lulus"),
        ("TL", "Tidak Lulus"),
        ("", None),
        (None, None),
        ("Mengundurkan  diri", "Mengundurkan diri"),
    ],
)
def test_graduation(raw, expected):
    assert normalize_graduation(pd.Series([raw], dtype=object)).iloc[0] == expected


def test_clean_text_other_dtypes():
    assert clean_text(pd.Series(pd.to_datetime(["2024-01-12", None]))).tolist() == [
        "2024-01-12",
        None,
    ]
    assert clean_text(pd.Series([1, None], dtype="Int64")).tolist() == ["1", None]
    assert clean_text(pd.Series([" a ", None], dtype="string")).tolist() == ["a", None]
    assert clean_text(pd.Series(["x", "x"], dtype="category")).tolist() == ["x", "x"]
