"""The one object a step entry function takes (kebekerjaan.core.context)."""

from __future__ import annotations

from datetime import date

from kebekerjaan.core.context import StepContext, open_step
from kebekerjaan.core.workspace import init_workspace


def test_a_context_carries_the_workspace_settings_and_names_its_run(tmp_path):
    ws = init_workspace(tmp_path / "ws")
    ws.config_path.write_text('[institution]\nshort_name = "BPVP Uji"\n', encoding="utf-8")
    ctx = StepContext(ws, date(2026, 11, 27), tmp_path / "20261127-080000")
    assert ctx.settings.institution.short_name == "BPVP Uji"
    assert ctx.run_id == "20261127-080000" and not ctx.interactive and ctx.periode == ""
    assert StepContext(ws, date(2026, 11, 27), tmp_path / "x", run_id="r1").run_id == "r1"


def test_open_step_turns_notebook_parameters_into_a_context(tmp_path):
    ws = init_workspace(tmp_path / "ws")
    ctx = open_step(str(ws.root), "2026-11-27", str(tmp_path / "run"), False, " 2026-II ")
    assert (ctx.today, ctx.periode, ctx.run_dir.is_dir()) == (date(2026, 11, 27), "2026-II", True)
    assert ctx.settings == ws.settings()
    assert open_step(str(ws.root), "2026-11-27", str(tmp_path / "run"), False).periode == ""
