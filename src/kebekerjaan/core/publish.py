"""What a run hands staff, handed over only once its store changes are kept.

Two kinds of output are not part of the all-or-nothing store transaction:

- **Lists of people to message** (steps 3-5: the personal WhatsApp send lists, each with
  its wa.me page, and the list of alumni without a number; step 3's group messages and
  posters name no one and go straight into the run folder). A step writes them into the run
  folder's `.tertunda/` folder (`pending_dir`). When the run commits, the runner marks the
  folder (`SAH`, just before the commit point: the pre-run copy's marker goes) and moves the
  files into the run folder; when the run fails, the store is put back and the pending files
  are deleted, with a note in the run folder (unless recovery refused a damaged pre-run copy
  and kept the store with what the run wrote: then its lists are kept too). A run killed in
  between is settled by the next process that takes the workspace lock (`settle`, after the
  store was put back): a folder marked `SAH` whose run was not put back since is published,
  any other is deleted. So staff never find a list whose messages the store does not
  remember (the next run would message the same people again), and never lose one it does.
- **The management report** (PDF and HTML). Rendered after the commit: a PDF that cannot be
  made (WeasyPrint without its Pango library, on a Windows laptop) leaves the data, the HTML
  report and the lists as they are, and the run says what failed and how to make the PDF
  again later (`kebekerjaan laporan`, `render_again`).
"""

from __future__ import annotations

import json
import os
import shutil
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kebekerjaan.core import outfiles
from kebekerjaan.core.faults import fault_point

PENDING = ".tertunda"
COMMITTED = "SAH"  # inside the pending folder: the run's store changes are (being) kept
FAILED_NOTE = "PROSES-GAGAL-baca-ini.txt"
REPORT_EXPORTER = "laporan_pdf"  # pyproject.toml: [project.entry-points."nbconvert.exporters"]


def pending_dir(run_dir: Path) -> Path:
    """Where a step writes a list of people to message (see the module docstring)."""
    folder = Path(run_dir) / PENDING
    folder.mkdir(parents=True, exist_ok=True)
    _hide(folder)
    return folder


def final_path(path: Path) -> Path:
    """Where a file written under `pending_dir` will be once the run commits."""
    parts = Path(path).parts
    if PENDING not in parts:
        return Path(path)
    i = len(parts) - 1 - parts[::-1].index(PENDING)
    return Path(*parts[:i], *parts[i + 1:])


@dataclass
class Published:
    """What commit() did: files moved into place (by their final relative path, and where
    each went when its place was taken by an open file), and what went wrong."""

    moved: dict[str, str] = field(default_factory=dict)
    reports: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def mark_committed(run_dir: Path) -> None:
    """Called just before the store commit point: from now on the pending lists belong to
    kept store changes, unless a restore of this run is recorded later (see settle)."""
    folder = Path(run_dir) / PENDING
    if folder.is_dir():
        outfiles.write_text(folder / COMMITTED, _now())


def commit(ws, guard, run_dir: Path, manifest: dict) -> Published:
    """The runner's commit (in place of guard.finish()): mark the pending lists, keep the
    store changes (the commit point), move the lists into the run folder, render the report,
    then drop the personal-data copies no longer needed (core.retention). What could not be
    made is described in `manifest` (`output_problems`, with the command that makes the
    report again), never raised: the run's data are kept either way."""
    from kebekerjaan.core import retention

    run_dir = Path(run_dir)
    mark_committed(run_dir)
    fault_point("lists-marked")  # a kill here: the store is put back, the lists deleted
    guard.finish()
    # Said at once: a kill from here on leaves a run whose data are kept (settle publishes
    # its lists, `kebekerjaan laporan` renders its report).
    manifest.update(status="berhasil", store_restored=False)
    _write_json(run_dir / "manifest.json", manifest)
    fault_point("committed")  # a kill here: the next start publishes the lists
    done = publish(run_dir)
    for entry in manifest.get("steps", []):
        entry["outputs"] = [done.moved.get(o, o) for o in entry.get("outputs", [])]
        if entry.get("status") != "berhasil" or not entry.get("executed"):
            continue
        reports, problems = render_reports(run_dir, [run_dir / entry["executed"]])
        entry["outputs"] += [str(p.relative_to(run_dir)) for p in reports]
        done.reports += reports
        done.problems += problems
    done.notes += outfiles.take_notes()
    removed = retention.prune(ws, keep_run=run_dir.name)
    if removed:
        manifest["personal_copies_removed"] = [str(p) for p in removed]
    if done.problems:
        manifest["output_problems"] = done.problems
        if any(p.startswith(REPORT_PROBLEM) for p in done.problems):
            manifest["rerender"] = rerender_command(ws, run_dir.name)
    if done.notes:
        manifest["output_notes"] = done.notes
    return done


def commit_step(guard, run_dir: Path) -> Published:
    """A step run alone (recovery.step_writer): mark, keep the store changes, publish."""
    mark_committed(run_dir)
    guard.finish()
    return publish(run_dir)


def publish(run_dir: Path) -> Published:
    """Move the pending files into the run folder (beside a file open elsewhere, see
    core.outfiles); the pending folder goes once empty. Safe to repeat."""
    run_dir = Path(run_dir)
    folder = run_dir / PENDING
    done = Published()
    if not folder.is_dir():
        return done
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != COMMITTED):
        if path.name.endswith(".tmp"):
            path.unlink(missing_ok=True)  # a write the run never finished
            continue
        rel = path.relative_to(folder)
        target = run_dir / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            placed = outfiles.put_in_place(path, target)
        except OSError as exc:
            done.problems.append(
                f"Daftar kirim {rel} belum dapat dipindahkan ke {run_dir} ({exc.strerror or exc}); "
                f"berkasnya tetap di {folder} dan dipindahkan lagi pada proses berikutnya.")
            continue
        done.moved[str(rel)] = str(placed.relative_to(run_dir))
    done.notes += outfiles.take_notes()
    if not done.problems:
        shutil.rmtree(folder, ignore_errors=True)
    return done


def discard(run_dir: Path, why: str) -> list[str]:
    """Delete the pending lists of a run whose store changes were undone, and say so in the
    run folder. Returns the names of the files deleted."""
    run_dir = Path(run_dir)
    folder = run_dir / PENDING
    if not folder.is_dir():
        return []
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                   if p.is_file() and p.name != COMMITTED and not p.name.endswith(".tmp"))
    shutil.rmtree(folder, ignore_errors=True)
    if names:
        text = (f"{_now()}: {why} Daftar kirim yang sedang disiapkan proses itu dihapus agar "
                "tidak terkirim: " + ", ".join(names) + ". Basis data tidak mencatat pesan-pesan "
                "itu; jalankan lagi langkahnya untuk membuat daftar yang benar.\n")
        with suppress(OSError):
            with open(run_dir / FAILED_NOTE, "a", encoding="utf-8") as fh:
                fh.write(text)
    return names


def settle(ws) -> list[str]:
    """Publish or delete the pending lists a killed run left; only with the workspace lock
    held and after its store was put back (recovery). Returns one line per run settled."""
    said = []
    try:
        folders = sorted(ws.outputs.glob(f"*/{PENDING}"))
    except OSError:
        return said
    for folder in folders:
        run_dir = folder.parent
        marked = _read_text(folder / COMMITTED)
        manifest = run_dir / "manifest.json"
        if (marked and not _restored_since(manifest, marked)) or _kept_as_is(manifest):
            done = publish(run_dir)
            if done.moved:
                said.append(f"Daftar kirim proses {run_dir.name} yang tersimpan tetapi belum "
                            f"dipindahkan (proses terhenti) kini ada di {run_dir}: "
                            + ", ".join(done.moved.values()) + ".")
            said += done.problems + done.notes
        else:
            names = discard(run_dir, f"Proses {run_dir.name} tidak selesai dan basis data "
                                     "dikembalikan ke keadaan sebelum proses itu.")
            if names:
                said.append(f"Daftar kirim proses {run_dir.name} yang tidak selesai dihapus "
                            f"({', '.join(names)}); lihat {run_dir / FAILED_NOTE}.")
    return said


def _kept_as_is(manifest: Path) -> bool:
    """Recovery refused the run's damaged pre-run copy and kept the store as it was, with
    what the run wrote (recovery.COPY_REFUSED): its lists belong to that store."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return data.get("recovery_outcome") == "salinan_rusak"


def _restored_since(manifest: Path, marked: str) -> bool:
    """The run's manifest records a restore at or after the COMMITTED mark (recovery writes
    `store_restored` and `restored_at` when it puts a killed run's store back)."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(data.get("store_restored")) and str(data.get("restored_at", "")) >= marked[:19]


# --- the report ----------------------------------------------------------------------------


def render_reports(run_dir: Path, executed: list[Path]) -> tuple[list[Path], list[str]]:
    """HTML and PDF of every executed notebook marked `kebekerjaan.laporan`, through the
    exporter the package registers with nbconvert. A failure is described, never raised:
    the files written before it (the HTML) stay."""
    import nbformat
    from nbconvert.exporters import get_exporter

    written: list[Path] = []
    problems: list[str] = []
    for path in executed:
        try:
            nb = nbformat.read(path, as_version=4)
        except (OSError, ValueError) as exc:
            problems.append(f"Notebook {path.name} tidak dapat dibaca untuk laporan: {exc}")
            continue
        if not nb.metadata.get("kebekerjaan", {}).get("laporan"):
            continue
        try:
            written += get_exporter(REPORT_EXPORTER)().write_report(nb, run_dir, f"laporan_{path.stem}")
        except Exception as exc:  # noqa: BLE001 - an output, not the run: say it and go on
            written += list(getattr(exc, "written", []))
            problems.append(_describe_report_error(exc))
    return written, problems


REPORT_PROBLEM = "Laporan"  # how every report problem starts (commit() looks for it)


def _describe_report_error(exc: BaseException) -> str:
    from kebekerjaan.core.errors import KebekerjaanError, describe_storage_error, storage_problem

    if isinstance(exc, KebekerjaanError):  # the exporter's own words (e.g. no Pango)
        text = str(exc)
    elif storage_problem(exc):
        text = "tidak dapat ditulis: " + describe_storage_error(exc)
    else:
        text = f"tidak dapat dibuat ({type(exc).__name__}: {exc})"
    return f"{REPORT_PROBLEM} {text}"


def rerender_command(ws, run_id: str) -> str:
    root = str(ws.root)
    quoted = f'"{root}"' if " " in root else root
    return f"kebekerjaan laporan --workspace {quoted} --proses {run_id}"


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _hide(folder: Path) -> None:
    """Windows shows dot-folders: mark it hidden there, so staff do not open half a list."""
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        with suppress(Exception):
            ctypes.windll.kernel32.SetFileAttributesW(str(folder), 0x2)  # FILE_ATTRIBUTE_HIDDEN


def render_again(ws, run_id: str | None = None) -> tuple[Path, list[Path], list[str]]:
    """Render the report of a finished run again (`kebekerjaan laporan`): the run `run_id`,
    or the newest successful run that executed a report notebook. Returns the run folder,
    the files written and what could still not be made; the run's manifest is updated."""
    from kebekerjaan.core.errors import KebekerjaanError

    run_dir, manifest, executed = _report_run(ws, run_id)
    reports, problems = render_reports(run_dir, executed)
    written = {str(p.relative_to(run_dir)) for p in reports}
    manifest["outputs"] = sorted({*manifest.get("outputs", []), *written})
    for entry in manifest.get("steps", []):
        if entry.get("executed") and run_dir / entry["executed"] in executed:
            entry["outputs"] = sorted({*entry.get("outputs", []), *written})
    manifest.pop("output_problems", None)
    manifest.pop("rerender", None)
    if problems:
        manifest["output_problems"] = problems
        manifest["rerender"] = rerender_command(ws, run_dir.name)
    manifest["report_rendered_at"] = _now()
    _write_json(run_dir / "manifest.json", manifest)
    if not reports and not problems:  # pragma: no cover - _report_run checked the metadata
        raise KebekerjaanError(f"Proses {run_dir.name} tidak membuat laporan.")
    return run_dir, reports, problems


def _report_run(ws, run_id: str | None) -> tuple[Path, dict, list[Path]]:
    from kebekerjaan.core.errors import KebekerjaanError

    if run_id:
        candidates = [ws.outputs / run_id]
        if not (candidates[0] / "manifest.json").is_file():
            raise KebekerjaanError(f"Proses '{run_id}' tidak ada di {ws.outputs} (tidak ada "
                                   f"{candidates[0] / 'manifest.json'}).")
    else:
        candidates = sorted((p.parent for p in ws.outputs.glob("*/manifest.json")),
                            key=lambda p: p.name, reverse=True)
    for run_dir in candidates:
        try:
            manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if manifest.get("status") != "berhasil":
            if run_id:
                raise KebekerjaanError(
                    f"Proses {run_id} tidak berhasil (status: {manifest.get('status', '?')}); "
                    "basis datanya sudah dikembalikan, jadi laporannya tidak dibuat ulang. "
                    "Jalankan lagi langkah 9.")
            continue
        executed = [run_dir / s["executed"] for s in manifest.get("steps", [])
                    if s.get("status") == "berhasil" and s.get("executed")
                    and _is_report(run_dir / s["executed"])]
        if executed:
            return run_dir, manifest, executed
        if run_id:
            raise KebekerjaanError(f"Proses {run_id} tidak menjalankan langkah laporan (langkah 9).")
    raise KebekerjaanError(f"Belum ada proses berhasil yang membuat laporan di {ws.outputs}.")


def _is_report(notebook: Path) -> bool:
    import nbformat

    try:
        nb = nbformat.read(notebook, as_version=4)
    except (OSError, ValueError):
        return False
    return bool(nb.metadata.get("kebekerjaan", {}).get("laporan"))


def _write_json(path: Path, data: dict) -> None:
    outfiles.write_text(path, json.dumps(data, ensure_ascii=False, indent=2))
