"""The papermill engine the runner uses (kebekerjaan.core.engine): papermill's nbclient
engine on the kernel started ahead, or on a fresh one when that kernel is gone."""

from __future__ import annotations

import pytest
from papermill.engines import NBClientEngine, papermill_engines

from kebekerjaan.core import engine


@pytest.fixture
def ran(monkeypatch):
    """papermill's own engine replaced by a recorder; a kernel given to it died at start."""
    calls = []

    def execute(cls, nb_man, kernel_name, **kwargs):
        calls.append(kwargs.get("km"))
        if kwargs.get("km") == "dead":
            raise RuntimeError("Kernel died before replying to kernel_info")
        if kwargs.get("km") == "broken":
            raise RuntimeError("something else")
        return "done"

    monkeypatch.setattr(NBClientEngine, "execute_managed_notebook", classmethod(execute))
    monkeypatch.setattr(engine, "usable", lambda km: km != "stopped")
    return calls


def test_registered_with_papermill_under_its_name():
    assert papermill_engines.get_engine(engine.register()) is engine.StartedKernelEngine


@pytest.mark.parametrize("km,tried", [
    ("alive", ["alive"]),         # the kernel started ahead runs the step
    (None, [None]),               # none started: papermill starts one
    ("stopped", [None]),          # gone before its step: a fresh one, nothing tried on it
    ("dead", ["dead", None]),     # died before replying (a port taken): again, fresh
])
def test_runs_on_the_started_kernel_or_a_fresh_one(ran, km, tried):
    assert engine.StartedKernelEngine.execute_managed_notebook(None, "python3", km=km) == "done"
    assert ran == tried


def test_any_other_failure_is_the_steps_own(ran):
    with pytest.raises(RuntimeError, match="something else"):
        engine.StartedKernelEngine.execute_managed_notebook(None, "python3", km="broken")
    assert ran == ["broken"]
