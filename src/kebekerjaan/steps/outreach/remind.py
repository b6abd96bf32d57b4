"""SOP step 5: remind alumni who were invited to a survey wave and have not answered.

A reminder is due when the last invitation or reminder for that wave is at least
`remind_after_days` old, fewer than `max_reminders` reminders were sent, the alumnus
has not answered, and the wave's window is still open. Reminders go out in the same
formats as invitations and are logged as kind 'pengingat'.

The step first reads what came back (send.read_first: answers, refusals and the blast
app's delivery reports waiting in the inbox, unless step 7 read them earlier in the run):
an alumnus whose answer or refusal arrived today is not reminded; numbers that failed or
are not on WhatsApp are not reminded but listed under "tanpa nomor WA" with the reason,
like alumni who declined the survey are not reminded at all.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from kebekerjaan.core import recovery, store
from kebekerjaan.core.context import StepContext
from kebekerjaan.rules.labels import INVITATION, REMINDER
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

KIND = REMINDER
REMINDERS = Campaign(
    step=5, kind=KIND, stem="pengingat_survei", template="pengingat_survei.j2",
    no_phone_file="tanpa_nomor_wa_pengingat.xlsx", title="Pengingat survei kebekerjaan",
    list_columns=("code_shown", "program", "angkatan", "training_year", "wave", "reminder_no",
                  "last_contact", "closes", "note"),
    stage_counts=(("invited_open", "Diundang"), ("already_answered", ANSWERED),
                  ("answered_today", ANSWERED_NOW), ("refused", REFUSED),
                  ("refused_today", REFUSED_NOW), ("reminders_used_up", "Pengingat sudah habis"),
                  ("window_closed", "Masa survei sudah lewat"), ("too_soon", "Belum waktunya")),
    fields={"ke": "reminder_no", "maks": "max_reminders", "diundang": "invited_on"},
)


def due_reminders(enrolments: pd.DataFrame, log: pd.DataFrame, answers: pd.DataFrame,
                  rules: SurveyRules, as_of: date, refused: pd.DataFrame | None = None,
                  ) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """(enrolment, wave) pairs to remind on `as_of`, with `reminder_no`, `invited_on` and
    `last_contact`, and the frame of each selection stage.

    Reminders logged on the as-of date itself do not count, so the same day's list is
    reproducible; invitations of that day do (they make their alumni "not yet due").
    Enrolments in `refused` (refusals.refused_enrolments) are never reminded. As for
    invitations, ANSWERED_NOW and REFUSED_NOW hold those whose answer or refusal arrived
    in this run.
    """
    as_of = pd.Timestamp(as_of)
    counted = (log["sent_on"] < as_of) | ((log["kind"] == INVITATION) & (log["sent_on"] == as_of))
    earlier = resolve(log[counted], enrolments)
    pair = ["enrolment_id", "wave"]
    invited = earlier[earlier["kind"] == INVITATION].groupby(pair)["sent_on"].min().rename("invited_on")
    reminded = earlier[earlier["kind"] == KIND].groupby(pair)["sent_on"].nunique().rename("reminders")
    last = earlier.groupby(pair)["sent_on"].max().rename("last_contact")
    state = pd.concat([invited, reminded, last], axis=1, join="outer")
    state = state[state["invited_on"].notna()].reset_index()
    state["reminders"] = state["reminders"].fillna(0).astype("int64")
    state = state.merge(wave_frame(enrolments, rules), on=pair).merge(enrolments, on="enrolment_id")

    unanswered, _ = without_pairs(state, resolve(answers, enrolments))
    answered = state.loc[state.index.difference(unanswered.index)]
    waiting, declined = without_refused(unanswered, refused)
    used_up = waiting["reminders"] >= rules.max_reminders
    closed = ~used_up & (as_of > waiting["closes"])
    too_soon = (~used_up & ~closed
                & (as_of < waiting["last_contact"] + pd.Timedelta(days=rules.remind_after_days)))
    due = waiting[~(used_up | closed | too_soon)].copy()
    due["reminder_no"] = due["reminders"] + 1
    stages = {"Diundang": state, ANSWERED: answered,
              ANSWERED_NOW: answered_in_run(answered, answers, enrolments),
              REFUSED: declined, REFUSED_NOW: arrived_refusals(declined, refused),
              "Pengingat sudah habis": waiting[used_up], "Masa survei sudah lewat": waiting[closed],
              "Belum waktunya": waiting[too_soon], "Perlu diingatkan": due}
    return due.reset_index(drop=True), stages


@recovery.step_writer("menyiapkan pengingat (langkah 5)")
def remind(ctx: StepContext) -> OutreachResult:
    """Read what came back, then make the day's reminder list and log it."""
    today = ctx.today
    arrivals = read_first(ctx)
    rules = SurveyRules.from_settings(ctx.settings)
    con = store.connect(ctx.ws.store_path)
    try:
        enrolments = load_enrolments(con)
        refused = refused_in_run(load_refusals(con, today), enrolments, ctx.run_id)
        due, stages = due_reminders(enrolments, load_log(con), load_answers(con, ctx.run_id),
                                    rules, today, refused)
        due["max_reminders"] = rules.max_reminders  # the template says "n dari maks"
        result = send(con, ctx, REMINDERS, rules, due, stages)
    finally:
        con.close()
    finish(ctx, REMINDERS, result, arrivals=arrivals)
    return result
