"""ipywidgets forms for what staff do by hand in JupyterLab (never used under papermill)."""

from __future__ import annotations

import html
from pathlib import Path

from kebekerjaan.tables import SUFFIXES, is_input_name
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


def vacancy_form(ws: Workspace, today=None):
    """A form to add one vacancy; it is validated and saved by gather_vacancies.add_vacancy.

    The returned box carries `fields` (name -> widget), `save` (the button) and `status`.
    """
    import ipywidgets as w

    from kebekerjaan.errors import KebekerjaanError
    from kebekerjaan.steps.gather_vacancies import add_vacancy

    wide = w.Layout(width="520px")
    style = {"description_width": "150px"}

    def text(label, placeholder=""):
        return w.Text(description=label, placeholder=placeholder, layout=wide, style=style)

    fields = {
        "company": text("Perusahaan *"),
        "position": text("Jabatan *"),
        "kejuruan": w.SelectMultiple(options=[k.name for k in ws.settings().kejuruan],
                                     description="Kejuruan *", rows=6, layout=wide, style=style),
        "location": text("Lokasi kerja", "mis. Kendari"),
        "min_education": text("Pendidikan minimal", "mis. SMK"),
        "openings": text("Jumlah dibutuhkan", "mis. 3"),
        "deadline": text("Batas lamaran", "HH-BB-TTTT, mis. 31-12-2026; kosong: sampai terpenuhi"),
        "how_to_apply": w.Textarea(description="Cara melamar", layout=wide, style=style,
                                   placeholder="alamat email, nomor WA, tautan pendaftaran"),
        "source": text("Sumber", "mis. kunjungan perusahaan"),
        "entered_by": text("Dicatat oleh *", "nama petugas"),
    }
    save = w.Button(description="Simpan lowongan", icon="save", button_style="primary")
    status = w.HTML()

    def _save(_):
        values = {k: v.value for k, v in fields.items()}
        values["kejuruan"] = list(values["kejuruan"])
        try:
            vacancy_id = add_vacancy(ws, **values, today=today)
        except KebekerjaanError as exc:
            status.value = f"<span style='color:#a00'>{html.escape(str(exc))}</span>"
            return
        status.value = html.escape(f"Lowongan nomor {vacancy_id} disimpan: {values['position']} "
                                   f"— {values['company']}.")
        for name, widget in fields.items():
            if name != "entered_by":  # the same person usually types several
                widget.value = () if name == "kejuruan" else ""

    save.on_click(_save)
    box = w.VBox([w.HTML("<b>Tambah lowongan</b> (isian bertanda * wajib)"), *fields.values(),
                  save, status])
    box.fields, box.save, box.status = fields, save, status
    return box


def close_vacancy_form(ws: Workspace, today=None):
    """A form to close an open vacancy early (filled, withdrawn), with a reason.

    The returned box carries `fields` (vacancy, reason, closed_by), `save` and `status`.
    """
    from datetime import date

    import ipywidgets as w

    from kebekerjaan.errors import KebekerjaanError
    from kebekerjaan.steps.gather_vacancies import close_vacancy, open_vacancies

    day = today or date.today()
    wide = w.Layout(width="620px")
    style = {"description_width": "150px"}

    def options():
        frame = open_vacancies(ws, day)
        return [(f"{r.id}. {r.position} — {r.company}"
                 + (f" (s.d. {date.fromisoformat(r.deadline):%d-%m-%Y})" if r.deadline else ""), r.id)
                for r in frame.itertuples()]

    fields = {
        "vacancy": w.Dropdown(options=options(), value=None, description="Lowongan *",
                              layout=wide, style=style),
        "reason": w.Text(description="Alasan *", placeholder="mis. sudah terisi", layout=wide,
                         style=style),
        "closed_by": w.Text(description="Ditutup oleh", placeholder="nama petugas", layout=wide,
                            style=style),
    }
    save = w.Button(description="Tutup lowongan", icon="times", button_style="warning")
    status = w.HTML()

    def _save(_):
        if fields["vacancy"].value is None:
            status.value = "Pilih lowongan yang akan ditutup."
            return
        try:
            close_vacancy(ws, fields["vacancy"].value, fields["reason"].value, on=day,
                          closed_by=fields["closed_by"].value)
        except KebekerjaanError as exc:
            status.value = f"<span style='color:#a00'>{html.escape(str(exc))}</span>"
            return
        status.value = f"Lowongan nomor {fields['vacancy'].value} ditutup."
        fields["vacancy"].options = options()
        fields["vacancy"].value = None
        fields["reason"].value = ""

    save.on_click(_save)
    box = w.VBox([w.HTML("<b>Tutup lowongan</b> sebelum batas lamarannya (mis. sudah terisi)"),
                  *fields.values(), save, status])
    box.fields, box.save, box.status = fields, save, status
    return box
