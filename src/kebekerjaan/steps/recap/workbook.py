"""The recap workbook and the SMILe entry sheet (staff-facing, Indonesian headers)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kebekerjaan.core.config import Settings
from kebekerjaan.core.errors import ConfigError
from kebekerjaan.io.excel import PERCENT_FORMAT, write_workbook
from kebekerjaan.rules.labels import QUALITY_LABELS, REACH_LABELS, SOURCE_LABELS, WORKBOOK_INDICATORS
from kebekerjaan.rules.statuses import REFUSED, STATUSES, status_label, title_header
from kebekerjaan.steps.recap.model import IN_SCOPE_COLUMNS, QUALITY_KEYS, RATE_COLUMNS, REACH_KEYS, Recap

HEADERS = {
    **WORKBOOK_INDICATORS, "penolakan": "Penolakan",
    **{code: title_header(code) for code in STATUSES},
    "nik": "NIK", "nama": "Nama", "jenis_kelamin": "Jenis Kelamin",
    "tanggal_lahir": "Tanggal Lahir", "pendidikan": "Pendidikan", "alamat": "Alamat",
    "no_hp": "No HP", "email": "Email", "provinsi": "Provinsi", "kabkota": "Kabupaten/Kota",
    "kejuruan": "Kejuruan", "program": "Program Pelatihan", "angkatan": "Angkatan",
    "tahun": "Tahun", "tanggal_mulai_pelatihan": "Mulai Pelatihan",
    "tanggal_selesai": "Selesai Pelatihan", "gelombang": "Gelombang Survei (bulan)",
    "jatuh_tempo": "Jatuh Tempo", "status": "Status", "tempat_kerja": "Tempat Kerja/Usaha",
    "jabatan": "Jabatan", "jenis_tempat_kerja": "Jenis Tempat Kerja",
    "bidang_usaha": "Bidang Usaha", "lokasi_kerja": "Lokasi Kerja",
    "mulai": "Mulai Bekerja/Berusaha", "penghasilan": "Penghasilan per Bulan",
    "relevansi": "Kesesuaian dengan Pelatihan", "cara_mendapat_kerja": "Cara Mendapat Kerja",
    "sumber": "Sumber Data", "tanggal_jawaban": "Tanggal Jawaban",
    "gelombang_jawaban": "Gelombang Jawaban (bulan)", "bpvp": "BPVP",
    "kelompok": "Kelompok", "jumlah": "Jumlah", "persen": "Persen", "responden": "Responden",
}
POINTS = {"tingkat_respons": "Perubahan Tingkat Respons (poin)",
          "tpk_responden": "Perubahan TPK Responden (poin)",
          "tpk_seluruh": "Perubahan TPK Seluruh (poin)"}
# Breakdown sheets in workbook order (a sheet appears when the recap has the breakdown).
BREAKDOWN_SHEETS = {
    "kejuruan": "Per Kejuruan", "program": "Per Program", "angkatan": "Per Angkatan",
    "gelombang": "Per Gelombang Survei", "jenis_kelamin": "Per Jenis Kelamin",
    "kabkota": "Per Kab-Kota", "bpvp": "Per BPVP",
}


def status_labels(codes: pd.Series) -> pd.Series:
    # Per distinct code: a million rows hold five codes.
    return codes.map({c: status_label(c) for c in codes.dropna().unique()}).fillna(
        status_label(None))


def source_labels(values: pd.Series) -> pd.Series:
    return values.map(lambda s: SOURCE_LABELS.get(s, s))


def refused_labels(status: pd.Series, refusal: pd.Series | None) -> pd.Series:
    """Status labels, "Menolak disurvei" where an alumnus without an answer refused."""
    labels = status_labels(status)
    if refusal is None:
        return labels
    return labels.where(~(status.isna() & refusal.notna()), REFUSED)


def for_staff(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    if "status" in out:
        out["status"] = refused_labels(out["status"], out.get("penolakan"))
    if "sumber" in out:
        out["sumber"] = source_labels(out["sumber"])
    return out.rename(columns=HEADERS)


def recap_sheets(recap: Recap) -> dict[str, pd.DataFrame]:
    """The recap workbook's sheets, in order, with Indonesian headers."""
    as_of = recap.as_of.strftime("%d-%m-%Y")
    summary = recap.summary.copy()
    summary.insert(0, "Keterangan", [
        {"periode": recap.period.title,
         "periode_sebelumnya": f"{recap.period.previous().title} (periode sebelumnya)",
         "kumulatif": f"Kumulatif sampai {as_of}"}.get(i, i) for i in summary.index])
    for rate, header in POINTS.items():
        summary[header] = [recap.change_points(rate) if i == "periode" else np.nan
                           for i in summary.index]
    employed = for_staff(recap.employed)
    status = recap.employed["status"].to_numpy()
    sheets = {"Ringkasan": summary.reset_index(drop=True).rename(columns=HEADERS)}
    for key, title in BREAKDOWN_SHEETS.items():
        if key in recap.by:
            sheets[title] = for_staff(recap.by[key])
    sheets.update({
        "Waktu Tunggu": for_staff(recap.waiting_time),
        "Relevansi": for_staff(recap.relevance),
        "Penghasilan": for_staff(recap.income),
        "Jenis Tempat Kerja": for_staff(recap.employer_type),
        "Tempat Kerja Teratas": recap.top_employers.rename(
            columns={"nama": "Tempat Kerja/Usaha", "jumlah": "Jumlah Alumni"}),
        "Kohort": for_staff(recap.cohorts).rename(
            columns={"Gelombang Survei (bulan)": "Gelombang (bulan)",
                     "Persen": "Bekerja + Wirausaha dari Responden"}),
        "Alumni Bekerja": employed[status == "bekerja"],
        "Alumni Wirausaha": employed[status == "wirausaha"].drop(columns=["Jabatan"]),
        "Belum Merespons": for_staff(recap.not_responded),
        "Menolak": for_staff(recap.refused),
        "Mutu Data": pd.DataFrame({
            "Pemeriksaan": [{**QUALITY_LABELS, **REACH_LABELS}[k] for k in (*QUALITY_KEYS, *REACH_KEYS)],
            "Jumlah": [recap.quality.get(k, 0) for k in (*QUALITY_KEYS, *REACH_KEYS)]}),
        "Definisi": pd.DataFrame(recap.definitions, columns=["Istilah", "Definisi"]),
    })
    return sheets


def sheet_formats(sheets: dict[str, pd.DataFrame]) -> dict[str, dict[str, str]]:
    """Rates as percentages, changes in points with one decimal."""
    percent = {HEADERS[c] for c in (*RATE_COLUMNS, "persen")} | {
        "Bekerja + Wirausaha dari Responden"}
    out = {}
    for name, frame in sheets.items():
        cols = {c: PERCENT_FORMAT for c in frame.columns if c in percent}
        cols.update({c: "0.0" for c in frame.columns if c in POINTS.values()})
        out[name] = cols
    return out


def recap_workbook_name(period_label: str) -> str:
    return f"rekap_kebekerjaan_{period_label}.xlsx"


def write_recap_workbook(recap: Recap, run_dir: Path) -> Path:
    """outputs/<run-id>/rekap_kebekerjaan_<periode>.xlsx."""
    sheets = recap_sheets(recap)
    path = Path(run_dir) / recap_workbook_name(recap.period.label)
    return write_workbook(path, sheets, formats=sheet_formats(sheets))


# The per-alumnus columns, and two more for the SMILe sheet: the period and the training.
SMILE_FIELDS = (*IN_SCOPE_COLUMNS, "periode", "id_pelatihan")


def training_ids(rows: pd.DataFrame) -> pd.Series:
    """'Juru Las SMAW 3G / Angkatan 1 / 2026': a training as staff and SMILe name it."""
    def part(value) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return ""
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)

    return pd.Series([f"{part(p)} / Angkatan {part(a)} / {part(t)}"
                      for p, a, t in zip(rows["program"], rows["angkatan"], rows["tahun"])],
                     index=rows.index, dtype=object)


def smile_columns(settings: Settings) -> list[tuple[str, str]]:
    """(header, field) of the SMILe sheet from `[smile]` (its layout checked by
    load_settings), each field one the recap can fill."""
    for i, col in enumerate(settings.smile.columns, start=1):
        if col.field not in SMILE_FIELDS:
            raise ConfigError(
                f"{settings.where}: kolom SMILe ke-{i} ('{col.header}'): field '{col.field}' "
                f"tidak dikenal. Field yang tersedia: {', '.join(SMILE_FIELDS)}."
            )
    return [(col.header, col.field) for col in settings.smile.columns]


def smile_frame(recap: Recap, settings: Settings) -> pd.DataFrame:
    """Every in-scope alumnus of the period, in the column layout of `[smile]`."""
    columns = smile_columns(settings)
    rows = recap.in_scope
    shown = {}
    for header, name in columns:
        if name == "periode":
            values = pd.Series(recap.period.label, index=rows.index, dtype=object)
        elif name == "id_pelatihan":
            values = training_ids(rows)
        else:
            values = rows[name]
        if name == "status":
            values = refused_labels(values, rows.get("penolakan"))
        elif name == "sumber":
            values = source_labels(values)
        shown[header] = values.to_numpy()
    return pd.DataFrame(shown)


def write_smile_workbook(recap: Recap, settings: Settings, run_dir: Path) -> Path:
    """outputs/<run-id>/smile_<periode>.xlsx: the rows to enter in Kemnaker's SMILe."""
    sheet = settings.smile.sheet_name.strip() or "SMILe"
    path = Path(run_dir) / f"smile_{recap.period.label}.xlsx"
    return write_workbook(path, {sheet: smile_frame(recap, settings)})
