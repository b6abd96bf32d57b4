"""Teach the workbook a form's headers: pick the field of each unrecognised column.

`unrecognised_headers` lists, for every form export in `data/masuk/respons/` not yet
imported (new, or refused), the headers no field was matched to (kebekerjaan.io.headers):
columns holding data that were not used, and headers several fields compete for.
`add_aliases` writes the chosen headers as aliases into the workspace's kebekerjaan.toml
([columns.respons]), keeping every other line and comment of the file (tomlkit), so the
next run reads the file.
ColumnMappingForm is the JupyterLab form around both (notebook 07).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from kebekerjaan.core import store
from kebekerjaan.core.config import edit_config
from kebekerjaan.core.errors import InputFileError, KebekerjaanError
from kebekerjaan.core.workspace import Workspace
from kebekerjaan.io.headers import FieldNames
from kebekerjaan.io.tables import input_files, read_header

__all__ = ["ColumnMappingForm", "HeaderChoice", "add_aliases", "field_choices",
           "unrecognised_headers"]

KIND = "respons"
SKIP = ""  # the choice "leave this column out"


@dataclass(frozen=True)
class HeaderChoice:
    file: str
    position: int  # 0-based
    header: str
    candidates: tuple[str, ...]  # fields the header resembles (may be empty)
    note: str = ""


def _names(ws: Workspace, kind: str = KIND) -> FieldNames:
    from kebekerjaan.steps.answers.forms import question_texts

    settings = ws.settings()
    return FieldNames(settings.columns[kind], question_texts() if kind == KIND else None)


def field_choices(ws: Workspace, kind: str = KIND) -> list[tuple[str, str]]:
    """(label, field) of every field a header may be mapped to, as staff know them."""
    names = _names(ws, kind)
    return [(names.label(f), f) for f in names.fields]


def unrecognised_headers(ws: Workspace, kind: str = KIND) -> list[HeaderChoice]:
    """Headers no field was read from, file by file, of the inbox files the next run
    will read (an imported file is not read again, so its headers are not offered)."""
    from kebekerjaan.steps.answers.forms import question_texts

    settings = ws.settings()
    questions = question_texts() if kind == KIND else None
    out: list[HeaderChoice] = []
    con = store.connect(ws.store_path)
    try:
        for path in input_files(ws.inbox(kind)):
            if store.already_imported(con, kind, store.sha256_file(path)):
                continue
            try:
                header, resolution = read_header(
                    path, settings.columns[kind], questions=questions,
                    search_rows=settings.intake.header_search_rows)
            except InputFileError:
                continue  # a file that cannot be read at all has no headers to map
            used = {u.position for u in resolution.used.values()}
            seen: set[int] = set()
            for u in [*resolution.unclear, *resolution.unused]:
                if u.position in used or u.position in seen or not u.header:
                    continue
                seen.add(u.position)
                out.append(HeaderChoice(path.name, u.position, u.header, u.rivals, u.note))
    finally:
        con.close()
    return out


def add_aliases(ws: Workspace, chosen: dict[str, list[str]], kind: str = KIND) -> Path:
    """Add headers as aliases of their fields ({field: [header, ...]}) to the workspace's
    kebekerjaan.toml, keeping the rest of the file as it is. A field not yet listed in
    the file starts from its current aliases (a list in the file replaces the default).
    Raises ConfigError if the result would not load; the file is then left unchanged."""
    import tomlkit

    settings = ws.settings()
    known = set(settings.columns[kind]) | set(_names(ws, kind).fields)
    unknown = sorted(set(chosen) - known)
    if unknown:
        raise KebekerjaanError(f"isian tidak dikenal: {', '.join(unknown)}")

    def add(doc):
        if "columns" not in doc:
            doc["columns"] = tomlkit.table(is_super_table=True)
        if kind not in doc["columns"]:
            doc["columns"][kind] = tomlkit.table()
        table = doc["columns"][kind]
        for fld, headers in chosen.items():
            current = table.get(fld)
            if current is None:
                current = tomlkit.array()
                current.extend(settings.columns[kind].get(fld, ()))
                table[fld] = current
            present = {str(a).casefold() for a in current}
            for header in headers:
                if header.casefold() not in present:
                    current.append(header)
                    present.add(header.casefold())

    # A byte-order mark (Notepad) and a read-only file are handled there, in Indonesian.
    return edit_config(ws.config_path, add)


class ColumnMappingForm:
    """Pick the field of each unrecognised header, then save the aliases (JupyterLab)."""

    def __init__(self, ws: Workspace):
        import ipywidgets as w

        self.ws = ws
        self.headers = unrecognised_headers(ws)
        options = [("(jangan dipakai)", SKIP), *field_choices(ws)]
        self.pickers: list[tuple[HeaderChoice, w.Dropdown]] = []
        rows = []
        for choice in self.headers:
            guess = choice.candidates[0] if len(choice.candidates) == 1 else SKIP
            picker = w.Dropdown(options=options, value=guess, layout=w.Layout(width="28em"))
            self.pickers.append((choice, picker))
            hint = (f"mirip: {', '.join(choice.candidates)}" if choice.candidates
                    else html.escape(choice.note))
            rows.append(w.HBox([
                w.HTML(f"<code>{html.escape(choice.file)}</code> kolom {choice.position + 1}: "
                       f"<b>{html.escape(choice.header)}</b><br><small>{hint}</small>",
                       layout=w.Layout(width="30em")),
                picker,
            ]))
        self.save = w.Button(description="Simpan ke kebekerjaan.toml", button_style="success",
                             icon="save", disabled=not self.headers)
        self.message = w.HTML("" if self.headers else
                              "Semua judul kolom berkas formulir yang belum diimpor sudah dikenali.")
        self.save.on_click(self._on_save)
        self.box = w.VBox([
            w.HTML("<b>Judul kolom formulir yang belum dikenali</b>: pilih isian untuk setiap "
                   "judul, lalu simpan. Judul itu dicatat sebagai alias di "
                   f"<code>{html.escape(str(ws.config_path))}</code>, sehingga proses "
                   "berikutnya membaca berkasnya."),
            *rows, self.save, self.message,
        ])

    def chosen(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for choice, picker in self.pickers:
            if picker.value != SKIP:
                out.setdefault(picker.value, []).append(choice.header)
        return out

    def _on_save(self, _=None) -> None:
        chosen = self.chosen()
        if not chosen:
            self.message.value = "Belum ada judul yang dipilih isiannya."
            return
        try:
            path = add_aliases(self.ws, chosen)
        except KebekerjaanError as exc:
            self.message.value = f"<span style='color:#b42318'>✖ {html.escape(str(exc))}</span>"
            return
        listed = "; ".join(f"{f}: {', '.join(h)}" for f, h in chosen.items())
        self.message.value = (f"<span style='color:#1a7f37'>✔ Disimpan di {html.escape(str(path))}: "
                              f"{html.escape(listed)}. Berkasnya diimpor pada langkah 7 berikutnya (halaman "
                              "Jalankan langkah, notebook 07, atau proses terjadwal).</span>")

    def _ipython_display_(self):
        from IPython.display import display

        display(self.box)
