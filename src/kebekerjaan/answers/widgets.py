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
from kebekerjaan.answers.records import decide, refresh_with_settings, review_queue
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
    """One queued answer at a time, with its candidates; each decision is one click."""

    def __init__(self, ws: Workspace, decided_by: str = ""):
        self.ws = ws
        self.queue = self._load()
        self.position = 0
        q = load_questionnaire()
        self.card = w.HTML()
        self.confirm = w.Button(description="Benar, alumnus ini", button_style="success")
        self.other = w.Dropdown(options=[], description="Alumnus lain", layout=_WIDE, style=_LABEL)
        self.choose = w.Button(description="Pilih alumnus ini", button_style="info")
        self.status = w.Dropdown(options=[("— pilih —", None)] + [
            (q.status_label(s), s) for s in q.statuses], description="Status", style=_LABEL)
        self.set_status = w.Button(description="Tetapkan status", button_style="info")
        self.discard = w.Button(description="Buang jawaban", button_style="danger")
        self.by = w.Text(value=decided_by, description="Diputuskan oleh", style=_LABEL)
        self.message = w.HTML()
        self.confirm.on_click(lambda _: self._decide("konfirmasi"))
        self.choose.on_click(lambda _: self._decide("pilih", nik=self.other.value))
        self.set_status.on_click(lambda _: self._decide("status", status=self.status.value))
        self.discard.on_click(lambda _: self._decide("buang"))
        self.box = w.VBox([self.card, w.HBox([self.confirm, self.discard]),
                           w.HBox([self.other, self.choose]), w.HBox([self.status, self.set_status]),
                           self.by, self.message])
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
        if row is None:
            self.card.value = "<b>Tidak ada lagi jawaban yang perlu ditinjau.</b>"
            for b in buttons:
                b.disabled = True
            return
        candidates = json.loads(row["candidates"] or "[]")
        self.other.options = [(f"{c['name']} (skor {c['score']:.0f})", c["nik"]) for c in candidates]
        self.confirm.disabled = not candidates
        self.card.value = _card(row, candidates, self.position + 1, len(self.queue))

    def _decide(self, decision: str, **kw) -> None:
        row = self.current
        if row is None:
            return
        con = store.connect(self.ws.store_path)
        try:
            decide(con, row["answer_key"], decision, by=self.by.value or None, **kw)
            refresh_with_settings(con, self.ws.settings())
        except KebekerjaanError as exc:
            self.message.value = _error(str(exc))
            return
        finally:
            con.close()
        self.message.value = _ok("Keputusan disimpan.")
        self.position += 1
        self._show()


def _card(row, candidates, n: int, total: int) -> str:
    given = [("Sumber", row["source"]), ("Tanggal", str(row["answered_at"])[:16]),
             ("Nama", row["given_name"]), ("NIK", mask_nik(row["given_nik"])),
             ("Kejuruan", row["given_kejuruan"]), ("Angkatan", row["given_angkatan"]),
             ("Status", row["status"]), ("Tempat kerja/usaha", row["employer"]),
             ("Pesan", row["message"]), ("Perlu ditinjau karena", row["unclear"] or
                                         row.get("match_note") or "kecocokan nama belum pasti")]
    # Free text (a WhatsApp message) may itself hold a NIK or a phone number.
    left = "".join(
        f"<tr><th style='text-align:left'>{k}</th><td>{html.escape(mask_text(str(v)))}</td></tr>"
        for k, v in given if v not in (None, "")
    )
    right = "".join(
        f"<tr><td>{html.escape(c['name'])}</td><td>{mask_nik(c['nik'])}</td>"
        f"<td>{c['score']:.0f}</td></tr>" for c in candidates
    ) or "<tr><td colspan=3>tidak ada calon</td></tr>"
    return (f"<p><b>Jawaban {n} dari {total}</b></p><div style='display:flex;gap:2em'>"
            f"<table>{left}</table><table><tr><th>Calon alumnus</th><th>NIK</th><th>Skor</th></tr>"
            f"{right}</table></div>")
