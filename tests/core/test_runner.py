"""End-to-end: the step notebooks executed by papermill through `kebekerjaan run`."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import nbformat
import pytest

from kebekerjaan import cli
from kebekerjaan.core import runner
from kebekerjaan.core.context import StepContext
from kebekerjaan.core.runner import StepFailed, available_steps, select_steps
from kebekerjaan.core.workspace import init_workspace
from kebekerjaan.rules.labels import count_label

pytestmark = pytest.mark.e2e
AS_OF = "2026-11-27"


def _count(ws, sql):
    con = sqlite3.connect(ws.store_path)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """One sample workspace run twice through the CLI (papermill kernels are slow to start)."""
    root = tmp_path_factory.mktemp("e2e") / "ws"
    assert cli.main(["sample", str(root), "--alumni", "150", "--seed", "11"]) == 0
    ws = init_workspace(root)
    assert cli.main(["run", "--workspace", str(root), "--as-of", AS_OF, "--no-progress"]) == 0
    first = sorted(p for p in ws.outputs.iterdir() if p.is_dir())
    snapshot = {t: _count(ws, f"SELECT COUNT(*) FROM {t}") for t in ("alumni", "enrolments")}
    assert cli.main(["run", "--workspace", str(root), "--as-of", AS_OF, "--no-progress",
                     "--steps", "1"]) == 0
    runs = sorted(p for p in ws.outputs.iterdir() if p.is_dir())
    return ws, runs[0], runs[1], snapshot, len(first)


def test_run_writes_manifest_with_counts_inputs_versions(sample_run):
    ws, run_dir, _, _, _ = sample_run
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "berhasil"
    assert manifest["parameters"]["as_of"] == AS_OF
    step = manifest["steps"][0]
    assert step["step"] == 1 and step["status"] == "berhasil" and step["duration_s"] > 0
    c = step["counts"]
    assert c["rows_read"] == c["new"] + c["updated"] + c["unchanged"] + c["duplicates"] + c["rejected"]
    assert c["rejected"] > 0 and c["new"] > 0 and c["updated"] > 0 and c["duplicates"] > 0
    assert c["files_imported"] == len(list(ws.inbox("alumni").iterdir())) - c["files_failed"]
    for item in manifest["inputs"]:
        assert len(item["sha256"]) == 64 and item["file"]
    assert "ditolak_alumni.xlsx" in manifest["outputs"]
    assert "notebooks/01_kumpulkan_data_alumni.ipynb" in manifest["outputs"]
    assert manifest["versions"]["pandas"] and manifest["versions"]["kebekerjaan"]


def test_store_holds_what_the_manifest_says(sample_run):
    ws, run_dir, _, _, _ = sample_run
    c = json.loads((run_dir / "manifest.json").read_text())["steps"][0]["counts"]
    assert _count(ws, "SELECT COUNT(*) FROM enrolments") == c["new"]
    assert _count(ws, "SELECT COUNT(*) FROM rejects WHERE kind = 'alumni'") == c["rejected"]
    assert _count(ws, "SELECT COUNT(*) FROM history WHERE table_name='alumni'") > 0


def test_vacancy_steps_import_share_and_log(sample_run):
    ws, run_dir, _, _, _ = sample_run
    steps = {s["step"]: s for s in json.loads((run_dir / "manifest.json").read_text())["steps"]}
    gathered, shared = steps[2]["counts"], steps[3]["counts"]
    assert gathered["rows_read"] == (gathered["new"] + gathered["updated"] + gathered["unchanged"]
                                     + gathered["duplicates"] + gathered["rejected"])
    assert gathered["rejected"] == _count(ws, "SELECT COUNT(*) FROM rejects WHERE kind = 'lowongan'") > 0
    assert "ditolak_lowongan.xlsx" in steps[2]["outputs"]
    assert shared["open_vacancies"] > 0 and shared["recipients"] > 0
    assert {"lowongan_instagram.txt", "blast_lowongan.xlsx", "blast_lowongan_wa.html"} <= set(
        steps[3]["outputs"])
    posters = [o for o in steps[3]["outputs"] if o.startswith("poster/") and o.endswith(".png")]
    assert len(posters) >= shared["kejuruan"] and all((run_dir / o).exists() for o in posters)
    assert _count(ws, "SELECT COUNT(*) FROM outreach_log WHERE kind = 'lowongan'") == (
        shared["outreach_logged"])


def test_executed_notebook_is_kept_and_clean_of_errors(sample_run):
    _, run_dir, _, _, _ = sample_run
    nb = nbformat.read(run_dir / "notebooks" / "01_kumpulkan_data_alumni.ipynb", as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = json.dumps([o.get("data", {}).get("text/html", "") for o in outputs])
    assert "Ditolak" in text
    # NIKs shown in the notebook are masked.
    import re

    assert not re.search(r"(?<!\d)\d{16}(?!\d)", text)


def test_second_run_changes_nothing(sample_run):
    ws, _, second, snapshot, _ = sample_run
    manifest = json.loads((second / "manifest.json").read_text())
    c = manifest["steps"][0]["counts"]
    assert c["files_imported"] == 0 and c["rows_read"] == 0
    assert c["files_skipped"] > 0
    assert {t: _count(ws, f"SELECT COUNT(*) FROM {t}") for t in snapshot} == snapshot


def test_steps_are_discovered_and_selected():
    steps = available_steps()
    assert steps[0].number == 1 and steps[0].name == "01_kumpulkan_data_alumni"
    assert select_steps("1", steps) == steps[:1]
    with pytest.raises(Exception, match="Langkah '42' tidak tersedia"):
        select_steps("42", steps)


def _failing_notebook(folder):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        'workspace = ""\nas_of = ""\ninteraktif = True\nrun_dir = ""'
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_code_cell(
            "from kebekerjaan.core.context import open_step\n"
            "from kebekerjaan.steps.alumni import collect_alumni\n"
            "ctx = open_step(workspace, as_of, run_dir, interaktif)\n"
            "collect_alumni(ctx)\n"
            "raise RuntimeError('galat sengaja')"
        ),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder.mkdir()
    nbformat.write(nb, folder / "01_gagal.ipynb")
    return folder


def test_failed_step_restores_store_and_names_the_step(tmp_path, monkeypatch, drop, ws):
    drop("duplicates.csv")
    from kebekerjaan.steps.alumni import collect_alumni

    collect_alumni(StepContext(ws, date.today(), tmp_path / "run0"))  # the store holds something
    before = _count(ws, "SELECT COUNT(*) FROM import_log")
    drop("update_v1.csv")
    monkeypatch.setattr(runner, "notebooks_dir", lambda: _failing_notebook(tmp_path / "nb"))
    with pytest.raises(StepFailed) as err:
        runner.run(ws, steps=None, progress=False)
    assert "Langkah 1 (01_gagal) gagal" in str(err.value) and "galat sengaja" in str(err.value)
    assert _count(ws, "SELECT COUNT(*) FROM import_log") == before
    run_dir = err.value.executed.parents[1]
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["status"] == "gagal" and manifest["store_restored"] is True
    assert err.value.executed.exists()


def test_cli_exit_status_nonzero_on_failure(tmp_path, capsys):
    root = tmp_path / "ws"
    init_workspace(root)
    (root / "kebekerjaan.toml").write_text("[institution]\nnama = 'x'\n", encoding="utf-8")
    code = cli.main(["run", "--workspace", str(root), "--no-progress"])
    assert code != 0
    err = capsys.readouterr().err
    assert "Langkah 1" in err and "tidak dikenal" in err


def test_answers_from_all_paths_are_matched_with_a_review_file(sample_run):
    ws, run_dir, _, _, _ = sample_run
    manifest = json.loads((run_dir / "manifest.json").read_text())
    steps = {s["step"]: s for s in manifest["steps"]}
    # Listed in the order they ran: step 7 reads what came back before the lists of 3-5.
    assert [s["step"] for s in manifest["steps"]] == manifest["parameters"]["order"]
    assert manifest["parameters"]["order"] == [1, 2, 7, 3, 4, 5, 6, 8, 9]
    assert manifest["parameters"]["steps"] == sorted(steps)
    assert {6, 7} <= set(steps)
    c = steps[7]["counts"]
    assert c["answers"] > 0 and c["matched"] > 0
    assert c["answers"] == c["matched"] + c["to_review"] + c["unmatched"] + c["discarded"] - _both(ws)
    assert (run_dir / "perlu_ditinjau.xlsx").exists()
    sources = {r[0] for r in sqlite3.connect(ws.store_path).execute("SELECT DISTINCT source FROM answers")}
    assert {"formulir", "whatsapp"} <= sources


def _both(ws):
    """Answers that are matched yet unclear (a known sender with an unclear message)."""
    con = sqlite3.connect(ws.store_path)
    try:
        return con.execute("SELECT COUNT(*) FROM answers WHERE discarded = 0 AND "
                           "match_status = 'cocok' AND unclear IS NOT NULL").fetchone()[0]
    finally:
        con.close()


def test_run_summary_names_counts_in_indonesian_for_any_wave():
    assert count_label("listed_wave_12") == "bulan 12"
    assert count_label("rows_read") == "baris dibaca"
