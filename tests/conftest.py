"""Fixtures for every test: each gets its own workspace; the repository root is never touched.

Fixtures used by one folder only live in that folder's conftest.py (tests/steps/,
tests/steps/recap/, tests/steps/report/).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kebekerjaan.core.workspace import init_workspace


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """tests/fixtures/: small committed input files, one folder per input kind (each with a
    README saying what every file holds)."""
    return Path(__file__).parent / "fixtures"


@pytest.fixture
def ws(tmp_path):
    return init_workspace(tmp_path / "ws")


@pytest.fixture
def drop(ws, fixtures_dir):
    """Copy fixture files into the workspace's alumni inbox, in the order given."""

    def _drop(*names: str, kind: str = "alumni") -> list[Path]:
        out = []
        for name in names:
            target = ws.inbox(kind) / Path(name).name
            shutil.copyfile(fixtures_dir / "alumni" / name, target)
            out.append(target)
        return out

    return _drop


@pytest.fixture
def working_answer() -> dict:
    """An answer with every field the questionnaire requires of someone working."""
    return {
        "status": "bekerja", "employer": "Kopi Kenangan Kendari", "position": "Barista",
        "employer_type": "swasta", "sector": "akomodasi", "location": "Kota Kendari",
        "start_date": "2025-10-01", "income": "2.5-4", "relevance": "sangat_erat",
        "job_source": ["info_bpvp"], "consent": "ya",
    }


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Let fixtures see whether their test failed (the browser tests then take screenshots)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
