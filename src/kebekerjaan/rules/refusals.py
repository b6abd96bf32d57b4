"""Who declined the survey: the one rule steps 4-5 (no more messages) and 8-9 (counted
as "menolak") share.

A refusal is either recorded by staff (`record_status.record_refusal`, table
`refusals`) or a form answer saying "tidak bersedia" to the consent question (once
that answer is matched to an alumnus). A refusal naming a training counts for that
training; one without (staff recorded it for the person) for every training of the
alumnus, including later ones.
"""

from __future__ import annotations

import sqlite3
from datetime import date

import pandas as pd

from kebekerjaan.rules.labels import MANUAL, MATCHED, REFUSAL_SOURCE_TEXT

CONSENT_NO = "tidak"  # option code of the consent question in data/kuesioner.toml


def load_refusals(con: sqlite3.Connection, as_of: date | None = None) -> pd.DataFrame:
    """Refusals known on `as_of` (all when None): nik, enrolment_id (None = every
    training), refused_on (ISO date), source (manual | formulir | whatsapp), reason."""
    frame = pd.read_sql_query(
        "SELECT nik, enrolment_id, refused_on, ? AS source, reason FROM refusals "
        "UNION ALL "
        "SELECT nik, enrolment_id, substr(answered_at, 1, 10), source, NULL FROM answers "
        "WHERE consent = ? AND discarded = 0 AND match_status = ? AND nik IS NOT NULL",
        con, params=(MANUAL, CONSENT_NO, MATCHED),
    )
    if as_of is not None:
        frame = frame[frame["refused_on"] <= as_of.isoformat()]
    frame["enrolment_id"] = frame["enrolment_id"].astype(object).where(
        frame["enrolment_id"].notna(), None)
    return frame.reset_index(drop=True)


def refused_enrolments(refusals: pd.DataFrame, enrolments: pd.DataFrame) -> pd.DataFrame:
    """One row per refused enrolment of `enrolments` (columns nik, enrolment_id): the
    enrolment_id, the first refused_on and its reason as staff read it."""
    if refusals.empty or enrolments.empty:
        return pd.DataFrame(columns=["enrolment_id", "refused_on", "refusal"])
    named = refusals[refusals["enrolment_id"].notna()]
    person = refusals[refusals["enrolment_id"].isna()].drop(columns="enrolment_id").merge(
        enrolments[["nik", "enrolment_id"]], on="nik")
    out = pd.concat([named, person[named.columns]], ignore_index=True)
    out["enrolment_id"] = out["enrolment_id"].astype("int64")
    out = out[out["enrolment_id"].isin(enrolments["enrolment_id"])]
    out = out.sort_values(["enrolment_id", "refused_on"]).drop_duplicates("enrolment_id")
    out["refusal"] = [
        f"menolak disurvei sejak {day} ({REFUSAL_SOURCE_TEXT.get(src, src)}"
        + (f": {why}" if isinstance(why, str) and why else "") + ")"
        for day, src, why in zip(out["refused_on"], out["source"], out["reason"])
    ]
    return out[["enrolment_id", "refused_on", "refusal"]].reset_index(drop=True)
