"""The column-mapping form (notebook 07, the app's "Kolom formulir" page), driven as staff
would: each unknown header shown with a few of its values, fields by the names staff know."""

from __future__ import annotations

from kebekerjaan.ui.mapping import ColumnMappingForm

HEADER = "Timestamp,Status,Nama,Usaha,Tempat kerja sekarang,Catatan"
ROWS = ["2026/11/27 7:15:03 PM GMT+7,Bekerja,Budi Santoso,PT Maju Jaya,Kendari,",
        "2026/11/27 8:01:00 PM GMT+7,Wirausaha,Sri Wahyuni,Warung Sri,Konawe,pindah"]


def _form(ws, name="f.csv"):
    (ws.inbox("respons") / name).write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")


def test_the_form_saves_the_picked_fields(ws):
    _form(ws)
    form = ColumnMappingForm(ws)
    pickers = {choice.header: picker for choice, picker in form.pickers}
    pickers["Usaha"].value = "employer"
    form.save.click()
    assert "Disimpan" in form.message.value
    assert "Usaha" in ws.settings().columns["respons"]["employer"]
    assert callable(form._ipython_display_)


def test_each_header_shows_its_values_and_fields_by_staff_names(ws):
    _form(ws)
    form = ColumnMappingForm(ws)
    (choice, picker), = [(c, p) for c, p in form.pickers if c.header == "Usaha"]
    assert choice.samples == ("PT Maju Jaya", "Warung Sri")
    labels = [label for label, _ in picker.options]
    assert "Nama perusahaan/instansi" in labels  # the employer question, as staff read it
    assert not any("[" in label for label in labels)  # no internal codes
    # the label names the column, linked to its dropdown; the help shows what it holds
    assert "Usaha" in picker.description and "kolom 4" in picker.description
    row = next(r for r in form.box.children if getattr(r, "children", None) and picker in r.children)
    assert "“PT Maju Jaya”" in row.children[2].value
