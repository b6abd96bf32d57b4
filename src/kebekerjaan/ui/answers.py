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
from kebekerjaan.rules.labels import SOURCE_LABELS
from kebekerjaan.rules.questionnaire import load_questionnaire
from kebekerjaan.steps.answers.manual import find_alumni, load_alumni, record_answer
from kebekerjaan.steps.answers.records import decide_and_refresh, review_queue, undo_and_refresh
from kebekerjaan.ui.widgets import DateField, Field, button, show_problems

_WIDE = w.Layout(width="32em")
_LABEL = {"description_width": "12em"}


def _ok(text: str) -> str:
    return f"<span style='color:#1a7f37'>✔ {html.escape(text)}</span>"


def _error(text: str) -> str:
    return f"<span style='color:#b42318'>✖ {html.escape(text)}</span>"


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
        self.found = w.HTML()
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
        self.entered_by = w.Text(placeholder="nama petugas")
        self.rows["answered_on"] = Field("Tanggal jawaban", self.answered_on, required=True)
        self.rows["entered_by"] = Field("Dicatat oleh", self.entered_by, required=True,
                                        help="Nama petugas yang menerima jawaban ini.")
        self.save = button("Simpan jawaban", style="success", icon="save")
        self.summary = w.HTML()
        self.message = w.HTML()
        # A refusal: the alumnus does not want to answer (and should not be asked again).
        self.refusal_reason = w.Text(placeholder="mis. tidak bersedia dihubungi lagi")
        self.refused_on = DateField(today, today=today)
        self.refusal_rows = {
            "reason": Field("Alasan penolakan", self.refusal_reason),
            "refused_on": Field("Tanggal penolakan", self.refused_on, required=True),
        }
        self.refuse = button("Catat penolakan", style="warning", icon="ban")
        self.refusal_message = w.HTML()

        self.search.observe(self._on_search, names="value")
        self.fields["status"].observe(self._on_status, names="value")
        self.save.on_click(self._on_save)
        self.refuse.on_click(self._on_refuse)
        answer_rows = [r.box for k, r in self.rows.items() if k not in ("search", "nik")]
        self.box = w.VBox([
            w.HTML("<h3>Catat jawaban yang diterima lewat telepon atau pesan pribadi</h3>"
                   "<p>Cari alumnusnya, pilih statusnya, lalu isi pertanyaan yang muncul. "
                   "Isian bertanda <span style='color:#b42318'>*</span> wajib diisi.</p>"),
            self.summary, self.rows["search"].box, self.rows["nik"].box, self.found,
            w.HTML("<h4>Jawaban</h4>"), *answer_rows, self.save, self.message,
            w.HTML("<h4>Alumnus menolak disurvei</h4><p>Bila alumnus yang dipilih di atas "
                   "tidak bersedia menjawab, catat penolakannya: ia tidak diundang lagi.</p>"),
            *(r.box for r in self.refusal_rows.values()), self.refuse, self.refusal_message,
        ])
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
            self.found.value = ""
        elif not total:
            self.found.value = _error("Tidak ada alumni yang cocok dengan pencarian itu.")
        elif total > len(found):
            self.found.value = (f"<small>menampilkan {len(found)} dari {total}, "
                                "ketik lebih banyak</small>")
        else:
            self.found.value = f"<small>{total} alumni cocok</small>"

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
            widget.value = () if isinstance(widget, w.SelectMultiple) else ""

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

    def _saved(self, where: w.HTML, text: str) -> None:
        for row in [*self.rows.values(), *self.refusal_rows.values()]:
            row.set_error(None)
        self.summary.value = ""
        self.message.value = self.refusal_message.value = ""
        where.value = _ok(text)
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
        return w.SelectMultiple(options=[(o.text, o.code) for o in question.options],
                                rows=len(question.options))
    if question.type == "date":
        return DateField(today=today)
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

    Tied candidates get no default: staff must pick one. "Buang jawaban" asks first
    and can be undone; "Diputuskan oleh" must be filled in.
    """

    def __init__(self, ws: Workspace, decided_by: str = ""):
        self.ws = ws
        self.queue = self._load()
        self.position = 0
        self._last_decided: list[str] = []  # answer keys of the last decision, for "Urungkan"
        q = load_questionnaire()
        self._status_label = q.status_label
        self.card = w.HTML()
        self.confirm = w.Button(description="Benar, calon teratas", button_style="success")
        self.other = w.Dropdown(options=[], description="Alumnus", layout=_WIDE, style=_LABEL)
        self.choose = w.Button(description="Pilih alumnus ini", button_style="info")
        # "" (not None) for "nothing picked": ipywidgets shows a None value as a blank box.
        self.status = w.Dropdown(options=[("— pilih —", "")] + [
            (q.status_label(s), s) for s in q.statuses], description="Status", style=_LABEL)
        self.set_status = w.Button(description="Tetapkan status", button_style="info")
        self.discard = w.Button(description="Buang jawaban", button_style="danger")
        self.discard_yes = w.Button(description="Ya, buang", button_style="danger")
        self.discard_no = w.Button(description="Batal")
        self.discard_box = w.HBox([
            w.HTML("<b>Buang jawaban ini?</b> Jawaban tidak dihitung di rekap."),
            self.discard_yes, self.discard_no], layout=w.Layout(display="none"))
        self.undo = w.Button(description="Urungkan keputusan terakhir", icon="undo",
                             layout=w.Layout(display="none"))
        self.by = w.Text(value=decided_by, description="Diputuskan oleh", placeholder="nama petugas",
                         style=_LABEL)
        self.message = w.HTML()
        self.confirm.on_click(lambda _: self._decide("konfirmasi"))
        self.choose.on_click(lambda _: self._pick())
        self.set_status.on_click(lambda _: self._decide("status", status=self.status.value or None))
        self.discard.on_click(lambda _: self._ask_discard(True))
        self.discard_no.on_click(lambda _: self._ask_discard(False))
        self.discard_yes.on_click(lambda _: self._decide("buang"))
        self.undo.on_click(lambda _: self._undo())
        self.box = w.VBox([self.card, w.HBox([self.confirm, self.discard]), self.discard_box,
                           w.HBox([self.other, self.choose]), w.HBox([self.status, self.set_status]),
                           self.by, self.message, self.undo])
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

    def _show(self) -> None:
        row = self.current
        buttons = (self.confirm, self.choose, self.set_status, self.discard)
        self.discard_box.layout.display = "none"
        if row is None:
            self.card.value = "<b>Tidak ada lagi jawaban yang perlu ditinjau.</b>"
            for b in buttons:
                b.disabled = True
            self.other.options = []
            return
        for b in buttons:
            b.disabled = False
        candidates = json.loads(row["candidates"] or "[]")
        tied = _tied(candidates)
        self.other.options = [("— pilih —", "")] + [
            (f"{c['name']} (skor {c['score']:.0f})", c["nik"]) for c in candidates]
        # Two candidates scoring the same: no default, staff must pick one.
        self.other.value = candidates[0]["nik"] if candidates and not tied else ""
        self.confirm.disabled = not candidates or tied
        self.status.value = row["status"] if row["status"] in self.status_codes else ""
        details = _candidate_details(self.ws, [c["nik"] for c in candidates])
        self.card.value = _card(row, candidates, details, self.position + 1, len(self.queue),
                                self._status_label, tied)

    @property
    def status_codes(self) -> set:
        return {code for _, code in self.status.options if code}

    def _ask_discard(self, show: bool) -> None:
        self.discard_box.layout.display = "flex" if show else "none"

    def _pick(self) -> None:
        row = self.current
        if row is None:
            return
        if not self.other.value:
            self.message.value = _error("Pilih alumnus yang dimaksud terlebih dahulu.")
            return
        candidates = json.loads(row["candidates"] or "[]")
        top = candidates[0]["nik"] if candidates and not _tied(candidates) else None
        self._decide("konfirmasi" if self.other.value == top else "pilih", nik=self.other.value)

    def _decide(self, decision: str, **kw) -> None:
        row = self.current
        if row is None:
            return
        try:
            decided = decide_and_refresh(self.ws, answer_key=row["answer_key"], decision=decision,
                                         by=self.by.value or None, **kw)
        except KebekerjaanError as exc:
            self.message.value = _error(str(exc))
            return
        self._last_decided = decided
        said = "Jawaban dibuang." if decision == "buang" else "Keputusan disimpan."
        if len(decided) > 1:
            said += f" {len(decided) - 1} jawaban lain dengan ungkapan yang sama ikut diputuskan."
        self.message.value = _ok(f"{said} Bisa diurungkan dengan tombol di bawah.")
        self.undo.layout.display = "flex"
        self.queue = self._load()  # the decided answers leave; the next one moves up
        self._show()

    def _undo(self) -> None:
        keys = self._last_decided
        if not keys:
            return
        key = keys[0]
        try:
            undo_and_refresh(self.ws, answer_keys=keys, by=self.by.value or None)
        except KebekerjaanError as exc:
            self.message.value = _error(str(exc))
            return
        self._last_decided = []
        self.undo.layout.display = "none"
        self.queue = self._load()
        found = self.queue.index[self.queue["answer_key"] == key]
        self.position = int(found[0]) if len(found) else 0
        self.message.value = _ok("Keputusan diurungkan; jawaban ini ditinjau lagi.")
        self._show()


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
    """Per NIK: phone and every training (kejuruan, program, angkatan, end date)."""
    if not niks:
        return {}
    con = store.connect(ws.store_path)
    try:
        marks = ", ".join("?" * len(niks))
        rows = con.execute(
            f"SELECT a.nik, a.phone, e.kejuruan, e.program, e.angkatan, e.end_date "
            f"FROM alumni a LEFT JOIN enrolments e ON e.nik = a.nik WHERE a.nik IN ({marks}) "
            f"ORDER BY e.end_date DESC", niks).fetchall()
    finally:
        con.close()
    out: dict[str, dict] = {}
    for nik, phone, kejuruan, program, angkatan, end in rows:
        person = out.setdefault(nik, {"phone": phone, "trainings": []})
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
        f"<tr><th style='text-align:left'>{k}</th><td>{html.escape(mask_text(str(v)))}</td></tr>"
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
            ("Calon", lambda c: f"<b>{html.escape(c['name'])}</b>"),
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
        right = "<table>" + "".join(
            f"<tr><th style='text-align:left'>{label}</th>"
            + "".join(f"<td style='padding:0 1em'>{cell(c)}</td>" for c in candidates) + "</tr>"
            for label, cell in lines) + "</table>"
        if tied:
            right += ("<p style='color:#b42318'><b>Skor calon teratas sama: tidak ada pilihan "
                      "bawaan, pilih alumnus yang dimaksud.</b></p>")
    return (f"<p><b>Jawaban {n} dari {total}</b></p><div style='display:flex;gap:2em'>"
            f"<table>{left}</table><div>{right}</div></div>")
