"""ipywidgets forms for what staff do by hand (JupyterLab or the Voila app; never under papermill).

The building blocks here are shared by every form: `Field` (a real label for staff,
linked to its input so a screen reader and a browser test find the input by it, the help
text under it, and the field's own error line), `DateField` (dd-mm-yyyy whatever the
browser's locale: browsers render a date input in their own locale, so 12/01/2026 read as
1 December on an English browser) and `CheckList` (several choices by plain clicks). What a
form says back goes through ui/feedback.py, whose stylesheet holds every colour.
"""

from __future__ import annotations

import html
from datetime import date

import ipywidgets as w

from kebekerjaan.core.errors import EntryError, KebekerjaanError
from kebekerjaan.core.workspace import Workspace
from kebekerjaan.io.normalize.dates import DateParseError, explain_date, parse_date, parse_month
from kebekerjaan.ui.feedback import (
    Feedback,
    error_html,
    hint_html,
    ok_html,
    required_mark,
    style_widget,
)

__all__ = ["CheckList", "DateField", "Feedback", "Field", "button",
           "close_vacancy_form", "error_html", "indonesian_date", "ok_html",
           "show_problems", "staff_name_input", "vacancy_form", "vacancy_forms"]

INPUT_WIDTH = "34em"
DATE_HINT = "HH-BB-TTTT, mis. 27-11-2026"
DATE_PLACEHOLDER = "HH-BB-TTTT"
# The staff member's name in "Dicatat oleh" and alike: the app's page script keeps it per
# browser (localStorage) and fills every such field left empty.
STAFF_CLASS = "kb-petugas"


def button(caption: str, *, style: str = "", icon: str = "") -> w.Button:
    """A button as wide as its caption; a long caption wraps (ui/style.css), never cut."""
    return w.Button(description=caption, button_style=style, icon=icon,
                    layout=w.Layout(width="auto", min_width="10em", max_width="100%",
                                    height="auto", align_self="flex-start"))


def buttons_row(*items: w.Widget) -> w.HBox:
    """Buttons side by side that wrap onto the next line on a narrow screen."""
    row = w.HBox(list(items), layout=w.Layout(flex_flow="row wrap", max_width="100%"))
    row.add_class("kb-tombol")
    return row


def staff_name_input(value: str = "") -> w.Text:
    """The name of the staff member saving a form, remembered per browser in the app."""
    box = w.Text(value=value, placeholder="nama petugas")
    box.add_class(STAFF_CLASS)
    return box


def reachable(*roots: w.Widget) -> dict[str, w.Widget]:
    """Every widget a root refers to through its synced traits (children, layout, style...)."""
    found: dict[str, w.Widget] = {}
    todo = list(roots)
    while todo:
        widget = todo.pop()
        if widget.model_id is None or widget.model_id in found:
            continue
        found[widget.model_id] = widget
        for name in widget.keys:
            value = getattr(widget, name, None)
            for item in value if isinstance(value, (list, tuple)) else (value,):
                if isinstance(item, w.Widget):
                    todo.append(item)
    return found


def close_whole(widget: w.Widget, *kept: w.Widget) -> None:
    """Close `widget` and all under it that no `kept` root still shows. Widget.close() closes
    only its own comm: children, layout and style models would stay in the kernel for good
    (and be sent to every tab that connects)."""
    keep = reachable(*kept) if kept else {}
    for model_id, item in reachable(widget).items():
        if model_id not in keep:
            w.Widget.close(item)


def indonesian_date(day: date) -> str:
    """date(2026, 1, 12) -> 'Senin, 12 Januari 2026' (babel, id)."""
    from babel.dates import format_date

    return format_date(day, "EEEE, d MMMM y", locale="id")


def indonesian_month(day: date) -> str:
    from kebekerjaan.io.normalize.dates import MONTH_NAMES_ID

    return f"{MONTH_NAMES_ID[day.month - 1]} {day.year}"


class DateField(w.HBox):
    """A date typed as dd-mm-yyyy (or '12 Januari 2026'), shown back as dd-mm-yyyy.

    Reading goes through normalize.dates.parse_date, the rule every import uses, so
    day-first never depends on the browser. With `month_ok`, a month alone ("Maret 2026",
    "03-2026") is read as its first day and shown back as the month. `value` is the date
    (None when empty or unreadable), `text` what the save functions read (dd-mm-yyyy once
    readable), `problem` why it could not be read (a day that does not exist is called that).
    """

    def __init__(self, value: date | str | None = None, *, placeholder: str = DATE_PLACEHOLDER,
                 today: date | None = None, month_ok: bool = False):
        self._today = today
        self.month_ok = month_ok
        self.input = w.Text(placeholder=placeholder, continuous_update=False,
                            layout=w.Layout(width="16em", max_width="100%"),
                            style={"description_width": "initial"})
        self.feedback = w.HTML()
        super().__init__([self.input, self.feedback],
                         layout=w.Layout(align_items="flex-end", flex_flow="row wrap",
                                         max_width="100%"))
        self.add_class("kb-tanggal")
        self.input.observe(self._on_change, names="value")
        self.value = value

    def _read(self) -> tuple[date | None, bool]:
        """(the date or None, whether it was written as a month alone)."""
        typed = self.input.value.strip()
        if self.month_ok:
            month = parse_month(typed)
            if month is not None:
                return month, True
        try:
            return parse_date(typed or None, today=self._today), False
        except DateParseError:
            return None, False

    @property
    def text(self) -> str:
        day, _ = self._read()
        return f"{day:%d-%m-%Y}" if day is not None else self.input.value.strip()

    @property
    def problem(self) -> str | None:
        typed = self.input.value.strip()
        if not typed or self._read()[0] is not None:
            return None
        why = explain_date(typed, today=self._today)
        if why.startswith("bentuknya") and self.month_ok:
            why += " (atau bulannya saja, mis. Maret 2026)"
        return why if why.startswith("tanggal ") else f"tanggal '{typed}' tidak dapat dibaca: {why}"

    @property
    def value(self) -> date | None:
        return self._read()[0]

    @value.setter
    def value(self, value: date | str | None) -> None:
        if isinstance(value, date):
            value = f"{value:%d-%m-%Y}"
        self.input.value = value or ""
        self._on_change()

    def _on_change(self, _=None) -> None:
        day, month_only = self._read()
        problem = self.problem
        shown = (indonesian_month(day) if month_only else f"{day:%d-%m-%Y}") if day else None
        if shown is not None and self.input.value != shown:
            self.input.value = shown  # shown back the one way, whatever was typed
            return  # the observer runs again for the new text
        if problem:
            self.feedback.value = error_html(problem)
        elif day is not None:
            self.feedback.value = hint_html(indonesian_month(day) if month_only
                                            else indonesian_date(day))
        else:
            self.feedback.value = hint_html("mis. 27-11-2026 atau 27 November 2026"
                                            + (", atau bulannya saja: Maret 2026"
                                               if self.month_ok else ""))


class CheckList(w.VBox):
    """Several choices as checkboxes: a click each, no Ctrl-click. `value` is the tuple of
    chosen option values, in the order of `options` ((label, value) pairs or values)."""

    def __init__(self, options=(), value=()):
        self.boxes: list[tuple[object, w.Checkbox]] = []
        super().__init__(layout=w.Layout(flex_flow="row wrap", max_width="100%"))
        self.add_class("kb-centang")
        self.options = options
        self.value = value

    @property
    def options(self) -> tuple:
        return tuple((box.description, v) for v, box in self.boxes)

    @options.setter
    def options(self, options) -> None:
        pairs = [o if isinstance(o, tuple) else (str(o), o) for o in options]
        for _, box in self.boxes:
            box.close()
        self.boxes = [(v, w.Checkbox(value=False, description=str(label), indent=False,
                                     layout=w.Layout(width="auto", margin="0 1.2em 0 0")))
                      for label, v in pairs]
        self.children = [box for _, box in self.boxes]

    @property
    def value(self) -> tuple:
        return tuple(v for v, box in self.boxes if box.value)

    @value.setter
    def value(self, chosen) -> None:
        chosen = set(chosen or ())
        for v, box in self.boxes:
            box.value = v in chosen


class Field:
    """One input with its label (a real <label> linked to the input, above it and never cut),
    help text under it, and its own error line. A group of checkboxes gets a heading."""

    def __init__(self, label: str, widget: w.Widget, *, help: str = "", required: bool = False):
        self.widget = widget
        self.required = required
        self.title = w.HTML()  # only for a group (CheckList): its inputs have their own labels
        self.help = w.HTML()
        self.error = w.HTML()
        self.box = w.VBox([self.title, widget, self.help, self.error],
                          layout=w.Layout(margin="0 0 0.6em 0", max_width="100%"))
        self.box.add_class("kb-isian")
        if isinstance(self.target, w.Text | w.Textarea | w.Dropdown | w.Select | w.SelectMultiple):
            self.target.style.description_width = "initial"
            if not isinstance(widget, DateField):
                widget.layout.width = widget.layout.width or INPUT_WIDTH
                widget.layout.max_width = "100%"
        self.set_label(label, help)

    @property
    def target(self) -> w.Widget:
        """The input the label names."""
        return self.widget.input if isinstance(self.widget, DateField) else self.widget

    def set_label(self, label: str, help: str = "") -> None:
        mark = f" {required_mark()}" if self.required else ""
        if isinstance(self.target, w.Box):
            self.title.value = f"<span class='kb-judul-isian'>{html.escape(label)}</span>{mark}"
        else:
            self.target.description = f"{html.escape(label)}{mark}"
            self.target.description_allow_html = True
        self.label = label
        self.help.value = f"<small class='kb-redup'>{html.escape(help)}</small>" if help else ""
        # Boxes have no tooltip in the browser (setting one breaks their view): use the input.
        if help and not isinstance(self.target, w.Box) and hasattr(self.target, "tooltip"):
            self.target.tooltip = help

    def set_error(self, message: str | None) -> None:
        self.error.value = error_html(message) if message else ""

    def show(self, visible: bool) -> None:
        self.box.layout.display = None if visible else "none"


def show_problems(fields: dict[str, Field], exc: KebekerjaanError, summary: w.HTML,
                  shorten=lambda field, message: message) -> None:
    """Each problem next to its field; a short summary (plus problems of no field) at the top."""
    for field in fields.values():
        field.set_error(None)
    problems = exc.problems if isinstance(exc, EntryError) else [(None, str(exc))]
    placed: dict[str, list[str]] = {}
    loose = []
    for name, message in problems:
        if name in fields and fields[name].box.layout.display != "none":
            placed.setdefault(name, []).append(shorten(name, message))
        else:
            loose.append(message)
    for name, messages in placed.items():
        text = "; ".join(messages)
        fields[name].set_error(text[:1].upper() + text[1:])
    head = str(exc).split(":")[0] if isinstance(exc, EntryError) else ""
    parts = []
    if placed:
        parts.append(f"{len(placed)} isian perlu diperbaiki (ditandai merah di bawah)")
    parts += loose
    summary.value = error_html(f"{head}: " + "; ".join(parts) + "." if head else "; ".join(parts))


# --- SOP step 2: vacancies typed in or closed by hand -------------------------------------


def vacancy_form(ws: Workspace, today=None, on_saved=None):
    """A form to add one vacancy; it is validated and saved by gather_vacancies.add_vacancy.

    The returned box carries `fields` (name -> input), `rows` (name -> Field), `save` (the
    button) and `status`; `on_saved(vacancy_id)` runs after each save (to refresh lists).
    """
    from kebekerjaan.steps.vacancies.gather import add_vacancy

    day = today or date.today()

    def text(placeholder=""):
        return w.Text(placeholder=placeholder)

    rows = {
        "company": Field("Nama perusahaan/instansi", text(), required=True),
        "position": Field("Jabatan", text("mis. Juru Las"), required=True),
        "kejuruan": Field("Kejuruan terkait",
                          CheckList(options=[k.name for k in ws.settings().kejuruan]),
                          help="Centang satu atau lebih.", required=True),
        "location": Field("Lokasi kerja", text("mis. Kendari")),
        "min_education": Field("Pendidikan minimal", text("mis. SMK")),
        "openings": Field("Jumlah dibutuhkan (orang)", text("mis. 3")),
        "deadline": Field("Batas lamaran", DateField(today=day),
                          help="Kosongkan bila lowongan dibuka sampai terpenuhi."),
        "how_to_apply": Field("Cara melamar",
                              w.Textarea(placeholder="alamat email, nomor WA, tautan pendaftaran")),
        "source": Field("Sumber informasi", text("mis. kunjungan perusahaan")),
        "entered_by": Field("Dicatat oleh", staff_name_input(), required=True),
    }
    fields = {name: row.widget for name, row in rows.items()}
    save = button("Simpan lowongan", style="primary", icon="save")
    status = Feedback()
    summary = Feedback()

    def _save(_):
        values = {k: v.text if isinstance(v, DateField) else v.value for k, v in fields.items()}
        values["kejuruan"] = list(values["kejuruan"])
        try:
            vacancy_id = add_vacancy(ws, **values, today=today)
        except KebekerjaanError as exc:
            show_problems(rows, exc, summary)
            status.value = summary.value
            return
        for row in rows.values():
            row.set_error(None)
        summary.value = ""
        status.ok(f"Lowongan nomor {vacancy_id} disimpan: {values['position']} "
                  f"— {values['company']}.")
        for name, widget in fields.items():
            if name != "entered_by":  # the same person usually types several
                widget.value = () if name == "kejuruan" else ""
        if on_saved:
            on_saved(vacancy_id)

    save.on_click(_save)
    box = w.VBox([style_widget(), w.HTML(f"<h3>Tambah lowongan</h3><p>Isian bertanda "
                                         f"{required_mark()} wajib diisi.</p>"), summary,
                  *(r.box for r in rows.values()), save, status],
                 layout=w.Layout(max_width="100%"))
    box.add_class("kb-tambah-lowongan")
    box.fields, box.rows, box.save, box.status = fields, rows, save, status
    return box


def close_vacancy_form(ws: Workspace, today=None, on_saved=None):
    """A form to close an open vacancy early (filled, withdrawn), with a reason.

    The returned box carries `fields` (vacancy, reason, closed_by), `save`, `status` and
    `refresh()` (re-reads the open vacancies, e.g. after one was added).
    """
    from kebekerjaan.steps.vacancies.gather import close_vacancy, open_vacancies

    day = today or date.today()

    def options():
        frame = open_vacancies(ws, day)
        return [(f"{r.id}. {r.position} — {r.company}"
                 + (f" (s.d. {date.fromisoformat(r.deadline):%d-%m-%Y})" if r.deadline else ""), r.id)
                for r in frame.itertuples()]

    rows = {
        "vacancy": Field("Lowongan yang ditutup", w.Dropdown(options=options(), value=None,
                                                             layout=w.Layout(width="44em")),
                         required=True),
        "reason": Field("Alasan", w.Text(placeholder="mis. sudah terisi"), required=True),
        "closed_by": Field("Ditutup oleh", staff_name_input()),
    }
    fields = {name: row.widget for name, row in rows.items()}
    save = button("Tutup lowongan", style="warning", icon="times")
    status = Feedback()

    def refresh():
        fields["vacancy"].options = options()
        fields["vacancy"].value = None

    def _save(_):
        for row in rows.values():
            row.set_error(None)
        if fields["vacancy"].value is None:
            rows["vacancy"].set_error("pilih lowongan yang akan ditutup")
            status.error("Pilih lowongan yang akan ditutup.")
            return
        try:
            close_vacancy(ws, fields["vacancy"].value, fields["reason"].value, on=day,
                          closed_by=fields["closed_by"].value)
        except KebekerjaanError as exc:
            if "alasan" in str(exc):
                rows["reason"].set_error("alasan penutupan wajib diisi")
            status.error(str(exc))
            return
        closed = fields["vacancy"].value
        status.ok(f"Lowongan nomor {closed} ditutup.")
        refresh()
        fields["reason"].value = ""
        if on_saved:
            on_saved(closed)

    save.on_click(_save)
    box = w.VBox([style_widget(), w.HTML("<h3>Tutup lowongan</h3><p>Sebelum batas lamarannya, "
                                         "mis. sudah terisi atau dibatalkan perusahaan.</p>"),
                  *(r.box for r in rows.values()), save, status],
                 layout=w.Layout(max_width="100%"))
    box.add_class("kb-tutup-lowongan")
    box.fields, box.rows, box.save, box.status, box.refresh = fields, rows, save, status, refresh
    return box


def vacancy_forms(ws: Workspace, today=None, on_saved=None):
    """Add and close forms side by side in one box: each save refreshes the other's list."""
    close = close_vacancy_form(ws, today=today, on_saved=on_saved)

    def added(vacancy_id):
        close.refresh()
        if on_saved:
            on_saved(vacancy_id)

    add = vacancy_form(ws, today=today, on_saved=added)
    box = w.VBox([add, w.HTML("<hr>"), close], layout=w.Layout(max_width="100%"))
    # Not `box.close`: that would hide Widget.close, and the page could never be closed.
    box.add_form, box.close_form = add, close
    return box
