"""Who can get a WhatsApp message: the fast path for stored numbers agrees with phonenumbers."""

from __future__ import annotations

import phonenumbers
from hypothesis import given
from hypothesis import strategies as st

from kebekerjaan.steps.outreach.rules import _MOBILE_TYPES, whatsapp_problem


def reference(phone: str):
    """The rule in phonenumbers' own words: parse, valid, mobile."""
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return "tidak sah"
    if not phonenumbers.is_valid_number(number):
        return "tidak sah"
    return None if phonenumbers.number_type(number) in _MOBILE_TYPES else "bukan seluler"


def kind(problem):
    return None if problem is None else ("bukan seluler" if "seluler" in problem else "tidak sah")


@given(st.text(alphabet="0123456789", min_size=5, max_size=13))
def test_indonesian_numbers_as_stored(digits):
    phone = "+62" + str(int("1" + digits))[1:] if not digits.startswith("0") else "+62" + digits
    assert kind(whatsapp_problem(phone)) == reference(phone)


def test_examples():
    assert whatsapp_problem("+6281234567890") is None
    assert "seluler" in whatsapp_problem("+62401312345")
    assert whatsapp_problem("+62812") == "nomor HP tidak sah"
    assert whatsapp_problem(None).startswith("tidak ada nomor")
