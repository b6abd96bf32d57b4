"""Fault injection on real papermill runs (issue 10): a run and its kernel killed with
SIGKILL at several points, two runs at once, a form save during a run.

After a kill the next start puts the store back as it was before the killed run, and the
next run completes with the same counts as a run that was never interrupted. A national
merge (`gabung`) made while a BPVP's run works gives the figures of a merge at rest.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from kebekerjaan import cli
from kebekerjaan.core import journal, lock, recovery
from kebekerjaan.core.workspace import init_workspace

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("faults")]
AS_OF = "2026-11-27"
STEPS = "1,2,7"
TABLES = ("alumni", "enrolments", "vacancies", "answers", "wa_messages", "import_log", "rejects")
ROOT = Path(__file__).resolve().parents[2]


def counts(root: Path) -> dict[str, int]:
    con = sqlite3.connect(root / "data" / "kebekerjaan.sqlite")
    try:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def dump(root: Path) -> list[str]:
    """The store's content, without its generation token (store.GENERATION_KEY): the form
    save replayed below renews it, and deleting that save by hand cannot give it back."""
    con = sqlite3.connect(root / "data" / "kebekerjaan.sqlite")
    try:
        return [line for line in con.iterdump()
                if not line.startswith("INSERT INTO \"store_state\" VALUES('generation',")]
    finally:
        con.close()


def start_run(root: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(lock.RUN_ENV, None)
    return subprocess.Popen(
        [sys.executable, "-m", "kebekerjaan", "run", "--workspace", str(root), "--as-of", AS_OF,
         "--steps", STEPS, "--no-progress", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def descendants(pid: int) -> list[int]:
    out = []
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return out
    for child in map(int, children):
        out += [child, *descendants(child)]
    return out


def kill_run(proc: subprocess.Popen) -> None:
    """SIGKILL the runner and its kernel at once, as a power cut would."""
    for pid in [proc.pid, *descendants(proc.pid)]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait(timeout=60)


def wait_for(condition, proc: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"run ended before the kill point: {proc.stderr.read()}")
        assert time.monotonic() < deadline, "kill point never reached"
        time.sleep(0.05)


def imported(root: Path, kind: str) -> int:
    try:
        con = sqlite3.connect(f"file:{root / 'data' / 'kebekerjaan.sqlite'}?mode=ro", uri=True)
        try:
            return con.execute("SELECT COUNT(*) FROM import_log WHERE kind = ? AND status = 'ok'",
                               (kind,)).fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def new_runs(root: Path, before: set[Path]) -> list[Path]:
    return sorted(p for p in (root / "outputs").iterdir() if p.is_dir() and p not in before)


def step_done(root: Path, step: int, before: set[Path]) -> bool:
    """Step `step` of a run started after `before` (the run folders then) has recorded."""
    return any((run / "steps" / f"{step:02d}.json").exists() for run in new_runs(root, before))


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A sample workspace with step 1 already run once, and the counts of an undisturbed run."""
    root = tmp_path_factory.mktemp("faults") / "base"
    assert cli.main(["sample", str(root), "--alumni", "150", "--seed", "5"]) == 0
    # a first run of step 1 on part of the alumni files, so the killed run has a store to spoil
    later = root / "later"
    later.mkdir()
    alumni = sorted((root / "data" / "masuk" / "alumni").iterdir())
    for path in alumni[2:]:
        shutil.move(path, later / path.name)
    assert cli.main(["run", "--workspace", str(root), "--as-of", AS_OF, "--steps", "1",
                     "--no-progress"]) == 0
    for path in later.iterdir():
        shutil.move(path, root / "data" / "masuk" / "alumni" / path.name)
    later.rmdir()
    reference = tmp_path_factory.mktemp("faults") / "reference"
    shutil.copytree(root, reference)
    assert cli.main(["run", "--workspace", str(reference), "--as-of", AS_OF, "--steps", STEPS,
                     "--no-progress"]) == 0
    return root, counts(reference)


@pytest.fixture
def ws_root(base, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(base[0], root)
    return root


KILL_POINTS = {
    # after the first alumni file of the run is committed (the others not yet)
    "during-step-1": lambda root, before: imported(root, "alumni") > before["alumni_files"],
    # between steps: step 1 recorded, step 2 starting
    "between-steps": lambda root, before: step_done(root, 1, before["runs"]),
    # during step 7, after the form export is committed
    "during-step-7": lambda root, before: imported(root, "respons") > 0,
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_killed_run_is_undone_and_the_next_run_counts_right(point, ws_root, base):
    from kebekerjaan.core.workspace import Workspace
    from kebekerjaan.steps.vacancies.gather import add_vacancy

    before = dump(ws_root)
    marks = {"alumni_files": imported(ws_root, "alumni"), "runs": set(new_runs(ws_root, set()))}
    proc = start_run(ws_root)
    wait_for(lambda: bool(journal.unfinished_runs(Workspace(ws_root))), proc)
    # a staff member saves a vacancy by hand while the run works
    saved = add_vacancy(Workspace(ws_root), company="CV Bukan Impor", position="Kurir",
                        kejuruan=["TIK"], entered_by="Rina", today=date(2026, 11, 27))
    wait_for(lambda: KILL_POINTS[point](ws_root, marks), proc)
    kill_run(proc)
    assert journal.unfinished_runs(Workspace(ws_root)), "the killed run left its marker"
    assert imported(ws_root, "alumni") > marks["alumni_files"]  # it had committed some files

    # The next start sees the unfinished run and restores the store, keeping the form save.
    rec = recovery.recover_unfinished(init_workspace(ws_root))
    assert len(rec) == 1 and rec[0].replayed
    con = sqlite3.connect(ws_root / "data" / "kebekerjaan.sqlite")
    assert con.execute("SELECT company FROM vacancies WHERE id = ?", (saved,)).fetchone() == (
        "CV Bukan Impor",)
    con.execute("DELETE FROM vacancies WHERE id = ?", (saved,))  # compare the rest with before
    con.commit()
    con.close()
    assert dump(ws_root) == before
    manifest = json.loads(rec[0].manifest.read_text(encoding="utf-8"))
    assert manifest["status"] == "gagal" and manifest["store_restored"] is True
    assert not list(journal.private_dir(ws_root / "data").iterdir())  # no copy of personal data
    assert not list((ws_root / "outputs").rglob("*.sqlite"))

    # and the next run completes with the counts of a run that was never interrupted
    assert cli.main(["run", "--workspace", str(ws_root), "--as-of", AS_OF, "--steps", STEPS,
                     "--no-progress"]) == 0
    assert counts(ws_root) == base[1]


def test_two_runs_at_once_second_waits_then_stops_cleanly(ws_root, base):
    config = ws_root / "kebekerjaan.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "lock_wait_seconds = 60", "lock_wait_seconds = 2"), encoding="utf-8")
    first = start_run(ws_root)
    from kebekerjaan.core.workspace import Workspace

    wait_for(lambda: bool(journal.unfinished_runs(Workspace(ws_root))), first)
    run_id = journal.unfinished_runs(Workspace(ws_root))[0].stem
    second = start_run(ws_root)
    _, err = second.communicate(timeout=120)
    assert second.returncode == 1
    assert f"sedang dipakai oleh proses {run_id}" in err and "Traceback" not in err
    # a form save while the first run works is kept by its success
    from kebekerjaan.steps.vacancies.gather import add_vacancy

    assert first.poll() is None, "the first run is still working"
    add_vacancy(Workspace(ws_root), company="CV Selama Proses", position="Kurir", kejuruan=["TIK"],
                entered_by="Rina", today=date(2026, 11, 27))
    out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    # nothing rolled back, nothing imported twice, the form save there
    assert counts(ws_root) == {**base[1], "vacancies": base[1]["vacancies"] + 1}
    con = sqlite3.connect(ws_root / "data" / "kebekerjaan.sqlite")
    assert con.execute("SELECT COUNT(*) FROM vacancies WHERE company = 'CV Selama Proses'").fetchone() == (1,)
    con.close()
    assert len([p for p in (ws_root / "outputs").iterdir() if p.is_dir()]) == 2  # base + first


def national_figures(root: Path) -> dict:
    """What the national recap says of a merged workspace, after its step 7, per BPVP."""
    from kebekerjaan.core.context import StepContext
    from kebekerjaan.steps.answers.collect import collect_answers
    from kebekerjaan.steps.recap import Period, recap_frames

    ws = init_workspace(root)
    today = date.fromisoformat(AS_OF)
    collect_answers(StepContext(ws, today, root / "outputs" / "r7"))
    con = sqlite3.connect(ws.store_path)
    try:
        recap = recap_frames(con, Period.containing(today), today)
        tables = {t: dict(con.execute(f"SELECT COALESCE(bpvp, ''), COUNT(*) FROM {t} GROUP BY 1"))
                  for t in ("enrolments", "answers", "refusals")}
    finally:
        con.close()
    cols = ["alumni", "merespons", "menolak", "bekerja_wirausaha"]
    return {"tables": tables, "summary": recap.summary.loc["periode", cols].astype(int).to_dict(),
            "per_bpvp": recap.by["bpvp"].set_index("bpvp")[cols].astype(int).to_dict("index")}


def pause(proc: subprocess.Popen, sig: int) -> None:
    for pid in [proc.pid, *descendants(proc.pid)]:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


@pytest.mark.parametrize("ending", ["killed", "finished"])
def test_gabung_while_a_bpvp_runs_gives_the_national_figures_of_a_merge_at_rest(ending, ws_root,
                                                                                 tmp_path, capsys):
    """Issue 20: a BPVP's run (steps 1, 2, 7) is stopped after it committed part of its
    alumni files, gabung merges that BPVP and another, then the run is killed (and put back
    at the BPVP's next start) or goes on to the end. The national figures, merged during the
    run and merged again after, are those of the same BPVPs merged at rest."""
    from kebekerjaan.core.merge import set_institution
    from kebekerjaan.core.workspace import Workspace

    other = tmp_path / "makassar"
    shutil.copytree(ws_root, other)
    set_institution(other / "kebekerjaan.toml", name="Balai Makassar", short_name="BPVP Makassar")
    sources = [str(ws_root), str(other)]
    at_rest_before = tmp_path / "nasional-sebelum"
    assert cli.main(["gabung", *sources, "--ke", str(at_rest_before)]) == 0
    before = {"alumni_files": imported(ws_root, "alumni")}
    proc = start_run(ws_root)
    try:
        wait_for(lambda: imported(ws_root, "alumni") > before["alumni_files"], proc)
        pause(proc, signal.SIGSTOP)  # mid-run, holding the lock, part of its files committed
        during = tmp_path / "nasional"
        assert cli.main(["gabung", *sources, "--ke", str(during)]) == 0
        out = capsys.readouterr().out
        assert "dibaca dari salinan sebelum proses" in out and "sedang berjalan" in out
    except BaseException:
        kill_run(proc)
        raise
    if ending == "killed":
        kill_run(proc)
        recovery.recover_unfinished(Workspace(ws_root))  # the BPVP's next start
    else:
        pause(proc, signal.SIGCONT)
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    assert not journal.unfinished_runs(Workspace(ws_root))
    assert cli.main(["gabung", *sources, "--ke", str(during)]) == 0
    at_rest = tmp_path / "nasional-tenang"
    assert cli.main(["gabung", *sources, "--ke", str(at_rest)]) == 0
    figures = national_figures(during)
    assert figures == national_figures(at_rest)
    if ending == "killed":  # nothing of the killed run anywhere
        assert figures == national_figures(at_rest_before)
    else:
        assert figures["tables"]["enrolments"] != national_figures(at_rest_before)["tables"]["enrolments"]


def test_run_prints_each_refused_or_unread_file_with_its_reason(ws_root):
    inbox = ws_root / "data" / "masuk" / "alumni"
    (inbox / "rusak.xlsx").write_bytes(b"PK\x03\x04 rusak")
    (inbox / "petunjuk.pdf").write_bytes(b"%PDF-1.4")
    earlier = set(new_runs(ws_root, set()))
    proc = start_run(ws_root)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    (run,) = new_runs(ws_root, earlier)
    assert "! berkas rusak.xlsx ditolak: Berkas 'rusak.xlsx' tidak dapat dibaca: bukan berkas Excel" in out
    assert "! berkas petunjuk.pdf tidak dibaca: jenis berkas '.pdf'" in out
    executed = run / "notebooks" / "01_kumpulkan_data_alumni.ipynb"
    text = executed.read_text(encoding="utf-8")
    assert "petunjuk.pdf" in text and "tidak dibaca" in text and "rusak.xlsx" in text
