"""SOP step 4: invite alumni to the 1-, 3- and 6-month survey.

First what came back is read (answers, refusals and delivery reports waiting in the
inbox: send.read_first), so an answer that came today counts. Then, for the as-of date:
every graduate whose wave window is open (see rules.waves.wave_windows), who has not
answered that wave and was not invited to it on an earlier day, and has not declined
the survey, gets one WhatsApp message with
their personal form link and respondent code (codes.py). The list goes to
the blast app (xlsx/csv) and to a page of wa.me links; every listed alumnus is
recorded in outreach_log, so the next run does not invite them again.

The step also writes the per-cohort timeline against the SOP's timing and lists
trainings whose alumni data were collected late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from kebekerjaan.core import recovery, store
from kebekerjaan.core.context import StepContext
from kebekerjaan.rules.graduates import graduates_only
from kebekerjaan.rules.labels import INVITATION
from kebekerjaan.rules.refusals import load_refusals
from kebekerjaan.rules.waves import SurveyRules
from kebekerjaan.steps.outreach.rules import (
    OutreachResult,
    answered_in_run,
    arrived_refusals,
    load_answers,
    load_enrolments,
    load_log,
    refused_in_run,
    resolve,
    wave_frame,
    without_pairs,
    without_refused,
)
from kebekerjaan.steps.outreach.send import (
    ANSWERED,
    ANSWERED_NOW,
    REFUSED,
    REFUSED_NOW,
    Campaign,
    finish,
    read_first,
    send,
)
from kebekerjaan.steps.outreach.timeline import (
    cohort_timeline,
    late_collected,
    timeline_view,
    write_timeline,
)

KIND = INVITATION


@dataclass
class InvitationResult(OutreachResult):
    timeline: pd.DataFrame = None  # per cohort, Indonesian headers (lini_masa_angkatan.xlsx)
    late: pd.DataFrame = None      # trainings whose alumni data came in late
    rules: SurveyRules = None
    today: date = None

    def timeline_view(self):
        """The recent cohorts' timeline, coloured by status, for the notebook."""
        return timeline_view(self.timeline, self.rules, self.today)


def due_invitations(enrolments: pd.DataFrame, log: pd.DataFrame, answers: pd.DataFrame,
                    rules: SurveyRules, as_of: date, refused: pd.DataFrame | None = None,
                    ) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """(enrolment, wave) pairs to invite on `as_of`, and the frame of each selection stage.

    `enrolments` are graduates (outreach.load_enrolments). Invitations logged on the
    as-of date itself do not count as earlier ones: the same day's list is reproducible.
    Enrolments in `refused` (refusals.refused_enrolments) are never invited again. Among
    those who answered or refused, the stages ANSWERED_NOW and REFUSED_NOW hold the ones
    whose answer or refusal arrived in this run (`arrived` of load_answers and
    refused_in_run).
    """
    as_of = pd.Timestamp(as_of)
    waves = wave_frame(enrolments, rules)
    open_now = waves[(waves["opens"] <= as_of) & (as_of <= waves["closes"])]
    in_window = open_now.merge(enrolments, on="enrolment_id")
    not_answered, _ = without_pairs(in_window, resolve(answers, enrolments))
    willing, declined = without_refused(not_answered, refused)
    earlier = log[(log["kind"] == KIND) & (log["sent_on"] != as_of)]
    due, _ = without_pairs(willing, resolve(earlier, enrolments))
    answered = in_window.loc[in_window.index.difference(not_answered.index)]
    invited = willing.loc[willing.index.difference(due.index)]
    stages = {"Masa undangan terbuka": in_window, ANSWERED: answered,
              ANSWERED_NOW: answered_in_run(answered, answers, enrolments),
              REFUSED: declined, REFUSED_NOW: arrived_refusals(declined, refused),
              "Sudah diundang sebelumnya": invited, "Perlu diundang": due}
    return due.reset_index(drop=True), stages


INVITATIONS = Campaign(
    step=4, kind=KIND, stem="undangan_survei", template="undangan_survei.j2",
    no_phone_file="tanpa_nomor_wa.xlsx", title="Undangan survei kebekerjaan",
    list_columns=("code_shown", "program", "angkatan", "training_year", "wave", "due", "closes",
                  "note"),
    stage_counts=(("in_window", "Masa undangan terbuka"), ("already_answered", ANSWERED),
                  ("answered_today", ANSWERED_NOW), ("refused", REFUSED),
                  ("refused_today", REFUSED_NOW), ("already_invited", "Sudah diundang sebelumnya")),
    result_type=InvitationResult,
)


@recovery.step_writer("menyiapkan undangan survei (langkah 4)")
def invite_survey(ctx: StepContext) -> InvitationResult:
    """Read what came back, then make the day's invitation list, log it, and write the
    cohort timeline."""
    today = ctx.today
    arrivals = read_first(ctx)
    rules = SurveyRules.from_settings(ctx.settings)
    con = store.connect(ctx.ws.store_path)
    try:
        enrolments = load_enrolments(con, graduates_only=False)
        graduates = graduates_only(enrolments)
        answers = load_answers(con, ctx.run_id)
        refused = refused_in_run(load_refusals(con, today), graduates, ctx.run_id)
        due, stages = due_invitations(graduates, load_log(con), answers, rules, today, refused)
        result = send(con, ctx, INVITATIONS, rules, due, stages)
        # After logging, so today's invitations appear in the timeline.
        timeline = cohort_timeline(enrolments, load_log(con), answers, rules, today)
    finally:
        con.close()
    late = late_collected(timeline)
    result.timeline, result.late, result.rules, result.today = timeline, late, rules, today
    result.counts.update(cohorts=len(timeline), late_collected_trainings=len(late))
    finish(ctx, INVITATIONS, result, outputs=[write_timeline(ctx.run_dir, timeline, late)],
           arrivals=arrivals)
    return result
