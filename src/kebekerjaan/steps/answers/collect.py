"""SOP step 7: collect the survey answers, and what else came back.

New Google Forms exports (`data/masuk/respons/`), WhatsApp group exports
(`data/masuk/wa/`) and the blast app's delivery reports (`data/masuk/blast/`) are read
into the store, one transaction per file, and every answer (form, WhatsApp or typed in
at step 6) is matched to an alumnus and placed in its training and survey wave
(`read_arrivals`). What a machine should not decide goes to the review queue: in
JupyterLab staff decide it with the review panel, under papermill it is written to
`perlu_ditinjau.xlsx` and the run goes on.

Whoever makes a list of whom to message (steps 3, 4 and 5) calls `read_arrivals` first,
in the same run: an answer, a refusal or a failed delivery waiting in the inbox is in the
store before the list is made, whatever the order the steps were run in. The runner runs
step 7 before them (core/order.py), so in a full run step 7 reads and reports what came,
and their own read finds nothing new.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from kebekerjaan.core import recovery, store
from kebekerjaan.core.context import StepContext
from kebekerjaan.core.errors import InputFileError
from kebekerjaan.core.runs import record_step
from kebekerjaan.core.workspace import Workspace
from kebekerjaan.io.excel import write_workbook
from kebekerjaan.io.intake import (
    STATUS_LABELS,
    column_notes,
    columns_frame,
    file_totals,
    note_columns,
    read_new,
    unread_reports,
)
from kebekerjaan.io.normalize import normalize_angkatan
from kebekerjaan.io.normalize.kejuruan import kejuruan_mapper
from kebekerjaan.io.tables import CHAT_SUFFIXES, inbox_files
from kebekerjaan.rules import codes
from kebekerjaan.rules.labels import FORM, SOURCE_LABELS, WHATSAPP, count_label
from kebekerjaan.rules.questionnaire import load_questionnaire
from kebekerjaan.steps.answers.classify import keep_known_senders
from kebekerjaan.steps.answers.delivery import DeliveryImport, import_delivery_reports
from kebekerjaan.steps.answers.forms import read_form_export
from kebekerjaan.steps.answers.learning import learned_labels
from kebekerjaan.steps.answers.matching import same_name_key
from kebekerjaan.steps.answers.records import (
    ANSWER_FIELDS,
    refresh_with_settings,
    review_queue,
    save_answers,
)
from kebekerjaan.steps.answers.whatsapp import classify_messages, new_messages, parse_chat

STEP = 7


@dataclass
class SourceReport:
    file: str
    kind: str  # respons | wa
    sha256: str
    status: str  # ok | skipped | failed
    counts: dict = field(default_factory=dict)
    message: str = ""
    ignored_columns: list[str] = field(default_factory=list)
    columns: list[dict] = field(default_factory=list)
    columns_summary: str = ""


@dataclass
class Arrivals:
    """What came back and was read into the store by one call of read_arrivals."""

    files: list[SourceReport]   # answer files (respons, wa), as read (or not) this time
    rejects: pd.DataFrame       # form rows refused, with the reason
    deliveries: DeliveryImport  # the blast app's delivery reports
    totals: dict                # answers.records.refresh: the store's answers after reading
    outputs: list[Path] = field(default_factory=list)
    new_answers: int = 0        # answers the files read added to the store

    def read(self) -> list:
        """The file reports of the files this call tried (imported or refused)."""
        return [f for f in [*self.files, *self.deliveries.files] if f.status in ("ok", "failed")]

    def inputs(self, tried_only: bool = False) -> list[dict]:
        """Each file as the run manifest lists it (kind respons, wa or blast); `tried_only`:
        only those this call tried."""
        files = [*((f.kind, f) for f in self.files), *(("blast", f) for f in self.deliveries.files)]
        return [{"kind": kind, **asdict(f)} for kind, f in files
                if not tried_only or f.status in ("ok", "failed")]

    def counts(self) -> dict[str, int]:
        """The delivery reports' counts (blast_*), as step 7 records them beside its own."""
        return {f"blast_{k}": v for k, v in self.deliveries.totals().items()}

    def first_counts(self) -> dict[str, int]:
        """What a step making a list read before it (steps 3-5): nothing when nothing was new."""
        if not self.read():
            return {}
        counts = {"read_first_files": len(self.read()), "read_first_answers": self.new_answers}
        if any(f.status != "skipped" for f in self.deliveries.files):
            counts.update(self.counts())
        return counts

    def first_notes(self) -> list[str]:
        """The step-summary lines of a read before a list (steps 3-5)."""
        read = self.read()
        if not read:
            return []
        names = ", ".join(f.file for f in read)
        return [f"Yang masuk dibaca lebih dulu, sebelum daftar disusun: {names}",
                *column_notes(self.files), *self.deliveries.notes()]


@dataclass
class AnswersResult:
    files: list[SourceReport]
    rejects: pd.DataFrame
    queue: pd.DataFrame
    totals: dict
    outputs: list[Path] = field(default_factory=list)
    deliveries: DeliveryImport | None = None

    @property
    def notes(self) -> list[str]:
        """What changed how much work this run did (e.g. a changed [matching] setting)."""
        return list(self.totals.get("notes", []))

    def files_frame(self) -> pd.DataFrame:
        return _files_frame(self.files)

    def columns_frame(self) -> pd.DataFrame:
        """Which header of each form export was read as which field, and by which rule."""
        q = load_questionnaire()
        labels = {"timestamp": "Cap waktu", "email": "Email",
                  **{f: q[f].staff_label() for f in q.fields}}
        return columns_frame(self.files, labels)


@recovery.step_writer("membaca jawaban dan laporan kirim yang masuk")
def read_arrivals(ctx: StepContext, *, before_list: bool = False) -> Arrivals:
    """Read what waits in the inbox into the store: new form and chat exports (answers,
    and refusals through the consent question) and the blast app's delivery reports; then
    match and place every answer (records.refresh).

    `before_list`: called by a step about to make a list of whom to message (3, 4, 5). It
    then leaves alone the files this run already tried (step 7, or another list, read them
    moments ago: reading again is harmless but says the same things twice), and the files
    that are no input (step 7 names those); a file new since then is read all the same.
    """
    ws, today, run_id, settings = ctx.ws, ctx.today, ctx.run_id, ctx.settings
    con = store.connect(ws.store_path)
    reports, rejects = [], []
    try:
        skip = _read_before(con, run_id) if before_list else (lambda kind, path: None)
        deliveries = import_delivery_reports(con, ws.inbox("blast"), settings, ctx.run_dir,
                                             run_id, today, skip=lambda p: skip("blast", p))
        forms, forms_unread = inbox_files(ws.inbox("respons"))
        chats, chats_unread = inbox_files(ws.inbox("wa"), CHAT_SUFFIXES)
        mapper, last = None, _last_answer_id(con)
        for path in forms:
            why = skip("respons", path)
            if why is not None:
                reports.append(SourceReport(path.name, "respons", "", "skipped", message=why))
                continue
            mapper = mapper or kejuruan_mapper(settings)
            report, rej = _import_form(con, path, settings, mapper, run_id, today)
            reports.append(report)
            rejects.append(rej)
        reports += [_source_report(r, "respons") for r in unread_reports(forms_unread)]
        for path in chats:
            why = skip("wa", path)
            if why is not None:
                reports.append(SourceReport(path.name, "wa", "", "skipped", message=why))
                continue
            reports.append(_import_chat(con, path, settings, run_id))
        reports += [_source_report(r, "wa") for r in unread_reports(chats_unread)]
        added = int(con.execute("SELECT COUNT(*) FROM answers WHERE id > ?", (last,)).fetchone()[0])
        totals = refresh_with_settings(con, settings)
        if not before_list:
            _say_read_earlier(con, run_id, reports)
    finally:
        con.close()
    rejects = [r for r in rejects if r is not None and not r.empty]
    arrivals = Arrivals(
        files=reports,
        rejects=pd.concat(rejects, ignore_index=True) if rejects else pd.DataFrame(
            columns=["Berkas", "Baris", "Alasan"]),
        deliveries=deliveries, totals=totals, outputs=list(deliveries.outputs), new_answers=added,
    )
    if not arrivals.rejects.empty:
        arrivals.outputs.append(write_workbook(ctx.run_dir / FORM_REJECTS_FILE, {
            "Ditolak": arrivals.rejects,
            "Ringkasan Berkas": _files_frame([f for f in reports if f.kind == "respons"])}))
    return arrivals


def _last_answer_id(con) -> int:
    return int(con.execute("SELECT COALESCE(MAX(id), 0) FROM answers").fetchone()[0])


def _read_before(con, run_id: str):
    """skip(kind, path): why `path` needs no reading now (imported before, or tried earlier
    in this run, e.g. by step 7), or None to read it."""
    tried = dict(((k, sha), status) for k, sha, status in con.execute(
        "SELECT kind, sha256, status FROM import_log WHERE run_id = ? ORDER BY id", (run_id,)))

    def skip(kind: str, path: Path) -> str | None:
        sha = store.sha256_file(path)
        status = tried.get((kind, sha))
        if status == "ok":
            return READ_EARLIER
        if status is not None:
            return "gagal dibaca sebelumnya pada proses ini (alasannya di langkah itu)"
        return "" if store.already_imported(con, kind, sha) else None

    return skip


READ_EARLIER = "dibaca lebih dulu pada proses ini"


def _say_read_earlier(con, run_id: str, reports: list[SourceReport]) -> None:
    """A file skipped as imported, that this very run imported (a step making a list read
    it first): say so, rather than let it look like nothing came."""
    mine = {sha for (sha,) in con.execute(
        "SELECT sha256 FROM import_log WHERE run_id = ? AND status = 'ok'", (run_id,))}
    for r in reports:
        if r.status == "skipped" and r.sha256 in mine:
            r.message = READ_EARLIER


def new_answers_in_run(con, run_id: str) -> int:
    """Answers (form, WhatsApp) this run read into the store, whichever step read them."""
    return int(con.execute(
        "SELECT COALESCE(SUM(new), 0) FROM import_log WHERE run_id = ? AND status = 'ok' "
        "AND kind IN ('respons', 'wa')", (run_id,)).fetchone()[0])


@recovery.step_writer("mengumpulkan jawaban survei (langkah 7)")
def collect_answers(ctx: StepContext) -> AnswersResult:
    """Import new form and chat exports and delivery reports, then match, place and queue
    every answer."""
    arrivals = read_arrivals(ctx)
    con = store.connect(ctx.ws.store_path)
    try:
        queue = review_queue(con)
        arrived = new_answers_in_run(con, ctx.run_id)
    finally:
        con.close()
    reports, totals = arrivals.files, arrivals.totals
    result = AnswersResult(files=reports, rejects=arrivals.rejects, queue=queue, totals=totals,
                           deliveries=arrivals.deliveries)
    result.outputs = [*arrivals.outputs, *_write_outputs(result, ctx.run_dir)]
    counts = {**{k: v for k, v in totals.items() if k != "notes"},
              **file_totals(reports, ()),
              "form_rejects": len(result.rejects), "new_answers_in_run": arrived,
              **arrivals.counts()}
    record_step(ctx.run_dir, STEP, counts=counts, inputs=arrivals.inputs(),
                outputs=result.outputs,
                notes=[*column_notes(reports), *arrivals.deliveries.notes(), *result.notes,
                       *([] if len(queue) else [f"Jawaban perlu ditinjau: tidak ada (berkas "
                                                f"{REVIEW_FILE} tidak dibuat)"])])
    return result


def _files_frame(files: list[SourceReport]) -> pd.DataFrame:
    """The answer files as staff read them: one line per file."""
    return pd.DataFrame([{
        "Berkas": f.file, "Jenis": {"respons": "formulir", "wa": "WhatsApp"}[f.kind],
        "Status": STATUS_LABELS[f.status],
        "Rincian": ", ".join(f"{k} {v}" for k, v in f.counts.items()),
        "Keterangan": f.message,
    } for f in files], columns=["Berkas", "Jenis", "Status", "Rincian", "Keterangan"])


def _source_report(report, kind: str) -> SourceReport:
    return SourceReport(report.file, kind, report.sha256, report.status, message=report.message)


def _import_form(con, path: Path, settings, mapper, run_id, today=None):
    sha, form, not_read = read_new(con, "respons", path,
                                   lambda p: read_form_export(p, settings, today=today), run_id)
    if not_read:
        return _source_report(not_read, "respons"), None
    answers = _form_answers(form.answers, mapper)
    with store.transaction(con):
        import_id = store.log_import(con, kind="respons", file_name=path.name, sha256=sha,
                                     status="ok", run_id=run_id)
        new = save_answers(con, answers, import_id=import_id, file_name=path.name)
        con.executemany(
            "INSERT INTO rejects (import_id, kind, file_name, row_number, reason, raw) "
            "VALUES (?, 'respons', ?, ?, ?, ?)",
            [(import_id, path.name, int(r["row"]), r["reason"],
              store.to_json({k: v for k, v in r.items() if k not in ("row", "reason")}))
             for r in _reject_records(form.rejects)],
        )
        counts = {"dibaca": len(form.answers) + len(form.rejects), "jawaban baru": new,
                  "sudah ada": len(answers) - new, "ditolak": len(form.rejects)}
        store.update_import(con, import_id, rows_read=counts["dibaca"], new=new,
                            unchanged=counts["sudah ada"], rejected=len(form.rejects),
                            accepted=len(answers))
    counts["urutan tanggal"] = form.date_order
    rej = None
    if not form.rejects.empty:
        rej = pd.DataFrame({"Berkas": path.name, "Baris": form.rejects["row"].to_numpy(),
                            "Alasan": form.rejects["reason"].to_numpy()})
    report = SourceReport(path.name, "respons", sha, "ok", counts, message=form.date_order_reason)
    note_columns(report, form.resolution)
    return report, rej


def _reject_records(rejects: pd.DataFrame) -> list[dict]:
    plain = rejects.astype(object).where(rejects.notna(), None)
    return [{k: (v if isinstance(v, (str, int, float, type(None))) else str(v))
             for k, v in row.items()} for row in plain.to_dict("records")]


def _form_answers(frame: pd.DataFrame, mapper) -> pd.DataFrame:
    """Form rows as answer records; each keeps its identity across re-downloads."""
    if frame.empty:
        return pd.DataFrame(columns=["answer_key", "source", "answered_at"])
    stamp = pd.to_datetime(frame["answered_at"]).dt.strftime("%Y-%m-%dT%H:%M:%S")
    # Google Forms has no response id in its exports; timestamp + who answered identifies
    # a response in every later download of the same form.
    ident = (stamp + "|" + frame.get("email", pd.Series("", index=frame.index)).fillna("").astype(str)
             + "|" + frame["nik"].fillna("").astype(str) + "|" + frame["name"].fillna("").astype(str)
             + "|" + frame["phone"].fillna("").astype(str))
    # The respondent code joins the identity only where given, so answers stored before
    # codes existed keep their keys (a re-download adds nothing).
    code = (frame["kode"].map(codes.normalize) if "kode" in frame
            else pd.Series(None, index=frame.index, dtype=object))
    ident = ident + code.map(lambda c: f"|{c}" if c else "")
    kejuruan = mapper.map(frame["kejuruan"]) if "kejuruan" in frame else None
    out = pd.DataFrame({
        "answer_key": ["form:" + hashlib.sha1(s.encode()).hexdigest() for s in ident],
        "source": FORM,
        "answered_at": stamp,
        "given_nik": frame["nik"], "given_name": frame["name"], "given_phone": frame["phone"],
        "given_kejuruan": kejuruan["kejuruan"] if kejuruan is not None else None,
        "given_angkatan": normalize_angkatan(frame["angkatan"]) if "angkatan" in frame else None,
        "given_code": code,
        "row_number": frame["row"],
        "notes": frame["problems"].map(_notes) if "problems" in frame else None,
    })
    for f in ANSWER_FIELDS:
        values = frame[f] if f in frame else None
        if f == "start_date" and values is not None:
            values = values.map(lambda d: d.isoformat() if hasattr(d, "isoformat") else d)
        out[f] = values
    return out


def _notes(problems):
    if isinstance(problems, (list, tuple)):
        return "; ".join(problems) or None
    return problems or None


def _read_chat(path: Path, settings):
    chat = parse_chat(path, settings)
    if not chat.line_kinds["pesan"]:
        # Logged as failed, not imported: once the cause is fixed it is read again.
        raise InputFileError(path, (
            f"tidak ada satu pun pesan yang terbaca dari {chat.lines} baris; bukan ekspor "
            "obrolan WhatsApp, atau bentuk barisnya belum dikenal"))
    return chat


def _import_chat(con, path: Path, settings, run_id) -> SourceReport:
    sha, chat, not_read = read_new(con, "wa", path, lambda p: _read_chat(p, settings), run_id)
    if not_read:
        return _source_report(not_read, "wa")
    known = [r[0] for r in con.execute("SELECT message_key FROM wa_messages")]
    fresh = new_messages(chat.messages, known)
    # Phrasings staff already decided in the review panel are not asked again.
    learned = learned_labels(con)
    classified = classify_messages(fresh, settings, learned) if len(fresh) else fresh.assign(
        status=None, employer=None, rule=None, confidence=None, review=False, note=None,
        ignored=True, sure=True)
    # No silent drop: what the reader could not place, from an alumnus, goes to review.
    classified = keep_known_senders(classified, _known_senders(con, classified))
    answers = classified[classified["status"].notna() | classified["review"].astype(bool)]
    records = pd.DataFrame({
        "answer_key": "wa:" + answers["key"],
        "source": WHATSAPP,
        "answered_at": pd.to_datetime(answers["sent_at"]).dt.strftime("%Y-%m-%dT%H:%M:%S"),
        "given_phone": answers["sender_phone"],
        "given_name": answers["sender"].where(answers["sender_phone"].isna(), None),
        "given_code": answers["text"].map(codes.find_in_text),
        "status": answers["status"], "employer": answers["employer"],
        "message": answers["text"], "rule": answers["rule"], "confidence": answers["confidence"],
        "unclear": answers["note"].where(answers["review"].astype(bool), None),
        "row_number": answers["line_start"],
    })
    kind = classified["status"].notna().map({True: "status", False: "diabaikan"})
    kind[classified["review"].astype(bool)] = "tinjau"
    with store.transaction(con):
        import_id = store.log_import(con, kind="wa", file_name=path.name, sha256=sha, status="ok",
                                     run_id=run_id)
        new = save_answers(con, records, import_id=import_id, file_name=path.name)
        con.executemany(
            "INSERT OR IGNORE INTO wa_messages (message_key, import_id, sent_at, sender, kind) "
            "VALUES (?, ?, ?, ?, ?)",
            [(k, import_id, str(t), s, kd) for k, t, s, kd in
             zip(classified["key"], classified["sent_at"], classified["sender"], kind)],
        )
        store.update_import(con, import_id, rows_read=chat.lines, new=new,
                            unchanged=len(chat.messages) - len(fresh), accepted=len(records),
                            message=chat.reason)
    counts = {"baris": chat.lines, "pesan": len(chat.messages), "pesan baru": len(fresh),
              "berisi status": int(classified["status"].notna().sum()),
              "perlu ditinjau": int(classified["review"].astype(bool).sum()),
              "diabaikan": int((~classified["status"].notna()
                                & ~classified["review"].astype(bool)).sum()),
              "baris sistem": chat.system_lines}
    return SourceReport(path.name, "wa", sha, "ok", counts,
                        message=f"urutan tanggal {chat.date_order}: {chat.reason}")


def _known_senders(con, frame: pd.DataFrame) -> pd.Series:
    """Per message the reader ignored without being sure it holds no status: whether its
    sender is an alumnus (the phone number, or the same name as a stored alumnus) or it
    quotes a respondent code. Other messages: False (nothing to decide)."""
    out = pd.Series(False, index=frame.index)
    unsure = frame["ignored"].astype(bool) & ~frame["sure"].astype(bool)
    if not unsure.any():
        return out
    sub = frame[unsure]
    known = sub["text"].map(codes.find_in_text).notna()
    phones = sorted(set(sub["sender_phone"].dropna()))
    found: set[str] = set()
    for start in range(0, len(phones), 500):
        chunk = phones[start:start + 500]
        found.update(r[0] for r in con.execute(
            f"SELECT phone FROM alumni WHERE phone IN ({', '.join('?' * len(chunk))})", chunk))
    known |= sub["sender_phone"].isin(found)
    by_name = sub["sender_phone"].isna() & sub["sender"].notna()
    if by_name.any():
        names = {same_name_key(n) for (n,) in con.execute("SELECT name FROM alumni")}
        known |= by_name & sub["sender"].map(lambda s: same_name_key(s) in names)
    out[unsure] = known.to_numpy()
    return out
NO_NAME = "(nama tidak tercatat)"


def queue_for_staff(queue: pd.DataFrame) -> pd.DataFrame:
    """The review queue as staff read it in Excel: who answered, their kejuruan, what they
    answered and why it waits, first; then the details and who it may be; the answer's
    internal key last (to find it again in the review panel)."""
    q = load_questionnaire()

    def text(value) -> str:
        return "" if value is None or value != value else str(value).strip()

    def candidates(listed):
        return "; ".join(
            f"{text(c.get('name')) or NO_NAME} (NIK {c.get('nik', '')}, skor {c['score']:.0f})"
            for c in json.loads(listed or "[]"))

    def answer(status, employer, message):
        said = q.status_label(status) if text(status) else ""
        if said and text(employer):
            said += f" di {text(employer)}"
        return said or text(message)

    return pd.DataFrame({
        "Nama (jawaban)": [text(n) or NO_NAME for n in queue["given_name"]],
        "Kejuruan (jawaban)": [text(k) for k in queue["given_kejuruan"]],
        "Jawaban": [answer(*r) for r in zip(queue["status"], queue["employer"], queue["message"])],
        "Alasan Ditinjau": queue["unclear"].fillna(queue["match_note"])
        .fillna("kecocokan nama belum pasti"),
        "Calon Alumni": queue["candidates"].map(candidates),
        "Sumber": queue["source"].map(lambda s: SOURCE_LABELS.get(s, s)),
        "Tanggal": queue["answered_at"].str.slice(0, 16).str.replace("T", " "),
        "NIK (jawaban)": [text(v) for v in queue["given_nik"]],
        "No HP (jawaban)": [text(v) for v in queue["given_phone"]],
        "Kode (jawaban)": queue["given_code"].map(lambda c: codes.display(c) if c else ""),
        "Pesan": [text(m) for m in queue["message"]],
        "Kunci Jawaban": queue["answer_key"],
    })


REVIEW_FILE = "perlu_ditinjau.xlsx"
FORM_REJECTS_FILE = "ditolak_respons.xlsx"


def _write_outputs(result: AnswersResult, run_dir: Path) -> list[Path]:
    """The review queue, when it has rows (the rejects are written as the files are read)."""
    if not len(result.queue):
        return []
    return [write_workbook(run_dir / REVIEW_FILE, {"Perlu Ditinjau": queue_for_staff(result.queue)})]


# The run's counts shown above the table, in this order (words: rules/labels.COUNT_LABELS).
SHOWN_TOTALS = ("answers", "matched", "by_code", "to_review", "unmatched", "in_wave", "discarded",
                "refreshed")


def answers_summary(ws: Workspace, result: AnswersResult) -> pd.DataFrame:
    """Counts of the run, then the answers that count (latest per training and wave)."""
    con = store.connect(ws.store_path)
    try:
        latest = pd.read_sql_query(
            "SELECT wave, status, COUNT(*) AS n FROM answers WHERE is_latest = 1 GROUP BY wave, status",
            con,
        )
    finally:
        con.close()
    q = load_questionnaire()
    table = latest.pivot_table(index="status", columns="wave", values="n", aggfunc="sum",
                               fill_value=0)
    table.index = [q.status_label(s) if isinstance(s, str) else "(status belum jelas)"
                   for s in table.index]
    table.columns = [f"{int(c)} bulan" for c in table.columns]
    totals = pd.DataFrame({"Jumlah": [result.totals.get(k, 0) for k in SHOWN_TOTALS]},
                          index=[count_label(k) for k in SHOWN_TOTALS])
    from IPython.display import display

    for note in result.notes:
        print(f"Catatan: {note}.")
    display(totals)
    return table
