"""What every file import reports, whatever the input kind (alumni, vacancies...)."""

from __future__ import annotations

from dataclasses import dataclass, field

STATUS_LABELS = {"ok": "diimpor", "skipped": "dilewati (sudah pernah diimpor)", "failed": "gagal"}


@dataclass
class FileReport:
    """One input file: read whole and counted, skipped as already imported, or refused.

    For an imported file, rows_read = new + updated + unchanged + duplicates + rejected.
    """

    file: str
    sha256: str
    status: str  # ok | skipped | failed
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


def file_totals(files: list[FileReport], count_names) -> dict[str, int]:
    """The counts of the imported files added up, and how many files were each way."""
    done = [f for f in files if f.status == "ok"]
    totals = {name: sum(getattr(f, name) for f in done) for name in count_names}
    totals["files_imported"] = len(done)
    totals["files_skipped"] = sum(f.status == "skipped" for f in files)
    totals["files_failed"] = sum(f.status == "failed" for f in files)
    return totals
