"""National-scale benchmark: steps 7, 8 and 9 on a million alumni and ~3 million answers.

Builds (once, cached outside git) a sample workspace of `--alumni` alumni with
`kebekerjaan sample` and step 1, then, for each measurement, a copy of that store with
about three answers per graduate enrolment (one per survey wave already due) stored the
way `kebekerjaan gabung` brings the answers of many BPVPs into a national store: saved,
not yet matched. It times through `kebekerjaan run` (papermill, as staff run it):

- steps 7-9 on that fresh store (every answer matched, placed, counted, reported);
- steps 7-9 again with nothing new;
- peak memory (RSS) of the largest process (the notebook kernel), from getrusage;
- a plain pandas baseline: read the tables with pd.read_sql and one groupby per
  kejuruan for alumni, respondents and bekerja + wirausaha, so the ratio shows;
- the whole pipeline, as `kebekerjaan demo` runs it, at 5,000 and 50,000 alumni.

Targets on this 2-core machine: steps 7-9 <= 120 s fresh, <= 15 s with nothing new, peak
RSS <= 4 GB; pipeline <= 15 s at 5,000 and <= 40 s at 50,000 alumni.

    .venv/bin/python scripts/bench_national.py [--alumni 1000000] [--cache DIR]
        [--pipeline 5000 50000] [--skip-national] [--timeout 1800]

Form exports are not part of the national figures (a national store receives answers
already read by each BPVP); `scripts/bench_answers.py` times reading them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

AS_OF = date(2026, 11, 27)
BIN = Path(sys.executable).parent
KEB = str(BIN / "kebekerjaan")
STATUSES = np.array(["bekerja", "wirausaha", "mencari", "belum_memungkinkan", "studi"], dtype=object)
STATUS_P = [0.45, 0.15, 0.30, 0.05, 0.05]


# Runs a command, then prints its return code, the peak RSS of its largest process (Linux:
# kilobytes) and the CPU seconds of all its processes (kernel included): on a shared
# machine the CPU time says what the work costs, the wall time what a user waits.
_WRAP = ("import resource, subprocess, sys; "
         "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
         "stderr=subprocess.DEVNULL).returncode; "
         "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
         "print(rc, u.ru_maxrss, u.ru_utime + u.ru_stime)")
CPU = {}  # command -> CPU seconds of its last run


def sh(*args: str, timeout: float | None = None) -> tuple[float, int, float]:
    """(seconds, return code, peak RSS in GB of the command's largest process)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _WRAP, *args], stdout=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        out = proc.communicate(timeout=timeout)[0].split()
        rc, rss, cpu = int(out[0]), int(out[1]) / 1024 / 1024, float(out[2])
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)  # the run and its kernel: this group only
        proc.wait()
        rc, rss, cpu = -1, float("nan"), float("nan")
    CPU[args[1]] = cpu
    return time.perf_counter() - start, rc, rss


def base_workspace(cache: Path, n: int, seed: int) -> Path:
    """Sample + step 1, built once: the store holds the alumni, the inboxes are emptied."""
    ws = cache / f"alumni-{n}-seed-{seed}"
    done = ws / "data" / "alumni_only.sqlite"
    if done.exists():
        return ws
    shutil.rmtree(ws, ignore_errors=True)
    print(f"membangun folder kerja {n:,} alumni (sekali, disimpan di {cache}) ...", flush=True)
    secs, rc, _ = sh(KEB, "sample", str(ws), "--alumni", str(n), "--seed", str(seed))
    assert rc == 0, "kebekerjaan sample gagal"
    print(f"  kebekerjaan sample: {secs:.0f} s", flush=True)
    for inbox in ("respons", "wa"):
        for f in (ws / "data" / "masuk" / inbox).iterdir():
            f.unlink()
    secs, rc, _ = sh(KEB, "run", "--workspace", str(ws), "--steps", "1", "--as-of", AS_OF.isoformat(),
                  "--no-progress")
    assert rc == 0, "langkah 1 gagal"
    print(f"  langkah 1 ({n:,} alumni): {secs:.0f} s", flush=True)
    shutil.copyfile(ws / "data" / "kebekerjaan.sqlite", done)
    return ws


def add_answers(store_path: Path, seed: int = 5) -> int:
    """About 1.5 answers per graduate enrolment and survey wave already due, unmatched.

    Identity as people give it: 60% a NIK, 25% only a phone, 15% only a name (a third of
    those misspelt); form answers (70%) also give kejuruan and angkatan.
    """
    from kebekerjaan.rules.graduates import ENROLMENT_JOIN, GRADUATE_SQL
    from kebekerjaan.rules.waves import add_months

    con = sqlite3.connect(store_path)
    enrol = pd.read_sql_query(
        "SELECT e.nik, a.name, a.phone, e.kejuruan, e.angkatan, e.end_date "
        f"FROM {ENROLMENT_JOIN} WHERE {GRADUATE_SQL}", con)
    rng = np.random.default_rng(seed)
    ends = {d: date.fromisoformat(d) for d in pd.unique(enrol["end_date"])}
    parts = []
    for wave in (1, 3, 6):
        due = enrol["end_date"].map({d: add_months(e, wave) for d, e in ends.items()})
        ok = (due + timedelta(days=14) <= AS_OF) & (rng.random(len(enrol)) < 0.85)
        part = enrol[ok.to_numpy()].copy()
        days = rng.integers(0, 14, len(part))
        part["answered_at"] = [f"{(d + timedelta(days=int(k))).isoformat()}T10:00:00"
                               for d, k in zip(due[ok.to_numpy()], days)]
        parts.append(part)
    ans = pd.concat(parts, ignore_index=True)
    # Half answer a wave twice (the form, then the WhatsApp group): the later one counts.
    again = ans[rng.random(len(ans)) < 0.5].copy()
    again["answered_at"] = [f"{a[:10]}T20:00:00" for a in again["answered_at"]]
    ans = pd.concat([ans, again], ignore_index=True)
    n = len(ans)
    kind = rng.random(n)
    form = rng.random(n) < 0.7
    names = ans["name"].to_numpy(dtype=object).copy()
    typo = (kind >= 0.85) & (rng.random(n) < 0.33)
    names[typo] = [s[:-2] + s[-1] for s in names[typo]]
    frame = pd.DataFrame({
        "answer_key": [f"bench:{i}" for i in range(n)],
        "source": np.where(form, "formulir", "whatsapp"),
        "answered_at": ans["answered_at"].to_numpy(),
        "given_nik": np.where(kind < 0.6, ans["nik"].to_numpy(dtype=object), None),
        "given_phone": np.where((kind >= 0.6) & (kind < 0.85), ans["phone"].to_numpy(dtype=object),
                                None),
        "given_name": np.where(kind >= 0.85, names, None),
        "given_kejuruan": np.where(form, ans["kejuruan"].to_numpy(dtype=object), None),
        "given_angkatan": np.where(form, ans["angkatan"].to_numpy(dtype=object), None),
        "status": rng.choice(STATUSES, size=n, p=STATUS_P),
        "created_at": "2026-11-27T00:00:00",
    }).sort_values("answered_at", kind="stable")
    cols = list(frame.columns)
    with con:
        con.executemany(f"INSERT INTO answers ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                        frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None))
    con.close()
    return n


def run_steps(ws: Path, steps: str, timeout: float) -> dict:
    secs, rc, rss = sh(KEB, "run", "--workspace", str(ws), "--steps", steps, "--as-of",
                       AS_OF.isoformat(), "--no-progress", timeout=timeout)
    runs = sorted((ws / "outputs").iterdir(), key=lambda p: p.stat().st_mtime)
    manifest = json.loads((runs[-1] / "manifest.json").read_text(encoding="utf-8"))
    return {"wall": secs, "rc": rc, "rss": rss, "cpu": CPU["run"],
            "steps": {s["step"]: s for s in manifest["steps"]}}


def baseline(store_path: Path) -> tuple[float, int]:
    """The plain pandas way: read the tables, one groupby per kejuruan."""
    start = time.perf_counter()
    con = sqlite3.connect(store_path)
    enrol = pd.read_sql("SELECT id, kejuruan FROM enrolments", con)
    answers = pd.read_sql("SELECT enrolment_id, status FROM answers WHERE is_latest = 1", con)
    con.close()
    answers["employed"] = answers["status"].isin(["bekerja", "wirausaha"])
    per = answers.groupby("enrolment_id").agg(employed=("employed", "max"))
    table = (enrol.join(per, on="id").assign(responded=lambda f: f["employed"].notna())
             .groupby("kejuruan").agg(alumni=("id", "size"), respondents=("responded", "sum"),
                                      employed=("employed", "sum")))
    assert len(table)
    return time.perf_counter() - start, len(enrol) + len(answers)


def verdict(ok: bool) -> str:
    return "TERCAPAI" if ok else "BELUM TERCAPAI"


def national(args) -> list[str]:
    cache = Path(args.cache)
    ws = base_workspace(cache, args.alumni, args.seed)
    work = cache / "run"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(ws, work, ignore=shutil.ignore_patterns("outputs", "alumni_only.sqlite"))
    (work / "outputs").mkdir()
    store_path = work / "data" / "kebekerjaan.sqlite"
    shutil.copyfile(ws / "data" / "alumni_only.sqlite", store_path)
    start = time.perf_counter()
    n_answers = add_answers(store_path)
    print(f"jawaban disimpan (belum dicocokkan, seperti sesudah gabung): {n_answers:,} "
          f"dalam {time.perf_counter() - start:.0f} s", flush=True)
    con = sqlite3.connect(store_path)
    n_alumni = con.execute("SELECT COUNT(*) FROM alumni").fetchone()[0]
    n_enrol = con.execute("SELECT COUNT(*) FROM enrolments").fetchone()[0]
    con.close()
    size_gb = store_path.stat().st_size / 1e9

    fresh = run_steps(work, "7,8,9", args.timeout)
    again = run_steps(work, "7,8,9", args.timeout)
    base_secs, base_rows = baseline(store_path)

    lines = [f"Basis data nasional: {n_alumni:,} alumni, {n_enrol:,} pelatihan, {n_answers:,} jawaban, "
             f"{size_gb:.2f} GB", ""]
    lines.append(f"{'proses':<34}{'detik':>9}{'baris/detik':>14}{'x baseline':>12}  target")
    base_rate = base_rows / base_secs
    lines.append(f"{'baseline pandas (read_sql+groupby)':<34}{base_secs:>9.1f}{base_rate:>14,.0f}"
                 f"{1:>12.2f}")
    for label, res, target in (("langkah 7-9, impor baru", fresh, 120.0),
                               ("langkah 7-9, tanpa data baru", again, 15.0)):
        for step in (7, 8, 9):
            s = res["steps"].get(step, {})
            secs = s.get("duration_s", float("nan"))
            rate = (n_answers + n_enrol) / secs if secs == secs and secs else float("nan")
            lines.append(f"{f'  langkah {step} ({label})':<34}{secs:>9.1f}{rate:>14,.0f}"
                         f"{rate / base_rate:>12.2f}  {s.get('status', 'tidak jalan')}")
        total = sum(res["steps"].get(k, {}).get("duration_s", float("inf")) for k in (7, 8, 9))
        ok = res["rc"] == 0 and total <= target
        lines.append(f"{label + ' (jumlah)':<34}{total:>9.1f}{'':>14}{'':>12}  <= {target:.0f} s: "
                     f"{verdict(ok)} (seluruh proses {res['wall']:.0f} s termasuk salinan "
                     f"pengaman basis data dan kernel; waktu CPU {res['cpu']:.0f} s)")
    rss = max(fresh["rss"], again["rss"])
    lines.append(f"{'memori puncak (RSS)':<34}{rss:>8.2f}G{'':>26}  <= 4 GB: {verdict(rss <= 4.0)}")
    return lines


def pipelines(sizes: list[int], timeout: float) -> list[str]:
    lines = []
    for n, target in zip(sizes, (15.0, 40.0, 40.0)):
        folder = Path(tempfile.mkdtemp(prefix=f"kebekerjaan-bench-{n}-"))
        secs, rc, _ = sh(KEB, "demo", str(folder / "ws"), "--alumni", str(n), timeout=timeout)
        lines.append(f"{f'seluruh proses (demo) {n:,} alumni':<34}{secs:>9.1f}{n / secs:>14,.0f}"
                     f"{'':>12}  <= {target:.0f} s: {verdict(rc == 0 and secs <= target)} "
                     f"(waktu CPU {CPU['demo']:.0f} s)")
        shutil.rmtree(folder, ignore_errors=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alumni", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "kebekerjaan-bench-national"))
    parser.add_argument("--pipeline", type=int, nargs="*", default=[5_000, 50_000])
    parser.add_argument("--skip-national", action="store_true")
    parser.add_argument("--timeout", type=float, default=1800.0, help="per run, seconds")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    lines = [] if args.skip_national else national(args)
    lines += pipelines(args.pipeline, args.timeout)
    lines.append(f"beban mesin (load average 1 menit) di awal / akhir: {load:.1f} / "
                 f"{os.getloadavg()[0]:.1f} pada {os.cpu_count()} inti")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
