"""Cost of the pre-run copy of the store (kebekerjaan.core.recovery) on a large store.

Builds a synthetic store of N alumni with one enrolment each (1M alumni is about 1 GB with
history and indexes only when real text is longer; this script reports the size it built),
then times, best of 3:

- the copy a run makes before its first write (`recovery.snapshot`: a file copy of the store
  and its WAL under the store's write lock, folded into one file);
- SQLite's backup API in one step, the other consistent way;
- the restore after a failed run (`recovery._copy_back`, backup API into the live store);
- a plain file copy of the same store (shutil.copyfile), the baseline a disk can do;
- the facts the marker records before the copy gets its name (`recovery.copy_facts`: size,
  rows and highest rowid per table), which the run waits for;
- the checks the run does not wait for (a background thread): SHA-256 and PRAGMA
  integrity_check of the copy, and PRAGMA quick_check for comparison;
- verifying the copy before a restore, with those checks recorded (SHA-256 + facts) and
  without them (a run killed before they were done: integrity check + facts).

Prints MB/s and rows/s beside the baseline. A run with nothing new pays one copy and the
facts; the checks run beside the first step.

    .venv/bin/python scripts/bench_snapshot.py [--alumni 1000000]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from kebekerjaan.core import recovery, store


def build(path: Path, n: int) -> None:
    con = store.connect(path)
    con.execute("PRAGMA synchronous = OFF")
    with store.transaction(con):
        imp = store.log_import(con, kind="alumni", file_name="bench.csv", sha256="0" * 64, status="ok")
        now = "2026-12-31T00:00:00"
        con.execute(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?) "
            "INSERT INTO alumni (nik, name, sex, birth_date, education, address, phone, email, "
            "prov_code, prov_name, kabkota_code, kabkota_name, first_import_id, last_import_id, "
            "updated_at) SELECT printf('7471%012d', i), 'Nama Alumni Sintetis ' || i, "
            "CASE i % 2 WHEN 0 THEN 'L' ELSE 'P' END, '2000-01-01', 'SMK', "
            "'Jl. Contoh No. ' || i || ', Kec. Poasia, Kota Kendari', printf('+62812%08d', i), NULL, "
            "'74', 'Sulawesi Tenggara', '7471', 'Kota Kendari', ?, ?, ? FROM n",
            (n, imp, imp, now))
        con.execute(
            "INSERT INTO enrolments (nik, kejuruan, program, program_key, angkatan, training_year, "
            "start_date, end_date, graduation, first_import_id, last_import_id, updated_at) "
            "SELECT nik, 'Teknologi Informasi dan Komunikasi', 'Operator Komputer', "
            "'operatorkomputer', '1', 2025, '2025-09-01', '2025-10-10', 'Lulus', ?, ?, ? FROM alumni",
            (imp, imp, now))
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def _backup_api(src_path: Path, dest: Path) -> None:
    dest.unlink(missing_ok=True)
    src, dst = sqlite3.connect(src_path), sqlite3.connect(dest)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def best_of(n: int, fn) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alumni", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-snapshot-") as tmp:
        path = Path(tmp) / "kebekerjaan.sqlite"
        start = time.perf_counter()
        build(path, args.alumni)
        size = path.stat().st_size / 1e6
        print(f"store: {args.alumni:,} alumni + enrolments, {size:,.0f} MB "
              f"(built in {time.perf_counter() - start:.1f} s)")
        copy = Path(tmp) / "copy.sqlite"
        plain = best_of(3, lambda: shutil.copyfile(path, Path(tmp) / "plain.sqlite"))
        snap = best_of(3, lambda: recovery.snapshot(path, copy))
        backup = best_of(3, lambda: _backup_api(path, Path(tmp) / "backup.sqlite"))
        restore = best_of(3, lambda: recovery._copy_back(copy, path))
        facts = best_of(3, lambda: recovery.copy_facts(copy))
        sha = best_of(3, lambda: recovery._sha256(copy))
        integrity = best_of(1, lambda: recovery.integrity(copy))
        quick = best_of(1, lambda: _pragma(copy, "quick_check"))
        info = {"facts": recovery.copy_facts(copy),
                "checks": {"sha256": recovery._sha256(copy), "integrity_check": "ok"}}
        checked = best_of(3, lambda: recovery.verify_copy(copy, info))
        unchecked = best_of(1, lambda: recovery.verify_copy(copy, {"facts": info["facts"]}))
        assert recovery.verify_copy(copy, info) is None
        rows = 2 * args.alumni
        for label, secs in (("file copy (baseline)", plain), ("pre-run copy (recovery.snapshot)", snap),
                            ("+ facts in the marker", facts),
                            ("backup API, one step", backup),
                            ("restore after a failed run", restore),
                            ("background: SHA-256", sha),
                            ("background: integrity_check", integrity),
                            ("(quick_check, not used)", quick),
                            ("verify before restore", checked),
                            ("verify, checks not recorded", unchecked)):
            print(f"{label:32s} {secs:6.2f} s  {size / secs:8,.0f} MB/s  {rows / secs:12,.0f} rows/s")


def _pragma(path: Path, name: str) -> None:
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        con.execute(f"PRAGMA {name}").fetchall()
    finally:
        con.close()


if __name__ == "__main__":
    main()
