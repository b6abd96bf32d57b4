"""A run as staff read it: the steps as a checklist, each with what it did in words, and
the files it wrote by what they are for (rules/labels.labelled_outputs, the list the CLI
prints too), each a link.
"""

from __future__ import annotations

import html
import json
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

from kebekerjaan.core.order import order_note
from kebekerjaan.core.workspace import Workspace
from kebekerjaan.io.intake import describe_import
from kebekerjaan.rules.labels import OUTPUT_GROUPS, count_label, labelled_outputs
from kebekerjaan.ui.app.server import FILES_PREFIX, SERVED_SUFFIXES
from kebekerjaan.ui.feedback import said

# A step's state on the checklist: (mark, words).
STATES = {"menunggu": ("○", "menunggu"), "berjalan": ("▶", "sedang berjalan…"),
          "berhasil": ("✔", "selesai"), "gagal": ("✖", "gagal"), "tidak dijalankan":
          ("–", "tidak dijalankan (langkah sebelumnya gagal)")}
TONE_OF_STATE = {"berhasil": "ok", "gagal": "galat", "berjalan": "redup", "menunggu": "redup",
                 "tidak dijalankan": "redup"}


def step_title(notebook: str) -> str:
    """'08_rekap_kebekerjaan(.ipynb)' -> '8. Rekap kebekerjaan'."""
    stem = Path(notebook).stem
    number, _, words = stem.partition("_")
    words = words.replace("_", " ")
    return f"{int(number)}. {words[:1].upper()}{words[1:]}" if number.isdigit() else stem


def file_url(ws: Workspace, path: Path) -> str | None:
    """Where the browser opens a file of a run (None for what the app does not serve)."""
    try:
        rel = Path(path).resolve().relative_to(ws.outputs.resolve())
    except ValueError:
        return None
    if rel.suffix.lower() not in SERVED_SUFFIXES or any(p.startswith(".") for p in rel.parts):
        return None
    return FILES_PREFIX + quote(rel.as_posix())


def _n(counts: dict, key: str) -> int:
    return int(counts.get(key) or 0)


def _has(counts: dict, *keys: str) -> bool:
    return all(k in counts for k in keys)


def step_sentences(entry: dict) -> list[tuple[str, str]]:
    """What one step did, as (tone, HTML) lines: imports say files and rows, the other
    steps their own result; a count without words of its own is listed as the CLI does."""
    counts = {k: v for k, v in (entry.get("counts") or {}).items() if isinstance(v, int)}
    inputs = entry.get("inputs") or []
    step = int(entry.get("step", 0))
    esc = html.escape
    out: list[tuple[str, str]] = []

    def imported(noun: str, prefix: str = "") -> None:
        out.extend((tone, esc(text))
                   for tone, text in describe_import(counts, inputs, noun=noun, prefix=prefix))

    if step == 1 and _has(counts, "files_imported"):
        imported("baris data alumni")
    elif step == 2 and _has(counts, "files_imported"):
        imported("baris lowongan")
    elif step == 3 and _has(counts, "open_vacancies"):
        out.append(("ok", esc(
            f"{_n(counts, 'open_vacancies')} lowongan dibagikan: pesan untuk "
            f"{_n(counts, 'kejuruan')} grup WA kejuruan, {_n(counts, 'posters')} poster, daftar "
            f"kirim pribadi untuk {_n(counts, 'recipients')} alumni.")))
    elif step in (4, 5) and _has(counts, "listed", "due"):
        what = "undangan survei" if step == 4 else "pengingat survei"
        out.append(("ok", esc(f"{_n(counts, 'listed')} alumni masuk daftar {what} (dari "
                              f"{_n(counts, 'due')} yang perlu dikirimi).")))
        if _n(counts, "no_phone"):
            out.append(("peringatan", esc(f"{_n(counts, 'no_phone')} alumni tanpa nomor WA: "
                                          "hubungi dengan cara lain (lihat daftarnya).")))
        if step == 5 and _n(counts, "blast_files_imported") + _n(counts, "blast_files_failed"):
            out.append(("redup", "Laporan kirim aplikasi blast:"))
            imported("baris laporan blast", prefix="blast_")
    elif step == 6 and "answers_in_period" in counts:
        out.append(("ok", esc(f"{_n(counts, 'answers_in_period')} jawaban dicatat petugas pada "
                              "caturwulan ini.")))
    elif step == 7 and _has(counts, "answers", "matched", "to_review"):
        imported("baris jawaban")
        review = _n(counts, "to_review")
        out.append(("peringatan" if review else "ok", esc(
            f"{_n(counts, 'answers')} jawaban tersimpan: {_n(counts, 'matched')} cocok dengan "
            f"alumni, {review} perlu ditinjau, {_n(counts, 'unmatched')} tidak cocok.")
            + (" <a href='?halaman=tinjauan'>Buka Tinjauan jawaban</a>" if review else "")))
    elif step == 8 and _has(counts, "in_scope", "responded"):
        out.append(("ok", esc(
            f"{_n(counts, 'in_scope')} alumni pada periode ini: {_n(counts, 'responded')} "
            f"merespons, {_n(counts, 'employed')} bekerja/berwirausaha, "
            f"{_n(counts, 'refused')} menolak disurvei.")))
    elif step == 9 and _has(counts, "alumni", "merespons"):
        out.append(("ok", esc(f"Laporan ditulis: {_n(counts, 'alumni')} alumni, "
                              f"{_n(counts, 'merespons')} merespons, "
                              f"{_n(counts, 'bekerja_wirausaha')} bekerja/berwirausaha.")))
    elif counts:
        out.append(("redup", esc(" · ".join(f"{count_label(k)} {v}" for k, v in counts.items()))))
    if entry.get("error"):
        out.append(("galat", esc(str(entry["error"]))))
    return out


def step_item(title: str, state: str, lines: list[tuple[str, str]]) -> str:
    mark, words = STATES.get(state, ("•", state))
    tone = TONE_OF_STATE.get(state, "redup")
    # A step that ran but left something for staff (a file refused) is not plain green.
    if state == "berhasil" and any(t in ("galat", "peringatan") for t, _ in lines):
        tone, words = "peringatan", "selesai, dengan catatan"
    body = "".join(f"<div>{said(t, text, escape=False)}</div>" for t, text in lines)
    return (f"<li class='kb-langkah kb-langkah-{state.replace(' ', '-')}'>"
            f"<span class='kb-{tone}'><span class='kb-tanda' aria-hidden='true'>{mark}</span>"
            f"<b>{html.escape(title)}</b>: {html.escape(words)}</span>{body}</li>")


def checklist_html(items: list[tuple[str, str, list[tuple[str, str]]]]) -> str:
    return "<ol class='kb-ceklis'>" + "".join(step_item(*item) for item in items) + "</ol>"


def files_html(ws: Workspace, run_dir: Path, outputs: list[str]) -> str:
    """The files of a run grouped by what they are for, each a link."""
    shown = labelled_outputs([Path(run_dir) / p for p in outputs])
    parts, group = [], None
    for kind, label, path in shown:
        url = file_url(ws, path)
        if url is None:
            continue
        if kind != group:
            if group is not None:
                parts.append("</ul>")
            group = kind
            parts.append(f"<p><b>{html.escape(OUTPUT_GROUPS[kind])}</b></p><ul class='kb-berkas'>")
        parts.append(f"<li><a href='{url}' target='_blank' rel='noopener'>{html.escape(label)}</a>"
                     f" <small class='kb-redup'>({html.escape(path.name)})</small></li>")
    if group is not None:
        parts.append("</ul>")
    return "".join(parts)


def read_manifest(manifest: Path) -> dict:
    try:
        return json.loads(Path(manifest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def run_html(ws: Workspace, manifest: Path, *, head: bool = True) -> str:
    """One run as staff read it: how it ended, each step with its result, then its files."""
    data = read_manifest(manifest)
    run_dir = Path(manifest).parent
    run_id = data.get("run_id", run_dir.name)
    steps = data.get("steps", [])
    items = [(step_title(s.get("notebook") or f"{int(s.get('step', 0)):02d}_langkah"),
              s.get("status", ""), step_sentences(s)) for s in steps]
    ran = {int(s.get("step", 0)) for s in steps}
    for number in data.get("parameters", {}).get("steps", []):
        if number not in ran:
            items.append((f"Langkah {number}", "tidak dijalankan", []))
    ok = data.get("status") == "berhasil"
    notes = any(t in ("galat", "peringatan") for _, _, lines in items for t, _ in lines)
    if not head:
        top = ""
    elif ok and notes:
        top = said("peringatan", f"Proses {run_id} selesai, tetapi ada yang perlu Anda lihat "
                                 "(ditandai di bawah).")
    elif ok:
        top = said("ok", f"Proses {run_id} selesai.")
    elif data.get("status") == "berjalan":
        top = said("redup", f"Proses {run_id} sedang berjalan atau terhenti.")
    else:
        top = said("galat", f"Proses {run_id} gagal; basis data: "
                   + (data.get("restore_error") or data.get("recovery")
                      or "dikembalikan ke keadaan sebelum proses."))
    files = files_html(ws, run_dir, data.get("outputs", []))
    # what came back is read before anyone is messaged: say so when steps ran out of number order
    order = order_note(data.get("parameters", {}).get("order", []))
    # Outputs that could not be made (the PDF report): the data are kept; say how to redo it.
    problems = "".join(f"<li>{html.escape(p)}</li>" for p in data.get("output_problems", []))
    if problems:
        again = (f"<p>Setelah masalahnya diatasi, buat laporannya lagi dengan: "
                 f"<code>{html.escape(data['rerender'])}</code></p>" if data.get("rerender") else "")
        kept = said("peringatan", "Data proses ini sudah tersimpan, tetapi ada hasil yang belum dibuat:")
        problems = f"<p>{kept}</p><ul>{problems}</ul>{again}"
    return ((f"<p>{top}</p>" if top else "") + problems
            + (f"<p class='kb-catatan'>{html.escape(order)}</p>" if order else "")
            + checklist_html(items)
            + (f"<div class='kb-hasil'>{files}</div>" if files else ""))


def runs(ws: Workspace, limit: int = 10) -> list[Path]:
    """manifest.json of the newest runs first (by their start time)."""
    found = []
    for manifest in ws.outputs.glob("*/manifest.json"):
        data = read_manifest(manifest)
        if data:
            found.append((str(data.get("started_at", "")), manifest))
    found.sort(reverse=True)
    return [m for _, m in found[:limit]]


def when_html(manifest: Path) -> str:
    data = read_manifest(manifest)
    started = str(data.get("started_at", ""))
    try:
        when = f"{datetime.fromisoformat(started):%d-%m-%Y pukul %H.%M}"
    except ValueError:
        when = started
    as_of = data.get("parameters", {}).get("as_of", "")
    try:
        as_of = f"{date.fromisoformat(as_of):%d-%m-%Y}"
    except ValueError:
        pass
    steps = ", ".join(str(s) for s in data.get("parameters", {}).get("steps", []))
    return (f"{html.escape(when)} · langkah {html.escape(steps)} · tanggal acuan "
            f"{html.escape(str(as_of))}")
