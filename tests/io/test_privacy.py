"""Masking of phone numbers and NIKs in anything a report prints (issue 10)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kebekerjaan.io.privacy import for_display, mask_nik, mask_text

SEPARATORS = st.sampled_from(["", " ", "-", "."])
# Indonesian mobile numbers: 08 + 1-3 more prefix digits + 6-9 subscriber digits.
MOBILE_DIGITS = st.builds(lambda p, rest: "8" + p + rest,
                          st.text("0123456789", min_size=2, max_size=2),
                          st.text("0123456789", min_size=6, max_size=8))
WORDS = st.text(st.sampled_from("abcdefghij klmnop,:()"), max_size=20)


def _written(digits: str, lead: str, sep: str, brackets: bool) -> str:
    """A mobile number the way people type it: 0812 / +62 812 / (0812), grouped by `sep`."""
    prefix, rest = digits[:3], digits[3:]
    groups = [rest[i:i + 4] for i in range(0, len(rest), 4)]
    head = {"0": "0", "62": "62", "+62": "+62" + sep.strip() + (" " if sep == " " else "")}[lead] + prefix
    if brackets:
        head = f"({head})" if lead == "0" else f"{head[:-3]}({prefix})"
    return head + sep + sep.join(groups) if not brackets else head + " " + sep.join(groups)


@given(MOBILE_DIGITS, st.sampled_from(["0", "62", "+62"]), SEPARATORS, st.booleans(), WORDS, WORDS)
def test_every_common_way_of_writing_a_mobile_number_is_hidden(digits, lead, sep, brackets, before, after):
    number = _written(digits, lead, sep, brackets)
    text = f"{before} {number} {after}"
    masked = mask_text(text)
    assert "[nomor HP]" in masked
    # no run of the subscriber's digits survives, whatever the grouping
    assert digits[3:] not in re.sub(r"\D", "", masked)


@pytest.mark.parametrize("written", [
    "(0812) 0777 1234", "0812.0777.1234", "+62 812-0777-1234", "+62 (812) 0777 1234",
    "0812-0777-1234", "081207771234", "62 812 0777 1234", "+6281207771234", "(+62) 812 0777 1234",
    "(0401) 312 3456", "0401-3123456", "021 5551 2345", "+62 401 3123456",
])
def test_known_spellings_in_an_employer_answer_are_hidden(written):
    assert mask_text(f"CV Maju Jaya, hubungi {written} (pak Amir)") == \
        "CV Maju Jaya, hubungi [nomor HP] (pak Amir)"


@pytest.mark.parametrize("text", [
    "mulai 05-11-2026", "Rp 3.500.000", "gaji 2.500.000 - 4.000.000", "2026-11-27", "angkatan 12",
    "Jl. Malaka No. 11", "jam 08.00-16.00",
])
def test_dates_and_amounts_are_left_alone(text):
    assert mask_text(text) == text


@given(st.text("0123456789", min_size=16, max_size=16), SEPARATORS, WORDS, WORDS)
def test_every_sixteen_digit_run_that_could_be_a_nik_is_masked(nik, sep, before, after):
    written = sep.join(nik[i:i + 4] for i in range(0, 16, 4))
    masked = mask_text(f"{before} {written} {after}")
    compact = re.sub(r"[ .\-]", "", masked)
    # the middle eight digits are gone: masked like a NIK, or hidden as a phone number
    assert nik[:4] + "*" * 8 + nik[12:] in compact or "[nomorHP]" in compact


def test_nik_cells_and_phone_columns_in_a_frame():
    frame = pd.DataFrame({"NIK": [7471010101900001.0], "No HP": ["0812"],
                          "Tempat kerja": ["Toko (0812) 0777 1234, NIK 7471 0101 0190 0001"]})
    shown = for_display(frame)
    assert list(shown.columns) == ["NIK", "Tempat kerja"]
    assert shown.iloc[0].tolist() == ["7471********0001", "Toko [nomor HP], NIK 7471 **** **** 0001"]
    assert mask_nik("7471010101900001") == "7471********0001"


def test_report_tables_mask_a_phone_typed_in_the_employer_answer():
    from kebekerjaan.steps.report.tables import employed_table, top_employers_table

    top = str(top_employers_table(pd.DataFrame({"nama": ["Bengkel Amir (0812) 0777 1234"],
                                                "jumlah": [1]})))
    listed = str(employed_table(pd.DataFrame({
        "nik": ["7471010101900001"], "nama": ["Amir"], "kejuruan": ["Otomotif"], "program": ["Servis"],
        "angkatan": ["1"], "status": ["bekerja"], "tempat_kerja": ["Bengkel 0812.0777.1234"],
        "jabatan": ["Mekanik +62 812-0777-1234"]}), show_names=True))
    for html in (top, listed):
        assert "0777" not in html and "[nomor HP]" in html
    assert "7471********0001" in listed
