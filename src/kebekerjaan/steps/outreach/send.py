"""The one driver of the survey messages of SOP steps 4 (invitations) and 5 (reminders).

A step says who is due (its `due_*` rule, on its own reads of the store) and what sets it
apart (a Campaign: log kind, template, files, labels); `send` does the rest, the same for
both: at most one message per person and day, a WhatsApp number, a respondent code and a
message each, logged in outreach_log; `finish` writes the lists and records the step.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from kebekerjaan.core.context import StepContext
from kebekerjaan.core.runs import record_step
from kebekerjaan.io.excel import csv_format
from kebekerjaan.steps.outreach.delivery import unreachable
from kebekerjaan.steps.outreach.rules import (
    OutreachResult,
    SurveyRules,
    counts_by_wave,
    log_outreach,
    one_per_person,
    render_messages,
    split_by_phone,
    with_codes,
    write_lists,
)

# Selection stages both steps report (a step's own stages come from its due_* rule).
REFUSED = "Menolak disurvei"
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
    kept, deferred = one_per_person(due, campaign.kind)
    ok, no_phone = split_by_phone(kept, unreachable(con, ctx.today))  # as of the run's date
    ok = with_codes(con, ok)
    ok["message"] = render_messages(ok, campaign.template, ctx.ws.root, rules, ctx.settings,
                                    **campaign.fields)
    logged = log_outreach(con, ok, campaign.kind, ctx.today, ctx.run_id)
    stages = {**stages, DEFERRED: deferred, NO_PHONE: no_phone, LISTED: ok}
    return campaign.result_type(
        kind=campaign.kind, listed=ok, no_phone=no_phone, deferred=deferred,
        refused=stages[REFUSED],
        by_wave=counts_by_wave(stages, rules.waves),
        counts={
            **{name: len(stages[stage]) for name, stage in campaign.stage_counts},
            "due": len(due), "deferred_same_day": len(deferred), "no_phone": len(no_phone),
            "listed": len(ok), "logged_new": logged,
            **{f"listed_wave_{w}": int((ok["wave"] == w).sum()) for w in rules.waves},
        },
        notes=rules.notes(),
    )


def finish(ctx: StepContext, campaign: Campaign, result: OutreachResult, *,
           outputs: Iterable = (), notes: Iterable[str] = (), inputs: list | None = None) -> None:
    """Write the lists (and the step's own `outputs` after them) and record the step."""
    title = f"{campaign.title} — {ctx.settings.institution.short_name} — {ctx.today:%d-%m-%Y}"
    result.outputs, empty = write_lists(ctx.run_dir, campaign.stem, title, result,
                                        list(campaign.list_columns), campaign.no_phone_file,
                                        csv_format(ctx.settings))
    result.outputs += list(outputs)
    record_step(ctx.run_dir, campaign.step, counts=result.counts, outputs=result.outputs,
                notes=result.notes + empty + list(notes), inputs=inputs)
