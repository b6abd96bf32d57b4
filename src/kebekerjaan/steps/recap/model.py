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
WAITING_BUCKETS = ("sebelum selesai pelatihan", "<= 1 bulan", "<= 3 bulan", "<= 6 bulan",
                   "> 6 bulan", UNKNOWN_GROUP)

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

# Terms of the recap; {waves} and {employed} are filled in by definitions().
_DEFINITIONS: list[tuple[str, str]] = [
    ("Satuan hitung", "Satu alumnus dalam satu pelatihan. Alumni yang mengikuti dua pelatihan "
     "dihitung dua kali, sekali per pelatihan. Hanya lulusan (status kelulusan bukan "
     f"'{NOT_GRADUATED}')."),
    ("Gelombang survei dan jatuh tempo", "Survei {waves} bulan setelah pelatihan selesai "
     "(pengaturan survey.waves_months). Jatuh tempo = tanggal selesai + N bulan; tanggal "
     "yang tidak ada di bulan itu menjadi akhir bulan (31 Januari + 1 bulan = 28/29 Februari)."),
    ("Periode", f"Caturwulan ({CATURWULAN_TEXT}) atau satu tahun."),
    ("Alumni periode", "Alumni yang salah satu gelombang survei-nya jatuh tempo dalam periode "
     "dan paling lambat pada tanggal acuan. Gelombang tercatatnya adalah gelombang terakhir "
     "yang memenuhi syarat itu."),
    ("Jawaban yang dihitung", "Jawaban terakhir alumnus untuk pelatihan dan gelombang itu, "
     "tidak dibuang petugas, dan berstatus jelas."),
    ("Merespons", "Alumni periode yang punya jawaban yang dihitung untuk gelombang yang jatuh "
     "tempo dalam periode. Statusnya adalah status jawaban terakhir di antara gelombang itu."),
    ("Menolak", "Alumni periode tanpa jawaban yang dihitung yang menolak disurvei sampai "
     "tanggal acuan: dicatat petugas (langkah 6) atau menjawab 'Tidak bersedia' pada pertanyaan "
     "persetujuan (jawaban itu tidak dihitung). Mereka tidak diundang atau diingatkan lagi dan "
     "tidak termasuk 'belum merespons', tetapi tetap alumni periode (penyebut tingkat respons "
     "dan TPK seluruh alumni)."),
    ("Belum merespons", "Alumni periode yang tidak merespons dan tidak menolak."),
    ("Tingkat respons", "Merespons dibagi alumni periode."),
    ("Bekerja + wirausaha", "Alumni merespons yang berstatus {employed}."),
    ("TPK responden", "Tingkat penempatan kerja di antara yang merespons: "
     "(bekerja + wirausaha) / merespons."),
    ("TPK seluruh alumni", "Tingkat penempatan kerja seluruh alumni periode, definisi ILO/"
     "Indikit untuk pelatihan vokasi: (bekerja + wirausaha) / alumni periode. Alumni yang "
     "tidak merespons dihitung tidak bekerja, sehingga angka ini batas bawah."),
    ("Kumulatif", "Semua alumni yang salah satu gelombang survei-nya jatuh tempo sampai "
     "tanggal acuan; merespons bila punya satu saja jawaban yang dihitung; status dari "
     "jawaban terbarunya."),
    ("Periode sebelumnya", "Hitungan yang sama untuk caturwulan (atau tahun) sebelumnya. "
     "Perubahan dalam poin = (angka periode ini − angka periode sebelumnya) × 100."),
    ("Waktu tunggu", "Tanggal mulai bekerja/berusaha dikurangi tanggal selesai pelatihan, "
     "untuk alumni bekerja/wirausaha dalam periode; 1 bulan = satu bulan kalender."),
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
    ("Jangkauan undangan", "Alumni yang pernah diundang survei sampai tanggal acuan, menurut "
     "laporan kirim aplikasi blast WhatsApp (data/masuk/blast/) atas nomor mereka: diterima "
     "(diterima atau dibaca), hanya terkirim, gagal (gagal terkirim atau bukan pengguna "
     "WhatsApp; tidak diingatkan lewat WhatsApp lagi), atau tanpa laporan kirim. Yang dihitung "
     "adalah status terakhir nomor itu (seluruh basis data)."),
]


def definitions(waves: Sequence[int]) -> list[tuple[str, str]]:
    """The recap's terms and definitions (workbook sheet Definisi, report appendix), with
    the survey waves of the settings (survey.waves_months)."""
    months = [str(int(w)) for w in waves]
    listed = ", ".join(months[:-1]) + " dan " + months[-1] if len(months) > 1 else "".join(months)
    employed = " atau ".join(HEADERS[code] for code in EMPLOYED)
    return [
        (term, text.replace("{waves}", listed).replace("{employed}", employed))
        for term, text in _DEFINITIONS]


BPVP_DEFINITION = ("Per BPVP", "Dalam ruang kerja gabungan: BPVP asal data alumni "
                   "(ruang kerja yang digabung); data ruang kerja ini sendiri memakai "
                   "institution.short_name.")


@dataclass
class Recap:
    """Step 8 results. Rates and `persen` columns are fractions 0..1 (NaN over zero).

    `by[...]` frames start with their group columns (BREAKDOWNS) followed by the summary
    columns; `by["bpvp"]` exists only when more than one BPVP is present. `cohorts` is
    long: one row per cohort and wave due by the as-of date. `top_employers` ranks every
    workplace (the report shows the first `[report] top_employers`).
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
    refused: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REFUSED_COLUMNS))

    def change_points(self, rate: str = "tpk_seluruh") -> float:
        """Rate this period minus rate previous period, in points of the rates as printed
        (one decimal), so "61,3% ... naik 4,2 poin" adds up; NaN if either is unknown."""
        if "periode_sebelumnya" not in self.summary.index:
            return float("nan")
        now = self.summary.at["periode", rate]
        before = self.summary.at["periode_sebelumnya", rate]
        return float(round(round(now * 100, 1) - round(before * 100, 1), 1))
