"""Copies of personal data are kept only while they are needed.

On Windows the "owner only" permissions the package sets on its private folders do nothing,
so the copies themselves must not pile up. After every committed run (publish.commit),
with the workspace lock held, this removes:

- the recap a run folder keeps for its own step 9 (`steps/08-rekap.json`: names of alumni),
  except in the newest `[run] keep_personal_copies` run folders;
- pre-run copies of the store that no unfinished run refers to (their marker is gone: the
  run ended, so nothing can be put back from them);
- copies set aside as damaged (`data/.sebelum-proses/rusak/`) and internal error logs
  (`data/log/galat-*.log`, a traceback may quote data), except the newest N of each.

The store itself, the input files in `data/masuk/` and the lists in `outputs/` are the
office's records and are never touched here (docs/panduan/data-sungguhan.md says where
personal data lives and what staff delete themselves).
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.core.journal import private_dir

RUN_RECAP = Path("steps") / "08-rekap.json"  # steps/recap/stored.py writes it
SET_ASIDE = "rusak"
ERROR_LOGS = ("log", "galat-*.log")


def keep_count(ws) -> int:
    try:
        return int(ws.settings().run.keep_personal_copies)
    except KebekerjaanError:
        from kebekerjaan.core.config import load_settings

        return int(load_settings(None).run.keep_personal_copies)


def prune(ws, keep_run: str = "") -> list[Path]:
    """Remove what is no longer needed (see the module docstring); returns what went.
    Only with the workspace lock held. Never fails a run: a file that will not go stays."""
    keep = max(1, keep_count(ws))
    removed: list[Path] = []
    runs = sorted((p for p in _dirs(ws.outputs) if p.name[:1].isdigit()), key=lambda p: p.name)
    for run_dir in runs[:-keep]:
        if run_dir.name != keep_run:
            removed += _remove([run_dir / RUN_RECAP])
    private = private_dir(ws.data)
    markers = {p.stem for p in _files(private, "*.json")}
    removed += _remove([p for p in [*_files(private, "*.sqlite"), *_files(private, "*.sqlite.part")]
                        if p.name.split(".")[0] not in markers])
    removed += _remove(_older_than_newest(_files(private / SET_ASIDE, "*"), keep, by_run=True))
    removed += _remove(_older_than_newest(_files(ws.data / ERROR_LOGS[0], ERROR_LOGS[1]), keep))
    return removed


def _older_than_newest(paths: list[Path], keep: int, by_run: bool = False) -> list[Path]:
    """All but the newest `keep` files (or groups of files of one run, named `<run-id>.*`)."""
    groups: dict[str, list[Path]] = {}
    for p in paths:
        groups.setdefault(p.name.split(".")[0] if by_run else p.name, []).append(p)
    order = sorted(groups, key=lambda k: max(_mtime(p) for p in groups[k]), reverse=True)
    return [p for k in order[keep:] for p in groups[k]]


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _dirs(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_dir()]
    except OSError:
        return []


def _files(folder: Path, pattern: str) -> list[Path]:
    try:
        return [p for p in folder.glob(pattern) if p.is_file()]
    except OSError:
        return []


def _remove(paths: list[Path]) -> list[Path]:
    gone = []
    for path in paths:
        with suppress(OSError):
            path.unlink()
            gone.append(path)
    return gone
