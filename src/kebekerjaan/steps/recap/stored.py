"""The recap step 8 computed, kept in the run folder for step 9 of the same run.

Step 9 would otherwise compute the same recap again (over a minute at national scale).
The file is JSON (pandas' table orient keeps dtypes; no pickle, so a run folder never
holds code), under `steps/` with the step records. It holds what the report reads: every
frame except the per-alumnus detail and the not-responded list, and the employed list
only up to `keep_employed` rows (the report's appendix limit; the workbook has them all).
It is used only when period, as-of date, settings that shape the recap and the store
file (size and modification time) are what step 8 saw; otherwise step 9 recomputes.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import fields
from datetime import date
from pathlib import Path

import pandas as pd

from kebekerjaan.periods import Period
from kebekerjaan.steps.recap.model import Recap

FILE = Path("steps") / "08-rekap.json"
_FRAMES = ("summary", "waiting_time", "relevance", "income", "employer_type", "top_employers",
           "cohorts", "employed")
_FORMAT = 1


def fingerprint(store_path: Path, period: Period, as_of: date, waves, own_bpvp: str) -> dict:
    """What the recap depends on; a stored recap is reused only for an equal fingerprint."""
    try:
        stat = os.stat(store_path)
        state = [stat.st_size, stat.st_mtime_ns]
    except OSError:
        state = None
    return {"format": _FORMAT, "period": period.label, "as_of": as_of.isoformat(),
            "waves": [int(w) for w in waves], "own_bpvp": own_bpvp, "store": state}


def _frame_json(frame: pd.DataFrame) -> str:
    return frame.to_json(orient="table", date_format="iso", force_ascii=False)


def _read_frame(text: str) -> pd.DataFrame:
    return pd.read_json(io.StringIO(text), orient="table")


def save(recap: Recap, run_dir: Path, key: dict, keep_employed: int) -> Path:
    """Write the report's part of `recap` to run_dir/steps/08-rekap.json."""
    data = {"key": key, "quality": recap.quality, "definitions": [list(d) for d in recap.definitions],
            "frames": {name: _frame_json(getattr(recap, name)) for name in _FRAMES
                       if name != "employed"},
            "employed": _frame_json(recap.employed.head(max(int(keep_employed), 0))),
            "by": {name: _frame_json(frame) for name, frame in recap.by.items()}}
    path = Path(run_dir) / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)  # never a half-written file for step 9
    return path


def load(run_dir: Path | None, key: dict) -> Recap | None:
    """The stored recap if it matches `key` (its employed list may be cut short)."""
    if run_dir is None:
        return None
    path = Path(run_dir) / FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("key") != key:
        return None
    frames = {name: _read_frame(text) for name, text in data["frames"].items()}
    names = {f.name for f in fields(Recap)}
    recap = Recap(
        period=Period.parse(key["period"]),
        as_of=date.fromisoformat(key["as_of"]),
        by={name: _read_frame(text) for name, text in data["by"].items()},
        employed=_read_frame(data["employed"]),
        not_responded=pd.DataFrame(),
        quality={k: int(v) for k, v in data["quality"].items()},
        definitions=[tuple(d) for d in data["definitions"]],
        **{k: v for k, v in frames.items() if k in names},
    )
    return recap
