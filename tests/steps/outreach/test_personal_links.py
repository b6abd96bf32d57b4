"""Steps 4-5 with personal links, refusals and blast delivery reports (issue 8)."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pandas as pd
import pytest

from kebekerjaan.core.context import StepContext
from kebekerjaan.core.errors import ConfigError
from kebekerjaan.rules import codes
from kebekerjaan.steps.answers.manual import record_refusal
from kebekerjaan.steps.outreach.invite import invite_survey
from kebekerjaan.steps.outreach.remind import remind
from kebekerjaan.steps.outreach.rules import SurveyRules

END = date(2025, 1, 15)      # wave 1 due 15 February; window 8 Feb - 17 March
INVITED = date(2025, 2, 10)
REMIND = INVITED + timedelta(days=7)
PREFILL = "https://docs.google.com/forms/d/e/1FAIpQLSd/viewform?usp=pp_url&entry.1234=KODE"


def personal(survey):
    survey.write_config(f'prefill_link = "{PREFILL}"')
    survey.write_config('code_entry = "entry.1234"')


def test_each_invitation_carries_its_own_code_and_prefilled_link(ws, survey, tmp_path):
    personal(survey)
    enrolments = [survey.training(survey.alumnus(n), END) for n in (1, 2, 3)]
    result = invite_survey(StepContext(ws, INVITED, tmp_path / "r1"))
    listed = result.listed.set_index("enrolment_id")
    assert sorted(listed.index) == enrolments
    shown = set()
    for e, row in listed.iterrows():
        code = row["code"]
        assert codes.is_valid(code)
        link = next(w for w in row["message"].split() if w.startswith("https://"))
        query = parse_qs(urlsplit(link).query)
        assert query["entry.1234"] == [codes.display(code)] and query["usp"] == ["pp_url"]
        assert codes.display(code) in row["message"]
        assert survey.nik(e) not in link and survey.phone(e)[1:] not in link  # no personal number in a URL
        shown.add(code)
    assert len(shown) == 3
    # The code is in every output staff send: xlsx, csv and wa.me page.
    book = openpyxl.load_workbook(tmp_path / "r1" / "undangan_survei.xlsx")
    header = [c.value for c in book.active[1]]
    col = header.index("Kode Responden")
    assert {r[col].value for r in book.active.iter_rows(min_row=2)} == {codes.display(c) for c in shown}
    with open(tmp_path / "r1" / "undangan_survei.csv", encoding="utf-8-sig") as fh:
        given = {r["Kode Responden"] for r in csv.DictReader(fh, delimiter=";")}
    assert given == {codes.display(c) for c in shown}
    page = (tmp_path / "r1" / "undangan_survei_wa.html").read_text(encoding="utf-8")
    assert all(f"entry.1234%3D{codes.display(c)}" in page for c in shown)


def test_a_reminder_repeats_the_same_code(ws, survey, tmp_path):
    personal(survey)
    survey.training(survey.alumnus(1), END)
    first = invite_survey(StepContext(ws, INVITED, tmp_path / "r1")).listed["code"].tolist()
    again = remind(StepContext(ws, REMIND, tmp_path / "r2"))
    assert again.listed["code"].tolist() == first
    assert codes.display(first[0]) in again.listed["message"].iloc[0]


def test_without_a_prefilled_link_the_plain_link_and_the_code_go_out(ws, survey, tmp_path):
    survey.write_config('form_link = "https://forms.gle/SurveiKendari2025"')
    survey.training(survey.alumnus(1), END)
    result = invite_survey(StepContext(ws, INVITED, tmp_path / "r1"))
    (message,) = result.listed["message"]
    (code,) = result.listed["code"]
    assert "https://forms.gle/SurveiKendari2025\n" in message
    assert f"Kode responden Saudara/i: {codes.display(code)}" in message
    assert any("Tautan pribadi belum diatur" in n for n in result.notes)


@pytest.mark.parametrize("prefill,entry,says", [
    ("forms.gle/x", "entry.1", "prefill_link"),
    (PREFILL, "", "code_entry"),
    (PREFILL, "entry.999", "tidak memuat isian entry.999"),
])
def test_a_wrong_prefill_setting_is_a_clear_error(ws, prefill, entry, says, survey):
    survey.write_config(f'prefill_link = "{prefill}"')
    survey.write_config(f'code_entry = "{entry}"')
    with pytest.raises(ConfigError, match=says):
        SurveyRules.from_settings(ws.settings())


def test_a_refusal_stops_invitations_and_reminders(ws, survey, tmp_path):
    e1 = survey.training(survey.alumnus(1), END)
    e2 = survey.training(survey.alumnus(2), END)
    invite_survey(StepContext(ws, INVITED, tmp_path / "r1"))
    record_refusal(ws, nik=survey.nik(1), refused_on=INVITED + timedelta(days=2), entered_by="Bu Wati",
                   reason="tidak mau dihubungi", today=REMIND)
    result = remind(StepContext(ws, REMIND, tmp_path / "r2"))
    assert result.listed["enrolment_id"].tolist() == [e2]
    assert result.counts["refused"] == 1
    (why,) = result.refused_frame()["Alasan"]
    assert "menolak disurvei" in why and "tidak mau dihubungi" in why
    # ...and the next wave's invitation does not go out either.
    later = invite_survey(StepContext(ws, date(2025, 4, 10), tmp_path / "r3"))  # wave 3 due 15 April
    assert later.listed["enrolment_id"].tolist() == [e2]
    assert later.refused["enrolment_id"].tolist() == [e1]


def test_a_refusal_for_one_training_leaves_the_others(ws, survey, tmp_path):
    person = survey.alumnus(1)
    old = survey.training(person, date(2024, 12, 15), angkatan="1")
    new = survey.training(person, END, program="Juru Las FCAW", angkatan="2")
    record_refusal(ws, nik=person, refused_on=INVITED, entered_by="Wati", enrolment_id=new,
                   today=INVITED)
    result = invite_survey(StepContext(ws, date(2025, 3, 10), tmp_path / "r1"))  # old: wave 3 due 15 Mar
    assert result.listed["enrolment_id"].tolist() == [old]


def delivery_report(ws, rows, name="laporan_blast.xlsx"):
    pd.DataFrame(rows, columns=["Number", "Name", "Status", "Time"]).to_excel(
        ws.inbox("blast") / name, index=False)


def test_failed_numbers_from_the_delivery_report_get_no_reminder(ws, survey, tmp_path):
    enrolments = [survey.training(survey.alumnus(n), END) for n in (1, 2, 3)]
    invite_survey(StepContext(ws, INVITED, tmp_path / "r1"))
    delivery_report(ws, [
        [survey.phone(1)[1:], "A", "Read", "10/02/2025 10.15"],
        [survey.phone(2).replace("+62", "0"), "B", "Not on WhatsApp", "10/02/2025 10.16"],
        [survey.phone(3), "C", "Gagal", "10/02/2025 10.17"],
        ["0812", "D", "Delivered", "10/02/2025 10.18"],  # not a number: rejected with reason
    ])
    result = remind(StepContext(ws, REMIND, tmp_path / "r2"))
    assert result.listed["enrolment_id"].tolist() == [enrolments[0]]
    reasons = dict(zip(result.no_phone["enrolment_id"], result.no_phone["reason"]))
    assert "bukan pengguna WhatsApp" in reasons[enrolments[1]]
    assert "gagal terkirim" in reasons[enrolments[2]] and "laporan_blast.xlsx" in reasons[enrolments[2]]
    missing = openpyxl.load_workbook(tmp_path / "r2" / "tanpa_nomor_wa_pengingat.xlsx").active
    assert sum(1 for _ in missing.iter_rows(min_row=2)) == 2
    assert result.counts["blast_new"] == 3 and result.counts["blast_rejected"] == 1
    rejects = pd.read_excel(tmp_path / "r2" / "ditolak_laporan_blast.xlsx")
    assert rejects["Alasan"].tolist() == ["nomor '0812' tidak dapat dibaca"]


def test_a_delivery_report_imported_twice_changes_nothing(ws, survey, tmp_path):
    survey.training(survey.alumnus(1), END)
    delivery_report(ws, [[survey.phone(1), "A", "Failed", "2025-02-10 10:00"]])
    first = remind(StepContext(ws, INVITED, tmp_path / "r1"))
    (ws.inbox("blast") / "salinan.xlsx").write_bytes((ws.inbox("blast") / "laporan_blast.xlsx").read_bytes())
    delivery_report(ws, [[survey.phone(1), "A", "Failed", "2025-02-10 10:00"],
                         [survey.phone(1), "A", "Delivered", "2025-03-01 09:00"]], name="lanjutan.xlsx")
    # read on the day of its last row (a row stamped after the as-of date is refused)
    second = remind(StepContext(ws, date(2025, 3, 1), tmp_path / "r2"))
    assert first.counts["blast_new"] == 1
    assert second.counts["blast_files_skipped"] == 2  # the first report and its copy
    assert second.counts["blast_new"] == 1 and second.counts["blast_unchanged"] == 1
    con = survey.con
    assert con.execute("SELECT COUNT(*) FROM blast_deliveries").fetchone()[0] == 2
    from kebekerjaan.steps.answers.delivery import unreachable
    assert unreachable(con) == {}  # delivered later: reachable again


def test_a_delivery_report_without_a_status_column_changes_nothing(ws, survey, tmp_path):
    survey.training(survey.alumnus(1), END)
    pd.DataFrame({"Number": [survey.phone(1)], "Name": ["A"]}).to_excel(
        ws.inbox("blast") / "rusak.xlsx", index=False)
    result = remind(StepContext(ws, INVITED, tmp_path / "r1"))
    (report,) = result.arrivals.deliveries.files
    assert report.status == "failed" and "Status" in report.message
    assert survey.con.execute("SELECT COUNT(*) FROM blast_deliveries").fetchone()[0] == 0
