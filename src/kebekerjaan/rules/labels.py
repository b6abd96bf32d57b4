"""The words staff read for the states, kinds and counts the code passes around, one home each.

Codes (the values stored and compared) sit beside their Indonesian labels, so a new state,
kind or count is added here once and every list, sheet, summary and page shows it the same
way: the CLI's run summary, the workbooks, the notebooks and the staff app all read this
module. Two vocabularies live elsewhere: the employment statuses in rules/statuses.py (their
codes come from the questionnaire) and the words of the file imports in io/intake.py (a
floor below this one).
"""

from __future__ import annotations

import re
from pathlib import Path

# --- states and kinds ----------------------------------------------------------------------

# How an answer was matched to an alumnus (stored in answers.match_status).
MATCHED, REVIEW, UNMATCHED = "cocok", "tinjau", "tidak cocok"
MATCH_LABELS = {MATCHED: "Cocok", REVIEW: "Perlu ditinjau", UNMATCHED: "Tidak cocok"}

# What was sent to an alumnus (stored in outreach_log.kind; store migration 1 lists them).
INVITATION, REMINDER, VACANCY = "undangan", "pengingat", "lowongan"
SURVEY_KINDS = (INVITATION, REMINDER)  # the survey's own messages (steps 4 and 5)
# The kind mid-sentence: "undangan untuk pelatihan itu menyusul pada proses berikutnya".
OUTREACH_LABELS = {INVITATION: "undangan", REMINDER: "pengingat", VACANCY: "info lowongan"}

# Where an answer came from (stored in answers.source):
# code: (label in lists, sheets and forms; as a count of the run summary; in a refusal).
FORM, WHATSAPP, MANUAL = "formulir", "whatsapp", "manual"
_SOURCE_WORDS = {
    FORM: ("Google Form", "dari formulir", "formulir: tidak bersedia"),
    WHATSAPP: ("Grup WhatsApp", "dari WhatsApp", "WhatsApp: tidak bersedia"),
    MANUAL: ("Dicatat petugas", "dicatat petugas", "dicatat petugas"),
}
SOURCES: tuple[str, ...] = tuple(_SOURCE_WORDS)
SOURCE_LABELS = {code: words[0] for code, words in _SOURCE_WORDS.items()}
# "menolak disurvei sejak 2026-11-20 (formulir: tidak bersedia)" (rules/refusals.py).
REFUSAL_SOURCE_TEXT = {code: words[2] for code, words in _SOURCE_WORDS.items()}

# Sex as stored (io/normalize/fields: "L" / "P") and as the recap groups it.
SEX_LABELS = {"L": "Laki-laki", "P": "Perempuan"}

# An alumnus's latest word as staff read it (the vacancy list's *Status Terakhir*) when it is
# not a status of the questionnaire (whose labels are in kuesioner.toml).
NO_ANSWER_YET = "Belum ada jawaban survei"
REFUSED_SHOWN = "Menolak disurvei"

# --- the recap's indicators and checks -----------------------------------------------------

# Summary columns of a recap besides the status counts (whose words are in statuses.py):
# code: (workbook header, report header, narrow report header with soft hyphens).
INDICATORS = {
    "alumni": ("Alumni", "Alumni sasaran", "Alumni"),
    "merespons": ("Merespons", "Merespons", "Me\u00adres\u00adpons"),
    "menolak": ("Menolak", "Menolak disurvei", "Me\u00adno\u00adlak"),
    "tingkat_respons": ("Tingkat Respons", "Tingkat respons", "Tingkat res\u00adpons"),
    "bekerja_wirausaha": ("Bekerja + Wirausaha", "Bekerja + wirausaha",
                          "Bekerja + wira\u00adusaha"),
    "tpk_responden": ("TPK Responden", "TPK responden", "TPK res\u00adpon\u00adden"),
    "tpk_seluruh": ("TPK Seluruh Alumni", "TPK seluruh alumni", "TPK selu\u00adruh"),
}
WORKBOOK_INDICATORS = {code: words[0] for code, words in INDICATORS.items()}
REPORT_INDICATORS = {code: words[1] for code, words in INDICATORS.items()}
SHORT_INDICATORS = {code: words[2] for code, words in INDICATORS.items()}

# Data-quality checks of a recap (recap.model.QUALITY_KEYS), rows of the workbook's "Mutu
# Data" sheet and of the report's quality table.
QUALITY_LABELS = {
    "baris_alumni_ditolak": "Baris data alumni ditolak",
    "baris_respons_ditolak": "Baris jawaban formulir ditolak",
    "jawaban_tidak_cocok": "Jawaban tidak cocok dengan alumni",
    "antrean_tinjauan": "Jawaban menunggu tinjauan petugas",
}
# Reach of the invitations (Definisi: "Jangkauan undangan", recap.model.REACH_KEYS), the rows
# that follow them.
REACH_LABELS = {
    "diundang": "Alumni diundang survei (jangkauan undangan)",
    "pesan_diterima": "Undangan diterima/dibaca (laporan blast)",
    "pesan_terkirim": "Undangan hanya terkirim (laporan blast)",
    "pesan_gagal": "Undangan gagal / bukan pengguna WhatsApp (laporan blast)",
    "tanpa_laporan_kirim": "Undangan tanpa laporan kirim",
}

# --- counts --------------------------------------------------------------------------------

# Every count a step records for the run manifest (core.runs.record_step), as the run
# summary and the notebooks name it. A step that records a new count adds its words here.
COUNT_LABELS = {
    # file imports (io/intake.file_totals; steps 1, 2 and 7)
    "rows_read": "baris dibaca", "accepted": "diterima", "new": "baru", "updated": "diperbarui",
    "unchanged": "tidak berubah", "duplicates": "ganda", "rejected": "ditolak",
    "flagged": "perlu dicek", "files_imported": "berkas diimpor",
    "files_skipped": "berkas dilewati", "files_failed": "berkas gagal",
    "files_unread": "berkas tidak dibaca",
    # step 3
    "open_vacancies": "lowongan yang dibagikan", "kejuruan": "pesan grup WhatsApp (per kejuruan)",
    "posters": "poster", "recipients": "alumni dalam daftar kirim pribadi",
    "messages_per_vacancy": "pesan per lowongan", "outreach_logged": "catatan pengiriman baru",
    # steps 4 and 5 (listed_wave_<n>: see count_label)
    "in_window": "masa undangan terbuka", "already_answered": "sudah menjawab",
    "answered_today": "di antaranya jawabannya masuk hari ini",
    "refused_today": "di antaranya penolakannya masuk hari ini",
    "already_invited": "sudah diundang", "due": "perlu dikirimi",
    "held_for_review": "ditahan (jawaban menunggu tinjauan)", "deferred_same_day": "ditunda",
    "no_phone": "tanpa nomor WA", "listed": "masuk daftar kirim", "logged_new": "catatan baru",
    "cohorts": "angkatan", "late_collected_trainings": "pelatihan terlambat dihimpun",
    "invited_open": "diundang", "reminders_used_up": "pengingat habis",
    "window_closed": "masa survei lewat", "too_soon": "belum waktunya",
    "blast_rows_read": "laporan blast: baris dibaca", "blast_new": "laporan blast: status baru",
    "blast_unchanged": "laporan blast: sudah ada", "blast_duplicates": "laporan blast: ganda",
    "blast_rejected": "laporan blast: ditolak", "blast_files_imported": "laporan blast diimpor",
    "blast_files_skipped": "laporan blast dilewati", "blast_files_failed": "laporan blast gagal",
    "blast_files_unread": "laporan blast tidak dibaca",
    # steps 3, 4 and 5: what came back, read before the list when step 7 had not read it
    "read_first_files": "berkas yang masuk dibaca lebih dulu",
    "read_first_answers": "jawaban baru dibaca lebih dulu",
    "read_first_deliveries": "status laporan kirim baru dibaca lebih dulu",
    # step 6
    "answers_in_period": "jawaban caturwulan ini",
    **{f"source_{code}": words[1] for code, words in _SOURCE_WORDS.items()},
    # step 7 (answers.records refresh totals)
    "answers": "jawaban tersimpan", "matched": "cocok dengan alumni",
    "by_code": "cocok lewat kode responden", "to_review": "perlu ditinjau",
    "unmatched": "tidak cocok", "in_wave": "masuk gelombang survei", "discarded": "dibuang",
    "refreshed": "dicocokkan/ditempatkan pada proses ini", "form_rejects": "baris formulir ditolak",
    "new_answers_in_run": "jawaban baru masuk pada proses ini",
    # step 8 (and the recap's quality and reach, recap.quality)
    "in_scope": "alumni periode", "responded": "merespons", "employed": "bekerja/wirausaha",
    "not_responded": "belum merespons", "refused": "menolak disurvei",
    "cumulative_alumni": "alumni kumulatif", "cumulative_responded": "merespons kumulatif",
    "baris_alumni_ditolak": "baris alumni ditolak", "baris_respons_ditolak": "baris respons ditolak",
    "jawaban_tidak_cocok": "jawaban tidak cocok", "antrean_tinjauan": "antrean tinjauan",
    "diundang": "diundang", "pesan_diterima": "pesan diterima", "pesan_terkirim": "pesan terkirim",
    "pesan_gagal": "pesan gagal", "tanpa_laporan_kirim": "tanpa laporan kirim",
    # step 9
    "alumni": "alumni", "merespons": "merespons", "bekerja_wirausaha": "bekerja/wirausaha",
}
# Survey waves are configurable (survey.waves_months), so their counts are named by pattern.
_WAVE_COUNT = re.compile(r"listed_wave_(\d+)")


def count_label(key: str) -> str:
    """How the run summary names a recorded count. A key without words here shows as
    '[key]', so a count recorded without a label is seen, never silently renamed."""
    wave = _WAVE_COUNT.fullmatch(key)
    if wave:
        return f"bulan {wave.group(1)}"
    return COUNT_LABELS.get(key, f"[{key}]")


def is_labelled(key: str) -> bool:
    """Whether count_label knows the words for `key`."""
    return key in COUNT_LABELS or _WAVE_COUNT.fullmatch(key) is not None


# --- where staff drop files, and what a run produced ----------------------------------------

# data/masuk/<kind>/ (core.workspace.INPUT_KINDS) as staff know each folder.
INBOX_LABELS = {
    "alumni": "Ekspor SIAPkerja (data alumni, langkah 1)",
    "lowongan": "Daftar lowongan dari mitra atau Disnaker (langkah 2)",
    "blast": "Laporan kirim aplikasi blast WhatsApp (langkah 5)",
    "respons": "Unduhan jawaban Google Form (langkah 7)",
    "wa": "Ekspor obrolan grup WhatsApp alumni (langkah 7)",
}

# What each file a run writes is for: (pattern of its path in the run folder, group, label).
# Groups: "kirim" (to send), "baca" (to read or hand on), "periksa" (to check and fix).
# `{x}` in a label is the part of the name the pattern's "*" matched (a kejuruan, a period).
# The first pattern a file matches names it; a file no pattern knows is listed as "Berkas lain".
OUTPUT_GROUPS = {"baca": "Untuk dibaca dan diserahkan", "kirim": "Untuk dikirim",
                 "periksa": "Untuk diperiksa dan diperbaiki", "lain": "Berkas lain"}
OUTPUT_PURPOSES: tuple[tuple[str, str, str], ...] = (
    ("laporan_*.pdf", "baca", "Laporan PDF untuk pimpinan ({x})"),
    ("laporan_*.html", "baca", "Laporan sebagai halaman web ({x})"),
    ("rekap_kebekerjaan_*.xlsx", "baca", "Rekap kebekerjaan, Excel ({x})"),
    ("smile_*.xlsx", "kirim", "Lembar unggah SMILe ({x})"),
    ("undangan_survei.csv", "kirim", "Daftar undangan WA untuk aplikasi blast"),
    ("undangan_survei_wa.html", "kirim", "Undangan survei: tautan WhatsApp satu per satu"),
    ("undangan_survei.xlsx", "kirim", "Daftar undangan survei, Excel"),
    ("pengingat_survei.csv", "kirim", "Daftar pengingat WA untuk aplikasi blast"),
    ("pengingat_survei_wa.html", "kirim", "Pengingat survei: tautan WhatsApp satu per satu"),
    ("pengingat_survei.xlsx", "kirim", "Daftar pengingat survei, Excel"),
    ("blast_lowongan.csv", "kirim", "Daftar info lowongan WA untuk aplikasi blast"),
    ("blast_lowongan_wa.html", "kirim", "Info lowongan: tautan WhatsApp satu per satu"),
    ("blast_lowongan.xlsx", "kirim", "Daftar info lowongan, Excel"),
    ("poster_lowongan_*.png", "kirim", "Poster lowongan ({x})"),
    ("lowongan_wa_grup_*.txt", "kirim", "Pesan lowongan untuk grup WA ({x})"),
    ("lowongan_instagram.txt", "kirim", "Teks lowongan untuk Instagram"),
    ("tanpa_nomor_wa*.xlsx", "periksa", "Alumni tanpa nomor WA: hubungi dengan cara lain"),
    ("ditolak_alumni.xlsx", "periksa", "Baris data alumni yang ditolak"),
    ("perlu_dicek_alumni.xlsx", "periksa", "Data alumni yang perlu dicek"),
    ("ditolak_lowongan.xlsx", "periksa", "Baris lowongan yang ditolak"),
    ("ditolak_respons.xlsx", "periksa", "Baris jawaban formulir yang ditolak"),
    ("ditolak_laporan_blast.xlsx", "periksa", "Baris laporan blast yang ditolak"),
    ("ditolak_*.xlsx", "periksa", "Baris yang ditolak ({x})"),
    ("perlu_ditinjau.xlsx", "periksa", "Jawaban yang perlu ditinjau"),
    ("lini_masa_angkatan.xlsx", "baca", "Lini masa survei per angkatan"),
)


def _purpose(name: str) -> tuple[int, str, str]:
    """(rank in OUTPUT_PURPOSES, group, label) of a file name."""
    from fnmatch import fnmatchcase

    for rank, (pattern, group, label) in enumerate(OUTPUT_PURPOSES):
        if fnmatchcase(name, pattern):
            head, _, tail = pattern.partition("*")
            x = name[len(head):len(name) - len(tail)] if "*" in pattern else ""
            period = re.search(r"\d{4}(?:-[IVX]+)?", x)
            x = f"periode {period.group()}" if period else x.replace("_", " ").replace("-", " ")
            return rank, group, label.replace("{x}", x)
    return len(OUTPUT_PURPOSES), "lain", name


def output_label(path: Path) -> tuple[str, str]:
    """(group, label) of a file a run wrote (OUTPUT_PURPOSES)."""
    _, group, label = _purpose(Path(path).name)
    return group, label


def labelled_outputs(produced: list[Path]) -> list[tuple[str, str, Path]]:
    """(group, label, path) of what a run wrote, in the order staff want them: the report
    and lists to read, then what to send, then what to check, then the rest. Executed
    notebooks are not staff's (the run folder keeps them)."""
    order = {group: i for i, group in enumerate(OUTPUT_GROUPS)}
    rows = []
    for path in map(Path, produced):
        if path.parent.name == "notebooks" or path.suffix == ".ipynb":
            continue
        rank, group, label = _purpose(path.name)
        rows.append((order[group], rank, label, group, path))
    rows.sort(key=lambda r: r[:3])
    return [(group, label, path) for _, _, label, group, path in rows]
