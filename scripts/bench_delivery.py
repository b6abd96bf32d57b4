"""Issue 8 speed: blast delivery-report import and respondent codes.

Prints rows per second for importing a generated delivery report (CSV, app wordings in
English and Indonesian, times with a dot) into a fresh store, beside a plain pandas
baseline (read_csv + to_datetime, no checks, nothing stored), and codes per second for
handing out respondent codes to new enrolments. Targets on a 2-core machine: a 100k-row
report in under 10 s; codes for 100k enrolments in under 10 s.

    .venv/bin/python scripts/bench_delivery.py [--rows 100000] [--codes 100000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import pandas as pd

from kebekerjaan.core import store
from kebekerjaan.core.workspace import init_workspace
from kebekerjaan.rules import codes
from kebekerjaan.steps.answers import delivery

STATUSES = ["Delivered", "Read", "Sent", "Failed", "Not on WhatsApp", "Terkirim", "Dibaca", "Gagal"]


def write_report(path: Path, rows: int) -> None:
    rng = random.Random(8)
    frame = pd.DataFrame({
        "Number": [f"62812{i:08d}" for i in range(rows)],
        "Name": [f"Alumni {i}" for i in range(rows)],
        "Status": [rng.choice(STATUSES) for _ in range(rows)],
        "Time": [f"{rng.randint(1, 28):02d}/11/2026 {rng.randint(7, 21):02d}.{rng.randint(0, 59):02d}"
                 for _ in range(rows)],
    })
    frame.to_csv(path, index=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--codes", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "ws")
        report = ws.inbox("blast") / "laporan_blast.csv"
        write_report(report, args.rows)

        start = time.perf_counter()
        plain = pd.read_csv(report, dtype=str)
        pd.to_datetime(plain["Time"].str.replace(".", ":", regex=False), dayfirst=True)
        baseline = time.perf_counter() - start

        con = store.connect(ws.store_path)
        start = time.perf_counter()
        result = delivery.import_delivery_reports(con, ws.inbox("blast"), ws.settings(), None, None)
        took = time.perf_counter() - start
        (done,) = result.files
        print(f"delivery report: {args.rows} rows in {took:.2f} s = {args.rows / took:,.0f} rows/s "
              f"(new {done.new}, rejected {done.rejected}); plain pandas read + parse "
              f"{args.rows / baseline:,.0f} rows/s")

        con.execute("PRAGMA foreign_keys = OFF")  # codes only: no enrolments needed here
        start = time.perf_counter()
        codes.ensure_codes(con, range(1, args.codes + 1))
        took = time.perf_counter() - start
        start = time.perf_counter()
        codes.ensure_codes(con, range(1, args.codes + 1))
        again = time.perf_counter() - start
        con.close()
        print(f"respondent codes: {args.codes} new in {took:.2f} s = {args.codes / took:,.0f} codes/s; "
              f"the same enrolments again {again:.2f} s (stored, not redrawn)")


if __name__ == "__main__":
    main()
