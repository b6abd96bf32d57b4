"""The one driver of the survey messages of SOP steps 4 (invitations) and 5 (reminders).

A step first reads what came back (`read_first`: answers, refusals, delivery reports
waiting in the inbox), then says who is due (its `due_*` rule, on its own reads of the
store) and what sets it apart (a Campaign: log kind, template, files, labels); `send` does
the rest, the same for both: at most one message per person and day, a WhatsApp number, a
respondent code and a message each, logged in outreach_log; `finish` writes the lists and
records the step, with what was read first.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from kebekerjaan.core.context import StepContext
from kebekerjaan.core.runs import record_step
from kebekerjaan.io.excel import csv_format
from kebekerjaan.rules.waves import SurveyRules
from kebekerjaan.steps.answers.collect import Arrivals, read_arrivals
from kebekerjaan.steps.answers.delivery import unreachable
from kebekerjaan.steps.answers.records import review_senders
from kebekerjaan.steps.outreach.rules import (
    OutreachResult,
    counts_by_wave,
    log_outreach,
    one_per_person,
    render_messages,
    split_by_phone,
    with_codes,
    write_lists,
)

# Selection stages both steps report (a step's own stages come from its due_* rule).
ANSWERED = "Sudah menjawab"
ANSWERED_NOW = "Sudah menjawab: jawabannya masuk hari ini"   # part of ANSWERED
REFUSED = "Menolak disurvei"
REFUSED_NOW = "Menolak disurvei: penolakannya masuk hari ini"  # part of REFUSED
HELD = "Ditahan: mungkin sudah menjawab (menunggu tinjauan)"
DEFERRED = "Ditunda (pelatihan lain)"
NO_PHONE = "Tanpa nomor WA"
LISTED = "Masuk daftar kirim"


@dataclass(frozen=True)
class Campaign:
    """What sets one kind of survey message apart."""

    step: int
    kind: str                   # outreach_log kind; also named in the notes of deferred rows
    stem: str                   # file stem of the blast list (xlsx, csv, wa.me page)
    template: str               # message template (templates/pesan/)
    no_phone_file: str          # workbook of the alumni who cannot get a WhatsApp message
    title: str                  # title of the blast list, before "— <BPVP> — <date>"
    list_columns: tuple[str, ...]  # extra columns of the blast list (rules.LIST_LABELS)
    stage_counts: tuple[tuple[str, str], ...]  # (count name, stage) counted first, in order
    fields: dict[str, str] = field(default_factory=dict)  # template field -> list column
    result_type: type = OutreachResult


def send(con: sqlite3.Connection, ctx: StepContext, campaign: Campaign, rules: SurveyRules,
         due: pd.DataFrame, stages: dict[str, pd.DataFrame]) -> OutreachResult:
    """List and log the messages of the `due` (enrolment, wave) rows; `stages` holds the frame
    of each selection stage that led to them (REFUSED among them). The result's counts are
    the campaign's stage counts, then those of listing; its files are not written yet."""
    due, held = hold_for_review(due, review_senders(con))
    kept, deferred = one_per_person(due, campaign.kind)
    ok, no_phone = split_by_phone(kept, unreachable(con, ctx.today))  # as of the run's date
    ok = with_codes(con, ok)
    ok["message"] = render_messages(ok, campaign.template, ctx.ws.root, rules, ctx.settings,
                                    **campaign.fields)
    logged = log_outreach(con, ok, campaign.kind, ctx.today, ctx.run_id)
    stages = {**stages, HELD: held, DEFERRED: deferred, NO_PHONE: no_phone, LISTED: ok}
    return campaign.result_type(
        kind=campaign.kind, listed=ok, no_phone=no_phone, deferred=deferred,
        refused=stages[REFUSED],
        by_wave=counts_by_wave(stages, rules.waves),
        counts={
            **{name: len(stages[stage]) for name, stage in campaign.stage_counts},
            "due": len(due) + len(held), "held_for_review": len(held),
            "deferred_same_day": len(deferred), "no_phone": len(no_phone),
            "listed": len(ok), "logged_new": logged,
            **{f"listed_wave_{w}": int((ok["wave"] == w).sum()) for w in rules.waves},
        },
        notes=rules.notes(),
    )


def read_first(ctx: StepContext) -> Arrivals:
    """Read what waits in the inbox before choosing whom to message (answers.collect)."""
    return read_arrivals(ctx, before_list=True)


def hold_for_review(due: pd.DataFrame, senders: pd.DataFrame
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(due rows to message, rows held): a due alumnus who may have sent an answer waiting in
    the review queue (records.review_senders), answered since the wave opened, gets no
    message until staff decide it: a reply after an answer makes the BPVP look careless."""
    if due.empty or senders.empty:
        return due, due.iloc[0:0]
    first = senders.groupby("nik")["answered_on"].max()
    answered = pd.to_datetime(due["nik"].map(first))
    held = answered.notna() & (answered >= due["opens"])
    return due[~held], due[held]


def held_note(result: OutreachResult) -> list[str]:
    """The line for staff about messages held while answers wait in review."""
    n = result.counts.get("held_for_review", 0)
    if not n:
        return []
    return [f"{n} alumni ditahan, tidak dikirimi: jawaban yang menunggu tinjauan (langkah 7) "
            "mungkin dari mereka. Putuskan tinjauannya; yang ternyata belum menjawab masuk daftar "
            "pada proses berikutnya."]


def finish(ctx: StepContext, campaign: Campaign, result: OutreachResult, *,
           outputs: Iterable = (), notes: Iterable[str] = (), arrivals: Arrivals | None = None
           ) -> None:
    """Write the lists (and the step's own `outputs` after them) and record the step, with
    what it read first (`arrivals`)."""
    title = f"{campaign.title} — {ctx.settings.institution.short_name} — {ctx.today:%d-%m-%Y}"
    result.outputs, empty = write_lists(ctx.run_dir, campaign.stem, title, result,
                                        list(campaign.list_columns), campaign.no_phone_file,
                                        csv_format(ctx.settings))
    result.outputs += list(outputs)
    inputs: list = []
    if arrivals is not None:
        result.arrivals = arrivals
        result.outputs += arrivals.outputs
        result.counts.update(arrivals.first_counts())
        notes = [*arrivals.first_notes(), *notes]
        inputs = arrivals.inputs(tried_only=True)
    notes = [*held_note(result), *notes]
    record_step(ctx.run_dir, campaign.step, counts=result.counts, outputs=result.outputs,
                notes=result.notes + empty + list(notes), inputs=inputs)
