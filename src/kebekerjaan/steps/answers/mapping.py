"""Teach the workbook a form's headers: pick the field of each unrecognised column.

`unrecognised_headers` lists, for every form export in `data/masuk/respons/` not yet
imported (new, or refused), the headers no field was matched to (kebekerjaan.io.headers):
columns holding data that were not used, and headers several fields compete for.
`add_aliases` writes the chosen headers as aliases into the workspace's kebekerjaan.toml
([columns.respons]), keeping every other line and comment of the file (tomlkit), so the
next run reads the file.
The form around both (notebook 07 and the staff app) is kebekerjaan.ui.mapping.ColumnMappingForm.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kebekerjaan.core import store
from kebekerjaan.core.config import edit_config
from kebekerjaan.core.errors import InputFileError, KebekerjaanError
from kebekerjaan.core.workspace import Workspace
from kebekerjaan.io.headers import FieldNames
from kebekerjaan.io.tables import input_files, read_header

__all__ = ["HeaderChoice", "add_aliases", "field_choices", "unrecognised_headers"]

KIND = "respons"
SKIP = ""  # the choice "leave this column out"


@dataclass(frozen=True)
class HeaderChoice:
    file: str
    position: int  # 0-based
    header: str
    candidates: tuple[str, ...]  # fields the header resembles (may be empty)
    note: str = ""
    samples: tuple[str, ...] = ()  # a few values of the column, as the file has them


def _names(ws: Workspace, kind: str = KIND) -> FieldNames:
    from kebekerjaan.steps.answers.forms import question_texts

    settings = ws.settings()
    return FieldNames(settings.columns[kind], question_texts() if kind == KIND else None)


def field_choices(ws: Workspace, kind: str = KIND) -> list[tuple[str, str]]:
    """(label, field) of every field a header may be mapped to, as staff know them: a
    question by its staff label (kuesioner.toml), any other field by its first alias."""
    from kebekerjaan.rules.questionnaire import load_questionnaire

    names = _names(ws, kind)
    q = load_questionnaire() if kind == KIND else None
    out = []
    for f in names.fields:
        if q is not None and f in q:
            label = q[f].staff_label()
        else:
            label = next(iter(names.names(f)), f)
        out.append((label, f))
    return out


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
                header, resolution, samples = read_header(
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
                out.append(HeaderChoice(path.name, u.position, u.header, u.rivals, u.note,
                                        tuple(samples.get(u.position, ()))))
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

