"""SOP step 5: reminders to invited alumni who have not answered."""

from __future__ import annotations

import json
from datetime import date, timedelta

import openpyxl
import pytest

from kebekerjaan.core.context import StepContext
from kebekerjaan.steps.outreach.remind import remind

END = date(2025, 1, 15)          # wave 1 due 15 February; window 8 Feb - 17 March
INVITED = date(2025, 2, 10)
DAY = timedelta(days=1)


@pytest.fixture
def invited(survey):
    """One graduate invited to wave 1 on INVITED; returns the enrolment id."""
    e = survey.training(survey.alumnus(1, name="Nur'aini"), END)
    survey.sent(survey.nik(1), e, 1, INVITED)
    return e


def run(ws, tmp_path, day: date, name: str | None = None):
    return remind(StepContext(ws, day, tmp_path / (name or f"run-{day}"), run_id=f"r-{day}"))


def test_no_reminder_before_the_waiting_time(ws, tmp_path, invited):
    # remind_after_days = 7 by default
    early = run(ws, tmp_path, INVITED + 6 * DAY)
    assert early.listed.empty and early.counts["too_soon"] == 1
    due = run(ws, tmp_path, INVITED + 7 * DAY)
    assert due.listed["enrolment_id"].tolist() == [invited]
    assert due.listed["reminder_no"].tolist() == [1]


def test_reminders_are_spaced_and_stop_after_the_maximum(ws, tmp_path, invited, survey):
    first = INVITED + 7 * DAY
    sent = {d: run(ws, tmp_path, d).listed["reminder_no"].tolist()
            for d in (first, first + 6 * DAY, first + 7 * DAY, first + 14 * DAY, first + 21 * DAY)}
    # second reminder 7 days after the first; max_reminders = 2, so no third
    assert sent == {first: [1], first + 6 * DAY: [], first + 7 * DAY: [2],
                    first + 14 * DAY: [], first + 21 * DAY: []}
    assert [r["sent_on"] for r in survey.log_rows("pengingat")] == [
        first.isoformat(), (first + 7 * DAY).isoformat()]
    last = run(ws, tmp_path, first + 14 * DAY, "again")
    assert last.counts["reminders_used_up"] == 1


def test_the_maximum_comes_from_the_settings(ws, tmp_path, invited, survey):
    survey.write_config("max_reminders = 1\nremind_after_days = 3")
    assert run(ws, tmp_path, INVITED + 3 * DAY).listed["reminder_no"].tolist() == [1]
    assert run(ws, tmp_path, INVITED + 6 * DAY).listed.empty


def test_no_reminder_after_an_answer(ws, tmp_path, survey, invited):
    survey.answered(survey.nik(1), invited, 1, INVITED + 3 * DAY)
    result = run(ws, tmp_path, INVITED + 7 * DAY)
    assert result.listed.empty and result.counts["already_answered"] == 1


def test_an_answer_matched_by_nik_only_also_stops_reminders(ws, tmp_path, survey, invited):
    survey.answered(survey.nik(1), None, 1, INVITED + 3 * DAY)
    assert run(ws, tmp_path, INVITED + 7 * DAY).listed.empty


def test_an_answer_to_another_wave_does_not(ws, tmp_path, survey, invited):
    survey.answered(survey.nik(1), invited, 3, INVITED + 3 * DAY)
    assert len(run(ws, tmp_path, INVITED + 7 * DAY).listed) == 1


def test_alumni_never_invited_get_no_reminder(ws, tmp_path, survey):
    survey.training(survey.alumnus(2), END)
    result = run(ws, tmp_path, INVITED + 7 * DAY)
    assert result.listed.empty and result.counts["invited_open"] == 0


def test_no_reminder_once_the_wave_window_has_closed(ws, tmp_path, survey):
    e = survey.training(survey.alumnus(1), END)
    survey.sent(survey.nik(1), e, 1, date(2025, 3, 14))       # invited late in the window
    assert run(ws, tmp_path, date(2025, 3, 21)).listed.empty  # window closed 17 March
    assert run(ws, tmp_path, date(2025, 3, 21), "x").counts["window_closed"] == 1


def test_same_day_twice_gives_the_same_list_and_log(ws, tmp_path, invited, survey):
    day = INVITED + 7 * DAY
    a = run(ws, tmp_path, day, "a")
    b = run(ws, tmp_path, day, "b")
    assert a.listed["reminder_no"].tolist() == b.listed["reminder_no"].tolist() == [1]
    assert (a.counts["logged_new"], b.counts["logged_new"]) == (1, 0)
    assert len(survey.log_rows("pengingat")) == 1


def test_reminder_message_and_files(ws, tmp_path, invited):
    day = INVITED + 7 * DAY
    result = run(ws, tmp_path, day)
    (message,) = result.listed["message"]
    assert "Nur'aini" in message and "Pengingat 1 dari 2" in message
    assert "10 Februari 2025" in message  # the invitation date
    folder = tmp_path / f"run-{day}"
    assert sorted(p.name for p in result.outputs) == sorted([
        "pengingat_survei.xlsx", "pengingat_survei.csv", "pengingat_survei_wa.html"])
    sheet = openpyxl.load_workbook(folder / "pengingat_survei.xlsx").active
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("Pengingat ke") + 1).value == 1
    assert sheet.cell(2, 1).data_type == "s"
    record = json.loads((folder / "steps" / "05.json").read_text(encoding="utf-8"))
    assert record["counts"]["listed"] == 1


def test_reminder_without_whatsapp_number_is_listed_separately(ws, tmp_path, survey):
    e = survey.training(survey.alumnus(5, phone_number="+62401312345"), END)
    survey.sent(survey.nik(5), e, 1, INVITED)  # number changed to a landline since the invitation
    result = run(ws, tmp_path, INVITED + 7 * DAY)
    assert result.listed.empty and result.no_phone["enrolment_id"].tolist() == [e]
    assert survey.log_rows("pengingat") == []
