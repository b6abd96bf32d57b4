"""SOP step 8: recap the survey — response and employment rates, breakdowns, lists.

The unit is an alumnus in a training (an enrolment), graduates only. A period is a
caturwulan ("2026-III") or a year ("2026"). An enrolment is in scope for a period when
one of its survey waves falls due in the period, on or before the as-of date; its wave
of record is the latest such wave. It has responded when it has a counted answer
(latest for its training and wave, not discarded, with a status) to a wave due in the
period, and its status is that of the latest such answer. The cumulative figures take
every wave due up to the as-of date and the most recent counted answer of any wave.

Everything here is computed from the store alone; `recap_step` writes the recap
workbook and the SMILe entry sheet and records the step for the run manifest.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from kebekerjaan import store
from kebekerjaan.answers.matching import UNMATCHED
from kebekerjaan.answers.records import review_queue
from kebekerjaan.config import Settings, load_settings
from kebekerjaan.errors import ConfigError, KebekerjaanError
from kebekerjaan.excel import PERCENT_FORMAT, write_workbook
from kebekerjaan.outreach import NOT_GRADUATED, add_months
from kebekerjaan.questionnaire import load_questionnaire
from kebekerjaan.runs import record_step
from kebekerjaan.workspace import Workspace

STEP = 8

# --- periods -----------------------------------------------------------------------

_ROMAN = ("I", "II", "III")
_CATURWULAN_MONTHS = ("Januari–April", "Mei–Agustus", "September–Desember")
_PERIOD_RE = re.compile(r"^\s*(\d{4})\s*(?:[-/ ]\s*(III|II|I|[123])\s*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    """A caturwulan ("2026-III": September–December 2026) or a year ("2026")."""

    label: str
    start: date
    end: date

    @classmethod
    def parse(cls, text: str) -> Period:
        m = _PERIOD_RE.match(text or "")
        if not m or not 1900 <= int(m.group(1)) <= 2999:
            raise KebekerjaanError(
                f"Periode '{text}' tidak dikenal. Tulis caturwulan seperti 2026-III "
                "(I: Januari–April, II: Mei–Agustus, III: September–Desember) atau tahun "
                "seperti 2026."
            )
        year = int(m.group(1))
        part = m.group(2)
        if part is None:
            return cls(str(year), date(year, 1, 1), date(year, 12, 31))
        n = int(part) if part.isdigit() else _ROMAN.index(part.upper()) + 1
        return cls._caturwulan(year, n)

    @classmethod
    def containing(cls, day: date) -> Period:
        """The caturwulan of a date."""
        day = pd.Timestamp(day)
        return cls._caturwulan(day.year, (day.month - 1) // 4 + 1)

    @classmethod
    def _caturwulan(cls, year: int, n: int) -> Period:
        first = 4 * (n - 1) + 1
        end = add_months(date(year, first, 1), 4) - timedelta(days=1)
        return cls(f"{year}-{_ROMAN[n - 1]}", date(year, first, 1), end)

    @property
    def is_year(self) -> bool:
        return "-" not in self.label

    @property
    def number(self) -> int | None:
        """1, 2 or 3 for a caturwulan; None for a year."""
        return None if self.is_year else _ROMAN.index(self.label.split("-")[1]) + 1

    def previous(self) -> Period:
        """2026-I -> 2025-III; 2026-II -> 2026-I; 2026 -> 2025."""
        year = self.start.year
        if self.is_year:
            return Period.parse(str(year - 1))
        n = self.number
        return Period._caturwulan(year - 1, 3) if n == 1 else Period._caturwulan(year, n - 1)

    @property
    def title(self) -> str:
        """"Caturwulan III 2026 (September–Desember)" or "Tahun 2026"."""
        if self.is_year:
            return f"Tahun {self.start.year}"
        n = self.number
        return f"Caturwulan {_ROMAN[n - 1]} {self.start.year} ({_CATURWULAN_MONTHS[n - 1]})"


# --- the recap ---------------------------------------------------------------------

STATUSES = ("bekerja", "wirausaha", "mencari", "belum_memungkinkan", "studi")
EMPLOYED = ("bekerja", "wirausaha")
SUMMARY_COLUMNS = ["alumni", "merespons", "tingkat_respons", *STATUSES, "bekerja_wirausaha",
                   "tpk_responden", "tpk_seluruh"]
RATE_COLUMNS = ("tingkat_respons", "tpk_responden", "tpk_seluruh")
# Group columns of each breakdown (an angkatan is only unique within program and year).
BREAKDOWNS = {
    "kejuruan": ["kejuruan"],
    "program": ["kejuruan", "program"],
    "angkatan": ["kejuruan", "program", "angkatan", "tahun"],
    "gelombang": ["gelombang"],
    "jenis_kelamin": ["jenis_kelamin"],
    "kabkota": ["kabkota"],
}
COHORT_KEYS = ["kejuruan", "program", "angkatan", "tahun"]
UNKNOWN = "Tidak diketahui"
UNKNOWN_GROUP = "tidak diketahui"
SEX_LABELS = {"L": "Laki-laki", "P": "Perempuan"}
WAITING_BUCKETS = ("sebelum selesai pelatihan", "<= 1 bulan", "<= 3 bulan", "<= 6 bulan",
                   "> 6 bulan", UNKNOWN_GROUP)
TOP_EMPLOYERS = 10

# One row per in-scope enrolment; `employed`, `not_responded` and the SMILe sheet are
# column selections of it. Dates are datetime64 (NaT when unknown); status is a code.
IN_SCOPE_COLUMNS = [
    "nik", "nama", "jenis_kelamin", "tanggal_lahir", "pendidikan", "alamat", "no_hp", "email",
    "provinsi", "kabkota", "kejuruan", "program", "angkatan", "tahun",
    "tanggal_mulai_pelatihan", "tanggal_selesai", "gelombang", "jatuh_tempo", "status",
    "tempat_kerja", "jabatan", "jenis_tempat_kerja", "bidang_usaha", "lokasi_kerja", "mulai",
    "penghasilan", "relevansi", "cara_mendapat_kerja", "sumber", "tanggal_jawaban",
    "gelombang_jawaban",
]
EMPLOYED_COLUMNS = ["nik", "nama", "kejuruan", "program", "angkatan", "tahun", "status",
                    "tempat_kerja", "jabatan", "mulai", "sumber", "tanggal_jawaban", "gelombang",
                    "jenis_kelamin", "kabkota", "jenis_tempat_kerja", "bidang_usaha",
                    "lokasi_kerja", "penghasilan", "relevansi"]
NOT_RESPONDED_COLUMNS = ["nik", "nama", "no_hp", "kejuruan", "program", "angkatan", "tahun",
                         "gelombang", "jatuh_tempo"]
QUALITY_KEYS = ("baris_alumni_ditolak", "baris_respons_ditolak", "jawaban_tidak_cocok",
                "antrean_tinjauan")

DEFINITIONS: list[tuple[str, str]] = [
    ("Satuan hitung", "Satu alumnus dalam satu pelatihan. Alumni yang mengikuti dua pelatihan "
     "dihitung dua kali, sekali per pelatihan. Hanya lulusan (status kelulusan bukan "
     "'Tidak Lulus')."),
    ("Gelombang survei dan jatuh tempo", "Survei 1, 3 dan 6 bulan setelah pelatihan selesai "
     "(pengaturan survey.waves_months). Jatuh tempo = tanggal selesai + N bulan; tanggal "
     "yang tidak ada di bulan itu menjadi akhir bulan (31 Januari + 1 bulan = 28/29 Februari)."),
    ("Periode", "Caturwulan (I: Januari–April, II: Mei–Agustus, III: September–Desember) "
     "atau satu tahun."),
    ("Alumni periode", "Alumni yang salah satu gelombang survei-nya jatuh tempo dalam periode "
     "dan paling lambat pada tanggal acuan. Gelombang tercatatnya adalah gelombang terakhir "
     "yang memenuhi syarat itu."),
    ("Jawaban yang dihitung", "Jawaban terakhir alumnus untuk pelatihan dan gelombang itu, "
     "tidak dibuang petugas, dan berstatus jelas."),
    ("Merespons", "Alumni periode yang punya jawaban yang dihitung untuk gelombang yang jatuh "
     "tempo dalam periode. Statusnya adalah status jawaban terakhir di antara gelombang itu."),
    ("Tingkat respons", "Merespons dibagi alumni periode."),
    ("Bekerja + wirausaha", "Alumni merespons yang berstatus Bekerja atau Wirausaha."),
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
]


@dataclass
class Recap:
    """Step 8 results. Rates and `persen` columns are fractions 0..1 (NaN over zero).

    `by[...]` frames start with their group columns (BREAKDOWNS) followed by the summary
    columns. `cohorts` is long: one row per cohort and wave due by the as-of date.
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

    def change_points(self, rate: str = "tpk_seluruh") -> float:
        """Rate this period minus rate previous period, in points of the rates as printed
        (one decimal), so "61,3% ... naik 4,2 poin" adds up; NaN if either is unknown."""
        if "periode_sebelumnya" not in self.summary.index:
            return float("nan")
        now = self.summary.at["periode", rate]
        before = self.summary.at["periode_sebelumnya", rate]
        return float(round(round(now * 100, 1) - round(before * 100, 1), 1))


def compute_recap(ws: Workspace, period: Period, as_of: date) -> Recap:
    waves = ws.settings().survey["waves_months"]
    con = store.connect(ws.store_path)
    try:
        return recap_frames(con, period, as_of, waves=waves)
    finally:
        con.close()


def recap_frames(con: sqlite3.Connection, period: Period, as_of: date,
                 waves: Sequence[int] | None = None) -> Recap:
    """The recap from an open store; `waves` defaults to the package's survey.waves_months."""
    waves = tuple(waves or load_settings().survey["waves_months"])
    as_of = pd.Timestamp(as_of).date()
    enrol = _load_enrolments(con)
    due = _wave_dues(enrol, waves)
    answers = _load_answers(con, as_of)
    questionnaire = load_questionnaire()

    scope = _scope(enrol, due, answers, period.start, min(period.end, as_of))
    previous = period.previous()
    before = _scope(enrol, due, answers, previous.start, min(previous.end, as_of))
    cumulative = _cumulative(enrol, due, answers, as_of)
    summary = pd.DataFrame(
        [_counts(scope), _counts(before), _counts(cumulative)],
        index=["periode", "periode_sebelumnya", "kumulatif"],
    )[SUMMARY_COLUMNS]

    detail = _detail(scope, questionnaire)
    employed_rows = detail[detail["status"].isin(EMPLOYED)]
    employed = employed_rows.assign(gelombang=employed_rows["gelombang_jawaban"])[EMPLOYED_COLUMNS]
    not_responded = detail[detail["status"].isna()][NOT_RESPONDED_COLUMNS]
    raw_employed = scope[scope["status"].isin(EMPLOYED)]
    return Recap(
        period=period,
        as_of=as_of,
        summary=summary,
        by={name: _breakdown(scope, keys) for name, keys in BREAKDOWNS.items()},
        waiting_time=_waiting_time(raw_employed),
        relevance=_option_distribution(raw_employed["relevance"], "relevance", questionnaire),
        income=_option_distribution(raw_employed["income"], "income", questionnaire),
        employer_type=_option_distribution(raw_employed["employer_type"], "employer_type",
                                           questionnaire),
        top_employers=_top_employers(raw_employed["employer"]),
        cohorts=_cohorts(scope, enrol, due, answers, as_of),
        employed=employed.reset_index(drop=True),
        not_responded=not_responded.reset_index(drop=True),
        quality=_quality(con),
        definitions=list(DEFINITIONS),
        in_scope=detail.reset_index(drop=True),
    )


# --- reading the store ---------------------------------------------------------------

def _load_enrolments(con) -> pd.DataFrame:
    frame = pd.read_sql_query(
        "SELECT e.id AS enrolment_id, e.nik, a.name AS nama, a.sex, a.birth_date, a.education, "
        "a.address, a.phone, a.email, a.prov_name, a.kabkota_name, e.kejuruan, e.program, "
        "e.angkatan, e.training_year AS tahun, e.start_date AS training_start, e.end_date "
        "FROM enrolments e JOIN alumni a ON a.nik = e.nik "
        "WHERE IFNULL(e.graduation, '') <> ?",
        con, params=(NOT_GRADUATED,),
    )
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    frame["jenis_kelamin"] = frame["sex"].map(SEX_LABELS).fillna(UNKNOWN)
    kabkota = frame["kabkota_name"].where(frame["kabkota_name"].fillna("").str.strip() != "")
    frame["kabkota"] = kabkota.fillna(UNKNOWN)
    return frame


def _wave_dues(enrol: pd.DataFrame, waves: tuple[int, ...]) -> pd.DataFrame:
    """enrolment_id, wave, due: one row per enrolment and wave (computed per end date)."""
    ends = pd.unique(enrol["end_date"])
    table = pd.DataFrame(
        [(end, w, add_months(pd.Timestamp(end).date(), w)) for end in ends for w in waves],
        columns=["end_date", "wave", "due"],
    )
    table["end_date"] = pd.to_datetime(table["end_date"])
    table["due"] = pd.to_datetime(table["due"])
    return enrol[["enrolment_id", "end_date"]].merge(table, on="end_date")[
        ["enrolment_id", "wave", "due"]]


_ANSWER_COLUMNS = ("id", "enrolment_id", "wave", "status", "answered_at", "employer", "position",
                   "employer_type", "sector", "location", "start_date", "income", "relevance",
                   "job_source", "source")


def _load_answers(con, as_of: date) -> pd.DataFrame:
    """Counted answers as known on `as_of`: the latest for their training and wave, kept,
    with a status. (answers.is_latest is over the whole store, so a recap with a past
    as-of date picks its own latest among the answers it may see.)"""
    frame = pd.read_sql_query(
        f"SELECT {', '.join(_ANSWER_COLUMNS)} FROM answers "
        "WHERE discarded = 0 AND status IS NOT NULL AND enrolment_id IS NOT NULL "
        "AND wave IS NOT NULL AND substr(answered_at, 1, 10) <= ? "
        "ORDER BY answered_at, id",
        con, params=(as_of.isoformat(),),
    )
    frame = frame.drop_duplicates(["enrolment_id", "wave"], keep="last").reset_index(drop=True)
    frame["enrolment_id"] = frame["enrolment_id"].astype("int64")
    frame["wave"] = frame["wave"].astype("int64")
    return frame


def _quality(con) -> dict[str, int]:
    def one(sql, *params):
        return int(con.execute(sql, params).fetchone()[0])

    return {
        "baris_alumni_ditolak": one("SELECT COUNT(*) FROM rejects WHERE kind = 'alumni'"),
        "baris_respons_ditolak": one("SELECT COUNT(*) FROM rejects WHERE kind = 'respons'"),
        "jawaban_tidak_cocok": one(
            "SELECT COUNT(*) FROM answers WHERE discarded = 0 AND match_status = ?", UNMATCHED),
        "antrean_tinjauan": len(review_queue(con)),
    }


# --- scope and counts ----------------------------------------------------------------

def _latest_answer(answers: pd.DataFrame) -> pd.DataFrame:
    """Each enrolment's most recent answer among `answers`."""
    ranked = answers.sort_values(["answered_at", "id"])
    return ranked.drop_duplicates("enrolment_id", keep="last").rename(
        columns={"wave": "answer_wave"})


def _scope(enrol, due, answers, start: date, until: date) -> pd.DataFrame:
    """In-scope enrolments of a period (waves due from `start` to `until`), with status."""
    in_period = due[(due["due"] >= pd.Timestamp(start)) & (due["due"] <= pd.Timestamp(until))]
    return _with_answers(enrol, in_period, answers.merge(
        in_period[["enrolment_id", "wave"]], on=["enrolment_id", "wave"]))


def _cumulative(enrol, due, answers, as_of: date) -> pd.DataFrame:
    return _with_answers(enrol, due[due["due"] <= pd.Timestamp(as_of)], answers)


def _with_answers(enrol, waves_due, answers) -> pd.DataFrame:
    record = (waves_due.sort_values(["enrolment_id", "wave"])
              .drop_duplicates("enrolment_id", keep="last")
              .rename(columns={"wave": "gelombang", "due": "jatuh_tempo"}))
    frame = enrol.merge(record, on="enrolment_id")
    return frame.merge(_latest_answer(answers), on="enrolment_id", how="left")


def _ratio(num, den):
    return num / den if den else float("nan")


def _counts(frame: pd.DataFrame) -> dict:
    status = frame["status"]
    row = {"alumni": len(frame), "merespons": int(status.notna().sum())}
    for code in STATUSES:
        row[code] = int((status == code).sum())
    row["bekerja_wirausaha"] = row["bekerja"] + row["wirausaha"]
    row["tingkat_respons"] = _ratio(row["merespons"], row["alumni"])
    row["tpk_responden"] = _ratio(row["bekerja_wirausaha"], row["merespons"])
    row["tpk_seluruh"] = _ratio(row["bekerja_wirausaha"], row["alumni"])
    return row


def _breakdown(scope: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if scope.empty:
        return pd.DataFrame(columns=[*keys, *SUMMARY_COLUMNS])
    flags = pd.DataFrame({"alumni": 1, "merespons": scope["status"].notna().astype(int)},
                         index=scope.index)
    for code in STATUSES:
        flags[code] = (scope["status"] == code).astype(int)
    out = flags.groupby([scope[k] for k in keys], dropna=False).sum().reset_index()
    out["bekerja_wirausaha"] = out["bekerja"] + out["wirausaha"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["tingkat_respons"] = out["merespons"] / out["alumni"]
        out["tpk_responden"] = (out["bekerja_wirausaha"] / out["merespons"]).where(
            out["merespons"] > 0)
        out["tpk_seluruh"] = out["bekerja_wirausaha"] / out["alumni"]
    return _sorted(out, keys)[[*keys, *SUMMARY_COLUMNS]].reset_index(drop=True)


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Groups in reading order: year first, angkatan numerically ("2" before "10")."""
    order = [k for k in ("tahun", "kejuruan", "program", "angkatan") if k in keys]
    order += [k for k in keys if k not in order]

    def key(col):
        if col.name == "angkatan":
            return col.astype(str).str.zfill(8)
        return col

    return frame.sort_values(order, key=key, kind="stable")


def _distribution(groups: pd.Series, order: list[str]) -> pd.DataFrame:
    """Counts in `order`; unexpected groups go before the closing "tidak diketahui"."""
    counts = groups.value_counts()
    extra = sorted(set(counts.index) - set(order))
    labels = [*order[:-1], *extra, order[-1]]
    jumlah = [int(counts.get(g, 0)) for g in labels]
    total = sum(jumlah)
    return pd.DataFrame({"kelompok": labels, "jumlah": jumlah,
                         "persen": [_ratio(n, total) for n in jumlah]})


def _waiting_time(employed: pd.DataFrame) -> pd.DataFrame:
    start = pd.to_datetime(employed["start_date"], errors="coerce", format="ISO8601")
    end = employed["end_date"]
    bucket = pd.Series(UNKNOWN_GROUP, index=employed.index, dtype=object)
    known = start.notna()
    # Widest bucket first, then narrower ones overwrite.
    bucket[known] = "> 6 bulan"
    for months, label in ((6, "<= 6 bulan"), (3, "<= 3 bulan"), (1, "<= 1 bulan")):
        bucket[known & (start <= end + pd.DateOffset(months=months))] = label
    bucket[known & (start < end)] = "sebelum selesai pelatihan"
    return _distribution(bucket, list(WAITING_BUCKETS))


def _option_distribution(values: pd.Series, question: str, q) -> pd.DataFrame:
    options = q[question].options
    labels = {o.code: o.text for o in options}
    groups = values.map(lambda v: labels.get(v, v) if isinstance(v, str) and v.strip() else None)
    return _distribution(groups.fillna(UNKNOWN_GROUP), [*(o.text for o in options), UNKNOWN_GROUP])


def _top_employers(names: pd.Series) -> pd.DataFrame:
    """The most frequent workplaces; spellings differing in case or spaces count as one."""
    clean = names.dropna().map(lambda s: " ".join(str(s).split())).loc[lambda s: s != ""]
    if clean.empty:
        return pd.DataFrame({"nama": pd.Series(dtype=object), "jumlah": pd.Series(dtype="int64")})
    frame = pd.DataFrame({"key": clean.str.casefold(), "nama": clean})
    # Shown as its most frequent spelling; on a tie, one in mixed case ("PT Maju Jaya"
    # rather than "PT MAJU JAYA" or "pt maju jaya").
    spelling = frame.groupby(["key", "nama"]).size().rename("n").reset_index()
    spelling["flat"] = spelling["nama"].map(lambda s: s.isupper() or s.islower())
    spelling = (spelling.sort_values(["key", "n", "flat", "nama"],
                                     ascending=[True, False, True, True])
                .drop_duplicates("key").set_index("key")["nama"])
    counts = frame.groupby("key").size().rename("jumlah").reset_index()
    counts["nama"] = counts["key"].map(spelling)
    counts = counts.sort_values(["jumlah", "nama"], ascending=[False, True], kind="stable")
    return counts[["nama", "jumlah"]].head(TOP_EMPLOYERS).reset_index(drop=True)


def _cohorts(scope, enrol, due, answers, as_of: date) -> pd.DataFrame:
    columns = [*COHORT_KEYS, "gelombang", "alumni", "responden", "tingkat_respons",
               "bekerja_wirausaha", "persen"]
    if scope.empty:
        return pd.DataFrame(columns=columns)
    cohorts = scope[COHORT_KEYS].drop_duplicates()
    members = enrol.merge(cohorts, on=COHORT_KEYS)[["enrolment_id", *COHORT_KEYS]]
    waves = due[due["due"] <= pd.Timestamp(as_of)].merge(members, on="enrolment_id")
    waves = waves.merge(answers[["enrolment_id", "wave", "status"]], on=["enrolment_id", "wave"],
                        how="left")
    waves["responden"] = waves["status"].notna().astype(int)
    waves["bekerja_wirausaha"] = waves["status"].isin(EMPLOYED).astype(int)
    waves["alumni"] = 1
    out = (waves.groupby([*COHORT_KEYS, "wave"])[["alumni", "responden", "bekerja_wirausaha"]]
           .sum().reset_index().rename(columns={"wave": "gelombang"}))
    out["tingkat_respons"] = out["responden"] / out["alumni"]
    out["persen"] = (out["bekerja_wirausaha"] / out["responden"]).where(out["responden"] > 0)
    return _sorted(out, [*COHORT_KEYS, "gelombang"])[columns].reset_index(drop=True)


def _detail(scope: pd.DataFrame, q) -> pd.DataFrame:
    """One row per in-scope enrolment, with person, training, wave and answer fields."""

    def label(question):
        texts = {o.code: o.text for o in q[question].options}
        return lambda v: texts.get(v, v) if isinstance(v, str) else None

    def multi(question):
        texts = {o.code: o.text for o in q[question].options}
        return lambda v: "; ".join(texts.get(c.strip(), c.strip()) for c in v.split(";")
                                   if c.strip()) if isinstance(v, str) else None

    def day(col):
        return pd.to_datetime(col, errors="coerce", format="ISO8601").dt.normalize()

    out = pd.DataFrame({
        "nik": scope["nik"], "nama": scope["nama"], "jenis_kelamin": scope["jenis_kelamin"],
        "tanggal_lahir": day(scope["birth_date"]), "pendidikan": scope["education"],
        "alamat": scope["address"], "no_hp": scope["phone"], "email": scope["email"],
        "provinsi": scope["prov_name"], "kabkota": scope["kabkota"],
        "kejuruan": scope["kejuruan"], "program": scope["program"],
        "angkatan": scope["angkatan"], "tahun": scope["tahun"],
        "tanggal_mulai_pelatihan": day(scope["training_start"]),
        "tanggal_selesai": scope["end_date"], "gelombang": scope["gelombang"],
        "jatuh_tempo": scope["jatuh_tempo"], "status": scope["status"],
        "tempat_kerja": scope["employer"], "jabatan": scope["position"],
        "jenis_tempat_kerja": scope["employer_type"].map(label("employer_type")),
        "bidang_usaha": scope["sector"].map(label("sector")),
        "lokasi_kerja": scope["location"], "mulai": day(scope["start_date"]),
        "penghasilan": scope["income"].map(label("income")),
        "relevansi": scope["relevance"].map(label("relevance")),
        "cara_mendapat_kerja": scope["job_source"].map(multi("job_source")),
        "sumber": scope["source"], "tanggal_jawaban": day(scope["answered_at"]),
        "gelombang_jawaban": scope["answer_wave"].astype("Int64"),
    })
    return _sorted(out, ["kejuruan", "program", "angkatan", "tahun", "nama", "nik"])[
        IN_SCOPE_COLUMNS]


# --- workbooks -----------------------------------------------------------------------

HEADERS = {
    "alumni": "Alumni", "merespons": "Merespons", "tingkat_respons": "Tingkat Respons",
    "bekerja": "Bekerja", "wirausaha": "Wirausaha", "mencari": "Mencari Kerja",
    "belum_memungkinkan": "Belum Memungkinkan Bekerja", "studi": "Melanjutkan Pendidikan",
    "bekerja_wirausaha": "Bekerja + Wirausaha", "tpk_responden": "TPK Responden",
    "tpk_seluruh": "TPK Seluruh Alumni",
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
    "gelombang_jawaban": "Gelombang Jawaban (bulan)",
    "kelompok": "Kelompok", "jumlah": "Jumlah", "persen": "Persen", "responden": "Responden",
}
SOURCE_LABELS = {"formulir": "formulir", "whatsapp": "WhatsApp", "manual": "dicatat petugas"}
NO_RESPONSE = "Belum merespons"
_POINTS = {"tingkat_respons": "Perubahan Tingkat Respons (poin)",
           "tpk_responden": "Perubahan TPK Responden (poin)",
           "tpk_seluruh": "Perubahan TPK Seluruh (poin)"}


def _status_labels(codes: pd.Series) -> pd.Series:
    q = load_questionnaire()
    return codes.map(lambda c: q.status_label(c) if isinstance(c, str) else NO_RESPONSE)


def _for_staff(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    if "status" in out:
        out["status"] = _status_labels(out["status"])
    if "sumber" in out:
        out["sumber"] = out["sumber"].map(lambda s: SOURCE_LABELS.get(s, s))
    return out.rename(columns=HEADERS)


def recap_sheets(recap: Recap) -> dict[str, pd.DataFrame]:
    """The recap workbook's sheets, in order, with Indonesian headers."""
    as_of = recap.as_of.strftime("%d-%m-%Y")
    summary = recap.summary.copy()
    summary.insert(0, "Keterangan", [
        {"periode": recap.period.title,
         "periode_sebelumnya": f"{recap.period.previous().title} (periode sebelumnya)",
         "kumulatif": f"Kumulatif sampai {as_of}"}.get(i, i) for i in summary.index])
    for rate, header in _POINTS.items():
        summary[header] = [recap.change_points(rate) if i == "periode" else np.nan
                           for i in summary.index]
    employed = _for_staff(recap.employed)
    sheets = {
        "Ringkasan": summary.reset_index(drop=True).rename(columns=HEADERS),
        "Per Kejuruan": _for_staff(recap.by["kejuruan"]),
        "Per Program": _for_staff(recap.by["program"]),
        "Per Angkatan": _for_staff(recap.by["angkatan"]),
        "Per Gelombang Survei": _for_staff(recap.by["gelombang"]),
        "Per Jenis Kelamin": _for_staff(recap.by["jenis_kelamin"]),
        "Per Kab-Kota": _for_staff(recap.by["kabkota"]),
        "Waktu Tunggu": _for_staff(recap.waiting_time),
        "Relevansi": _for_staff(recap.relevance),
        "Penghasilan": _for_staff(recap.income),
        "Jenis Tempat Kerja": _for_staff(recap.employer_type),
        "Tempat Kerja Teratas": recap.top_employers.rename(
            columns={"nama": "Tempat Kerja/Usaha", "jumlah": "Jumlah Alumni"}),
        "Kohort": _for_staff(recap.cohorts).rename(
            columns={"Gelombang Survei (bulan)": "Gelombang (bulan)",
                     "Persen": "Bekerja + Wirausaha dari Responden"}),
        "Alumni Bekerja": employed[recap.employed["status"].to_numpy() == "bekerja"],
        "Alumni Wirausaha": employed[recap.employed["status"].to_numpy() == "wirausaha"].drop(
            columns=["Jabatan"]),
        "Belum Merespons": _for_staff(recap.not_responded),
        "Mutu Data": pd.DataFrame({
            "Pemeriksaan": ["Baris ekspor alumni ditolak", "Baris formulir jawaban ditolak",
                            "Jawaban tidak cocok dengan alumni", "Jawaban menunggu tinjauan"],
            "Jumlah": [recap.quality[k] for k in QUALITY_KEYS]}),
        "Definisi": pd.DataFrame(recap.definitions, columns=["Istilah", "Definisi"]),
    }
    return sheets


def _formats(sheets: dict[str, pd.DataFrame]) -> dict[str, dict[str, str]]:
    """Rates as percentages, changes in points with one decimal."""
    percent = {HEADERS[c] for c in (*RATE_COLUMNS, "persen")} | {
        "Bekerja + Wirausaha dari Responden"}
    out = {}
    for name, frame in sheets.items():
        cols = {c: PERCENT_FORMAT for c in frame.columns if c in percent}
        cols.update({c: "0.0" for c in frame.columns if c in _POINTS.values()})
        out[name] = cols
    return out


def write_recap_workbook(recap: Recap, run_dir: Path) -> Path:
    """outputs/<run-id>/rekap_kebekerjaan_<periode>.xlsx."""
    sheets = recap_sheets(recap)
    path = Path(run_dir) / f"rekap_kebekerjaan_{recap.period.label}.xlsx"
    return write_workbook(path, sheets, formats=_formats(sheets))


SMILE_FIELDS = tuple(IN_SCOPE_COLUMNS)


def smile_columns(settings: Settings) -> list[tuple[str, str]]:
    """(header, field) of the SMILe sheet from `[smile]`, checked."""
    where = settings.source.name if settings.source else "defaults.toml"
    columns = settings.raw["smile"]["columns"]
    if not columns:
        raise ConfigError(f"{where}: 'smile.columns' kosong; cantumkan paling sedikit satu kolom.")
    out, seen = [], set()
    for i, item in enumerate(columns, start=1):
        header = str(item.get("header", "")).strip()
        name = str(item.get("field", "")).strip()
        if not header or not name:
            raise ConfigError(f"{where}: kolom SMILe ke-{i} harus punya 'header' dan 'field'.")
        if name not in SMILE_FIELDS:
            raise ConfigError(
                f"{where}: kolom SMILe ke-{i} ('{header}'): field '{name}' tidak dikenal. "
                f"Field yang tersedia: {', '.join(SMILE_FIELDS)}."
            )
        if header in seen:
            raise ConfigError(f"{where}: judul kolom SMILe '{header}' tercantum dua kali.")
        seen.add(header)
        out.append((header, name))
    return out


def smile_frame(recap: Recap, settings: Settings) -> pd.DataFrame:
    """Every in-scope alumnus of the period, in the column layout of `[smile]`."""
    columns = smile_columns(settings)
    rows = recap.in_scope.copy()
    rows["status"] = _status_labels(rows["status"])
    rows["sumber"] = rows["sumber"].map(lambda s: SOURCE_LABELS.get(s, s))
    return pd.DataFrame({header: rows[name].to_numpy() for header, name in columns})


def write_smile_workbook(recap: Recap, settings: Settings, run_dir: Path) -> Path:
    """outputs/<run-id>/smile_<periode>.xlsx: the rows to enter in Kemnaker's SMILe."""
    sheet = str(settings.raw["smile"]["sheet_name"]).strip() or "SMILe"
    path = Path(run_dir) / f"smile_{recap.period.label}.xlsx"
    return write_workbook(path, {sheet: smile_frame(recap, settings)})


# --- the step ------------------------------------------------------------------------

def resolve_period(periode: str, as_of: date) -> Period:
    """The notebook parameter: empty means the caturwulan of the as-of date."""
    return Period.parse(periode) if (periode or "").strip() else Period.containing(as_of)


def recap_step(ws: Workspace, run_dir: Path, periode: str, as_of: date) -> Recap:
    """Compute the recap, write both workbooks and record step 8 for the manifest."""
    settings = ws.settings()
    period = resolve_period(periode, as_of)
    smile_columns(settings)  # a bad [smile] stops the step before anything is written
    recap = compute_recap(ws, period, as_of)
    outputs = [write_recap_workbook(recap, run_dir), write_smile_workbook(recap, settings, run_dir)]
    now, total = recap.summary.loc["periode"], recap.summary.loc["kumulatif"]
    counts = {
        "in_scope": int(now["alumni"]), "responded": int(now["merespons"]),
        "employed": int(now["bekerja_wirausaha"]), "not_responded": len(recap.not_responded),
        "cumulative_alumni": int(total["alumni"]),
        "cumulative_responded": int(total["merespons"]),
        **recap.quality,
    }
    record_step(run_dir, STEP, counts=counts, outputs=outputs,
                notes=[f"Periode: {period.title}; tanggal acuan {as_of.isoformat()}"])
    return recap


# --- notebook display ----------------------------------------------------------------

def _percent_text(value) -> str:
    return "" if value is None or value != value else f"{value * 100:.1f}%".replace(".", ",")


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A recap frame for the notebook: Indonesian headers, rates as "45,2%" text."""
    out = frame.copy()
    for col in (*RATE_COLUMNS, "persen"):
        if col in out:
            out[col] = out[col].map(_percent_text)
    return _for_staff(out)


def summary_table(recap: Recap) -> pd.DataFrame:
    """The summary rows with their periods spelled out, rates as percentages."""
    frame = display_frame(recap.summary)
    frame.index = [{"periode": recap.period.title,
                    "periode_sebelumnya": f"{recap.period.previous().title} (sebelumnya)",
                    "kumulatif": f"Kumulatif s.d. {recap.as_of.strftime('%d-%m-%Y')}"}[i]
                   for i in recap.summary.index]
    return frame


def headline(recap: Recap) -> str:
    """Both employment rates in one sentence, each with its denominator."""
    now = recap.summary.loc["periode"]
    change = recap.change_points("tpk_seluruh")
    moved = "" if change != change else f" ({change:+.1f} poin dari periode sebelumnya)".replace(
        ".", ",")
    return (
        f"{recap.period.title}: {int(now['alumni'])} alumni, {int(now['merespons'])} merespons "
        f"(tingkat respons {_percent_text(now['tingkat_respons'])}). "
        f"TPK responden (bekerja + wirausaha dibagi yang merespons): "
        f"{_percent_text(now['tpk_responden'])}. "
        f"TPK seluruh alumni (dibagi semua alumni periode, definisi ILO): "
        f"{_percent_text(now['tpk_seluruh'])}{moved}."
    )


def cohort_matrix(recap: Recap) -> pd.DataFrame:
    """Cohorts down, survey waves across: "bekerja+wirausaha/responden (persen)"."""
    c = recap.cohorts
    if c.empty:
        return pd.DataFrame()
    text = [f"{bw}/{n} ({_percent_text(p)})" if n else "0 responden"
            for bw, n, p in zip(c["bekerja_wirausaha"], c["responden"], c["persen"])]
    matrix = c.assign(sel=text, kolom=c["gelombang"].map(lambda w: f"{w} bulan")).pivot(
        index=COHORT_KEYS, columns="kolom", values="sel")
    matrix = matrix[sorted(matrix.columns, key=lambda s: int(s.split()[0]))].fillna("belum jatuh tempo")
    matrix.index.names = [HEADERS[k] for k in COHORT_KEYS]
    matrix.columns.name = None
    return matrix
