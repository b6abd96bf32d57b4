"""SOP step 4: invite alumni to the 1-, 3- and 6-month survey.

For the as-of date: every graduate whose wave window is open (see
outreach.wave_windows), who has not answered that wave and was not invited to it
on an earlier day, and has not declined the survey, gets one WhatsApp message with
their personal form link and respondent code (codes.py). The list goes to
the blast app (xlsx/csv) and to a page of wa.me links; every listed alumnus is
recorded in outreach_log, so the next run does not invite them again.

The step also writes the per-cohort timeline against the SOP's timing and lists
trainings whose alumni data were collected late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from kebekerjaan.core import recovery, store
from kebekerjaan.core.runs import record_step
from kebekerjaan.core.workspace import Workspace
from kebekerjaan.rules.graduates import graduates_only
from kebekerjaan.rules.labels import INVITATION
from kebekerjaan.rules.refusals import load_refusals, refused_enrolments
from kebekerjaan.steps.outreach.delivery import unreachable
from kebekerjaan.steps.outreach.rules import (
    OutreachResult,
    SurveyRules,
    counts_by_wave,
    load_answers,
    load_enrolments,
    load_log,
    log_outreach,
    one_per_person,
    render_messages,
    resolve,
    split_by_phone,
    wave_frame,
    with_codes,
    without_pairs,
    without_refused,
    write_lists,
)
from kebekerjaan.steps.outreach.timeline import (
    cohort_timeline,
    late_collected,
    timeline_view,
    write_timeline,
)

STEP = 4
KIND = INVITATION
STEM = "undangan_survei"
TEMPLATE = "undangan_survei.j2"
NO_PHONE_FILE = "tanpa_nomor_wa.xlsx"


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
    Enrolments in `refused` (refusals.refused_enrolments) are never invited again.
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
    stages = {"Masa undangan terbuka": in_window, "Sudah menjawab": answered,
              "Menolak disurvei": declined, "Sudah diundang sebelumnya": invited,
              "Perlu diundang": due}
    return due.reset_index(drop=True), stages


@recovery.step_writer("menyiapkan undangan survei (langkah 4)")
def invite_survey(ws: Workspace, run_dir: Path, *, today: date | None = None,
                  run_id: str | None = None) -> InvitationResult:
    """Make the day's invitation list, log it, and write the cohort timeline."""
    today = today or date.today()
    run_dir = Path(run_dir)
    settings = ws.settings()
    rules = SurveyRules.from_settings(settings)
    con = store.connect(ws.store_path)
    try:
        enrolments = load_enrolments(con, graduates_only=False)
        graduates = graduates_only(enrolments)
        answers = load_answers(con)
        refused = refused_enrolments(load_refusals(con, today), graduates)
        due, stages = due_invitations(graduates, load_log(con), answers, rules, today, refused)
        kept, deferred = one_per_person(due, KIND)
        ok, no_phone = split_by_phone(kept, unreachable(con, today))
        ok = with_codes(con, ok)
        ok["message"] = render_messages(ok, TEMPLATE, ws.root, rules, settings)
        logged = log_outreach(con, ok, KIND, today, run_id)
        # After logging, so today's invitations appear in the timeline.
        timeline = cohort_timeline(enrolments, load_log(con), answers, rules, today)
    finally:
        con.close()

    stages = {**stages, "Ditunda (pelatihan lain)": deferred, "Tanpa nomor WA": no_phone,
              "Masuk daftar kirim": ok}
    late = late_collected(timeline)
    result = InvitationResult(
        kind=KIND, listed=ok, no_phone=no_phone, deferred=deferred,
        refused=stages["Menolak disurvei"],
        by_wave=counts_by_wave(stages, rules.waves),
        counts={
            "in_window": len(stages["Masa undangan terbuka"]),
            "already_answered": len(stages["Sudah menjawab"]),
            "refused": len(stages["Menolak disurvei"]),
            "already_invited": len(stages["Sudah diundang sebelumnya"]),
            "due": len(due), "deferred_same_day": len(deferred), "no_phone": len(no_phone),
            "listed": len(ok), "logged_new": logged,
            **{f"listed_wave_{w}": int((ok["wave"] == w).sum()) for w in rules.waves},
            "cohorts": len(timeline), "late_collected_trainings": len(late),
        },
        notes=rules.notes(),
        timeline=timeline, late=late, rules=rules, today=today,
    )
    title = f"Undangan survei kebekerjaan — {settings.institution['short_name']} — {today:%d-%m-%Y}"
    result.outputs = write_lists(run_dir, STEM, title, result,
                                 ["code_shown", "program", "angkatan", "training_year", "wave",
                                  "due", "closes", "note"], NO_PHONE_FILE)
    result.outputs.append(write_timeline(run_dir, timeline, late))
    record_step(run_dir, STEP, counts=result.counts, outputs=result.outputs, notes=result.notes)
    return result
