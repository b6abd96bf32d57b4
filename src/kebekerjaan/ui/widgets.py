"""ipywidgets forms for what staff do by hand (JupyterLab or the Voila app; never under papermill).

The building blocks here are shared by every form: `Field` (a label written for staff
above its input, the help text under it, and the field's own error line) and
`DateField` (dd-mm-yyyy whatever the browser's locale: browsers render a date input in
their own locale, so 12/01/2026 read as 1 December on an English browser).
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import ipywidgets as w

from kebekerjaan.core.errors import EntryError, KebekerjaanError
from kebekerjaan.core.workspace import Workspace
from kebekerjaan.io.normalize.dates import DateParseError, parse_date
from kebekerjaan.io.tables import SUFFIXES, is_input_name

INPUT_WIDTH = "34em"
DATE_HINT = "HH-BB-TTTT, mis. 27-11-2026"
DATE_PLACEHOLDER = "HH-BB-TTTT"


def ok_html(text: str) -> str:
    return f"<span style='color:#1a7f37'>✔ {html.escape(text)}</span>"


def error_html(text: str) -> str:
    return f"<span style='color:#b42318'>✖ {html.escape(text)}</span>"


def button(caption: str, *, style: str = "", icon: str = "") -> w.Button:
    """A button as wide as its caption (the default width cuts longer captions)."""
    return w.Button(description=caption, button_style=style, icon=icon,
                    layout=w.Layout(width="auto", min_width="10em", align_self="flex-start"))


def indonesian_date(day: date) -> str:
    """date(2026, 1, 12) -> 'Senin, 12 Januari 2026' (babel, id)."""
    from babel.dates import format_date

    return format_date(day, "EEEE, d MMMM y", locale="id")


class DateField(w.HBox):
    """A date typed as dd-mm-yyyy (or '12 Januari 2026'), shown back as dd-mm-yyyy.

    Reading goes through normalize.dates.parse_date, the rule every import uses, so
    day-first never depends on the browser. `value` is the date (None when empty or
    unreadable), `text` what was typed, `problem` why it could not be read.
    """

    def __init__(self, value: date | str | None = None, *, placeholder: str = DATE_PLACEHOLDER,
                 today: date | None = None):
        self._today = today
        self.input = w.Text(placeholder=placeholder, continuous_update=False,
                            layout=w.Layout(width="14em"))
        self.feedback = w.HTML()
        super().__init__([self.input, self.feedback], layout=w.Layout(align_items="center"))
        self.add_class("kb-tanggal")
        self.input.observe(self._on_change, names="value")
        self.value = value

    @property
    def text(self) -> str:
        return self.input.value.strip()

    @property
    def problem(self) -> str | None:
        try:
            parse_date(self.text or None, today=self._today)
        except DateParseError:
            return f"tanggal '{self.text}' tidak dapat dibaca; tulis sebagai {DATE_HINT}"
        return None

    @property
    def value(self) -> date | None:
        try:
            return parse_date(self.text or None, today=self._today)
        except DateParseError:
            return None

    @value.setter
    def value(self, value: date | str | None) -> None:
        if isinstance(value, date):
            value = f"{value:%d-%m-%Y}"
        self.input.value = value or ""
        self._on_change()

    def _on_change(self, _=None) -> None:
        day, problem = self.value, self.problem
        if day is not None and self.input.value != f"{day:%d-%m-%Y}":
            self.input.value = f"{day:%d-%m-%Y}"  # shown back the one way, whatever was typed
            return  # the observer runs again for the new text
        if problem:
            self.feedback.value = error_html(problem)
        elif day is not None:
            self.feedback.value = f"<span style='color:#555'>{indonesian_date(day)}</span>"
        else:
            self.feedback.value = "<span style='color:#777'>mis. 27-11-2026 atau 27 November 2026</span>"


class Field:
    """One input with its label above (never cut), help text under it, and its own error."""

    def __init__(self, label: str, widget: w.Widget, *, help: str = "", required: bool = False):
        self.widget = widget
        self.required = required
        self.title = w.HTML()
        self.help = w.HTML()
        self.error = w.HTML()
        self.box = w.VBox([self.title, widget, self.help, self.error],
                          layout=w.Layout(margin="0 0 0.6em 0"))
        self.box.add_class("kb-isian")
        self.set_label(label, help)
        if hasattr(widget, "layout") and not isinstance(widget, DateField):
            widget.layout.width = widget.layout.width or INPUT_WIDTH

    def set_label(self, label: str, help: str = "") -> None:
        mark = " <span style='color:#b42318'>*</span>" if self.required else ""
        self.title.value = f"<b>{html.escape(label)}</b>{mark}"
        self.help.value = (f"<small style='color:#555'>{html.escape(help)}</small>" if help else "")
        # Boxes have no tooltip in the browser (setting one breaks their view): use the input.
        target = self.widget.input if isinstance(self.widget, DateField) else self.widget
        if help and not isinstance(target, w.Box) and hasattr(target, "tooltip"):
            target.tooltip = help

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


def alumni_upload(ws: Workspace, next_hint: str = "Jalankan sel berikutnya untuk mengimpor.",
                  on_saved=None):
    """A file picker that copies SIAPkerja exports into data/masuk/alumni/."""
    return inbox_upload(ws, "alumni", "Tambah ekspor SIAPkerja", next_hint, on_saved)


def inbox_upload(ws: Workspace, kind: str, title: str, next_hint: str = "", on_saved=None):
    """A file picker that copies exports (.xlsx, .xls, .csv) into data/masuk/<kind>/.

    `on_saved(paths)` runs after each save (e.g. to list the new file's columns).
    """
    picker = w.FileUpload(accept=",".join(SUFFIXES), multiple=True,
                          description="Pilih berkas", button_style="info",
                          layout=w.Layout(width="auto"))
    save = button("Simpan ke folder masuk", icon="save")
    status = w.HTML()

    def _save(_):
        saved = save_uploads(ws.inbox(kind), picker.value)
        if not saved:
            status.value = "Belum ada berkas .xlsx, .xls atau .csv yang dipilih."
            return
        names = ", ".join(html.escape(p.name) for p in saved)
        status.value = f"Disimpan: {names}. {html.escape(next_hint)}"
        picker.value = ()
        if on_saved:
            on_saved(saved)

    save.on_click(_save)
    label = w.HTML(
        f"<b>{html.escape(title)}</b> (.xlsx, .xls, .csv) ke <code>{html.escape(str(ws.inbox(kind)))}</code>"
    )
    return w.VBox([label, w.HBox([picker, save]), status])


def save_uploads(folder: Path, uploads) -> list[Path]:
    """Write FileUpload values into `folder`, never overwriting an existing file."""
    saved = []
    folder.mkdir(parents=True, exist_ok=True)
    for item in uploads:
        name = Path(item["name"]).name
        if not is_input_name(name):
            continue
        target = folder / name
        n = 1
        while target.exists():
            target = folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
            n += 1
        target.write_bytes(bytes(item["content"]))
        saved.append(target)
    return saved


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
                          w.SelectMultiple(options=[k.name for k in ws.settings().kejuruan], rows=6),
                          help="Boleh lebih dari satu: tahan Ctrl (Cmd di Mac) sambil mengklik.",
                          required=True),
        "location": Field("Lokasi kerja", text("mis. Kendari")),
        "min_education": Field("Pendidikan minimal", text("mis. SMK")),
        "openings": Field("Jumlah dibutuhkan (orang)", text("mis. 3")),
        "deadline": Field("Batas lamaran", DateField(today=day),
                          help="Kosongkan bila lowongan dibuka sampai terpenuhi."),
        "how_to_apply": Field("Cara melamar",
                              w.Textarea(placeholder="alamat email, nomor WA, tautan pendaftaran")),
        "source": Field("Sumber informasi", text("mis. kunjungan perusahaan")),
        "entered_by": Field("Dicatat oleh", text("nama petugas"), required=True),
    }
    fields = {name: row.widget for name, row in rows.items()}
    save = button("Simpan lowongan", style="primary", icon="save")
    status = w.HTML()
    summary = w.HTML()

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
        status.value = ok_html(f"Lowongan nomor {vacancy_id} disimpan: {values['position']} "
                               f"— {values['company']}.")
        for name, widget in fields.items():
            if name != "entered_by":  # the same person usually types several
                widget.value = () if name == "kejuruan" else ""
        if on_saved:
            on_saved(vacancy_id)

    save.on_click(_save)
    box = w.VBox([w.HTML("<h3>Tambah lowongan</h3><p>Isian bertanda "
                         "<span style='color:#b42318'>*</span> wajib diisi.</p>"), summary,
                  *(r.box for r in rows.values()), save, status])
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
        "closed_by": Field("Ditutup oleh", w.Text(placeholder="nama petugas")),
    }
    fields = {name: row.widget for name, row in rows.items()}
    save = button("Tutup lowongan", style="warning", icon="times")
    status = w.HTML()

    def refresh():
        fields["vacancy"].options = options()
        fields["vacancy"].value = None

    def _save(_):
        for row in rows.values():
            row.set_error(None)
        if fields["vacancy"].value is None:
            rows["vacancy"].set_error("pilih lowongan yang akan ditutup")
            status.value = error_html("Pilih lowongan yang akan ditutup.")
            return
        try:
            close_vacancy(ws, fields["vacancy"].value, fields["reason"].value, on=day,
                          closed_by=fields["closed_by"].value)
        except KebekerjaanError as exc:
            if "alasan" in str(exc):
                rows["reason"].set_error("alasan penutupan wajib diisi")
            status.value = error_html(str(exc))
            return
        closed = fields["vacancy"].value
        status.value = ok_html(f"Lowongan nomor {closed} ditutup.")
        refresh()
        fields["reason"].value = ""
        if on_saved:
            on_saved(closed)

    save.on_click(_save)
    box = w.VBox([w.HTML("<h3>Tutup lowongan</h3><p>Sebelum batas lamarannya, mis. sudah "
                         "terisi atau dibatalkan perusahaan.</p>"),
                  *(r.box for r in rows.values()), save, status])
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
    box = w.VBox([add, w.HTML("<hr>"), close])
    box.add, box.close = add, close
    return box
