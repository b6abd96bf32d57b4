"""The caturwulan rule has one home (rules/periods.py): the vectorized form the answer
records use agrees with the per-date form and with Period for every day."""

from __future__ import annotations

from datetime import date

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from kebekerjaan.rules.periods import Period, caturwulan, caturwulan_of


@given(st.lists(st.dates(min_value=date(1950, 1, 1), max_value=date(2999, 12, 31)), max_size=30),
       st.booleans())
def test_vectorized_caturwulan_agrees_with_the_rule(days, with_time):
    text = pd.Series([d.isoformat() + ("T08:30:00" if with_time else "") for d in days],
                     dtype=object)
    got = caturwulan_of(text).tolist()
    assert got == [caturwulan(d) for d in days]
    assert got == [Period.containing(d).label for d in days]


def test_a_missing_or_unreadable_date_has_no_caturwulan():
    got = caturwulan_of(pd.Series([None, "", "tanggal?", "2026-09-01"], dtype=object))
    assert got.isna().tolist() == [True, True, True, False]
    assert got.iloc[-1] == "2026-III"
