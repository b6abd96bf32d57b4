"""SOP step 3: share the open vacancies with alumni.

What came back is read first (answers.collect.read_arrivals: answers, refusals and
delivery reports waiting in the inbox), so the list's *Status Terakhir* is each alumnus's
latest stored word and a number that failed today gets no message. Then, for the
vacancies open on the as-of date, this writes into the run folder:
- `lowongan_wa_grup_<kejuruan>.txt`: one message per kejuruan's WhatsApp alumni group;
- `lowongan_instagram.txt`: one caption with hashtags;
- `poster/poster_lowongan_<kejuruan>[_1-dari-2].png`: 1080x1080 posters;
- `blast_lowongan.xlsx/.csv/_wa.html`: one personal message per alumnus whose kejuruan
  matches, recorded in the store's outreach_log so the same vacancy is not sent to the same
  alumnus again on a later day (a list made twice on the same day is logged once).
All wording comes from templates/pesan/lowongan_*.j2 (workspace copies win).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from kebekerjaan.core import outfiles, recovery, store
from kebekerjaan.core.config import Settings
from kebekerjaan.core.context import StepContext
from kebekerjaan.core.publish import final_path, pending_dir
from kebekerjaan.core.runs import record_step
from kebekerjaan.core.workspace import Workspace
from kebekerjaan.io.blast import write_blast_list
from kebekerjaan.io.excel import csv_format
from kebekerjaan.io.messages import render, template
from kebekerjaan.rules.graduates import ENROLMENT_JOIN
from kebekerjaan.rules.labels import NO_ANSWER_YET, VACANCY, count_label
from kebekerjaan.rules.statuses import EMPLOYED
from kebekerjaan.steps.answers.collect import read_arrivals
from kebekerjaan.steps.answers.delivery import unreachable
from kebekerjaan.steps.answers.records import latest_status
from kebekerjaan.steps.outreach.rules import log_outreach, whatsapp_problem
from kebekerjaan.steps.vacancies.gather import KEJURUAN_SEPARATOR, open_vacancies
from kebekerjaan.steps.vacancies.poster import parse_poster_text, write_posters

STEP = 3
KIND = VACANCY
INSTAGRAM_MAX_CHARS = 2200
INSTAGRAM_MAX_TAGS = 30
# The counts the notebook's summary shows, in this order (words: rules/labels.COUNT_LABELS).
SUMMARY_COUNTS = ("open_vacancies", "kejuruan", "posters", "recipients", "outreach_logged")


@dataclass
class ShareResult:
    vacancies: pd.DataFrame  # the open vacancies shared
    group_messages: dict[str, str]  # kejuruan -> WhatsApp group message
    instagram: str
    posters: list[Path]
    blast: pd.DataFrame  # one row per alumnus, as written to blast_lowongan.*
    logged: int  # new outreach_log rows
    notes: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # as recorded for the run manifest

    def summary(self) -> pd.DataFrame:
        labels = [count_label(k) for k in SUMMARY_COUNTS]
        return pd.DataFrame({"Hasil": [t[:1].upper() + t[1:] for t in labels],
                             "Jumlah": [self.counts[k] for k in SUMMARY_COUNTS]})

    def blast_frame(self) -> pd.DataFrame:
        """The personal list as staff check it: Indonesian headers, no message text (show
        through privacy.for_display, which drops the phone number)."""
        return self.blast.drop(columns=["message"]).rename(
            columns={"phone": "Nomor WA", "name": "Nama", "kejuruan": "Kejuruan"})


def slug(text: str) -> str:
    """'Teknologi Informasi dan Komunikasi' -> 'teknologi-informasi-dan-komunikasi'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-") or "lainnya"


def hashtag(text: str) -> str:
    """'Garmen Apparel' -> 'GarmenApparel'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(w[:1].upper() + w[1:] for w in re.split(r"[^A-Za-z0-9]+", ascii_text) if w)


def vacancy_context(row) -> dict:
    """One vacancy as templates see it (dates as `date`, missing values as '')."""
    return {
        "id": int(row["id"]), "position": row["position"], "company": row["company"],
        "kejuruan": row["kejuruan"].split(KEJURUAN_SEPARATOR),
        "location": row["location"] or "", "min_education": row["min_education"] or "",
        "openings": int(row["openings"]) if pd.notna(row["openings"]) else None,
        "deadline": date.fromisoformat(row["deadline"]) if row["deadline"] else None,
        "how_to_apply": row["how_to_apply"] or "", "source": row["source"] or "",
    }


def by_kejuruan(settings: Settings, vacancies: pd.DataFrame) -> dict[str, list[dict]]:
    """Open vacancies per kejuruan, kejuruan in configuration order; a vacancy with two
    kejuruan is listed under both."""
    order = [k.name for k in settings.kejuruan]
    groups: dict[str, list[dict]] = {}
    for _, row in vacancies.iterrows():
        ctx = vacancy_context(row)
        for kej in ctx["kejuruan"]:
            groups.setdefault(kej, []).append(ctx)
    return {k: groups[k] for k in sorted(groups, key=lambda k: (k not in order,
                                                               order.index(k) if k in order else 0, k))}


@recovery.step_writer("membagikan lowongan (langkah 3)")
def share_vacancies(ctx: StepContext) -> ShareResult:
    """Read what came back, then write the group messages, caption, posters and personal
    blast list for ctx.today.

    The personal blast list is what the store logs as sent, so it is written for after the
    commit (core.publish.pending_dir; its paths in the result are where it will be); the
    group messages, caption and posters name no one and go straight into the run folder
    (the notebook shows the posters)."""
    ws, run_dir, today, settings = ctx.ws, ctx.run_dir, ctx.today, ctx.settings
    run_dir.mkdir(parents=True, exist_ok=True)
    arrivals = read_arrivals(ctx, before_list=True)
    common = {"institution": settings.institution, "as_of": today}
    vacancies = open_vacancies(ws, today)
    groups = by_kejuruan(settings, vacancies)
    outputs: list[Path] = []
    notes: list[str] = []

    messages = {}
    for kej, items in groups.items():
        messages[kej] = render("lowongan_wa_grup.j2", ws.root, kejuruan=kej, vacancies=items, **common)
        outputs.append(outfiles.write_text(run_dir / f"lowongan_wa_grup_{slug(kej)}.txt",
                                           messages[kej] + "\n"))

    caption = ""
    if groups:
        tags = list(dict.fromkeys([*settings.vacancies.hashtags,
                                   *(hashtag(k) for k in groups)]))[:INSTAGRAM_MAX_TAGS]
        caption = render("lowongan_instagram.j2", ws.root, hashtags=tags,
                         groups=[{"kejuruan": k, "vacancies": v} for k, v in groups.items()],
                         **common)
        if len(caption) > INSTAGRAM_MAX_CHARS:
            notes.append(f"Keterangan Instagram {len(caption)} karakter, melebihi batas "
                         f"{INSTAGRAM_MAX_CHARS}: pendekkan sebelum diunggah.")
        outputs.append(outfiles.write_text(run_dir / "lowongan_instagram.txt", caption + "\n"))

    posters = []
    for kej, items in groups.items():
        text = render("lowongan_poster.j2", ws.root, kejuruan=kej, vacancies=items, **common)
        posters += write_posters(parse_poster_text(text), run_dir / "poster",
                                 f"poster_lowongan_{slug(kej)}")
    outputs += posters

    pairs = blast_pairs(ctx, vacancies)
    blast = personal_messages(ctx, pairs, vacancies)
    if not blast.empty:
        outputs += write_blast_list(pending_dir(run_dir), "blast_lowongan", blast,
                                    title=f"Info lowongan untuk alumni — {today:%d-%m-%Y}",
                                    csv_fmt=csv_format(settings))
    con = store.connect(ws.store_path)
    try:  # every (alumnus, vacancy) of the list; the same day twice adds nothing
        logged = log_outreach(con, pairs, KIND, today, ctx.run_id)
    finally:
        con.close()
    counts = {"open_vacancies": len(vacancies), "kejuruan": len(groups), "posters": len(posters),
              "recipients": len(blast), "messages_per_vacancy": len(pairs), "outreach_logged": logged,
              **arrivals.first_counts()}
    outputs += arrivals.outputs
    notes = [*arrivals.first_notes(), *notes]
    outputs = [final_path(p) for p in outputs]
    result = ShareResult(vacancies, messages, caption, posters, blast, logged, notes, outputs, counts)
    record_step(run_dir, STEP, outputs=outputs, notes=notes, counts=counts,
                inputs=arrivals.inputs(tried_only=True))
    return result


def blast_pairs(ctx: StepContext, vacancies: pd.DataFrame) -> pd.DataFrame:
    """Which alumnus gets which open vacancy: one row per (alumnus, vacancy).

    An alumnus matches a vacancy when one of their trainings (finished by ctx.today) is in
    one of its kejuruan. Rules from `[vacancies]`: exclude or put last those whose latest
    survey answer says they work (records.latest_status); most recently trained first; at most N per vacancy.
    A vacancy already sent to an alumnus on an earlier day is not sent again.
    """
    columns = ["vacancy_id", "nik", "enrolment_id", "name", "phone", "kejuruan", "program",
               "end_date", "status", "shown", "working"]
    if vacancies.empty:
        return pd.DataFrame(columns=columns)
    opts = ctx.settings.vacancies
    day = ctx.today.isoformat()
    con = store.connect(ctx.ws.store_path)
    try:
        alumni = pd.read_sql_query(
            "SELECT e.id AS enrolment_id, e.nik, a.name, a.phone, e.kejuruan, e.program, "
            f"e.end_date FROM {ENROLMENT_JOIN} "
            "WHERE a.phone IS NOT NULL AND e.end_date <= ?", con, params=(day,))
        # A landline is stored (with a flag) but cannot receive WhatsApp: same rule as steps 4-5.
        alumni = alumni[alumni["phone"].map(whatsapp_problem).isna()]
        # A number the blast app last reported as failed or not on WhatsApp: as in steps 4-5.
        alumni = alumni[~alumni["phone"].isin(unreachable(con).keys())]
        latest = latest_status(con, ctx.today)
        sent = pd.read_sql_query(
            "SELECT DISTINCT nik, vacancy_id FROM outreach_log WHERE kind = ? AND sent_on < ?",
            con, params=(KIND, day))
    finally:
        con.close()
    alumni["status"] = alumni["nik"].map(latest["status"])
    alumni["shown"] = alumni["nik"].map(latest["shown"]).fillna(NO_ANSWER_YET)
    alumni["working"] = alumni["status"].isin(EMPLOYED)
    if opts.exclude_working:
        alumni = alumni[~alumni["working"]]

    wanted = (vacancies[["id", "kejuruan"]]
              .assign(kejuruan=vacancies["kejuruan"].str.split(KEJURUAN_SEPARATOR))
              .explode("kejuruan").rename(columns={"id": "vacancy_id"}))
    pairs = wanted.merge(alumni, on="kejuruan")
    # One row per alumnus and vacancy: their latest matching training.
    pairs = (pairs.sort_values(["end_date", "enrolment_id"], ascending=[False, False])
             .drop_duplicates(["vacancy_id", "nik"]))
    if not sent.empty:
        done = pd.MultiIndex.from_frame(sent[["vacancy_id", "nik"]])
        pairs = pairs[~pd.MultiIndex.from_frame(pairs[["vacancy_id", "nik"]]).isin(done)]
    pairs = pairs.sort_values(_order(opts), ascending=_ascending(opts), kind="stable")
    limit = opts.max_recipients_per_vacancy
    if limit > 0:
        pairs = pairs.groupby("vacancy_id", sort=False).head(limit)
    return pairs[columns].reset_index(drop=True)


def _order(opts) -> list[str]:
    return ((["working"] if opts.not_working_first else [])
            + (["end_date"] if opts.recent_first else []) + ["name", "nik"])


def _ascending(opts) -> list[bool]:
    return ([True] if opts.not_working_first else []) + (
        [False] if opts.recent_first else []) + [True, True]


def personal_messages(ctx: StepContext, pairs: pd.DataFrame, vacancies: pd.DataFrame
                      ) -> pd.DataFrame:
    """One row per alumnus, with one message listing all their vacancies (blast.BLAST_COLUMNS
    input plus Indonesian extra columns)."""
    cols = ["phone", "name", "kejuruan", "message", "Program", "Selesai Pelatihan",
            "Status Terakhir", "Perusahaan", "Jabatan", "No Lowongan"]
    if pairs.empty:
        return pd.DataFrame(columns=cols)
    settings = ctx.settings
    opts = settings.vacancies
    by_id = {int(r["id"]): vacancy_context(r) for _, r in vacancies.iterrows()}
    fill = template("lowongan_personal.j2", ctx.ws.root)
    rows = []
    # Alumni keep the order of their first (best-ranked) pair; their vacancies in pair order.
    codes, _ = pd.factorize(pairs["nik"])
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(codes.max() + 2))
    vacancy_ids = pairs["vacancy_id"].to_numpy()[order]
    firsts = pairs.iloc[order[bounds[:-1]]].to_dict("records")
    for k, first in enumerate(firsts):
        items = sorted((by_id[int(v)] for v in vacancy_ids[bounds[k]:bounds[k + 1]]),
                       key=lambda v: (v["deadline"] or date.max, v["company"], v["position"]))
        message = fill(name=first["name"], kejuruan=first["kejuruan"], program=first["program"],
                       vacancies=items, institution=settings.institution, as_of=ctx.today)
        rows.append({
            "phone": first["phone"], "name": first["name"], "kejuruan": first["kejuruan"],
            "message": message, "Program": first["program"],
            "Selesai Pelatihan": date.fromisoformat(first["end_date"]),
            "Status Terakhir": first["shown"],
            "Perusahaan": "; ".join(dict.fromkeys(v["company"] for v in items)),
            "Jabatan": "; ".join(v["position"] for v in items),
            "No Lowongan": ", ".join(str(v["id"]) for v in items),
            "_working": bool(first["working"]), "_end": first["end_date"],
        })
    out = pd.DataFrame(rows)
    out = out.sort_values(
        [c for c, on in (("_working", opts.not_working_first), ("_end", opts.recent_first))
         if on] + ["name"],
        ascending=[a for a, on in ((True, opts.not_working_first), (False, opts.recent_first))
                   if on] + [True], kind="stable")
    return out[cols].reset_index(drop=True)


def outreach_per_vacancy(ws: Workspace, today: date) -> pd.DataFrame:
    """How many alumni each vacancy has been sent to, for the notebook."""
    con = store.connect(ws.store_path)
    try:
        return pd.read_sql_query(
            "SELECT v.id AS No, v.company AS Perusahaan, v.position AS Jabatan, "
            "COUNT(DISTINCT o.nik) AS \"Alumni dikirimi\", MAX(o.sent_on) AS \"Terakhir dikirim\" "
            "FROM outreach_log o JOIN vacancies v ON v.id = o.vacancy_id "
            "WHERE o.kind = ? AND o.sent_on <= ? GROUP BY v.id ORDER BY v.id",
            con, params=(KIND, today.isoformat()))
    finally:
        con.close()
