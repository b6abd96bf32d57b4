"""What every file import reports, whatever the input kind (alumni, vacancies...)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from kebekerjaan.core import store
from kebekerjaan.core.config import Settings
from kebekerjaan.core.errors import InputFileError
from kebekerjaan.io.tables import RawTable, read_table

STATUS_LABELS = {"ok": "diimpor", "skipped": "dilewati (sudah pernah diimpor)", "failed": "gagal",
                 "unread": "tidak dibaca"}


@dataclass
class FileReport:
    """One input file: read whole and counted, skipped as already imported, or refused.

    For an imported file, rows_read = new + updated + unchanged + duplicates + rejected.
    """

    file: str
    sha256: str
    status: str  # ok | skipped | failed | unread (not an input this inbox reads; see message)
    rows_read: int = 0
    accepted: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    rejected: int = 0
    flagged: int = 0
    message: str = ""
    ignored_columns: list[str] = field(default_factory=list)
    # How each header was read (kolom, judul, isian, aturan, catatan), and in one line.
    columns: list[dict] = field(default_factory=list)
    columns_summary: str = ""


def note_columns(report, resolution) -> None:
    """Put how the file's headers were read on its report (FileReport or alike): every
    column used with its rule, every column holding data that was not used."""
    if resolution is None:
        return
    report.columns = [u.as_dict() for u in sorted(
        [*resolution.used.values(), *resolution.unused], key=lambda u: u.position)]
    report.ignored_columns = [u.header or u.label for u in resolution.unused]
    report.columns_summary = resolution.summary()
    if resolution.unused:
        unused = "kolom tidak dipakai: " + ", ".join(u.label for u in resolution.unused)
        report.message = f"{report.message}; {unused}" if report.message else unused


def column_notes(reports) -> list[str]:
    """One line per imported file for the step summary and the manifest."""
    return [f"{r.file}: {r.columns_summary}" for r in reports if r.columns_summary]


def columns_frame(reports, labels: dict[str, str] | None = None) -> pd.DataFrame:
    """How every imported file's headers were read, in Indonesian, for the notebook: each
    field by the name staff know it by (`labels`), not its internal name."""
    labels = labels or {}
    rows = [{"Berkas": r.file, "Kolom ke-": c["kolom"], "Judul di berkas": c["judul"] or "(tanpa judul)",
             "Dibaca sebagai": labels.get(c["isian"], c["isian"]) if c["isian"] else "(tidak dipakai)",
             "Aturan": c["aturan"] or "", "Catatan": c["catatan"] or ""}
            for r in reports for c in r.columns]
    return pd.DataFrame(rows, columns=["Berkas", "Kolom ke-", "Judul di berkas", "Dibaca sebagai",
                                       "Aturan", "Catatan"])


def file_totals(files: list[FileReport], count_names) -> dict[str, int]:
    """The counts of the imported files added up, and how many files were each way."""
    done = [f for f in files if f.status == "ok"]
    totals = {name: sum(getattr(f, name) for f in done) for name in count_names}
    totals["files_imported"] = len(done)
    totals["files_skipped"] = sum(f.status == "skipped" for f in files)
    totals["files_failed"] = sum(f.status == "failed" for f in files)
    totals["files_unread"] = sum(f.status == "unread" for f in files)
    return totals


def describe_import(counts: dict, inputs: list[dict] | None = None, *, noun: str = "baris",
                    prefix: str = "") -> list[tuple[str, str]]:
    """What an import did, in sentences staff read: (tone, text), tone ok | peringatan |
    galat. Files read, skipped or refused (each refused one named, with its reason), then
    the rows: new, updated, unchanged, rejected. `counts` are an import's totals
    (file_totals; `prefix` "blast_" for the counts step 5 keeps apart); `inputs` its
    per-file reports as the manifest keeps them (FileReport as a dict)."""
    def n(key: str) -> int:
        return int(counts.get(prefix + key) or 0)

    out: list[tuple[str, str]] = []
    imported, skipped = n("files_imported"), n("files_skipped")
    failed, unread = n("files_failed"), n("files_unread")
    if not (imported or skipped or failed or unread):
        return [("peringatan", "Tidak ada berkas di folder masuk: tidak ada yang diimpor.")]
    files = [f"{imported} berkas dibaca"]
    if skipped:
        files.append(f"{skipped} dilewati karena isinya sudah pernah diimpor")
    if failed:
        files.append(f"{failed} ditolak")
    if unread:
        files.append(f"{unread} bukan berkas yang dibaca di sini")
    out.append(("galat" if failed else "peringatan" if unread else "ok", ", ".join(files) + "."))
    for item in inputs or []:
        if item.get("status") in ("failed", "unread"):
            why = item.get("message") or "tanpa keterangan"
            refused = item["status"] == "failed"
            out.append(("galat" if refused else "peringatan",
                        f"{item.get('file', '?')}: {'ditolak' if refused else 'tidak dibaca'} — {why}"))
    if imported:
        rows = [f"{n('new')} baru", f"{n('updated')} diperbarui", f"{n('unchanged')} tidak berubah"]
        if n("duplicates"):
            rows.append(f"{n('duplicates')} ganda")
        rows.append(f"{n('rejected')} ditolak" + (" (lihat daftar baris yang ditolak)"
                                                 if n("rejected") else ""))
        tone = "peringatan" if n("rejected") else "ok"
        out.append((tone, f"{n('rows_read')} {noun} dibaca: " + ", ".join(rows) + "."))
        if n("flagged"):
            out.append(("peringatan", f"{n('flagged')} {noun} diterima tetapi perlu dicek."))
    return out


def unread_reports(unread: list[tuple[Path, str]]) -> list[FileReport]:
    """Files of an inbox that are not inputs (wrong type, Excel lock file...), with why.

    Not logged in the store: they were never read, and are listed again on every run
    until staff move them away.
    """
    return [FileReport(path.name, "", "unread", message=reason) for path, reason in unread]


def read_new(con, kind: str, path: Path, read: Callable[[Path], Any],
             run_id: str | None) -> tuple[str, Any, FileReport | None]:
    """(sha256, what `read` returned, None), or (sha256, None, why the file was not read).

    A file whose content was imported before is skipped. A file `read` cannot use
    (InputFileError) is logged as failed, with its Indonesian reason, and nothing else
    in the store changes.
    """
    sha = store.sha256_file(path)
    if store.already_imported(con, kind, sha):
        return sha, None, FileReport(path.name, sha, "skipped")
    try:
        return sha, read(path), None
    except InputFileError as exc:
        reason, message = exc.reason, str(exc)
    except (ValueError, LookupError, UnicodeError, OverflowError, csv.Error, TypeError) as exc:
        # A hostile file the readers did not foresee: refused with its reason, and the
        # other files of the drop are still read.
        reason = f"isi berkas tidak dapat dibaca ({type(exc).__name__}: {str(exc)[:200]})"
        message = f"Berkas '{path.name}' tidak dapat dibaca: {reason}"
    with store.transaction(con):
        store.log_import(con, kind=kind, file_name=path.name, sha256=sha, status="gagal",
                         message=reason, run_id=run_id)
    return sha, None, FileReport(path.name, sha, "failed", message=message)


def read_new_table(con, kind: str, path: Path, settings: Settings, required: Sequence[str],
                   run_id: str | None) -> tuple[str, RawTable | None, FileReport | None]:
    """read_new of a table file (alumni export, vacancy list, blast report): its headers
    found through the workspace's `[columns.<kind>]` aliases (tables.read_table)."""
    return read_new(con, kind, path, lambda p: read_table(
        p, settings.columns[kind], required, search_rows=settings.intake.header_search_rows),
        run_id)


# FileReport attribute -> column heading of the per-file table staff read in a notebook.
FILE_COLUMNS = {"file": "Berkas", "status": "Status", "rows_read": "Dibaca", "new": "Baru",
                "updated": "Diperbarui", "unchanged": "Tidak berubah", "duplicates": "Ganda",
                "rejected": "Ditolak", "flagged": "Perlu dicek", "message": "Keterangan"}


@dataclass
class ImportResult:
    """What one import step did with its inbox: a report per file, the rejected rows, the
    files it wrote. A subclass names its counts (`COUNT_NAMES`) and per-file columns."""

    files: list[FileReport]
    rejects: pd.DataFrame
    outputs: list[Path] = field(default_factory=list)

    COUNT_NAMES: ClassVar[tuple[str, ...]] = ()
    SHOWN: ClassVar[tuple[str, ...]] = ("file", "status", "rows_read", "new", "updated",
                                        "unchanged", "duplicates", "rejected", "message")
    LABELS: ClassVar[dict[str, str]] = {}  # headings other than FILE_COLUMNS'
    FIELD_LABELS: ClassVar[dict[str, str]] = {}  # input fields as staff know them

    def totals(self) -> dict[str, int]:
        return file_totals(self.files, self.COUNT_NAMES)

    def files_frame(self) -> pd.DataFrame:
        """One line per file, in Indonesian, for the notebook."""
        labels = {**FILE_COLUMNS, **self.LABELS}
        rows = [[STATUS_LABELS[f.status] if a == "status" else getattr(f, a) for a in self.SHOWN]
                for f in self.files]
        return pd.DataFrame(rows, columns=[labels[a] for a in self.SHOWN])

    def columns_frame(self) -> pd.DataFrame:
        """Which header of each imported file was read as which field, and by which rule."""
        return columns_frame(self.files, self.FIELD_LABELS)

    def notes(self) -> list[str]:
        """One line per imported file on how its columns were read (step summary)."""
        return column_notes(self.files)

    def summary_lines(self, noun: str = "baris") -> list[tuple[str, str]]:
        """What this import did, in sentences (describe_import)."""
        from dataclasses import asdict

        return describe_import(self.totals(), [asdict(f) for f in self.files], noun=noun)


def plain(value):
    """A cell as JSON and Excel take it: None for blanks, Python scalars, else text."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()  # numpy scalar
    return value if isinstance(value, (str, int, float)) else str(value)


def raw_cells(rejected: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """The cells of rejected rows as the file gave them, headed as staff read them."""
    raw_cols = [c for c in rejected.columns if not c.startswith("_")]
    return rejected[raw_cols].rename(columns=labels).map(plain)


def rejects_frame(rejected: pd.DataFrame, file_name: str, labels: dict[str, str]) -> pd.DataFrame:
    """Rejected rows as staff read them in the reject list: where, why, the cells as given."""
    return pd.concat(
        [pd.DataFrame({"Berkas": file_name, "Baris": rejected["_row"].to_numpy(),
                       "Alasan": rejected["_reason"].to_numpy()}),
         raw_cells(rejected, labels).reset_index(drop=True)],
        axis=1,
    )


def store_rejects(con, rejected: pd.DataFrame, *, import_id: int, kind: str, file_name: str,
                  labels: dict[str, str]) -> None:
    """Keep every rejected row (`_row`, `_reason` and its cells) in the store's rejects."""
    if rejected.empty:
        return
    # One C-level JSON encoding for all rows, then one line per reject.
    raws = raw_cells(rejected, labels).to_json(orient="records", lines=True,
                                               force_ascii=False).splitlines()
    con.executemany(
        "INSERT INTO rejects (import_id, kind, file_name, row_number, reason, raw) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        zip([int(import_id)] * len(rejected), [kind] * len(rejected), [file_name] * len(rejected),
            rejected["_row"].astype(int).tolist(), rejected["_reason"].tolist(), raws),
    )


def concat_frames(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """Frames of several files as one (the given columns when there are none)."""
    frames = [f for f in frames if f is not None and not f.empty]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)
