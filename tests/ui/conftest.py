"""Fixtures shared by the staff-page tests (widgets and the app in a browser)."""

from __future__ import annotations

import io
import zipfile

import pytest


@pytest.fixture(scope="session")
def word_file() -> bytes:
    """A Word document (zip with word/document.xml): what staff upload by mistake,
    sometimes renamed to .xlsx."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()
