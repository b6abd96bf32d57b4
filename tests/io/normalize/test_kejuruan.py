"""Kejuruan: canonical names through aliases, with a hint for near misses."""

from __future__ import annotations

import pandas as pd
import pytest

from kebekerjaan.io.normalize import KejuruanMapper

ENTRIES = [
    ("Teknologi Informasi dan Komunikasi", ["TIK", "IT", "Teknologi Informasi"]),
    ("Otomotif", ["Teknik Otomotif", "Sepeda Motor"]),
    ("Las", ["Pengelasan", "Welding"]),
]


@pytest.fixture
def mapper():
    return KejuruanMapper(ENTRIES)


def test_names(mapper):
    assert mapper.names == ["Teknologi Informasi dan Komunikasi", "Otomotif", "Las"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("TIK", "Teknologi Informasi dan Komunikasi"),
        ("t.i.k.", "Teknologi Informasi dan Komunikasi"),
        ("teknologi  informasi", "Teknologi Informasi dan Komunikasi"),
        ("Teknologi Informasi dan Komunikasi", "Teknologi Informasi dan Komunikasi"),
        ("OTOMOTIF", "Otomotif"),
        ("sepeda-motor", "Otomotif"),
        (" Welding ", "Las"),
    ],
)
def test_matches_names_and_aliases_ignoring_case_space_punctuation(mapper, raw, expected):
    out = mapper.map(pd.Series([raw]))
    assert out.loc[0, "kejuruan"] == expected
    assert out.loc[0, "error"] is None


@pytest.mark.parametrize("raw", [None, "", "   ", float("nan")])
def test_empty(mapper, raw):
    out = mapper.map(pd.Series([raw], dtype=object))
    assert out.loc[0, "kejuruan"] is None
    assert out.loc[0, "error"] == "kejuruan kosong"


def test_unknown_without_close_match(mapper):
    out = mapper.map(pd.Series(["Tata Boga"]))
    assert out.loc[0, "kejuruan"] is None
    assert out.loc[0, "error"] == (
        "kejuruan 'Tata Boga' tidak dikenal; tambahkan sebagai alias di kebekerjaan.toml"
    )


@pytest.mark.parametrize(
    "raw, suggestion",
    [("Otomotf", "Otomotif"), ("Teknik Otomotive", "Otomotif"), ("Pengelasn", "Las")],
)
def test_unknown_with_close_match_suggests(mapper, raw, suggestion):
    out = mapper.map(pd.Series([raw]))
    assert out.loc[0, "error"] == (
        f"kejuruan '{raw}' tidak dikenal; tambahkan sebagai alias di kebekerjaan.toml "
        f"(mungkin maksudnya '{suggestion}'?)"
    )


def test_short_alias_does_not_attract_unrelated_values(mapper):
    # "IT" is inside "Kelistrikan", but that is no reason to suggest TIK.
    assert "mungkin" not in mapper.map(pd.Series(["Kelistrikan"])).loc[0, "error"]


def test_index_is_kept(mapper):
    out = mapper.map(pd.Series(["TIK", None, "Las"], index=["x", "y", "z"]))
    assert list(out.index) == ["x", "y", "z"]
    assert list(out.columns) == ["kejuruan", "error"]
    assert out["kejuruan"].tolist() == ["Teknologi Informasi dan Komunikasi", None, "Las"]


def test_duplicate_alias_names_both_canonical_names():
    with pytest.raises(ValueError) as exc:
        KejuruanMapper([("Otomotif", ["Mekanik"]), ("Teknik Mesin", ["mekanik "])])
    message = str(exc.value)
    assert "'Otomotif'" in message and "'Teknik Mesin'" in message


def test_alias_equal_to_another_canonical_name_is_a_duplicate():
    with pytest.raises(ValueError, match="Las"):
        KejuruanMapper([("Las", []), ("Fabrikasi", ["LAS"])])


def test_repeated_alias_within_one_name_is_fine():
    mapper = KejuruanMapper([("Otomotif", ["Otomotif", "OTOMOTIF", "Mobil", "mobil"])])
    assert mapper.map(pd.Series(["Mobil"])).loc[0, "kejuruan"] == "Otomotif"
