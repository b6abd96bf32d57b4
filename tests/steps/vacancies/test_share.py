"""SOP step 3: group messages, caption, posters and the personal blast list."""

from __future__ import annotations

import csv
from datetime import date

import openpyxl
import pytest

from kebekerjaan.core import store
from kebekerjaan.core.config import load_settings
from kebekerjaan.core.context import StepContext
from kebekerjaan.steps.vacancies.gather import add_vacancy
from kebekerjaan.steps.vacancies.share import share_vacancies, slug

TODAY = date(2026, 11, 27)
LONG_COMPANY = ("PT Pembangunan Infrastruktur dan Rekayasa Teknik Sulawesi Tenggara Sejahtera "
                "Bersama Cabang Kendari")
LONG_PROGRAM = "Pemrograman Aplikasi Berbasis Web dan Perangkat Bergerak untuk Usaha Mikro Kecil"


def seed_alumni(ws, people):
    """people: (nik, name, phone, kejuruan, end_date); one training each."""
    con = store.connect(ws.store_path)
    with store.transaction(con):
        imp = store.log_import(con, kind="alumni", file_name="uji.csv", sha256="0" * 64, status="ok")
        for nik, name, phone, kejuruan, end in people:
            con.execute("INSERT OR IGNORE INTO alumni (nik, name, phone, first_import_id, "
                        "last_import_id, updated_at) VALUES (?, ?, ?, ?, ?, 'x')",
                        (nik, name, phone, imp, imp))
            con.execute("INSERT INTO enrolments (nik, kejuruan, program, program_key, angkatan, "
                        "training_year, end_date, first_import_id, last_import_id, updated_at) "
                        "VALUES (?, ?, ?, ?, '1', ?, ?, ?, ?, 'x')",
                        (nik, kejuruan, LONG_PROGRAM, nik, int(end[:4]), end, imp, imp))
    con.close()


def answer(ws, nik, status, when="2026-10-01"):
    """An answer staff typed in (step 6): matched by hand, as record_answer stores it."""
    con = store.connect(ws.store_path)
    with store.transaction(con):
        con.execute("INSERT INTO answers (nik, answered_at, status, source, created_at, "
                    "match_status, match_method) VALUES (?, ?, ?, 'manual', 'x', 'cocok', 'manual')",
                    (nik, when, status))
    con.close()


def nik(i):
    return f"74710101{i:04d}0001"[:16]


def vacancy(ws, company="PT Sultra Mandiri Teknik", position="Juru Las SMAW", kejuruan="Las",
            deadline="2026-12-15"):
    return add_vacancy(ws, company=company, position=position, kejuruan=kejuruan,
                       deadline=deadline, entered_by="Uji", how_to_apply="Kirim CV", today=TODAY)


def configure(ws, text):
    ws.config_path.write_text(text, encoding="utf-8")


def test_messages_render_for_every_configured_kejuruan(ws, tmp_path):
    names = [k.name for k in load_settings(None).kejuruan]
    people = []
    for i, kej in enumerate(names):
        vacancy(ws, company=f"{LONG_COMPANY} {i}", position=f"Petugas Ma'ruf {i}", kejuruan=kej)
        people.append((nik(i), f"Nur'aini Ma'ruf {i}", f"+62812000{i:05d}", kej, "2026-10-01"))
    seed_alumni(ws, people)
    result = share_vacancies(StepContext(ws, TODAY, tmp_path))
    assert list(result.group_messages) == names
    for i, kej in enumerate(names):
        text = (tmp_path / f"lowongan_wa_grup_{slug(kej)}.txt").read_text(encoding="utf-8")
        assert f"{LONG_COMPANY} {i}" in text and f"Petugas Ma'ruf {i}" in text
        assert "15 Desember 2026" in text
        assert "&#39;" not in text and "{{" not in text
    assert len({slug(k) for k in names}) == len(names)  # one file per kejuruan
    caption = (tmp_path / "lowongan_instagram.txt").read_text(encoding="utf-8")
    assert all(k in caption for k in names) and "#LokerKendari" in caption
    assert caption.count("#") <= 30
    assert len(result.posters) >= len(names)
    messages = dict(zip(result.blast["name"], result.blast["message"], strict=True))
    assert len(messages) == len(names)
    assert "Halo Nur'aini Ma'ruf 0," in messages["Nur'aini Ma'ruf 0"]
    assert LONG_PROGRAM in messages["Nur'aini Ma'ruf 0"]


def test_workspace_template_overrides_the_shipped_wording(ws, tmp_path):
    vacancy(ws)
    folder = ws.root / "templates" / "pesan"
    folder.mkdir(parents=True)
    (folder / "lowongan_wa_grup.j2").write_text("Loker {{ kejuruan }}: {{ vacancies | length }}",
                                                encoding="utf-8")
    result = share_vacancies(StepContext(ws, TODAY, tmp_path))
    assert result.group_messages == {"Las": "Loker Las: 1"}


PEOPLE = [  # nik, name, phone, kejuruan, end of training
    (nik(1), "Andi Las Lama", "+6281200000001", "Las", "2025-03-01"),
    (nik(2), "Budi Las Baru", "+6281200000002", "Las", "2026-10-01"),
    (nik(3), "Citra Las Kerja", "+6281200000003", "Las", "2026-09-01"),
    (nik(4), "Dewi Garmen", "+6281200000004", "Garmen Apparel", "2026-10-01"),
    (nik(5), "Eka Las Belum Selesai", "+6281200000005", "Las", "2026-12-20"),
    (nik(6), "Fajar Las Tanpa HP", None, "Las", "2026-10-01"),
]


@pytest.fixture
def blast_ws(ws):
    seed_alumni(ws, PEOPLE)
    answer(ws, nik(3), "bekerja")
    answer(ws, nik(2), "bekerja", when="2026-06-01")
    answer(ws, nik(2), "Mencari kerja", when="2026-11-01")  # the latest answer counts
    return ws


def test_blast_list_holds_matching_alumni_not_working_most_recent_first(blast_ws, tmp_path):
    vacancy(blast_ws)
    result = share_vacancies(StepContext(blast_ws, TODAY, tmp_path))
    # Dewi: other kejuruan; Citra: works; Eka: still in training; Fajar: no number
    assert list(result.blast["name"]) == ["Budi Las Baru", "Andi Las Lama"]
    sheet = openpyxl.load_workbook(tmp_path / "blast_lowongan.xlsx").active
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == list(result.blast["name"])


def test_working_alumni_can_be_kept_last_instead_of_left_out(blast_ws, tmp_path):
    configure(blast_ws, "[vacancies]\nexclude_working = false\n")
    vacancy(blast_ws)
    result = share_vacancies(StepContext(blast_ws, TODAY, tmp_path))
    assert list(result.blast["name"]) == ["Budi Las Baru", "Andi Las Lama", "Citra Las Kerja"]
    configure(blast_ws, "[vacancies]\nexclude_working = false\nnot_working_first = false\n"
                        "recent_first = false\n")
    result = share_vacancies(StepContext(blast_ws, TODAY, tmp_path / "b"))
    assert list(result.blast["name"]) == ["Andi Las Lama", "Budi Las Baru", "Citra Las Kerja"]


def test_numbers_the_blast_app_reported_failed_get_no_vacancy_message(blast_ws, tmp_path):
    import pandas as pd

    from kebekerjaan.steps.answers.delivery import import_delivery_reports

    pd.DataFrame([["+6281200000002", "Budi", "Not on WhatsApp", "10/11/2026 10.15"]],
                 columns=["Number", "Name", "Status", "Time"]).to_excel(
        blast_ws.inbox("blast") / "laporan_blast.xlsx", index=False)
    con = store.connect(blast_ws.store_path)
    try:
        import_delivery_reports(con, blast_ws.inbox("blast"), blast_ws.settings(), tmp_path, None)
    finally:
        con.close()
    vacancy(blast_ws)
    result = share_vacancies(StepContext(blast_ws, TODAY, tmp_path / "run"))
    assert list(result.blast["name"]) == ["Andi Las Lama"]


def test_recipients_per_vacancy_can_be_limited(blast_ws, tmp_path):
    configure(blast_ws, "[vacancies]\nmax_recipients_per_vacancy = 1\n")
    vacancy(blast_ws)
    result = share_vacancies(StepContext(blast_ws, TODAY, tmp_path))
    assert list(result.blast["name"]) == ["Budi Las Baru"]


def test_one_message_per_alumnus_lists_all_their_vacancies(blast_ws, tmp_path):
    vacancy(blast_ws, position="Juru Las SMAW")
    vacancy(blast_ws, company="CV Anoa Digital", position="Juru Las Pagar", deadline="2026-12-01")
    result = share_vacancies(StepContext(blast_ws, TODAY, tmp_path))
    assert len(result.blast) == 2
    message = result.blast["message"][0]
    assert message.index("Juru Las Pagar") < message.index("Juru Las SMAW")  # earliest deadline first


def test_spreadsheet_and_csv_keep_a_formula_company_inert(blast_ws, tmp_path):
    evil = '=HYPERLINK("http://jahat.example","klik")'
    vacancy(blast_ws, company=evil)
    share_vacancies(StepContext(blast_ws, TODAY, tmp_path))
    sheet = openpyxl.load_workbook(tmp_path / "blast_lowongan.xlsx").active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Perusahaan") + 1)
    assert cell.data_type == "s" and cell.value == evil and cell.quotePrefix
    with open(tmp_path / "blast_lowongan.csv", encoding="utf-8-sig", newline="") as fh:
        records = list(csv.DictReader(fh, delimiter=";"))
    assert records[0]["Perusahaan"] == "'" + evil


def test_outreach_is_logged_once_per_day_and_not_resent_later(blast_ws, tmp_path):
    vid = vacancy(blast_ws)

    def log():
        con = store.connect(blast_ws.store_path)
        try:
            return sorted(tuple(r) for r in con.execute(
                "SELECT nik, vacancy_id, sent_on, kind FROM outreach_log"))
        finally:
            con.close()

    first = share_vacancies(StepContext(blast_ws, TODAY, tmp_path / "a", run_id="a"))
    assert first.logged == 2
    shown = first.summary().set_index("Hasil")["Jumlah"]  # the notebook's summary of the step
    assert shown["Catatan pengiriman baru"] == 2 and shown["Alumni dalam daftar kirim pribadi"] == 2
    assert log() == sorted([(nik(1), vid, "2026-11-27", "lowongan"),
                            (nik(2), vid, "2026-11-27", "lowongan")])
    again = share_vacancies(StepContext(blast_ws, TODAY, tmp_path / "b", run_id="b"))
    assert again.logged == 0 and len(again.blast) == 2  # the same list, logged once
    assert len(log()) == 2
    later = share_vacancies(StepContext(blast_ws, date(2026, 11, 28), tmp_path / "c", run_id="c"))
    assert later.blast.empty and later.logged == 0  # already sent on an earlier day


def test_nothing_open_writes_no_lists(ws, tmp_path):
    vacancy(ws, deadline="2026-11-28")
    result = share_vacancies(StepContext(ws, date(2026, 11, 29), tmp_path))
    assert result.vacancies.empty and not result.posters and result.blast.empty
    assert not list(tmp_path.glob("lowongan_*.txt")) and not list(tmp_path.glob("blast_*"))
