"""Breakdowns, distributions, cohorts and the per-alumnus detail of a recap."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from kebekerjaan.rules.statuses import EMPLOYED, STATUSES
from kebekerjaan.steps.recap.model import (
    COHORT_KEYS,
    IN_SCOPE_COLUMNS,
    SUMMARY_COLUMNS,
    UNKNOWN_GROUP,
    WAITING_BUCKETS,
)
from kebekerjaan.steps.recap.scope import ratio


def breakdown(scope: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if scope.empty:
        return pd.DataFrame(columns=[*keys, *SUMMARY_COLUMNS])
    flags = pd.DataFrame({"alumni": 1, "merespons": scope["status"].notna().astype(int),
                          "menolak": (scope["menolak"].astype(int) if "menolak" in scope else 0)},
                         index=scope.index)
    for code in STATUSES:
        flags[code] = (scope["status"] == code).astype(int)
    out = add_rates(flags.groupby([scope[k] for k in keys], dropna=False).sum().reset_index())
    return sort_groups(out, keys)[[*keys, *SUMMARY_COLUMNS]].reset_index(drop=True)


def add_rates(out: pd.DataFrame) -> pd.DataFrame:
    """bekerja_wirausaha and the three rates from the count columns (in place; NaN over 0)."""
    out["bekerja_wirausaha"] = out[list(EMPLOYED)].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["tingkat_respons"] = (out["merespons"] / out["alumni"]).where(out["alumni"] > 0)
        out["tpk_responden"] = (out["bekerja_wirausaha"] / out["merespons"]).where(
            out["merespons"] > 0)
        out["tpk_seluruh"] = (out["bekerja_wirausaha"] / out["alumni"]).where(out["alumni"] > 0)
    return out


def top_groups(frame: pd.DataFrame, max_rows: int, other: str) -> tuple[pd.DataFrame, int]:
    """At most `max_rows` groups with the most alumni (then respondents), largest first,
    plus one row `other` summing the rest with its rates recomputed; and how many groups
    that row holds (0: the frame is returned whole, in its own order)."""
    if max_rows <= 0 or len(frame) <= max_rows:
        return frame, 0
    ranked = frame.sort_values(["alumni", "merespons"], ascending=False, kind="stable")
    top, rest = ranked.iloc[:max_rows], ranked.iloc[max_rows:]
    counts = ["alumni", "merespons", "menolak", *STATUSES]
    row = {c: int(rest[c].sum()) for c in counts}
    lainnya = add_rates(pd.DataFrame([row]))
    for col in frame.columns:
        if col not in lainnya:
            lainnya[col] = other if col == "kelompok" else None
    return pd.concat([top, lainnya[frame.columns]], ignore_index=True), len(rest)


def sort_groups(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Groups in reading order: year first, angkatan numerically ("2" before "10")."""
    order = [k for k in ("tahun", "kejuruan", "program", "angkatan") if k in keys]
    order += [k for k in keys if k not in order]

    def key(col):
        if col.name == "angkatan":
            return col.astype(str).str.zfill(8)
        return col

    return frame.sort_values(order, key=key, kind="stable")


def distribution(groups: pd.Series, order: list[str]) -> pd.DataFrame:
    """Counts in `order`; unexpected groups go before the closing "tidak diketahui"."""
    counts = groups.value_counts()
    extra = sorted(set(counts.index) - set(order))
    labels = [*order[:-1], *extra, order[-1]]
    jumlah = [int(counts.get(g, 0)) for g in labels]
    total = sum(jumlah)
    return pd.DataFrame({"kelompok": labels, "jumlah": jumlah,
                         "persen": [ratio(n, total) for n in jumlah]})


def waiting_time(employed: pd.DataFrame) -> pd.DataFrame:
    start = pd.to_datetime(employed["start_date"], errors="coerce", format="ISO8601")
    end = employed["end_date"]
    bucket = pd.Series(UNKNOWN_GROUP, index=employed.index, dtype=object)
    known = start.notna()
    # Widest bucket first, then narrower ones overwrite.
    before, one, three, six, later = WAITING_BUCKETS[:5]
    bucket[known] = later
    for months, label in ((6, six), (3, three), (1, one)):
        bucket[known & (start <= end + pd.DateOffset(months=months))] = label
    bucket[known & (start < end)] = before
    return distribution(bucket, list(WAITING_BUCKETS))


def responses(detail: pd.DataFrame, waves, sources) -> pd.DataFrame:
    """Per survey wave (of record): alumni, respondents, refusals, and respondents per
    channel the counted answer came through (`sources`: the source codes, in order)."""
    frame = pd.DataFrame({"gelombang": detail["gelombang"].astype("Int64"),
                          "merespons": detail["status"].notna().astype(int),
                          "menolak": (detail["status"].isna()
                                      & detail["penolakan"].notna()).astype(int)})
    for code in sources:
        frame[code] = (detail["status"].notna() & (detail["sumber"] == code)).astype(int)
    frame["alumni"] = 1
    known = [int(w) for w in waves]
    extra = sorted({int(w) for w in frame["gelombang"].dropna()} - set(known))
    out = frame.groupby("gelombang").sum().reindex([*known, *extra], fill_value=0)
    out = out.rename_axis("gelombang").reset_index()
    out["tingkat_respons"] = (out["merespons"] / out["alumni"]).where(out["alumni"] > 0)
    return out[["gelombang", "alumni", "merespons", "menolak", "tingkat_respons", *sources]]


def option_distribution(values: pd.Series, question: str, q) -> pd.DataFrame:
    options = q[question].options
    labels = {o.code: o.text for o in options}
    groups = values.map(lambda v: labels.get(v, v) if isinstance(v, str) and v.strip() else None)
    return distribution(groups.fillna(UNKNOWN_GROUP), [*(o.text for o in options), UNKNOWN_GROUP])


def top_employers(names: pd.Series) -> pd.DataFrame:
    """Every workplace, most frequent first; spellings differing in case or spaces count
    as one. (The report shows the first `[report] top_employers`; the workbook all.)"""
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
    return counts[["nama", "jumlah"]].reset_index(drop=True)


def cohorts(scope, enrol, due, answers, as_of: date) -> pd.DataFrame:
    """Per cohort of the period's alumni and per wave due by `as_of`: alumni, respondents
    to that wave, employed among them. Joins run on integer ids (enrolment, cohort)."""
    columns = [*COHORT_KEYS, "gelombang", "alumni", "responden", "tingkat_respons",
               "bekerja_wirausaha", "persen"]
    if scope.empty:
        return pd.DataFrame(columns=columns)
    members = enrol.loc[enrol["cohort"].isin(scope["cohort"].unique()), ["enrolment_id", "cohort"]]
    waves = due[due["due"] <= pd.Timestamp(as_of)]
    waves = waves[waves["enrolment_id"].isin(members["enrolment_id"])]
    waves = waves.merge(members, on="enrolment_id").merge(
        answers[["enrolment_id", "wave", "status"]], on=["enrolment_id", "wave"], how="left")
    counted = pd.DataFrame({"cohort": waves["cohort"].to_numpy(), "wave": waves["wave"].to_numpy(),
                            "alumni": 1, "responden": waves["status"].notna().astype(int).to_numpy(),
                            "bekerja_wirausaha": waves["status"].isin(EMPLOYED).astype(int).to_numpy()})
    out = counted.groupby(["cohort", "wave"], sort=False).sum().reset_index()
    labels = enrol.drop_duplicates("cohort").set_index("cohort")[COHORT_KEYS]
    out = out.join(labels, on="cohort").rename(columns={"wave": "gelombang"})
    out["tingkat_respons"] = out["responden"] / out["alumni"]
    out["persen"] = (out["bekerja_wirausaha"] / out["responden"]).where(out["responden"] > 0)
    return sort_groups(out, [*COHORT_KEYS, "gelombang"])[columns].reset_index(drop=True)


def detail(scope: pd.DataFrame, q) -> pd.DataFrame:
    """One row per in-scope enrolment, with person, training, wave and answer fields."""

    def by_value(col: pd.Series, convert) -> pd.Series:
        """`convert` once per distinct text; anything else (empty, not text) becomes None."""
        seen = {v: convert(v) for v in pd.unique(col.dropna()) if isinstance(v, str)}
        out = col.map(seen)
        return out.astype(object).where(out.notna(), None)

    def label(question):
        texts = {o.code: o.text for o in q[question].options}
        return lambda col: by_value(col, lambda v: texts.get(v, v))

    def multi(question):
        texts = {o.code: o.text for o in q[question].options}
        return lambda col: by_value(col, lambda v: "; ".join(
            texts.get(c.strip(), c.strip()) for c in v.split(";") if c.strip()))

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
        "jatuh_tempo": scope["jatuh_tempo"], "status": scope["status"].astype(object),
        "tempat_kerja": scope["employer"], "jabatan": scope["position"],
        "jenis_tempat_kerja": label("employer_type")(scope["employer_type"]),
        "bidang_usaha": label("sector")(scope["sector"]),
        "lokasi_kerja": scope["location"], "mulai": day(scope["start_date"]),
        "penghasilan": label("income")(scope["income"]),
        "relevansi": label("relevance")(scope["relevance"]),
        "cara_mendapat_kerja": multi("job_source")(scope["job_source"]),
        "sumber": scope["source"], "tanggal_jawaban": day(scope["answered_at"]),
        "gelombang_jawaban": scope["answer_wave"].astype("Int64"),
        "bpvp": scope["bpvp"],
        "penolakan": scope["penolakan"] if "penolakan" in scope else None,
    })
    return sort_groups(out, ["kejuruan", "program", "angkatan", "tahun", "nama", "nik"])[
        IN_SCOPE_COLUMNS]
