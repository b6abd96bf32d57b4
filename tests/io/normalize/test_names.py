"""Names: title case that respects Indonesian naming conventions."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kebekerjaan.io.normalize import normalize_name


def name(raw):
    return normalize_name(pd.Series([raw], dtype=object)).iloc[0]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("MUHAMMAD RIZKY BIN ABDULLAH", "Muhammad Rizky bin Abdullah"),
        ("siti aminah binti hasan", "Siti Aminah binti Hasan"),
        ("NUR'AINI", "Nur'aini"),
        ("MA'RUF", "Ma'ruf"),
        ("nur’aini", "Nur'aini"),  # curly apostrophe becomes the plain one
        ("Abdul-rahman", "Abdul-Rahman"),
        ("LA ODE MUHAMMAD SYARIF", "La Ode Muhammad Syarif"),
        ("WA ODE NURHAYATI", "Wa Ode Nurhayati"),
        ("M. RIDWAN", "M. Ridwan"),
        ("ST. AMINAH", "St. Aminah"),
        ("  andi   BASO\u00a0ahmad ", "Andi Baso Ahmad"),
        ("BINTANG PRATAMA", "Bintang Pratama"),  # "Bin..." inside a word is a name
        ("Bin Saleh", "Bin Saleh"),  # first word stays capitalised
        ("Muhammad Rizky bin Abdullah", "Muhammad Rizky bin Abdullah"),
    ],
)
def test_examples(raw, expected):
    assert name(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "   ", float("nan"), "\u200b"])
def test_empty_is_none(raw):
    assert name(raw) is None


def test_index_is_kept():
    out = normalize_name(pd.Series(["ANI", None], index=[7, 9]))
    assert out.tolist() == ["Ani", None]
    assert list(out.index) == [7, 9]


_name_text = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéÉ '’.-")),
    max_size=40,
) | st.lists(
    st.sampled_from(
        [
            "MUHAMMAD",
            "bin",
            "BINTI",
            "la",
            "ODE",
            "nur'aini",
            "M.",
            "abdul-rahman",
            "wa",
            "Ma'ruf",
            "st.",
            "O'NEIL",
        ]
    ),
    max_size=6,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(_name_text)
def test_idempotent(raw):
    once = name(raw)
    assert name(once) == once
