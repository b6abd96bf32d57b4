from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from kebekerjaan.core.config import load_settings
from kebekerjaan.io.normalize.programs import tidy_program

ACRONYMS = load_settings(None).intake.program_acronyms


def test_all_caps_programs_become_readable_keeping_acronyms():
    got = tidy_program(pd.Series(["JURU LAS SMAW 3G", "TEKNISI AC RESIDENTIAL",
                                  "INSTALASI PENERANGAN LISTRIK", None]), ACRONYMS)
    assert got.tolist() == ["Juru Las SMAW 3G", "Teknisi AC Residential",
                            "Instalasi Penerangan Listrik", None]


def test_mixed_case_spelling_is_the_exports_own_and_kept():
    names = ["Junior Web Developer", "Desainer Grafis Madya", "Barista"]
    assert tidy_program(pd.Series(names), ACRONYMS).tolist() == names


@given(st.lists(st.text(alphabet="ABCDEFGHIJ KLMNOP'3 ", min_size=1, max_size=30), max_size=5))
def test_tidying_twice_changes_nothing_and_keeps_the_letters(names):
    once = tidy_program(pd.Series(names, dtype=object), ACRONYMS)
    assert tidy_program(once, ACRONYMS).tolist() == once.tolist()
    assert [n.casefold() for n in once] == [n.casefold() for n in names]
