"""Blast lists: what staff load into a WhatsApp blast app, or click through by hand.

Each list is written three ways: `.xlsx` and `.csv` (phone as E.164 digits, as text,
formula-safe; `;`-separated with a BOM unless `[output]` says otherwise) for the blast
app, and an HTML page of `wa.me` links with the message
pre-filled, one click per alumnus, for staff without a blast app. The HTML page is an
operational tool for staff, not a report: it needs the numbers in its links, but shows
them masked on screen.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from kebekerjaan.core import outfiles
from kebekerjaan.io.excel import DEFAULT_CSV, CsvFormat, write_csv, write_workbook

# Columns every blast list carries, in this order; callers may add more after them.
BLAST_COLUMNS = ["Nomor WA", "Nama", "Kejuruan", "Pesan"]


def wa_digits(e164: str) -> str:
    """'+6281234567890' -> '6281234567890' (what blast apps and wa.me expect)."""
    return "".join(ch for ch in str(e164) if ch.isdigit())


# Percent-encoding of every byte, as quote(..., safe='') does: one numpy table lookup
# for the whole message instead of quote's per-character Python loop, for 40,000 links.
_PERCENT = tuple(chr(b) if chr(b) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                 "0123456789_.-~" else f"%{b:02X}" for b in range(256))


_PERCENT_BYTES = np.array([p.encode("ascii") for p in _PERCENT], dtype="S3")


def url_quote(text: str) -> str:
    # Fixed-width 3-byte cells, NUL-padded for the safe characters, then squeezed.
    raw = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    return _PERCENT_BYTES[raw].tobytes().replace(b"\0", b"").decode("ascii")


def wa_link(e164: str, message: str) -> str:
    return f"https://wa.me/{wa_digits(e164)}?text={url_quote(message)}"


def mask_phone(e164: str) -> str:
    digits = wa_digits(e164)
    return f"+{digits[:5]}****{digits[-3:]}" if len(digits) > 8 else "****"


def write_blast_list(run_dir: Path, stem: str, rows: pd.DataFrame, *, title: str,
                     csv_fmt: CsvFormat = DEFAULT_CSV) -> list[Path]:
    """Write `<stem>.xlsx`, `<stem>.csv` (as `csv_fmt` says) and `<stem>_wa.html` into run_dir.

    `rows` has columns `phone` (E.164), `name`, `kejuruan`, `message`, plus any extra
    columns (already labelled in Indonesian) to carry along.
    """
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    extra = [c for c in rows.columns if c not in ("phone", "name", "kejuruan", "message")]
    table = pd.DataFrame(dict(zip(BLAST_COLUMNS, (
        rows["phone"].map(wa_digits), rows["name"], rows["kejuruan"], rows["message"]))))
    for col in extra:
        table[col] = rows[col].to_numpy()
    xlsx = write_workbook(run_dir / f"{stem}.xlsx", {"Daftar Kirim": table})
    csv_path = write_csv(run_dir / f"{stem}.csv", table, csv_fmt)
    page = outfiles.write_text(run_dir / f"{stem}_wa.html", _wa_page(title, rows))
    return [xlsx, csv_path, page]


def _wa_page(title: str, rows: pd.DataFrame) -> str:
    items = "\n".join(
        f"<tr><td>{i}</td><td>{html.escape(str(r.name))}</td><td>{html.escape(str(r.kejuruan))}</td>"
        f"<td>{html.escape(mask_phone(r.phone))}</td><td><a class='kirim' "
        f"href='{html.escape(wa_link(r.phone, r.message))}' target='_blank' rel='noopener'>"
        "Kirim WA</a></td></tr>"
        for i, r in enumerate(rows.itertuples(index=False), start=1)
    )
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: .4em .8em; }}
a.kirim {{ background: #25d366; color: #fff; padding: .3em .8em; border-radius: 4px;
          text-decoration: none; }}
a.kirim:visited {{ background: #8a8a8a; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>Klik <b>Kirim WA</b> untuk membuka WhatsApp dengan pesan yang sudah terisi. Tombol yang sudah
diklik berubah abu-abu. Jumlah penerima: {len(rows)}.</p>
<table><thead><tr><th>No</th><th>Nama</th><th>Kejuruan</th><th>Nomor</th><th></th></tr></thead>
<tbody>
{items}
</tbody></table></body></html>
"""
