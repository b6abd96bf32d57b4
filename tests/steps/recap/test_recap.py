"""SOP step 8: every recap number against a count made here from the fixture rows."""

from __future__ import annotations

import calendar
import math
import re
from collections import Counter
from datetime import date

import pandas as pd
import pytest

from kebekerjaan.core import store
from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.steps.recap import QUALITY_KEYS, Period, compute_recap, recap_frames

WAVES = (1, 3, 6)
EMPLOYED = ("bekerja", "wirausaha")
STATUSES = ("bekerja", "wirausaha", "mencari", "belum_memungkinkan", "studi")


# --- the expected figures, counted from the fixture rows (`rows`: the recap_store) -------

def plus_months(day: date, n: int) -> date:
    y, m = divmod(day.month - 1 + n, 12)
    y, m = day.year + y, m + 1
    return date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def graduates(rows):
    """(person, training) of every graduate enrolment."""
    return [(p, t) for p, (_, _, _, _, ts) in rows.PEOPLE.items()
            for t, g in ts if g != "Tidak Lulus"]


def counted(rows, person, training, waves):
    return [a for a in rows.ANSWERS if a[0] == person and a[1] == training and a[2] in waves
            and a[5] == 1 and a[6] == 0 and a[4] is not None]


def expected_scope(rows, start: date, until: date) -> dict:
    """(person, training) -> {wave, due, answer} for a period's in-scope enrolments."""
    out = {}
    for person, t in graduates(rows):
        end = rows.TRAININGS[t][4]
        waves = [w for w in WAVES if start <= plus_months(end, w) <= until]
        if not waves:
            continue
        answers = sorted(counted(rows, person, t, waves), key=lambda a: a[3])
        out[(person, t)] = {"wave": max(waves), "due": plus_months(end, max(waves)),
                            "answer": answers[-1] if answers else None}
    return out


def expected_cumulative(rows) -> dict:
    out = {}
    for person, t in graduates(rows):
        end = rows.TRAININGS[t][4]
        if not any(plus_months(end, w) <= rows.AS_OF for w in WAVES):
            continue
        answers = sorted(counted(rows, person, t, WAVES), key=lambda a: a[3])
        out[(person, t)] = {"answer": answers[-1] if answers else None}
    return out


def status(entry):
    return entry["answer"][4] if entry["answer"] else None


def expected_row(scope: dict) -> dict:
    statuses = [status(e) for e in scope.values()]
    n = len(statuses)
    reached = sum(s is not None for s in statuses)
    row = {"alumni": n, "merespons": reached, "menolak": 0}  # the fixture has no refusals
    row.update({s: statuses.count(s) for s in STATUSES})
    bw = row["bekerja"] + row["wirausaha"]
    row.update(bekerja_wirausaha=bw,
               tingkat_respons=reached / n if n else math.nan,
               tpk_responden=bw / reached if reached else math.nan,
               tpk_seluruh=bw / n if n else math.nan)
    return row


def same(a, b) -> bool:
    if isinstance(b, float) and math.isnan(b):
        return isinstance(a, float) and math.isnan(a)
    return a == pytest.approx(b)


@pytest.fixture
def now_scope(recap_store) -> dict:
    """The expected scope of 2026-III (the period under test)."""
    return expected_scope(recap_store, date(2026, 9, 1), recap_store.AS_OF)


@pytest.fixture
def before_scope(recap_store) -> dict:
    """The expected scope of 2026-II (the period before)."""
    return expected_scope(recap_store, date(2026, 5, 1), date(2026, 8, 31))


@pytest.fixture
def built(ws, recap_store):
    recap_store.write()
    return recap_store, compute_recap(ws, Period.parse("2026-III"), recap_store.AS_OF)


# --- periods ---------------------------------------------------------------------------------

def test_period_parse_titles_and_bounds():
    p = Period.parse("2026-III")
    assert (p.label, p.start, p.end) == ("2026-III", date(2026, 9, 1), date(2026, 12, 31))
    assert p.title == "Caturwulan III 2026 (September–Desember)"
    assert Period.parse("2026-ii") == Period("2026-II", date(2026, 5, 1), date(2026, 8, 31))
    assert Period.parse(" 2026/1 ").label == "2026-I"
    year = Period.parse("2026")
    assert (year.start, year.end, year.title) == (date(2026, 1, 1), date(2026, 12, 31), "Tahun 2026")


@pytest.mark.parametrize("text", ["", "2026-IV", "III-2026", "26-III", "tahun lalu", "2026-0"])
def test_period_bad_text_is_an_indonesian_error(text):
    with pytest.raises(KebekerjaanError, match="tidak dikenal.*caturwulan seperti 2026-III"):
        Period.parse(text)


def test_period_previous_and_containing():
    assert Period.parse("2026-I").previous().label == "2025-III"
    assert Period.parse("2026-III").previous().label == "2026-II"
    assert Period.parse("2026").previous().label == "2025"
    assert Period.containing(date(2026, 4, 30)).label == "2026-I"
    assert Period.containing(date(2026, 5, 1)).label == "2026-II"
    assert Period.containing(date(2026, 12, 31)).label == "2026-III"


# --- summary and breakdowns -----------------------------------------------------------------

def test_summary_rows_match_independent_counts(built, recap_store, now_scope, before_scope):
    _, recap = built
    expected = {"periode": expected_row(now_scope), "periode_sebelumnya": expected_row(before_scope),
                "kumulatif": expected_row(expected_cumulative(recap_store))}
    assert set(recap.summary.index) == set(expected)
    for row, values in expected.items():
        for col, value in values.items():
            assert same(recap.summary.at[row, col], value), (row, col)
    # The fixture exercises what it claims to: two periods, all exclusions.
    assert expected["periode"]["alumni"] == 10 and expected["periode_sebelumnya"]["alumni"] == 5
    assert (8, "B") not in now_scope and (11, "D") not in now_scope
    assert (11, "D") not in expected_cumulative(recap_store)
    assert now_scope[(9, "C")] and before_scope[(9, "E")]


def test_change_in_points(built, now_scope, before_scope):
    _, recap = built
    now, before = expected_row(now_scope)["tpk_seluruh"], expected_row(before_scope)["tpk_seluruh"]
    assert recap.change_points("tpk_seluruh") == pytest.approx((now - before) * 100)


def _group_of(rows, now, key, person, training):
    name, sex, kabkota, *_ = rows.PEOPLE[person]
    kejuruan, program, angkatan, year, _ = rows.TRAININGS[training]
    return {
        "kejuruan": (kejuruan,), "program": (kejuruan, program),
        "angkatan": (kejuruan, program, angkatan, year),
        "gelombang": (now[(person, training)]["wave"],),
        "jenis_kelamin": ({"L": "Laki-laki", "P": "Perempuan"}.get(sex, "Tidak diketahui"),),
        "kabkota": (kabkota or "Tidak diketahui",),
    }[key]


@pytest.mark.parametrize("key", ["kejuruan", "program", "angkatan", "gelombang", "jenis_kelamin",
                                 "kabkota"])
def test_breakdowns_match_independent_counts(built, key, recap_store, now_scope):
    _, recap = built
    groups: dict[tuple, dict] = {}
    for (person, t), entry in now_scope.items():
        groups.setdefault(_group_of(recap_store, now_scope, key, person, t), {})[(person, t)] = entry
    frame = recap.by[key]
    keys = [c for c in frame.columns if c not in expected_row({})]
    got = {tuple(r[k] for k in keys): r for r in frame.to_dict("records")}
    assert set(got) == set(groups)
    for group, scope in groups.items():
        for col, value in expected_row(scope).items():
            assert same(got[group][col], value), (group, col)


def test_angkatan_sorted_numerically(built):
    _, recap = built
    las = recap.by["angkatan"].query("kejuruan == 'Las'")["angkatan"].tolist()
    assert las == ["1", "10"]


# --- distributions, employers, cohorts --------------------------------------------------------

def _employed_now(now):
    return {k: e for k, e in now.items() if status(e) in EMPLOYED}


def test_waiting_time_buckets(built, recap_store, now_scope):
    _, recap = built
    buckets = Counter()
    for (_, t), entry in _employed_now(now_scope).items():
        end = recap_store.TRAININGS[t][4]
        start = entry["answer"][7].get("start_date")
        if start is None:
            buckets["tidak diketahui"] += 1
            continue
        start = date.fromisoformat(start)
        if start < end:
            buckets["sebelum selesai pelatihan"] += 1
        elif start <= plus_months(end, 1):
            buckets["paling lama 1 bulan"] += 1
        elif start <= plus_months(end, 3):
            buckets["lebih dari 1 s.d. 3 bulan"] += 1
        elif start <= plus_months(end, 6):
            buckets["lebih dari 3 s.d. 6 bulan"] += 1
        else:
            buckets["lebih dari 6 bulan"] += 1
    frame = recap.waiting_time
    # Groups that do not overlap, named so a reader sees it.
    assert frame["kelompok"].tolist() == ["sebelum selesai pelatihan", "paling lama 1 bulan",
                                          "lebih dari 1 s.d. 3 bulan", "lebih dari 3 s.d. 6 bulan",
                                          "lebih dari 6 bulan", "tidak diketahui"]
    total = sum(buckets.values())
    for row in frame.itertuples():
        assert row.jumlah == buckets[row.kelompok]
        assert row.persen == pytest.approx(buckets[row.kelompok] / total)


def test_relevance_income_employer_type_use_questionnaire_labels(built, now_scope):
    _, recap = built
    employed = _employed_now(now_scope).values()
    relevance = Counter(e["answer"][7].get("relevance") for e in employed)
    labels = {"sangat_erat": "Sangat erat", "erat": "Erat", "cukup_erat": "Cukup erat",
              "kurang_erat": "Kurang erat", "tidak_sama_sekali": "Tidak sama sekali",
              None: "tidak diketahui"}
    got = dict(zip(recap.relevance["kelompok"], recap.relevance["jumlah"]))
    assert got == {labels[k]: relevance.get(k, 0) for k in labels}
    income = Counter(e["answer"][7].get("income") for e in employed)
    got = dict(zip(recap.income["kelompok"], recap.income["jumlah"]))
    assert got["Kurang dari Rp1 juta"] == income["lt1"]
    assert got["Rp1 juta sampai Rp2,5 juta"] == income["1-2.5"]
    assert got["tidak diketahui"] == income[None]
    kinds = Counter(e["answer"][7].get("employer_type") for e in employed)
    got = dict(zip(recap.employer_type["kelompok"], recap.employer_type["jumlah"]))
    assert got["Perusahaan swasta"] == kinds["swasta"]
    assert got["Wiraswasta/usaha sendiri"] == kinds["wiraswasta"]
    assert recap.employer_type["jumlah"].sum() == len(employed)


def test_top_employers_merge_spellings(built, now_scope):
    _, recap = built
    names = Counter(" ".join(e["answer"][7]["employer"].split()).casefold()
                    for e in _employed_now(now_scope).values() if e["answer"][7].get("employer"))
    got = {n.casefold(): j for n, j in zip(recap.top_employers["nama"], recap.top_employers["jumlah"])}
    assert got == dict(names)
    assert recap.top_employers.iloc[0].tolist() == ["PT Maju Jaya", names["pt maju jaya"]]


def test_cohorts_count_each_wave_due(built, recap_store, now_scope):
    _, recap = built
    cohorts = {recap_store.TRAININGS[t][:4] for _, t in now_scope}
    expected = {}
    for person, t in graduates(recap_store):
        key = recap_store.TRAININGS[t][:4]
        if key not in cohorts:
            continue
        for w in WAVES:
            if plus_months(recap_store.TRAININGS[t][4], w) > recap_store.AS_OF:
                continue
            cell = expected.setdefault((*key, w), Counter())
            cell["alumni"] += 1
            answers = counted(recap_store, person, t, [w])
            cell["responden"] += bool(answers)
            cell["bekerja_wirausaha"] += bool(answers) and answers[-1][4] in EMPLOYED
    got = {(r["kejuruan"], r["program"], r["angkatan"], r["tahun"], r["gelombang"]): r
           for r in recap.cohorts.to_dict("records")}
    assert set(got) == set(expected)
    for key, cell in expected.items():
        for col in ("alumni", "responden", "bekerja_wirausaha"):
            assert got[key][col] == cell[col], (key, col)
        share = cell["bekerja_wirausaha"] / cell["responden"] if cell["responden"] else math.nan
        assert same(got[key]["persen"], share)


# --- lists -------------------------------------------------------------------------------------

def test_employed_list(built, recap_store, now_scope):
    _, recap = built
    expected = {recap_store.nik(p): e for (p, _), e in _employed_now(now_scope).items()}
    frame = recap.employed
    assert sorted(frame["nik"]) == sorted(expected)
    for row in frame.to_dict("records"):
        answer = expected[row["nik"]]["answer"]
        assert row["status"] == answer[4]
        assert row["gelombang"] == answer[2]
        assert row["tanggal_jawaban"] == pd.Timestamp(answer[3][:10])
        assert row["sumber"] == answer[7].get("source", "formulir")
        assert row["tempat_kerja"] == answer[7].get("employer")
        start = answer[7].get("start_date")
        assert (pd.isna(row["mulai"]) if start is None else row["mulai"] == pd.Timestamp(start))
    assert list(frame.columns[:13]) == ["nik", "nama", "kejuruan", "program", "angkatan", "tahun",
                                        "status", "tempat_kerja", "jabatan", "mulai", "sumber",
                                        "tanggal_jawaban", "gelombang"]


def test_not_responded_list(built, recap_store, now_scope):
    _, recap = built
    expected = {(recap_store.nik(p), recap_store.TRAININGS[t][2]): e
                for (p, t), e in now_scope.items() if e["answer"] is None}
    frame = recap.not_responded
    got = {(r["nik"], r["angkatan"]): r for r in frame.to_dict("records")}
    assert set(got) == set(expected)
    for key, entry in expected.items():
        assert got[key]["gelombang"] == entry["wave"]
        assert got[key]["jatuh_tempo"] == pd.Timestamp(entry["due"])
    person7 = got[(recap_store.nik(7), "2")]
    assert person7["no_hp"] is None and person7["nama"] == "Nur Aisyah"


def test_quality_counts_and_definitions(built):
    _, recap = built
    quality = {k: recap.quality[k] for k in QUALITY_KEYS}
    assert quality == {"baris_alumni_ditolak": 2, "baris_respons_ditolak": 1,
                       "jawaban_tidak_cocok": 1, "antrean_tinjauan": 1}
    terms = dict(recap.definitions)
    assert "batas bawah" in terms["TPK seluruh alumni"] and "Tidak Lulus" in terms["Satuan hitung"]
    # Written for a reader: no settings keys, folders or unexplained acronyms.
    for term, text in recap.definitions:
        assert not re.search(r"\w+\.\w+_\w+|data/masuk|ILO/", text), term


def test_year_period_and_open_connection(ws, recap_store):
    recap_store.write()
    con = store.connect(ws.store_path)
    try:
        recap = recap_frames(con, Period.parse("2026"), recap_store.AS_OF, waves=WAVES)
    finally:
        con.close()
    year = expected_scope(recap_store, date(2026, 1, 1), recap_store.AS_OF)
    for col, value in expected_row(year).items():
        assert same(recap.summary.at["periode", col], value), col
    assert recap.summary.at["periode_sebelumnya", "alumni"] == 0
    assert math.isnan(recap.summary.at["periode_sebelumnya", "tingkat_respons"])


def test_empty_store_gives_empty_frames(ws, recap_store):
    recap = compute_recap(ws, Period.parse("2026-III"), recap_store.AS_OF)
    assert recap.summary.at["periode", "alumni"] == 0
    assert math.isnan(recap.summary.at["periode", "tpk_seluruh"])
    assert recap.employed.empty and recap.not_responded.empty and recap.cohorts.empty
    assert all(frame.empty for frame in recap.by.values())


def test_per_bpvp_breakdown_only_when_several_bpvps(ws, tmp_path, recap_store):
    from kebekerjaan.steps.recap import recap_sheets

    recap_store.write()
    single = compute_recap(ws, Period.parse("2026-III"), recap_store.AS_OF)
    assert "bpvp" not in single.by and "Per BPVP" not in recap_sheets(single)
    con = store.connect(ws.store_path)
    with store.transaction(con):  # as `kebekerjaan gabung` fills it: a merged BPVP's rows
        con.execute("UPDATE enrolments SET bpvp = 'BPVP Makassar' WHERE id % 2 = 0")
    con.close()
    merged = compute_recap(ws, Period.parse("2026-III"), recap_store.AS_OF)
    per = merged.by["bpvp"].set_index("bpvp")
    own = ws.settings().institution.short_name
    assert set(per.index) == {own, "BPVP Makassar"}
    for col in ("alumni", "merespons", *STATUSES):
        assert per[col].sum() == merged.summary.at["periode", col], col
    # Every other figure is the same as before the merge labels.
    pd.testing.assert_frame_equal(merged.summary, single.summary)
    sheets = recap_sheets(merged)
    assert sheets["Per BPVP"]["BPVP"].tolist() == per.index.tolist()
    assert "BPVP" in sheets["Alumni Bekerja"].columns and "BPVP" in sheets["Belum Merespons"].columns
