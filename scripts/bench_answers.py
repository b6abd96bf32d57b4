"""Survey-answer input speed: a generated WhatsApp chat export and Google Forms exports.

Prints lines (or rows) per second for parse_chat, classify_messages, read_form_export
and matching. Targets on a 2-core machine: a 200k-line chat parsed in under 5 s; 100k
answers matched against 100k alumni in under 10 s; with `--match-scale`, the cost per
answer flat (linear blocking) from 100k to 3M answers against 1M alumni.

    .venv/bin/python scripts/bench_answers.py [--lines 200000] [--rows 20000] [--match 100000]
        [--match-scale 100000 1000000 3000000 --match-alumni 1000000]
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from kebekerjaan.core.config import load_settings
from kebekerjaan.steps.answers.forms import read_form_export
from kebekerjaan.steps.answers.whatsapp import classify_messages, parse_chat

NNBSP, LRM = "\u202f", "\u200e"
TEXTS = [
    "Alhamdulillah diterima di PT Maju Jaya Kendari",
    "sdh kerja di CV Sinar Las bagian welder",
    "belum kerja kak, masih cari",
    "buka usaha bengkel motor di rumah",
    "lanjut kuliah di UHO",
    "Selamat pagi semua 🙏",
    "terima kasih infonya pak",
    "<Media tidak disertakan>",
    "Pesan ini telah dihapus",
    "siapa yang sudah kerja?",
    "mantap 👍",
    "jualan online baju",
]
SYSTEM = [
    "{who} bergabung menggunakan tautan undangan grup ini",
    "{who} keluar",
    "Admin BPVP menambahkan {who}",
    "Admin BPVP mengubah subjek dari \"A\" ke \"B\"",
]


def make_chat(n_lines: int, seed: int = 7) -> str:
    """An Android Indonesian export mixing every line kind, about `n_lines` lines."""
    rng = random.Random(seed)
    senders = [f"+62 812-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}" for _ in range(300)]
    senders += [f"Alumni {i}" for i in range(300)]
    t = datetime(2024, 1, 13, 8, 0)
    out: list[str] = []
    while len(out) < n_lines:
        t += timedelta(minutes=rng.randint(0, 7))
        stamp = f"{t:%d/%m/%y %H.%M}"
        r = rng.random()
        if r < 0.05:
            out.append(f"{stamp} - " + rng.choice(SYSTEM).format(who=rng.choice(senders)))
        else:
            who = rng.choice(senders)
            out.append(f"{stamp} - {who}: {rng.choice(TEXTS)}")
            if r > 0.9:
                out.append("baris lanjutan pesan yang panjang")
                out.append(f"{LRM}dan satu lagi")
    return "\n".join(out[:n_lines]) + "\n"


def make_form(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    header = ["Cap waktu", "NIK", "Nama lengkap", "Nomor WhatsApp yang aktif", "Apa status Anda saat ini?",
              "Nama perusahaan/instansi tempat Anda bekerja atau nama usaha Anda",
              "Bagaimana Anda mendapatkan pekerjaan ini? (boleh lebih dari satu)"]
    statuses = ["Bekerja", "Wirausaha", "Belum bekerja dan sedang mencari kerja", "Melanjutkan pendidikan"]
    t = datetime(2026, 11, 1, 8, 0)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i in range(rows):
            t += timedelta(seconds=rng.randint(1, 90))
            w.writerow([f"{t:%d/%m/%Y %H.%M.%S}", f"7471{rng.randint(10**11, 10**12 - 1)}",
                        f"Alumni {i}", f"0812{rng.randint(10**7, 10**8 - 1)}", rng.choice(statuses),
                        f"PT Contoh {i % 50}", "Media sosial, Teman atau keluarga"])


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs="*", default=[20_000, 200_000])
    parser.add_argument("--rows", type=int, nargs="*", default=[2_000, 20_000])
    parser.add_argument("--match", type=int, default=100_000, help="alumni and answers to match")
    parser.add_argument("--match-scale", type=int, nargs="*", default=[],
                        help="answer counts matched against --match-alumni alumni, to show the "
                             "cost per answer stays flat (e.g. 100000 1000000 3000000)")
    parser.add_argument("--match-alumni", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="keep generated files here")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="kebekerjaan-bench-answers-"))
    folder.mkdir(parents=True, exist_ok=True)
    settings = load_settings(None)
    print(f"{'langkah':<34}{'baris':>9}{'detik':>9}{'baris/detik':>14}")
    for n in args.lines:
        path = folder / f"chat_{n}.txt"
        path.write_text(make_chat(n), encoding="utf-8")
        chat, secs = timed(partial(parse_chat, path, settings))
        print(f"{'parse_chat ' + path.name:<34}{chat.lines:>9}{secs:>9.2f}{chat.lines / secs:>14,.0f}")
        classified, secs = timed(partial(classify_messages, chat.messages, settings))
        n_msg = len(classified)
        print(f"{'classify_messages':<34}{n_msg:>9}{secs:>9.2f}{n_msg / secs:>14,.0f}  (pesan)")
        # Real chats repeat fewer texts than this generator: time every text unique too.
        unique = chat.messages.assign(text=chat.messages["text"] + [f" #{i}" for i in range(n_msg)])
        _, secs = timed(partial(classify_messages, unique, settings))
        print(f"{'classify_messages (teks unik)':<34}{n_msg:>9}{secs:>9.2f}{n_msg / secs:>14,.0f}  (pesan)")
    for n in args.rows:
        path = folder / f"respons_{n}.csv"
        make_form(path, n)
        result, secs = timed(partial(read_form_export, path, settings))
        rows = len(result.answers) + len(result.rejects)
        print(f"{'read_form_export ' + path.name:<34}{rows:>9}{secs:>9.2f}{rows / secs:>14,.0f}")
    if args.match:
        bench_matching(args.match)
    if args.match_scale:
        bench_matching_scale(args.match_scale, args.match_alumni)


def _alumni(n: int):
    import pandas as pd

    from kebekerjaan.demo.sample import alumni_frame
    from kebekerjaan.io.normalize import normalize_name

    raw = alumni_frame(n, seed=11, messy=False)
    return pd.DataFrame({
        "nik": [f"74{i:014d}" for i in range(n)],
        "name": normalize_name(raw["Nama Lengkap"]).to_numpy(),
        "phone": [f"+628120{i:07d}" for i in range(n)],
        "kejuruan": raw["Kejuruan"].to_numpy(), "angkatan": raw["Angkatan"].astype(str).to_numpy(),
    })


def _answers(alumni, n: int, seed: int = 3):
    """60% give a NIK, 25% only a phone, 15% only a name (a third of those misspelt),
    the mix a form plus a WhatsApp group produce; half of the name-only ones (the form)
    give kejuruan and angkatan too."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(alumni), size=n)
    kind = rng.random(n)
    names = alumni["name"].to_numpy()[pick].copy()
    typo = (kind >= 0.85) & (rng.random(n) < 0.33)
    names[typo] = [s[:-2] + s[-1] for s in names[typo]]
    form = rng.random(n) < 0.5
    return pd.DataFrame({
        "nik": np.where(kind < 0.6, alumni["nik"].to_numpy()[pick], None),
        "phone": np.where((kind >= 0.6) & (kind < 0.85), alumni["phone"].to_numpy()[pick], None),
        "name": names,
        "kejuruan": np.where(form, alumni["kejuruan"].to_numpy()[pick], None),
        "angkatan": np.where(form, alumni["angkatan"].to_numpy()[pick], None),
    }), kind >= 0.85


def bench_matching(n: int) -> None:
    """n answers against n alumni."""
    from kebekerjaan.steps.answers.matching import match_answers

    alumni = _alumni(n)
    answers, _ = _answers(alumni, n)
    out, secs = timed(partial(match_answers, answers, alumni))
    print(f"{'match_answers':<34}{n:>9}{secs:>9.2f}{n / secs:>14,.0f}  (jawaban; target < 10 s: "
          f"{'TERCAPAI' if secs < 10 else 'BELUM'})")
    print("  " + ", ".join(f"{k} {v}" for k, v in out["match_status"].value_counts().items()))


def bench_matching_scale(counts: list[int], n_alumni: int) -> None:
    """The same alumni, more and more answers: blocking is linear when the cost per
    answer (and per name-only answer) stays flat. Answers not compared are counted:
    each goes to review with its reason, none is dropped silently."""
    from kebekerjaan.steps.answers.matching import ExactKeys, NameIndex, match_answers

    alumni = _alumni(n_alumni)
    (names, build), keys = timed(partial(NameIndex, alumni[["nik", "name"]],
                                         alumni[["nik", "kejuruan", "angkatan"]])), ExactKeys(alumni)
    print(f"{'indeks nama ' + f'{n_alumni:,} alumni':<34}{n_alumni:>9}{build:>9.2f}"
          f"{n_alumni / build:>14,.0f}")
    per = []
    for n in counts:
        answers, name_only = _answers(alumni, n, seed=n)
        out, secs = timed(partial(match_answers, answers, None, names=names, keys=keys))
        n_names = int(name_only.sum())
        skipped = int(out["match_note"].notna().sum())
        per.append(secs / n)
        print(f"{'match_answers ' + f'{n:,} jawaban':<34}{n:>9}{secs:>9.2f}{n / secs:>14,.0f}"
              f"  ({secs / n * 1e6:.1f} µs/jawaban; {n_names:,} hanya nama; {skipped:,} tidak "
              "dibandingkan -> tinjauan beralasan)")
    if len(per) > 1:
        ratio = max(per) / min(per)
        print(f"  biaya per jawaban terbesar/terkecil: {ratio:.2f} (linear bila mendekati 1; "
              f"target <= 1.5: {'TERCAPAI' if ratio <= 1.5 else 'BELUM TERCAPAI'})")


if __name__ == "__main__":
    main()
