"""ipywidgets forms for what staff do by hand in JupyterLab (never used under papermill)."""

from __future__ import annotations

import html
from pathlib import Path

from kebekerjaan.tables import SUFFIXES
from kebekerjaan.workspace import Workspace


def alumni_upload(ws: Workspace):
    """A file picker that copies SIAPkerja exports into data/masuk/alumni/."""
    import ipywidgets as w

    picker = w.FileUpload(accept=",".join(SUFFIXES), multiple=True,
                          description="Pilih berkas", button_style="info")
    save = w.Button(description="Simpan ke folder masuk", icon="save")
    status = w.HTML()

    def _save(_):
        saved = save_uploads(ws.inbox("alumni"), picker.value)
        if not saved:
            status.value = "Belum ada berkas .xlsx, .xls atau .csv yang dipilih."
            return
        names = ", ".join(html.escape(p.name) for p in saved)
        status.value = f"Disimpan: {names}. Jalankan sel berikutnya untuk mengimpor."
        picker.value = ()

    save.on_click(_save)
    label = w.HTML(
        f"<b>Tambah ekspor SIAPkerja</b> (.xlsx, .xls, .csv) ke <code>{ws.inbox('alumni')}</code>"
    )
    return w.VBox([label, w.HBox([picker, save]), status])


def save_uploads(folder: Path, uploads) -> list[Path]:
    """Write FileUpload values into `folder`, never overwriting an existing file."""
    saved = []
    folder.mkdir(parents=True, exist_ok=True)
    for item in uploads:
        name = Path(item["name"]).name
        if Path(name).suffix.lower() not in SUFFIXES:
            continue
        target = folder / name
        n = 1
        while target.exists():
            target = folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
            n += 1
        target.write_bytes(bytes(item["content"]))
        saved.append(target)
    return saved
