"""Report tables as HTML: Indonesian headers, numbers through fmt, a <thead> that repeats
on every printed page, and personal data masked (privacy.for_display)."""

from __future__ import annotations

from html import escape

import pandas as pd

from kebekerjaan.io.formatting import angka, persen, tanggal
from kebekerjaan.io.privacy import for_display
from kebekerjaan.rules.labels import QUALITY_LABELS, REACH_LABELS, REPORT_INDICATORS, SHORT_INDICATORS
from kebekerjaan.rules.statuses import HEADERS, SHORT_HEADERS
from kebekerjaan.steps.recap.breakdowns import top_groups
from kebekerjaan.steps.recap.model import QUALITY_KEYS, RATE_COLUMNS, REACH_KEYS, SUMMARY_COLUMNS
from kebekerjaan.steps.report.html import Html
from kebekerjaan.steps.report.narrative import capital, group_frame, period_name

# Recap columns: header and kind, in the order a breakdown table shows them.
RECAP_COLUMNS = tuple(
    (code, {**REPORT_INDICATORS, **HEADERS}[code], "persen" if code in RATE_COLUMNS else "angka")
    for code in SUMMARY_COLUMNS)
BREAKDOWN_TITLES = {
    "kejuruan": "Kejuruan", "program": "Program pelatihan", "angkatan": "Angkatan",
    "gelombang": "Gelombang survei", "jenis_kelamin": "Jenis kelamin", "kabkota": "Kabupaten/kota",
    "bpvp": "BPVP",
}
OTHER_GROUPS = "Lainnya"
_FORMAT = {"angka": angka, "persen": persen, "tanggal": tanggal,
           "teks": lambda v: "" if v is None or (isinstance(v, float) and v != v) else str(v)}


def html_table(frame: pd.DataFrame, columns: list[tuple[str, str, str]], *, caption: str = "",
               css: str = "", empty: str = "Tidak ada data.") -> Html:
    """`columns` = (column, header, kind) with kind angka | persen | tanggal | teks."""
    if frame.empty:
        return Html(f'<p class="kosong">{escape(caption + ": " if caption else "")}{escape(empty)}</p>')
    head = "".join(f'<th class="{"num" if kind in ("angka", "persen") else "teks"}">{escape(title)}</th>'
                   for _, title, kind in columns)
    body = []
    for _, row in frame.iterrows():
        cells = "".join(
            f'<td class="{"num" if kind in ("angka", "persen") else "teks"}">'
            f"{escape(_FORMAT[kind](row.get(col)))}</td>"
            for col, _, kind in columns)
        body.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return Html(f'<table class="laporan-tabel {css}">{cap}<thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(body)}</tbody></table>")


def summary_table(recap) -> Html:
    """Indicators down, periods across: previous period, this period, change, cumulative."""
    s = recap.summary
    cols = []
    if "periode_sebelumnya" in s.index:
        cols.append(("periode_sebelumnya", capital(period_name(recap.period.previous()))))
    cols.append(("periode", capital(period_name(recap.period))))
    if "kumulatif" in s.index:
        cols.append(("kumulatif", f"Kumulatif s.d. {tanggal(recap.as_of)}"))
    head = "<th class='teks'>Indikator</th>" + "".join(f"<th class='num'>{escape(t)}</th>" for _, t in cols)
    rows = []
    for col, title, kind in RECAP_COLUMNS:
        cells = "".join(f"<td class='num'>{_FORMAT[kind](s.loc[r, col])}</td>" for r, _ in cols)
        strong = " class='utama'" if col in RATE_COLUMNS else ""
        rows.append(f"<tr{strong}><td class='teks'>{escape(title)}</td>{cells}</tr>")
    return Html(f"<table class='laporan-tabel ringkasan'><thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")


# Shorter headers for the many-column breakdown tables (definitions explain them).
# Soft hyphens (\u00ad) mark where a header may break in a narrow column.
_SHORT = {**SHORT_INDICATORS, **SHORT_HEADERS}


def breakdown_table(recap, key: str, max_rows: int = 0, workbook: str = "",
                    sheet: str = "") -> Html:
    """One breakdown; a long one shows its `max_rows` largest groups and one "Lainnya" row,
    with a note naming the workbook sheet that holds every group."""
    frame = recap.by.get(key)
    if frame is None:
        return Html("")
    frame, rest = top_groups(group_frame(frame, key), max_rows, OTHER_GROUPS)
    columns = [("kelompok", BREAKDOWN_TITLES.get(key, key), "teks"),
               *((c, _SHORT.get(c, title), kind) for c, title, kind in RECAP_COLUMNS)]
    table = html_table(frame, columns, css="rincian")
    if not rest:
        return table
    what = BREAKDOWN_TITLES.get(key, key).lower()
    where = f" pada lembar '{sheet}' berkas {workbook}" if workbook and sheet else " pada berkas rekap"
    note = (f"Ditampilkan {angka(max_rows)} dari {angka(max_rows + rest)} kelompok {what} dengan "
            f"alumni terbanyak; {angka(rest)} kelompok lainnya digabung pada baris terakhir. "
            f"Rincian setiap kelompok ada{where} (langkah 8).")
    return table + Html(f'<p class="catatan">{escape(note)}</p>')


def distribution_table(frame: pd.DataFrame, title: str) -> Html:
    """kelompok, jumlah, persen (fraction or 0-100, shown as 41,8%)."""
    frame = frame.copy()
    frame["persen"] = as_fraction(frame["persen"]) if "persen" in frame else float("nan")
    return html_table(frame, [("kelompok", title, "teks"), ("jumlah", "Jumlah", "angka"),
                              ("persen", "Persen", "persen")], css="sebaran")


def as_fraction(series: pd.Series) -> pd.Series:
    """Shares as fractions whether the recap gave 0.418 or 41.8."""
    values = pd.to_numeric(series, errors="coerce")
    return values / 100 if values.max(skipna=True) > 1.0 + 1e-9 else values


def top_employers_table(frame: pd.DataFrame) -> Html:
    frame = for_display(frame.reset_index(drop=True))
    frame.insert(0, "no", range(1, len(frame) + 1))
    return html_table(frame, [("no", "No", "angka"), ("nama", "Tempat kerja / usaha", "teks"),
                              ("jumlah", "Jumlah alumni", "angka")], css="sebaran")


def employed_table(frame: pd.DataFrame, *, show_names: bool) -> Html:
    """Employed and self-employed alumni: NIK masked, no phone, names only if allowed."""
    frame = for_display(frame.reset_index(drop=True))
    frame.insert(0, "no", range(1, len(frame) + 1))
    frame["pelatihan"] = [
        " · ".join(str(v) for v in (r.get("program"), _angkatan(r.get("angkatan"))) if v)
        for _, r in frame.iterrows()]
    frame["status"] = [capital(str(v)) if _filled(v) else "" for v in frame.get("status", [])]
    frame["tempat"] = [
        " — ".join(str(v) for v in (r.get("tempat_kerja"), r.get("jabatan")) if _filled(v))
        for _, r in frame.iterrows()]
    columns = [("no", "No", "angka"), ("nik", "NIK", "teks")]
    if show_names:
        columns.append(("nama", "Nama", "teks"))
    columns += [("kejuruan", "Kejuruan", "teks"), ("pelatihan", "Program · angkatan", "teks"),
                ("status", "Status", "teks"), ("tempat", "Tempat kerja/usaha — jabatan", "teks"),
                ("mulai", "Mulai", "tanggal")]
    return html_table(frame, columns, css="daftar", empty="Belum ada alumni yang tercatat bekerja.")


def _filled(v) -> bool:
    return v is not None and not (isinstance(v, float) and v != v) and str(v).strip() != ""


def _angkatan(v) -> str:
    return f"angkatan {v}" if _filled(v) else ""


def quality_table(quality: dict) -> Html:
    labels = {**QUALITY_LABELS, **REACH_LABELS}
    rows = pd.DataFrame([(labels[k], quality.get(k, 0)) for k in (*QUALITY_KEYS, *REACH_KEYS)],
                        columns=["hal", "jumlah"])
    return html_table(rows, [("hal", "Hal", "teks"), ("jumlah", "Jumlah", "angka")], css="sebaran")


def definitions_table(definitions) -> Html:
    frame = pd.DataFrame(list(definitions), columns=["istilah", "definisi"])
    return html_table(frame, [("istilah", "Istilah", "teks"), ("definisi", "Definisi", "teks")],
                      css="definisi")
