"""Intake speed: SIAPkerja-style exports of 10k and 100k rows, xlsx and csv.

Prints rows per second for the whole intake (read, normalize, validate, merge into a
fresh store), a bare calamine read, and a plain pandas.read_excel (openpyxl) baseline.
Target: a 100k-row xlsx in under 5 s on a 2-core machine.

    .venv/bin/python scripts/bench_intake.py [--sizes 10000 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

import kebekerjaan.io.schemas  # noqa: F401  (import cost is start-up, not rows: keep it out of the timing)
from kebekerjaan.core import store
from kebekerjaan.core.workspace import init_workspace
from kebekerjaan.demo.sample import alumni_frame
from kebekerjaan.io.normalize import KejuruanMapper
from kebekerjaan.io.tables import read_table
from kebekerjaan.steps.alumni import REQUIRED, _merge_into_store, normalize_alumni

AS_OF = date(2026, 11, 27)


def write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Peserta")
    sheet.append(["DAFTAR PESERTA PELATIHAN"])
    sheet.append([])
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        sheet.append(["" if v is None else v for v in row])
    book.save(path)


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def intake(path: Path, ws, settings, mapper) -> int:
    table = read_table(path, settings.columns["alumni"], REQUIRED)
    accepted, _ = normalize_alumni(table, mapper, AS_OF, settings.intake.program_acronyms)
    con = store.connect(ws.store_path)
    try:
        # The same wrapping as the real import (steps.collect_alumni._import_file).
        with store.foreign_keys_off(con), store.transaction(con):
            import_id = store.log_import(con, kind="alumni", file_name=path.name,
                                         sha256=path.name, status="ok")
            _merge_into_store(con, accepted, import_id)
    finally:
        con.close()
    return len(table.frame)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--keep", type=Path, default=None, help="keep generated files here")
    parser.add_argument("--repeat", type=int, default=3,
                        help="imports per file, each into a fresh store; the best is printed "
                             "(as timeit does: a shared machine only ever adds time)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="kebekerjaan-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'berkas':<28}{'baris':>9}{'detik':>9}{'baris/detik':>14}  keterangan")
    for n in args.sizes:
        frame = alumni_frame(n, seed=7, as_of=AS_OF)
        csv_path, xlsx_path = folder / f"alumni_{n}.csv", folder / f"alumni_{n}.xlsx"
        frame.to_csv(csv_path, sep=";", index=False)
        write_xlsx(frame, xlsx_path)
        for path in (xlsx_path, csv_path):
            ws = init_workspace(folder / f"ws_{path.stem}_{path.suffix[1:]}")
            settings = ws.settings()
            mapper = KejuruanMapper([(k.name, list(k.aliases)) for k in settings.kejuruan])
            runs = []
            for _ in range(args.repeat):
                ws.store_path.unlink(missing_ok=True)
                runs.append(timed(lambda: intake(path, ws, settings, mapper)))
            rows, secs = min(runs, key=lambda r: r[1])
            note = f"impor lengkap (baca + normalisasi + simpan), terbaik dari {args.repeat}"
            if path.suffix == ".xlsx" and n >= 100_000:
                note += f"; target < 5 s: {'TERCAPAI' if secs < 5 else 'BELUM'}"
            print(f"{path.name:<28}{rows:>9}{secs:>9.2f}{rows / secs:>14,.0f}  {note}")
        import python_calamine as pc

        _, secs = timed(lambda: pc.CalamineWorkbook.from_path(str(xlsx_path))
                        .get_sheet_by_index(0).to_python())
        print(f"{xlsx_path.name:<28}{n:>9}{secs:>9.2f}{n / secs:>14,.0f}  baca calamine saja")
        _, secs = timed(lambda: pd.read_excel(xlsx_path, engine="openpyxl", header=2, dtype=str))
        print(f"{xlsx_path.name:<28}{n:>9}{secs:>9.2f}{n / secs:>14,.0f}  "
              "pembanding: pandas.read_excel (openpyxl)")
    print(f"\nBerkas uji ada di {folder}")


if __name__ == "__main__":
    main()
