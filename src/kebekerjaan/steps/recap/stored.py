"""The recap step 8 computed, kept for step 9 of the same run and for the next run.

Step 9 would otherwise compute the same recap again (over a minute at national scale),
and a run with nothing new would recompute it in step 8 (43 s at 1M alumni). The file is
JSON (pandas' table orient keeps dtypes; no pickle, so a data folder never holds code).
It holds what the report and the step 8 notebook read: every frame except the per-alumnus
detail, the employed list up to `keep_employed` rows (the report's appendix limit; the
workbook has them all) and the first rows of the not-responded list.

Two copies: `steps/08-rekap.json` in the run folder, for step 9; and one under the
workspace's private data folder (`data/rekap_tersimpan/`, it names alumni), for the next
run's step 8, with the checksums of the two workbooks that run wrote. Either is used only
when its key is what the store and settings say now: period, as-of date, package and
settings, and the store's content state (`store.content_state`: schema, generation token
renewed by every committed change, row count and highest rowid per table) — not the store
file's size and time, which in WAL mode stay put while committed writes sit in the -wal
file. Any other key means compute afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

import pandas as pd

from kebekerjaan.rules.periods import Period
from kebekerjaan.steps.recap.model import Recap

FILE = Path("steps") / "08-rekap.json"
_FRAMES = ("summary", "waiting_time", "relevance", "income", "employer_type", "top_employers",
           "cohorts", "employed", "responses")
_FORMAT = 3  # 3: with `responses`
CROSS_RUN_DIR = "rekap_tersimpan"  # under the workspace data folder
_CROSS_RUN_FILE = "rekap.json"
PREVIEW_ROWS = 20  # rows of each list the step 8 notebook shows


def fingerprint(store_path: Path, period: Period, as_of: date, settings_data: dict) -> dict:
    """What the recap and its workbooks depend on; a stored recap is reused only for an
    equal fingerprint. `settings_data` is Settings.to_data(). Taken before the store is
    read, so a write during step 8 makes it stale rather than the recap."""
    from kebekerjaan.core import store

    try:
        con = store.connect(store_path)
        try:
            state = store.content_state(con)
        finally:
            con.close()
    except sqlite3.Error:
        state = None
    settings_text = json.dumps(settings_data, sort_keys=True, default=str, ensure_ascii=False)
    return {"format": _FORMAT, "package": _package_version(), "period": period.label,
            "as_of": as_of.isoformat(),
            "settings": hashlib.sha256(settings_text.encode("utf-8")).hexdigest(),
            "store": state}


def _package_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("kebekerjaan")
    except metadata.PackageNotFoundError:
        return ""


def _frame_json(frame: pd.DataFrame) -> str:
    return frame.to_json(orient="table", date_format="iso", force_ascii=False)


def _read_frame(text: str) -> pd.DataFrame:
    return pd.read_json(io.StringIO(text), orient="table")


def _data(recap: Recap, key: dict, keep_employed: int) -> dict:
    return {"key": key, "quality": recap.quality, "definitions": [list(d) for d in recap.definitions],
            "frames": {name: _frame_json(getattr(recap, name)) for name in _FRAMES
                       if name != "employed"},
            "employed": _frame_json(recap.employed.head(max(int(keep_employed), 0))),
            "not_responded": _frame_json(recap.not_responded.head(PREVIEW_ROWS)),
            "refused": _frame_json(recap.refused.head(PREVIEW_ROWS)),
            "by": {name: _frame_json(frame) for name, frame in recap.by.items()}}


def _write_json(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)  # never a half-written file for a reader
    return path


def save(recap: Recap, run_dir: Path, key: dict, keep_employed: int) -> Path:
    """Write the report's part of `recap` to run_dir/steps/08-rekap.json."""
    return _write_json(Path(run_dir) / FILE, _data(recap, key, keep_employed))


def load(run_dir: Path | None, key: dict) -> Recap | None:
    """The stored recap if it matches `key` (its employed list may be cut short)."""
    if run_dir is None:
        return None
    return _recap_from(_read(Path(run_dir) / FILE), key)


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def cross_run_dir(data_dir: Path) -> Path:
    return Path(data_dir) / CROSS_RUN_DIR


def save_for_next_run(recap: Recap, data_dir: Path, key: dict, keep_employed: int,
                      workbooks: list[Path], counts: dict, run_id: str) -> Path:
    """Keep `recap` (the report's part and the notebook's previews) and the checksums of
    the workbooks it wrote, replacing whatever an earlier run kept."""
    folder = cross_run_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)  # names of alumni: private, as the store
    data = _data(recap, key, max(int(keep_employed), PREVIEW_ROWS))
    data.update(counts=counts, run_id=run_id,
                workbooks=[{"path": str(p), "sha256": _sha256(p)} for p in workbooks])
    return _write_json(folder / _CROSS_RUN_FILE, data)


def forget_for_next_run(data_dir: Path) -> None:
    """Drop the kept recap (a stale one is worthless and names alumni)."""
    with contextlib.suppress(OSError):
        (cross_run_dir(data_dir) / _CROSS_RUN_FILE).unlink()


@dataclass
class Reused:
    recap: Recap
    counts: dict
    run_id: str
    workbooks: list[Path]


def reuse(data_dir: Path, key: dict, run_dir: Path) -> Reused | None:
    """The recap an earlier run kept, with its workbooks copied into `run_dir`, if its key
    is `key` and those workbooks are still there unchanged; else None (compute afresh)."""
    data = _read(cross_run_dir(data_dir) / _CROSS_RUN_FILE)
    recap = _recap_from(data, key)
    if recap is None:
        return None
    try:
        sources = [Path(w["path"]) for w in data.get("workbooks", [])]
        if not sources or any(_sha256(p) != w["sha256"] for p, w in zip(sources, data["workbooks"])):
            return None  # moved, deleted or edited since: write them again
        counts, run_id = dict(data.get("counts", {})), str(data.get("run_id", ""))
        Path(run_dir).mkdir(parents=True, exist_ok=True)
        copied = []
        for source in sources:
            target = Path(run_dir) / source.name
            shutil.copyfile(source, target)
            copied.append(target)
    except (OSError, *_DAMAGED):
        return None
    return Reused(recap, counts, run_id, copied)


def _sha256(path: Path) -> str:
    from kebekerjaan.core.store import sha256_file

    return sha256_file(path)


# A kept file whose key matches but whose body is damaged (cut short, edited, written by a
# version with other frames) is not a recap: compute afresh.
_DAMAGED = (KeyError, TypeError, ValueError, AttributeError, IndexError)


def _recap_from(data: dict | None, key: dict) -> Recap | None:
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    try:
        return _decode_recap(data, key)
    except _DAMAGED:
        return None


def _decode_recap(data: dict, key: dict) -> Recap:
    frames = {name: _read_frame(text) for name, text in data["frames"].items()}
    missing = set(_FRAMES) - {"employed"} - set(frames)
    if missing:
        raise KeyError(sorted(missing))
    names = {f.name for f in fields(Recap)}
    recap = Recap(
        period=Period.parse(key["period"]),
        as_of=date.fromisoformat(key["as_of"]),
        by={name: _read_frame(text) for name, text in data["by"].items()},
        employed=_read_frame(data["employed"]),
        not_responded=_read_frame(data["not_responded"]),
        refused=_read_frame(data["refused"]),
        quality={k: int(v) for k, v in data["quality"].items()},
        definitions=[tuple(d) for d in data["definitions"]],
        **{k: v for k, v in frames.items() if k in names},
    )
    return recap
