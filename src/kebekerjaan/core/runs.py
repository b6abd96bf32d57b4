"""Run folders: `outputs/<run-id>/` holds everything one run read, did and wrote.

Each step writes a small JSON record (`steps/NN.json`) from inside its notebook;
the runner folds those records into `manifest.json`. A notebook opened by hand in
JupyterLab (or a page of the staff app) writes into the day's `YYYYMMDD-interaktif`
folder, so its outputs are never mixed with a scheduled run's.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from kebekerjaan.core import outfiles
from kebekerjaan.core.publish import final_path
from kebekerjaan.core.store import now_iso


def new_run_dir(outputs: Path, when: datetime | None = None, suffix: str = "") -> Path:
    """Create a fresh, uniquely named run folder (`YYYYMMDD-HHMMSS[-suffix][-n]`)."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    base = f"{stamp}-{suffix}" if suffix else stamp
    outputs.mkdir(parents=True, exist_ok=True)
    for n in range(1000):
        candidate = outputs / (base if n == 0 else f"{base}-{n}")
        try:
            candidate.mkdir()
            return candidate
        except FileExistsError:
            continue
    raise RuntimeError(f"no free run folder name under {outputs}")


def resolve_run_dir(outputs: Path, run_dir: str | os.PathLike | None) -> Path:
    """The runner passes its run folder; notebooks and app pages opened by hand share one
    folder per day (`YYYYMMDD-interaktif`), not one per page opened."""
    if run_dir:
        path = Path(run_dir)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return interactive_run_dir(outputs)


def interactive_run_dir(outputs: Path, day: datetime | None = None) -> Path:
    """Today's folder for work done by hand (forms, pages), created on first use."""
    path = Path(outputs) / f"{(day or datetime.now()):%Y%m%d}-interaktif"
    path.mkdir(parents=True, exist_ok=True)
    return path


def record_step(
    run_dir: Path,
    step: int,
    *,
    counts: dict[str, Any],
    inputs: list[dict[str, Any]] | None = None,
    outputs: list[Path] | None = None,
    notes: list[str] | None = None,
) -> Path:
    """Write what one step read, counted and wrote, for the run manifest. A list written for
    after the commit (publish.pending_dir) is named by its final place; a file written beside
    one open elsewhere (core.outfiles) adds its note."""
    folder = Path(run_dir) / "steps"
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "step": step,
        "recorded_at": now_iso(),
        "counts": counts,
        "inputs": inputs or [],
        "outputs": [_relative(run_dir, final_path(p)) for p in (outputs or [])],
        "notes": [*(notes or []), *outfiles.take_notes()],
    }
    path = folder / f"{step:02d}.json"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path


def read_step_record(run_dir: Path, step: int) -> dict[str, Any] | None:
    path = Path(run_dir) / "steps" / f"{step:02d}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _relative(base: Path, path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(base).resolve()))
    except ValueError:
        return str(path)
