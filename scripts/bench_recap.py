"""Step 8 recap speed: a synthetic store of 100k enrolments and 300k answers.

Builds the store with direct SQL inserts, then times `recap_frames` (the recap for the
year 2026, when nearly every enrolment is in scope) and the two workbooks. Target on a
2-core machine: compute + both workbooks under 20 s.

    .venv/bin/python scripts/bench_recap.py [--alumni 100000] [--answers 300000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from kebekerjaan.core import store
from kebekerjaan.core.config import load_settings
from kebekerjaan.steps.recap import (
    Period,
    recap_frames,
    smile_columns,
    write_recap_workbook,
    write_smile_workbook,
)

AS_OF = date(2026, 12, 31)
KEJURUAN = ["Las", "Otomotif", "Listrik", "Teknologi Informasi dan Komunikasi", "Pariwisata",
            "Garmen Apparel", "Kecantikan", "Bangunan"]
STATUSES = np.array(["bekerja", "wirausaha", "mencari", "belum_memungkinkan", "studi"])
STATUS_P = [0.4, 0.1, 0.3, 0.1, 0.1]
EMPLOYERS = [f"PT Mitra Kerja {i}" for i in range(400)] + [f"CV Usaha {i}" for i in range(400)]
KABKOTA = ["Kota Kendari", "Kabupaten Konawe", "Kabupaten Kolaka", "Kota Baubau", None]


def build(path: Path, n_alumni: int, n_answers: int, seed: int = 8) -> None:
    rng = np.random.default_rng(seed)
    con = store.connect(path)
    con.execute("PRAGMA synchronous = OFF")
    now = "2026-12-31T00:00:00"
    with store.transaction(con):
        imp = store.log_import(con, kind="alumni", file_name="bench.csv", sha256="0" * 64,
                               status="ok")
        niks = [f"74{i:014d}" for i in range(n_alumni)]
        sex = rng.choice(["L", "P"], n_alumni)
        kab = rng.choice(len(KABKOTA), n_alumni)
        con.executemany(
            "INSERT INTO alumni (nik, name, sex, phone, kabkota_name, first_import_id, "
            "last_import_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ((n, f"Alumni Uji {i}", s, f"+62812{i:08d}", KABKOTA[k], imp, imp, now)
             for i, (n, s, k) in enumerate(zip(niks, sex, kab))),
        )
        # ~200 cohorts of 500, ending between July 2025 and October 2026.
        cohort = rng.integers(0, 200, n_alumni)
        ends = [date(2025, 7, 1) + timedelta(days=int(d)) for d in np.linspace(0, 480, 200)]
        grad = np.where(rng.random(n_alumni) < 0.03, "Tidak Lulus", "Lulus")
        con.executemany(
            "INSERT INTO enrolments (id, nik, kejuruan, program, program_key, angkatan, "
            "training_year, end_date, graduation, first_import_id, last_import_id, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((i + 1, n, KEJURUAN[c % len(KEJURUAN)], f"Program {c % 25}", f"program{c % 25}",
              str(c // 25 + 1), ends[c].year, ends[c].isoformat(), g, imp, imp, now)
             for i, (n, c, g) in enumerate(zip(niks, cohort, grad))),
        )
        # Latest answers for three waves of ~70% of enrolments; the rest are older answers.
        latest = min(n_answers, int(n_alumni * 0.7) * 3)
        answered = rng.choice(n_alumni, latest // 3, replace=False) + 1
        ids = np.concatenate([np.repeat(answered, 3),
                              rng.choice(answered, n_answers - latest)])
        waves = np.concatenate([np.tile([1, 3, 6], latest // 3), rng.choice([1, 3, 6], n_answers - latest)])
        is_latest = np.concatenate([np.ones(latest, int), np.zeros(n_answers - latest, int)])
        status = rng.choice(STATUSES, n_answers, p=STATUS_P)
        employer = rng.choice(EMPLOYERS, n_answers)
        discarded = (rng.random(n_answers) < 0.01).astype(int)
        end_of = {i + 1: ends[c] for i, c in enumerate(cohort)}
        rows = []
        for k, (e, w, lt, s, emp, d) in enumerate(zip(ids.tolist(), waves.tolist(), is_latest.tolist(),
                                                      status.tolist(), employer.tolist(),
                                                      discarded.tolist())):
            end = end_of[e]
            day = end + timedelta(days=30 * w + k % 20 - (0 if lt else 15))
            start = (end + timedelta(days=k % 200)).isoformat() if s in ("bekerja", "wirausaha") else None
            rows.append((f"b:{k}", niks[e - 1], e, w, f"{day.isoformat()}T10:00:00", s,
                         "formulir" if k % 3 else "whatsapp", lt, d, "cocok",
                         emp if start else None, start, "swasta" if start else None,
                         "1-2.5" if start else None, "erat" if start else None, now))
        con.executemany(
            "INSERT INTO answers (answer_key, nik, enrolment_id, wave, answered_at, status, source, "
            "is_latest, discarded, match_status, employer, start_date, employer_type, income, "
            "relevance, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alumni", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=300_000)
    parser.add_argument("--store", type=Path, default=None,
                        help="keep the synthetic store here and reuse it on the next run")
    parser.add_argument("--periode", default="2026", help="period to recap (default: the year)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = args.store or tmp / "bench.sqlite"
        if not path.exists():
            t0 = time.perf_counter()
            build(path, args.alumni, args.answers)
            print(f"store built: {args.alumni} alumni/enrolments, {args.answers} answers "
                  f"in {time.perf_counter() - t0:.1f} s")
        con = store.connect(path)
        t0 = time.perf_counter()
        recap = recap_frames(con, Period.parse(args.periode), AS_OF)
        compute = time.perf_counter() - t0
        con.close()
        rows = len(recap.in_scope)
        print(f"recap_frames: {compute:.2f} s ({rows} enrolments in scope, "
              f"{rows / compute:,.0f} rows/s)")
        t0 = time.perf_counter()
        write_recap_workbook(recap, tmp)
        recap_s = time.perf_counter() - t0
        listed = len(recap.employed) + len(recap.not_responded)
        print(f"rekap workbook: {recap_s:.2f} s ({listed} list rows, {listed / recap_s:,.0f} rows/s)")
        t0 = time.perf_counter()
        write_smile_workbook(recap, load_settings(), tmp)
        smile_s = time.perf_counter() - t0
        print(f"SMILe workbook: {smile_s:.2f} s ({rows} rows, {rows / smile_s:,.0f} rows/s)")
        print(f"total (compute + both workbooks): {compute + recap_s + smile_s:.2f} s")
        # Plain baseline for the writer: pandas' own to_excel (openpyxl) on part of a list.
        sample = recap.in_scope.head(20_000)
        t0 = time.perf_counter()
        sample.to_excel(tmp / "baseline.xlsx", index=False, engine="openpyxl")
        base_s = time.perf_counter() - t0
        print(f"baseline pandas.to_excel (openpyxl), {len(sample)} rows x {sample.shape[1]} columns: "
              f"{len(sample) * sample.shape[1] / base_s:,.0f} cells/s; SMILe workbook above: "
              f"{rows * len(smile_columns(load_settings())) / max(smile_s, 1e-9):,.0f} cells/s")


if __name__ == "__main__":
    main()
