"""SOP step 4: who is invited to which survey wave, the lists, and the outreach log."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import openpyxl
import pytest

from kebekerjaan.core import store
from kebekerjaan.core.config import load_settings
from kebekerjaan.core.context import StepContext
from kebekerjaan.core.errors import ConfigError
from kebekerjaan.core.runs import read_step_record
from kebekerjaan.io.messages import render
from kebekerjaan.rules.waves import SurveyRules, add_months
from kebekerjaan.steps.outreach.invite import due_invitations, invite_survey
from kebekerjaan.steps.outreach.rules import load_answers, load_enrolments, load_log


def rules(ws) -> SurveyRules:
    return SurveyRules.from_settings(ws.settings())


def due_on(ws, day: date):
    """(enrolment_id, wave) pairs due on `day`, without writing anything."""
    con = store.connect(ws.store_path)
    try:
        due, _ = due_invitations(load_enrolments(con), load_log(con), load_answers(con), rules(ws), day)
    finally:
        con.close()
    return sorted(zip(due["enrolment_id"], due["wave"]))


def invite(ws, tmp_path, day: date, name: str | None = None):
    return invite_survey(StepContext(ws, day, tmp_path / (name or f"run-{day}"), run_id=f"r-{day}"))


# --- due dates -------------------------------------------------------------------

@pytest.mark.parametrize("end,months,due", [
    (date(2025, 1, 31), 1, date(2025, 2, 28)),   # February has 28 days in 2025
    (date(2028, 1, 31), 1, date(2028, 2, 29)),   # ...and 29 in the leap year 2028
    (date(2025, 8, 31), 6, date(2026, 2, 28)),
    (date(2027, 8, 31), 6, date(2028, 2, 29)),
    (date(2025, 3, 31), 3, date(2025, 6, 30)),   # June has 30 days
    (date(2025, 11, 30), 3, date(2026, 2, 28)),  # across the year end
    (date(2025, 3, 15), 1, date(2025, 4, 15)),   # mid-month: same day number
])
def test_wave_due_date_is_end_plus_months_clamped_to_month_end(end, months, due):
    assert add_months(end, months) == due


@pytest.mark.parametrize("end,first_day,last_day", [
    # due 28 Feb 2025: opens 7 days before, closes 30 days after (30 March)
    (date(2025, 1, 31), date(2025, 2, 21), date(2025, 3, 30)),
    # leap year: due 29 Feb 2028, opens 22 Feb, closes 30 March
    (date(2028, 1, 31), date(2028, 2, 22), date(2028, 3, 30)),
])
def test_wave_one_window_edges(ws, survey, end, first_day, last_day):
    e = survey.training(survey.alumnus(1), end)
    one = timedelta(days=1)
    assert due_on(ws, first_day - one) == []
    assert due_on(ws, first_day) == [(e, 1)]
    assert due_on(ws, last_day) == [(e, 1)]
    assert due_on(ws, last_day + one) == []


def test_six_month_wave_of_an_august_31_training_falls_at_february_end(ws, survey):
    e = survey.training(survey.alumnus(1), date(2025, 8, 31))
    # due 28 Feb 2026; the window opens 7 days before
    assert due_on(ws, date(2026, 2, 20)) == []
    assert due_on(ws, date(2026, 2, 21)) == [(e, 6)]
    assert due_on(ws, date(2026, 2, 28)) == [(e, 6)]


def test_window_settings_are_read_from_the_workspace(ws, survey):
    survey.write_config("window_days_before = 0\nwindow_days_after = 2")
    e = survey.training(survey.alumnus(1), date(2025, 3, 10))  # wave 1 due 10 April
    assert due_on(ws, date(2025, 4, 9)) == []
    assert [due_on(ws, date(2025, 4, d)) for d in (10, 12)] == [[(e, 1)], [(e, 1)]]
    assert due_on(ws, date(2025, 4, 13)) == []


def test_a_wave_closes_when_the_next_one_opens(ws, survey):
    # with a 90-day tail, wave 1 (due 10 Apr) would still be open when wave 3 (due 10 Jun) opens
    survey.write_config("window_days_after = 90")
    e = survey.training(survey.alumnus(1), date(2025, 3, 10))
    assert due_on(ws, date(2025, 6, 2)) == [(e, 1)]
    assert due_on(ws, date(2025, 6, 3)) == [(e, 3)]  # wave 3 opens 7 days before 10 June


def test_only_graduates_are_invited(ws, survey):
    end = date(2025, 1, 15)
    passed = survey.training(survey.alumnus(1), end, graduation="Lulus")
    unknown = survey.training(survey.alumnus(2), end, graduation=None)
    survey.training(survey.alumnus(3), end, graduation="Tidak Lulus")
    assert due_on(ws, date(2025, 2, 15)) == sorted([(passed, 1), (unknown, 1)])


# --- exclusions ------------------------------------------------------------------

def test_answered_alumni_are_not_invited(ws, survey):
    end = date(2025, 1, 15)
    by_enrolment = survey.training(survey.alumnus(1), end)
    survey.training(survey.alumnus(2), end)
    other_wave = survey.training(survey.alumnus(3), end)
    survey.answered(survey.nik(1), by_enrolment, 1, date(2025, 2, 10))
    survey.answered(survey.nik(2), None, 1, date(2025, 2, 10))        # matched by NIK and wave only
    survey.answered(survey.nik(3), other_wave, 3, date(2025, 2, 10))  # answered another wave
    assert due_on(ws, date(2025, 2, 15)) == [(other_wave, 1)]


def test_an_answer_for_one_training_does_not_cover_another(ws, survey):
    person = survey.alumnus(1)
    first = survey.training(person, date(2025, 1, 15), program="Juru Las SMAW 3G")
    second = survey.training(person, date(2025, 5, 15), program="Pengelasan FCAW")
    survey.answered(person, first, 1, date(2025, 2, 10))
    assert due_on(ws, date(2025, 6, 15)) == [(second, 1)]


def test_already_invited_alumni_are_not_invited_again(ws, survey, tmp_path):
    end = date(2025, 1, 15)
    invited = survey.training(survey.alumnus(1), end)
    fresh = survey.training(survey.alumnus(2), end)
    survey.sent(survey.nik(1), invited, 1, date(2025, 2, 9))
    survey.sent(survey.nik(2), fresh, 1, date(2025, 2, 9), kind="lowongan")  # a vacancy is no invitation
    assert due_on(ws, date(2025, 2, 15)) == [(fresh, 1)]


# --- two trainings -------------------------------------------------------------

def test_two_trainings_same_wave_same_day_get_one_invitation_for_the_latest(ws, survey, tmp_path):
    person = survey.alumnus(1, name="Wa Ode Nur'aini")
    older = survey.training(person, date(2025, 1, 10), program="Menjahit Pakaian Wanita",
                        kejuruan="Garmen Apparel")
    newer = survey.training(person, date(2025, 1, 17), program="Tata Rias Pengantin",
                        kejuruan="Kecantikan", angkatan="2")
    day = date(2025, 2, 12)
    assert due_on(ws, day) == sorted([(older, 1), (newer, 1)])

    result = invite(ws, tmp_path, day)
    assert result.listed["enrolment_id"].tolist() == [newer]
    assert result.deferred["enrolment_id"].tolist() == [older]
    note = result.listed_frame()["Catatan"].iloc[0]
    assert "Menjahit Pakaian Wanita angkatan 1 2025" in note and "menyusul" in note
    assert [r["enrolment_id"] for r in survey.log_rows()] == [newer]

    # the next run invites the other training
    later = invite(ws, tmp_path, day + timedelta(days=7))
    assert later.listed["enrolment_id"].tolist() == [older]


def test_two_trainings_due_for_different_waves_are_both_invited(ws, survey, tmp_path):
    person = survey.alumnus(1)
    early = survey.training(person, date(2025, 1, 31), program="Juru Las SMAW 3G")  # wave 3: 30 Apr
    late = survey.training(person, date(2025, 3, 31), program="Pengelasan FCAW")    # wave 1: 30 Apr
    result = invite(ws, tmp_path, date(2025, 4, 28))
    assert sorted(zip(result.listed["enrolment_id"], result.listed["wave"])) == sorted(
        [(early, 3), (late, 1)])
    assert result.deferred.empty


# --- the run: lists and log ----------------------------------------------------

def test_same_list_twice_on_one_day_does_not_double_the_log(ws, survey, tmp_path):
    end = date(2025, 1, 15)
    ids = [survey.training(survey.alumnus(n), end) for n in range(1, 4)]
    day = date(2025, 2, 12)
    first = invite(ws, tmp_path, day, "a")
    second = invite(ws, tmp_path, day, "b")
    assert sorted(first.listed["enrolment_id"]) == sorted(second.listed["enrolment_id"]) == ids
    assert (first.counts["logged_new"], second.counts["logged_new"]) == (3, 0)
    rows = survey.log_rows("undangan")
    assert len(rows) == 3
    assert {(r["enrolment_id"], r["wave"], r["sent_on"], r["run_id"]) for r in rows} == {
        (i, 1, "2025-02-12", f"r-{day}") for i in ids}
    # a day later they count as invited
    assert invite(ws, tmp_path, day + timedelta(days=1)).listed.empty


def test_alumni_without_whatsapp_are_listed_with_a_reason_and_not_logged(ws, survey, tmp_path):
    end = date(2025, 1, 15)
    ok = survey.training(survey.alumnus(1), end)
    survey.training(survey.alumnus(2, name="Tanpa Nomor", phone_number=None), end)
    survey.training(survey.alumnus(3, name="Telepon Kantor", phone_number="+62401312345"), end)
    result = invite(ws, tmp_path, date(2025, 2, 12))
    assert result.listed["enrolment_id"].tolist() == [ok]
    assert [r["enrolment_id"] for r in survey.log_rows()] == [ok]

    sheet = openpyxl.load_workbook(tmp_path / f"run-{date(2025, 2, 12)}" / "tanpa_nomor_wa.xlsx").active
    header = [c.value for c in sheet[1]]
    rows = {r[header.index("Nama")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"Tanpa Nomor", "Telepon Kantor"}
    assert "tidak ada nomor HP" in rows["Tanpa Nomor"][header.index("Alasan")]
    assert "bukan nomor seluler" in rows["Telepon Kantor"][header.index("Alasan")]
    assert rows["Tanpa Nomor"][header.index("NIK")] == survey.nik(2)


def test_blast_list_files_are_written_and_safe(ws, survey, tmp_path):
    end = date(2025, 1, 15)
    survey.training(survey.alumnus(1, name='=HYPERLINK("http://x","klik")'), end)
    survey.training(survey.alumnus(2, name="+62 812 0000 0000"), end)
    survey.training(survey.alumnus(3, name="-Budi"), end)
    day = date(2025, 2, 12)
    result = invite(ws, tmp_path, day)
    folder = tmp_path / f"run-{day}"
    # Everyone has a number: no empty "tanpa nomor WA" list is written, the summary says so.
    assert sorted(p.name for p in result.outputs) == sorted([
        "undangan_survei.xlsx", "undangan_survei.csv", "undangan_survei_wa.html",
        "lini_masa_angkatan.xlsx"])
    notes = read_step_record(folder, 4)["notes"]
    assert any(n.startswith("Alumni tanpa nomor WhatsApp (undangan): tidak ada") for n in notes)

    sheet = openpyxl.load_workbook(folder / "undangan_survei.xlsx").active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Nomor WA", "Nama", "Kejuruan", "Pesan"]
    names = {}
    for r in range(2, sheet.max_row + 1):
        phone_cell, name_cell = sheet.cell(r, 1), sheet.cell(r, 2)
        assert phone_cell.data_type == "s" and phone_cell.value.isdigit()
        assert phone_cell.value.startswith("62812")
        assert name_cell.data_type == "s"  # text, never a formula
        names[name_cell.value] = name_cell.quotePrefix
    assert names == {'=HYPERLINK("http://x","klik")': True, "+62 812 0000 0000": True, "-Budi": True}

    raw = (folder / "undangan_survei.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfNomor WA;Nama;")  # BOM and ";" for Excel in Indonesian
    with open(folder / "undangan_survei.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert {r["Nama"] for r in rows} == {"'=HYPERLINK(\"http://x\",\"klik\")", "'+62 812 0000 0000",
                                         "'-Budi"}
    assert all(r["Nomor WA"].isdigit() for r in rows)
    assert all(r["Pesan"].startswith("Yth.") for r in rows)

    page = (folder / "undangan_survei_wa.html").read_text(encoding="utf-8")
    assert page.count("https://wa.me/62812") == 3
    assert "=HYPERLINK(&quot;" in page  # escaped, shown as text


def test_message_names_the_alumnus_training_wave_and_form_link(ws, survey, tmp_path):
    survey.write_config('form_link = "https://forms.gle/SurveiKendari2025"')
    survey.training(survey.alumnus(1, name="Andi Ma'ruf"), date(2025, 1, 31), kejuruan="Otomotif",
                program="Teknisi Sepeda Motor Injeksi", angkatan="3")
    result = invite(ws, tmp_path, date(2025, 2, 26))
    (message,) = result.listed["message"]
    for part in ("Andi Ma'ruf", "Teknisi Sepeda Motor Injeksi", "Otomotif", "angkatan 3",
                 "31 Januari 2025", "1 bulan", "https://forms.gle/SurveiKendari2025",
                 "30 Maret 2025"):  # deadline: due 28 Feb + 30 days
        assert part in message, part
    assert not any("form_link" in n for n in result.notes)  # no longer the placeholder


def test_placeholder_form_link_is_flagged(ws, survey, tmp_path):
    survey.training(survey.alumnus(1), date(2025, 1, 15))
    result = invite(ws, tmp_path, date(2025, 2, 12))
    assert any("form_link" in n for n in result.notes)


LONG_PROGRAM = ("Pelatihan Berbasis Kompetensi Teknisi Perawatan dan Perbaikan Sistem Pendingin "
                "dan Tata Udara Residensial serta Komersial Tingkat Madya (Skema KKNI Level III)")


@pytest.mark.parametrize("template", ["undangan_survei.j2", "pengingat_survei.j2"])
def test_templates_render_for_every_kejuruan(template):
    settings = load_settings()
    for kejuruan in settings.kejuruan:
        for name in ("Nur'aini binti Usman", "La Ode Mu’min", "Andi Ma'ruf"):
            text = render(template, None, nama=name, kejuruan=kejuruan.name, program=LONG_PROGRAM,
                          angkatan="12", tahun=2025, selesai=date(2025, 8, 31), gelombang=6,
                          jatuh_tempo=date(2026, 2, 28), batas=date(2026, 3, 30),
                          tautan="https://forms.gle/x", balai="BPVP Kendari",
                          nama_balai=settings.institution.name, telepon_balai="(0401) 1",
                          ke=2, maks=2, diundang=date(2026, 2, 21), kode="K7QX-M4PZ")
            assert name in text and kejuruan.name in text and LONG_PROGRAM in text
            assert "Kode responden Saudara/i: K7QX-M4PZ" in text
            assert "https://forms.gle/x" in text and "30 Maret 2026" in text
            assert "{" not in text and "&#39;" not in text  # plain text, nothing escaped
            if template.startswith("pengingat"):
                assert "Pengingat 2 dari 2" in text and "21 Februari 2026" in text


@pytest.mark.parametrize("line,message", [
    ("window_days_before = -1", "tidak boleh negatif"),
    ("remind_after_days = 0", "paling sedikit 1"),
    ('form_link = "forms.gle/abc"', "https://"),
])
def test_bad_survey_settings_are_config_errors(ws, line, message, survey):
    survey.write_config(line)
    with pytest.raises(ConfigError, match=message):
        rules(ws)


# --- late-collected trainings --------------------------------------------------

def test_trainings_collected_more_than_a_month_after_the_end_are_flagged(ws, survey, tmp_path):
    end = date(2025, 1, 31)  # data due 28 February 2025
    on_time = survey.alumnus(1)
    survey.training(on_time, end, program="Juru Las SMAW 3G", imported=date(2025, 2, 28))
    late = survey.alumnus(2)
    survey.training(late, end, program="Pengelasan FCAW", imported=date(2025, 3, 10))
    survey.training(survey.alumnus(3), end, program="Pengelasan FCAW", imported=date(2025, 4, 1))
    result = invite(ws, tmp_path, date(2025, 4, 5))
    table = result.late
    assert table["Program"].tolist() == ["Pengelasan FCAW"]
    row = table.iloc[0]
    # first import of the training counts: 10 March is 10 days after 28 February
    assert row["Terlambat Dihimpun (hari)"] == 10
    assert row["Data Dihimpun"] == date(2025, 3, 10) and row["Peserta"] == 2
    assert result.counts["late_collected_trainings"] == 1
    sheet = openpyxl.load_workbook(tmp_path / f"run-{date(2025, 4, 5)}" / "lini_masa_angkatan.xlsx")
    assert sheet.sheetnames == ["Lini Masa", "Terlambat Dihimpun", "Keterangan"]
    assert sheet["Terlambat Dihimpun"].max_row == 2


def test_a_step_record_is_written(ws, survey, tmp_path):
    import json

    survey.training(survey.alumnus(1), date(2025, 1, 15))
    invite(ws, tmp_path, date(2025, 2, 12), "run")
    record = json.loads((tmp_path / "run" / "steps" / "04.json").read_text(encoding="utf-8"))
    assert record["counts"]["listed"] == 1 and record["counts"]["listed_wave_1"] == 1
    assert "undangan_survei.xlsx" in record["outputs"]


def test_collected_alumni_flow_into_the_invitation_list(ws, tmp_path):
    """Through step 1: a tiny CSV export imported by collect_alumni."""
    from kebekerjaan.steps.alumni import collect_alumni

    header = "NIK;Nama;Kejuruan;Program;Angkatan;Tanggal Selesai;No HP;Status"
    lines = [header,
             "7471014101000001;SITI AMINAH;TIK;Operator Komputer Madya;1;31/10/2026;0812-0123-4567;Lulus",
             "7471010101000002;BUDI;TIK;Operator Komputer Madya;1;31/10/2026;;Lulus",
             "7471010101000003;ARIF;TIK;Operator Komputer Madya;1;31/10/2026;081201234568;Tidak Lulus"]
    (ws.inbox("alumni") / "ekspor.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    collect_alumni(StepContext(ws, date(2026, 11, 27), tmp_path / "r1"))
    result = invite(ws, tmp_path, date(2026, 11, 27))  # wave 1 due 30 November
    assert result.listed["name"].tolist() == ["Siti Aminah"]
    assert result.no_phone["name"].tolist() == ["Budi"]
    assert result.listed["phone"].tolist() == ["+6281201234567"]


def test_an_empty_store_gives_empty_lists_not_errors(ws, tmp_path):
    from kebekerjaan.steps.outreach.remind import remind

    result = invite(ws, tmp_path, date(2026, 11, 27), "inv")
    reminders = remind(StepContext(ws, date(2026, 11, 27), tmp_path / "rem"))
    assert result.listed.empty and result.timeline.empty and reminders.listed.empty
    # Nothing to send: no empty list files, and the step summary says "tidak ada".
    assert not (tmp_path / "inv" / "undangan_survei.xlsx").exists()
    assert not (tmp_path / "rem" / "pengingat_survei.csv").exists()
    assert not list((tmp_path / "inv").glob("tanpa_nomor_wa*.xlsx"))
    notes = read_step_record(tmp_path / "inv", 4)["notes"]
    assert "Daftar kirim undangan: tidak ada (berkas undangan_survei.xlsx tidak dibuat)" in notes
