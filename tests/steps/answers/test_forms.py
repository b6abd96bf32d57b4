"""Google Forms exports: the form's CSV download, the linked sheet (US and Indonesian
locale) and an xlsx with real date cells all give the same answers and rejects."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kebekerjaan.core.config import load_settings
from kebekerjaan.core.errors import InputFileError
from kebekerjaan.steps.answers.forms import parse_timestamps, read_form_export

SETTINGS = load_settings(None)
FILES = ["form_download.csv", "sheet_us.csv", "sheet_id.csv", "sheet_dates.xlsx"]


@pytest.fixture
def respons(fixtures_dir):
    """tests/fixtures/respons/: Google Form exports (the README there says what each one holds)."""
    return fixtures_dir / "respons"


@pytest.mark.parametrize("name", FILES)
def test_accepted_answers_are_the_same_in_every_export_shape(name, respons):
    result = read_form_export(respons / name, SETTINGS)
    a = result.answers
    assert list(a["row"]) == [2, 3, 4, 5]
    assert list(a["answered_at"]) == [
        datetime(2026, 11, 27, 20, 15, 3), datetime(2026, 11, 28, 7, 5), datetime(2026, 11, 29, 13, 45, 10),
        datetime(2026, 11, 30, 9, 0)]
    assert list(a["nik"]) == ["7471011201990001", None, "7471015203990002", None]
    assert list(a["name"]) == ["Budi Santoso", "Wa Ode Sitti", "Rina Marlina", "Andi"]
    assert list(a["phone"]) == ["+6281234567801", "+6281311112222", None, "+6281299990000"]
    assert list(a["status"]) == ["bekerja", "wirausaha", "mencari", "bekerja"]
    assert list(a["employer"]) == ["PT Maju Jaya", "Jahitan Sitti", None, "Koperasi Tani Makmur"]
    assert list(a["employer_type"]) == ["swasta", "wiraswasta", None, "lainnya"]
    assert a.loc[3, "employer_type_lainnya"] == "Koperasi"
    assert list(a["start_date"]) == [date(2026, 9, 1), date(2026, 10, 15), None, date(2026, 11, 1)]
    assert list(a["income"]) == ["2.5-4", "1-2.5", None, "lt1"]
    assert a.loc[0, "job_source"] == "info_bpvp; teman_keluarga"
    assert a.loc[3, "job_source"] == "media_sosial; lainnya"
    assert a.loc[3, "job_source_lainnya"] == "Dari grup WA, alumni"
    assert list(a["kejuruan"][:2]) == ["Teknologi Informasi dan Komunikasi", "Garmen Apparel"]
    assert set(a["source"]) == {"formulir"} and set(a["file"]) == {name}
    assert list(a["consent"]) == ["ya"] * 4
    # Complete answers carry no problems; incomplete ones say what is missing.
    assert a.loc[0, "problems"] is None and a.loc[1, "problems"] is None
    assert "Jabatan atau posisi Anda' wajib diisi untuk status Bekerja" in a.loc[3, "problems"]


@pytest.mark.parametrize("name", FILES)
def test_each_bad_row_is_rejected_with_its_reason_and_row(name, respons):
    rejects = read_form_export(respons / name, SETTINGS).rejects
    reasons = dict(zip(rejects["row"], rejects["reason"]))
    assert sorted(reasons) == [6, 7, 8, 9]
    assert reasons[6].startswith("tanpa identitas")
    assert reasons[7] == "cap waktu 'kemarin sore' tidak dapat dibaca"
    assert reasons[8].startswith("status 'Freelance' tidak dikenal")
    assert reasons[9] == "status kosong"
    assert set(rejects["file"]) == {name}


@pytest.mark.parametrize("name,order,why", [
    ("form_download.csv", "tahun-bulan-hari", "tahun/bulan/tanggal"),
    ("sheet_us.csv", "bulan-hari", "11/27/2026 (baris 2)"),
    ("sheet_id.csv", "hari-bulan", "27/11/2026 (baris 2)"),
    ("sheet_dates.xlsx", "tahun-bulan-hari", "sel tanggal Excel"),
])
def test_date_order_is_decided_per_file_and_explained(name, order, why, respons):
    result = read_form_export(respons / name, SETTINGS)
    assert result.date_order == order
    assert why in result.date_order_reason


def _csv(tmp_path, header, stamps, name="a.csv"):
    lines = [f"{header},Nama lengkap,Apa status Anda saat ini?"]
    lines += [f"{s},Budi,Bekerja" for s in stamps]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_all_ambiguous_dates_follow_the_header_language(tmp_path):
    stamps = ["05/06/2026 10:00:00", "05/06/2026 11:00:00"]
    indonesian = read_form_export(_csv(tmp_path, "Cap waktu", stamps), SETTINGS)
    assert indonesian.date_order == "hari-bulan" and "'Cap waktu'" in indonesian.date_order_reason
    assert indonesian.answers["answered_at"][0] == datetime(2026, 6, 5, 10, 0)
    english = read_form_export(_csv(tmp_path, "Timestamp", stamps), SETTINGS)
    assert english.date_order == "bulan-hari" and "'Timestamp'" in english.date_order_reason
    assert english.answers["answered_at"][0] == datetime(2026, 5, 6, 10, 0)


def test_stamp_that_contradicts_the_file_order_is_rejected(tmp_path):
    path = _csv(tmp_path, "Timestamp", ["11/27/2026 20:15:03", "11/28/2026 08:00:00", "27/11/2026 09:00:00"])
    result = read_form_export(path, SETTINGS)
    assert result.date_order == "bulan-hari"
    assert "mencampur" in result.date_order_reason
    assert result.rejects["reason"].tolist() == [
        "cap waktu '27/11/2026 09:00:00' tidak cocok dengan urutan tanggal berkas ini (bulan-hari)"]


def test_a_renamed_question_is_a_config_change(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Timestamp,Nama lengkap,Kondisi Anda sekarang\n11/27/2026 20:15:03,Budi,Wirausaha\n")
    with pytest.raises(InputFileError, match="kolom wajib tidak ditemukan"):
        read_form_export(path, SETTINGS)
    aliases = ", ".join(f'"{a}"' for a in SETTINGS.columns["respons"]["status"])
    (tmp_path / "kebekerjaan.toml").write_text(
        f'[columns.respons]\nstatus = [{aliases}, "Kondisi Anda sekarang"]\n', encoding="utf-8")
    custom = load_settings(tmp_path / "kebekerjaan.toml")
    assert read_form_export(path, custom).answers["status"].tolist() == ["wirausaha"]


def test_form_download_zone_is_moved_to_local_time():
    stamps, errors, order, _ = parse_timestamps(
        ["2026/10/24 6:46:43 PM GMT+7", "2026/10/24 12:05:00 AM GMT+8"], utc_offset_hours=8)
    assert errors == [None, None] and order == "tahun-bulan-hari"
    assert stamps == [datetime(2026, 10, 24, 19, 46, 43), datetime(2026, 10, 24, 0, 5)]


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(
           lambda d: d.replace(microsecond=0)),
       st.sampled_from(["us", "id", "form"]))
def test_any_moment_written_in_any_export_style_reads_back(moment, style):
    # One decisive stamp (day 28) fixes the file's order, as in a real export.
    if style == "us":
        text = f"{moment.month}/{moment.day}/{moment.year} {moment:%H:%M:%S}"
        anchor = "12/28/2026 10:00:00"
    elif style == "id":
        text = f"{moment:%d/%m/%Y %H.%M.%S}"
        anchor = "28/12/2026 10.00.00"
    else:
        h12 = moment.hour % 12 or 12
        text = f"{moment:%Y/%m/%d} {h12}:{moment:%M:%S} {'AM' if moment.hour < 12 else 'PM'} GMT+8"
        anchor = "2026/12/28 10:00:00 AM GMT+8"
    stamps, errors, _, _ = parse_timestamps([anchor, text], utc_offset_hours=8)
    assert errors == [None, None]
    assert stamps[1] == moment


@given(st.text(max_size=40))
def test_timestamp_parser_never_crashes(text):
    stamps, errors, order, reason = parse_timestamps([text])
    assert (stamps[0] is None) != (errors[0] is None) or not text.strip()
    assert order and reason
