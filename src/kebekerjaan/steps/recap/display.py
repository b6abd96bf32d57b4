"""How notebook 08 shows a recap: Indonesian headers, rates as "45,2%" text."""

from __future__ import annotations

import pandas as pd

from kebekerjaan.steps.recap.model import COHORT_KEYS, RATE_COLUMNS, Recap
from kebekerjaan.steps.recap.workbook import HEADERS, for_staff


def _percent_text(value) -> str:
    return "" if value is None or value != value else f"{value * 100:.1f}%".replace(".", ",")


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A recap frame for the notebook: Indonesian headers, rates as "45,2%" text."""
    out = frame.copy()
    for col in (*RATE_COLUMNS, "persen"):
        if col in out:
            out[col] = out[col].map(_percent_text)
    return for_staff(out)


def summary_table(recap: Recap) -> pd.DataFrame:
    """The summary rows with their periods spelled out, rates as percentages."""
    frame = display_frame(recap.summary)
    frame.index = [{"periode": recap.period.title,
                    "periode_sebelumnya": f"{recap.period.previous().title} (sebelumnya)",
                    "kumulatif": f"Kumulatif s.d. {recap.as_of.strftime('%d-%m-%Y')}"}[i]
                   for i in recap.summary.index]
    return frame


def headline(recap: Recap) -> str:
    """Both employment rates in one sentence, each with its denominator."""
    now = recap.summary.loc["periode"]
    change = recap.change_points("tpk_seluruh")
    moved = "" if change != change else f" ({change:+.1f} poin dari periode sebelumnya)".replace(
        ".", ",")
    return (
        f"{recap.period.title}: {int(now['alumni'])} alumni, {int(now['merespons'])} merespons "
        f"(tingkat respons {_percent_text(now['tingkat_respons'])}). "
        f"TPK responden (bekerja + wirausaha dibagi yang merespons): "
        f"{_percent_text(now['tpk_responden'])}. "
        f"TPK seluruh alumni (dibagi semua alumni periode; yang belum merespons dihitung "
        f"belum bekerja): "
        f"{_percent_text(now['tpk_seluruh'])}{moved}."
    )


def cohort_matrix(recap: Recap) -> pd.DataFrame:
    """Cohorts down, survey waves across: "bekerja+wirausaha/responden (persen)"."""
    c = recap.cohorts
    if c.empty:
        return pd.DataFrame()
    text = [f"{bw}/{n} ({_percent_text(p)})" if n else "0 responden"
            for bw, n, p in zip(c["bekerja_wirausaha"], c["responden"], c["persen"])]
    matrix = c.assign(sel=text, kolom=c["gelombang"].map(lambda w: f"{w} bulan")).pivot(
        index=COHORT_KEYS, columns="kolom", values="sel")
    matrix = matrix[sorted(matrix.columns, key=lambda s: int(s.split()[0]))].fillna("belum jatuh tempo")
    matrix.index.names = [HEADERS[k] for k in COHORT_KEYS]
    matrix.columns.name = None
    return matrix


# The files step 8 writes, and what each is for (the notebook's last table).
WRITTEN = {
    "rekap_kebekerjaan_{periode}.xlsx": "Rekap lengkap: ringkasan, rincian, daftar alumni, definisi",
    "smile_{periode}.xlsx": "Baris untuk dimasukkan ke SMILe Kemnaker",
}


def written_files(run_dir, recap: Recap) -> pd.DataFrame:
    """The workbooks of this step in the run folder, as a table staff read."""
    from pathlib import Path

    rows = []
    for pattern, what in WRITTEN.items():
        path = Path(run_dir) / pattern.format(periode=recap.period.label)
        if path.exists():
            rows.append({"Berkas": path.name, "Isi": what, "Folder": str(path.parent)})
    return pd.DataFrame(rows, columns=["Berkas", "Isi", "Folder"])
