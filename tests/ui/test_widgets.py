"""The step 1 file picker, driven as staff would: pick files, click save."""

from __future__ import annotations

from datetime import datetime, timezone

from kebekerjaan.ui.widgets import alumni_upload, save_uploads


def _upload(name, content=b"NIK;Nama\n"):
    return {"name": name, "type": "", "size": len(content), "content": memoryview(content),
            "last_modified": datetime(2026, 11, 27, tzinfo=timezone.utc)}


def test_saved_files_land_in_the_inbox_without_overwriting(ws):
    inbox = ws.inbox("alumni")
    (inbox / "ekspor.csv").write_bytes(b"lama")
    saved = save_uploads(inbox, [_upload("ekspor.csv", b"baru"), _upload("catatan.txt")])
    assert [p.name for p in saved] == ["ekspor-1.csv"]
    assert (inbox / "ekspor.csv").read_bytes() == b"lama"
    assert (inbox / "ekspor-1.csv").read_bytes() == b"baru"


def test_clicking_save_writes_the_picked_file(ws):
    form = alumni_upload(ws)
    picker, button = form.children[1].children
    picker.value = (_upload("peserta_tik.xlsx", b"PK..."),)
    button.click()
    assert (ws.inbox("alumni") / "peserta_tik.xlsx").read_bytes() == b"PK..."
    assert picker.value == ()
    assert "Disimpan: peserta_tik.xlsx" in form.children[2].value


def test_clicking_save_with_nothing_picked_says_so(ws):
    form = alumni_upload(ws)
    form.children[1].children[1].click()
    assert "Belum ada berkas" in form.children[2].value
    assert not list(ws.inbox("alumni").iterdir())


def test_lock_and_hidden_files_are_not_saved_as_exports(ws):
    saved = save_uploads(ws.inbox("alumni"), [_upload("~$ekspor.xlsx"), _upload(".ekspor.csv")])
    assert saved == []


def test_the_date_field_reads_day_first_whatever_the_browser():
    from datetime import date

    from kebekerjaan.ui.widgets import DateField

    field = DateField(today=date(2026, 11, 27))
    field.input.value = "12/01/2026"  # 12 January, as everywhere in Indonesia
    assert field.value == date(2026, 1, 12) and field.input.value == "12-01-2026"
    assert "Senin, 12 Januari 2026" in field.feedback.value
    field.input.value = "3 Agustus 2026"
    assert field.value == date(2026, 8, 3) and field.text == "03-08-2026"
    field.input.value = "31-02-2026"  # no such day: said so, never guessed
    assert field.value is None and "tidak dapat dibaca" in field.feedback.value
    assert "31-02-2026" in field.problem
    field.value = None
    assert field.text == "" and field.problem is None and "mis." in field.feedback.value


def test_field_errors_sit_by_their_field_with_a_summary_on_top():
    import ipywidgets as w

    from kebekerjaan.core.errors import EntryError
    from kebekerjaan.ui.widgets import Field, show_problems

    rows = {"company": Field("Nama perusahaan/instansi", w.Text(), required=True),
            "position": Field("Jabatan", w.Text())}
    summary = w.HTML()
    show_problems(rows, EntryError("Lowongan belum disimpan", [
        ("company", "nama perusahaan wajib diisi"), (None, "lowongan yang sama sudah tercatat")]),
        summary)
    assert "Nama perusahaan wajib diisi" in rows["company"].error.value
    assert rows["position"].error.value == ""
    assert "1 isian perlu diperbaiki" in summary.value and "sudah tercatat" in summary.value
