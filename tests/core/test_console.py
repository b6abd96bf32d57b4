"""Issue 19: messages survive a cp1252 (Windows console, scheduled task's log) or ASCII
stream; nothing the CLI prints can kill a finished run."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kebekerjaan.core.console import make_safe


def stream(encoding: str) -> tuple[io.BytesIO, io.TextIOWrapper]:
    raw = io.BytesIO()
    return raw, io.TextIOWrapper(raw, encoding=encoding, errors="strict")


@pytest.mark.parametrize("encoding, text, want", [
    # cp1252 has the dash and the middle dot; the arrow, ≥ and the CJK letter it has not
    ("cp1252", "Langkah 1 → selesai — 5 alumni · Bekasi ≥ 3 中\n",
     "Langkah 1 -> selesai — 5 alumni · Bekasi >= 3 ?\n"),
    # ASCII loses only accents and signs
    ("ascii", "Laporan dibuat → D:\\kebekerjaan — café “Maju”\n",
     'Laporan dibuat -> D:\\kebekerjaan - cafe "Maju"\n'),
])
def test_a_narrow_stream_gets_the_plain_form_of_what_it_cannot_encode(encoding, text, want):
    raw, out = stream(encoding)
    make_safe(out)
    out.write(text)
    out.flush()
    assert raw.getvalue().decode(encoding) == want


def test_a_utf8_stream_is_left_as_it_is():
    raw, out = stream("utf-8")
    make_safe(out)
    assert out.errors == "strict"
    out.write("→\n")
    out.flush()
    assert raw.getvalue().decode("utf-8") == "→\n"


@given(st.text())
def test_any_text_can_be_written_to_a_cp1252_or_ascii_stream(text):
    for encoding in ("cp1252", "ascii"):
        raw, out = stream(encoding)
        make_safe(out)
        out.write(text)
        out.flush()
        written = raw.getvalue().decode(encoding)
        # each character is written as itself or its plain form, never dropped
        assert len(written) >= len(text)
