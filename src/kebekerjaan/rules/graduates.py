"""Who is surveyed: graduates only. One home for the rule and for the enrolment+alumni
query that outreach (steps 3-5), answer records (step 7), the status view (step 6), the
cohort timeline and the recap (step 8) start from.

An enrolment is a graduate unless its graduation status is "Tidak Lulus"; an empty
status counts as graduated (exports often leave the column blank for everyone)."""

from __future__ import annotations

import pandas as pd

from kebekerjaan.io.normalize.fields import NOT_GRADUATED

# SQL condition on an enrolments table aliased `e`.
GRADUATE_SQL = f"COALESCE(e.graduation, '') <> '{NOT_GRADUATED}'"
# Enrolments with their person: `e` enrolments, `a` alumni.
ENROLMENT_JOIN = "enrolments e JOIN alumni a ON a.nik = e.nik"


def is_graduate(graduation: pd.Series) -> pd.Series:
    """True per row of a `graduation` column (None/NaN counts as graduated)."""
    return graduation.fillna("") != NOT_GRADUATED


def graduates_only(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of an enrolment frame (with a `graduation` column) that are graduates."""
    return frame[is_graduate(frame["graduation"])]
