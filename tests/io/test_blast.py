"""wa.me links: the message is percent-encoded exactly as urllib's quote(safe='') does."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from kebekerjaan.io.blast import url_quote, wa_link


@given(st.text())
def test_url_quote_is_quote_with_nothing_safe(text):
    assert url_quote(text) == quote(text, safe="")


def test_wa_link_carries_digits_and_the_whole_message():
    link = wa_link("+6281234567890", "Halo Budi 🙏\nisi: https://forms.gle/x?a=1&b=2")
    assert link.startswith("https://wa.me/6281234567890?text=Halo%20Budi%20%F0%9F%99%8F%0Aisi%3A%20")
    assert "%26b%3D2" in link and " " not in link
