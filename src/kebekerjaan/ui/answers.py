"""ipywidgets for steps 6-7: typing in an answer, and deciding the review queue.

Both are used only in JupyterLab (interaktif=True); every rule they apply lives in
the package functions they call, so a papermill run and a test behave the same.
"""

from __future__ import annotations

import html
import json
from datetime import date

import ipywidgets as w

from kebekerjaan.core import store
from kebekerjaan.core.errors import EntryError, KebekerjaanError
from kebekerjaan.core.workspace import Workspace
from kebekerjaan.io.privacy import mask_nik, mask_text
from kebekerjaan.rules.labels import REVIEW, SOURCE_LABELS
from kebekerjaan.rules.questionnaire import load_questionnaire
from kebekerjaan.steps.answers.manual import find_alumni, load_alumni, record_answer
from kebekerjaan.steps.answers.records import decide_and_refresh, review_queue, undo_and_refresh
from kebekerjaan.ui.feedback import Feedback, error_html, required_mark, style_widget
from kebekerjaan.ui.widgets import (
    CheckList,
    DateField,
    Field,
    button,
    buttons_row,
    show_problems,
    staff_name_input,
)


class ManualEntryForm:
    """Find an alumnus, then save an answer (SOP step 6) or record a refusal.

    Labels are written for staff (`label` in kuesioner.toml), with the question as alumni
    saw it as help text; only the questions the chosen status asks are shown. The
    alumni are read once per form, so searching as staff type does not reread the store.
    `on_saved()` runs after each save (to refresh a list shown beside the form).
    """

    LIMIT = 15

    def __init__(self, ws: Workspace, today: date, on_saved=None):
        self.ws, self.today, self.on_saved = ws, today, on_saved
        self.q = load_questionnaire()
        self.alumni = load_alumni(ws)
        self._shown = self.alumni.head(0)
        self.search = w.Text(placeholder="ketik beberapa huruf nama, sebagian NIK atau nomor HP",
                             continuous_update=True)
        self.results = w.Select(options=[], rows=8, layout=w.Layout(width="64em", max_width="100%"))
        self.found = Feedback()
        self.rows: dict[str, Field] = {
            "search": Field("Cari alumni", self.search),
            "nik": Field("Alumnus", self.results,
                         help="Nama — kejuruan · program · angkatan (tahun) · selesai pelatihan · NIK",
                         required=True),
        }
        self.fields: dict[str, w.Widget] = {}
        for question in self.q.questions:
            if question.section == "identitas":
                continue  # comes from the alumnus chosen above
            widget = _field_widget(question, today)
            self.fields[question.code] = widget
            self.rows[question.code] = Field(question.staff_label(), widget, required=True,
                                             help=f"Pertanyaan di formulir: “{question.text}”")
        self.answered_on = DateField(today, today=today)
        self.entered_by = staff_name_input()
        self.rows["answered_on"] = Field("Tanggal jawaban", self.answered_on, required=True)
        self.rows["entered_by"] = Field("Dicatat oleh", self.entered_by, required=True,
                                        help="Nama petugas yang menerima jawaban ini.")
        self.save = button("Simpan jawaban", style="success", icon="save")
        self.summary = Feedback()
        self.message = Feedback()
        # A refusal: the alumnus does not want to answer (and should not be asked again).
        self.refusal_reason = w.Text(placeholder="mis. tidak bersedia dihubungi lagi")
        self.refused_on = DateField(today, today=today)
        self.refusal_rows = {
            "reason": Field("Alasan penolakan", self.refusal_reason),
            "refused_on": Field("Tanggal penolakan", self.refused_on, required=True),
        }
        self.refuse = button("Catat penolakan", style="warning", icon="ban")
        self.refusal_message = Feedback()

        self.search.observe(self._on_search, names="value")
        self.fields["status"].observe(self._on_status, names="value")
        self.save.on_click(self._on_save)
        self.refuse.on_click(self._on_refuse)
        answer_rows = [r.box for k, r in self.rows.items() if k not in ("search", "nik")]
        self.box = w.VBox([
            style_widget(),
            w.HTML("<h3>Catat jawaban yang diterima lewat telepon atau pesan pribadi</h3>"
                   "<p>Cari alumnusnya, pilih statusnya, lalu isi pertanyaan yang muncul. "
                   f"Isian bertanda {required_mark()} wajib diisi.</p>"),
            self.summary, self.rows["search"].box, self.rows["nik"].box, self.found,
            w.HTML("<h4>Jawaban</h4>"), *answer_rows, self.save, self.message,
            w.HTML("<h4>Alumnus menolak disurvei</h4><p>Bila alumnus yang dipilih di atas "
                   "tidak bersedia menjawab, catat penolakannya: ia tidak diundang lagi.</p>"),
            *(r.box for r in self.refusal_rows.values()), self.refuse, self.refusal_message,
        ], layout=w.Layout(max_width="100%"))
        self.box.add_class("kb-catat-jawaban")
        self._on_status()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.box)

    def _on_search(self, change) -> None:
        text = change["new"]
        found, total = find_alumni(self.alumni, text, self.LIMIT)
        self._shown = found
        self.results.options = [(_alumnus_label(r), r.nik) for r in found.itertuples()]
        if len(text.strip()) < 2:
            self.found.clear()
        elif not total:
            self.found.error("Tidak ada alumni yang cocok dengan pencarian itu.")
        elif total > len(found):
            self.found.hint(f"menampilkan {len(found)} dari {total}, ketik lebih banyak")
        else:
            self.found.hint(f"{total} alumni cocok")

    def _on_status(self, _=None) -> None:
        status = self.fields["status"].value or None
        for question in self.q.questions:
            row = self.rows.get(question.code)
            if row is None or question.section == "identitas":
                continue
            row.show(question.code in ("status", "consent") or
                     (status is not None and question.required(status)))
            row.set_label(question.staff_label(status), f"Pertanyaan di formulir: “{question.text}”")

    def _chosen(self):
        index = self.results.index
        if index is None or index >= len(self._shown):
            return None
        return self._shown.iloc[index]

    def _shorten(self, field: str, message: str) -> str:
        """A problem shown beside its field need not repeat the question."""
        if field in self.q:
            text = self.q[field].text
            message = message.replace(f"'{text}' ", "").replace(f" untuk '{text}'", "")
        return message[:1].upper() + message[1:]

    def _on_save(self, _) -> None:
        # What the chosen status does not ask (hidden) is not saved, even if typed earlier.
        answer = {code: _value(widget) for code, widget in self.fields.items()
                  if self.rows[code].box.layout.display != "none"}
        try:
            record_answer(self.ws, nik=self.results.value, answer=answer,
                          answered_on=self.answered_on.text, entered_by=self.entered_by.value,
                          today=self.today)
        except KebekerjaanError as exc:
            show_problems(self.rows, exc, self.summary, self._shorten)
            self.message.value = self.summary.value
            return
        chosen = self._chosen()
        name = chosen["name"] if chosen is not None else ""
        self._saved(self.message, f"Jawaban {name} tersimpan.")
        for widget in self.fields.values():
            widget.value = () if isinstance(widget, CheckList) else ""

    def _on_refuse(self, _) -> None:
        for row in self.refusal_rows.values():
            row.set_error(None)
        chosen = self._chosen()
        problems = []
        if chosen is None:
            problems.append(("nik", "pilih dulu alumnus yang menolak"))
        if self.refused_on.problem or self.refused_on.value is None:
            problems.append(("refused_on", self.refused_on.problem or "tanggal penolakan wajib diisi"))
        if not self.entered_by.value.strip():
            problems.append(("entered_by", "nama petugas yang mencatat wajib diisi"))
        try:
            if problems:
                raise EntryError("Penolakan belum bisa dicatat", problems)
            from kebekerjaan.steps.answers.manual import record_refusal

            record_refusal(self.ws, nik=chosen["nik"], refused_on=self.refused_on.value,
                           entered_by=self.entered_by.value.strip(),
                           reason=self.refusal_reason.value.strip(),
                           enrolment_id=int(chosen["enrolment_id"]), today=self.today)
        except KebekerjaanError as exc:
            show_problems({**self.rows, **self.refusal_rows}, exc, self.summary, self._shorten)
            self.refusal_message.value = self.summary.value
            return
        self._saved(self.refusal_message, f"Penolakan {chosen['name']} tercatat; "
                                          "alumnus ini tidak diundang lagi.")
        self.refusal_reason.value = ""

    def _saved(self, where: Feedback, text: str) -> None:
        for row in [*self.rows.values(), *self.refusal_rows.values()]:
            row.set_error(None)
        self.summary.clear()
        self.message.clear()
        self.refusal_message.clear()
        where.ok(text)
        self.search.value = ""
        if self.on_saved:
            self.on_saved()


def _alumnus_label(r) -> str:
    """Everything that tells two namesakes apart, in full."""
    end = f"{date.fromisoformat(r.end_date):%d-%m-%Y}" if isinstance(r.end_date, str) and r.end_date \
        else "?"
    year = _plain_number(r.training_year)
    parts = [r.kejuruan, r.program, f"angkatan {_plain_number(r.angkatan)} ({year})",
             f"selesai {end}", f"NIK {mask_nik(r.nik)}"]
    return f"{r.name} — " + " · ".join(str(p) for p in parts if p not in (None, ""))


def _plain_number(value) -> str:
    if isinstance(value, float) and value == value and value.is_integer():
        return str(int(value))
    return "" if value is None or value != value else str(value)


def _field_widget(question, today: date) -> w.Widget:
    if question.type == "single":
        # "" rather than None: ipywidgets shows no label at all for a None value.
        return w.Dropdown(options=[("— pilih —", "")] + [(o.text, o.code) for o in question.options],
                          value="")
    if question.type == "multi":
        return CheckList(options=[(o.text, o.code) for o in question.options])
    if question.type == "date":  # the start of a job: a month is enough ("Maret 2026")
        return DateField(today=today, month_ok=True)
    return w.Text(value="")


def _value(widget):
    if isinstance(widget, DateField):
        return widget.text or None
    value = widget.value
    if isinstance(value, tuple):
        return list(value) or None
    if isinstance(value, str):
        return value.strip() or None
    return value


class ReviewPanel:
    """One queued answer at a time, its candidates side by side; each decision one click.

    The person and the status are chosen together and saved in one decision; a reply
    read as a refusal is recorded as a refusal in one click. Tied candidates get no
    default: staff must pick one. "Buang jawaban" asks first; the last decision can be
    undone; "Diputuskan oleh" must be filled in. A card that cannot be drawn says which
    answer and why, and "Lewati" moves on: one odd answer never blocks the queue.
    """

    def __init__(self, ws: Workspace, decided_by: str = "", today: date | None = None):
        self.ws = ws
        self.today = today or date.today()
        self.queue = self._load()
        self.position = 0
        # The last decision, for "Urungkan": the answers decided, the refusal it recorded.
        self._last: dict | None = None
        q = load_questionnaire()
        self._status_label = q.status_label
        self.card = w.HTML(layout=w.Layout(max_width="100%"))
        self.card.add_class("kb-kartu-jawaban")
        self.other = w.Dropdown(options=[], value=None)
        # "" (not None) for "nothing picked": ipywidgets shows a None value as a blank box.
        self.status = w.Dropdown(options=[("— pilih —", "")] + [
            (q.status_label(s), s) for s in q.statuses], value="")
        self.by = staff_name_input(decided_by)
        self.rows = {
            "nik": Field("Alumnus yang dimaksud", self.other,
                         help="Nama — kejuruan · angkatan (tahun) · NIK · kabupaten/kota"),
            "status": Field("Status kerja", self.status,
                            help="Kosongkan bila status jawaban sudah benar."),
            "by": Field("Diputuskan oleh", self.by, required=True),
        }
        self.confirm = button("Benar, calon teratas", style="success", icon="check")
        self.save = button("Simpan alumnus dan status ini", style="info", icon="save")
        self.refuse = button("Catat sebagai penolakan survei", style="warning", icon="ban")
        self.discard = button("Buang jawaban", style="danger", icon="trash")
        self.skip = button("Lewati, tinjau nanti", icon="forward")
        self.discard_yes = button("Ya, buang", style="danger")
        self.discard_no = button("Batal")
        self.discard_box = w.VBox([
            w.HTML("<b>Buang jawaban ini?</b> Jawaban tidak dihitung di rekap."),
            buttons_row(self.discard_yes, self.discard_no)], layout=w.Layout(display="none"))
        self.undo = button("Urungkan keputusan terakhir", icon="undo")
        self.undo.layout.display = "none"
        self.message = Feedback()
        self.confirm.on_click(lambda _: self._confirm())
        self.save.on_click(lambda _: self._save())
        self.refuse.on_click(lambda _: self._refuse())
        self.discard.on_click(lambda _: self._ask_discard(True))
        self.discard_no.on_click(lambda _: self._ask_discard(False))
        self.discard_yes.on_click(lambda _: self._decide("buang"))
        self.skip.on_click(lambda _: self._skip())
        self.undo.on_click(lambda _: self._undo())
        self.buttons = buttons_row(self.confirm, self.save, self.refuse, self.discard, self.skip)
        self.box = w.VBox([style_widget(), self.card, self.rows["nik"].box,
                           self.rows["status"].box, self.buttons, self.discard_box,
                           self.rows["by"].box, self.message, self.undo],
                          layout=w.Layout(max_width="100%"))
        self.box.add_class("kb-tinjauan")
        self.box.refresh = self.refresh  # the app shows a kept page again: the queue may have grown
        self._show()

    def refresh(self) -> None:
        """Read the queue again (a run may have added answers), staying on the same answer."""
        row = self.current
        self.queue = self._load()
        if row is not None:
            found = self.queue.index[self.queue["answer_key"] == row["answer_key"]]
            self.position = int(found[0]) if len(found) else 0
        self._show()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.box)

    def _load(self):
        con = store.connect(self.ws.store_path)
        try:
            return review_queue(con)
        finally:
            con.close()

    @property
    def current(self):
        return None if self.position >= len(self.queue) else self.queue.iloc[self.position]

    @property
    def status_codes(self) -> set:
        return {code for _, code in self.status.options if code}

    def _candidates(self, row) -> list[dict]:
        """The match's candidates; an answer already matched (e.g. by its phone number)
        but queued for its wording has its alumnus as the only one, so it can be kept."""
        candidates = json.loads(row["candidates"] or "[]")
        if row["match_status"] != REVIEW and not candidates:
            matched = self._matched_nik(row["answer_key"])
            if matched:
                candidates = [{"nik": matched, "score": 100.0}]
        return candidates

    def _matched_nik(self, answer_key: str) -> str | None:
        con = store.connect(self.ws.store_path)
        try:
            found = con.execute("SELECT nik FROM answers WHERE answer_key = ?", (answer_key,)).fetchone()
        finally:
            con.close()
        return found["nik"] if found else None

    def _show(self) -> None:
        self.discard_box.layout.display = "none"
        if self.queue is not None and len(self.queue) and self.position >= len(self.queue):
            self.position = 0
        row = self.current
        if row is None:
            self.card.value = "<p><b>Tidak ada lagi jawaban yang perlu ditinjau.</b></p>"
            self._enable(set())
            self.other.options = []
            self.status.value = ""
            return
        try:
            self._draw(row)
        except Exception as exc:  # one odd answer must not take the queue down with it
            self.other.options = []
            self.status.value = ""
            key = html.escape(str(row.get("answer_key", "?")))
            self.card.value = (
                f"<p><b>Jawaban {self.position + 1} dari {len(self.queue)}</b></p>"
                + error_html(f"Jawaban ini tidak dapat ditampilkan ({type(exc).__name__}: {exc}).")
                + f"<p>Kunci jawaban: <code>{key}</code>. Lewati untuk meninjau jawaban lain, "
                  "atau buang jawaban ini.</p>")
            self._enable({self.discard, self.skip})

    def _enable(self, enabled: set) -> None:
        for b in (self.confirm, self.save, self.refuse, self.discard, self.skip):
            b.disabled = b not in enabled

    def _draw(self, row) -> None:
        candidates = self._candidates(row)
        details = _candidate_details(self.ws, [c["nik"] for c in candidates])
        for c in candidates:  # a candidate found by code carries no name: the store has it
            c["name"] = c.get("name") or details.get(c["nik"], {}).get("name") or "(tanpa nama)"
        tied = _tied(candidates)
        self.other.options = [("— pilih —", "")] + [
            (_candidate_label(c, details.get(c["nik"], {})), c["nik"]) for c in candidates]
        # Two candidates scoring the same: no default, staff must pick one.
        self.other.value = candidates[0]["nik"] if candidates and not tied else ""
        self.status.value = ""
        self.card.value = _card(row, candidates, details, self.position + 1, len(self.queue),
                                self._status_label, tied)
        enabled = {self.save, self.refuse, self.discard, self.skip}
        if candidates and not tied:
            enabled.add(self.confirm)
        if len(self.queue) < 2:
            enabled.discard(self.skip)
        self._enable(enabled)

    def _ask_discard(self, show: bool) -> None:
        self.discard_box.layout.display = "flex" if show else "none"

    def _skip(self) -> None:
        if len(self.queue):
            self.position = (self.position + 1) % len(self.queue)
        self.message.clear()
        self._show()

    def _confirm(self) -> None:
        row = self.current
        if row is None:
            return
        candidates = self._candidates(row)
        if candidates and not _tied(candidates):
            self._choose(candidates[0]["nik"])

    def _save(self) -> None:
        self._choose(self.other.value or None)

    def _choose(self, nik: str | None) -> None:
        """The person and the status chosen, as one decision."""
        row = self.current
        if row is None:
            return
        status = self.status.value or None
        candidates = self._candidates(row)
        needs_person = row["match_status"] == REVIEW
        if needs_person and not nik:
            self.message.error("Pilih alumnus yang dimaksud terlebih dahulu.")
            return
        if not row["status"] and not status:
            self.message.error("Jawaban ini belum berstatus: pilih status kerjanya, catat sebagai "
                               "penolakan, atau buang bila bukan jawaban survei.")
            return
        new_status = status if status and status != row["status"] else None
        top = candidates[0]["nik"] if candidates and not _tied(candidates) else None
        if not needs_person and (nik is None or nik == top):
            decision = "status" if new_status else "konfirmasi"
            self._decide(decision, status=new_status)
        else:
            self._decide("konfirmasi" if nik == top else "pilih", nik=nik, status=new_status)

    def _decide(self, decision: str, **kw) -> None:
        row = self.current
        if row is None:
            return
        try:
            decided = decide_and_refresh(self.ws, answer_key=row["answer_key"], decision=decision,
                                         by=self.by.value or None, **kw)
        except KebekerjaanError as exc:
            self.message.error(str(exc))
            return
        self._last = {"keys": decided, "refusal": None}
        said = "Jawaban dibuang." if decision == "buang" else "Keputusan disimpan."
        if len(decided) > 1:
            said += f" {len(decided) - 1} jawaban lain dengan ungkapan yang sama ikut diputuskan."
        self._after(f"{said} Bisa diurungkan dengan tombol di bawah.")

    def _refuse(self) -> None:
        """The alumnus declined the survey: recorded as a refusal (no more invitations),
        and the reply leaves the queue without counting as an answer."""
        from kebekerjaan.steps.answers.manual import record_refusal

        row = self.current
        if row is None:
            return
        nik = self.other.value or None
        if not nik:
            self.message.error("Pilih dulu alumnus yang menolak.")
            return
        by = (self.by.value or "").strip()
        if not by:
            self.message.error("Isi 'Diputuskan oleh' dengan nama petugas yang memutuskan.")
            return
        day = _answer_day(row["answered_at"]) or self.today
        existed = _refusal_id(self.ws, nik, day)
        try:
            record_refusal(self.ws, nik=nik, refused_on=day, entered_by=by,
                           reason=_refusal_reason(row), today=max(day, self.today))
            decided = decide_and_refresh(self.ws, answer_key=row["answer_key"], decision="buang",
                                         by=by)
        except KebekerjaanError as exc:
            self.message.error(str(exc))
            return
        self._last = {"keys": decided,
                      "refusal": None if existed else {"nik": nik, "refused_on": day.isoformat()}}
        name = dict((v, k) for k, v in self.other.options).get(nik, "").split(" — ")[0]
        self._after(f"Penolakan {name} tercatat: tidak diundang lagi, dan jawaban ini tidak "
                    "dihitung sebagai jawaban survei. Bisa diurungkan dengan tombol di bawah.")

    def _after(self, text: str) -> None:
        self.message.ok(text)
        self.undo.layout.display = "flex"
        self.queue = self._load()  # the decided answers leave; the next one moves up
        self._show()

    def _undo(self) -> None:
        last = self._last
        if not last:
            return
        key = last["keys"][0]
        try:
            undo_and_refresh(self.ws, answer_keys=last["keys"], by=self.by.value or None)
            if last["refusal"] is not None:
                from kebekerjaan.steps.answers.manual import withdraw_refusal

                withdraw_refusal(self.ws, **last["refusal"])
        except KebekerjaanError as exc:
            self.message.error(str(exc))
            return
        self._last = None
        self.undo.layout.display = "none"
        self.queue = self._load()
        found = self.queue.index[self.queue["answer_key"] == key]
        self.position = int(found[0]) if len(found) else 0
        self.message.ok("Keputusan diurungkan; jawaban ini ditinjau lagi.")
        self._show()


def _answer_day(answered_at) -> date | None:
    try:
        return date.fromisoformat(str(answered_at)[:10])
    except ValueError:
        return None


def _refusal_reason(row) -> str:
    message = " ".join(str(row.get("message") or "").split())
    where = SOURCE_LABELS.get(row["source"], row["source"])
    return f"{where}: {mask_text(message)[:200]}" if message else f"{where}: tidak bersedia"


def _refusal_id(ws: Workspace, nik: str, day: date) -> int | None:
    con = store.connect(ws.store_path)
    try:
        row = con.execute("SELECT id FROM refusals WHERE nik = ? AND enrolment_id IS NULL AND "
                          "refused_on = ? AND bpvp IS NULL", (nik, day.isoformat())).fetchone()
    finally:
        con.close()
    return int(row["id"]) if row else None


def _candidate_label(c: dict, person: dict) -> str:
    """What tells two namesakes apart in the list: latest training, NIK, where they live."""
    parts = []
    if person.get("trainings"):
        kejuruan, _program, angkatan, end = person["trainings"][0]
        year = str(end)[:4] if end else ""
        parts += [kejuruan, f"angkatan {angkatan}" + (f" ({year})" if year else "")]
    parts.append(f"NIK {mask_nik(c['nik'])}")
    if person.get("kabkota"):
        parts.append(person["kabkota"])
    parts.append(f"skor {c['score']:.0f}")
    return f"{c['name']} — " + " · ".join(str(p) for p in parts if p)


def _code(given) -> str | None:
    """The respondent code as staff read it out ('K7QX-M4PZ'), or as typed if unreadable."""
    from kebekerjaan.rules import codes

    if not isinstance(given, str) or not given.strip():
        return None
    normal = codes.normalize(given)
    return codes.display(normal) if normal else given


def _tied(candidates: list[dict]) -> bool:
    return len(candidates) > 1 and round(candidates[0]["score"], 1) == round(candidates[1]["score"], 1)


def _phone_tail(phone) -> str | None:
    """'+6281234567801' -> '…7801': enough to tell two people apart, not to call them."""
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit())
    return f"…{digits[-4:]}" if len(digits) >= 8 else None


def _when(value) -> str:
    """'2026-11-27T20:15:03' -> '27 November 2026 20.15'."""
    from kebekerjaan.io.formatting import tanggal

    if not value:
        return ""
    text = str(value)
    clock = text[11:16].replace(":", ".") if len(text) >= 16 else ""
    return f"{tanggal(text[:10])} {clock}".strip()


def _candidate_details(ws: Workspace, niks: list[str]) -> dict[str, dict]:
    """Per NIK: name, phone, kabupaten/kota and every training (kejuruan, program,
    angkatan, end date), latest first."""
    if not niks:
        return {}
    con = store.connect(ws.store_path)
    try:
        marks = ", ".join("?" * len(niks))
        rows = con.execute(
            f"SELECT a.nik, a.name, a.phone, a.kabkota_name, e.kejuruan, e.program, e.angkatan, "
            f"e.end_date FROM alumni a LEFT JOIN enrolments e ON e.nik = a.nik "
            f"WHERE a.nik IN ({marks}) ORDER BY e.end_date DESC", niks).fetchall()
    finally:
        con.close()
    out: dict[str, dict] = {}
    for nik, name, phone, kabkota, kejuruan, program, angkatan, end in rows:
        person = out.setdefault(nik, {"name": name, "phone": phone, "kabkota": kabkota,
                                      "trainings": []})
        if kejuruan:
            person["trainings"].append((kejuruan, program, angkatan, end))
    return out


def _card(row, candidates, details, n: int, total: int, status_label=None, tied=False) -> str:
    from kebekerjaan.io.formatting import tanggal

    status = row["status"]
    if status and status_label:
        status = status_label(status)
    given = [("Sumber", SOURCE_LABELS.get(row["source"], row["source"])),
             ("Tanggal", _when(row["answered_at"])),
             ("Nama", row["given_name"]), ("NIK", mask_nik(row["given_nik"])),
             ("No HP", _phone_tail(row["given_phone"])),
             ("Kejuruan", row["given_kejuruan"]), ("Angkatan", row["given_angkatan"]),
             ("Kode responden", _code(row.get("given_code"))),
             ("Status", status or "(belum jelas: pilih di bawah)"),
             ("Tempat kerja/usaha", row["employer"]),
             ("Pesan", row["message"]), ("Perlu ditinjau karena", row["unclear"] or
                                         row.get("match_note") or "kecocokan nama belum pasti")]
    # Free text (a WhatsApp message) may itself hold a NIK or a phone number.
    left = "".join(
        f"<tr><th>{k}</th><td>{html.escape(mask_text(str(v)))}</td></tr>"
        for k, v in given if v not in (None, "")
    )
    if not candidates:
        right = "<p>tidak ada calon</p>"
    else:
        def trainings(nik, part):
            items = details.get(nik, {}).get("trainings", [])
            if part == "end":
                return "<br>".join(tanggal(t[3]) if t[3] else "–" for t in items) or "–"
            i = {"kejuruan": 0, "program": 1, "angkatan": 2}[part]
            return "<br>".join(html.escape(str(t[i] or "–")) for t in items) or "–"

        def phone_match(nik):
            theirs = details.get(nik, {}).get("phone")
            if not row["given_phone"]:
                return "–"
            return "✔ sama" if theirs and theirs == row["given_phone"] else "berbeda"

        def sender_match(c):
            if not row["given_name"]:
                return "–"
            return f"{'✔ ' if c['score'] >= 90 else ''}skor {c['score']:.0f}"

        lines = [
            ("Calon", lambda c: f"<b>{html.escape(str(c.get('name') or '(tanpa nama)'))}</b>"),
            ("NIK", lambda c: mask_nik(c["nik"])),
            ("Skor", lambda c: f"{c['score']:.0f}"),
            ("Kejuruan", lambda c: trainings(c["nik"], "kejuruan")),
            ("Program", lambda c: trainings(c["nik"], "program")),
            ("Angkatan", lambda c: trainings(c["nik"], "angkatan")),
            ("Selesai pelatihan", lambda c: trainings(c["nik"], "end")),
            ("No HP", lambda c: _phone_tail(details.get(c["nik"], {}).get("phone")) or "–"),
            ("No HP cocok", lambda c: phone_match(c["nik"])),
            ("Nama pengirim/jawaban cocok", sender_match),
        ]
        right = "<div class='kb-gulir'><table class='kb-calon'>" + "".join(
            f"<tr><th>{label}</th>" + "".join(f"<td>{cell(c)}</td>" for c in candidates) + "</tr>"
            for label, cell in lines) + "</table></div>"
        if tied:
            right += ("<p class='kb-galat'><b>Skor calon teratas sama: tidak ada pilihan "
                      "bawaan, pilih alumnus yang dimaksud.</b></p>")
    return (f"<p><b>Jawaban {n} dari {total}</b></p><div class='kb-kartu-tinjauan'>"
            f"<div><h4>Jawaban</h4><table>{left}</table></div>"
            f"<div><h4>Calon alumnus</h4>{right}</div></div>")
