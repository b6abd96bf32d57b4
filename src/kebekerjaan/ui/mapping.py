"""The column-mapping form (notebook 07, the app's "Kolom formulir" page): for each header
of a new form export the workbook did not recognise, staff pick the field it holds, seeing
a few of the column's values; the choices are saved as aliases in kebekerjaan.toml
(steps/answers/mapping.add_aliases).
"""

from __future__ import annotations

import html

import ipywidgets as w

from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.core.workspace import Workspace
from kebekerjaan.steps.answers.mapping import (
    SKIP,
    HeaderChoice,
    add_aliases,
    field_choices,
    unrecognised_headers,
)
from kebekerjaan.ui.feedback import Feedback, style_widget
from kebekerjaan.ui.widgets import Field, button


def _help(choice: HeaderChoice, labels: dict[str, str]) -> str:
    parts = []
    if choice.samples:
        parts.append("Contoh isi: " + "; ".join(f"“{v}”" for v in choice.samples))
    if choice.candidates:
        parts.append("mirip: " + ", ".join(labels.get(c, c) for c in choice.candidates))
    elif choice.note:
        parts.append(choice.note)
    return ". ".join(parts)


class ColumnMappingForm:
    """Pick the field of each unrecognised header, then save the aliases."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        self.headers = unrecognised_headers(ws)
        choices = field_choices(ws)
        labels = {f: label for label, f in choices}
        options = [("(jangan dipakai)", SKIP), *sorted(choices)]
        self.pickers: list[tuple[HeaderChoice, w.Dropdown]] = []
        rows = []
        for choice in self.headers:
            guess = choice.candidates[0] if len(choice.candidates) == 1 else SKIP
            picker = w.Dropdown(options=options, value=guess)
            self.pickers.append((choice, picker))
            # The label names the column as the file does; the help shows what it holds.
            row = Field(f"“{choice.header}” (kolom {choice.position + 1} di {choice.file})", picker,
                        help=_help(choice, labels))
            row.box.add_class("kb-kolom")
            rows.append(row.box)
        self.save = button("Simpan ke kebekerjaan.toml", style="success", icon="save")
        self.save.disabled = not self.headers
        self.message = Feedback()
        if not self.headers:
            self.message.hint("Semua judul kolom berkas formulir yang belum diimpor sudah dikenali.")
        self.save.on_click(self._on_save)
        self.box = w.VBox([
            style_widget(),
            w.HTML("<h3>Judul kolom formulir yang belum dikenali</h3><p>Untuk setiap judul, pilih "
                   "isian yang dimuatnya (lihat contoh isinya), lalu simpan. Judul itu dicatat "
                   f"sebagai nama lain isian itu di <code>{html.escape(str(ws.config_path))}</code>, "
                   "sehingga proses berikutnya membaca berkasnya.</p>"),
            *rows, self.save, self.message,
        ], layout=w.Layout(max_width="100%"))
        self.box.add_class("kb-pemetaan")

    def chosen(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for choice, picker in self.pickers:
            if picker.value != SKIP:
                out.setdefault(picker.value, []).append(choice.header)
        return out

    def _on_save(self, _=None) -> None:
        chosen = self.chosen()
        if not chosen:
            self.message.error("Belum ada judul yang dipilih isiannya.")
            return
        try:
            path = add_aliases(self.ws, chosen)
        except KebekerjaanError as exc:
            self.message.error(str(exc))
            return
        labels = {f: label for label, f in field_choices(self.ws)}
        listed = "; ".join(f"{labels.get(f, f)}: {', '.join(h)}" for f, h in chosen.items())
        self.message.ok(f"Disimpan di {path}: {listed}. Berkasnya diimpor pada langkah 7 "
                        "berikutnya (halaman Jalankan langkah, notebook 07, atau proses terjadwal).")

    def _ipython_display_(self):
        from IPython.display import display

        display(self.box)

