"""Columns are read by meaning and never dropped quietly (kebekerjaan.io.headers).

Form questions worded the way staff write them are read as their field, or the file is
refused naming the fields that compete; every column holding data that was not used is
listed, for forms, alumni and vacancy files alike.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kebekerjaan import cli
from kebekerjaan.core.config import load_settings
from kebekerjaan.core.context import StepContext
from kebekerjaan.core.errors import InputFileError
from kebekerjaan.io.headers import RULE_ALIAS, RULE_QUESTION, RULE_SIMILAR, FieldNames, resolve_headers
from kebekerjaan.rules.questionnaire import load_questionnaire
from kebekerjaan.steps.alumni import collect_alumni
from kebekerjaan.steps.answers.collect import collect_answers
from kebekerjaan.steps.answers.forms import question_texts, read_form_export
from kebekerjaan.steps.vacancies.gather import gather_vacancies

SETTINGS = load_settings(None)
Q = load_questionnaire()
NAMES = FieldNames(SETTINGS.columns["respons"], question_texts(Q))


@pytest.fixture
def respons(fixtures_dir):
    """tests/fixtures/respons/: Google Form exports (the README there says what each one holds)."""
    return fixtures_dir / "respons"


# For every questionnaire field, wordings staff actually give the question: shortened,
# words reordered, other punctuation, extra spaces, an added "(wajib)".
STAFF_WORDINGS = {
    "kode": ["Kode responden (jangan diubah)", "KODE RESPONDEN", "Responden kode"],
    "nik": ["NIK (wajib)", "Nomor induk kependudukan", "NIK  KTP", "Kependudukan (NIK) nomor induk"],
    "name": ["Nama lengkap (wajib)", "Nama Lengkap Alumni", "lengkap nama", "Nama  lengkap  sesuai KTP"],
    "phone": ["Nomor WhatsApp aktif", "No. WA", "WhatsApp yang aktif (wajib)", "Nomor HP/WA"],
    "kejuruan": ["Kejuruan yang diikuti", "Kejuruan pelatihan", "Pelatihan kejuruan yang Anda ikuti?"],
    "angkatan": ["Angkatan / gelombang", "Gelombang pelatihan", "Angkatan pelatihan (wajib)"],
    "status": ["Status pekerjaan saat ini", "Apa status Anda saat ini? (wajib)",
               "Status anda sekarang", "Saat ini, apa status Anda"],
    "employer": ["Nama perusahaan / usaha", "Nama perusahaan/instansi atau usaha",
                 "Nama tempat bekerja", "Nama usaha atau perusahaan (wajib)"],
    "position": ["Jabatan / Posisi (wajib)", "Posisi atau jabatan", "Jabatan anda"],
    "employer_type": ["Jenis perusahaan/instansi", "Jenis instansi tempat bekerja",
                      "Perusahaan/instansi jenis (wajib)"],
    "sector": ["Bidang usaha tempat kerja", "Bidang usaha / sektor", "Usaha bidang (wajib)"],
    "location": ["Kabupaten/kota tempat bekerja", "Lokasi usaha", "Kab/kota tempat kerja atau usaha"],
    "start_date": ["Sejak kapan mulai bekerja?", "Mulai bekerja/usaha sejak", "Tanggal mulai kerja"],
    "income": ["Rata-rata penghasilan per bulan", "Penghasilan  per bulan (wajib)",
               "Penghasilan rata-rata Anda"],
    "relevance": ["Hubungan pelatihan dengan pekerjaan", "Seberapa erat hubungan pelatihan?",
                  "Erat hubungan pelatihan dengan pekerjaan/usaha"],
    "job_source": ["Cara mendapat pekerjaan", "Bagaimana mendapatkan pekerjaan ini?",
                   "Cara mendapatkan pekerjaan (boleh lebih dari satu)"],
    "consent": ["Persetujuan penggunaan data (wajib)", "Saya bersedia data digunakan",
                "Bersedia data digunakan BPVP Kendari?"],
}
# Headers no field can claim alone: refused, with the competing fields named.
AMBIGUOUS = {"Usaha": {"employer", "sector", "location", "start_date", "relevance"},
             "Bekerja atau usaha": {"employer", "sector", "location", "start_date"}}


def resolve(header, data=None):
    data = data if data is not None else [True] * len(header)
    return resolve_headers(header, NAMES, lambda pos: data[pos])


def exact_form_header():
    return ["Timestamp", "Email Address"] + [q.text for q in Q.questions]


def test_every_field_has_staff_wordings():
    assert set(STAFF_WORDINGS) == set(Q.fields)


@pytest.mark.parametrize("field,wording",
                         [(f, w) for f, ws in STAFF_WORDINGS.items() for w in ws])
def test_a_reworded_question_is_read_as_its_field(field, wording):
    header = exact_form_header()
    header[header.index(Q[field].text)] = wording
    result = resolve(header)
    assert not result.conflicts
    assert result.used[field].header == wording
    assert result.used[field].rule in (RULE_ALIAS, RULE_QUESTION, RULE_SIMILAR)
    assert not result.unused  # every column holding data is used


def test_a_whole_form_of_reworded_questions_reads_every_field():
    # Every question reworded at once: the tolerant match then weighs all fields.
    for i in range(3):
        header = ["Timestamp"] + [ws[i % len(ws)] for ws in STAFF_WORDINGS.values()]
        result = resolve(header)
        assert not result.conflicts, (i, result.conflicts)
        read = {f: u.header for f, u in result.used.items()}
        assert read == {"timestamp": "Timestamp",
                        **{f: ws[i % len(ws)] for f, ws in STAFF_WORDINGS.items()}}


_CHANGES = {
    "wajib": lambda t: f"{t} (wajib)",
    "spaces": lambda t: "  " + t.replace(" ", "   ") + " ",
    "punctuation": lambda t: re.sub(r"[?/()]", " ", t).replace(" atau ", " / "),
    "reorder": lambda t: " ".join(reversed(t.split())),
    "upper": str.upper,
}


@given(st.sampled_from([q.code for q in Q.questions]),
       st.lists(st.sampled_from(sorted(_CHANGES)), min_size=1, max_size=4))
def test_any_mix_of_staff_changes_to_a_question_reads_right(field, changes):
    wording = Q[field].text
    for change in changes:
        wording = _CHANGES[change](wording)
    header = exact_form_header()
    header[header.index(Q[field].text)] = wording
    result = resolve(header)
    assert result.used[field].header == wording
    assert result.used[field].rule in (RULE_QUESTION, RULE_SIMILAR, RULE_ALIAS)


@pytest.mark.parametrize("wording,fields", AMBIGUOUS.items())
def test_a_header_two_fields_compete_for_is_refused_naming_them(tmp_path, wording, fields):
    header = ["Timestamp", "Status", "Nama", wording]
    path = tmp_path / "f.csv"
    path.write_text(",".join(header) + "\n2026/11/27 7:15:03 PM GMT+7,Bekerja,Budi,x\n", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        read_form_export(path, SETTINGS)
    message = str(info.value)
    assert f"'{wording}' mirip dengan beberapa isian" in message
    for f in fields:
        assert f"[{f}]" in message and Q[f].text in message


def test_a_competing_header_without_data_is_no_reason_to_refuse(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("Timestamp,Status,Nama,Usaha\n2026/11/27 7:15:03 PM GMT+7,Bekerja,Budi,\n",
                    encoding="utf-8")
    result = read_form_export(path, SETTINGS)
    assert list(result.answers["status"]) == ["bekerja"] and result.ignored_columns == []


def test_of_two_headers_for_one_field_the_one_with_data_is_read(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("Timestamp,Status,Apa status Anda saat ini?,Nama\n"
                    "2026/11/27 7:15:03 PM GMT+7,,Wirausaha,Budi\n"
                    "2026/11/28 7:15:03 PM GMT+7,,Bekerja,Rina\n", encoding="utf-8")
    result = read_form_export(path, SETTINGS)
    assert list(result.answers["status"]) == ["wirausaha", "bekerja"]
    used = result.resolution.used["status"]
    assert used.header == "Apa status Anda saat ini?" and used.rule == RULE_QUESTION
    assert "hanya kolom ini yang berisi data" in used.note and "'Status'" in used.note
    assert "Apa status Anda saat ini?" in result.resolution.summary()


def test_of_two_headers_for_one_field_both_with_data_is_refused_naming_both(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("Timestamp,Status,Apa status Anda saat ini?,Nama\n"
                    "2026/11/27 7:15:03 PM GMT+7,Bekerja,Wirausaha,Budi\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"isian Apa status Anda saat ini\? \[status\] ada di "
                                             r"beberapa kolom yang berisi data: 'Status', "
                                             r"'Apa status Anda saat ini\?'"):
        read_form_export(path, SETTINGS)


def test_an_alias_given_to_two_fields_is_refused_naming_both():
    names = FieldNames({"phone": ["No HP"], "contact": ["No HP", "Kontak"]})
    result = resolve_headers(["No HP"], names, lambda pos: True)
    assert result.conflicts and "phone" in result.conflicts[0] and "contact" in result.conflicts[0]


def test_blank_headers_are_no_reason_to_refuse_and_one_with_data_is_listed(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("Timestamp,,Status,Nama,\n2026/11/27 7:15:03 PM GMT+7,catatan,Bekerja,Budi,\n",
                    encoding="utf-8")
    result = read_form_export(path, SETTINGS)
    assert list(result.answers["name"]) == ["Budi"]
    assert result.ignored_columns == ["kolom ke-2 (tanpa judul)"]


def test_the_reworded_fixture_gives_the_same_answers_as_the_exact_one(respons):
    exact = read_form_export(respons / "form_download.csv", SETTINGS)
    reworded = read_form_export(respons / "form_reworded.csv", SETTINGS)
    fields = [c for c in exact.answers.columns if c != "file"]
    assert reworded.answers[fields].equals(exact.answers[fields])
    assert list(reworded.rejects["reason"]) == list(exact.rejects["reason"])
    # The examples: the employer is no longer lost.
    assert list(reworded.answers["employer"]) == ["PT Maju Jaya", "Jahitan Sitti", None,
                                                  "Koperasi Tani Makmur"]
    used = reworded.resolution.used
    assert used["status"].header == "Status pekerjaan saat ini" and used["status"].rule == RULE_SIMILAR
    assert used["employer"].header == "Nama perusahaan / usaha"
    assert reworded.ignored_columns == ["kolom ke-19 (tanpa judul)", "Catatan"]


def _columns_with_data(path):
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    return {i for i in range(len(rows[0])) if any(r[i].strip() for r in rows[1:] if i < len(r))}


@pytest.mark.parametrize("name", ["form_download.csv", "form_reworded.csv", "sheet_us.csv"])
def test_no_column_holding_data_is_left_unaccounted(name, respons):
    result = read_form_export(respons / name, SETTINGS)
    accounted = {u.position for u in result.resolution.used.values()} | {
        u.position for u in result.resolution.unused}
    assert _columns_with_data(respons / name) <= accounted


def test_step_7_says_how_columns_were_read_in_summary_notebook_table_and_manifest(ws, tmp_path, respons):
    shutil.copy(respons / "form_reworded.csv", ws.inbox("respons"))
    result = collect_answers(StepContext(ws, date.today(), tmp_path / "run"))
    (report,) = result.files
    assert "kolom tidak dipakai: kolom ke-19 (tanpa judul), 'Catatan'" in report.message
    table = result.columns_frame()
    row = table[table["Judul di berkas"] == "Status pekerjaan saat ini"].iloc[0]
    assert (row["Dibaca sebagai"], row["Aturan"]) == ("Status alumni", "mirip")  # as staff know the field
    assert set(table.loc[table["Dibaca sebagai"] == "(tidak dipakai)", "Judul di berkas"]) == {
        "(tanpa judul)", "Catatan"}
    record = json.loads((tmp_path / "run" / "steps" / "07.json").read_text(encoding="utf-8"))
    note, *rest = record["notes"]
    assert rest == ["Jawaban perlu ditinjau: tidak ada (berkas perlu_ditinjau.xlsx tidak dibuat)"]
    assert note.startswith("form_reworded.csv: 2 kolom dibaca tepat (2 lewat alias); ")
    assert "'Nama perusahaan / usaha' → employer (mirip)" in note
    assert note.endswith("kolom tidak dipakai: kolom ke-19 (tanpa judul), 'Catatan'")
    assert {"kolom": 9, "judul": "Nama perusahaan / usaha", "isian": "employer", "aturan": "mirip",
            "catatan": ""} in record["inputs"][0]["columns"]


def test_alumni_and_vacancy_imports_list_unused_columns_with_data(ws, tmp_path, fixtures_dir):
    source = (fixtures_dir / "alumni" / "comma_bom.csv").read_text(encoding="utf-8-sig").splitlines()
    lines = [source[0] + ",Keterangan Tambahan,,Kosong"] + [
        line + (",pindah alamat,x," if i == 0 else ",,,") for i, line in enumerate(source[1:])]
    (ws.inbox("alumni") / "alumni.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    alumni = collect_alumni(StepContext(ws, date.today(), tmp_path / "r1"))
    assert alumni.files[0].ignored_columns == ["Keterangan Tambahan", "kolom ke-16 (tanpa judul)"]
    record = json.loads((tmp_path / "r1" / "steps" / "01.json").read_text(encoding="utf-8"))
    assert record["notes"][0].endswith(
        "kolom tidak dipakai: 'Keterangan Tambahan', kolom ke-16 (tanpa judul)")

    source = (fixtures_dir / "lowongan" / "update_v1.csv").read_text(encoding="utf-8").splitlines()
    lines = [source[0] + ",Gaji"] + [line + ",Rp3 juta" for line in source[1:]]
    (ws.inbox("lowongan") / "lowongan.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    vacancies = gather_vacancies(StepContext(ws, date.today(), tmp_path / "r2"))
    assert vacancies.files[0].ignored_columns == ["Gaji"]
    assert "kolom tidak dipakai: 'Gaji'" in vacancies.files_frame()["Keterangan"].iloc[0]
    assert "Gaji" in set(vacancies.columns_frame()["Judul di berkas"])


def test_run_summary_prints_the_step_notes(tmp_path, capsys):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"steps": [{
        "step": 7, "notebook": "07.ipynb", "status": "berhasil", "duration_s": 1.0,
        "counts": {"answers": 3},
        "notes": ["f.csv: 'Status pekerjaan saat ini' → status (mirip); kolom tidak dipakai: 'Catatan'"],
    }]}), encoding="utf-8")
    from kebekerjaan.core.runner import RunResult

    cli._report(RunResult(run_dir=tmp_path, manifest=manifest))
    out = capsys.readouterr().out
    assert "  - f.csv: 'Status pekerjaan saat ini' → status (mirip); kolom tidak dipakai: 'Catatan'" in out
