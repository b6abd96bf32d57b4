"""SOP step 2: vacancy lists (tests/fixtures/lowongan/README.md) and the hand-entry forms."""

from __future__ import annotations

import shutil
from datetime import date

import openpyxl
import pytest

from kebekerjaan.core import store
from kebekerjaan.core.context import StepContext
from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.steps.vacancies.gather import (
    add_vacancy,
    close_vacancy,
    gather_vacancies,
    open_vacancies,
)
from kebekerjaan.ui.widgets import close_vacancy_form, vacancy_form

TODAY = date(2026, 11, 27)


@pytest.fixture
def drop(ws, fixtures_dir):
    def _drop(*names):
        for name in names:
            shutil.copyfile(fixtures_dir / "lowongan" / name, ws.inbox("lowongan") / name)

    return _drop


@pytest.fixture
def gather(ws, tmp_path):
    runs = iter(range(100))
    return lambda: gather_vacancies(StepContext(ws, TODAY, tmp_path / f"run{next(runs)}"))


def rows(ws, sql, *args):
    con = store.connect(ws.store_path)
    try:
        return [dict(r) for r in con.execute(sql, args)]
    finally:
        con.close()


def test_each_bad_row_is_rejected_with_its_reason(drop, gather, ws, tmp_path):
    drop("rejects.csv")
    result = gather()
    reasons = dict(zip(result.rejects["Baris"], result.rejects["Alasan"], strict=True))
    assert reasons.keys() == {4, 5, 6, 7, 8, 9, 10, 11}
    assert reasons[4] == "perusahaan kosong"
    assert reasons[5] == "jabatan kosong"
    assert reasons[6] == "kejuruan kosong"
    assert reasons[7].startswith("kejuruan 'Perhiasan Emas' tidak dikenal")
    # one unknown kejuruan among known ones rejects the row, naming the unknown one
    assert reasons[8].startswith("kejuruan 'Perhiasan Emas' tidak dikenal")
    assert "akhir bulan" in reasons[9] and reasons[9].startswith("batas lamaran")
    assert "'nol'" in reasons[10] and "jumlah lowongan" in reasons[10]
    assert reasons[11].startswith("tanggal diterima") and "kemarin" in reasons[11]
    (report,) = result.files
    assert (report.rows_read, report.new, report.duplicates, report.rejected) == (11, 2, 1, 8)
    # the same rejects are in the run's workbook and in the store
    sheet = openpyxl.load_workbook(tmp_path / "run0" / "ditolak_lowongan.xlsx")["Ditolak"]
    assert [c.value for c in sheet[1]][:3] == ["Berkas", "Baris", "Alasan"]
    assert sheet.max_row == 1 + 8
    stored = rows(ws, "SELECT row_number, reason FROM rejects WHERE kind = 'lowongan'")
    assert {r["row_number"]: r["reason"] for r in stored} == reasons


def test_multi_kejuruan_cells_map_to_canonical_names(drop, gather, ws):
    drop("rejects.csv", "job_fair.xlsx")
    gather()
    kej = {r["position"]: r["kejuruan"] for r in rows(ws, "SELECT position, kejuruan FROM vacancies")}
    # "TIK, Bisnis dan Manajemen": the 'dan' inside a canonical name is not a separator
    assert kej["Admin Media Sosial"] == "Teknologi Informasi dan Komunikasi; Bisnis dan Manajemen"
    assert kej["Teknisi Listrik Industri"] == "Listrik; Elektronika"  # "Listrik dan Elektronika"
    assert kej["Mekanik Sepeda Motor"] == "Otomotif"  # alias
    assert kej["Juru Las SMAW"] == "Las"


def test_importing_the_same_file_twice_changes_nothing(drop, gather, ws):
    drop("rejects.csv")
    gather()
    before = {t: rows(ws, f"SELECT * FROM {t}") for t in ("vacancies", "rejects", "history")}
    second = gather()
    assert [f.status for f in second.files] == ["skipped"]
    assert {t: rows(ws, f"SELECT * FROM {t}") for t in before} == before


def test_same_vacancy_in_two_files_is_one_row_and_the_later_file_updates_it(drop, gather, ws):
    drop("job_fair.xlsx")
    gather()
    drop("update_v1.csv")  # the same Teknisi Listrik Industri, another way to apply
    gather()
    drop("update_v2.csv")  # ... and 5 openings instead of 2
    result = gather()
    found = rows(ws, "SELECT * FROM vacancies WHERE position = 'Teknisi Listrik Industri'")
    assert len(found) == 1
    assert found[0]["openings"] == 5 and found[0]["deadline"] == "2026-12-10"
    assert found[0]["kejuruan"] == "Listrik; Elektronika"
    (report,) = [f for f in result.files if f.status == "ok"]
    assert report.file == "update_v2.csv"
    assert (report.updated, report.unchanged, report.new) == (1, 1, 1)
    # a blank cell in the later file keeps the stored value (Barista's way to apply)
    barista = rows(ws, "SELECT how_to_apply FROM vacancies WHERE position = 'Barista'")[0]
    assert barista["how_to_apply"] == "Datang langsung"
    old = rows(ws, "SELECT old_values FROM history WHERE table_name = 'vacancies'")
    assert any('"openings": 2' in h["old_values"] for h in old)


def test_a_vacancy_is_open_through_its_deadline_day(drop, gather, ws):
    drop("update_v1.csv")
    gather()

    def open_on(day):
        return set(open_vacancies(ws, day)["position"])

    # Barista closes 2026-11-27, Pramusaji 2026-11-26
    assert {"Barista", "Pramusaji"} <= open_on(date(2026, 11, 26))
    assert "Barista" in open_on(date(2026, 11, 27)) and "Pramusaji" not in open_on(date(2026, 11, 27))
    assert "Barista" not in open_on(date(2026, 11, 28))


def test_a_vacancy_without_deadline_stays_open_for_the_configured_days(drop, gather, ws):
    drop("update_v2.csv")  # Desainer Grafis: no deadline, received 2026-11-20
    gather()
    days = ws.settings().vacancies.open_days_without_deadline
    last = date.fromordinal(date(2026, 11, 20).toordinal() + days)
    assert "Desainer Grafis" in set(open_vacancies(ws, last)["position"])
    after = date.fromordinal(last.toordinal() + 1)
    assert "Desainer Grafis" not in set(open_vacancies(ws, after)["position"])


def test_closing_by_hand_ends_it_from_that_day(drop, gather, ws):
    drop("update_v1.csv")
    gather()
    sql = "SELECT id FROM vacancies WHERE position = 'Teknisi Listrik Industri'"
    (vid,) = [r["id"] for r in rows(ws, sql)]
    close_vacancy(ws, vid, "sudah terisi", on=date(2026, 11, 30))
    assert vid in set(open_vacancies(ws, date(2026, 11, 29))["id"])
    assert vid not in set(open_vacancies(ws, date(2026, 11, 30))["id"])
    with pytest.raises(KebekerjaanError, match="sudah ditutup pada 30-11-2026"):
        close_vacancy(ws, vid, "lagi", on=date(2026, 12, 1))
    with pytest.raises(KebekerjaanError, match="alasan penutupan wajib diisi"):
        close_vacancy(ws, vid, "  ")
    with pytest.raises(KebekerjaanError, match="nomor 999 tidak ditemukan"):
        close_vacancy(ws, 999, "x")


GOOD = dict(company="CV Anoa Digital", position="Videografer", kejuruan=["TIK"],
            entered_by="Wa Ode Hasnah", openings="2", deadline="15-12-2026")


@pytest.mark.parametrize("change,message", [
    ({"company": " "}, "nama perusahaan wajib diisi"),
    ({"position": ""}, "jabatan wajib diisi"),
    ({"entered_by": ""}, "nama petugas yang mencatat wajib diisi"),
    ({"kejuruan": []}, "pilih paling sedikit satu kejuruan"),
    ({"kejuruan": ["Perhiasan Emas"]}, "kejuruan 'Perhiasan Emas' tidak dikenal"),
    ({"deadline": "31/13/2026"}, "batas lamaran '31/13/2026' tidak dapat dibaca"),
    ({"deadline": "20-11-2026"}, "batas lamaran 20-11-2026 sudah lewat"),
    ({"openings": "0"}, "harus bilangan bulat positif"),
    ({"openings": "-3"}, "harus bilangan bulat positif"),
    ({"openings": "dua"}, "harus bilangan bulat positif"),
])
def test_manual_add_is_validated_and_saves_nothing_when_wrong(ws, change, message):
    with pytest.raises(KebekerjaanError, match=message):
        add_vacancy(ws, **{**GOOD, **change}, today=TODAY)
    assert rows(ws, "SELECT * FROM vacancies") == []


def test_manual_add_saves_with_who_entered_it(ws):
    vid = add_vacancy(ws, **GOOD, today=TODAY)
    (saved,) = rows(ws, "SELECT * FROM vacancies")
    assert saved["id"] == vid and saved["entered_by"] == "Wa Ode Hasnah"
    assert (saved["kejuruan"], saved["openings"], saved["deadline"]) == (
        "Teknologi Informasi dan Komunikasi", 2, "2026-12-15")
    assert saved["received_date"] == TODAY.isoformat()
    with pytest.raises(KebekerjaanError, match=f"sudah tercatat sebagai nomor {vid}"):
        add_vacancy(ws, **{**GOOD, "company": "cv  ANOA digital"}, today=TODAY)


def _printed(box):
    return box.status.value


def test_the_add_form_validates_then_saves(ws):
    form = vacancy_form(ws, today=TODAY)
    f = form.fields
    f["company"].value = "PT Sultra Mandiri Teknik"
    f["position"].value = "Juru Las FCAW"
    f["deadline"].value = "31-12-2026"
    f["entered_by"].value = "Rahmat"
    form.save.click()  # no kejuruan chosen yet
    assert "Pilih paling sedikit satu kejuruan" in form.rows["kejuruan"].error.value  # by its field
    assert "1 isian perlu diperbaiki" in _printed(form)
    assert form.rows["company"].error.value == ""
    assert rows(ws, "SELECT * FROM vacancies") == []
    f["kejuruan"].value = ("Las", "Teknik Mesin")
    f["openings"].value = "4"
    form.save.click()
    (saved,) = rows(ws, "SELECT * FROM vacancies")
    assert (saved["position"], saved["kejuruan"], saved["openings"], saved["entered_by"]) == (
        "Juru Las FCAW", "Las; Teknik Mesin", 4, "Rahmat")
    assert f"Lowongan nomor {saved['id']} disimpan" in _printed(form)
    assert f["company"].value == "" and f["entered_by"].value == "Rahmat"  # ready for the next


def test_the_close_form_closes_the_chosen_vacancy(ws):
    vid = add_vacancy(ws, **GOOD, today=TODAY)
    form = close_vacancy_form(ws, today=TODAY)
    assert [v for _, v in form.fields["vacancy"].options] == [vid]
    form.fields["vacancy"].value = vid
    form.save.click()  # no reason yet
    assert "alasan penutupan wajib diisi" in _printed(form)
    assert rows(ws, "SELECT closed_on FROM vacancies")[0]["closed_on"] is None
    form.fields["reason"].value = "sudah terisi"
    form.fields["closed_by"].value = "Rahmat"
    form.save.click()
    (saved,) = rows(ws, "SELECT closed_on, closed_reason FROM vacancies")
    assert saved == {"closed_on": TODAY.isoformat(), "closed_reason": "sudah terisi (oleh Rahmat)"}
    assert form.fields["vacancy"].options == ()  # nothing open is left to close


def test_a_vacancy_added_shows_at_once_in_the_close_list(ws):
    from kebekerjaan.ui.widgets import vacancy_forms

    saved = []
    page = vacancy_forms(ws, today=TODAY, on_saved=saved.append)
    assert page.close_form.fields["vacancy"].options == ()
    f = page.add_form.fields
    f["company"].value, f["position"].value = "PT Sultra Mandiri Teknik", "Juru Las FCAW"
    f["kejuruan"].value, f["entered_by"].value = ("Las",), "Rahmat"
    f["deadline"].value = "31 Desember 2026"  # Indonesian month names are read too
    assert f["deadline"].input.value == "31-12-2026"
    page.add_form.save.click()
    (vid,) = [r["id"] for r in rows(ws, "SELECT id FROM vacancies")]
    assert [v for _, v in page.close_form.fields["vacancy"].options] == [vid] and saved == [vid]
    assert "s.d. 31-12-2026" in page.close_form.fields["vacancy"].options[0][0]
    page.close()  # the page can be closed like any widget (no attribute hides Widget.close)
    assert page.comm is None


def test_sample_vacancy_lists_are_deterministic_and_exercise_the_rules(tmp_path):
    from kebekerjaan.core.workspace import init_workspace
    from kebekerjaan.demo.sample import write_vacancy_sample

    a = write_vacancy_sample(tmp_path / "a", seed=5)
    b = write_vacancy_sample(tmp_path / "b", seed=5)
    assert [p.name for p in a] == [p.name for p in b]
    assert a[1].read_bytes() == b[1].read_bytes()  # the csv; xlsx zips carry a timestamp
    assert a[1].read_bytes() != write_vacancy_sample(tmp_path / "c", seed=6)[1].read_bytes()
    ws = init_workspace(tmp_path / "a")
    result = gather_vacancies(StepContext(ws, TODAY, tmp_path / "run"))
    reasons = " | ".join(result.rejects["Alasan"])
    assert "tidak dikenal" in reasons and "perusahaan kosong" in reasons and "batas lamaran" in reasons
    assert result.totals()["updated"] == 1  # the csv repeats one xlsx vacancy with more openings
    kejuruan = rows(ws, "SELECT kejuruan FROM vacancies")
    assert any("; " in r["kejuruan"] for r in kejuruan)  # some name two kejuruan
    open_now = open_vacancies(ws, TODAY)
    assert 0 < len(open_now) < len(kejuruan)  # some already expired
