"""Shared fixtures: every test gets its own workspace; the repository root is never touched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kebekerjaan.core.workspace import init_workspace

FIXTURES = Path(__file__).parent / "fixtures"
ALUMNI_FIXTURES = FIXTURES / "alumni"


@pytest.fixture
def ws(tmp_path):
    return init_workspace(tmp_path / "ws")


@pytest.fixture
def drop(ws):
    """Copy fixture files into the workspace's alumni inbox, in the order given."""

    def _drop(*names: str, kind: str = "alumni") -> list[Path]:
        out = []
        for name in names:
            target = ws.inbox(kind) / Path(name).name
            shutil.copyfile(ALUMNI_FIXTURES / name, target)
            out.append(target)
        return out

    return _drop


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Let fixtures see whether their test failed (the browser tests then take screenshots)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
