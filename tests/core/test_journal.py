"""The journal's operation registry (issue 20): replaying a staff save must not depend on
which modules a process happened to import. The CLI never imports the answer form, and
replaying there tried to import a module named after the operation, failed and dropped the
save."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kebekerjaan.core import journal
from kebekerjaan.core.context import StepContext

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "kebekerjaan"


def _form_saves_in_source() -> dict[str, str]:
    """op -> "module:function" for every @journal.form_save(...) in the package."""
    found = {}
    for path in SRC.rglob("*.py"):
        module = ".".join(("kebekerjaan", *path.relative_to(SRC).with_suffix("").parts))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for dec in node.decorator_list:
                if (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute)
                        and dec.func.attr == "form_save"):
                    found[dec.args[0].value] = f"{module}:{node.name}"
    return found


def test_every_form_save_is_in_the_one_registry_and_nothing_else_is():
    assert _form_saves_in_source() == {op: spec.target for op, spec in journal.FORM_OPS.items()}


def test_every_operation_loads_in_a_process_that_imported_no_form():
    code = ("import sys; from kebekerjaan.core import journal; "
            "ops = [journal.load_save(op).__form_op__ for op in journal.FORM_OPS]; "
            "print(' '.join(ops)); "
            "print(any(m.startswith('kebekerjaan.ui') for m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True).stdout.split("\n")
    assert out[0].split() == list(journal.FORM_OPS) and out[1] == "False"


def test_a_save_outside_the_registry_or_named_wrongly_is_refused_at_import():
    with pytest.raises(RuntimeError, match="not in journal.FORM_OPS"):
        journal.form_save("hapus_semua")
    with pytest.raises(RuntimeError, match="names kebekerjaan.steps.answers.manual:record_answer"):
        journal.form_save("jawaban_manual")(lambda ws: None)


def test_a_journalled_answer_is_replayed_by_a_process_that_only_restores(ws):
    """The CLI case of the issue: the save is journalled by the app, the restore runs in a
    process that imported nothing but the recovery."""
    from kebekerjaan.core import recovery, store
    from kebekerjaan.steps.alumni import collect_alumni
    from kebekerjaan.steps.answers.manual import record_answer

    fixtures = ROOT / "tests" / "fixtures" / "alumni"
    (ws.inbox("alumni") / "a.csv").write_bytes((fixtures / "update_v1.csv").read_bytes())
    collect_alumni(StepContext(ws, date(2026, 11, 27), ws.outputs / "r0"))
    folder = journal.make_private(journal.private_dir(ws.data))
    recovery.snapshot(ws.store_path, folder / "r1.sqlite")
    (folder / "r1.json").write_text(json.dumps({"run_id": "r1", "copy": "r1.sqlite"}))
    key = record_answer(ws, nik="7471045101000111", answered_on=date(2026, 11, 27),
                        entered_by="Rina", today=date(2026, 11, 27),
                        answer={"status": "bekerja", "employer": "Kopi Kenangan",
                                "position": "Barista", "employer_type": "swasta",
                                "sector": "akomodasi", "location": "Kota Kendari",
                                "start_date": "2025-10-01", "income": "2.5-4",
                                "relevance": "sangat_erat", "job_source": ["info_bpvp"],
                                "consent": "ya"})
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = ("import sys; from pathlib import Path; from kebekerjaan.core.workspace import "
            "Workspace; from kebekerjaan.core.recovery import recover_unfinished; "
            "(rec,) = recover_unfinished(Workspace(Path(sys.argv[1]))); "
            "print(rec.applied, len(rec.kept))")
    out = subprocess.run([sys.executable, "-c", code, str(ws.root)], capture_output=True,
                         text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1", "0"]
    con = store.connect(ws.store_path)
    assert con.execute("SELECT COUNT(*) FROM answers WHERE answer_key = ?", (key,)).fetchone()[0] == 1
    con.close()
