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

The package: model (what a recap is), scope (store reads, who is in scope), breakdowns
(groupings and lists), workbook (recap and SMILe workbooks), display (notebook views).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from kebekerjaan.core import store
from kebekerjaan.core.config import Settings, load_settings
from kebekerjaan.core.context import StepContext
from kebekerjaan.core.runs import record_step
from kebekerjaan.core.workspace import Workspace
from kebekerjaan.rules.labels import SOURCE_LABELS
from kebekerjaan.rules.periods import Period, resolve_period
from kebekerjaan.rules.questionnaire import load_questionnaire
from kebekerjaan.rules.statuses import EMPLOYED
from kebekerjaan.steps.recap import breakdowns, scope, stored
from kebekerjaan.steps.recap.display import (
    cohort_matrix,
    display_frame,
    headline,
    summary_table,
    written_files,
)
from kebekerjaan.steps.recap.model import (
    BPVP_BREAKDOWN,
    BPVP_COLUMN,
    BREAKDOWNS,
    COHORT_KEYS,
    EMPLOYED_COLUMNS,
    IN_SCOPE_COLUMNS,
    NOT_RESPONDED_COLUMNS,
    QUALITY_KEYS,
    RATE_COLUMNS,
    REFUSED_COLUMNS,
    SUMMARY_COLUMNS,
    UNKNOWN,
    UNKNOWN_GROUP,
    WAITING_BUCKETS,
    Recap,
    definitions,
)
from kebekerjaan.steps.recap.workbook import (
    HEADERS,
    SMILE_FIELDS,
    recap_sheets,
    recap_workbook_name,
    smile_columns,
    smile_frame,
    write_recap_workbook,
    write_smile_workbook,
)

__all__ = [
    "BREAKDOWNS", "COHORT_KEYS", "EMPLOYED_COLUMNS", "HEADERS",
    "IN_SCOPE_COLUMNS", "NOT_RESPONDED_COLUMNS", "Period",
    "QUALITY_KEYS", "RATE_COLUMNS", "Recap", "SMILE_FIELDS",
    "STEP", "SUMMARY_COLUMNS", "UNKNOWN", "UNKNOWN_GROUP", "WAITING_BUCKETS",
    "cohort_matrix", "compute_recap", "display_frame", "headline", "recap_frames",
    "recap_sheets", "recap_step", "report_recap", "recap_workbook_name", "smile_columns",
    "smile_frame", "summary_table", "write_recap_workbook", "write_smile_workbook", "written_files",
]

STEP = 8


def compute_recap(ws: Workspace, period: Period, as_of: date,
                  settings: Settings | None = None) -> Recap:
    """The recap of `period` from the workspace's store (and its settings, unless given)."""
    settings = settings or ws.settings()
    con = store.connect(ws.store_path)
    try:
        return recap_frames(con, period, as_of, waves=settings.survey.waves_months,
                            own_bpvp=settings.institution.short_name)
    finally:
        con.close()


def recap_frames(con: sqlite3.Connection, period: Period, as_of: date,
                 waves: Sequence[int] | None = None, own_bpvp: str = "") -> Recap:
    """The recap from an open store; `waves` defaults to the package's survey.waves_months.
    `own_bpvp` names the rows whose enrolments.bpvp is NULL (this workspace's own BPVP)."""
    waves = tuple(waves or load_settings().survey.waves_months)
    as_of = pd.Timestamp(as_of).date()
    enrol = scope.load_enrolments(con, own_bpvp)
    due = scope.wave_dues(enrol, waves)
    answers = scope.load_answers(con, as_of)
    refusals = scope.refused(con, enrol, as_of)
    refused_ids = set(refusals["enrolment_id"])
    questionnaire = load_questionnaire()

    now = scope.mark_refused(
        scope.period_scope(enrol, due, answers, period.start, min(period.end, as_of)), refusals)
    previous = period.previous()
    summary = pd.DataFrame(
        [scope.counts(now["status"], refused=int(now["menolak"].sum())),
         scope.period_counts(due, answers, previous.start, min(previous.end, as_of),
                             refused_ids=refused_ids),
         scope.period_counts(due, answers, None, as_of, same_wave=False,
                             refused_ids=refused_ids)],
        index=["periode", "periode_sebelumnya", "kumulatif"],
    )[SUMMARY_COLUMNS]
    cohorts = breakdowns.cohorts(now, enrol, due, answers, as_of)
    del due, answers  # the big frames; the rest works on the period's rows
    now = scope.with_details(con, now)
    several = enrol["bpvp"].nunique() > 1
    groups = {**BREAKDOWNS, **(BPVP_BREAKDOWN if several else {})}
    extra = [BPVP_COLUMN] if several else []
    detail = breakdowns.detail(now, questionnaire)
    employed_rows = detail[detail["status"].isin(EMPLOYED)]
    employed = employed_rows.assign(gelombang=employed_rows["gelombang_jawaban"])[
        [*EMPLOYED_COLUMNS, *extra]]
    silent = detail["status"].isna()
    not_responded = detail[silent & detail["penolakan"].isna()][[*NOT_RESPONDED_COLUMNS, *extra]]
    refused = detail[silent & detail["penolakan"].notna()][[*REFUSED_COLUMNS, *extra]]
    raw_employed = now[now["status"].isin(EMPLOYED)]
    return Recap(
        period=period,
        as_of=as_of,
        summary=summary,
        by={name: breakdowns.breakdown(now, keys) for name, keys in groups.items()},
        waiting_time=breakdowns.waiting_time(raw_employed),
        relevance=breakdowns.option_distribution(raw_employed["relevance"], "relevance",
                                                 questionnaire),
        income=breakdowns.option_distribution(raw_employed["income"], "income", questionnaire),
        employer_type=breakdowns.option_distribution(raw_employed["employer_type"],
                                                     "employer_type", questionnaire),
        top_employers=breakdowns.top_employers(raw_employed["employer"]),
        cohorts=cohorts,
        employed=employed.reset_index(drop=True),
        not_responded=not_responded.reset_index(drop=True),
        refused=refused.reset_index(drop=True),
        quality={**scope.quality(con), **scope.reach(con, as_of)},
        definitions=definitions(waves, several),
        in_scope=detail.reset_index(drop=True),
        responses=breakdowns.responses(detail, waves, tuple(SOURCE_LABELS)),
    )


def _stored_key(ctx: StepContext, period: Period) -> dict:
    return stored.fingerprint(ctx.ws.store_path, period, ctx.today, ctx.settings.to_data())


def report_recap(ctx: StepContext) -> Recap:
    """The recap for the report (step 9) of ctx.periode: the one step 8 of this run stored,
    when it is still what the store says (same period, as-of date, settings and store
    file), else computed afresh. A stored recap's employed list stops after the appendix
    limit."""
    period = resolve_period(ctx.periode, ctx.today)
    return (stored.load(ctx.run_dir, _stored_key(ctx, period))
            or compute_recap(ctx.ws, period, ctx.today, ctx.settings))


def recap_step(ctx: StepContext) -> Recap:
    """Compute the recap, write both workbooks and record step 8 for the manifest.

    When an earlier run kept a recap of the same period and as-of date, and neither the
    store's content nor the settings changed since (kebekerjaan.steps.recap.stored), that
    recap and copies of its workbooks are used instead, and the step's notes say so.
    The recap returned then holds only the first rows of its long lists (the workbooks
    hold them all)."""
    ws, run_dir, as_of, settings = ctx.ws, ctx.run_dir, ctx.today, ctx.settings
    period = resolve_period(ctx.periode, as_of)
    smile_columns(settings)  # a bad [smile] stops the step before anything is written
    key = _stored_key(ctx, period)  # before reading the store
    keep = settings.report.appendix_max_rows + 1
    started = time.perf_counter()
    reused = stored.reuse(ws.data, key, run_dir)
    if reused is not None:
        stored.save(reused.recap, run_dir, key, keep_employed=keep)
        record_step(run_dir, STEP, counts=reused.counts, outputs=reused.workbooks,
                    notes=[f"Periode: {period.title}; tanggal acuan {as_of.isoformat()}",
                           f"Rekap dipakai ulang dari proses {reused.run_id}: basis data dan "
                           "pengaturan tidak berubah sejak itu (berkas Excel disalin, "
                           f"{time.perf_counter() - started:.1f} detik)"])
        return reused.recap
    stored.forget_for_next_run(ws.data)  # stale from here on, whatever happens next
    recap = compute_recap(ws, period, as_of, settings)
    computed = time.perf_counter()
    outputs = [write_recap_workbook(recap, run_dir), write_smile_workbook(recap, settings, run_dir)]
    written = time.perf_counter()
    stored.save(recap, run_dir, key, keep_employed=keep)
    now, total = recap.summary.loc["periode"], recap.summary.loc["kumulatif"]
    counts = {
        "in_scope": int(now["alumni"]), "responded": int(now["merespons"]),
        "employed": int(now["bekerja_wirausaha"]), "not_responded": len(recap.not_responded),
        "refused": int(now["menolak"]),
        "cumulative_alumni": int(total["alumni"]),
        "cumulative_responded": int(total["merespons"]),
        **recap.quality,
    }
    record_step(run_dir, STEP, counts=counts, outputs=outputs,
                notes=[f"Periode: {period.title}; tanggal acuan {as_of.isoformat()}",
                       f"Waktu: hitung rekap {computed - started:.1f} detik, tulis kedua berkas "
                       f"Excel {written - computed:.1f} detik"])
    stored.save_for_next_run(recap, ws.data, key, keep, outputs, counts, Path(run_dir).name)
    return recap
