"""Per-cohort timeline against the SOP's timing (data after 1 month, surveys at 1, 3, 6)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from kebekerjaan.core import store
from kebekerjaan.core.context import StepContext
from kebekerjaan.steps.outreach.invite import invite_survey
from kebekerjaan.steps.outreach.rules import SurveyRules, load_answers, load_enrolments, load_log
from kebekerjaan.steps.outreach.timeline import cohort_timeline, late_collected, timeline_view

AS_OF = date(2025, 8, 10)


@pytest.fixture
def cohorts(ws, survey):
    """Four cohorts, each telling a different story (see the comments)."""
    # A: Las, ended 31 Jan 2025, data in on 20 Feb (due 28 Feb). Three graduates, one not.
    a = [survey.training(survey.alumnus(n), date(2025, 1, 31), imported=date(2025, 2, 20))
         for n in (1, 2, 3)]
    survey.training(survey.alumnus(4), date(2025, 1, 31), graduation="Tidak Lulus",
                imported=date(2025, 2, 20))
    # wave 1 (due 28 Feb): two invited on 25 Feb, one on 3 Mar; one reminder; two answers,
    # one of them matched by NIK only
    survey.sent(survey.nik(1), a[0], 1, date(2025, 2, 25))
    survey.sent(survey.nik(2), a[1], 1, date(2025, 2, 25))
    survey.sent(survey.nik(3), a[2], 1, date(2025, 3, 3))
    survey.sent(survey.nik(3), a[2], 1, date(2025, 3, 10), kind="pengingat")
    survey.answered(survey.nik(1), a[0], 1, date(2025, 2, 26))
    survey.answered(survey.nik(2), None, 1, date(2025, 2, 27))
    # wave 3 (due 30 Apr): invited 5 days late
    survey.sent(survey.nik(1), a[0], 3, date(2025, 5, 5))
    # B: Otomotif, ended 15 Jul 2025, data on time; wave 1 window (from 8 Aug) is open
    survey.training(survey.alumnus(5), date(2025, 7, 15), kejuruan="Otomotif",
                program="Servis Kendaraan Ringan", imported=date(2025, 8, 1))
    # C: TIK, ended 14 Mar 2025, data 20 Jun: 67 days after the 14 Apr deadline
    survey.training(survey.alumnus(6), date(2025, 3, 14), kejuruan="Teknologi Informasi dan Komunikasi",
                program="Operator Komputer Madya", imported=date(2025, 6, 20))
    # D: nobody passed
    survey.training(survey.alumnus(7), date(2025, 5, 2), kejuruan="Bangunan", program="Tukang Batu",
                graduation="Tidak Lulus", imported=date(2025, 5, 20))
    survey.close()
    con = store.connect(ws.store_path)
    try:
        frame = cohort_timeline(load_enrolments(con, graduates_only=False), load_log(con),
                                load_answers(con), SurveyRules.from_settings(ws.settings()), AS_OF)
    finally:
        con.close()
    return frame.set_index("Kejuruan")


def test_one_row_per_cohort_with_participants_and_graduates(cohorts):
    assert sorted(cohorts.index) == ["Bangunan", "Las", "Otomotif",
                                     "Teknologi Informasi dan Komunikasi"]
    assert (cohorts.loc["Las", "Peserta"], cohorts.loc["Las", "Lulus"]) == (4, 3)
    assert cohorts.loc["Las", "Selesai Pelatihan"] == date(2025, 1, 31)


def test_data_collection_status(cohorts):
    assert cohorts.loc["Las", "Status Data"] == "tepat waktu"
    assert cohorts.loc["Las", "Batas Himpun Data"] == date(2025, 2, 28)
    tik = cohorts.loc["Teknologi Informasi dan Komunikasi"]
    assert (tik["Status Data"], tik["Terlambat Dihimpun (hari)"]) == ("terlambat", 67)
    late = late_collected(cohorts.reset_index())
    assert late["Kejuruan"].tolist() == ["Teknologi Informasi dan Komunikasi"]


def test_wave_counts_and_dates(cohorts):
    las = cohorts.loc["Las"]
    assert las["Bln 1 Jatuh Tempo"] == date(2025, 2, 28)
    assert (las["Bln 1 Diundang"], las["Bln 1 Pengingat"], las["Bln 1 Menjawab"]) == (3, 1, 2)
    assert las["Bln 1 Tgl Undangan"] == "25/02/2025 s.d. 03/03/2025"
    assert las["Bln 1 Tgl Pengingat"] == "10/03/2025"
    assert (las["Bln 3 Diundang"], las["Bln 3 Menjawab"]) == (1, 0)


def test_wave_statuses(cohorts):
    def statuses(kejuruan):
        return [cohorts.loc[kejuruan, f"Bln {w} Status"] for w in (1, 3, 6)]

    # A: on time; 5 days late; wave 6 (due 31 Jul) open until 30 Aug, nobody invited yet
    assert statuses("Las") == ["tepat waktu", "terlambat", "belum diundang"]
    assert cohorts.loc["Las", "Bln 3 Undangan Terlambat (hari)"] == 5
    # B: wave 1 (due 15 Aug) opened 8 Aug; the later waves are not due
    assert statuses("Otomotif") == ["belum diundang", "belum jatuh tempo", "belum jatuh tempo"]
    # C: data came too late for waves 1 and 3; wave 6 (due 14 Sep) not due yet
    assert statuses("Teknologi Informasi dan Komunikasi") == [
        "terlewat", "terlewat", "belum jatuh tempo"]
    assert statuses("Bangunan") == ["tidak ada lulusan"] * 3


def test_notebook_view_is_coloured_and_shows_no_nik(cohorts, ws):
    rules = SurveyRules.from_settings(ws.settings())
    html = timeline_view(cohorts.reset_index(), rules, AS_OF).to_html()
    assert "terlambat 5 hari" in html and "#ffc7ce" in html  # "terlewat" is red
    assert not re.search(r"(?<!\d)\d{16}(?!\d)", html)


def test_the_step_writes_todays_invitations_into_the_timeline(ws, tmp_path, survey):
    for n in (1, 2):
        survey.training(survey.alumnus(n), date(2025, 7, 15), imported=date(2025, 8, 1))
    survey.close()
    result = invite_survey(StepContext(ws, AS_OF, tmp_path / "run", run_id="r"))
    row = result.timeline.iloc[0]
    # invited on 10 Aug, before the 15 Aug due date
    assert (row["Bln 1 Diundang"], row["Bln 1 Status"]) == (2, "tepat waktu")
    assert (tmp_path / "run" / "lini_masa_angkatan.xlsx").exists()


def test_data_collected_on_the_runs_reference_date_not_the_clock(ws, drop, tmp_path):
    """Step 1 run for an earlier date (a catch-up, the demo) dates the data by that date,
    so the timeline does not call every training hundreds of days late."""
    from kebekerjaan.steps.alumni import collect_alumni

    drop("update_v1.csv")
    earlier = date(2025, 8, 1)
    collect_alumni(StepContext(ws, earlier, tmp_path / "r1"))
    con = store.connect(ws.store_path)
    try:
        enrolments = load_enrolments(con, graduates_only=False)
        assert set(enrolments["collected_on"].dt.date) == {earlier}
        frame = cohort_timeline(enrolments, load_log(con), load_answers(con),
                                SurveyRules.from_settings(ws.settings()), earlier)
    finally:
        con.close()
    assert set(frame["Data Dihimpun"]) == {earlier}
