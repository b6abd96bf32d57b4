"""The form building blocks and the file picker, driven as staff would: pick files, click
save, read what the form says back."""

from __future__ import annotations

import errno
import io
import json
from datetime import date, datetime, timezone

import ipywidgets as w
import openpyxl
import pytest

from kebekerjaan.ui.uploads import ENV_STAGING, InboxPanel, UploadForm, accept_files, alumni_upload, set_aside
from kebekerjaan.ui.widgets import CheckList, DateField, Field, show_problems

TODAY = date(2026, 11, 27)


def _upload(name, content=b"NIK;Nama\n"):
    return {"name": name, "type": "", "size": len(content), "content": memoryview(content),
            "last_modified": datetime(2026, 11, 27, tzinfo=timezone.utc)}


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["NIK", "Nama"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def jupyterlab(monkeypatch):
    """The picker as JupyterLab shows it (no app server, so no staging folder)."""
    monkeypatch.delenv(ENV_STAGING, raising=False)


def _pick_and_save(form: UploadForm, *uploads) -> str:
    form.picker.value = tuple(uploads)
    form.save.click()
    return form.status.text


def test_saved_files_land_in_the_inbox_without_overwriting(ws):
    inbox = ws.inbox("alumni")
    (inbox / "ekspor.csv").write_bytes(b"lama")
    outcomes = accept_files(inbox, [("ekspor.csv", b"NIK;Nama\nbaru\n"), ("catatan.txt", b"x")],
                            suffixes=(".csv", ".xlsx"), limit=10_000)
    assert [(o.name, o.saved.name if o.saved else None) for o in outcomes] == [
        ("ekspor.csv", "ekspor-1.csv"), ("catatan.txt", None)]
    assert "berkas .txt tidak dibaca di sini" in outcomes[1].reason
    assert (inbox / "ekspor.csv").read_bytes() == b"lama"
    assert (inbox / "ekspor-1.csv").read_bytes() == b"NIK;Nama\nbaru\n"


def test_clicking_save_writes_the_picked_file(ws, jupyterlab):
    form = alumni_upload(ws)
    export = _xlsx()
    said = _pick_and_save(form, _upload("peserta_tik.xlsx", export))
    assert (ws.inbox("alumni") / "peserta_tik.xlsx").read_bytes() == export
    assert form.picker.value == ()
    assert "Disimpan ke folder masuk: peserta_tik.xlsx" in said


def test_every_picked_file_is_accounted_for(ws, jupyterlab, word_file):
    """A Word file renamed to .xlsx, a PDF and an Excel lock file beside a good export:
    the export is saved, each of the others named with its reason, none saved."""
    form = alumni_upload(ws)
    said = _pick_and_save(form, _upload("peserta.xlsx", _xlsx()), _upload("daftar.xlsx", word_file),
                          _upload("petunjuk.pdf", b"%PDF-1.4"), _upload("~$peserta.xlsx", b"\0" * 165))
    assert sorted(p.name for p in ws.inbox("alumni").iterdir()) == ["peserta.xlsx"]
    assert "Disimpan ke folder masuk: peserta.xlsx" in said and "3 berkas tidak disimpan" in said
    assert "daftar.xlsx: isinya dokumen Word (.docx), bukan buku kerja Excel (.xlsx)" in said
    assert "petunjuk.pdf: berkas .pdf tidak dibaca di sini" in said
    assert "~$peserta.xlsx: berkas sementara Excel" in said


def test_a_plain_word_file_is_named_not_called_nothing_picked(ws, jupyterlab, word_file):
    said = _pick_and_save(alumni_upload(ws), _upload("surat.docx", word_file))
    assert "Belum ada berkas" not in said
    assert "surat.docx: berkas .docx tidak dibaca di sini" in said


def test_clicking_save_with_nothing_picked_says_so(ws, jupyterlab):
    form = alumni_upload(ws)
    form.save.click()
    assert "Belum ada berkas yang dipilih" in form.status.text
    assert not list(ws.inbox("alumni").iterdir())


def test_a_file_over_the_limit_is_refused_with_the_limit_named(ws, jupyterlab):
    ws.config_path.write_text(ws.config_path.read_text(encoding="utf-8").replace(
        "max_upload_mb = 100", "max_upload_mb = 1"), encoding="utf-8")
    big = b"NIK;Nama\n" + b"7471010101900001;Budi\n" * 60_000  # 1.3 MB
    said = _pick_and_save(alumni_upload(ws), _upload("besar.csv", big))
    assert "besar.csv: terlalu besar (1,3 MB; batas 1,0 MB" in said and "max_upload_mb" in said
    assert not list(ws.inbox("alumni").iterdir())


def test_a_read_only_inbox_is_said_in_indonesian(ws, jupyterlab, monkeypatch):
    def refuse(*_):
        raise OSError(errno.EROFS, "Read-only file system", str(ws.inbox("alumni")))

    monkeypatch.setattr("kebekerjaan.ui.uploads.shutil.move", refuse)
    said = _pick_and_save(alumni_upload(ws), _upload("peserta.xlsx", _xlsx()))
    assert "1 berkas tidak disimpan: peserta.xlsx: folder hanya-baca pada" in said
    assert said.strip() and "Disimpan" not in said


def test_in_the_app_the_files_sent_by_the_browser_are_checked_and_moved(ws, tmp_path, monkeypatch, word_file):
    """The app's server streams each file to <staging>/<token>/; the page script then
    writes what it sent (and what it refused as too big) into the form's hidden field."""
    monkeypatch.setenv(ENV_STAGING, str(tmp_path))
    form = alumni_upload(ws)
    assert f"data-token='{form.token}'" in form.picker.value and "<label" in form.picker.value
    staged = tmp_path / form.token
    staged.mkdir()
    (staged / "peserta.xlsx").write_bytes(_xlsx())
    (staged / "salah.xlsx").write_bytes(word_file)
    form.report.value = json.dumps({"id": 1, "dikirim": ["peserta.xlsx", "salah.xlsx"],
                                    "terlalu_besar": [{"name": "provinsi.csv", "size": 250_000_000}],
                                    "gagal": []})
    said = form.status.text
    assert (ws.inbox("alumni") / "peserta.xlsx").exists()
    assert not (ws.inbox("alumni") / "salah.xlsx").exists() and not staged.exists()
    assert "salah.xlsx: isinya dokumen Word" in said
    assert "provinsi.csv: terlalu besar (250,0 MB; batas 100,0 MB" in said


def test_the_inbox_lists_each_file_with_what_the_last_import_did(ws, tmp_path, word_file):
    from kebekerjaan.core.context import StepContext
    from kebekerjaan.steps.alumni import collect_alumni

    (ws.inbox("alumni") / "daftar.xlsx").write_bytes(word_file)
    (ws.inbox("alumni") / "catatan.txt").write_text("x")
    collect_alumni(StepContext(ws, TODAY, tmp_path / "run"))
    panel = InboxPanel(ws, "alumni")
    rows = {r.children[0].value.split("</b>")[0].split("<b>")[-1]: r for r in panel.list.children}
    assert set(rows) == {"daftar.xlsx", "catatan.txt"}
    assert "gagal dibaca" in rows["daftar.xlsx"].children[0].value
    assert "isinya dokumen Word" in rows["daftar.xlsx"].children[0].value
    assert "tidak dibaca" in rows["catatan.txt"].children[0].value
    assert "(1 B)" in rows["catatan.txt"].children[0].value  # a small file is no "0,0 MB"
    rows["daftar.xlsx"].children[1].click()  # "Hapus dari kotak masuk"
    assert not (ws.inbox("alumni") / "daftar.xlsx").exists()
    assert (ws.data / "disisihkan" / "alumni" / "daftar.xlsx").read_bytes() == word_file  # kept
    assert "dipindahkan ke data/disisihkan/alumni/daftar.xlsx" in panel.message.text
    assert len(panel.list.children) == 1


@pytest.mark.parametrize("size, shown", [(0, "0 B"), (999, "999 B"), (14_200, "14,2 KB"),
                                         (3_400_000, "3,4 MB")])
def test_file_sizes_read_in_the_unit_that_fits(size, shown):
    from kebekerjaan.ui.uploads import file_size

    assert file_size(size) == shown


def test_moving_aside_never_overwrites(ws):
    for content in (b"a", b"b"):
        (ws.inbox("lowongan") / "v.csv").write_bytes(content)
        set_aside(ws, "lowongan", ws.inbox("lowongan") / "v.csv")
    aside = ws.data / "disisihkan" / "lowongan"
    assert sorted(p.read_bytes() for p in aside.iterdir()) == [b"a", b"b"]


def test_the_date_field_reads_day_first_whatever_the_browser():
    field = DateField(today=TODAY)
    field.input.value = "12/01/2026"  # 12 January, as everywhere in Indonesia
    assert field.value == date(2026, 1, 12) and field.input.value == "12-01-2026"
    assert "Senin, 12 Januari 2026" in field.feedback.value
    field.input.value = "3 Agustus 2026"
    assert field.value == date(2026, 8, 3) and field.text == "03-08-2026"
    field.input.value = "31-02-2026"  # no such day: called that, never guessed
    assert field.value is None
    assert field.problem == "tanggal 31-02-2026 tidak ada: Februari 2026 hanya sampai tanggal 28"
    assert "tulis sebagai" not in field.feedback.value
    field.input.value = "2026-31-31"
    assert "bulan 31 tidak ada" in field.problem
    field.value = None
    assert field.text == "" and field.problem is None and "mis." in field.feedback.value


def test_a_month_is_enough_where_the_field_says_so():
    start = DateField(today=TODAY, month_ok=True)
    start.input.value = "Maret 2026"
    assert start.value == date(2026, 3, 1) and start.text == "01-03-2026"
    assert start.input.value == "Maret 2026"  # shown back as the month it was
    start.input.value = "03-2026"
    assert start.value == date(2026, 3, 1) and start.input.value == "Maret 2026"
    assert DateField(today=TODAY).value is None
    strict = DateField(today=TODAY)
    strict.input.value = "Maret 2026"
    assert strict.value is None and strict.problem


def test_a_field_label_is_the_input_own_label():
    """The label is the input's description (a <label for=...> in the browser), so a screen
    reader, and a browser test by label, find the input."""
    text = w.Text()
    row = Field("Dicatat oleh", text, required=True)
    assert text.description.startswith("Dicatat oleh") and text.description_allow_html
    assert "kb-wajib" in text.description  # the red star, not read out
    date_row = Field("Tanggal jawaban", DateField(today=TODAY))
    assert date_row.widget.input.description == "Tanggal jawaban"
    group = Field("Kejuruan terkait", CheckList(["Las", "TIK"]))
    assert "Kejuruan terkait" in group.title.value  # a group: each box has its own label
    assert [b.description for _, b in group.widget.boxes] == ["Las", "TIK"]
    assert row.box.layout.max_width == "100%"


def test_several_choices_are_plain_clicks():
    choice = CheckList([("Informasi dari BPVP", "info_bpvp"), ("Teman", "teman")])
    choice.boxes[1][1].value = True
    choice.boxes[0][1].value = True
    assert choice.value == ("info_bpvp", "teman")  # in the order of the options
    choice.value = ()
    assert choice.value == ()


def test_field_errors_sit_by_their_field_with_a_summary_on_top():
    from kebekerjaan.core.errors import EntryError

    rows = {"company": Field("Nama perusahaan/instansi", w.Text(), required=True),
            "position": Field("Jabatan", w.Text())}
    summary = w.HTML()
    show_problems(rows, EntryError("Lowongan belum disimpan", [
        ("company", "nama perusahaan wajib diisi"), (None, "lowongan yang sama sudah tercatat")]),
        summary)
    assert "Nama perusahaan wajib diisi" in rows["company"].error.value
    assert rows["position"].error.value == ""
    assert "1 isian perlu diperbaiki" in summary.value and "sudah tercatat" in summary.value


def test_feedback_colours_come_from_the_one_stylesheet():
    from kebekerjaan.ui import feedback

    assert "class='kb-ok'" in feedback.ok_html("x") and "style=" not in feedback.ok_html("x")
    css = feedback.stylesheet()
    assert "--kb-ok:" in css and ".kb-galat" in css
