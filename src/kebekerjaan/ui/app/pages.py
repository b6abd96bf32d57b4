"""The staff app's pages: each page notebook (notebooks/aplikasi/) calls show_page.

A page is the same widget classes the step notebooks show in JupyterLab (upload,
vacancy forms, manual entry, review panel, column mapping), with a navigation bar,
the lists that change when staff save something, and a panel that runs SOP steps
through the runner (papermill, manifest, store restored on failure) with a progress bar
and links to what the run wrote.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

import ipywidgets as w
import pandas as pd

from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.core.workspace import Workspace, open_workspace
from kebekerjaan.io.privacy import for_display
from kebekerjaan.rules.periods import Period, resolve_period
from kebekerjaan.ui.app.server import ENV_AS_OF, ENV_WORKSPACE, FILES_PREFIX, SERVED_SUFFIXES
from kebekerjaan.ui.widgets import DateField, Field, button, error_html, ok_html

# (page name = notebook stem, menu caption)
PAGES = (
    ("beranda", "Beranda"),
    ("alumni", "Data alumni"),
    ("lowongan", "Lowongan"),
    ("jawaban", "Catat jawaban"),
    ("tinjauan", "Tinjauan jawaban"),
    ("pemetaan", "Kolom formulir"),
    ("proses", "Jalankan langkah"),
)
TITLES = {
    "beranda": "Survei Kebekerjaan Alumni — keadaan hari ini",
    "alumni": "Tambah ekspor SIAPkerja (langkah 1)",
    "lowongan": "Tambah dan tutup lowongan (langkah 2)",
    "jawaban": "Catat jawaban atau penolakan alumni (langkah 6)",
    "tinjauan": "Tinjau jawaban yang belum pasti (langkah 7)",
    "pemetaan": "Kolom formulir baru (langkah 7)",
    "proses": "Jalankan langkah SOP",
}
_STYLE = """<style>
.kb-menu{display:flex;flex-wrap:wrap;gap:.3em 1.2em;padding:.5em 0;border-bottom:1px solid #ccc;
  margin-bottom:.8em;font-size:15px}
.kb-menu a{text-decoration:none;color:#1849a9}
.kb-menu a.kb-aktif{font-weight:bold;color:#000}
.kb-kartu{display:flex;flex-wrap:wrap;gap:1em;margin:.5em 0 1em}
.kb-kartu div{border:1px solid #d0d5dd;border-radius:6px;padding:.6em 1em;min-width:11em}
.kb-kartu b{display:block;font-size:26px}
table.kb-tabel{border-collapse:collapse;font-size:13px;margin:.3em 0 1em}
table.kb-tabel th,table.kb-tabel td{border-bottom:1px solid #e4e7ec;padding:.25em .6em;text-align:left;
  vertical-align:top}
table.kb-tabel th{background:#f2f4f7}
table.kb-tabel td,table.kb-tabel th{line-height:1.35}
table.kb-tabel td:first-child{white-space:nowrap}
.kb-isian .widget-html-content{line-height:1.3}
.widget-html a,.jp-RenderedHTMLCommon a{color:#1849a9;text-decoration:underline}
.kb-menu a{text-decoration:none}
</style>"""


@dataclass(frozen=True)
class PageContext:
    ws: Workspace
    today: date
    notices: tuple[str, ...] = ()  # what opening the page did first (a killed run undone)


def open_page(workspace: str = "", as_of: str = "") -> PageContext:
    """The workspace and date of a page: its parameters, else what the server was given."""
    ws = open_workspace(workspace or os.environ.get(ENV_WORKSPACE) or None)
    text = as_of or os.environ.get(ENV_AS_OF, "")
    try:
        today = date.fromisoformat(text) if text else date.today()
    except ValueError:
        raise KebekerjaanError(f"Tanggal acuan '{text}' tidak sah; tulis sebagai TTTT-BB-HH.") from None
    ws.settings()  # a broken kebekerjaan.toml is reported here, clearly
    # A run killed meanwhile is undone here too, its staff saves re-applied (when no run
    # holds the workspace: then it is not killed but working).
    from kebekerjaan.core.recovery import recover_unfinished

    return PageContext(ws, today, tuple(rec.message() for rec in recover_unfinished(ws)))


def page_url(name: str) -> str:
    return f"/voila/render/{name}.ipynb"


def file_url(ws: Workspace, path: Path) -> str | None:
    """Where the browser opens a file of a run (None for what the app does not serve)."""
    try:
        rel = Path(path).resolve().relative_to(ws.outputs.resolve())
    except ValueError:
        return None
    if rel.suffix.lower() not in SERVED_SUFFIXES or any(p.startswith(".") for p in rel.parts):
        return None
    return FILES_PREFIX + quote(rel.as_posix())


def menu_html(current: str) -> str:
    links = "".join(
        f"<a href='{page_url(name)}'{' class=kb-aktif' if name == current else ''}>"
        f"{html.escape(caption)}</a>" for name, caption in PAGES
    )
    return f"{_STYLE}<nav class='kb-menu'>{links}</nav><h2>{html.escape(TITLES[current])}</h2>"


def show_page(name: str, workspace: str = "", as_of: str = "") -> None:
    """What every page notebook runs: the menu, then the page, or what went wrong."""
    from IPython.display import HTML, display

    display(HTML(menu_html(name)))
    try:
        ctx = open_page(workspace, as_of)
        page = BUILDERS[name](ctx)
    except KebekerjaanError as exc:
        display(HTML(error_html(str(exc))))
        return
    except Exception as exc:  # no traceback for staff; the message still says what broke
        display(HTML(error_html(f"Halaman ini gagal dimuat ({type(exc).__name__}: {exc}).")))
        return
    for notice in ctx.notices:
        display(HTML(f"<p><b>PERHATIAN:</b> {html.escape(notice)}</p>"))
    display(page)


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
        self.value = head + staff_table(self._read(), self._empty)


def step_label(step) -> str:
    """'01_kumpulkan_data_alumni' -> '1. Kumpulkan data alumni'."""
    words = step.name.split("_", 1)[1].replace("_", " ")
    return f"{step.number}. {words[:1].upper()}{words[1:]}"


class RunPanel:
    """Choose SOP steps, run them with a progress bar, then open what they wrote."""

    def __init__(self, ws: Workspace, today: date, *, chosen: tuple[int, ...] | None = None,
                 caption: str = "Jalankan langkah terpilih", on_done: Callable | None = None,
                 ask_date: bool = True):
        from kebekerjaan.core.runner import available_steps

        self.ws, self.today, self.on_done = ws, today, on_done
        steps = available_steps()
        self.checks = {
            s.number: w.Checkbox(value=chosen is None or s.number in chosen, description=step_label(s),
                                 indent=False, layout=w.Layout(width="auto"))
            for s in steps
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
        self.progress = w.Output()
        self.result = w.HTML()
        self.start.on_click(self._on_run)
        self.box = w.VBox([*(r.box for r in self.rows.values()), self.start, self.progress,
                           self.result])
        self.box.add_class("kb-jalankan")

    def _ipython_display_(self):
        from IPython.display import display

        display(self.box)

    def _on_run(self, _=None) -> None:
        from kebekerjaan.core.runner import run

        for row in self.rows.values():
            row.set_error(None)
        steps = [n for n, box in self.checks.items() if box.value]
        if not steps:
            self.rows["steps"].set_error("pilih paling sedikit satu langkah")
            self.result.value = error_html("Pilih paling sedikit satu langkah.")
            return
        if self.as_of.value is None:
            self.rows["as_of"].set_error(self.as_of.problem or "tanggal acuan wajib diisi")
            self.result.value = error_html("Tanggal acuan belum benar.")
            return
        periode = self.periode.value.strip() or None
        try:
            if periode:
                resolve_period(periode, date.today())
        except KebekerjaanError as exc:
            self.rows["periode"].set_error("periode tidak sah")
            self.result.value = error_html(str(exc))
            return
        self.start.disabled = True
        self.result.value = ("<p>Sedang berjalan… halaman ini diperbarui bila sudah selesai. "
                             "<b>Jangan tutup atau tinggalkan halaman ini sampai selesai.</b></p>")
        self.progress.clear_output()
        try:
            with self.progress:
                result = run(self.ws, as_of=self.as_of.value, steps=",".join(map(str, steps)),
                             progress=True, periode=periode)
        except KebekerjaanError as exc:
            self.result.value = error_html(str(exc))
        else:
            self.result.value = run_html(self.ws, result.manifest)
        finally:
            self.start.disabled = False
        if self.on_done:
            self.on_done()


def run_html(ws: Workspace, manifest: Path) -> str:
    """One run as staff read it: status per step in the order the steps ran (core.order),
    then links to the report and lists."""
    from kebekerjaan.core.order import order_note
    from kebekerjaan.rules.labels import headline_files

    data = json.loads(Path(manifest).read_text(encoding="utf-8"))
    order = order_note(data.get("parameters", {}).get("order", []))
    run_dir = Path(manifest).parent
    ok = data.get("status") == "berhasil"
    steps = "".join(
        f"<li>Langkah {s['step']}: {html.escape(s.get('status', ''))}"
        f"{' — ' + html.escape(s['error']) if s.get('error') else ''}</li>"
        for s in data.get("steps", [])
    )
    produced = [run_dir / p for p in data.get("outputs", [])]
    first = headline_files(produced)
    links = "".join(
        f"<li><a href='{file_url(ws, p)}' target='_blank'>{html.escape(label)}: "
        f"{html.escape(p.name)}</a></li>" for label, p in first if file_url(ws, p)
    )
    shown = {p for _, p in first}
    rest = "".join(
        f"<li><a href='{file_url(ws, p)}' target='_blank'>{html.escape(str(p.relative_to(run_dir)))}</a></li>"
        for p in produced if p not in shown and file_url(ws, p)
    )
    head = (ok_html(f"Proses {data.get('run_id', run_dir.name)} selesai.") if ok else
            error_html(f"Proses {data.get('run_id', run_dir.name)} gagal; basis data: "
                       + (data.get("restore_error") or data.get("recovery")
                          or "dikembalikan ke keadaan sebelum proses.")))
    # Outputs that could not be made (the PDF report): the data are kept; say how to redo it.
    problems = "".join(f"<li>{html.escape(p)}</li>" for p in data.get("output_problems", []))
    if problems:
        again = (f"<p>Setelah masalahnya diatasi, buat laporannya lagi dengan: "
                 f"<code>{html.escape(data['rerender'])}</code></p>" if data.get("rerender") else "")
        problems = (f"<p>{error_html('Data proses ini sudah tersimpan, tetapi ada hasil yang belum dibuat:')}"
                    f"</p><ul>{problems}</ul>{again}")
    return (f"<p>{head}</p>{problems}" + (f"<p>{html.escape(order)}</p>" if order else "")
            + f"<ul>{steps}</ul>"
            + (f"<p><b>Hasil untuk dibuka:</b></p><ul class='kb-hasil'>{links}</ul>" if links else "")
            + (f"<details><summary>Berkas lain ({rest.count('<li>')})</summary><ul>{rest}</ul>"
               "</details>" if rest else ""))


# --- the home page ------------------------------------------------------------------------


def last_run(ws: Workspace, with_report: bool = False) -> Path | None:
    """manifest.json of the newest run (by its start time), if any; or of the newest run
    that wrote a management report."""
    best, best_at = None, ""
    for manifest in ws.outputs.glob("*/manifest.json"):
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if with_report and not any(Path(o).match("laporan_*.pdf") for o in data.get("outputs", [])):
            continue
        started = data.get("started_at", "")
        if started >= best_at:
            best, best_at = manifest, started
    return best


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
    manifest = last_run(ctx.ws)
    if manifest is None:
        run = "<p>Belum ada proses yang dijalankan. Buka <a href='{}'>Jalankan langkah</a>.</p>".format(
            page_url("proses"))
    else:
        run = f"<h3>Proses terakhir</h3>{_when(manifest)}{run_html(ctx.ws, manifest)}"
        report = last_run(ctx.ws, with_report=True)
        if report is not None and report != manifest:
            run += f"<h3>Laporan terakhir</h3>{_when(report)}{run_html(ctx.ws, report)}"
    intro = (f"<p>Folder kerja: <code>{html.escape(str(ctx.ws.root))}</code> · tanggal acuan "
             f"{ctx.today:%d-%m-%Y}</p>")
    return w.HTML(f"{intro}<div class='kb-kartu'>{body}</div>{run}")


def _when(manifest: Path) -> str:
    data = json.loads(manifest.read_text(encoding="utf-8"))
    started = str(data.get("started_at", ""))
    try:
        when = f"{datetime.fromisoformat(started):%d-%m-%Y pukul %H.%M}"
    except ValueError:
        when = started
    as_of = data.get("parameters", {}).get("as_of", "")
    return f"<p>{html.escape(when)}, tanggal acuan {html.escape(_dmy(as_of))}</p>"


def _dmy(iso: str) -> str:
    try:
        return f"{date.fromisoformat(iso):%d-%m-%Y}"
    except ValueError:
        return iso


# --- the other pages ----------------------------------------------------------------------


def alumni_page(ctx: PageContext) -> w.Widget:
    from kebekerjaan.steps.alumni import alumni_per_kejuruan
    from kebekerjaan.ui.widgets import alumni_upload

    table = LiveTable(lambda: alumni_per_kejuruan(ctx.ws), "Alumni per kejuruan dan tahun")
    upload = alumni_upload(ctx.ws, next_hint="Klik Impor sekarang untuk memasukkannya ke basis data.")
    runner = RunPanel(ctx.ws, ctx.today, chosen=(1,), caption="Impor sekarang (langkah 1)",
                      on_done=table.refresh, ask_date=False)
    return w.VBox([upload, runner.box, table])


def vacancies_page(ctx: PageContext) -> w.Widget:
    from kebekerjaan.steps.vacancies.gather import for_staff, open_vacancies
    from kebekerjaan.ui.widgets import vacancy_forms

    def read():
        frame = for_staff(open_vacancies(ctx.ws, ctx.today))
        return frame.drop(columns=[c for c in ("Dicatat oleh",) if c in frame])

    table = LiveTable(read, "Lowongan yang masih buka", "Belum ada lowongan yang buka.")
    forms = vacancy_forms(ctx.ws, today=ctx.today, on_saved=table.refresh)
    return w.VBox([forms, table])


def answers_page(ctx: PageContext) -> w.Widget:
    from kebekerjaan.steps.answers.manual import answers_in_period
    from kebekerjaan.ui.answers import ManualEntryForm

    # Newest first: what was just saved shows at the top.
    table = LiveTable(lambda: answers_in_period(ctx.ws, Period.containing(ctx.today)).iloc[::-1],
                      "Jawaban caturwulan ini (terbaru di atas)", "Belum ada jawaban pada caturwulan ini.")
    form = ManualEntryForm(ctx.ws, ctx.today, on_saved=table.refresh)
    return w.VBox([form.box, table])


def review_page(ctx: PageContext) -> w.Widget:
    from kebekerjaan.ui.answers import ReviewPanel

    return ReviewPanel(ctx.ws, decided_by="").box


def mapping_page(ctx: PageContext) -> w.Widget:
    """Drop a new form export, then name the field of each header the workbook did not know."""
    from kebekerjaan.steps.answers.mapping import ColumnMappingForm
    from kebekerjaan.ui.widgets import inbox_upload

    holder = w.VBox()

    def rebuild(*_):
        form = ColumnMappingForm(ctx.ws)
        if hasattr(form, "save"):
            form.save.layout = w.Layout(width="auto", align_self="flex-start")  # caption whole
        holder.children = [form.box]

    upload = inbox_upload(ctx.ws, "respons", "Tambah unduhan jawaban Google Form",
                          "Judul kolomnya diperiksa di bawah.", on_saved=rebuild)
    rebuild()
    return w.VBox([upload, holder])


def run_page(ctx: PageContext) -> w.Widget:
    return RunPanel(ctx.ws, ctx.today).box


BUILDERS: dict[str, Callable[[PageContext], w.Widget]] = {
    "beranda": home_page, "alumni": alumni_page, "lowongan": vacancies_page,
    "jawaban": answers_page, "tinjauan": review_page, "pemetaan": mapping_page,
    "proses": run_page,
}
