"""Steps 8 and 9 at scale: the recap workbook and the management report, timed the way
`kebekerjaan run` runs them (papermill kernels, nbconvert, WeasyPrint).

Prints each step's time, the report's page count and HTML size, and beside them a plain
pandas baseline (read the tables with pd.read_sql, one groupby of alumni, respondents and
bekerja+wirausaha per kejuruan) in rows per second, so the ratio shows. Targets on this
2-core machine: step 9 under 10 s at every scale and a report of at most about 20 pages.

    # a workspace from `kebekerjaan sample` (built once, reused when it exists)
    .venv/bin/python scripts/bench_report.py /tmp/ws50k --alumni 50000
    # the synthetic national store of scripts/bench_recap.py (1M alumni, 3M answers)
    .venv/bin/python scripts/bench_report.py /tmp/ws1m --store /tmp/bench1m.sqlite --as-of 2026-12-31
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import time
from datetime import date
from pathlib import Path

import pandas as pd

from kebekerjaan.core.context import StepContext

AS_OF = date(2026, 11, 27)


def prepare(folder: Path, alumni: int, store_file: Path | None, as_of: date):
    from kebekerjaan.core.workspace import Workspace, init_workspace

    if (folder / "kebekerjaan.toml").exists():
        ws = Workspace(folder)
    else:
        ws = init_workspace(folder)
    if ws.store_path.exists():
        return ws
    t0 = time.perf_counter()
    if store_file is not None:
        ws.store_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(store_file, ws.store_path)
    else:
        from kebekerjaan.demo.sample import write_sample
        from kebekerjaan.steps.alumni import collect_alumni
        from kebekerjaan.steps.answers.collect import collect_answers

        write_sample(ws.root, n_alumni=alumni, seed=12, as_of=as_of)
        prep = ws.outputs / "persiapan"
        collect_alumni(StepContext(ws, as_of, prep))
        collect_answers(StepContext(ws, as_of, prep, run_id="persiapan"))
    print(f"workspace prepared in {time.perf_counter() - t0:.1f} s: {ws.root}")
    return ws


def baseline(store_path: Path) -> tuple[int, float]:
    """The plain pandas recap of the issue: rows read and seconds."""
    t0 = time.perf_counter()
    con = sqlite3.connect(store_path)
    enrol = pd.read_sql("SELECT id, kejuruan FROM enrolments", con)
    answers = pd.read_sql("SELECT enrolment_id, status FROM answers WHERE discarded = 0 "
                          "AND enrolment_id IS NOT NULL AND status IS NOT NULL", con)
    con.close()
    last = answers.drop_duplicates("enrolment_id", keep="last")
    frame = enrol.merge(last, left_on="id", right_on="enrolment_id", how="left")
    frame.groupby("kejuruan").agg(alumni=("id", "size"), responden=("status", "count"),
                                  bekerja=("status", lambda s: s.isin(["bekerja", "wirausaha"]).sum()))
    return len(enrol) + len(answers), time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--alumni", type=int, default=5000)
    parser.add_argument("--store", type=Path, default=None,
                        help="copy this synthetic store (scripts/bench_recap.py --store) into the workspace")
    parser.add_argument("--as-of", type=date.fromisoformat, default=AS_OF)
    parser.add_argument("--periode", default="")
    args = parser.parse_args()

    from pypdf import PdfReader

    from kebekerjaan.core.runner import run

    ws = prepare(args.folder, args.alumni, args.store, args.as_of)
    con = sqlite3.connect(ws.store_path)
    n_alumni, n_answers = (con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                           for t in ("enrolments", "answers"))
    con.close()
    print(f"store: {n_alumni:,} enrolments, {n_answers:,} answers")
    rows, plain = baseline(ws.store_path)
    print(f"plain pandas baseline (read + groupby per kejuruan): {plain:.2f} s, {rows / plain:,.0f} rows/s")

    t0 = time.perf_counter()
    result = run(ws, as_of=args.as_of, steps="8,9", progress=False, periode=args.periode or None)
    wall = time.perf_counter() - t0
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    for step in manifest["steps"]:
        print(f"step {step['step']}: {step['duration_s']:.1f} s ({step['status']}), "
              f"{(n_alumni + n_answers) / step['duration_s']:,.0f} store rows/s")
        for note in step.get("notes", []):
            print(f"    {note}")
    pdf = next(result.run_dir.glob("laporan_*.pdf"))
    html = next(result.run_dir.glob("laporan_*.html"))
    print(f"report: {len(PdfReader(pdf).pages)} pages, HTML {html.stat().st_size / 1e6:.2f} MB, "
          f"PDF {pdf.stat().st_size / 1e6:.2f} MB")
    print(f"steps 8-9 through the runner: {wall:.1f} s")


if __name__ == "__main__":
    main()
