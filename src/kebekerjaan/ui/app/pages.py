"""The staff app's pages, shown one at a time in one tab by router.py (notebooks/aplikasi/app.ipynb).

A page is the same widget classes the step notebooks show in JupyterLab (uploads, vacancy
forms, manual entry, review panel, column mapping), with the lists that change when staff
save something, the inbox of each kind of file, and a panel that runs SOP steps through the
runner (papermill, manifest, store restored on failure) as a checklist with each step's
result in words and its files by what they are for.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import ipywidgets as w
import pandas as pd

from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.core.workspace import INPUT_KINDS, Workspace, open_workspace
from kebekerjaan.io.privacy import for_display
from kebekerjaan.rules.labels import INBOX_LABELS
from kebekerjaan.rules.periods import Period, resolve_period
from kebekerjaan.ui.app.results import (
    checklist_html,
    file_url,
    run_html,
    runs,
    step_sentences,
    step_title,
    when_html,
)
from kebekerjaan.ui.app.server import ENV_AS_OF, ENV_WORKSPACE
from kebekerjaan.ui.feedback import Feedback, style_widget
from kebekerjaan.ui.widgets import DateField, Field, button, close_whole

__all__ = ["BUILDERS", "HOME", "PAGES", "TITLES", "LiveTable", "PageContext", "RunPanel",
           "file_url", "open_page", "page_url", "run_html", "staff_table"]

# (page name, menu caption), in menu order.
PAGES = (
    ("beranda", "Beranda"),
    ("alumni", "Data alumni"),
    ("lowongan", "Lowongan"),
    ("jawaban", "Catat jawaban"),
    ("tinjauan", "Tinjauan jawaban"),
    ("pemetaan", "Kolom formulir"),
    ("berkas", "Folder masuk"),
    ("proses", "Jalankan langkah"),
)
HOME = "beranda"
TITLES = {
    "beranda": "Survei Kebekerjaan Alumni — keadaan hari ini",
    "alumni": "Tambah ekspor SIAPkerja (langkah 1)",
    "lowongan": "Tambah dan tutup lowongan (langkah 2)",
    "jawaban": "Catat jawaban atau penolakan alumni (langkah 6)",
    "tinjauan": "Tinjau jawaban yang belum pasti (langkah 7)",
    "pemetaan": "Kolom formulir baru (langkah 7)",
    "berkas": "Berkas di folder masuk, per jenis",
    "proses": "Jalankan langkah SOP",
}


@dataclass(frozen=True)
class PageContext:
    ws: Workspace
    today: date
    notices: tuple[str, ...] = ()  # what opening the page did first (a killed run undone)


def open_page(workspace: str = "", as_of: str = "", *, recover: bool = True) -> PageContext:
    """The workspace and date of a page: its parameters, else what the server was given.
    recover=False (a preheated kernel's warm-up, long before any request) leaves a killed
    run for the first real page to undo and say."""
    ws = open_workspace(workspace or os.environ.get(ENV_WORKSPACE) or None)
    text = as_of or os.environ.get(ENV_AS_OF, "")
    try:
        today = date.fromisoformat(text) if text else date.today()
    except ValueError:
        raise KebekerjaanError(f"Tanggal acuan '{text}' tidak sah; tulis sebagai TTTT-BB-HH.") from None
    ws.settings()  # a broken kebekerjaan.toml is reported here, clearly
    # A run killed meanwhile is undone here too, its staff saves re-applied (when no run
    # holds the workspace: then it is not killed but working).
    if not recover:
        return PageContext(ws, today)
    from kebekerjaan.core.recovery import recover_unfinished

    return PageContext(ws, today, tuple(rec.message() for rec in recover_unfinished(ws)))


def page_url(name: str) -> str:
    """A link to a page of the app; a plain click opens it in the same tab (app.js)."""
    return f"?halaman={name}"


# --- shared parts -------------------------------------------------------------------------


def staff_table(frame: pd.DataFrame, empty: str = "Belum ada data.") -> str:
    """A table as staff read it: NIK masked, whole numbers as integers, blanks for nothing."""
    if frame is None or frame.empty:
        return f"<p><i>{html.escape(empty)}</i></p>"
    if not isinstance(frame.index, pd.RangeIndex):  # a breakdown: its index is its first column
        frame = frame.reset_index()
    out = for_display(frame).copy()
    out.columns.name = None
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            values = out[col].dropna()
            if (values == values.round()).all():
                out[col] = out[col].astype("Int64")
    out = out.astype(object).where(out.notna(), "")
    return out.to_html(index=False, border=0, classes="kb-tabel", escape=True)


class LiveTable(w.HTML):
    """A table that reads itself again on refresh() (after every save)."""

    def __init__(self, read: Callable[[], pd.DataFrame], title: str = "", empty: str = "Belum ada data."):
        super().__init__()
        self._read, self._title, self._empty = read, title, empty
        self.refresh()

    def refresh(self, *_):
        head = f"<h3>{html.escape(self._title)}</h3>" if self._title else ""
        self.value = head + f"<div class='kb-gulir'>{staff_table(self._read(), self._empty)}</div>"


class RunPanel:
    """Choose SOP steps and run them: a checklist says, step by step, what each did; then
    the files they wrote, by what they are for."""

    def __init__(self, ws: Workspace, today: date, *, chosen: tuple[int, ...] | None = None,
                 caption: str = "Jalankan langkah terpilih", on_done: Callable | None = None,
                 ask_date: bool = True):
        from kebekerjaan.core.runner import available_steps

        self.ws, self.today, self.on_done = ws, today, on_done
        self.steps = available_steps()
        self.checks = {
            s.number: w.Checkbox(value=chosen is None or s.number in chosen,
                                 description=step_title(s.notebook.name), indent=False,
                                 layout=w.Layout(width="auto"))
            for s in self.steps
        }
        self.as_of = DateField(today, today=today)
        self.periode = w.Text(placeholder="mis. 2026-III atau 2026")
        self.rows = {
            "steps": Field("Langkah", w.VBox(list(self.checks.values()))),
            "as_of": Field("Tanggal acuan", self.as_of, required=True),
            "periode": Field("Periode rekap dan laporan", self.periode,
                             help="Caturwulan (2026-III) atau tahun (2026); kosong: caturwulan "
                                  "tanggal acuan."),
        }
        if not ask_date:
            for key in ("as_of", "periode"):
                self.rows[key].show(False)
        if chosen is not None and len(chosen) == 1:
            self.rows["steps"].show(False)
        self.start = button(caption, style="primary", icon="play")
        self.checklist = w.HTML(layout=w.Layout(max_width="100%"))
        self.result = Feedback()
        self.start.on_click(self._on_run)
        self.box = w.VBox([style_widget(), *(r.box for r in self.rows.values()), self.start,
                           self.result, self.checklist], layout=w.Layout(max_width="100%"))
        self.box.add_class("kb-jalankan")

    def _ipython_display_(self):
        from IPython.display import display

        display(self.box)

    def _on_run(self, _=None) -> None:
        from kebekerjaan.core.runner import run

        for row in self.rows.values():
            row.set_error(None)
        chosen = [n for n, box in self.checks.items() if box.value]
        if not chosen:
            self.rows["steps"].set_error("pilih paling sedikit satu langkah")
            self.result.error("Pilih paling sedikit satu langkah.")
            return
        if self.as_of.value is None:
            self.rows["as_of"].set_error(self.as_of.problem or "tanggal acuan wajib diisi")
            self.result.error("Tanggal acuan belum benar.")
            return
        periode = self.periode.value.strip() or None
        try:
            if periode:
                resolve_period(periode, date.today())
        except KebekerjaanError as exc:
            self.rows["periode"].set_error("periode tidak sah")
            self.result.error(str(exc))
            return
        titles = {s.number: step_title(s.notebook.name) for s in self.steps}
        states = {n: ("menunggu", []) for n in chosen}

        def show():
            self.checklist.value = checklist_html(
                [(titles[n], state, lines) for n, (state, lines) in states.items()])

        def on_step(number: int, entry: dict | None) -> None:
            states[number] = (("berjalan", []) if entry is None else
                              (entry.get("status", ""), step_sentences(entry)))
            show()

        self.start.disabled = True
        self.result.hint("Sedang berjalan… Jangan tutup atau tinggalkan halaman ini sampai selesai.")
        show()
        try:
            result = run(self.ws, as_of=self.as_of.value, steps=",".join(map(str, chosen)),
                         progress=False, periode=periode, on_step=on_step)
        except KebekerjaanError as exc:
            self.result.error(str(exc).split("\n")[0])
            manifest = self._failed_manifest()
            if manifest is not None:
                self.checklist.value = run_html(self.ws, manifest, head=False)
        else:
            self.result.clear()
            self.checklist.value = run_html(self.ws, result.manifest)
        finally:
            self.start.disabled = False
        if self.on_done:
            self.on_done()

    def _failed_manifest(self) -> Path | None:
        found = runs(self.ws, limit=1)
        return found[0] if found else None


# --- the home page ------------------------------------------------------------------------


def workspace_state(ws: Workspace, today: date) -> dict[str, int]:
    """The counts on the home page: what is in the store and what waits for staff."""
    from kebekerjaan.core import store
    from kebekerjaan.steps.answers.records import review_queue
    from kebekerjaan.steps.outreach.invite import due_invitations
    from kebekerjaan.steps.outreach.rules import SurveyRules, load_answers, load_enrolments, load_log
    from kebekerjaan.steps.vacancies.gather import open_vacancies

    con = store.connect(ws.store_path)
    try:
        alumni = con.execute("SELECT COUNT(*) FROM alumni").fetchone()[0]
        trainings = con.execute("SELECT COUNT(*) FROM enrolments").fetchone()[0]
        due, _ = due_invitations(load_enrolments(con), load_log(con), load_answers(con),
                                 SurveyRules.from_settings(ws.settings()), today)
        review = len(review_queue(con))
    finally:
        con.close()
    return {"alumni": int(alumni), "trainings": int(trainings),
            "open_vacancies": len(open_vacancies(ws, today)), "invitations_due": len(due),
            "to_review": int(review)}


def home_page(ctx: PageContext) -> w.Widget:
    state = workspace_state(ctx.ws, ctx.today)
    cards = [
        ("Alumni", state["alumni"], f"{state['trainings']} pelatihan diikuti", "alumni"),
        ("Lowongan buka", state["open_vacancies"], "pada tanggal acuan", "lowongan"),
        ("Undangan survei jatuh tempo", state["invitations_due"], "dibuat oleh langkah 4", "proses"),
        ("Jawaban menunggu tinjauan", state["to_review"], "putuskan di halaman Tinjauan", "tinjauan"),
    ]
    body = "".join(
        f"<div><a href='{page_url(page)}' style='color:inherit;text-decoration:none'>"
        f"{html.escape(title)}<b>{value}</b><small>{html.escape(note)}</small></a></div>"
        for title, value, note, page in cards
    )
    past = runs(ctx.ws, limit=10)
    if not past:
        done = (f"<p>Belum ada proses yang dijalankan. Buka <a href='{page_url('proses')}'>"
                "Jalankan langkah</a>.</p>")
    else:
        # Every run with its files by what they are for; the newest open, the rest folded.
        done = "<h3>Proses yang sudah dijalankan</h3>" + "".join(
            f"<details class='kb-proses'{' open' if i == 0 else ''}><summary>"
            f"{when_html(m)}</summary>{run_html(ctx.ws, m)}</details>"
            for i, m in enumerate(past))
    intro = (f"<p>Folder kerja: <code>{html.escape(str(ctx.ws.root))}</code> · tanggal acuan "
             f"{ctx.today:%d-%m-%Y}</p>")
    page = w.HTML(f"{intro}<div class='kb-kartu'>{body}</div>{done}",
                  layout=w.Layout(max_width="100%"))
    page.add_class("kb-beranda")
    return page


# --- the other pages ----------------------------------------------------------------------


def _inbox(ctx: PageContext, kind: str, *, hint: str = "", on_saved=None) -> tuple:
    """An upload form and the inbox list of one kind; an upload lists the inbox again."""
    from kebekerjaan.ui.uploads import InboxPanel, UploadForm

    inbox = InboxPanel(ctx.ws, kind, f"Isi folder masuk: {INBOX_LABELS[kind]}")

    def saved(paths):
        inbox.refresh()
        if on_saved:
            on_saved(paths)

    form = UploadForm(ctx.ws, kind, f"Tambah berkas: {INBOX_LABELS[kind]}", hint, saved)
    return form, inbox


def alumni_page(ctx: PageContext) -> w.Widget:
    from kebekerjaan.steps.alumni import alumni_per_kejuruan

    table = LiveTable(lambda: alumni_per_kejuruan(ctx.ws), "Alumni per kejuruan dan tahun")
    upload, inbox = _inbox(ctx, "alumni", hint="Klik Impor sekarang untuk memasukkannya ke basis "
                                               "data.")

    def done():
        table.refresh()
        inbox.refresh()

    runner = RunPanel(ctx.ws, ctx.today, chosen=(1,), caption="Impor sekarang (langkah 1)",
                      on_done=done, ask_date=False)
    return w.VBox([upload.box, runner.box, inbox.box, table], layout=w.Layout(max_width="100%"))


def vacancies_page(ctx: PageContext) -> w.Widget:
    from kebekerjaan.steps.vacancies.gather import for_staff, open_vacancies
    from kebekerjaan.ui.widgets import vacancy_forms

    def read():
        frame = for_staff(open_vacancies(ctx.ws, ctx.today))
        return frame.drop(columns=[c for c in ("Dicatat oleh",) if c in frame])

    table = LiveTable(read, "Lowongan yang masih buka", "Belum ada lowongan yang buka.")
    forms = vacancy_forms(ctx.ws, today=ctx.today, on_saved=table.refresh)
    upload, inbox = _inbox(ctx, "lowongan", hint="Klik Impor lowongan sekarang.")

    def done():
        table.refresh()
        inbox.refresh()
        forms.close_form.refresh()

    runner = RunPanel(ctx.ws, ctx.today, chosen=(2,), caption="Impor lowongan sekarang (langkah 2)",
                      on_done=done, ask_date=False)
    files = w.VBox([w.HTML("<hr><h3>Daftar lowongan dalam berkas</h3>"), upload.box, runner.box,
                    inbox.box], layout=w.Layout(max_width="100%"))
    return w.VBox([forms, table, files], layout=w.Layout(max_width="100%"))


def answers_page(ctx: PageContext) -> w.Widget:
    from kebekerjaan.steps.answers.manual import answers_in_period
    from kebekerjaan.ui.answers import ManualEntryForm

    # Newest first: what was just saved shows at the top.
    table = LiveTable(lambda: answers_in_period(ctx.ws, Period.containing(ctx.today)).iloc[::-1],
                      "Jawaban caturwulan ini (terbaru di atas)", "Belum ada jawaban pada caturwulan ini.")
    form = ManualEntryForm(ctx.ws, ctx.today, on_saved=table.refresh)
    return w.VBox([form.box, table], layout=w.Layout(max_width="100%"))


def review_page(ctx: PageContext) -> w.Widget:
    from kebekerjaan.ui.answers import ReviewPanel

    return ReviewPanel(ctx.ws, decided_by="", today=ctx.today).box


def mapping_page(ctx: PageContext) -> w.Widget:
    """Drop a new form export, then name the field of each header the workbook did not know."""
    from kebekerjaan.ui.mapping import ColumnMappingForm

    holder = w.VBox(layout=w.Layout(max_width="100%"))

    def rebuild(*_):
        old = list(holder.children)
        holder.children = [ColumnMappingForm(ctx.ws).box]
        for widget in old:
            close_whole(widget)

    upload, inbox = _inbox(ctx, "respons", hint="Judul kolomnya diperiksa di bawah.",
                           on_saved=rebuild)
    rebuild()
    holder.refresh = rebuild  # shown again: the inbox may have changed
    return w.VBox([upload.box, holder, inbox.box], layout=w.Layout(max_width="100%"))


def files_page(ctx: PageContext) -> w.Widget:
    """Every inbox: add files, see what the last import did with each, move one aside."""
    parts = [w.HTML("<p>Setiap jenis berkas punya folder masuk sendiri. Berkas yang terus gagal "
                    "dibaca dapat dipindahkan dengan <b>Hapus dari kotak masuk</b>: berkas "
                    "disimpan di <code>data/disisihkan/</code>, tidak dihapus.</p>")]
    for kind in INPUT_KINDS:
        upload, inbox = _inbox(ctx, kind)
        inbox.box.children[0].value = ""  # the section heading says it once
        parts.append(w.VBox([w.HTML(f"<h3>{html.escape(INBOX_LABELS[kind])}</h3>"), upload.box,
                             inbox.box], layout=w.Layout(max_width="100%")))
    return w.VBox(parts, layout=w.Layout(max_width="100%"))


def run_page(ctx: PageContext) -> w.Widget:
    return RunPanel(ctx.ws, ctx.today).box


BUILDERS: dict[str, Callable[[PageContext], w.Widget]] = {
    "beranda": home_page, "alumni": alumni_page, "lowongan": vacancies_page,
    "jawaban": answers_page, "tinjauan": review_page, "pemetaan": mapping_page,
    "berkas": files_page, "proses": run_page,
}
