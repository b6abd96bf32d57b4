"""The report's sentences, written from the recap's numbers (every number through fmt)."""

from __future__ import annotations

import math
import re

import pandas as pd

from kebekerjaan.io.formatting import angka, desimal, persen, poin, tanggal
from kebekerjaan.rules.periods import Period
from kebekerjaan.rules.statuses import PHRASES
from kebekerjaan.steps.recap.model import QUALITY_KEYS, REACH_KEYS, SUMMARY_COLUMNS

# A group with fewer respondents than this is too small to call best or worst.
MIN_RESPONDENTS_TO_RANK = 5


def period_name(period) -> str:
    """'2026-III' -> 'caturwulan III 2026'; '2026' -> 'tahun 2026' (lower case, mid-sentence)."""
    return Period.parse(str(period.label)).name


def capital(text: str) -> str:
    """First letter up, the rest untouched ('caturwulan III' -> 'Caturwulan III')."""
    return text[:1].upper() + text[1:]


def _nan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _row(recap, name: str) -> pd.Series | None:
    summary = recap.summary
    return summary.loc[name] if name in summary.index else None


def shown_points(fraction) -> float:
    """The rate as persen() prints it, in points: 0.61324 -> 61.3."""
    return float(persen(fraction).rstrip("%").replace(".", "").replace(",", "."))


def change(now, before) -> tuple[str, float] | None:
    """('naik'|'turun'|'sama', points) between two rates; None when either is missing."""
    if _nan(now) or _nan(before):
        return None
    # From the rates as printed, so that 61,3% - 57,1% reads as 4,2 poin, never 4,1.
    points = round(shown_points(now) - shown_points(before), 1)
    if points > 0:
        return "naik", points
    if points < 0:
        return "turun", -points
    return "sama", 0.0


def change_phrase(now, before, against: str) -> str:
    """', naik 4,2 poin dibanding caturwulan II 2026 (57,1%)' or '' when nothing to compare."""
    moved = change(now, before)
    if moved is None:
        return ""
    direction, points = moved
    if direction == "sama":
        return f", sama dengan {against} ({persen(before)})"
    return f", {direction} {desimal(points)} poin dibanding {against} ({persen(before)})"


def _list_words(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + (", dan " if len(parts) > 2 else " dan ") + parts[-1]


def summary_paragraphs(recap) -> list[str]:
    """Plain sentences (no markup) summarising the period, in reading order."""
    now = _row(recap, "periode")
    prev = _row(recap, "periode_sebelumnya")
    name = period_name(recap.period)
    prev_name = period_name(recap.period.previous())
    as_of = tanggal(recap.as_of)
    out: list[str] = []

    if now is None or int(now["alumni"]) == 0:
        out.append(f"Belum ada alumni yang menjadi sasaran survei pada {name} "
                   f"(keadaan data {as_of}).")
    elif int(now["merespons"]) == 0:
        out.append(f"Dari {angka(now['alumni'])} alumni sasaran survei {name}, belum ada yang "
                   f"merespons hingga {as_of}; tingkat kebekerjaan belum dapat dihitung.")
    else:
        out.append(
            f"Dari {angka(now['alumni'])} alumni sasaran survei {name}, "
            f"{angka(now['merespons'])} ({persen(now['tingkat_respons'])}) telah merespons hingga "
            f"{as_of}; {persen(now['tpk_responden'])} di antaranya bekerja atau berwirausaha "
            f"({angka(now['bekerja_wirausaha'])} orang)"
            + (change_phrase(now["tpk_responden"], prev["tpk_responden"], prev_name)
               if prev is not None else "")
            + "."
        )
        parts = [f"{angka(now[col])} {words}" for col, words in PHRASES.items() if int(now[col]) > 0]
        if parts:
            out.append(
                f"Rincian responden: {_list_words(parts)}. Terhadap seluruh alumni sasaran "
                f"(termasuk yang belum merespons), tingkat penempatan kerja "
                f"{persen(now['tpk_seluruh'])}."
            )
        refused = int(now.get("menolak", 0) or 0)
        if refused:
            out.append(f"{angka(refused)} alumni sasaran menolak disurvei; mereka tidak dihitung "
                       "sebagai belum merespons dan tidak dihubungi lagi.")
        if prev is not None:
            moved = change_phrase(now["tingkat_respons"], prev["tingkat_respons"], prev_name)
            if moved:
                out.append(f"Tingkat respons {persen(now['tingkat_respons'])}{moved}.")
    if prev is None:
        out.append(f"Data {prev_name} belum tersedia sebagai pembanding.")
    elif int(prev["merespons"]) == 0 and now is not None and int(now["merespons"]) > 0:
        out.append(f"Pada {prev_name} belum ada responden, sehingga tingkat kebekerjaan belum "
                   "dapat dibandingkan.")

    best = _extremes(recap)
    if best:
        out.append(best)
    total = _row(recap, "kumulatif")
    if total is not None and int(total["alumni"]) > 0:
        text = (f"Secara kumulatif hingga {as_of}, {angka(total['merespons'])} dari "
                f"{angka(total['alumni'])} alumni telah merespons ({persen(total['tingkat_respons'])})")
        if int(total["merespons"]) > 0:
            text += f"; {persen(total['tpk_responden'])} di antaranya bekerja atau berwirausaha"
        out.append(text + ".")
    return out


def _extremes(recap) -> str:
    frame = recap.by.get("kejuruan") if isinstance(recap.by, dict) else None
    if frame is None or frame.empty:
        return ""
    frame = group_frame(frame, "kejuruan")
    ranked = frame[(frame["merespons"] >= MIN_RESPONDENTS_TO_RANK) & frame["tpk_responden"].notna()]
    if len(ranked) < 2:
        return ""
    ranked = ranked.sort_values(["tpk_responden", "merespons"], ascending=[False, False])
    top, low = ranked.iloc[0], ranked.iloc[-1]
    if poin(top["tpk_responden"] - low["tpk_responden"]) == 0:
        return ""
    return (f"Menurut kejuruan (paling sedikit {MIN_RESPONDENTS_TO_RANK} responden), tingkat "
            f"kebekerjaan tertinggi pada {top['kelompok']} ({persen(top['tpk_responden'])} dari "
            f"{angka(top['merespons'])} responden) dan terendah pada {low['kelompok']} "
            f"({persen(low['tpk_responden'])} dari {angka(low['merespons'])} responden).")


# How a group reads when a breakdown has several key columns (an angkatan only means
# something with its program and year).
GROUP_LABELS = {
    "program": "{program} ({kejuruan})",
    "angkatan": "{program}, angkatan {angkatan} ({tahun})",
    "gelombang": "{gelombang} bulan",
}
_RECAP_COLUMNS = set(SUMMARY_COLUMNS)


def _plain(value) -> str | None:
    if _nan(value) or value is pd.NA or value is None or str(value).strip() == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def group_frame(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """A breakdown with its group name in column 'kelompok' (from key columns or the index)."""
    out = frame.copy()
    if "kelompok" in out.columns:
        return out.reset_index(drop=True)
    keys = [c for c in out.columns if c not in _RECAP_COLUMNS]
    if not keys:
        out = out.reset_index()
        keys = [out.columns[0]]
    labels = []
    for _, row in out.iterrows():
        values = {k: _plain(row[k]) for k in keys}
        pattern = GROUP_LABELS.get(key)
        if pattern and all(values.get(k) for k in re.findall(r"{(\w+)}", pattern)):
            labels.append(pattern.format(**values))
        elif values.get(key) or any(values.values()):
            labels.append(values.get(key) or " · ".join(v for v in values.values() if v))
        else:
            labels.append("Tidak diketahui")
    out["kelompok"] = labels
    return out.reset_index(drop=True)


def headline_figures(recap) -> list[tuple[str, str, str]]:
    """(label, big number, small note) for the headline boxes."""
    now = _row(recap, "periode")
    if now is None:
        return []
    return [
        ("Alumni sasaran", angka(now["alumni"]), period_name(recap.period)),
        ("Merespons", angka(now["merespons"]), f"{persen(now['tingkat_respons'])} dari alumni"),
        ("Bekerja atau berwirausaha", angka(now["bekerja_wirausaha"]),
         f"{persen(now['tpk_responden'])} dari responden"),
        ("Tingkat penempatan", persen(now["tpk_seluruh"]), "dari seluruh alumni sasaran"),
    ]


def quality_paragraphs(quality: dict) -> list[str]:
    """Data-quality sentences: rejected rows, unmatched answers, review queue."""
    q = {k: int(quality.get(k, 0) or 0) for k in QUALITY_KEYS}
    out = [
        f"{angka(q['baris_alumni_ditolak'])} baris data alumni dan {angka(q['baris_respons_ditolak'])} "
        "baris jawaban formulir ditolak karena tidak memenuhi syarat (mis. NIK tidak sah atau kolom "
        "wajib kosong); alasan setiap baris ada di berkas daftar tolak setiap proses.",
    ]
    if q["jawaban_tidak_cocok"]:
        out.append(f"{angka(q['jawaban_tidak_cocok'])} jawaban survei tidak dapat dicocokkan dengan "
                   "alumni mana pun dan tidak dihitung.")
    else:
        out.append("Semua jawaban survei dapat dicocokkan dengan alumni.")
    reach = {k: int(quality.get(k, 0) or 0) for k in REACH_KEYS}
    if reach["diundang"]:
        out.append(
            f"Undangan survei terkirim kepada {angka(reach['diundang'])} alumni; menurut laporan "
            f"kirim aplikasi blast WhatsApp, {angka(reach['pesan_diterima'])} diterima atau "
            f"dibaca, {angka(reach['pesan_terkirim'])} hanya terkirim, "
            f"{angka(reach['pesan_gagal'])} gagal (termasuk nomor yang bukan pengguna WhatsApp; "
            f"mereka dihubungi lewat telepon) dan {angka(reach['tanpa_laporan_kirim'])} tanpa "
            "laporan kirim.")
    if q["antrean_tinjauan"]:
        out.append(f"{angka(q['antrean_tinjauan'])} jawaban masih menunggu tinjauan petugas; angka "
                   "dalam laporan ini dapat berubah setelah tinjauan selesai.")
    else:
        out.append("Tidak ada jawaban yang menunggu tinjauan petugas.")
    return out
