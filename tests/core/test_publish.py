"""Issue 19: the PDF is an output, not a gate; no list of people to message outlives store
changes that were undone.

Real papermill runs on the sample workspace: WeasyPrint failing as it does on a Windows
laptop without Pango (its import raises OSError "cannot load library 'gobject-2.0-0'"), and
a run killed between writing its send lists and its commit, or just after the commit.
"""

from __future__ import annotations

import importlib.abc
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kebekerjaan import cli
from kebekerjaan.core import lock, publish
from kebekerjaan.core.recovery import RunGuard
from kebekerjaan.core.workspace import init_workspace

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("publish")]
AS_OF = "2026-11-27"
ROOT = Path(__file__).resolve().parents[2]
NO_PANGO = "cannot load library 'gobject-2.0-0': error 0x7e"


def store_counts(root: Path) -> dict[str, int]:
    con = sqlite3.connect(root / "data" / "kebekerjaan.sqlite")
    try:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("alumni", "outreach_log")}
    finally:
        con.close()


def run_dirs(root: Path) -> list[Path]:
    return sorted(p for p in (root / "outputs").iterdir() if p.is_dir() and p.name[:1].isdigit())


def send_lists(run_dir: Path) -> list[Path]:
    """Everything a staff member could send from, anywhere under the run folder."""
    return sorted(p for p in run_dir.rglob("undangan_survei*") if p.is_file())


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    root = tmp_path_factory.mktemp("publish") / "sample"
    assert cli.main(["sample", str(root), "--alumni", "150", "--seed", "5"]) == 0
    # step 1 once, so a run's store changes have a store to be undone in
    assert cli.main(["run", "--workspace", str(root), "--as-of", AS_OF, "--steps", "1",
                     "--no-progress"]) == 0
    shutil.rmtree(root / "outputs")
    (root / "outputs").mkdir()
    return root


@pytest.fixture
def ws_root(sample, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(sample, root)
    return root


class _NoPango(importlib.abc.MetaPathFinder):
    """`import weasyprint` as on Windows without Pango: cffi cannot load GObject."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint":
            raise OSError(NO_PANGO)
        return None


def test_a_pdf_that_cannot_be_made_keeps_the_data_the_html_and_the_lists(ws_root, monkeypatch, capsys):
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoPango(), *sys.meta_path])
    code = cli.main(["run", "--workspace", str(ws_root), "--as-of", AS_OF, "--steps", "1,4,8,9",
                     "--no-progress"])
    out = capsys.readouterr().out
    assert code == cli.EXIT_SAVED_WITH_PROBLEMS
    (run_dir,) = run_dirs(ws_root)
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    # the data steps committed: the store holds the alumni and the invitations logged
    assert manifest["status"] == "berhasil" and not manifest["store_restored"]
    counts = store_counts(ws_root)
    assert counts["alumni"] > 0 and counts["outreach_log"] > 0
    # the send lists are where staff look, none left pending
    assert send_lists(run_dir) and not (run_dir / publish.PENDING).exists()
    assert all(publish.PENDING not in p.parts for p in send_lists(run_dir))
    # the HTML report is there, the PDF is not, and the run says why and how to redo it
    assert list(run_dir.glob("*.html")) and not list(run_dir.glob("*.pdf"))
    (problem,) = manifest["output_problems"]
    assert "Pango" in problem and NO_PANGO in problem
    assert "data proses ini sudah tersimpan" in out and "Pango" in out
    assert manifest["rerender"] in out
    # once WeasyPrint works again, the command named renders the PDF from the finished run
    monkeypatch.undo()
    ws = init_workspace(ws_root)
    before = store_counts(ws_root)
    assert cli.main(["laporan", "--workspace", str(ws.root), "--proses", run_dir.name]) == 0
    assert list(run_dir.glob("*.pdf"))
    again = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert "output_problems" not in again and any(o.endswith(".pdf") for o in again["outputs"])
    assert store_counts(ws_root) == before


def fault_env(at: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "KEBEKERJAAN_FAULT_AT": at,
           "KEBEKERJAAN_FAULT": "kill"}
    env.pop(lock.RUN_ENV, None)
    return env


def killed_run(root: Path, at: str) -> Path:
    proc = subprocess.run(
        [sys.executable, "-m", "kebekerjaan", "run", "--workspace", str(root), "--as-of", AS_OF,
         "--steps", "1,4", "--no-progress"],
        capture_output=True, text=True, env=fault_env(at), timeout=600)
    assert proc.returncode < 0, proc.stderr  # killed by SIGKILL at the fault point
    (run_dir,) = run_dirs(root)
    return run_dir


def test_a_run_killed_between_its_lists_and_its_commit_leaves_no_list(ws_root):
    before = store_counts(ws_root)
    run_dir = killed_run(ws_root, "lists-marked")
    # the lists exist only in the pending folder, which staff are not sent to
    assert send_lists(run_dir) and all(publish.PENDING in p.parts for p in send_lists(run_dir))
    said = []
    with RunGuard(init_workspace(ws_root), say=said.append):
        pass
    assert store_counts(ws_root) == before  # the store is put back...
    assert send_lists(run_dir) == []  # ...and the lists it does not remember are gone
    note = (run_dir / publish.FAILED_NOTE).read_text(encoding="utf-8")
    assert "undangan_survei.xlsx" in note and "tidak terkirim" in note
    assert any("dihapus" in line and run_dir.name in line for line in said)


def test_a_run_killed_just_after_its_commit_gets_its_lists_at_the_next_start(ws_root):
    before = store_counts(ws_root)
    run_dir = killed_run(ws_root, "committed")
    said = []
    with RunGuard(init_workspace(ws_root), say=said.append):
        pass
    after = store_counts(ws_root)
    assert after["outreach_log"] > before["outreach_log"]  # the store kept the invitations...
    lists = send_lists(run_dir)
    assert lists and all(publish.PENDING not in p.parts for p in lists)  # ...and so their lists
    assert not (run_dir / publish.PENDING).exists()
    assert any("undangan_survei.xlsx" in line for line in said)
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "berhasil" and not manifest["store_restored"]
