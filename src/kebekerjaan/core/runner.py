"""Run the SOP step notebooks with papermill, and write the run manifest.

A step is a notebook `notebooks/NN_<name>.ipynb` (NN = the SOP step number). The chosen
steps run in the order their data ask for (kebekerjaan.core.order: step 7 reads what came
back before steps 3-5 make their lists), otherwise by number. A run
holds the workspace lock (one writer at a time) and copies the store before the first
step (kebekerjaan.core.recovery); if any step fails, or the run is killed, the store is put
back, so a failed run leaves the store as it was. What the run hands staff once its store
changes are kept (the send lists, the report) is published at the commit
(kebekerjaan.core.publish): a report that cannot be rendered is an output missing, not a
failed run.
"""

from __future__ import annotations

import json
import os
import platform
import re
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from kebekerjaan.core import kernels, lock, publish, recovery, store
from kebekerjaan.core.config import PROJECT_ROOT
from kebekerjaan.core.errors import (
    KebekerjaanError,
    StorageError,
    describe_storage_error,
    storage_problem,
)
from kebekerjaan.core.faults import fault_point
from kebekerjaan.core.order import execution_order
from kebekerjaan.core.runs import new_run_dir, read_step_record
from kebekerjaan.core.workspace import Workspace

_NOTEBOOK = re.compile(r"^(\d{2})_([a-z0-9_]+)\.ipynb$")
_VERSIONED = ("kebekerjaan", "pandas", "numpy", "papermill", "nbconvert", "openpyxl",
              "python-calamine", "phonenumbers", "pandera", "ipykernel")


@dataclass(frozen=True)
class Step:
    number: int
    notebook: Path

    @property
    def name(self) -> str:
        return self.notebook.stem


class StepFailed(KebekerjaanError):
    def __init__(self, step: Step, detail: str, executed: Path,
                 store_note: str = "Basis data dikembalikan ke keadaan sebelum proses ini."):
        self.step, self.detail, self.executed = step, detail, executed
        self.store_note = store_note
        super().__init__(self._text())

    def _text(self) -> str:
        return (f"Langkah {self.step.number} ({self.step.name}) gagal: {self.detail}\n"
                f"Notebook hasil eksekusi (dengan pesan galat lengkap): {self.executed}\n"
                f"{self.store_note}")

    def note_store(self, text: str) -> None:
        """Say what became of the store (put back, kept, not yet put back)."""
        self.store_note = text
        self.args = (self._text(),)


@dataclass
class RunResult:
    run_dir: Path
    manifest: Path
    produced: list[Path] = field(default_factory=list)
    # Outputs that could not be made (the PDF report...): the run's data are kept anyway.
    problems: list[str] = field(default_factory=list)


def notebooks_dir() -> Path:
    """The repository's notebooks/ when run from a checkout, else the installed copy."""
    here = PROJECT_ROOT / "notebooks"
    if here.is_dir():
        return here
    return Path(str(resources.files("kebekerjaan").joinpath("notebooks")))


def available_steps(folder: Path | None = None) -> list[Step]:
    folder = folder or notebooks_dir()
    steps = []
    for path in sorted(folder.glob("*.ipynb")):
        m = _NOTEBOOK.match(path.name)
        if m:
            steps.append(Step(int(m.group(1)), path))
    return steps


def select_steps(spec: str | None, steps: list[Step]) -> list[Step]:
    if not spec:
        return steps
    by_number = {s.number: s for s in steps}
    wanted = []
    for part in spec.split(","):
        part = part.strip()
        if not part.isdigit() or int(part) not in by_number:
            known = ", ".join(str(n) for n in by_number)
            raise KebekerjaanError(f"Langkah '{part}' tidak tersedia. Langkah yang ada: {known}.")
        wanted.append(by_number[int(part)])
    return sorted(set(wanted), key=lambda s: s.number)


def _step_parameters(step: Step, base: dict[str, Any], periode: str | None) -> dict[str, Any]:
    """The standard four, plus `periode` for notebooks that declare it (no papermill warning
    about an unknown parameter in the others)."""
    _skip_slow_iri_checker()
    import papermill as pm

    params = dict(base)
    if periode and "periode" in pm.inspect_notebook(str(step.notebook)):
        params["periode"] = periode
    return params


def run(
    ws: Workspace,
    *,
    as_of: date | None = None,
    steps: str | None = None,
    progress: bool = True,
    periode: str | None = None,
    on_step=None,
) -> RunResult:
    """Execute the selected steps in the order of their data (core.order); raise
    StepFailed at the first failure.

    `on_step(number, entry)` is told each step's start (entry None) and end (its manifest
    entry): the staff app shows the steps as a checklist with it."""
    _skip_slow_iri_checker()
    import papermill as pm
    from tqdm.auto import tqdm

    from kebekerjaan.core import engine

    engine.register()
    as_of = as_of or date.today()
    chosen = execution_order(select_steps(steps, available_steps()))
    what = "menjalankan langkah " + ",".join(str(s.number) for s in chosen)
    with recovery.RunGuard(ws, what=what) as run_guard:
        try:
            return _run_locked(ws, run_guard, pm, tqdm, as_of, chosen, progress, periode,
                               on_step)
        except (OSError, sqlite3.Error) as exc:
            # the run's own files (manifest, run folder): named, with the room a run needs;
            # the guard puts the store back on the way out
            if not storage_problem(exc):
                raise
            raise StorageError.from_os_error(exc, ws.outputs,
                                             needed=recovery.space_needed(ws)) from exc


def _run_locked(ws, run_guard, pm, tqdm, as_of, chosen, progress, periode,
                on_step=None) -> RunResult:
    run_dir = new_run_dir(ws.outputs)
    (run_dir / "notebooks").mkdir()
    manifest_path = run_dir / "manifest.json"
    manifest: dict[str, Any] = {
        "run_id": run_dir.name,
        "workspace": str(ws.root),
        # `steps`: the SOP numbers chosen; `order`: the order they run in (and are listed in
        # under "steps" below).
        "parameters": {"as_of": as_of.isoformat(), "steps": sorted(s.number for s in chosen),
                       "order": [s.number for s in chosen], "periode": periode or ""},
        "started_at": store.now_iso(),
        "status": "berjalan",
        "notes": list(run_guard.notes),
        "steps": [],
        "versions": _versions(),
    }
    # Written now and after every step, so a killed run leaves a manifest that the next
    # start completes (kebekerjaan.core.recovery.recover_unfinished).
    _write_manifest(manifest_path, manifest)
    try:
        run_guard.begin(run_dir.name, manifest_path)
    except KebekerjaanError as exc:  # e.g. no room for the pre-run copy: nothing was written
        manifest.update(status="gagal", store_restored=False, error=str(exc),
                        finished_at=store.now_iso())
        _write_manifest(manifest_path, manifest)
        raise
    failure: StepFailed | None = None
    previous_env = os.environ.get(lock.RUN_ENV)
    os.environ[lock.RUN_ENV] = run_dir.name  # the step kernels inherit it: the lock is ours
    bar = tqdm(chosen, desc="Langkah SOP", unit="langkah", disable=not progress)
    # Each step's kernel is started while the step before it in the run's order runs
    # (kebekerjaan.core.kernels); started after RUN_ENV is set, so each inherits it. The run
    # shuts them all down.
    run_kernels = kernels.RunKernels()
    try:
        upcoming = run_kernels.start(chosen[0].notebook) if chosen else None
        for index, step in enumerate(bar):
            bar.set_postfix_str(step.name)
            km = upcoming
            if index + 1 < len(chosen):
                upcoming = run_kernels.start(chosen[index + 1].notebook)
            if on_step:
                on_step(step.number, None)
            entry, failure = _run_step(ws, pm, step, run_dir, as_of, periode, km)
            run_kernels.done(km)
            manifest["steps"].append(entry)
            _write_manifest(manifest_path, manifest)
            if on_step:
                on_step(step.number, entry)
            fault_point("step-done")
            if failure:
                break
    except BaseException:
        # Interrupted between steps (a second Ctrl-C, an internal error): the guard puts
        # the store back on the way out; the manifest says so.
        manifest.update(status="gagal", store_restored=True, finished_at=store.now_iso())
        _write_manifest(manifest_path, manifest)
        publish.discard(run_dir, f"Proses {run_dir.name} dihentikan sebelum selesai; basis data "
                                 "dikembalikan ke keadaan sebelum proses.")
        raise
    finally:
        run_kernels.close()
        bar.close()
        if previous_env is None:
            os.environ.pop(lock.RUN_ENV, None)
        else:
            os.environ[lock.RUN_ENV] = previous_env

    published = None
    manifest["store_restored"] = False
    if failure:
        kept_as_is = False  # the pre-run copy was refused: the store keeps what the run wrote
        try:
            rec = run_guard.rollback()
        except KebekerjaanError as exc:  # e.g. the disk is full: put back at the next start
            manifest["restore_error"] = str(exc)
            failure.note_store(f"{exc} Basis data dikembalikan otomatis pada awal proses "
                               "berikutnya, setelah masalah itu diatasi.")
        else:
            manifest["store_restored"] = rec.restored
            manifest["recovery"] = rec.summary()
            manifest["form_saves_reapplied"] = rec.replayed
            if rec.kept_file:
                manifest["form_saves_kept"] = str(rec.kept_file)
            if rec.kept_copy:
                manifest["damaged_copy_kept"] = str(rec.kept_copy)
            failure.note_store("Basis data: " + rec.summary())
            kept_as_is = rec.outcome == recovery.COPY_REFUSED
        if kept_as_is:  # so the lists the store remembers are kept too
            published = publish.publish(run_dir)
        else:
            publish.discard(run_dir, f"Proses {run_dir.name} gagal; basis data dikembalikan ke "
                                     "keadaan sebelum proses.")
    else:
        published = publish.commit(ws, run_guard, run_dir, manifest)  # the commit point
    manifest["status"] = "gagal" if failure else "berhasil"
    manifest["finished_at"] = store.now_iso()
    manifest["inputs"] = [i for s in manifest["steps"] for i in s.get("inputs", [])]
    produced = sorted(
        p for p in run_dir.rglob("*")
        if p.is_file() and p.name != "manifest.json"
        and not {"steps", publish.PENDING} & set(p.relative_to(run_dir).parts)
    )
    manifest["outputs"] = [str(p.relative_to(run_dir)) for p in produced]
    _write_manifest(manifest_path, manifest)
    if failure:
        raise failure
    return RunResult(run_dir=run_dir, manifest=manifest_path, produced=produced,
                     problems=published.problems if published else [])


def _run_step(ws, pm, step: Step, run_dir: Path, as_of: date, periode, km=None):
    executed = run_dir / "notebooks" / step.notebook.name
    started = time.perf_counter()
    entry: dict[str, Any] = {"step": step.number, "notebook": step.notebook.name,
                             "executed": str(executed.relative_to(run_dir))}
    failure = None
    try:
        _execute(pm, step, executed, _step_parameters(step, {
            "workspace": str(ws.root), "as_of": as_of.isoformat(),
            "interaktif": False, "run_dir": str(run_dir)}, periode), km)
        entry["status"] = "berhasil"
    except pm.PapermillExecutionError as exc:
        entry["status"] = "gagal"
        entry["error"] = explain_error(exc.ename, exc.evalue, ws.store_path,
                                       needed=recovery.space_needed(ws))
        failure = StepFailed(step, entry["error"], executed)
    except KeyboardInterrupt:  # Ctrl-C: still put the store back and write the manifest
        entry["status"] = "gagal"
        entry["error"] = "dihentikan oleh pengguna (Ctrl-C)"
        failure = StepFailed(step, entry["error"], executed)
    except Exception as exc:  # kernel died, notebook unreadable, disk full...
        entry["status"] = "gagal"
        if storage_problem(exc):
            entry["error"] = describe_storage_error(exc, run_dir,
                                                    needed=recovery.space_needed(ws))
        elif type(exc).__name__ == "DeadKernelError":
            entry["error"] = ("kernel notebook berhenti mendadak (kehabisan memori atau dimatikan); "
                              "jalankan lagi, atau jalankan langkah ini sendiri untuk melihat galatnya")
        else:
            entry["error"] = f"{type(exc).__name__}: {exc}"
        failure = StepFailed(step, entry["error"], executed)
    entry["duration_s"] = round(time.perf_counter() - started, 2)
    record = read_step_record(run_dir, step.number) or {}
    entry.update({k: record.get(k, []) for k in ("counts", "inputs", "outputs", "notes")})
    return entry, failure


def _execute(pm, step: Step, executed: Path, parameters: dict, km) -> None:
    """Run the notebook with the package's papermill engine (kebekerjaan.core.engine) on
    `km`, the kernel started ahead for it (the engine falls back to a fresh one)."""
    pm.execute_notebook(
        str(step.notebook), str(executed), parameters=parameters, engine_name=kernels.ENGINE,
        kernel_name="python3", progress_bar=False, cwd=str(step.notebook.parent), km=km,
        extra_arguments=list(kernels.KERNEL_ARGUMENTS),
    )


# A cell's error as papermill reports it (exception name and text): disk and permission
# problems in Indonesian, naming the path.
_ERRNO_TEXT = re.compile(r"\[Errno (\d+)\] [^:']*(?::\s*'(?P<path>[^']*)')?")


def explain_error(ename: str, evalue: str, store_path: Path | None = None,
                  needed: int | None = None) -> str:
    if ename in {"KebekerjaanError", "ConfigError", "InputFileError", "StorageError", "WorkspaceBusy",
                 "DateParseError"}:
        return evalue
    m = _ERRNO_TEXT.search(evalue or "")
    if m:
        exc = OSError(int(m.group(1)), "", m.group("path"))
        if storage_problem(exc):
            return describe_storage_error(exc, needed=needed)
    if ename in {"OperationalError", "DatabaseError"}:
        exc = sqlite3.OperationalError(evalue)
        if storage_problem(exc):
            return describe_storage_error(exc, store_path, before="basis data tidak dapat ditulis",
                                          needed=needed)
    return f"{ename}: {evalue}"


def _write_manifest(path: Path, manifest: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def _skip_slow_iri_checker() -> None:
    """Keep jsonschema from loading rfc3987_syntax, which builds a grammar at import (~1.5 s).

    nbformat validates notebooks with jsonschema, whose format checker imports that
    package eagerly (python-jsonschema/jsonschema#1428); notebooks have no IRI fields, so
    the checker is never needed here. A None entry makes that optional import fail fast.
    """
    sys.modules.setdefault("rfc3987_syntax", None)


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "platform": sys.platform}
    for name in _VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "tidak terpasang"
    return out
