"""The step 1 file picker, driven as staff would: pick files, click save."""

from __future__ import annotations

from datetime import datetime, timezone

from kebekerjaan.widgets import alumni_upload, save_uploads


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
