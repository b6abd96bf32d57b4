"""The report's sentences, written from the recap's numbers (every number through fmt)."""

from __future__ import annotations

import math
import re

import pandas as pd

from kebekerjaan.io.formatting import angka, desimal, persen, poin, tanggal
from kebekerjaan.rules.periods import Period
from kebekerjaan.rules.statuses import PHRASES
from kebekerjaan.steps.recap.model import QUALITY_KEYS, REACH_KEYS, SUMMARY_COLUMNS
from kebekerjaan.steps.report.options import RATE_NAMES, ReportOptions, report_options, words_list

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
    return words_list(parts)


def options_or_default(opts: ReportOptions | None) -> ReportOptions:
    if opts is None:
        from kebekerjaan.core.config import load_settings

        return report_options(load_settings(None))
    return opts


def provisional(recap) -> bool:
    """A report made before its period ends: its figures can still change."""
    return pd.Timestamp(recap.as_of).date() < recap.period.end


def comparable(recap, opts: ReportOptions | None = None) -> bool:
    """Whether this period can be compared with the previous one: both have at least
    `min_respondents_compare` respondents (a few answers more or less otherwise move a
    rate by several points)."""
    opts = options_or_default(opts)
    now, prev = _row(recap, "periode"), _row(recap, "periode_sebelumnya")
    if now is None or prev is None:
        return False
    least = max(opts.min_respondents_compare, 1)
    return int(now["merespons"]) >= least and int(prev["merespons"]) >= least


# The rates spelled out where the report first names them.
RATE_LONG = {"tpk_seluruh": "tingkat penempatan kerja (TPK) seluruh alumni",
             "tpk_responden": "tingkat penempatan kerja (TPK) responden"}


def rate_name(code: str) -> str:
    return RATE_NAMES[code]


def official_phrase(opts: ReportOptions) -> str:
    """'tingkat penempatan kerja (TPK) seluruh alumni, angka resmi yang dilaporkan ke Kemnaker'."""
    return f"{rate_name(opts.official_rate)}, angka resmi yang dilaporkan ke Kemnaker"


def target_phrase(recap, opts: ReportOptions) -> str:
    """'target tahun 2026 60,0% belum tercapai (kurang 38,1 poin)', or '' without a target."""
    target = opts.target(recap.period)
    now = _row(recap, "periode")
    if target is None or now is None or _nan(now[opts.official_rate]):
        return ""
    whose = (recap.period.name if recap.period.label in opts.targets
             else f"tahun {recap.period.start.year}")
    gap = round(shown_points(now[opts.official_rate]) - round(target * 100, 1), 1)
    if gap >= 0:
        verdict = "tercapai" + (f" (lebih {desimal(gap)} poin)" if gap > 0 else "")
    else:
        verdict = f"belum tercapai (kurang {desimal(-gap)} poin)"
    return f"target {whose} {persen(target)} {verdict}"


def summary_paragraphs(recap, opts: ReportOptions | None = None) -> list[str]:
    """Plain sentences (no markup) summarising the period, in reading order: the official
    rate first, the other rate as context, then target, comparison and totals."""
    opts = options_or_default(opts)
    now = _row(recap, "periode")
    prev = _row(recap, "periode_sebelumnya")
    name = period_name(recap.period)
    prev_name = period_name(recap.period.previous())
    as_of = tanggal(recap.as_of)
    official, other = opts.official_rate, opts.other_rate
    out: list[str] = []

    if now is None or int(now["alumni"]) == 0:
        out.append(f"Belum ada alumni yang menjadi sasaran survei pada {name} "
                   f"(keadaan data {as_of}).")
    elif int(now["merespons"]) == 0:
        out.append(f"Dari {angka(now['alumni'])} alumni sasaran survei {name}, belum ada yang "
                   f"merespons hingga {as_of}; tingkat kebekerjaan belum dapat dihitung.")
    else:
        denominator = ("alumni sasaran" if official == "tpk_seluruh" else "alumni yang merespons")
        base = now["alumni"] if official == "tpk_seluruh" else now["merespons"]
        out.append(
            f"{capital(RATE_LONG[official])} {name}, angka resmi yang dilaporkan ke Kemnaker, "
            f"adalah {persen(now[official])}: {angka(now['bekerja_wirausaha'])} dari "
            f"{angka(base)} {denominator} bekerja atau berwirausaha hingga {as_of}"
            + (change_phrase(now[official], prev[official], prev_name)
               if comparable(recap, opts) else "") + ".")
        if other == "tpk_responden":
            out.append(
                f"Dari {angka(now['alumni'])} alumni sasaran, {angka(now['merespons'])} "
                f"({persen(now['tingkat_respons'])}) telah merespons; di antara mereka "
                f"{persen(now['tpk_responden'])} bekerja atau berwirausaha (TPK responden). "
                "Angka pembanding ini tidak menghitung alumni yang belum merespons, sehingga "
                "lebih tinggi daripada angka resmi.")
        else:
            out.append(
                f"Dari {angka(now['alumni'])} alumni sasaran, {angka(now['merespons'])} "
                f"({persen(now['tingkat_respons'])}) telah merespons. Bila yang belum merespons "
                f"dihitung belum bekerja, tingkat penempatan kerja seluruh alumni "
                f"{persen(now['tpk_seluruh'])} (TPK seluruh alumni); angka pembanding ini batas "
                "bawah.")
        target = target_phrase(recap, opts)
        if target:
            out.append(f"{capital(target)}.")
        parts = [f"{angka(now[col])} {words}" for col, words in PHRASES.items() if int(now[col]) > 0]
        if parts:
            out.append(f"Rincian responden: {_list_words(parts)}.")
        refused = int(now.get("menolak", 0) or 0)
        if refused:
            out.append(f"{angka(refused)} alumni sasaran menolak disurvei; mereka tidak dihitung "
                       "sebagai belum merespons dan tidak dihubungi lagi.")
        if comparable(recap, opts):
            moved = change_phrase(now["tingkat_respons"], prev["tingkat_respons"], prev_name)
            if moved:
                out.append(f"Tingkat respons {persen(now['tingkat_respons'])}{moved}.")
    if prev is None:
        out.append(f"Data {prev_name} belum tersedia sebagai pembanding.")
    elif now is not None and int(now["merespons"]) > 0 and not comparable(recap, opts):
        out.append(not_comparable_sentence(recap, opts))

    best = _extremes(recap, opts)
    if best:
        out.append(best)
    total = _row(recap, "kumulatif")
    if total is not None and int(total["alumni"]) > 0:
        text = (f"Secara kumulatif hingga {as_of}, {angka(total['merespons'])} dari "
                f"{angka(total['alumni'])} alumni telah merespons ({persen(total['tingkat_respons'])})")
        if int(total["merespons"]) > 0:
            text += (f"; {rate_name(official)} kumulatif {persen(total[official])}")
        out.append(text + ".")
    if provisional(recap):
        out.append(provisional_sentence(recap))
    return out


def provisional_sentence(recap) -> str:
    return (f"Laporan ini sementara: {period_name(recap.period)} berjalan sampai "
            f"{tanggal(recap.period.end)}, sedangkan data diambil per {tanggal(recap.as_of)}. "
            "Angkanya masih dapat berubah.")


def not_comparable_sentence(recap, opts: ReportOptions) -> str:
    prev = _row(recap, "periode_sebelumnya")
    prev_name = period_name(recap.period.previous())
    n = int(prev["merespons"]) if prev is not None else 0
    if n == 0:
        return (f"Pada {prev_name} belum ada responden, sehingga tingkat kebekerjaan belum "
                "dapat dibandingkan.")
    return (f"Perubahan dibanding {prev_name} tidak disimpulkan: perbandingan memerlukan paling "
            f"sedikit {angka(opts.min_respondents_compare)} responden pada kedua periode "
            f"({prev_name}: {angka(n)}, {period_name(recap.period)}: "
            f"{angka(_row(recap, 'periode')['merespons'])}).")


def _ranked(recap, opts: ReportOptions) -> pd.DataFrame | None:
    frame = recap.by.get("kejuruan") if isinstance(recap.by, dict) else None
    if frame is None or frame.empty:
        return None
    frame = group_frame(frame, "kejuruan")
    least = max(opts.min_group, 1)
    ranked = frame[(frame["merespons"] >= least) & frame["tpk_responden"].notna()]
    if len(ranked) < 2:
        return None
    ranked = ranked.sort_values(["tpk_responden", "merespons"], ascending=[False, False])
    if poin(ranked.iloc[0]["tpk_responden"] - ranked.iloc[-1]["tpk_responden"]) == 0:
        return None
    return ranked


def _extremes(recap, opts: ReportOptions | None = None) -> str:
    opts = options_or_default(opts)
    ranked = _ranked(recap, opts)
    if ranked is None:
        return ""
    top, low = ranked.iloc[0], ranked.iloc[-1]
    return (f"Di antara kejuruan dengan paling sedikit {opts.min_group} responden, alumni yang "
            f"merespons paling banyak bekerja atau berwirausaha pada {top['kelompok']} "
            f"({persen(top['tpk_responden'])} dari {angka(top['merespons'])} responden) dan "
            f"paling sedikit pada {low['kelompok']} ({persen(low['tpk_responden'])} dari "
            f"{angka(low['merespons'])} responden).")


def conclusions(recap, opts: ReportOptions | None = None) -> list[str]:
    """Kesimpulan: what the figures say, one sentence each."""
    opts = options_or_default(opts)
    now = _row(recap, "periode")
    name = period_name(recap.period)
    official = opts.official_rate
    if now is None or int(now["alumni"]) == 0:
        return [f"Belum ada alumni yang menjadi sasaran survei pada {name}, sehingga belum ada "
                "yang dapat disimpulkan."]
    if int(now["merespons"]) == 0:
        return [f"Belum ada alumni sasaran {name} yang merespons, sehingga tingkat kebekerjaan "
                "belum dapat disimpulkan."]
    out = []
    text = (f"Angka resmi {name}, {rate_name(official)}, adalah {persen(now[official])}")
    target = target_phrase(recap, opts)
    out.append(text + (f"; {target}." if target else "; target periode ini belum ditetapkan."))
    rate = now["tingkat_respons"]
    if not _nan(rate) and rate < opts.response_rate_warning:
        out.append(
            f"Tingkat respons {persen(rate)}, di bawah batas {persen(opts.response_rate_warning)}: "
            f"{angka(_silent(now))} alumni sasaran belum merespons, sehingga angka kebekerjaan "
            "belum tentu mewakili seluruh alumni.")
    else:
        out.append(f"Tingkat respons {persen(rate)} memenuhi batas paling rendah "
                   f"{persen(opts.response_rate_warning)} yang ditetapkan.")
    ranked = _ranked(recap, opts)
    if ranked is not None:
        out.append(_extremes(recap, opts))
    prev = _row(recap, "periode_sebelumnya")
    if comparable(recap, opts):
        moved = change(now[official], prev[official])
        direction, points = moved if moved else ("sama", 0.0)
        prev_name = period_name(recap.period.previous())
        if direction == "sama":
            out.append(f"Dibanding {prev_name}, angka resmi tidak berubah ({persen(prev[official])}).")
        else:
            out.append(f"Dibanding {prev_name}, angka resmi {direction} {desimal(points)} poin "
                       f"(dari {persen(prev[official])}).")
    elif prev is not None:
        out.append(not_comparable_sentence(recap, opts))
    seeking = int(now.get("mencari", 0) or 0)
    if seeking:
        out.append(f"{angka(seeking)} responden sedang mencari kerja.")
    if provisional(recap):
        out.append(f"Angka ini sementara, karena {name} baru berakhir {tanggal(recap.period.end)}.")
    return out


def _silent(now) -> int:
    """Alumni who neither answered nor declined: the ones still to reach."""
    return int(now["alumni"]) - int(now["merespons"]) - int(now.get("menolak", 0) or 0)


def recommendations(recap, opts: ReportOptions | None = None) -> list[str]:
    """Rekomendasi: what to do next, each tied to a figure of the report."""
    opts = options_or_default(opts)
    now = _row(recap, "periode")
    name = period_name(recap.period)
    out: list[str] = []
    if now is None or int(now["alumni"]) == 0:
        return ["Pastikan data alumni pelatihan yang sudah selesai telah dihimpun (langkah 1), "
                "agar survei periode berikutnya punya sasaran."]
    silent = _silent(now)
    rate = now["tingkat_respons"]
    if silent > 0 and (_nan(rate) or rate < opts.response_rate_warning):
        out.append(f"Hubungi {angka(silent)} alumni yang belum merespons lewat telepon atau "
                   "kunjungan, dan catat jawabannya (langkah 6), sebelum laporan akhir "
                   f"{name} disusun.")
    elif silent > 0:
        out.append(f"Lanjutkan pengingat kepada {angka(silent)} alumni yang belum merespons.")
    seeking = int(now.get("mencari", 0) or 0)
    if seeking:
        out.append(f"Kirimkan informasi lowongan yang sesuai kejuruannya kepada {angka(seeking)} "
                   "responden yang sedang mencari kerja (langkah 2–3), dan libatkan mitra "
                   "industri dalam penempatan mereka.")
    ranked = _ranked(recap, opts)
    if ranked is not None:
        low = ranked.iloc[-1]
        out.append(f"Tinjau kesesuaian program kejuruan {low['kelompok']} dengan kebutuhan "
                   "pasar kerja bersama mitra industri, karena kebekerjaan alumninya paling "
                   "rendah di antara kejuruan yang cukup respondennya.")
    target = opts.target(recap.period)
    official = now[opts.official_rate]
    if target is not None and not _nan(official) and shown_points(official) < round(target * 100, 1):
        out.append("Bahas kesenjangan angka resmi dengan targetnya dalam rapat evaluasi "
                   "pelatihan, dengan rincian per kejuruan pada bab Hasil sebagai bahan.")
    if opts.target(recap.period) is None:
        out.append("Tetapkan target tingkat penempatan kerja tahun ini di pengaturan laporan, "
                   "agar capaiannya dapat dinilai.")
    if provisional(recap):
        out.append(f"Susun laporan akhir setelah {name} berakhir ({tanggal(recap.period.end)}).")
    return out


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


def headline_figures(recap, opts: ReportOptions | None = None) -> list[tuple[str, str, str]]:
    """(label, big number, small note) for the headline boxes; the official rate first."""
    opts = options_or_default(opts)
    now = _row(recap, "periode")
    if now is None:
        return []
    official = opts.official_rate
    target = opts.target(recap.period)
    note = f"{rate_name(official)}, angka resmi untuk Kemnaker"
    if target is not None:
        reached = (not _nan(now[official])
                   and shown_points(now[official]) >= round(target * 100, 1))
        note += f"; target {persen(target)}, {'tercapai' if reached else 'belum tercapai'}"
    other = ("dari responden" if opts.other_rate == "tpk_responden"
             else "dari seluruh alumni sasaran")
    return [
        ("Tingkat penempatan kerja", persen(now[official]), note),
        ("Alumni sasaran", angka(now["alumni"]), period_name(recap.period)),
        ("Merespons", angka(now["merespons"]),
         f"tingkat respons {persen(now['tingkat_respons'])}"),
        ("Bekerja atau berwirausaha", angka(now["bekerja_wirausaha"]),
         f"{persen(now[opts.other_rate])} {other} (pembanding)"),
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
