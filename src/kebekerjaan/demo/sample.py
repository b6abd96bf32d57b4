"""Synthetic SIAPkerja-style alumni exports (SOP step 1 data) for demos, tests and benchmarks.

Everything here is invented. Names are random combinations of common given names. NIKs are
structurally valid (a real kecamatan code, then the birth date, then a random serial) but
random. Mobile numbers use real operator prefixes, but the subscriber part always starts
with "0" (e.g. 0812-0xxx-xxxx), which marks them as synthetic. E-mails use the reserved
example.* domains (RFC 2606).

`alumni_frame` returns the rows as an export holds them: text cells are str, and a cell that
Excel would store as a number or date is int or `datetime.date`. `write_sample` writes
that frame as the file variants staff really download (see its docstring).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "HEADERS",
    "MESSY_KINDS",
    "UNKNOWN_KEJURUAN",
    "alumni_frame",
    "write_sample",
    "write_vacancy_sample",
]

# Internal column key -> header in a SIAPkerja participant export. Every header is an alias
# from [columns.alumni] in defaults.toml (tests check this).
HEADERS: dict[str, str] = {
    "nik": "NIK",
    "name": "Nama Lengkap",
    "sex": "Jenis Kelamin",
    "birth_date": "Tanggal Lahir",
    "education": "Pendidikan Terakhir",
    "address": "Alamat",
    "phone": "No. Telp/WA",
    "email": "Email",
    "kejuruan": "Kejuruan",
    "program": "Program Pelatihan",
    "angkatan": "Angkatan",
    "start_date": "Tanggal Mulai",
    "end_date": "Tanggal Selesai",
    "graduation": "Status Kelulusan",
}

# Headers (and column order) of the two CSV exports: other alias spellings, as exported by
# other staff or an older portal version.
_HEADERS_CP1252: dict[str, str] = {
    "name": "Nama Peserta",
    "nik": "NIK",
    "sex": "JK",
    "birth_date": "Tgl Lahir",
    "education": "Pendidikan",
    "address": "Alamat",
    "phone": "No HP/WA",
    "email": "E-mail",
    "kejuruan": "Kejuruan",
    "program": "Nama Pelatihan",
    "angkatan": "Gelombang",
    "start_date": "Tgl Mulai",
    "end_date": "Tgl Selesai",
    "graduation": "Keterangan Lulus",
}
_HEADERS_BOM: dict[str, str] = {
    "nik": "NO. KTP",
    "name": "NAMA PESERTA",
    "sex": "L/P",
    "birth_date": "TGL LAHIR",
    "education": "PENDIDIKAN",
    "phone": "NO HP",
    "email": "EMAIL",
    "address": "ALAMAT LENGKAP",
    "kejuruan": "NAMA KEJURUAN",
    "program": "NAMA PROGRAM",
    "angkatan": "ANGKATAN",
    "start_date": "TGL AWAL PELATIHAN",
    "end_date": "TGL AKHIR PELATIHAN",
    "graduation": "STATUS KELULUSAN",
}

# Kinds of bad or untidy rows `alumni_frame(messy=True)` produces, one kind per affected row.
MESSY_KINDS: tuple[str, ...] = (
    # an intake must reject these
    "nik_scientific",  # "7.47101E+15": Excel destroyed the digits
    "nik_short",
    "nik_province_unknown",  # province code 99
    "name_empty",
    "kejuruan_unknown",
    "program_empty",
    "angkatan_empty",
    "end_date_empty",
    "end_date_unreadable",
    # recoverable NIK spellings
    "nik_spaces",
    "nik_dots",
    "nik_apostrophe",
    "nik_trailing_zero",  # "7471...0001.0"
    "nik_number",  # int cell, as Excel stores a NIK typed without a leading apostrophe
    # an intake should keep but flag these
    "phone_missing",
    "phone_invalid",
    "phone_landline",
    "nik_sex_mismatch",
    "nik_birth_mismatch",
    "birth_date_unreadable",
    # exact copy of the previous row (same training, so same file)
    "duplicate_row",
)
# Relative frequency of each kind beyond the one guaranteed occurrence.
_KIND_WEIGHT = {
    "phone_missing": 6,
    "nik_number": 4,
    "nik_spaces": 3,
    "nik_apostrophe": 3,
    "nik_trailing_zero": 3,
    "phone_invalid": 3,
    "nik_scientific": 3,
    "duplicate_row": 3,
    "phone_landline": 2,
    "birth_date_unreadable": 2,
    "nik_birth_mismatch": 2,
    "end_date_empty": 2,
}
_MESSY_SHARE = 0.10

# Deliberately unknown kejuruan (not a canonical name or alias, and far from all of them).
UNKNOWN_KEJURUAN: tuple[str, ...] = ("Perhiasan Emas", "Operator Alat Berat")

# Kecamatan codes (PPKKDD) for NIKs, from the Kemendagri code list (present in the 2016,
# 2020 and 2025 versions): kode, kecamatan, kabupaten/kota, weight. Hard-coded because the
# package must not depend on the reference folder at run time.
_KECAMATAN: tuple[tuple[str, str, str, float], ...] = (
    ("747101", "Mandonga", "Kota Kendari", 6),
    ("747102", "Kendari", "Kota Kendari", 4),
    ("747103", "Baruga", "Kota Kendari", 5),
    ("747104", "Poasia", "Kota Kendari", 6),
    ("747105", "Kendari Barat", "Kota Kendari", 5),
    ("747106", "Abeli", "Kota Kendari", 4),
    ("747107", "Wua-Wua", "Kota Kendari", 4),
    ("747108", "Kadia", "Kota Kendari", 5),
    ("747109", "Puuwatu", "Kota Kendari", 5),
    ("747110", "Kambu", "Kota Kendari", 6),
    ("747201", "Betoambari", "Kota Bau Bau", 1),
    ("747202", "Wolio", "Kota Bau Bau", 1.5),
    ("747206", "Murhum", "Kota Bau Bau", 1),
    ("747208", "Batupoaro", "Kota Bau Bau", 1),
    ("740104", "Kolaka", "Kab. Kolaka", 1.5),
    ("740107", "Pomalaa", "Kab. Kolaka", 1),
    ("740114", "Latambaga", "Kab. Kolaka", 1),
    ("740202", "Unaaha", "Kab. Konawe", 2),
    ("740203", "Wawotobi", "Kab. Konawe", 1.5),
    ("740211", "Soropia", "Kab. Konawe", 1.5),
    ("740315", "Batalaiworu", "Kab. Muna", 1),
    ("740316", "Katobu", "Kab. Muna", 1),
    ("740411", "Pasarwajo", "Kab. Buton", 1),
    ("740501", "Tinanggea", "Kab. Konawe Selatan", 1.5),
    ("740503", "Andoolo", "Kab. Konawe Selatan", 1.5),
    ("740504", "Palangga", "Kab. Konawe Selatan", 1.5),
    ("740505", "Landono", "Kab. Konawe Selatan", 2),
    ("740604", "Rumbia", "Kab. Bombana", 1),
    ("740605", "Kabaena", "Kab. Bombana", 0.5),
    ("740701", "Wangi-Wangi", "Kab. Wakatobi", 0.5),
    ("740801", "Lasusua", "Kab. Kolaka Utara", 0.7),
    ("740901", "Asera", "Kab. Konawe Utara", 0.7),
    ("740904", "Molawe", "Kab. Konawe Utara", 0.7),
    ("741001", "Kulisusu", "Kab. Buton Utara", 0.5),
    ("741101", "Tirawuta", "Kab. Kolaka Timur", 0.7),
    ("741103", "Ladongi", "Kab. Kolaka Timur", 0.5),
    ("741201", "Wawonii Barat", "Kab. Konawe Kepulauan", 0.5),
    ("741303", "Lawa", "Kab. Muna Barat", 0.5),
    ("741404", "Mawasangka", "Kab. Buton Tengah", 0.5),
    ("741501", "Batauga", "Kab. Buton Selatan", 0.5),
    # migrants from elsewhere (about 7%)
    ("737101", "Mariso", "Kota Makassar", 1),
    ("737103", "Makassar", "Kota Makassar", 1),
    ("731302", "Pammana", "Kab. Wajo", 0.8),
    ("731702", "Larompong", "Kab. Luwu", 0.6),
    ("727101", "Palu Timur", "Kota Palu", 0.6),
    ("317401", "Tebet", "Kota Administrasi Jakarta Selatan", 0.3),
    ("357802", "Wonocolo", "Kota Surabaya", 0.3),
)

# fmt: off
# BPVP Kendari programs: (canonical kejuruan, program, aliases staff write for the
# kejuruan, female share, relative number of trainings).
_PROGRAMS: tuple[tuple[str, str, tuple[str, ...], float, float], ...] = (
    ("Teknologi Informasi dan Komunikasi", "Desainer Grafis Madya",
     ("TIK", "Desain Grafis", "Multimedia"), 0.5, 3),
    ("Teknologi Informasi dan Komunikasi", "Operator Komputer Madya",
     ("TIK", "Komputer", "IT"), 0.6, 3),
    ("Teknologi Informasi dan Komunikasi", "Junior Web Developer",
     ("TIK", "Teknologi Informasi", "Informatika"), 0.3, 2),
    ("Otomotif", "Teknisi Sepeda Motor Injeksi",
     ("Otomotif Sepeda Motor", "Sepeda Motor", "Teknik Otomotif"), 0.04, 3),
    ("Otomotif", "Servis Kendaraan Ringan",
     ("Otomotif Mobil", "Teknik Otomotif"), 0.04, 2),
    ("Las", "Juru Las SMAW 3G",
     ("Welding", "Pengelasan", "Las / Manufaktur"), 0.03, 3),
    ("Las", "Pengelasan FCAW",
     ("Welding", "Las/Manufaktur", "Teknik Las"), 0.03, 1.5),
    ("Listrik", "Instalasi Penerangan Listrik",
     ("Teknik Listrik", "Instalasi Listrik", "Kelistrikan"), 0.05, 2),
    ("Refrigerasi", "Teknisi AC Residential",
     ("Refrigerasi dan Tata Udara", "AC", "Teknik Pendingin"), 0.04, 2),
    ("Bangunan", "Tukang Batu",
     ("Konstruksi", "Konstruksi Bangunan"), 0.02, 1),
    ("Bangunan", "Tukang Kayu Bangunan",
     ("Konstruksi", "Teknik Bangunan"), 0.02, 1),
    ("Garmen Apparel", "Menjahit Pakaian Wanita",
     ("Menjahit", "Garmen", "Garment Apparel", "Tata Busana"), 0.95, 3),
    ("Pariwisata", "Pembuatan Roti dan Kue",
     ("Tata Boga", "Kuliner"), 0.8, 2),
    ("Pariwisata", "Barista",
     ("Barista", "Perhotelan", "Hospitality"), 0.45, 1.5),
    ("Bisnis dan Manajemen", "Administrasi Perkantoran",
     ("Bisman", "Administrasi Perkantoran", "Bisnis Manajemen"), 0.75, 2),
    ("Processing", "Pengolahan Hasil Perikanan",
     ("Prosesing", "Pengolahan", "Food Processing"), 0.7, 1.5),
    ("Kecantikan", "Tata Rias Pengantin",
     ("Tata Rias", "Tata Kecantikan", "Salon"), 0.97, 1.5),
    ("Elektronika", "Teknisi Telepon Seluler",
     ("Elektronik", "Teknik Elektronika", "Electronics"), 0.15, 1.5),
)

# Names: common in Sulawesi Tenggara (Muslim, Bugis, Tolaki, Buton/Muna, plus transmigrant
# Javanese and Balinese families). Only cp1252-encodable characters, since one export
# variant is cp1252; the curly apostrophe is Excel's autocorrect and is in cp1252.
_MALE = (
    "Muhammad", "Muh.", "Ahmad", "Abdul", "Rahmat", "Syamsul", "Sudirman", "Hasanuddin", "Arif",
    "Irwan", "Fajar", "Aswar", "Ilham", "Asrul", "Rizal", "Hendra", "Yusuf", "Jumadil", "Sahrul",
    "Firman", "Akbar", "Risaldi", "Agus", "Wahyu", "Alfian", "Kadir", "Haerul", "Muliadi", "Sukri",
    "Ardiansyah", "Nasrun", "Amiruddin", "Rusdin", "Samsudin", "Jusman", "Hamka", "Safaruddin",
    "Arman", "Darmin", "Ma'ruf", "Ridwan", "Taufik", "André", "Rian", "Dedi", "Slamet", "Joko",
    "Baso", "Sompa", "Asriadi",
)
_MALE_LAST = (
    "Saputra", "Hidayat", "Pratama", "Ramadhan", "Syahputra", "Kurniawan", "Setiawan", "Saleh",
    "Hamzah", "Rahman", "Maulana", "Ilyas", "Idris", "Anwar", "Jafar", "Rasyid", "Tamrin", "Haris",
    "Mu'min", "Nugroho",
)
_FEMALE = (
    "Siti", "Sitti", "Nur", "Nurhayati", "Nur'aini", "Sri", "Dewi", "Fitri", "Rahmawati", "Hasnah",
    "Rosmiati", "Nurjannah", "Musdalifah", "Hasriani", "Sulfiani", "Ayu", "Indah", "Putri", "Risna",
    "Wahyuni", "Jumriani", "Hasmiati", "Marlina", "Asmawati", "Nurul", "Hikmah", "Ika", "Ummi",
    "Darmawati", "Fatmawati", "Nurlina", "Irma", "Sartika", "Yuliana", "Mega", "Evi", "Sumarni",
    "Rusmini", "Becce", "Ma'rifah",
)
_FEMALE_LAST = (
    "Aminah", "Aisyah", "Rahmadani", "Lestari", "Wulandari", "Safitri", "Anggraini", "Sari",
    "Handayani", "Ramadhani", "Puspita", "Amelia", "Khairunnisa", "Fadilah", "Maharani",
    "Nurfadillah", "Azzahra", "Pertiwi", "Oktaviani", "Kartika",
)
_TOLAKI_LAST = ("Tawulo", "Lasandara", "Tamburaka", "Lamaa", "Sarunde", "Pagala")
_BUTON_MALE = ("Ndoke", "Ega", "Hami", "Sudi", "Rabu", "Ima", "Juru", "Saadi", "Udu", "Bolu")
_BUTON_FEMALE = ("Hasia", "Ima", "Ani", "Nuru", "Ramla", "Fia", "Rina", "Mina", "Saria", "Ndibu")
_FATHER = (
    "Abdullah", "Usman", "Hasan", "Muhtar", "Syarifuddin", "Ismail", "Baharuddin", "Mahmud",
    "Kasim", "La Ode Hamid", "La Sudi", "Lamusu",
)
_BALI_MALE = ("I Made", "I Ketut", "I Wayan", "I Nyoman")
_BALI_FEMALE = ("Ni Made", "Ni Luh", "Ni Ketut", "Ni Wayan")
_BALI_NAME = ("Sudarma", "Suardana", "Astawa", "Arsana", "Widiastuti", "Sriasih", "Sukerti")

_STREETS = (
    "Ahmad Yani", "Sultan Hasanuddin", "Pattimura", "Diponegoro", "Malaka", "Saranani",
    "Budi Utomo", "Bunga Kamboja", "Kijang", "Lasandara", "Mekar", "Lumba-Lumba", "Pembangunan",
    "Kelapa", "Anggrek", "Rambutan", "Poros", "Haluoleo", "Madusila", "Sao-Sao", "Abunawas",
    "Chairil Anwar", "Balai Kota", "Orinunggu",
)
_PERUM = ("BTN Griya Asri", "BTN Puri Mandiri", "Perumnas", "BTN Graha Permai", "BTN Citra")
_EDUCATION = (
    ("SMA", 22), ("SMK", 24), ("SMA/Sederajat", 8), ("SLTA", 6), ("SMP", 10), ("D3", 7), ("S1", 12),
    ("Paket C", 4), ("SD", 3), ("MA", 4),
)

# Real Indonesian mobile prefixes; Telkomsel dominates in Sulawesi Tenggara.
_MOBILE_PREFIX = (
    ("811", 3), ("812", 9), ("813", 8), ("821", 7), ("822", 8), ("823", 6), ("851", 4), ("852", 9),
    ("853", 7), ("857", 3), ("858", 2), ("877", 3), ("878", 2), ("895", 2), ("896", 2), ("897", 1),
    ("898", 1), ("899", 1),
)
# Kendari, Bau-Bau, Raha, Kolaka, Unaaha
_LANDLINE_AREA = ("0401", "0402", "0403", "0405", "0408")

_MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)
# Two abbreviation sets staff use: official ones and the older spelling (Peb, Agt, Nop).
_MON_ID_NEW = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
_MON_ID_OLD = ("Jan", "Peb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agt", "Sep", "Okt", "Nop", "Des")
_MON_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# fmt: on

_EPOCH_ORD = date(1970, 1, 1).toordinal()
_COLS = tuple(HEADERS)


@dataclass
class _Sample:
    """alumni_frame's rows plus what write_sample needs to split them into files."""

    frame: pd.DataFrame  # columns keyed by internal names (see HEADERS)
    training: np.ndarray  # training id per row (rows are grouped by training, in order)
    trainings: pd.DataFrame  # per training: kejuruan, program, angkatan, start, end (date)
    kinds: np.ndarray  # messy kind per row ("" for a clean row)


@cache
def _roman(k: int) -> str:
    out = []
    for value, sym in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while k >= value:
            out.append(sym)
            k -= value
    return "".join(out)


def _ymd(ordinals: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d64 = (ordinals - _EPOCH_ORD).astype("datetime64[D]")
    month_start = d64.astype("datetime64[M]")
    y = month_start.astype("datetime64[Y]").astype(np.int64) + 1970
    m = month_start.astype(np.int64) % 12 + 1
    d = (d64 - month_start.astype("datetime64[D]")).astype(np.int64) + 1
    return y, m, d


def _dates(ordinals: np.ndarray) -> np.ndarray:
    # datetime64[D] -> object gives datetime.date, in C
    return (ordinals - _EPOCH_ORD).astype("datetime64[D]").astype(object)


def _pick(rng: np.random.Generator, pool: tuple[str, ...], n: int) -> np.ndarray:
    return np.asarray(pool, dtype=object)[rng.integers(0, len(pool), n)]


def _weighted(rng: np.random.Generator, pairs, n: int) -> np.ndarray:
    values = np.asarray([v for v, _ in pairs], dtype=object)
    w = np.asarray([w for _, w in pairs], dtype=float)
    return values[rng.choice(len(values), size=n, p=w / w.sum())]


def _trainings(rng: np.random.Generator, n: int, as_of: date) -> tuple[pd.DataFrame, np.ndarray]:
    """Plan cohorts of ~16 over the two years up to as_of; return them and row->training."""
    # 70% of cohorts have the standard 16 participants
    cap = n // 10 + 2
    sizes = np.where(rng.random(cap) < 0.7, 16, rng.integers(10, 21, cap))
    t = int(np.searchsorted(np.cumsum(sizes), n) + 1)
    sizes = sizes[:t]
    sizes[-1] -= int(sizes.sum() - n)

    w = np.asarray([p[4] for p in _PROGRAMS])
    prog = rng.choice(len(_PROGRAMS), size=t, p=w / w.sum())
    weeks = rng.integers(4, 10, t)  # 240-480 JP: one to two months
    first = date(as_of.year - 1, 1, 13).toordinal()
    first -= date.fromordinal(first).weekday()  # a Monday in mid January
    # latest Monday start so that the Friday end falls before as_of
    last = as_of.toordinal() - 1 - (7 * weeks - 3)
    start = first + (rng.random(t) * np.maximum(last - first, 1)).astype(np.int64)
    start -= (start - first) % 7  # training starts on a Monday
    end = start + 7 * weeks - 3  # ...and ends on a Friday
    end = np.minimum(end, as_of.toordinal() - 1)

    tr = pd.DataFrame(
        {
            "program_idx": prog,
            "kejuruan": [_PROGRAMS[i][0] for i in prog],
            "program": [_PROGRAMS[i][1] for i in prog],
            "start_ord": start,
            "end_ord": end,
            "size": sizes,
        }
    )
    tr["year"] = _ymd(tr["start_ord"].to_numpy())[0]
    # exports list trainings chronologically; angkatan counts per kejuruan per year
    tr = tr.sort_values(["end_ord", "start_ord", "program_idx"], kind="stable")
    tr = tr.reset_index(drop=True)
    by_start = tr.sort_values(["kejuruan", "year", "start_ord"], kind="stable")
    tr["angkatan"] = by_start.groupby(["kejuruan", "year"]).cumcount().reindex(tr.index) + 1
    row_training = np.repeat(np.arange(len(tr)), tr["size"].to_numpy())
    return tr, row_training


def _names(rng: np.random.Generator, female: np.ndarray) -> np.ndarray:
    n = len(female)
    given = np.where(female, _pick(rng, _FEMALE, n), _pick(rng, _MALE, n)).tolist()
    given2 = np.where(female, _pick(rng, _FEMALE, n), _pick(rng, _MALE, n)).tolist()
    last = np.where(female, _pick(rng, _FEMALE_LAST, n), _pick(rng, _MALE_LAST, n)).tolist()
    tolaki = _pick(rng, _TOLAKI_LAST, n).tolist()
    buton = np.where(female, _pick(rng, _BUTON_FEMALE, n), _pick(rng, _BUTON_MALE, n)).tolist()
    father = _pick(rng, _FATHER, n).tolist()
    bali = np.where(female, _pick(rng, _BALI_FEMALE, n), _pick(rng, _BALI_MALE, n)).tolist()
    bali_name = _pick(rng, _BALI_NAME, n).tolist()
    pattern = rng.choice(9, size=n, p=[0.33, 0.12, 0.14, 0.08, 0.08, 0.08, 0.07, 0.04, 0.06])
    with_last = (rng.random(n) < 0.5).tolist()
    curly = (rng.random(n) < 0.35).tolist()  # Excel autocorrect makes some apostrophes curly
    fem = female.tolist()
    out = []
    for i, p in enumerate(pattern.tolist()):
        g = given[i]
        if p == 0:
            s = f"{g} {last[i]}"
        elif p == 1:
            s = g
        elif p == 2:
            s = f"{g} {given2[i]}" if g != given2[i] else f"{g} {last[i]}"
        elif p == 3:  # Buton nobility
            s = ("Wa Ode " if fem[i] else "La Ode ") + g
            s = f"{s} {last[i]}" if with_last[i] else s
        elif p == 4:  # Buton/Muna commoner
            s = ("Wa " if fem[i] else "La ") + buton[i]
        elif p == 5:  # Bugis
            s = f"Andi {g} {last[i]}" if with_last[i] else f"Andi {g}"
        elif p == 6:
            s = f"{g} {'binti' if fem[i] else 'bin'} {father[i]}"
        elif p == 7:
            s = f"{bali[i]} {bali_name[i]}"
        else:  # Tolaki family name
            s = f"{g} {tolaki[i]}"
        if curly[i] and "'" in s:
            s = s.replace("'", "\u2019")
        out.append(s)
    return np.asarray(out, dtype=object)


def _emails(rng: np.random.Generator, names: np.ndarray, birth_year: np.ndarray) -> np.ndarray:
    n = len(names)
    present = rng.random(n) < 0.7
    style = rng.integers(0, 4, n).tolist()
    domain = _pick(rng, ("example.com", "example.net", "example.org", "example.co.id"), n)
    domain = domain.tolist()
    yy_all = (birth_year % 100).tolist()
    drop = {"bin", "binti", "muh", "i", "ni"}
    names_l = names.tolist()
    tokens_of: dict[str, tuple[str, str]] = {}  # names repeat a lot; tokenise each once
    out = np.full(n, None, dtype=object)
    for i in np.flatnonzero(present).tolist():
        name = names_l[i]
        ab = tokens_of.get(name)
        if ab is None:
            clean = re.sub(r"[^a-z ]", "", name.lower().replace("é", "e"))
            tokens = [t for t in clean.split() if t not in drop] or ["alumni"]
            ab = tokens_of[name] = (tokens[0], tokens[-1])
        a, b = ab
        yy = yy_all[i]
        if a == b:
            local = (f"{a}{yy:02d}", f"{a}.{yy:02d}", f"{a}_{yy:02d}", f"{a}{yy + 17}")[style[i]]
        else:
            local = (f"{a}.{b}", f"{a}{b}{yy:02d}", f"{a}_{yy:02d}", f"{b}{a}")[style[i]]
        out[i] = f"{local}@{domain[i]}"
    return out


def _phones(rng: np.random.Generator, n: int) -> np.ndarray:
    prefix = _weighted(rng, _MOBILE_PREFIX, n).tolist()
    # subscriber part "0xxxxxxx": a leading 0 marks the number as synthetic
    sub = rng.integers(0, 10_000_000, n).tolist()
    fmt = rng.choice(7, size=n, p=[0.3, 0.15, 0.12, 0.12, 0.08, 0.08, 0.15]).tolist()
    out = []
    for p, u, f in zip(prefix, sub, fmt, strict=True):
        s = f"{p}0{u:07d}"  # 11 digits without the trunk 0
        if f == 0:
            out.append("0" + s)
        elif f == 1:
            out.append(f"0{s[:3]}-{s[3:7]}-{s[7:]}")
        elif f == 2:
            out.append(f"+62 {s[:3]} {s[3:7]} {s[7:]}")
        elif f == 3:
            out.append(int("62" + s))  # Excel number cell
        elif f == 4:
            out.append(int(s))  # number cell that lost its leading 0
        elif f == 5:
            out.append(f"0{s[:3]} {s[3:7]} {s[7:]}")
        else:
            out.append("62" + s)
    return np.asarray(out, dtype=object)


def _addresses(rng: np.random.Generator, kec: np.ndarray, kab: np.ndarray) -> np.ndarray:
    n = len(kec)
    street = _pick(rng, _STREETS, n).tolist()
    perum = _pick(rng, _PERUM, n).tolist()
    num = rng.integers(1, 160, n).tolist()
    rt, rw = rng.integers(1, 12, n).tolist(), rng.integers(1, 8, n).tolist()
    block = rng.choice(list("ABCDEFGH"), size=n).tolist()
    pattern = rng.choice(4, size=n, p=[0.45, 0.2, 0.2, 0.15]).tolist()
    kec, kab = kec.tolist(), kab.tolist()
    dusun = ("I", "II", "III", "IV")
    out = []
    for i, p in enumerate(pattern):
        if p == 0:
            out.append(f"Jl. {street[i]} No. {num[i]}, Kec. {kec[i]}, {kab[i]}")
        elif p == 1:
            out.append(f"Jl. {street[i]} RT {rt[i]:03d}/RW {rw[i]:03d}, {kec[i]}")
        elif p == 2:
            out.append(f"{perum[i]} Blok {block[i]} No. {num[i] % 40 + 1}, {kec[i]}, {kab[i]}")
        else:
            out.append(f"Dusun {dusun[rw[i] % 4]}, Kec. {kec[i]}, {kab[i]}")
    return np.asarray(out, dtype=object)


def _generate(n: int, seed: int, messy: bool, as_of: date) -> _Sample:
    if n < 0:
        raise ValueError("n must be >= 0")
    rng = np.random.default_rng(seed)
    if n == 0:
        empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in _COLS})
        return _Sample(empty, np.zeros(0, int), pd.DataFrame(), np.zeros(0, dtype=object))
    tr, tid = _trainings(rng, n, as_of)
    t = len(tr)

    # per-training export habits (whoever typed or exported that cohort)
    upper_names = rng.random(t) < 0.35
    kej_alias = rng.random(t) < 0.35
    kej_upper = rng.random(t) < 0.1
    sex_style = rng.choice(3, size=t, p=[0.45, 0.4, 0.15])
    ang_style = rng.choice(5, size=t, p=[0.4, 0.25, 0.15, 0.12, 0.08])
    grad_upper = rng.random(t) < 0.3
    prog_upper = rng.random(t) < 0.1

    female_share = np.asarray([_PROGRAMS[i][3] for i in tr["program_idx"]])
    female = rng.random(n) < female_share[tid]

    start_ord = tr["start_ord"].to_numpy()[tid]
    age_days = ((17 + np.clip(rng.gamma(2.2, 3.2, n), 0, 28)) * 365.25).astype(np.int64)
    birth_ord = start_ord - age_days
    by, bm, bd = _ymd(birth_ord)

    kw = np.asarray([k[3] for k in _KECAMATAN], dtype=float)
    kec_idx = rng.choice(len(_KECAMATAN), size=n, p=kw / kw.sum())
    kec_code = np.asarray([int(k[0]) for k in _KECAMATAN], dtype=np.int64)[kec_idx]
    serial = rng.integers(1, 1000, n)
    base = kec_code * 10**10 + (bd + 40 * female) * 10**8 + bm * 10**6 + (by % 100) * 10**4
    nik = base + serial
    # distinct people must not share a NIK: redraw clashing serials
    for _ in range(20):
        clash = pd.Series(nik).duplicated().to_numpy()
        if not clash.any():
            break
        nik[clash] = base[clash] + rng.integers(1000, 10_000, int(clash.sum()))
    nik_s = nik.astype(str).astype(object)

    names = _names(rng, female)
    emails = _emails(rng, names, by)
    row_upper = upper_names[tid] | (rng.random(n) < 0.03)
    for i in np.flatnonzero(row_upper):
        names[i] = names[i].upper()

    sex = np.empty(n, dtype=object)
    labels = (("L", "P"), ("Laki-laki", "Perempuan"), ("LAKI-LAKI", "PEREMPUAN"))
    for k, (m_lbl, f_lbl) in enumerate(labels):
        sel = sex_style[tid] == k
        sex[sel] = np.where(female[sel], f_lbl, m_lbl)

    kec_name = np.asarray([k[1] for k in _KECAMATAN], dtype=object)[kec_idx]
    kab_name = np.asarray([k[2] for k in _KECAMATAN], dtype=object)[kec_idx]

    # per-training labels, then broadcast to rows
    kej_label = np.empty(t, dtype=object)
    alias_pick = rng.integers(0, 100, t)
    for j, p in enumerate(tr["program_idx"].to_numpy()):
        canon, _, aliases, _, _ = _PROGRAMS[p]
        s = aliases[alias_pick[j] % len(aliases)] if kej_alias[j] else canon
        kej_label[j] = s.upper() if kej_upper[j] else s
    prog_label = np.asarray(
        [p.upper() if u else p for p, u in zip(tr["program"], prog_upper, strict=True)],
        dtype=object,
    )
    ang_label = np.empty(t, dtype=object)
    for j, k in enumerate(tr["angkatan"].to_numpy().tolist()):
        ang_label[j] = (k, f"Angkatan {k}", f"Gel. {k}", _roman(k), f"Angkatan {_roman(k)}")[
            ang_style[j]
        ]
    start_obj = _dates(tr["start_ord"].to_numpy())
    end_obj = _dates(tr["end_ord"].to_numpy())
    grad = np.where(rng.random(n) < 0.97, "Lulus", "Tidak Lulus").astype(object)
    grad[grad_upper[tid]] = np.char.upper(grad[grad_upper[tid]].astype(str)).astype(object)

    cols: dict[str, np.ndarray] = {
        "nik": nik_s,
        "name": names,
        "sex": sex,
        "birth_date": _dates(birth_ord),
        "education": _weighted(rng, _EDUCATION, n),
        "address": _addresses(rng, kec_name, kab_name),
        "phone": _phones(rng, n),
        "email": emails,
        "kejuruan": kej_label[tid],
        "program": prog_label[tid],
        "angkatan": ang_label[tid],
        "start_date": start_obj[tid],
        "end_date": end_obj[tid],
        "graduation": grad,
    }
    kinds = np.full(n, "", dtype=object)
    if messy:
        kinds = _make_messy(
            rng,
            cols,
            kinds,
            tid,
            nik,
            female,
            sex_style[tid],
            birth_ord,
            tr["year"].to_numpy()[tid],
        )
    frame = pd.DataFrame({c: pd.Series(cols[c], dtype=object) for c in _COLS})
    tr["start"] = start_obj
    tr["end"] = end_obj
    return _Sample(frame, tid, tr, kinds)


def _make_messy(rng, cols, kinds, tid, nik, female, sex_style, birth_ord, year) -> np.ndarray:
    """Spoil about 10% of rows, one kind per row; each kind at least once when n allows."""
    n = len(kinds)
    m = int(round(_MESSY_SHARE * n))
    if m == 0:
        return kinds
    w = np.asarray([_KIND_WEIGHT.get(k, 1) for k in MESSY_KINDS], dtype=float)
    kinds_all = np.asarray(MESSY_KINDS, dtype=object)
    if m >= len(MESSY_KINDS):
        drawn = list(MESSY_KINDS)  # every kind once, so a demo shows them all
        drawn += list(kinds_all[rng.choice(len(kinds_all), size=m - len(drawn), p=w / w.sum())])
    else:
        drawn = list(kinds_all[rng.choice(len(kinds_all), size=m, replace=False, p=w / w.sum())])
    drawn = np.asarray(drawn, dtype=object)
    rng.shuffle(drawn)
    n_dup = int((drawn == "duplicate_row").sum())
    drawn = drawn[drawn != "duplicate_row"]
    pos = rng.choice(n, size=len(drawn), replace=False)
    kinds[pos] = drawn

    # duplicates copy the clean row just before them, in the same training
    clean = kinds == ""
    ok = np.zeros(n, dtype=bool)
    ok[1:] = clean[1:] & clean[:-1] & (tid[1:] == tid[:-1])
    cand = np.flatnonzero(ok)
    if n_dup and len(cand):
        dup = np.sort(rng.choice(cand, size=min(n_dup, len(cand)), replace=False))
        dup = dup[~np.isin(dup - 1, dup)]  # no chains: each copies an original
        kinds[dup] = "duplicate_row"

    c = cols
    nik_s = c["nik"]
    by = _ymd(birth_ord)[0]
    for i in np.flatnonzero(kinds != ""):
        k = kinds[i]
        s = nik_s[i]
        r = int(rng.integers(0, 1_000_000))  # cheap per-row variant picker
        if k == "nik_scientific":
            nik_s[i] = format(float(nik[i]), ".5E")
        elif k == "nik_short":
            nik_s[i] = (s[:15], s[:14], s[:8] + s[9:])[r % 3]
        elif k == "nik_province_unknown":
            nik_s[i] = "99" + s[2:]
        elif k == "name_empty":
            c["name"][i] = (None, " ")[r % 2]
        elif k == "kejuruan_unknown":
            c["kejuruan"][i] = UNKNOWN_KEJURUAN[r % len(UNKNOWN_KEJURUAN)]
        elif k == "program_empty":
            c["program"][i] = None
        elif k == "angkatan_empty":
            c["angkatan"][i] = None
        elif k == "end_date_empty":
            c["end_date"][i] = None
        elif k == "end_date_unreadable":
            y = int(year[i])
            c["end_date"][i] = (f"31/02/{y}", "besok", f"30 Februari {y}", "00/00/0000")[r % 4]
        elif k == "nik_spaces":
            nik_s[i] = (
                f"{s[:4]} {s[4:8]} {s[8:12]} {s[12:]}",
                f" {s} ",
                f"{s[:6]} {s[6:12]} {s[12:]}",
            )[r % 3]
        elif k == "nik_dots":
            nik_s[i] = (
                f"{s[:4]}.{s[4:8]}.{s[8:12]}.{s[12:]}",
                f"{s[:2]}.{s[2:4]}.{s[4:6]}.{s[6:12]}.{s[12:]}",
            )[r % 2]
        elif k == "nik_apostrophe":
            nik_s[i] = "'" + s
        elif k == "nik_trailing_zero":
            nik_s[i] = s + ".0"
        elif k == "nik_number":
            nik_s[i] = int(s)
        elif k == "phone_missing":
            c["phone"][i] = None
        elif k == "phone_invalid":
            c["phone"][i] = ("12345", "0812 345", "1234567")[r % 3]
        elif k == "phone_landline":
            area = _LANDLINE_AREA[r % len(_LANDLINE_AREA)]
            c["phone"][i] = f"{area}-{3 if area == '0401' else 2}{r % 1_000_000:06d}"
        elif k == "nik_sex_mismatch":
            other = (("P", "L"), ("Perempuan", "Laki-laki"), ("PEREMPUAN", "LAKI-LAKI"))
            c["sex"][i] = other[sex_style[i]][0 if not female[i] else 1]
        elif k == "nik_birth_mismatch":
            shift = (365, -365, -1096, 17, -40, 100)[r % 6]
            c["birth_date"][i] = date.fromordinal(int(birth_ord[i]) + shift)
        elif k == "birth_date_unreadable":
            c["birth_date"][i] = (f"30/02/{by[i]}", "tidak ingat", "00-00-0000")[r % 3]
    for i in np.flatnonzero(kinds == "duplicate_row"):
        for col in c.values():
            col[i] = col[i - 1]
    return kinds


def alumni_frame(
    n: int, seed: int = 2026, *, messy: bool = True, as_of: date = date(2026, 11, 27)
) -> pd.DataFrame:
    """n raw rows of a SIAPkerja participant export, with its column headers (HEADERS).

    Rows are grouped by training (cohorts of ~16, angkatan numbered per kejuruan per year,
    all ending before as_of), chronologically. All columns are object: text is str; cells
    Excel would store as numbers or dates are int or datetime.date; empty cells are None.
    With messy=True about 10% of rows carry one of MESSY_KINDS (each kind at least once when
    n >= 210). Deterministic for a given seed.
    """
    return _generate(n, seed, messy, as_of).frame.rename(columns=HEADERS)


# --- files -------------------------------------------------------------------------------


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


_KEJ_SLUG = {
    "Teknologi Informasi dan Komunikasi": "tik",
    "Bisnis dan Manajemen": "bisman",
    "Garmen Apparel": "garmen",
}


def _fmt_date(d: date, style: int) -> str:
    if style == 0:
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == 1:
        return f"{d.day} {_MON_ID_OLD[d.month - 1]} {d.year}"
    if style == 2:
        return f"{d.day} {_MON_ID_NEW[d.month - 1]} {d.year}"
    if style == 3:
        return d.isoformat()
    return f"{d.day:02d}-{_MON_EN[d.month - 1]}-{d.year % 100:02d}"


def _csv_frame(
    frame: pd.DataFrame, date_style: np.ndarray, headers: dict[str, str]
) -> pd.DataFrame:
    """Render dates as text (one style per training) and order/rename columns."""
    out = frame.copy()
    for col in ("birth_date", "start_date", "end_date"):
        vals = out[col].to_numpy(dtype=object).copy()
        for i, v in enumerate(vals):
            if isinstance(v, date):
                vals[i] = _fmt_date(v, int(date_style[i]))
        out[col] = vals
    return out[list(headers)].rename(columns=headers)


def _synthetic_mobile(rng: np.random.Generator) -> str:
    prefix = ("812", "852", "822", "853")[int(rng.integers(0, 4))]
    return f"0{prefix}-0{int(rng.integers(0, 1000)):03d}-{int(rng.integers(0, 10000)):04d}"


def _write_csv(df: pd.DataFrame, path: Path, sep: str, encoding: str) -> None:
    # Windows Excel writes CRLF; None becomes an empty field
    df.to_csv(path, sep=sep, encoding=encoding, index=False, lineterminator="\r\n")


def _long_date(d: date) -> str:
    return f"{d.day} {_MONTHS_ID[d.month - 1]} {d.year}"


def _write_xlsx(frame: pd.DataFrame, path: Path, start: date, end: date) -> None:
    """Per-training export: title block, blank row, header on row 5, NIK as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Peserta"
    ncol = len(_COLS)
    ws.append(["DAFTAR PESERTA PELATIHAN"])
    ws.append(["BPVP KENDARI"])
    ws.append([f"Periode: {_long_date(start)} s.d. {_long_date(end)}"])
    ws.append([])
    ws.append([HEADERS[c] for c in _COLS])
    for r in (1, 2, 3):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
        ws.cell(r, 1).font = Font(bold=True)
    for cell in ws[5]:
        cell.font = Font(bold=True)
    date_cols = {_COLS.index(c) for c in ("birth_date", "start_date", "end_date")}
    nik_col = _COLS.index("nik")
    for row in frame[list(_COLS)].itertuples(index=False):
        ws.append(list(row))
        cells = ws[ws.max_row]
        for j in date_cols:
            if isinstance(cells[j].value, date):
                cells[j].number_format = "DD/MM/YYYY"
        if isinstance(cells[nik_col].value, str):
            cells[nik_col].number_format = "@"
    for j, width in enumerate((20, 30, 12, 13, 14, 45, 18, 28, 22, 28, 12, 13, 13, 12), 1):
        ws.column_dimensions[ws.cell(5, j).column_letter].width = width
    wb.save(path)


# The demo's target for the official employment rate, so its report shows target against
# realisation ("contoh": a BPVP sets its own in kebekerjaan.toml).
SAMPLE_TARGETS = '[{ periode = "2026", persen = 40.0 }]'


def use_sample_target(config_path: Path) -> bool:
    """Set the sample target in a sample workspace's kebekerjaan.toml while its
    `targets` is still the empty default; returns whether it changed the file."""
    path = Path(config_path)
    if not path.exists():
        return False
    lines = path.read_text(encoding="utf-8").splitlines()
    empty = [i for i, line in enumerate(lines) if line.replace(" ", "") == "targets=[]"]
    if len(empty) != 1:
        return False
    lines[empty[0]] = f"targets = {SAMPLE_TARGETS}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return True


def write_sample(
    root: Path, n_alumni: int = 400, seed: int = 2026, as_of: date = date(2026, 11, 27)
) -> list[Path]:
    """Write synthetic SIAPkerja exports holding about n_alumni rows to root/data/masuk/alumni/.

    Variants: one .xlsx per training for a few trainings (title block, header on row 5);
    `export_siapkerja_<yyyymmdd>.csv` with `;` in cp1252 (older trainings) and another with
    `,` in UTF-8 with BOM (newer trainings); and a re-download of one .xlsx training,
    `... (1).xlsx`, in which 2 alumni have a corrected phone and 1 a corrected address while
    the other rows are identical. Returns the written paths, sorted. Needs n_alumni >= ~50
    for every variant to appear.
    """
    s = _generate(n_alumni, seed, True, as_of)
    rng = np.random.default_rng([seed, 1])  # file layout draws; independent of the rows
    folder = Path(root) / "data" / "masuk" / "alumni"
    folder.mkdir(parents=True, exist_ok=True)
    tr = s.trainings
    t = len(tr)
    if t == 0:
        return []

    n_xlsx = int(min(max(t // 3, 1), 12))
    xlsx_ids = np.sort(rng.choice(t, size=n_xlsx, replace=False))
    rest = np.setdiff1d(np.arange(t), xlsx_ids)  # chronological
    older, newer = rest[: len(rest) // 2], rest[len(rest) // 2 :]
    if len(older) == 0 and len(newer) > 0:
        older, newer = newer, older
    written: list[Path] = []

    def rows(ids: np.ndarray) -> pd.DataFrame:
        return s.frame[np.isin(s.training, ids)]

    def xlsx_name(j: int) -> str:
        kej = tr["kejuruan"][j]
        slug = _KEJ_SLUG.get(kej, _slug(kej))
        return f"peserta_{slug}_angkatan{tr['angkatan'][j]}_{tr['year'][j]}"

    for j in xlsx_ids:
        path = folder / f"{xlsx_name(j)}.xlsx"
        _write_xlsx(rows([j]), path, tr["start"][j], tr["end"][j])
        written.append(path)

    # date style per training: (b) dd/mm/yyyy or "12 Agt 2025"; (c) ISO or "12-Jan-25"
    style_b = rng.choice([0, 1, 2], size=t, p=[0.5, 0.3, 0.2])[s.training]
    style_c = rng.choice([3, 4], size=t)[s.training]
    used: set[str] = set()

    def export_path(ids: np.ndarray) -> Path:
        # exported a month after the last training in it ended (SOP step 1)
        day = min(as_of, tr["end"][int(ids.max())] + timedelta(days=30))
        while day.strftime("%Y%m%d") in used:
            day -= timedelta(days=1)
        used.add(day.strftime("%Y%m%d"))
        return folder / f"export_siapkerja_{day:%Y%m%d}.csv"

    for ids, style, headers, sep, enc in (
        (older, style_b, _HEADERS_CP1252, ";", "cp1252"),
        (newer, style_c, _HEADERS_BOM, ",", "utf-8-sig"),
    ):
        if len(ids):
            sel = np.isin(s.training, ids)
            path = export_path(ids)
            _write_csv(_csv_frame(s.frame[sel], style[sel], headers), path, sep, enc)
            written.append(path)

    # re-download of an xlsx training with a few contact details corrected
    # only clean rows that are not the original of a duplicate, so copies stay identical
    fixable = s.kinds == ""
    fixable[:-1] &= s.kinds[1:] != "duplicate_row"
    sizes = [int((fixable & (s.training == j)).sum()) for j in xlsx_ids]
    j = int(xlsx_ids[int(np.argmax(sizes))])
    again = rows([j]).copy()
    clean = np.flatnonzero(fixable[s.training == j])
    fix = rng.choice(clean, size=min(3, len(clean)), replace=False)
    for k, i in enumerate(fix):
        idx = again.index[i]
        if k < 2:
            again.at[idx, "phone"] = _synthetic_mobile(rng)
        else:
            street = _STREETS[int(rng.integers(0, len(_STREETS)))]
            again.at[idx, "address"] = (
                f"Jl. {street} No. {int(rng.integers(160, 300))}, Kec. Kambu, Kota Kendari"
            )
    path = folder / f"{xlsx_name(j)} (1).xlsx"
    _write_xlsx(again, path, tr["start"][j], tr["end"][j])
    written.append(path)
    write_vacancy_sample(root, seed=seed, as_of=as_of)  # SOP steps 2-3; returned by that function
    from kebekerjaan.demo.answers import write_answer_sample

    write_answer_sample(root, s, as_of, seed)  # SOP steps 6-7
    return sorted(written)


# --- vacancies (SOP steps 2-3) ---------------------------------------------------------------

# fmt: off
# Fictional Kendari employers and the jobs they would offer: (company, location, position,
# kejuruan as staff write it, minimum education). Two rows name two kejuruan.
_VACANCIES: tuple[tuple[str, str, str, str, str], ...] = (
    ("PT Sultra Mandiri Teknik", "Kendari", "Juru Las SMAW", "Las", "SMK"),
    ("PT Sultra Mandiri Teknik", "Morowali Utara", "Teknisi Listrik Industri",
     "Listrik, Elektronika", "SMK"),
    ("CV Anoa Digital", "Kendari", "Desainer Grafis", "Desain Grafis", "SMA/SMK"),
    ("CV Anoa Digital", "Kendari", "Admin Media Sosial", "TIK; Bisnis dan Manajemen", "SMA/SMK"),
    ("Bengkel Maju Motor Kendari", "Kendari", "Mekanik Sepeda Motor", "Otomotif Sepeda Motor", "SMK"),
    ("PT Haluoleo Auto Service", "Baruga, Kendari", "Teknisi Servis Mobil", "Otomotif", "SMK"),
    ("Hotel Teluk Kendari", "Kendari", "Barista", "Barista", "SMA"),
    ("Toko Roti Mekar Sari", "Poasia, Kendari", "Asisten Pembuat Roti", "Tata Boga", "SMP"),
    ("PT Dingin Sejuk Teknik", "Kendari", "Teknisi AC", "Refrigerasi", "SMK"),
    ("CV Tenun Buton Lestari", "Bau-Bau", "Penjahit Konveksi", "Menjahit", "SMP"),
    ("Salon Cantik Mandonga", "Mandonga, Kendari", "Penata Rias", "Tata Rias", "SMA"),
    ("PT Segar Sultra Food", "Konawe Selatan", "Operator Pengolahan Ikan", "Pengolahan", "SMA"),
    ("CV Bangun Haluoleo Konstruksi", "Unaaha", "Tukang Kayu", "Konstruksi", "SD"),
    ("Konter Sinar Wua-Wua", "Wua-Wua, Kendari", "Teknisi Telepon Seluler", "Elektronik", "SMK"),
    ("Koperasi Karya Abeli", "Abeli, Kendari", "Staf Administrasi", "Administrasi Perkantoran",
     "SMA"),
)
_VACANCY_SOURCES = ("Kunjungan perusahaan", "Disnaker Kota Kendari", "Email HRD", "Job fair",
                    "Instagram perusahaan")
_VACANCY_HEADERS = ("Nama Perusahaan", "Jabatan", "Kejuruan Terkait", "Lokasi Kerja",
                    "Pendidikan Minimal", "Jumlah Lowongan", "Batas Lamaran", "Cara Melamar",
                    "Narahubung", "Sumber", "Tanggal Diterima")
# fmt: on


def vacancy_frame(seed: int = 2026, as_of: date = date(2026, 11, 27)) -> pd.DataFrame:
    """Synthetic vacancy rows (as a vacancy list holds them) around `as_of`.

    Most are open on `as_of`, a few already closed (deadline passed), one closes on
    `as_of` itself and one has no deadline. Columns are _VACANCY_HEADERS.
    """
    rng = np.random.default_rng([seed, 2])
    rows = []
    for i, (company, place, position, kejuruan, edu) in enumerate(_VACANCIES):
        received = as_of - timedelta(days=int(rng.integers(3, 25)))
        if i % 5 == 4:  # every fifth: deadline already passed
            deadline: date | None = as_of - timedelta(days=int(rng.integers(1, 20)))
        elif i == 6:
            deadline = as_of  # open through its last day
        elif i == 12:
            deadline = None  # "sampai terpenuhi"
        else:
            deadline = as_of + timedelta(days=int(rng.integers(5, 40)))
        user = re.sub(r"[^a-z]", "", company.lower().split()[-1])
        contact = f"08{int(rng.choice([12, 13, 52, 53]))}-0{int(rng.integers(100, 999))}-" \
                  f"{int(rng.integers(1000, 9999))}"
        how = (f"Kirim CV dan fotokopi ijazah ke hrd@{user}.example.id" if i % 3 == 0
               else "Datang langsung membawa CV" if i % 3 == 1
               else f"Daftar di https://karier.{user}.example.id")
        rows.append([company, position, kejuruan, place, edu, int(rng.integers(1, 6)), deadline,
                     how, contact, _VACANCY_SOURCES[int(rng.integers(0, len(_VACANCY_SOURCES)))],
                     received])
    return pd.DataFrame(rows, columns=list(_VACANCY_HEADERS), dtype=object)


def write_vacancy_sample(
    root: Path, seed: int = 2026, as_of: date = date(2026, 11, 27)
) -> list[Path]:
    """Write two synthetic vacancy lists to root/data/masuk/lowongan/ and return them.

    `lowongan_disnaker_<yyyymmdd>.xlsx`: title block, real date cells, most vacancies.
    `lowongan_mitra_<yyyymmdd>.csv`: `;`-separated UTF-8 with dd/mm/yyyy text dates, a few
    more vacancies, one repeated from the xlsx with more openings (an update), and three bad
    rows: an unknown kejuruan, a missing company and an unreadable deadline.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    frame = vacancy_frame(seed, as_of)
    folder = Path(root) / "data" / "masuk" / "lowongan"
    folder.mkdir(parents=True, exist_ok=True)
    first, second = frame.iloc[:10], frame.iloc[10:]

    xlsx = folder / f"lowongan_disnaker_{as_of - timedelta(days=7):%Y%m%d}.xlsx"
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Lowongan"
    sheet.append(["REKAP INFORMASI LOWONGAN KERJA"])
    sheet.append([f"Dihimpun s.d. {_long_date(as_of - timedelta(days=7))}"])
    sheet.append([])
    sheet.append(list(_VACANCY_HEADERS))
    for cell in (sheet["A1"], *sheet[4]):
        cell.font = Font(bold=True)
    for row in first.itertuples(index=False):
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    wb.save(xlsx)

    update = first.iloc[[1]].copy()  # same vacancy, more openings
    update["Jumlah Lowongan"] = int(update["Jumlah Lowongan"].iloc[0]) + 2
    bad = pd.DataFrame([
        ["PT Kendari Emas Cemerlang", "Pengrajin Perhiasan", UNKNOWN_KEJURUAN[0], "Kendari",
         "SMP", 1, as_of + timedelta(days=10), "Datang langsung", "0812-0555-1234", "Disnaker",
         as_of - timedelta(days=2)],
        [None, "Operator Forklift", "Teknik Mesin", "Pomalaa", "SMA", 2,
         as_of + timedelta(days=12), "Datang langsung", "0813-0444-9876", "Job fair",
         as_of - timedelta(days=2)],
        ["PT Bahari Pomalaa Nusantara", "Mekanik Alat Berat", "Otomotif", "Pomalaa", "SMK", 3,
         "akhir bulan ini", "Kirim CV ke kantor", "0852-0333-1122", "Job fair",
         as_of - timedelta(days=2)],
    ], columns=list(_VACANCY_HEADERS), dtype=object)
    csv_frame = pd.concat([second, update, bad], ignore_index=True)
    for col in ("Batas Lamaran", "Tanggal Diterima"):
        csv_frame[col] = csv_frame[col].map(
            lambda d: f"{d:%d/%m/%Y}" if isinstance(d, date) else ("" if d is None else d))
    csv_path = folder / f"lowongan_mitra_{as_of - timedelta(days=2):%Y%m%d}.csv"
    csv_frame.to_csv(csv_path, sep=";", index=False, encoding="utf-8-sig", lineterminator="\r\n")
    # The csv is newer: it updates the vacancy it shares with the xlsx.
    os.utime(xlsx, ns=(1_700_000_000_000_000_000,) * 2)
    os.utime(csv_path, ns=(1_700_000_100_000_000_000,) * 2)
    return [xlsx, csv_path]
