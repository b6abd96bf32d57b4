"""What a recap is: its columns, breakdowns, definitions and the Recap object."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from kebekerjaan.rules.graduates import NOT_GRADUATED
from kebekerjaan.rules.periods import CATURWULAN_TEXT, Period
from kebekerjaan.rules.statuses import EMPLOYED, HEADERS, STATUSES

__all__ = ["BREAKDOWNS", "COHORT_KEYS", "EMPLOYED_COLUMNS",
           "IN_SCOPE_COLUMNS", "NOT_RESPONDED_COLUMNS", "QUALITY_KEYS", "RATE_COLUMNS",
           "REACH_KEYS", "REFUSED_COLUMNS",
           "Recap", "SUMMARY_COLUMNS", "UNKNOWN", "UNKNOWN_GROUP",
           "WAITING_BUCKETS"]

SUMMARY_COLUMNS = ["alumni", "merespons", "menolak", "tingkat_respons", *STATUSES,
                   "bekerja_wirausaha", "tpk_responden", "tpk_seluruh"]
RATE_COLUMNS = ("tingkat_respons", "tpk_responden", "tpk_seluruh")
# Group columns of each breakdown (an angkatan is only unique within program and year).
# "bpvp" is added only when the store holds more than one BPVP (a merged workspace).
BREAKDOWNS = {
    "kejuruan": ["kejuruan"],
    "program": ["kejuruan", "program"],
    "angkatan": ["kejuruan", "program", "angkatan", "tahun"],
    "gelombang": ["gelombang"],
    "jenis_kelamin": ["jenis_kelamin"],
    "kabkota": ["kabkota"],
}
BPVP_BREAKDOWN = {"bpvp": ["bpvp"]}
COHORT_KEYS = ["kejuruan", "program", "angkatan", "tahun"]
UNKNOWN = "Tidak diketahui"
UNKNOWN_GROUP = "tidak diketahui"
# Months from the end of training to the first day of work; the groups do not overlap.
WAITING_BUCKETS = ("sebelum selesai pelatihan", "paling lama 1 bulan", "lebih dari 1 s.d. 3 bulan",
                   "lebih dari 3 s.d. 6 bulan", "lebih dari 6 bulan", UNKNOWN_GROUP)

# One row per in-scope enrolment; `employed`, `not_responded` and the SMILe sheet are
# column selections of it. Dates are datetime64 (NaT when unknown); status is a code.
IN_SCOPE_COLUMNS = [
    "nik", "nama", "jenis_kelamin", "tanggal_lahir", "pendidikan", "alamat", "no_hp", "email",
    "provinsi", "kabkota", "kejuruan", "program", "angkatan", "tahun",
    "tanggal_mulai_pelatihan", "tanggal_selesai", "gelombang", "jatuh_tempo", "status",
    "tempat_kerja", "jabatan", "jenis_tempat_kerja", "bidang_usaha", "lokasi_kerja", "mulai",
    "penghasilan", "relevansi", "cara_mendapat_kerja", "sumber", "tanggal_jawaban",
    "gelombang_jawaban", "bpvp", "penolakan",
]
EMPLOYED_COLUMNS = ["nik", "nama", "kejuruan", "program", "angkatan", "tahun", "status",
                    "tempat_kerja", "jabatan", "mulai", "sumber", "tanggal_jawaban", "gelombang",
                    "jenis_kelamin", "kabkota", "jenis_tempat_kerja", "bidang_usaha",
                    "lokasi_kerja", "penghasilan", "relevansi"]
NOT_RESPONDED_COLUMNS = ["nik", "nama", "no_hp", "kejuruan", "program", "angkatan", "tahun",
                         "gelombang", "jatuh_tempo"]
REFUSED_COLUMNS = ["nik", "nama", "kejuruan", "program", "angkatan", "tahun", "gelombang",
                   "jatuh_tempo", "penolakan"]
# Lists of a merged workspace also say which BPVP each alumnus came from.
BPVP_COLUMN = "bpvp"
QUALITY_KEYS = ("baris_alumni_ditolak", "baris_respons_ditolak", "jawaban_tidak_cocok",
                "antrean_tinjauan")
# Reach of the survey invitations (kept in `quality`, beside the data-quality counts).
REACH_KEYS = ("diundang", "pesan_diterima", "pesan_terkirim", "pesan_gagal",
              "tanpa_laporan_kirim")

def definitions(waves: Sequence[int] = (1, 3, 6), several_bpvp: bool = False) -> list[tuple[str, str]]:
    """The terms of the recap and report, written for a reader (no settings or folders), with
    the survey waves of the settings and the employed statuses of rules/statuses."""
    months = ", ".join(str(w) for w in waves[:-1]) + (", dan " if len(waves) > 2 else " dan ") \
        + str(waves[-1]) if len(waves) > 1 else str(waves[0])
    employed = " atau ".join(HEADERS[code] for code in EMPLOYED)
    out = [
        ("Satuan hitung", "Satu alumnus dalam satu pelatihan. Alumni yang mengikuti dua pelatihan "
         "dihitung dua kali, sekali per pelatihan. Hanya lulusan (status kelulusan bukan "
         f"'{NOT_GRADUATED}')."),
        ("Gelombang survei dan jatuh tempo", f"Alumni disurvei {months} bulan setelah pelatihan "
         "selesai. Jatuh tempo = tanggal selesai pelatihan ditambah sekian bulan; tanggal yang "
         "tidak ada di bulan itu menjadi akhir bulan (31 Januari + 1 bulan = 28/29 Februari)."),
        ("Periode", f"Caturwulan ({CATURWULAN_TEXT}) atau satu tahun."),
        ("Alumni periode (alumni sasaran)", "Alumni yang salah satu gelombang survei-nya jatuh "
         "tempo dalam periode dan paling lambat pada tanggal keadaan data. Gelombang tercatatnya "
         "adalah gelombang terakhir yang memenuhi syarat itu."),
        ("Jawaban yang dihitung", "Jawaban terakhir alumnus untuk pelatihan dan gelombang itu, "
         "tidak dibuang petugas, dan berstatus jelas."),
        ("Merespons", "Alumni periode yang punya jawaban yang dihitung untuk gelombang yang jatuh "
         "tempo dalam periode. Statusnya adalah status jawaban terakhir di antara gelombang itu."),
        ("Menolak", "Alumni periode tanpa jawaban yang dihitung yang menolak disurvei sampai "
         "tanggal keadaan data: dicatat petugas (langkah 6) atau menjawab 'Tidak bersedia' pada "
         "pertanyaan persetujuan (jawaban itu tidak dihitung). Mereka tidak diundang atau "
         "diingatkan lagi dan tidak termasuk 'belum merespons', tetapi tetap alumni periode "
         "(penyebut tingkat respons dan TPK seluruh alumni)."),
        ("Belum merespons", "Alumni periode yang tidak merespons dan tidak menolak."),
        ("Tingkat respons", "Merespons dibagi alumni periode."),
        ("Bekerja + wirausaha", f"Alumni merespons yang berstatus {employed}."),
        ("TPK responden", "Tingkat penempatan kerja di antara yang merespons: "
         "(bekerja + wirausaha) / merespons. Tidak memperhitungkan alumni yang belum merespons, "
         "sehingga bisa lebih tinggi daripada keadaan seluruh alumni bila yang bekerja lebih "
         "rajin menjawab."),
        ("TPK seluruh alumni", "Tingkat penempatan kerja seluruh alumni periode: "
         "(bekerja + wirausaha) / alumni periode. Penyebutnya seluruh lulusan, seperti indikator "
         "kebekerjaan lulusan pelatihan vokasi pada IndiKit (panduan indikator program "
         "pembangunan dari lembaga People in Need). Alumni yang belum merespons dihitung belum "
         "bekerja, sehingga angka ini batas bawah."),
        ("Kumulatif", "Semua alumni yang salah satu gelombang survei-nya jatuh tempo sampai "
         "tanggal keadaan data; merespons bila punya satu saja jawaban yang dihitung; status dari "
         "jawaban terbarunya."),
        ("Periode sebelumnya", "Hitungan yang sama untuk caturwulan (atau tahun) sebelumnya. "
         "Perubahan dalam poin = (angka periode ini − angka periode sebelumnya) × 100."),
        ("Waktu tunggu", "Tanggal mulai bekerja/berusaha dikurangi tanggal selesai pelatihan, "
         "untuk alumni bekerja/wirausaha dalam periode; 1 bulan = satu bulan kalender. Kelompoknya "
         "tidak bertumpang tindih: paling lama 1 bulan, lebih dari 1 sampai 3 bulan, lebih dari 3 "
         "sampai 6 bulan, lebih dari 6 bulan."),
        ("Relevansi, penghasilan, jenis tempat kerja", "Jawaban kuesioner alumni bekerja/"
         "wirausaha dalam periode, dengan pilihan jawaban kuesioner baku."),
        ("Kohort", "Per angkatan (kejuruan, program, angkatan, tahun) yang punya alumni periode: "
         "untuk setiap gelombang yang sudah jatuh tempo, jumlah alumni, yang menjawab gelombang "
         "itu, dan persentase bekerja + wirausaha di antara yang menjawab."),
        ("Jenis kelamin dan kabupaten/kota", "Dari data alumni (ekspor SIAPkerja); kosong: "
         "'Tidak diketahui'."),
        ("Mutu data", "Baris ekspor alumni dan formulir yang ditolak, jawaban yang tidak cocok "
         "dengan alumni mana pun, dan jawaban yang masih menunggu tinjauan petugas (seluruh "
         "basis data, bukan hanya periode ini)."),
        ("Jangkauan undangan", "Alumni yang pernah diundang survei sampai tanggal keadaan data, "
         "menurut laporan kirim aplikasi blast WhatsApp atas nomor mereka: diterima (diterima atau "
         "dibaca), hanya terkirim, gagal (gagal terkirim atau bukan pengguna WhatsApp; tidak "
         "diingatkan lewat WhatsApp lagi), atau tanpa laporan kirim. Yang dihitung adalah status "
         "terakhir nomor itu (seluruh basis data)."),
    ]
    if several_bpvp:
        out.append(BPVP_DEFINITION)
    return out


BPVP_DEFINITION = ("Per BPVP", "Dalam ruang kerja gabungan beberapa BPVP: BPVP asal data "
                   "alumni; data BPVP penyusun laporan ini memakai nama singkat BPVP itu sendiri.")
DEFINITIONS: list[tuple[str, str]] = definitions()


@dataclass
class Recap:
    """Step 8 results. Rates and `persen` columns are fractions 0..1 (NaN over zero).

    `by[...]` frames start with their group columns (BREAKDOWNS) followed by the summary
    columns; `by["bpvp"]` exists only when more than one BPVP is present. `cohorts` is
    long: one row per cohort and wave due by the as-of date. `top_employers` ranks every
    workplace (the report shows the first `[report] top_employers`). `responses` counts
    respondents per survey wave and channel (the report's methodology).
    """

    period: Period
    as_of: date
    summary: pd.DataFrame
    by: dict[str, pd.DataFrame]
    waiting_time: pd.DataFrame
    relevance: pd.DataFrame
    income: pd.DataFrame
    employer_type: pd.DataFrame
    top_employers: pd.DataFrame
    cohorts: pd.DataFrame
    employed: pd.DataFrame
    not_responded: pd.DataFrame
    quality: dict[str, int]
    definitions: list[tuple[str, str]]
    in_scope: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=IN_SCOPE_COLUMNS))
    # Per survey wave: alumni, respondents, refusals and respondents per channel (the
    # source codes of SOURCE_LABELS as columns); empty when not computed.
    responses: pd.DataFrame = field(default_factory=pd.DataFrame)
    refused: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REFUSED_COLUMNS))

    def change_points(self, rate: str = "tpk_seluruh") -> float:
        """Rate this period minus rate previous period, in points of the rates as printed
        (one decimal), so "61,3% ... naik 4,2 poin" adds up; NaN if either is unknown."""
        if "periode_sebelumnya" not in self.summary.index:
            return float("nan")
        now = self.summary.at["periode", rate]
        before = self.summary.at["periode_sebelumnya", rate]
        return float(round(round(now * 100, 1) - round(before * 100, 1), 1))
