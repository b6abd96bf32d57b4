"""Respondent codes: a short personal code per enrolment, carried by the survey link.

A code such as "K7QX-M4PZ" says which training an answer is about without putting any
personal number in a URL. Seven characters are random (`secrets`), drawn from an
alphabet that leaves out 0/O and 1/I, so a code can be read out by phone; the eighth is
a check character (Damm's algorithm over GF(32)): every single mistyped character and
every swap of two neighbouring characters gives an invalid code, so a typo is caught,
never taken for someone else. Codes are stored once per enrolment in
`respondent_codes`; its UNIQUE index makes two enrolments with one code impossible.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from collections.abc import Iterable

from kebekerjaan.core import store

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols: no 0, O, 1, I
RANDOM_LENGTH = 7
LENGTH = RANDOM_LENGTH + 1
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_SEPARATORS = re.compile(r"[\s\-._/]+")
# GF(32) with the primitive polynomial x^5 + x^2 + 1.
_POLY = 0b100101


def _times_x(v: int) -> int:
    v <<= 1
    return v ^ _POLY if v & 0b100000 else v


# Damm's table: T[i][d] = x*i + d in GF(32) is a totally anti-symmetric quasigroup
# ((c*a)*b == (c*b)*a only when a == b), which is what catches neighbour swaps.
_TABLE = [[_times_x(i) ^ d for d in range(32)] for i in range(32)]


def _interim(values: Iterable[int]) -> int:
    state = 0
    for v in values:
        state = _TABLE[state][v]
    return state


def check_character(body: str) -> str:
    """The check character that makes `body` + it a valid code."""
    state = _interim(_VALUE[ch] for ch in body)
    # Row `state` is a permutation: exactly one symbol leads back to 0.
    return ALPHABET[_TABLE[state].index(0)]


def normalize(text) -> str | None:
    """A code as typed ("k7qx m4pz", "K7QX-M4PZ") in stored form ("K7QXM4PZ"), or None
    when nothing was given. The result may still be invalid: see `problem`."""
    if text is None or (isinstance(text, float) and text != text):
        return None
    out = _SEPARATORS.sub("", str(text)).upper()
    return out or None


def problem(code: str | None) -> str | None:
    """Why a normalized code cannot be anyone's (in Indonesian), or None if it is well formed."""
    if not code:
        return "kode responden kosong"
    if len(code) != LENGTH:
        return f"kode responden '{code}' harus {LENGTH} karakter"
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        return f"kode responden '{code}' memuat karakter yang tidak dipakai ({', '.join(bad)})"
    if _interim(_VALUE[ch] for ch in code) != 0:
        return f"kode responden '{display(code)}' salah ketik (karakter pemeriksa tidak cocok)"
    return None


def is_valid(code: str | None) -> bool:
    return problem(code) is None


def display(code: str) -> str:
    """'K7QXM4PZ' -> 'K7QX-M4PZ' (two groups of four, easier to read out)."""
    return f"{code[:4]}-{code[4:]}" if len(code) == LENGTH else code


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + check_character(body)


def ensure_codes(con: sqlite3.Connection, enrolment_ids: Iterable[int]) -> dict[int, str]:
    """The code of each enrolment, creating missing ones; returns {enrolment_id: code}.

    Runs in its own transaction. A new code is redrawn until it differs from every code
    in the store, and the UNIQUE index would refuse a duplicate anyway.
    """
    wanted = sorted({int(i) for i in enrolment_ids})
    if not wanted:
        return {}
    with store.transaction(con):
        have = dict(con.execute("SELECT enrolment_id, code FROM respondent_codes"))
        taken = set(have.values())
        fresh = []
        for eid in wanted:
            if eid in have:
                continue
            code = new_code()
            while code in taken:
                code = new_code()
            taken.add(code)
            have[eid] = code
            fresh.append((eid, code, store.now_iso()))
        con.executemany(
            "INSERT INTO respondent_codes (enrolment_id, code, created_at) VALUES (?, ?, ?)", fresh)
    return {eid: have[eid] for eid in wanted}


def load_codes(con: sqlite3.Connection) -> dict[str, int]:
    """{code: enrolment_id} of every code handed out so far."""
    return {code: eid for eid, code in con.execute("SELECT enrolment_id, code FROM respondent_codes")}


# A code quoted in a chat message. After the word "kode" a code-like token is taken and
# checked (a typo then goes to review) when it has a digit or a hyphen or is valid; without
# the word only a hyphenated, valid code counts, so ordinary words ("BARU-BARU",
# "kode formulir") are not read as codes.
_AFTER_WORD = re.compile(
    r"\bkode(?:\s*(?:responden|saya|nya|ku|anda))*\s*[:=]?\s*"
    r"([A-Za-z0-9]{4}[\s\-]?[A-Za-z0-9]{3,5})\b",
    re.IGNORECASE)
_HYPHENATED = re.compile(r"\b([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})\b")


def find_in_text(text) -> str | None:
    """The respondent code an alumnus quoted in a message (normalized), or None."""
    if not isinstance(text, str):
        return None
    for m in _AFTER_WORD.finditer(text):
        token = m.group(1)
        code = normalize(token)
        if any(ch.isdigit() for ch in token) or "-" in token or is_valid(code):
            return code
    for m in _HYPHENATED.finditer(text):
        code = normalize(m.group(1))
        if is_valid(code):
            return code
    return None
