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
        ("nur’aini", "Nur’aini"),  # a typographic apostrophe is kept as typed
        ("MA’RUF", "Ma’ruf"),
        ("nurʼaini", "Nurʼaini"),
        ("ma`ruf", "Ma'ruf"),  # a keyboard stand-in becomes the plain apostrophe
        ("MA´RUF", "Ma'ruf"),
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


@settings(max_examples=200, deadline=None)
@given(_name_text)
def test_apostrophes_kept_as_typed_and_compared_alike(raw):
    """Which apostrophe a name was typed with survives; matching sees one name."""
    from kebekerjaan.steps.answers.matching import name_tokens

    out = name(raw)
    if out is None:
        return
    typographic = [c for c in raw if c in "’ʼ"]
    assert [c for c in out if c in "’ʼ"] == typographic
    assert name_tokens(out) == name_tokens(out.replace("’", "'").replace("ʼ", "'"))
