"""Who declined the survey: the one rule steps 4-5 (no more messages) and 8-9 (counted
as "menolak") share.

A refusal is either recorded by staff (`record_status.record_refusal`, table
`refusals`) or a form answer that declines the consent question (once that answer is
matched to an alumnus): "Tidak bersedia" and every other wording that declines
(`declines`: "Saya tidak bersedia.", "tidak setuju", "keberatan", "gak mau"). A refusal
naming a training counts for that training; one without (staff recorded it for the
person) for every training of the alumnus at the same BPVP, including later ones (in a
merged national store a refusal recorded by one BPVP does not reach a training at another;
`bpvp` NULL is the workspace's own).
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date

import pandas as pd

from kebekerjaan.rules.labels import MANUAL, MATCHED, REFUSAL_SOURCE_TEXT

CONSENT_FIELD = "consent"  # the consent question's code in data/kuesioner.toml
CONSENT_NO = "tidak"  # and the code of its declining option

# Words of a consent answer, after casefolding (declines).
_NEGATION = {"tidak", "tak", "tdk", "ga", "gak", "gk", "nggak", "ngga", "enggak", "engga", "ndak",
             "kagak", "belum", "jangan", "no", "not", "dont", "don"}
_CONSENT = {"bersedia", "setuju", "mau", "boleh", "izin", "ijin", "mengizinkan", "mengijinkan",
            "berkenan", "agree", "consent", "willing", "allow"}
_OBJECTION = {"keberatan", "menolak", "tolak", "ogah", "enggan", "refuse", "decline"}
# Words that may stand between a negation and what it negates ("tidak akan bersedia").
_BETWEEN = {"akan", "terlalu", "begitu", "lagi", "bisa", "dapat", "mau", "do", "will", "am",
            "be", "want", "to", "t"}
_WORDS = re.compile(r"[a-z]+")


def _negated(words: list[str], i: int) -> bool:
    j = i - 1
    while j >= 0 and words[j] in _BETWEEN and j > i - 3:
        j -= 1
    return j >= 0 and words[j] in _NEGATION


def declines(answer) -> bool:
    """Whether a consent answer, as typed, declines: a negation before a consent word
    ("Saya tidak bersedia.", "Tidak, saya tidak setuju", "gak mau", "tidak akan
    bersedia"), a bare negation ("Tidak", "No"), or an objection not itself negated
    ("Saya keberatan", "menolak"; but "tidak keberatan" consents). "Tidak masalah, saya
    bersedia" consents: the negation there is not before the consent word."""
    if not isinstance(answer, str):
        return False
    words = _WORDS.findall(answer.casefold().replace("\u2019", "'"))
    if not words:
        return False
    if all(w in _NEGATION for w in words):
        return True
    for i, word in enumerate(words):
        if word in _OBJECTION and not _negated(words, i):
            return True
        if word in _CONSENT and _negated(words, i):
            return True
    return False


def load_refusals(con: sqlite3.Connection, as_of: date | None = None) -> pd.DataFrame:
    """Refusals known on `as_of` (all when None): nik, enrolment_id (None = every
    training at `bpvp`), refused_on (ISO date), source (manual | formulir | whatsapp),
    reason, bpvp ('' = the workspace's own), run_id (the run that read the declining
    answer's file; None for a refusal staff recorded)."""
    frame = pd.read_sql_query(
        "SELECT nik, enrolment_id, refused_on, ? AS source, reason, "
        "COALESCE(bpvp, '') AS bpvp, NULL AS run_id FROM refusals "
        "UNION ALL "
        "SELECT a.nik, a.enrolment_id, substr(a.answered_at, 1, 10), a.source, NULL, "
        "COALESCE(a.bpvp, ''), l.run_id "
        "FROM answers a LEFT JOIN import_log l ON l.id = a.import_id "
        "WHERE a.consent = ? AND a.discarded = 0 AND a.match_status = ? AND a.nik IS NOT NULL",
        con, params=(MANUAL, CONSENT_NO, MATCHED),
    )
    if as_of is not None:
        frame = frame[frame["refused_on"] <= as_of.isoformat()]
    frame["enrolment_id"] = frame["enrolment_id"].astype(object).where(
        frame["enrolment_id"].notna(), None)
    return frame.reset_index(drop=True)


def refused_enrolments(refusals: pd.DataFrame, enrolments: pd.DataFrame) -> pd.DataFrame:
    """One row per refused enrolment of `enrolments` (columns nik, enrolment_id, and bpvp
    in a merged store: a refusal for the person then covers the trainings at its own
    BPVP): the enrolment_id, the first refused_on and its reason as staff read it."""
    if refusals.empty or enrolments.empty:
        return pd.DataFrame(columns=["enrolment_id", "refused_on", "refusal"])
    named = refusals[refusals["enrolment_id"].notna()]
    on = ["nik", "bpvp"] if "bpvp" in enrolments and "bpvp" in refusals else ["nik"]
    people = enrolments[[*on, "enrolment_id"]]
    if "bpvp" in on:
        people = people.assign(bpvp=people["bpvp"].fillna(""))
    person = refusals[refusals["enrolment_id"].isna()].drop(columns="enrolment_id").merge(
        people, on=on)
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
