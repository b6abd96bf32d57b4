"""Files staff add to an inbox (data/masuk/<kind>/), and the inbox as staff see it.

Every picked file is accounted for: saved (under which name), or refused with the reason
(not a type this inbox reads, not what its name says, larger than [aplikasi]
max_upload_mb, the folder cannot be written). Nothing is overwritten.

Two ways in. In the app (`kebekerjaan aplikasi`), the browser sends each file over HTTP
to the server (ui/app/server.py, UploadHandler), which streams it into a staging folder
with a progress bar in the page (ui/app/app.js) and refuses an oversized file before
sending; the kernel then checks and moves the staged files here. Elsewhere (JupyterLab)
ipywidgets' FileUpload hands the bytes to the kernel.

`InboxPanel` lists an inbox: each file with what the last import did with it, and
"Hapus dari kotak masuk", which moves a file that keeps failing to data/disisihkan/<kind>/
(never deleted).
"""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import ipywidgets as w

from kebekerjaan.core.errors import describe_storage_error, storage_problem
from kebekerjaan.core.workspace import Workspace
from kebekerjaan.io.formatting import desimal
from kebekerjaan.io.tables import content_problem, inbox_suffixes, not_read_reason
from kebekerjaan.ui.feedback import Feedback, said, style_widget
from kebekerjaan.ui.widgets import button, buttons_row, close_whole

# The app server's staging folder for uploads (server.py sets it; kernels inherit it).
ENV_STAGING = "KEBEKERJAAN_UNGGAHAN"
# Where "Hapus dari kotak masuk" puts a file: data/disisihkan/<kind>/.
ASIDE = "disisihkan"
TOKEN = re.compile(r"[0-9a-f]{32}")


def megabytes(size: int) -> str:
    return f"{desimal(size / 1_000_000, 1)} MB"


def file_size(size: int) -> str:
    """A file's size as staff read it: "820 B", "14,2 KB", "3,4 MB" (never "0,0 MB")."""
    if size < 1_000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{desimal(size / 1_000, 1)} KB"
    return megabytes(size)


def max_upload_bytes(ws: Workspace) -> int:
    return int(ws.settings().aplikasi.max_upload_mb) * 1_000_000


@dataclass
class Outcome:
    """One picked file: saved (as `saved`) or refused (with `reason`)."""

    name: str
    saved: Path | None = None
    reason: str | None = None


def name_problem(name: str, suffixes: tuple[str, ...]) -> str | None:
    reason = not_read_reason(name, suffixes)
    if reason and Path(name).suffix.lower() not in suffixes and not name.startswith(("~$", ".")):
        kinds = ", ".join(suffixes)
        suffix = Path(name).suffix.lower()
        what = f"berkas {suffix}" if suffix else "berkas tanpa akhiran nama"
        return f"{what} tidak dibaca di sini; yang dibaca: {kinds}"
    return reason


def too_big(size: int, limit: int) -> str:
    return (f"terlalu besar ({megabytes(size)}; batas {megabytes(limit)}, diatur di "
            "[aplikasi] max_upload_mb kebekerjaan.toml). Salin berkas sebesar ini langsung ke "
            "folder masuk, atau bagi menjadi beberapa berkas")


def free_name(folder: Path, name: str) -> Path:
    """`name` in `folder`, or name-1, name-2... when taken: nothing is overwritten."""
    target = folder / name
    n = 1
    while target.exists():
        target = folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
        n += 1
    return target


def accept_files(folder: Path, items: Iterable[tuple[str, Path | bytes]], *,
                 suffixes: tuple[str, ...], limit: int) -> list[Outcome]:
    """Check each (name, staged file or bytes) and move or write the good ones into
    `folder`. A staged file is consumed either way."""
    out: list[Outcome] = []
    for raw_name, source in items:
        name = Path(str(raw_name).replace("\\", "/")).name
        size = source.stat().st_size if isinstance(source, Path) else len(source)
        reason = name_problem(name, suffixes) or (too_big(size, limit) if size > limit else None)
        staged = source if isinstance(source, Path) else None
        try:
            if reason is None and staged is None:
                fd, tmp = tempfile.mkstemp(prefix="kb-unggah-", suffix=Path(name).suffix)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(bytes(source))
                staged = Path(tmp)
            if reason is None:  # the staged file keeps the name's suffix: read as named
                reason = content_problem(staged, suffixes)
            if reason is None:
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                    target = free_name(folder, name)
                    shutil.move(str(staged), str(target))
                except OSError as exc:
                    if not storage_problem(exc):
                        raise
                    reason = describe_storage_error(exc, folder)
                else:
                    out.append(Outcome(name, saved=target))
                    continue
            out.append(Outcome(name, reason=reason))
        finally:
            if staged is not None and staged.exists():
                staged.unlink(missing_ok=True)
    return out


def outcome_html(outcomes: list[Outcome], next_hint: str = "") -> str:
    """What happened to each picked file, in a list."""
    saved = [o for o in outcomes if o.saved]
    refused = [o for o in outcomes if not o.saved]
    parts = []
    if saved:
        names = ", ".join(html.escape(o.saved.name) for o in saved)
        parts.append(said("ok", f"Disimpan ke folder masuk: {names}.", escape=False)
                     + (f" {html.escape(next_hint)}" if next_hint else ""))
    if refused:
        items = "".join(f"<li><b>{html.escape(o.name)}</b>: {html.escape(o.reason or '')}</li>"
                        for o in refused)
        head = said("galat", f"{len(refused)} berkas tidak disimpan:")
        parts.append(f"{head}<ul>{items}</ul>")
    if not outcomes:
        parts.append(said("galat", "Belum ada berkas yang dipilih."))
    return "".join(f"<div>{p}</div>" for p in parts)


class UploadForm:
    """Pick files for data/masuk/<kind>/: each saved or refused with its reason.

    `on_saved(paths)` runs after files were saved (e.g. to list the inbox again).
    """

    def __init__(self, ws: Workspace, kind: str, title: str, next_hint: str = "",
                 on_saved: Callable[[list[Path]], None] | None = None):
        self.ws, self.kind, self.next_hint, self.on_saved = ws, kind, next_hint, on_saved
        self.folder = ws.inbox(kind)
        self.suffixes = inbox_suffixes(kind)
        self.limit = max_upload_bytes(ws)
        self.status = Feedback()
        self.staging = os.environ.get(ENV_STAGING, "")
        kinds = ", ".join(self.suffixes)
        head = w.HTML(f"<b>{html.escape(title)}</b> ({kinds}, paling besar "
                      f"{megabytes(self.limit)}) ke <code>{html.escape(str(self.folder))}</code>")
        if self.staging and Path(self.staging).is_dir():
            self._browser_upload()
            controls = [self.picker, self.progress, self.report]
        else:
            self._widget_upload()
            controls = [buttons_row(self.picker, self.save)]
        self.box = w.VBox([style_widget(), head, *controls, self.status],
                          layout=w.Layout(max_width="100%"))
        self.box.add_class("kb-unggah")
        self.box.add_class(f"kb-unggah-{kind}")

    def _ipython_display_(self):
        from IPython.display import display

        display(self.box)

    # -- the app: the browser sends the files over HTTP (ui/app/app.js) ---------------------

    def _browser_upload(self) -> None:
        self.token = secrets.token_hex(16)
        field = f"kb-berkas-{self.token}"
        accept = ",".join(self.suffixes)
        # The label is the visible button; the input inside it is what a screen reader and
        # the page script use. app.js reads data-*; the kernel reads the report below.
        self.picker = w.HTML(
            f"<label class='kb-pilih' for='{field}'>Pilih berkas…"
            f"<input type='file' multiple class='kb-berkas' id='{field}' accept='{accept}' "
            f"data-token='{self.token}' data-max='{self.limit}' "
            f"data-batas='{html.escape(megabytes(self.limit))}'></label>")
        self.progress = w.HTML("<div class='kb-kemajuan' aria-live='polite'></div>")
        # app.js writes what it sent (and what it refused as too big) here as JSON.
        self.report = w.Text(layout=w.Layout(display="none"))
        self.report.add_class("kb-unggah-laporan")
        self.report.add_class(f"kb-laporan-{self.token}")
        self.report.observe(self._on_sent, names="value")

    def _on_sent(self, change) -> None:
        try:
            sent = json.loads(change["new"] or "{}")
        except ValueError:
            return
        if not sent:
            return
        folder = Path(self.staging) / self.token
        items: list[tuple[str, Path | bytes]] = []
        for name in sent.get("dikirim", []):
            staged = folder / Path(name).name
            if staged.is_file():
                items.append((name, staged))
        outcomes = accept_files(self.folder, items, suffixes=self.suffixes, limit=self.limit)
        for name in sent.get("dikirim", []):
            if not (folder / Path(name).name).exists() and name not in {n for n, _ in items}:
                outcomes.append(Outcome(name, reason="tidak sampai di server; coba lagi"))
        for item in sent.get("terlalu_besar", []):
            outcomes.append(Outcome(item.get("name", "?"), reason=too_big(int(item.get("size", 0)),
                                                                           self.limit)))
        for item in sent.get("gagal", []):
            outcomes.append(Outcome(item.get("name", "?"),
                                    reason=f"pengiriman gagal: {item.get('why', '')}"))
        shutil.rmtree(folder, ignore_errors=True)
        # The page script wrote its progress into this box; checked now, so it goes (a new
        # value, or the browser would keep what the script wrote).
        self.progress.value = (f"<div class='kb-kemajuan' aria-live='polite' "
                               f"data-selesai='{sent.get('id', '')}'></div>")
        self._done(outcomes)

    # -- JupyterLab: the bytes come through the widget -------------------------------------

    def _widget_upload(self) -> None:
        # No `accept` filter: a file of another type is named and refused, not hidden.
        self.picker = w.FileUpload(multiple=True, description="Pilih berkas",
                                   button_style="info", layout=w.Layout(width="auto"))
        self.save = button("Simpan ke folder masuk", icon="save")
        self.save.on_click(self._on_save)

    def _on_save(self, _=None) -> None:
        items = [(item["name"], bytes(item["content"])) for item in self.picker.value]
        outcomes = accept_files(self.folder, items, suffixes=self.suffixes, limit=self.limit)
        self.picker.value = ()
        self._done(outcomes)

    def _done(self, outcomes: list[Outcome]) -> None:
        self.outcomes = outcomes
        self.status.show(outcome_html(outcomes, self.next_hint))
        saved = [o.saved for o in outcomes if o.saved]
        if saved and self.on_saved:
            self.on_saved(saved)


def alumni_upload(ws: Workspace, next_hint: str = "Jalankan sel berikutnya untuk mengimpor.",
                  on_saved=None):
    """A file picker for SIAPkerja exports into data/masuk/alumni/ (ui/uploads.UploadForm)."""
    return inbox_upload(ws, "alumni", "Tambah ekspor SIAPkerja", next_hint, on_saved)


def inbox_upload(ws: Workspace, kind: str, title: str, next_hint: str = "", on_saved=None):
    """A file picker for data/masuk/<kind>/: each picked file saved or refused with its reason.

    `on_saved(paths)` runs after files were saved (e.g. to list the new file's columns).
    """
    return UploadForm(ws, kind, title, next_hint, on_saved)


# --- the inbox as staff see it ------------------------------------------------------------


@dataclass
class InboxFile:
    path: Path
    state: str  # baru | diimpor | gagal | tidak-dibaca
    said: str   # what the last import did with it, in Indonesian


def inbox_state(ws: Workspace, kind: str) -> list[InboxFile]:
    """Every file of an inbox with what the last import did with it (newest log entry)."""
    from kebekerjaan.core import store
    from kebekerjaan.io.tables import inbox_files

    readable, unread = inbox_files(ws.inbox(kind), inbox_suffixes(kind))
    out = [InboxFile(p, "tidak-dibaca", f"tidak dibaca: {why}") for p, why in unread]
    if not readable:
        return sorted(out, key=lambda f: f.path.name)
    con = store.connect(ws.store_path)
    try:
        for path in readable:
            row = con.execute(
                "SELECT status, message, imported_at, rows_read, new, updated, rejected "
                "FROM import_log WHERE kind = ? AND sha256 = ? ORDER BY id DESC LIMIT 1",
                (kind, store.sha256_file(path))).fetchone()
            if row is None:
                out.append(InboxFile(path, "baru", "belum diimpor: dibaca pada impor berikutnya"))
            elif row["status"] == "ok":
                out.append(InboxFile(path, "diimpor", f"sudah diimpor {_when(row['imported_at'])}"
                                                      f" ({row['rows_read']} baris dibaca)"))
            else:
                out.append(InboxFile(path, "gagal", f"gagal dibaca {_when(row['imported_at'])}: "
                                                    f"{row['message'] or 'tanpa keterangan'}. "
                                                    "Dicoba lagi pada setiap impor"))
    finally:
        con.close()
    return out


def _when(stamp: str | None) -> str:
    try:
        return f"{datetime.fromisoformat(str(stamp)):%d-%m-%Y %H.%M}"
    except ValueError:
        return str(stamp or "")


def set_aside(ws: Workspace, kind: str, path: Path) -> Path:
    """Move a file out of the inbox to data/disisihkan/<kind>/ (kept, never deleted)."""
    from kebekerjaan.core.errors import KebekerjaanError
    from kebekerjaan.core.lock import WorkspaceLock

    inbox = ws.inbox(kind).resolve()
    path = Path(path).resolve()
    if not path.is_relative_to(inbox) or not path.is_file():
        raise KebekerjaanError(f"Berkas {path.name} tidak ada lagi di folder masuk.")
    lock = WorkspaceLock(ws.data)
    if not lock.try_acquire():
        raise KebekerjaanError("Sebuah proses sedang berjalan dan mungkin sedang membaca folder "
                               "masuk; coba lagi setelah proses selesai.")
    try:
        folder = ws.data / ASIDE / kind
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target = free_name(folder, path.name)
            shutil.move(str(path), str(target))
        except OSError as exc:
            if not storage_problem(exc):
                raise
            raise KebekerjaanError(describe_storage_error(
                exc, folder, before=f"{path.name} tidak dapat dipindahkan")) from None
    finally:
        lock.release()
    return target


class InboxPanel:
    """The files of data/masuk/<kind>/, each with what the last import did with it and a
    button to move it aside. `refresh()` reads the folder again (after an upload or a run)."""

    LABELS = {"baru": "menunggu", "diimpor": "selesai", "gagal": "gagal", "tidak-dibaca": "diabaikan"}

    def __init__(self, ws: Workspace, kind: str, title: str = ""):
        self.ws, self.kind = ws, kind
        self.title = title or f"Isi folder masuk {kind}"
        self.list = w.VBox(layout=w.Layout(max_width="100%"))
        self.message = Feedback()
        self.box = w.VBox([w.HTML(f"<h3>{html.escape(self.title)}</h3>"), self.list, self.message],
                          layout=w.Layout(max_width="100%"))
        self.box.add_class("kb-kotak-masuk")
        self.box.refresh = self.refresh  # a kept page refreshes its lists when shown again
        self._seen: list | None = None
        self.refresh()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.box)

    def refresh(self, *_) -> None:
        files = inbox_state(self.ws, self.kind)
        # Shown again unchanged (a page revisited): keep the rows, the browser draws nothing.
        seen = [(f.path, f.state, f.said, f.path.stat().st_size) for f in files]
        if seen == self._seen:
            return
        self._seen = seen
        old = list(self.list.children)
        if not files:
            self.list.children = [w.HTML(f"<p><i>Folder masuk "
                                         f"<code>{html.escape(str(self.ws.inbox(self.kind)))}</code> "
                                         "kosong.</i></p>")]
        else:
            self.list.children = [self._row(f) for f in files]
        for widget in old:
            close_whole(widget)

    def _row(self, f: InboxFile) -> w.Widget:
        tone = {"gagal": "galat", "tidak-dibaca": "peringatan", "diimpor": "ok"}.get(f.state, "redup")
        rel = f.path.relative_to(self.ws.inbox(self.kind))
        text = w.HTML(f"<b>{html.escape(str(rel))}</b> "
                      f"<small class='kb-redup'>({file_size(f.path.stat().st_size)})</small><br>"
                      + said(tone, f.said), layout=w.Layout(flex="1 1 20em", max_width="100%"))
        remove = button("Hapus dari kotak masuk", icon="archive")
        remove.tooltip = f"Pindahkan {rel} ke data/{ASIDE}/{self.kind}/ (tidak dihapus)"
        remove.on_click(lambda _b, path=f.path: self._aside(path))
        row = w.HBox([text, remove], layout=w.Layout(flex_flow="row wrap", align_items="flex-start",
                                                     margin="0 0 .5em 0", max_width="100%"))
        row.add_class("kb-berkas-masuk")
        return row

    def _aside(self, path: Path) -> None:
        from kebekerjaan.core.errors import KebekerjaanError

        try:
            target = set_aside(self.ws, self.kind, path)
        except KebekerjaanError as exc:
            self.message.error(str(exc))
            return
        self.message.ok(f"{path.name} dipindahkan ke {target.relative_to(self.ws.root)} "
                        "(tidak dihapus; kembalikan ke folder masuk bila perlu).")
        self.refresh()

