"""SOP step 7: answers from form exports and WhatsApp exports into the store, once each."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date

import openpyxl
import pandas as pd
import pytest

from kebekerjaan.core.context import StepContext
from kebekerjaan.demo.sample import write_sample
from kebekerjaan.steps.alumni import collect_alumni
from kebekerjaan.steps.answers.collect import collect_answers

TODAY = date(2026, 11, 27)


def count(ws, sql):
    con = sqlite3.connect(ws.store_path)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_the_same_response_in_several_exports_is_one_answer(ws, tmp_path, fixtures_dir):
    # The four form fixtures hold the same 4 responses in different export formats.
    for name in ("form_download.csv", "sheet_id.csv", "sheet_us.csv"):
        shutil.copy(fixtures_dir / "respons" / name, ws.inbox("respons"))
    result = collect_answers(StepContext(ws, TODAY, tmp_path / "run"))
    assert [f.status for f in result.files] == ["ok", "ok", "ok"]
    assert count(ws, "SELECT COUNT(*) FROM answers WHERE source = 'formulir'") == 4
    assert len(result.rejects) == 12  # 4 bad rows in each file, each with a reason
    assert result.rejects["Alasan"].str.len().min() > 5
    again = collect_answers(StepContext(ws, TODAY, tmp_path / "run2"))
    assert [f.status for f in again.files] == ["skipped"] * 3


def test_overlapping_whatsapp_export_adds_only_new_messages(ws, tmp_path, fixtures_dir):
    first = (fixtures_dir / "wa" / "android_id_24h.txt").read_text(encoding="utf-8")
    (ws.inbox("wa") / "chat_januari.txt").write_text(first, encoding="utf-8")
    collect_answers(StepContext(ws, TODAY, tmp_path / "r1"))
    before = count(ws, "SELECT COUNT(*) FROM answers WHERE source = 'whatsapp'")
    seen = count(ws, "SELECT COUNT(*) FROM wa_messages")
    assert before > 0
    # A later export holds the whole history again plus one new reply.
    later = first + "20/01/24 10.00 - +62 813-1111-2222: alhamdulillah sudah kerja di CV Anoa Digital\n"
    (ws.inbox("wa") / "chat_februari.txt").write_text(later, encoding="utf-8")
    result = collect_answers(StepContext(ws, TODAY, tmp_path / "r2"))
    report = [f for f in result.files if f.file == "chat_februari.txt"][0]
    assert report.counts["pesan baru"] == 1
    assert count(ws, "SELECT COUNT(*) FROM answers WHERE source = 'whatsapp'") == before + 1
    assert count(ws, "SELECT COUNT(*) FROM wa_messages") == seen + 1


def test_unreadable_chat_or_form_changes_nothing(ws, tmp_path):
    (ws.inbox("respons") / "kosong.csv").write_bytes(b"")
    result = collect_answers(StepContext(ws, TODAY, tmp_path / "r"))
    assert result.files[0].status == "failed" and "kosong" in result.files[0].message
    assert count(ws, "SELECT COUNT(*) FROM answers") == 0


@pytest.fixture(scope="module")
def sample_ws(tmp_path_factory):
    from kebekerjaan.core.workspace import init_workspace

    root = tmp_path_factory.mktemp("s") / "ws"
    ws = init_workspace(root)
    write_sample(root, n_alumni=300, seed=5, as_of=TODAY)
    collect_alumni(StepContext(ws, TODAY, root / "r0"))
    result = collect_answers(StepContext(ws, TODAY, root / "r1"))
    return ws, result, root / "r1"


def test_sample_answers_arrive_by_all_three_paths_and_mostly_match(sample_ws):
    ws, result, _ = sample_ws
    by_source = dict(sqlite3.connect(ws.store_path).execute(
        "SELECT source, COUNT(*) FROM answers GROUP BY source").fetchall())
    assert by_source["formulir"] > 0 and by_source["whatsapp"] > 0
    assert result.totals["matched"] >= 0.9 * result.totals["answers"]
    methods = {r[0] for r in sqlite3.connect(ws.store_path).execute(
        "SELECT DISTINCT match_method FROM answers WHERE match_status = 'cocok'")}
    assert {"nik", "telepon", "nama"} <= methods


def test_review_queue_is_written_for_staff(sample_ws):
    _, result, run = sample_ws
    sheet = openpyxl.load_workbook(run / "perlu_ditinjau.xlsx")["Perlu Ditinjau"]
    assert sheet.max_row == len(result.queue) + 1
    header = [c.value for c in sheet[1]]
    # What staff need first; the internal key last.
    assert header[:4] == ["Nama (jawaban)", "Kejuruan (jawaban)", "Jawaban", "Alasan Ditinjau"]
    assert "Calon Alumni" in header and header[-1] == "Kunci Jawaban"
    values = [c.value for row in sheet.iter_rows(min_row=2) for c in row]
    assert not any(isinstance(v, str) and ("None" in v or "nan" == v) for v in values)
    assert (run / "ditolak_respons.xlsx").exists()


def test_review_queue_names_what_is_missing():
    import json

    from kebekerjaan.steps.answers.collect import queue_for_staff

    queue = pd.DataFrame([{
        "answer_key": "form:abc", "source": "formulir", "answered_at": "2026-11-23T14:31:00",
        "given_name": None, "given_nik": None, "given_phone": None, "given_kejuruan": "Las",
        "given_code": None, "status": "bekerja", "employer": "PT Las Jaya", "message": None,
        "unclear": None, "match_note": "kode responden salah ketik",
        "candidates": json.dumps([{"name": None, "nik": "7471010101900001", "score": 100}])}])
    row = queue_for_staff(queue).iloc[0]
    assert row["Nama (jawaban)"] == "(nama tidak tercatat)"
    assert row["Jawaban"].startswith("Bekerja") and row["Jawaban"].endswith("di PT Las Jaya")
    assert row["Calon Alumni"] == "(nama tidak tercatat) (NIK 7471010101900001, skor 100)"
    assert row["Alasan Ditinjau"] == "kode responden salah ketik"


def test_latest_answer_per_training_and_wave_is_unique(sample_ws):
    ws, _, _ = sample_ws
    dupes = count(ws, "SELECT COUNT(*) FROM (SELECT enrolment_id, wave FROM answers "
                      "WHERE is_latest = 1 GROUP BY enrolment_id, wave HAVING COUNT(*) > 1)")
    assert dupes == 0


def test_demo_staff_entries_make_the_third_path(tmp_path):
    from kebekerjaan.core.workspace import init_workspace
    from kebekerjaan.demo.answers import simulate_staff_entries

    ws = init_workspace(tmp_path / "ws")
    write_sample(ws.root, n_alumni=120, seed=9, as_of=TODAY)
    collect_alumni(StepContext(ws, TODAY, tmp_path / "r0"))
    names = simulate_staff_entries(ws, TODAY)
    collect_answers(StepContext(ws, TODAY, tmp_path / "r1"))
    rows = sqlite3.connect(ws.store_path).execute(
        "SELECT source, match_status, entered_by FROM answers WHERE source = 'manual'").fetchall()
    assert len(rows) == len(names) == 2
    assert all(r[1] == "cocok" and r[2] == "Petugas (contoh)" for r in rows)
