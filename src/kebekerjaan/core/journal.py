"""Staff form saves made while a run is unfinished, journalled so that putting the store
back never loses what staff typed in.

Form saves during a run (notebooks 02, 06, 07 and the staff app) are never blocked: they
write their own short transaction, and while a run's marker exists in the private folder
`data/.sebelum-proses/` they are also journalled (`<run-id>.formulir.jsonl`); a restore
(recovery.py) re-applies them. Re-applying is idempotent: an entry already in the copy is
skipped.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import os
from collections.abc import Callable
from contextlib import suppress
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kebekerjaan.core.errors import KebekerjaanError


def now_iso() -> str:
    return datetime.now().isoformat(timespec="seconds")


PRIVATE_DIR = ".sebelum-proses"


def private_dir(data_dir: Path) -> Path:
    return Path(data_dir) / PRIVATE_DIR


def make_private(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with suppress(OSError):
        os.chmod(folder, 0o700)
    return folder


def unfinished_runs(ws) -> list[Path]:
    folder = private_dir(ws.data)
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.json"))


def journal_path(marker: Path) -> Path:
    return marker.with_name(marker.stem + ".formulir.jsonl")


_FORM_OPS: dict[str, str] = {}


_REPLAY: dict[str, Callable[[dict, Any], dict]] = {}


def form_save(op: str, replay: Callable[[dict, Any], dict] | None = None):
    """Decorate a staff form's save `f(ws, **fields)`: journalled while a run is unfinished.

    `replay(fields, result)` gives the fields to re-apply it with (e.g. the key the first
    save generated, so a save already in the pre-run copy is recognised and skipped).
    """

    def wrap(func):
        _FORM_OPS[op] = f"{func.__module__}:{func.__qualname__}"
        if replay:
            _REPLAY[op] = replay

        signature = inspect.signature(func)

        @functools.wraps(func)
        def inner(ws, *args, **kwargs):
            fields = dict(signature.bind(ws, *args, **kwargs).arguments)
            fields.pop(next(iter(signature.parameters)))
            result = func(ws, *args, **kwargs)
            _journal_save(ws, op, fields, result)
            return result

        inner.__wrapped_save__ = func
        return inner

    return wrap


def _journal_save(ws, op: str, kwargs: dict, result) -> None:
    markers = unfinished_runs(ws)
    if not markers:
        return
    entry = json.dumps({"op": op, "kwargs": kwargs, "result": result, "at": now_iso()},
                       ensure_ascii=False, default=_encode)
    for marker in markers:
        try:
            with open(journal_path(marker), "a", encoding="utf-8") as fh:
                fh.write(entry + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        except OSError:
            pass  # the marker went away meanwhile (the run ended): nothing to re-apply


def _encode(value):
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    if isinstance(value, (set, tuple)):
        return list(value)
    return str(value)


def _decode(value):
    if isinstance(value, dict):
        if set(value) == {"__date__"}:
            return date.fromisoformat(value["__date__"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def replay_form_saves(ws, journal: Path) -> list[str]:
    """Re-apply journalled form saves after a restore; returns what each one did."""
    if not journal.exists():
        return []
    done = []
    for line in journal.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short by the kill: that save never returned either
        module, _, name = _FORM_OPS.get(entry["op"], entry["op"]).partition(":")
        func = getattr(importlib.import_module(module), name)
        func = getattr(func, "__wrapped_save__", func)
        kwargs = _decode(entry["kwargs"])
        if entry["op"] in _REPLAY:
            kwargs = _REPLAY[entry["op"]](kwargs, entry.get("result"))
        try:
            func(ws, **kwargs)
            done.append(f"{entry['op']} ({entry.get('at', '')}): diterapkan ulang")
        except KebekerjaanError as exc:  # already in the copy, or no longer applicable
            done.append(f"{entry['op']} ({entry.get('at', '')}): tidak diterapkan ulang ({exc})")
    return done
