"""Step kernels started one step ahead (kebekerjaan.core.kernels, issue 12): each step still runs
in its own fresh kernel with the run's environment and working folder, a failed run still
reports the failing step the same way, and no kernel outlives the run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

from kebekerjaan.core import kernels, lock, runner
from kebekerjaan.core.runner import StepFailed
from kebekerjaan.core.workspace import init_workspace

pytestmark = pytest.mark.e2e

PARAMS = 'workspace = ""\nas_of = ""\ninteraktif = True\nrun_dir = ""'


def notebook(folder: Path, name: str, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(PARAMS)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(s) for s in sources)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder.mkdir(exist_ok=True)
    nbformat.write(nb, folder / name)
    return folder / name


REPORT_KERNEL = (
    "import json, os, sys\n"
    "from pathlib import Path\n"
    "Path(run_dir, Path(os.getcwd()).name + '-' + str(os.getpid()) + '.json').write_text(json.dumps({\n"
    "    'run': os.environ.get('" + lock.RUN_ENV + "'), 'cwd': os.getcwd(), 'pid': os.getpid(),\n"
    "    'warm': 'kebekerjaan.rules.statuses' in sys.modules,\n"
    "    'names': [n for n in ('_il', '_m') if n in dir()]}))"
)


def child_pids() -> set[int]:
    pids = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            pids |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            pass
    return {p for p in pids if Path(f"/proc/{p}").exists()
            and "ipykernel" in Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")}


def test_notebook_imports_lists_each_module_once(tmp_path):
    path = notebook(tmp_path / "nb", "01_a.ipynb",
                    "from IPython.display import display\nimport json\n",
                    "from kebekerjaan.core.context import open_step\nimport json")
    assert kernels.notebook_imports(path) == ["IPython.display", "json", "kebekerjaan.core.context"]


def test_each_step_gets_its_own_warm_kernel_with_the_run_environment(tmp_path, monkeypatch):
    folder = tmp_path / "nb"
    for n in (1, 2, 3):
        # the module is imported by a cell AFTER the one that looks for it
        notebook(folder, f"0{n}_langkah.ipynb", REPORT_KERNEL,
                 "from kebekerjaan.rules.statuses import NO_RESPONSE")
    monkeypatch.setattr(runner, "notebooks_dir", lambda: folder)
    before = child_pids()
    result = runner.run(init_workspace(tmp_path / "ws"), progress=False)
    seen = [json.loads(p.read_text()) for p in result.run_dir.glob("nb-*.json")]
    assert len(seen) == 3 and len({s["pid"] for s in seen}) == 3  # a fresh kernel per step
    for s in seen:
        assert s["run"] == result.run_dir.name  # the lock token: the run's own writes pass
        assert Path(s["cwd"]) == folder  # as papermill's cwd
        assert s["warm"]  # the notebook's modules were imported as the kernel started
        assert s["names"] == []  # and the warm-up left no names in the notebook
    assert [e.name for e in sorted((result.run_dir / "notebooks").iterdir())] == [
        "01_langkah.ipynb", "02_langkah.ipynb", "03_langkah.ipynb"]
    assert child_pids() <= before  # every kernel shut down


def test_a_failed_step_stops_the_run_and_its_started_kernels(tmp_path, monkeypatch):
    folder = tmp_path / "nb"
    notebook(folder, "01_baik.ipynb", "x = 1")
    notebook(folder, "02_gagal.ipynb", "raise RuntimeError('galat sengaja')")
    notebook(folder, "03_tidak_jalan.ipynb", REPORT_KERNEL)
    monkeypatch.setattr(runner, "notebooks_dir", lambda: folder)
    before = child_pids()
    with pytest.raises(StepFailed) as err:
        runner.run(init_workspace(tmp_path / "ws"), progress=False)
    assert "Langkah 2 (02_gagal) gagal" in str(err.value) and "galat sengaja" in str(err.value)
    assert err.value.executed.exists()  # the executed notebook with the error, as before
    run_dir = err.value.executed.parents[1]
    assert not list(run_dir.glob("nb-*.json"))  # step 3 never ran
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert [s["status"] for s in manifest["steps"]] == ["berhasil", "gagal"]
    assert child_pids() <= before  # the kernel started ahead for step 3 is gone too


def test_a_kernel_that_died_before_its_step_is_replaced(tmp_path, monkeypatch):
    """A kernel started ahead can die at start (a TCP port taken by another process before
    it bound it); its step then runs on a fresh kernel, as papermill alone would."""
    folder = tmp_path / "nb"
    notebook(folder, "01_a.ipynb", REPORT_KERNEL)
    notebook(folder, "02_b.ipynb", REPORT_KERNEL)
    monkeypatch.setattr(runner, "notebooks_dir", lambda: folder)
    real_start = kernels.start

    def dies_at_start(nb):
        km = real_start(nb)
        if nb.name == "02_b.ipynb":
            km.shutdown_kernel(now=True)
        return km

    monkeypatch.setattr(kernels, "start", dies_at_start)
    result = runner.run(init_workspace(tmp_path / "ws"), progress=False)
    seen = [json.loads(p.read_text()) for p in result.run_dir.glob("nb-*.json")]
    assert len(seen) == 2 and all(s["run"] == result.run_dir.name for s in seen)


def test_a_kernel_closed_under_a_pending_callback_prints_no_traceback(capsys):
    # tornado logs it with a traceback when a step's kernel is shut down mid-message; the
    # run has already said in Indonesian how the step ended.
    import logging

    from tornado.log import gen_log

    from kebekerjaan.core.kernels import RunKernels

    handler = logging.StreamHandler()  # as papermill's basicConfig does
    gen_log.addHandler(handler)
    try:
        RunKernels().close()
        try:
            raise RuntimeError("socket closed")
        except RuntimeError:
            gen_log.error("Uncaught exception in ZMQStream callback", exc_info=True)
        gen_log.error("something else went wrong")
    finally:
        gen_log.removeHandler(handler)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "ZMQStream" not in err
    assert "something else went wrong" in err  # other tornado errors still show
