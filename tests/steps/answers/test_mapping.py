"""Notebook 07's column mapping: unrecognised form headers become aliases in the
workspace's kebekerjaan.toml, the rest of the file untouched, and the next run reads them."""

from __future__ import annotations

from datetime import date

import pytest

from kebekerjaan.core.context import StepContext
from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.core.workspace import Workspace
from kebekerjaan.steps.answers.collect import collect_answers
from kebekerjaan.steps.answers.mapping import add_aliases, unrecognised_headers

HEADER = "Timestamp,Status,Nama,Usaha,Tempat kerja sekarang,Catatan"
ROW = "2026/11/27 7:15:03 PM GMT+7,Bekerja,Budi Santoso,PT Maju Jaya,Kendari,"


def _form(ws, name="f.csv"):
    (ws.inbox("respons") / name).write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")


def test_unrecognised_headers_of_a_refused_file_are_offered_with_their_rivals(ws, tmp_path):
    _form(ws)
    result = collect_answers(StepContext(ws, date.today(), tmp_path / "r1"))
    assert result.files[0].status == "failed"  # "Usaha" is ambiguous
    offered = {h.header: h for h in unrecognised_headers(ws)}
    assert set(offered) == {"Usaha", "Tempat kerja sekarang", "Catatan"}
    assert {"employer", "sector"} <= set(offered["Usaha"].candidates)


def test_saved_aliases_keep_the_rest_of_the_file_and_the_next_run_reads_the_file(ws, tmp_path):
    _form(ws)
    before = ws.config_path.read_text(encoding="utf-8")
    add_aliases(ws, {"employer": ["Usaha"], "location": ["Tempat kerja sekarang"]})
    after = ws.config_path.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(before.splitlines()) == len(after.splitlines())
    assert [b.split(" = ")[0] for _, b in changed] == ["employer", "location"]
    assert all(b.startswith(a.rstrip("]")) for a, b in changed)  # only appended to
    assert ws.settings().columns["respons"]["employer"][-1] == "Usaha"

    result = collect_answers(StepContext(ws, date.today(), tmp_path / "r2"))
    assert result.files[0].status == "ok"
    assert "kolom tidak dipakai" not in result.files[0].message  # "Catatan" holds no data
    table = result.columns_frame()
    assert ("Usaha", "Nama perusahaan/instansi", "alias") in set(
        zip(table["Judul di berkas"], table["Dibaca sebagai"], table["Aturan"]))
    assert unrecognised_headers(ws) == []  # an imported file is not read again


def test_a_workspace_without_settings_file_gets_one_with_the_field_s_aliases(tmp_path):
    ws = Workspace(tmp_path / "bare").ensure()
    add_aliases(ws, {"status": ["Keadaan sekarang"]})
    aliases = ws.settings().columns["respons"]["status"]
    assert aliases[-1] == "Keadaan sekarang" and "Status" in aliases  # defaults kept


def test_an_unknown_field_is_refused_and_the_file_left_as_it_was(ws):
    before = ws.config_path.read_text(encoding="utf-8")
    with pytest.raises(KebekerjaanError, match="isian tidak dikenal: gaji"):
        add_aliases(ws, {"gaji": ["Gaji"]})
    assert ws.config_path.read_text(encoding="utf-8") == before
