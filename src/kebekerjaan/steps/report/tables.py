"""Report tables as HTML: Indonesian headers, numbers through fmt, a <thead> that repeats
on every printed page, and personal data masked (privacy.for_display)."""

from __future__ import annotations

from html import escape

import pandas as pd

from kebekerjaan.io.formatting import angka, desimal, persen, tanggal
from kebekerjaan.io.privacy import for_display
from kebekerjaan.rules.labels import QUALITY_LABELS, REACH_LABELS, REPORT_INDICATORS, SOURCE_LABELS
from kebekerjaan.rules.statuses import HEADERS
from kebekerjaan.steps.recap.breakdowns import top_groups
from kebekerjaan.steps.recap.model import QUALITY_KEYS, RATE_COLUMNS, REACH_KEYS, SUMMARY_COLUMNS
from kebekerjaan.steps.report.html import Html
from kebekerjaan.steps.report.narrative import (
    capital,
    comparable,
    group_frame,
    options_or_default,
    period_name,
    provisional,
    shown_points,
)
from kebekerjaan.steps.report.options import RATE_NAMES, ReportOptions

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
_CELL_CLASS = {"angka": "num", "persen": "num", "tanggal": "teks tgl"}
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
        body.append("".join(
            f'<td class="{_CELL_CLASS.get(kind, "teks")}">'
            f"{escape(_FORMAT[kind](row.get(col)))}</td>"
            for col, _, kind in columns))
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return Html(f'<table class="laporan-tabel {css}">{cap}<thead><tr>{head}</tr></thead>'
                f"{row_groups(body)}</table>")


KEEP_ROWS = 3  # rows a table keeps together at its start and at its end


def row_groups(rows: list[str]) -> str:
    """Table rows (their cells' markup) as row groups a page never splits badly: an empty
    first group that stays with the next (WeasyPrint otherwise lets the first group break
    whatever it asks), the first KEEP_ROWS rows and the last KEEP_ROWS rows each as one
    unbreakable group, the rest between them. So a table never starts at a page foot with
    fewer than three rows, nor leaves fewer than three on its last page."""
    trs = [("<tr class='genap'>" if i % 2 else "<tr>") + cells + "</tr>"
           for i, cells in enumerate(rows)]
    if len(trs) <= 2 * KEEP_ROWS:
        groups = [("ujung", trs)]
    else:
        groups = [("ujung", trs[:KEEP_ROWS]), ("", trs[KEEP_ROWS:-KEEP_ROWS]),
                  ("ujung", trs[-KEEP_ROWS:])]
    return '<tbody class="pengait"></tbody>' + "".join(
        (f"<tbody class='{css}'>" if css else "<tbody>") + "".join(part) + "</tbody>"
        for css, part in groups)


def summary_table(recap, opts: ReportOptions | None = None) -> Html:
    """Indicators down, periods across: previous period, this period, cumulative; the
    official rate marked, and a note when the previous period is too small to compare."""
    opts = options_or_default(opts)
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
        css = ""
        if col == opts.official_rate:
            title, css = f"{title} (angka resmi)", "utama resmi"
        elif col in RATE_COLUMNS:
            css = "utama"
        rows.append(f"<td class='teks {css}'>{escape(title)}</td>"
                    + cells.replace("class='num'", f"class='num {css}'"))
    table = Html(f"<table class='laporan-tabel ringkasan'><thead><tr>{head}</tr></thead>"
                 f"{row_groups(rows)}</table>")
    if "periode_sebelumnya" in s.index and not comparable(recap, opts):
        n = int(s.loc["periode_sebelumnya", "merespons"])
        table += Html(f'<p class="catatan">{escape(capital(period_name(recap.period.previous())))} '
                      f"hanya {escape(angka(n))} responden (perbandingan memerlukan paling sedikit "
                      f"{escape(angka(opts.min_respondents_compare))} pada kedua periode): angkanya "
                      "ditampilkan sebagai keterangan, perubahannya tidak disimpulkan.</p>")
    return table


def target_table(recap, opts: ReportOptions | None = None) -> Html:
    """Target against realisation of the official rate (and where it stands)."""
    opts = options_or_default(opts)
    target = opts.target(recap.period)
    now = recap.summary.loc["periode"]
    value = now[opts.official_rate]
    if target is None:
        return Html('<p class="catatan">Target angka resmi untuk periode ini belum ditetapkan '
                    "di pengaturan laporan.</p>")
    whose = (capital(period_name(recap.period)) if recap.period.label in opts.targets
             else f"Tahun {recap.period.start.year}")
    if value != value:
        gap, verdict = float("nan"), "belum dapat dinilai"
    else:
        gap = round(shown_points(value) - round(target * 100, 1), 1)
        verdict = "tercapai" if gap >= 0 else "belum tercapai"
    if provisional(recap):
        verdict += " (sementara)"
    frame = pd.DataFrame([{
        "indikator": f"{RATE_NAMES[opts.official_rate]} (angka resmi)", "periode": whose,
        "target": target, "realisasi": value,
        "selisih": "–" if gap != gap else f"{'+' if gap > 0 else ''}{desimal(gap)} poin",
        "keterangan": verdict}])
    return html_table(frame, [("indikator", "Indikator", "teks"), ("periode", "Target untuk", "teks"),
                              ("target", "Target", "persen"), ("realisasi", "Realisasi", "persen"),
                              ("selisih", "Selisih", "teks"), ("keterangan", "Keterangan", "teks")],
                      css="target")


# The columns of a breakdown table: counts, the statuses a reader acts on, then both
# rates with the official one first (every column is in the recap workbook's sheet).
BREAKDOWN_COLUMNS = ("alumni", "merespons", "tingkat_respons", "bekerja", "wirausaha", "mencari")
# Each rate and the count it divides by (a group under `min_group` shows "–").
DENOMINATORS = {"tingkat_respons": "alumni", "tpk_seluruh": "alumni", "tpk_responden": "merespons"}
SMALL_NOTE = ("– : persentase tidak ditampilkan karena penyebutnya (alumni, atau responden untuk "
              "TPK responden) kurang dari {n} orang, terlalu sedikit untuk dibandingkan, atau nol.")


def breakdown_columns(opts: ReportOptions) -> list[tuple[str, str, str]]:
    titles = {c: t for c, t, _ in RECAP_COLUMNS}
    kinds = {c: k for c, _, k in RECAP_COLUMNS}
    cols = [(c, titles[c], kinds[c]) for c in BREAKDOWN_COLUMNS]
    cols.append((opts.official_rate, f"{titles[opts.official_rate]} (resmi)", "persen"))
    cols.append((opts.other_rate, titles[opts.other_rate], "persen"))
    return cols


def hide_small(frame: pd.DataFrame, least: int) -> tuple[pd.DataFrame, bool]:
    """Rates over fewer than `least` people blanked (NaN prints as "–"); and whether any was."""
    out = frame.copy()
    hidden = False
    for rate, base in DENOMINATORS.items():
        if rate in out and base in out:
            small = (pd.to_numeric(out[base], errors="coerce").fillna(0) < least) & out[rate].notna()
            hidden |= bool(small.any())
            out[rate] = out[rate].astype(float).where(~small)
    return out, hidden


def breakdown_table(recap, key: str, max_rows: int = 0, workbook: str = "",
                    sheet: str = "", opts: ReportOptions | None = None) -> Html:
    """One breakdown; a long one shows its `max_rows` largest groups and one "Lainnya" row,
    with a note naming the workbook sheet that holds every group."""
    opts = options_or_default(opts)
    frame = recap.by.get(key)
    if frame is None:
        return Html("")
    frame, rest = top_groups(group_frame(frame, key), max_rows, OTHER_GROUPS)
    frame, hidden = hide_small(frame, opts.min_group)
    columns = [("kelompok", BREAKDOWN_TITLES.get(key, key), "teks"), *breakdown_columns(opts)]
    table = html_table(frame, columns, css="rincian")
    notes = []
    if rest:
        what = BREAKDOWN_TITLES.get(key, key).lower()
        where = f" pada lembar '{sheet}' berkas {workbook}" if workbook and sheet else " pada berkas rekap"
        notes.append(f"Ditampilkan {angka(max_rows)} dari {angka(max_rows + rest)} kelompok {what} "
                     f"dengan alumni terbanyak; {angka(rest)} kelompok lainnya digabung pada baris "
                     f"terakhir. Rincian setiap kelompok, termasuk status lainnya, ada{where} "
                     "(langkah 8).")
    if hidden:
        notes.append(SMALL_NOTE.format(n=opts.min_group))
    return table + Html("".join(f'<p class="catatan">{escape(n)}</p>' for n in notes))


def responses_table(recap) -> Html:
    """Response per survey wave and channel (methodology)."""
    frame = getattr(recap, "responses", None)
    if frame is None or frame.empty:
        return Html("")
    frame = frame.copy()
    frame["kelompok"] = [f"{int(w)} bulan" for w in frame["gelombang"]]
    total = {c: frame[c].sum() for c in frame.columns if c not in ("gelombang", "kelompok",
                                                                   "tingkat_respons")}
    total.update(kelompok="Jumlah", tingkat_respons=(total["merespons"] / total["alumni"]
                                                     if total["alumni"] else float("nan")))
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    sources = [c for c in SOURCE_LABELS if c in frame]
    return html_table(frame, [("kelompok", "Gelombang survei", "teks"),
                              ("alumni", "Alumni sasaran", "angka"),
                              ("merespons", "Merespons", "angka"),
                              ("tingkat_respons", "Tingkat respons", "persen"),
                              *((c, SOURCE_LABELS[c], "angka") for c in sources),
                              ("menolak", "Menolak disurvei", "angka")], css="respons jumlah-akhir")


def distribution_table(frame: pd.DataFrame, title: str, min_group: int = 0) -> Html:
    """kelompok, jumlah, persen (fraction or 0-100, shown as 41,8%); with fewer than
    `min_group` people in all, the shares show "–" and a note says why."""
    frame = frame.copy()
    frame["persen"] = as_fraction(frame["persen"]) if "persen" in frame else float("nan")
    small = 0 < frame["jumlah"].sum() < min_group
    if small:
        frame["persen"] = float("nan")
    table = html_table(frame, [("kelompok", title, "teks"), ("jumlah", "Jumlah", "angka"),
                               ("persen", "Persen", "persen")], css="sebaran")
    if small:
        table += Html(f'<p class="catatan">{escape(SMALL_NOTE.format(n=min_group))}</p>')
    return table


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
