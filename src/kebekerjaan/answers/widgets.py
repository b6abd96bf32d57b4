"""ipywidgets for steps 6-7: typing in an answer, and deciding the review queue.

Both are used only in JupyterLab (interaktif=True); every rule they apply lives in
the package functions they call, so a papermill run and a test behave the same.
"""

from __future__ import annotations

import html
import json
from datetime import date

import ipywidgets as w

from kebekerjaan import store
from kebekerjaan.answers.records import decide_and_refresh, review_queue, undo_and_refresh
from kebekerjaan.errors import KebekerjaanError
from kebekerjaan.privacy import mask_nik, mask_text
from kebekerjaan.questionnaire import load_questionnaire
from kebekerjaan.steps.record_status import record_answer, search_alumni
from kebekerjaan.workspace import Workspace

_WIDE = w.Layout(width="32em")
_LABEL = {"description_width": "12em"}


def _ok(text: str) -> str:
    return f"<span style='color:#1a7f37'>✔ {html.escape(text)}</span>"


def _error(text: str) -> str:
    return f"<span style='color:#b42318'>✖ {html.escape(text)}</span>"


class ManualEntryForm:
    """Find an alumnus, fill the questionnaire, save (SOP step 6)."""

    def __init__(self, ws: Workspace, today: date):
        self.ws, self.today = ws, today
        q = load_questionnaire()
        self.search = w.Text(description="Cari alumni", placeholder="nama, NIK atau nomor HP",
                             continuous_update=True, layout=_WIDE, style=_LABEL)
        self.results = w.Select(options=[], rows=6, description="Hasil", layout=_WIDE, style=_LABEL)
        self.fields: dict[str, w.Widget] = {}
        for question in q.questions:
            if question.section == "identitas":
                continue  # comes from the alumnus chosen above
            self.fields[question.code] = _field_widget(question)
        self.answered_on = w.DatePicker(value=today, description="Tanggal jawaban", style=_LABEL)
        self.entered_by = w.Text(description="Dicatat oleh", placeholder="nama petugas",
                                 layout=_WIDE, style=_LABEL)
        self.save = w.Button(description="Simpan jawaban", button_style="success", icon="save")
        self.message = w.HTML()
        self.search.observe(self._on_search, names="value")
        self.save.on_click(self._on_save)
        self.box = w.VBox([
            w.HTML("<b>Catat jawaban yang diterima lewat telepon atau pesan pribadi</b>"),
            self.search, self.results, *self.fields.values(), self.answered_on, self.entered_by,
            self.save, self.message,
        ])

    def _ipython_display_(self):
        from IPython.display import display

        display(self.box)

    def _on_search(self, change) -> None:
        found = search_alumni(self.ws, change["new"])
        self.results.options = [
            (f"{r.name} — {r.kejuruan}, angkatan {r.angkatan} ({r.training_year}) — "
             f"NIK {mask_nik(r.nik)}", r.nik)
            for r in found.itertuples()
        ]
        if len(change["new"].strip()) >= 2:
            self.message.value = "" if len(found) else _error(
                "Tidak ada alumni yang cocok dengan pencarian itu.")

    def _on_save(self, _) -> None:
        answer = {code: _value(widget) for code, widget in self.fields.items()}
        try:
            record_answer(self.ws, nik=self.results.value, answer=answer,
                          answered_on=self.answered_on.value, entered_by=self.entered_by.value,
                          today=self.today)
        except KebekerjaanError as exc:
            self.message.value = _error(str(exc))
            return
        name = self.results.label.split(" — ")[0] if self.results.label else ""
        self.message.value = _ok(f"Jawaban {name} tersimpan.")
        for widget in self.fields.values():
            widget.value = () if isinstance(widget, w.SelectMultiple) else None if not isinstance(
                widget, w.Text) else ""
        self.search.value = ""


def _field_widget(question) -> w.Widget:
    label = question.text if len(question.text) <= 40 else question.text[:38] + "…"
    common = {"description": label, "layout": _WIDE, "style": _LABEL}
    if question.type == "single":
        return w.Dropdown(options=[("— pilih —", None)] + [(o.text, o.code) for o in question.options],
                          value=None, **common)
    if question.type == "multi":
        return w.SelectMultiple(options=[(o.text, o.code) for o in question.options], rows=4,
                                **common)
    if question.type == "date":
        return w.DatePicker(value=None, description=label, style=_LABEL)
    return w.Text(value="", **common)


def _value(widget):
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
        self.status = w.Dropdown(options=[("— pilih —", None)] + [
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
        self.set_status.on_click(lambda _: self._decide("status", status=self.status.value))
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
        self.other.options = [("— pilih —", None)] + [
            (f"{c['name']} (skor {c['score']:.0f})", c["nik"]) for c in candidates]
        # Two candidates scoring the same: no default, staff must pick one.
        self.other.value = candidates[0]["nik"] if candidates and not tied else None
        self.confirm.disabled = not candidates or tied
        self.status.value = row["status"] if row["status"] in self.status_codes else None
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


def _tied(candidates: list[dict]) -> bool:
    return len(candidates) > 1 and round(candidates[0]["score"], 1) == round(candidates[1]["score"], 1)


def _phone_tail(phone) -> str | None:
    """'+6281234567801' -> '…7801': enough to tell two people apart, not to call them."""
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit())
    return f"…{digits[-4:]}" if len(digits) >= 8 else None


def _when(value) -> str:
    """'2026-11-27T20:15:03' -> '27 November 2026 20.15'."""
    from kebekerjaan.report.fmt import tanggal

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
    from kebekerjaan.report.fmt import tanggal

    status = row["status"]
    if status and status_label:
        status = status_label(status)
    given = [("Sumber", row["source"]), ("Tanggal", _when(row["answered_at"])),
             ("Nama", row["given_name"]), ("NIK", mask_nik(row["given_nik"])),
             ("No HP", _phone_tail(row["given_phone"])),
             ("Kejuruan", row["given_kejuruan"]), ("Angkatan", row["given_angkatan"]),
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
