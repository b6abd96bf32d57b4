"""Respondent codes: readable, checked, unique within a workspace."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kebekerjaan.core import store
from kebekerjaan.rules import codes

bodies = st.text(alphabet=codes.ALPHABET, min_size=codes.RANDOM_LENGTH,
                 max_size=codes.RANDOM_LENGTH)


def coded(body: str) -> str:
    return body + codes.check_character(body)


def test_a_new_code_is_short_readable_and_valid():
    for _ in range(200):
        code = codes.new_code()
        assert len(code) == 8 and codes.is_valid(code)
        assert not set(code) & set("0O1I")


@given(bodies)
def test_round_trip_through_display_and_typing(body):
    code = coded(body)
    shown = codes.display(code)
    assert shown[4] == "-"
    for typed in (shown, shown.lower(), f"  {shown[:4]} {shown[5:]} ", shown.replace("-", ".")):
        assert codes.normalize(typed) == code
        assert codes.is_valid(codes.normalize(typed))


@given(bodies, st.integers(0, codes.LENGTH - 1), st.sampled_from(codes.ALPHABET))
def test_every_single_character_typo_is_caught(body, position, replacement):
    code = coded(body)
    typo = code[:position] + replacement + code[position + 1:]
    if typo != code:
        assert not codes.is_valid(typo)
        assert "salah ketik" in codes.problem(typo)


@given(bodies, st.integers(0, codes.LENGTH - 2))
def test_every_swap_of_two_neighbours_is_caught(body, position):
    code = coded(body)
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2:]
    if swapped != code:
        assert not codes.is_valid(swapped)


def test_the_check_table_catches_all_neighbour_swaps_and_typos_exhaustively():
    # Every pair of symbols at every state: the property the random tests sample.
    n = len(codes.ALPHABET)
    table = codes._TABLE
    for state in range(n):
        assert sorted(table[state]) == list(range(n))  # a typo changes the state
        for a in range(n):
            for b in range(n):
                if a != b:
                    assert table[table[state][a]][b] != table[table[state][b]][a]


@pytest.mark.parametrize("typed,reason", [
    ("K7QX-M4P", "harus 8 karakter"),
    ("K7QX-M4P0", "karakter yang tidak dipakai (0)"),
    ("", "kosong"),
])
def test_malformed_codes_say_why(typed, reason):
    assert reason in codes.problem(codes.normalize(typed) or "")


def test_codes_are_kept_and_never_shared(tmp_path, monkeypatch):
    con = store.connect(tmp_path / "s.sqlite")
    con.execute("PRAGMA foreign_keys = OFF")  # codes only, no alumni needed here
    first = codes.ensure_codes(con, range(1, 301))
    assert len(set(first.values())) == 300
    assert codes.ensure_codes(con, [5, 7]) == {5: first[5], 7: first[7]}  # stored, not redrawn
    # A random source that keeps repeating a taken code: the next enrolment still gets its own.
    taken = first[1]
    draws = iter([taken, taken, coded("ZZZZZZZ")])
    monkeypatch.setattr(codes, "new_code", lambda: next(draws))
    assert codes.ensure_codes(con, [301]) == {301: coded("ZZZZZZZ")}
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("INSERT INTO respondent_codes VALUES (999, ?, 'x')", (taken,))
    con.close()


VALID = coded("K7QXM4P")


@pytest.mark.parametrize("message,found", [
    (f"Saya sudah kerja di Hotel Claro. Kode saya: {codes.display(VALID).lower()}", VALID),
    (f"Kode responden {VALID[:4]} {VALID[4:]}, sekarang wirausaha", VALID),
    (f"alhamdulillah diterima kerja {codes.display(VALID)}", VALID),  # hyphenated and valid
    ("BARU-BARU ini saya diterima kerja", None),
    ("kode formulir tidak bisa dibuka", None),
    ("Saya bekerja di PT Antam sejak Maret", None),
])
def test_codes_quoted_in_messages(message, found):
    assert codes.find_in_text(message) == found


def test_a_mistyped_code_after_the_word_kode_is_still_read_and_then_refused():
    valid = coded("K7QXM4P")
    typo = valid[:-1] + ("A" if valid[-1] != "A" else "B")
    found = codes.find_in_text(f"kode {codes.display(typo)} status bekerja")
    assert found == typo and not codes.is_valid(found)
