"""Fixtures for the step 9 report tests: a recap with fixed, hand-checkable numbers (the real
Recap and Period of SOP step 8), so the report's wording can be tested for rises, falls,
missing periods and empty periods."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from kebekerjaan.steps.recap import Period, Recap

COLUMNS = ["alumni", "merespons", "menolak", "tingkat_respons", "bekerja", "wirausaha", "mencari",
           "belum_memungkinkan", "studi", "bekerja_wirausaha", "tpk_responden", "tpk_seluruh"]


def div(a, b) -> float:
    return a / b if b else math.nan


def row(alumni, bekerja, wirausaha, mencari, belum, studi, menolak=0) -> dict:
    resp = bekerja + wirausaha + mencari + belum + studi
    bw = bekerja + wirausaha
    return dict(alumni=alumni, merespons=resp, menolak=menolak, tingkat_respons=div(resp, alumni),
                bekerja=bekerja,
                wirausaha=wirausaha, mencari=mencari, belum_memungkinkan=belum, studi=studi,
                bekerja_wirausaha=bw, tpk_responden=div(bw, resp), tpk_seluruh=div(bw, alumni))


def _dist(groups, counts) -> pd.DataFrame:
    total = sum(counts)
    return pd.DataFrame({"kelompok": groups, "jumlah": counts,
                         "persen": [c / total if total else math.nan for c in counts]})


def make_recap(now: dict | None = None, prev: dict | None = "default", *, label="2026-III",
               as_of=date(2026, 11, 27)) -> Recap:
    """412 alumni, 287 respondents, 176 employed (61,3%) against 57,1% the period before."""
    now = now if now is not None else row(412, 120, 56, 80, 20, 11)
    rows = {"periode": now}
    if prev == "default":
        prev = row(350, 100, 60, 90, 22, 8)
    if prev is not None:
        rows["periode_sebelumnya"] = prev
    rows["kumulatif"] = row(1300, 400, 180, 300, 60, 30)
    summary = pd.DataFrame.from_dict(rows, orient="index")[COLUMNS]
    by_kej = pd.DataFrame.from_dict({
        "Otomotif": row(120, 50, 10, 20, 5, 3), "Las": row(90, 30, 20, 15, 5, 2),
        "Teknologi Informasi dan Komunikasi": row(150, 35, 20, 40, 8, 5),
        "Pariwisata": row(52, 5, 6, 5, 2, 1)}, orient="index")[COLUMNS]
    by_kej.index.name = "kejuruan"
    by = {"kejuruan": by_kej}
    for key, groups in (("program", ["Mekanik Sepeda Motor", "Juru Las SMAW", "Desainer Grafis Muda",
                                     "Barista"]),
                        ("angkatan", ["1", "2", "3", "4"]), ("gelombang", ["1 bulan", "3 bulan",
                                                                            "6 bulan", "-"]),
                        ("jenis_kelamin", ["Laki-laki", "Perempuan", "-", "--"]),
                        ("kabkota", ["Kota Kendari", "Kab. Konawe", "Kab. Konawe Selatan", "Kab. Kolaka"])):
        frame = by_kej.copy()
        frame.index = pd.Index(groups, name=key)
        by[key] = frame.iloc[: 2 if key == "jenis_kelamin" else 4]
    employed = pd.DataFrame({
        "nik": [f"74710101{i:02d}900001" for i in range(1, 13)],
        "nama": [f"Alumni Contoh {i}" for i in range(1, 13)],
        "kejuruan": ["Otomotif"] * 12, "program": ["Mekanik Sepeda Motor"] * 12,
        "angkatan": ["2"] * 12, "tahun": [2026] * 12, "status": ["Bekerja"] * 12,
        "tempat_kerja": ["Bengkel Maju Jaya (hubungi 081234567890)"] + ["PT Contoh Sejahtera"] * 11,
        "jabatan": ["Mekanik"] * 12, "mulai": [date(2026, 10, 1)] * 12, "sumber": ["formulir"] * 12,
        "tanggal_jawaban": [date(2026, 11, 2)] * 12, "gelombang": [1] * 12,
    })
    return Recap(
        period=Period.parse(label), as_of=as_of, summary=summary, by=by,
        waiting_time=_dist(["< 1 bulan", "1–3 bulan", "3–6 bulan", "> 6 bulan"], [60, 70, 30, 16]),
        relevance=_dist(["Sangat erat", "Erat", "Kurang erat", "Tidak erat"], [50, 80, 30, 16]),
        income=_dist(["< Rp1 juta", "Rp1–3 juta", "Rp3–5 juta", "> Rp5 juta"], [20, 100, 45, 11]),
        employer_type=_dist(["Swasta", "Usaha sendiri", "Pemerintah/BUMN"], [110, 56, 10]),
        top_employers=pd.DataFrame({"nama": ["PT Contoh Sejahtera", "Bengkel Maju Jaya"],
                                    "jumlah": [11, 4]}),
        cohorts=pd.DataFrame(), employed=employed, not_responded=pd.DataFrame({"nik": []}),
        quality={"baris_alumni_ditolak": 7, "baris_respons_ditolak": 3, "jawaban_tidak_cocok": 5,
                 "antrean_tinjauan": 12},
        definitions=[("Tingkat respons", "Responden dibagi alumni sasaran."),
                     ("TPK responden", "Bekerja atau berwirausaha dibagi responden.")],
    )


class FixedRecap:
    """What the `fixed_recap` fixture gives: make() a Recap, row() a summary row of counts,
    COLUMNS the summary's columns in order."""

    COLUMNS = COLUMNS
    row = staticmethod(row)
    make = staticmethod(make_recap)


@pytest.fixture
def fixed_recap() -> FixedRecap:
    return FixedRecap()
