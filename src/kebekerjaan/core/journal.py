"""Staff form saves made while a run is unfinished, journalled so that putting the store
back never loses what staff typed in.

Form saves during a run (notebooks 02, 06, 07 and the staff app) are never blocked: they
write their own short transaction, and while a run's marker exists in the private folder
`data/.sebelum-proses/` they are also journalled (`<run-id>.formulir.jsonl`, one JSON line
per save with its own id), under the shared saves lock (lock.saves_lock) so that a restore
never falls between a save's commit and its journal line.

Every operation that can be journalled is named in one place, FORM_OPS (op -> the
decorated save as "module:function", and the words staff read), so replaying works in any
process, whatever it happened to import (the CLI, the app, a step's kernel): the module is
imported from there. The decorated save carries its optional `replay` adapter.

A restore (recovery.py) re-applies the entries in order. One already in the restored store
is recognised (the save raises AlreadySaved) and skipped. One that cannot be re-applied (a
line the kill cut short, an operation this version does not know, a save the restored store
refuses because, say, its alumnus came in with the undone run) is never dropped: it is
written to `data/.sebelum-proses/tertahan/<run-id>.jsonl` and named to staff with where to
enter it again.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import os
import re
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kebekerjaan.core import lock
from kebekerjaan.core.errors import KebekerjaanError, StorageError, storage_problem
from kebekerjaan.core.faults import fault_point


def now_iso() -> str:
    return datetime.now().isoformat(timespec="seconds")


PRIVATE_DIR = ".sebelum-proses"
KEPT_DIR = "tertahan"  # under PRIVATE_DIR: saves that could not be re-applied


@dataclass(frozen=True)
class FormOp:
    target: str  # the decorated save, "module:function"
    label: str  # what staff call it
    redo: str  # where staff enter it again


FORM_OPS: dict[str, FormOp] = {
    "jawaban_manual": FormOp("kebekerjaan.steps.answers.manual:record_answer",
                             "jawaban alumni yang dicatat petugas",
                             "halaman 'Catat jawaban' (langkah 6)"),
    "penolakan": FormOp("kebekerjaan.steps.answers.manual:record_refusal",
                        "penolakan survei yang dicatat petugas",
                        "halaman 'Catat jawaban' (langkah 6)"),
    "tarik_penolakan": FormOp("kebekerjaan.steps.answers.manual:withdraw_refusal",
                              "penolakan yang ditarik kembali (Urungkan)",
                              "halaman 'Tinjauan jawaban' (langkah 7)"),
    "keputusan_tinjauan": FormOp("kebekerjaan.steps.answers.records:decide_and_refresh",
                                 "keputusan tinjauan jawaban",
                                 "halaman 'Tinjauan jawaban' (langkah 7)"),
    "urungkan_tinjauan": FormOp("kebekerjaan.steps.answers.records:undo_and_refresh",
                                "pengurungan keputusan tinjauan",
                                "halaman 'Tinjauan jawaban' (langkah 7)"),
    "tambah_lowongan": FormOp("kebekerjaan.steps.vacancies.gather:add_vacancy",
                              "lowongan yang diisi petugas", "halaman 'Lowongan' (langkah 2)"),
    "tutup_lowongan": FormOp("kebekerjaan.steps.vacancies.gather:close_vacancy",
                             "penutupan lowongan", "halaman 'Lowongan' (langkah 2)"),
}


class AlreadySaved(KebekerjaanError):
    """The entry is already in the store (the same answer key, vacancy, closing...).

    For staff a plain refusal with its message; for a replay, a save to skip."""


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


def form_save(op: str, replay: Callable[[dict, Any], dict] | None = None):
    """Decorate a staff form's save `f(ws, **fields)`: journalled while a run is unfinished.

    `op` must be in FORM_OPS, naming this very function. `replay(fields, result)` gives the
    fields to re-apply it with (e.g. the key the first save generated, so a save already in
    the pre-run copy is recognised and skipped).
    """
    if op not in FORM_OPS:
        raise RuntimeError(f"form save {op!r} is not in journal.FORM_OPS")

    def wrap(func):
        target = f"{func.__module__}:{func.__qualname__}"
        if FORM_OPS[op].target != target:
            raise RuntimeError(f"journal.FORM_OPS[{op!r}] names {FORM_OPS[op].target}, not {target}")
        signature = inspect.signature(func)

        @functools.wraps(func)
        def inner(ws, *args, **kwargs):
            fields = dict(signature.bind(ws, *args, **kwargs).arguments)
            fields.pop(next(iter(signature.parameters)))
            with lock.saves_lock(ws.data, exclusive=False):
                result = func(ws, *args, **kwargs)
                _journal_save(ws, op, fields, result)
            return result

        inner.__wrapped_save__ = func
        inner.__replay__ = replay
        inner.__form_op__ = op
        return inner

    return wrap


def _journal_save(ws, op: str, kwargs: dict, result) -> None:
    fault_point("journal-pending")  # committed, not yet journalled
    markers = unfinished_runs(ws)
    if not markers:
        return
    entry = json.dumps({"id": uuid.uuid4().hex, "op": op, "kwargs": kwargs, "result": result,
                        "at": now_iso()}, ensure_ascii=False, default=_encode)
    for marker in markers:
        path = journal_path(marker)
        try:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(entry + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            if not marker.exists():
                continue  # the run ended meanwhile: its store keeps the save
            raise StorageError.from_os_error(
                exc, path, before=f"{FORM_OPS[op].label} sudah tersimpan, tetapi catatan "
                "cadangannya tidak dapat ditulis; bila proses yang sedang berjalan gagal, "
                "isian ini perlu diisi ulang") from exc
    fault_point("journal-written")


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


# --- replay ---------------------------------------------------------------------------------


@dataclass
class Entry:
    """One journal line: a save, or a line that cannot be read (`entry` None)."""

    line: str
    entry: dict | None
    source: Path

    @property
    def key(self) -> str:
        return str((self.entry or {}).get("id") or self.line)


def read_journals(journals: list[Path]) -> list[Entry]:
    """The entries of these journals in order, each save once (a save made while two runs
    were unfinished is in both)."""
    seen, out = set(), []
    for path in journals:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise StorageError.from_os_error(exc, path, before="catatan isian formulir selama "
                                             "proses tidak dapat dibaca") from exc
        for chunk in raw.split(b"\n"):
            if not chunk.strip():
                continue
            line = chunk.decode("utf-8", errors="replace")
            try:
                entry = json.loads(chunk.decode("utf-8"))  # a damaged byte: unreadable
                if not (isinstance(entry, dict) and isinstance(entry.get("op"), str)
                        and isinstance(entry.get("kwargs"), dict)):
                    entry = None
            except ValueError:
                entry = None
            item = Entry(line, entry, path)
            if item.key not in seen:
                seen.add(item.key)
                out.append(item)
    return out


@dataclass
class Kept:
    """A save that could not be re-applied, and why (in Indonesian)."""

    item: Entry
    reason: str

    def describe(self) -> str:
        entry = self.item.entry
        if entry is None:
            # what the line still says of its operation, so staff know what to enter again
            named = re.search(r'"op":\s*"([a-z_]+)"', self.item.line)
            op = FORM_OPS.get(named.group(1)) if named else None
            what = f"satu {op.label}" if op else "satu isian"
            where = f"; isi ulang di {op.redo} bila belum ada" if op else ""
            return f"{what} yang catatannya tidak terbaca ({self.reason}){where}"
        op = FORM_OPS.get(entry["op"])
        what = op.label if op else f"isian jenis '{entry['op']}'"
        where = f"; isi ulang di {op.redo}" if op else ""
        return f"{what}{_details(entry)}: {self.reason}{where}"


def _details(entry: dict) -> str:
    kw = entry.get("kwargs", {})
    parts = []
    if kw.get("company") or kw.get("position"):
        parts.append(" / ".join(str(kw[k]) for k in ("company", "position") if kw.get(k)))
    if kw.get("vacancy_id") not in (None, ""):
        parts.append(f"lowongan nomor {kw['vacancy_id']}")
    who = kw.get("entered_by") or kw.get("by") or kw.get("closed_by")
    if who:
        parts.append(f"oleh {who}")
    at = entry.get("at")
    if at:
        with suppress(ValueError, TypeError):
            at = datetime.fromisoformat(at).strftime("%d-%m-%Y %H:%M")
        parts.append(f"disimpan {at}")
    return f" ({', '.join(parts)})" if parts else ""


@dataclass
class Replayed:
    applied: list[str] = field(default_factory=list)  # re-applied
    present: list[str] = field(default_factory=list)  # already in the restored store
    kept: list[Kept] = field(default_factory=list)  # not re-applied, kept for staff

    def lines(self) -> list[str]:
        return ([f"{t}: diterapkan ulang" for t in self.applied]
                + [f"{t}: sudah ada, tidak diterapkan ulang" for t in self.present]
                + [f"{k.describe()} (DISIMPAN, belum diterapkan)" for k in self.kept])


def load_save(op: str):
    """The decorated save of `op`, imported from FORM_OPS (whatever this process imported)."""
    module, _, name = FORM_OPS[op].target.partition(":")
    func = importlib.import_module(module)
    for part in name.split("."):
        func = getattr(func, part)
    if getattr(func, "__form_op__", None) != op:
        raise RuntimeError(f"{FORM_OPS[op].target} is not decorated with form_save({op!r})")
    return func


def replay(ws, items: list[Entry]) -> Replayed:
    """Re-apply journalled saves in order; call with the store restored and the saves lock
    held exclusive. A disk problem stops it (StorageError): the restore is then redone
    whole at the next start, so nothing is applied twice."""
    done = Replayed()
    for item in items:
        entry = item.entry
        if entry is None:
            done.kept.append(Kept(item, "baris terpotong atau rusak, tidak dapat dibaca"))
            continue
        label = FORM_OPS[entry["op"]].label if entry["op"] in FORM_OPS else entry["op"]
        text = f"{label}{_details(entry)}"
        if entry["op"] not in FORM_OPS:
            done.kept.append(Kept(item, "jenis isian ini tidak dikenal oleh versi program ini"))
            continue
        try:
            func = load_save(entry["op"])
            kwargs = _decode(entry["kwargs"])
            if func.__replay__ is not None:
                kwargs = func.__replay__(kwargs, entry.get("result"))
            func.__wrapped_save__(ws, **kwargs)
            done.applied.append(text)
        except AlreadySaved:
            done.present.append(text)
        except KebekerjaanError as exc:
            done.kept.append(Kept(item, f"tidak dapat diterapkan pada basis data yang "
                                        f"dikembalikan ({exc})"))
        except Exception as exc:  # noqa: BLE001 - one save's problem must not lose the others
            if storage_problem(exc):
                raise StorageError.from_os_error(
                    exc, ws.store_path, before="isian formulir petugas belum dapat diterapkan "
                    "ulang") from exc
            done.kept.append(Kept(item, f"galat internal ({type(exc).__name__}: {exc})"))
        fault_point("replay")
    return done


def keep(folder: Path, run_id: str, kept: list[Kept]) -> Path | None:
    """Write the saves not re-applied to `<folder>/tertahan/<run_id>.jsonl` (whole or not
    at all; a restore redone after a kill writes the same file again)."""
    if not kept:
        return None
    target = make_private(folder / KEPT_DIR) / f"{run_id}.jsonl"
    lines = []
    for k in kept:
        record = dict(k.item.entry) if k.item.entry is not None else {"baris": k.item.line}
        record["alasan"] = k.reason
        lines.append(json.dumps(record, ensure_ascii=False))
    tmp = target.with_name(target.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target
