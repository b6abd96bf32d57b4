"""`make demo` end to end (issue 8): personal links, answers by code, a delivery report and a
refusal, as a new user sees them after `kebekerjaan demo`."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pandas as pd
import pytest

from kebekerjaan import cli
from kebekerjaan.core import lock
from kebekerjaan.core.workspace import init_workspace
from kebekerjaan.rules import codes
from kebekerjaan.rules.labels import is_labelled

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`kebekerjaan demo` as a Windows console or a scheduled task's log file runs it: its
    standard output and error in cp1252 (issue 19: it printed a "→", died with
    UnicodeEncodeError after all nine steps, exited 2 and said the store was not changed)."""
    root = tmp_path_factory.mktemp("demo") / "ws"
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    env.pop(lock.RUN_ENV, None)
    done = subprocess.run([sys.executable, "-m", "kebekerjaan", "demo", str(root)],
                          capture_output=True, env=env, timeout=900)
    out, err = done.stdout.decode("cp1252"), done.stderr.decode("cp1252")
    assert done.returncode == cli.EXIT_OK, err
    assert "UnicodeEncodeError" not in err and "GAGAL" not in err
    assert "Basis data tidak diubah" not in err
    assert "->" in out  # the arrow, written as cp1252 can
    last = out.rstrip().splitlines()[-1]
    assert last.startswith("Halaman petugas (tanpa kode) untuk folder ini: kebekerjaan aplikasi")
    ws = init_workspace(root)
    runs = sorted(p for p in ws.outputs.iterdir() if p.is_dir())
    con = sqlite3.connect(ws.store_path)
    con.row_factory = sqlite3.Row
    yield ws, runs[0], runs[-1], con
    con.close()


def fresh(ws):
    """A connection of the test's own (closed when garbage-collected)."""
    con = sqlite3.connect(ws.store_path)
    con.row_factory = sqlite3.Row
    return con


def test_invitations_carry_personal_links(demo):
    _, first, _, _ = demo
    sent = pd.read_excel(first / "undangan_survei.xlsx", dtype=str)
    assert len(sent) > 10
    for message, code in zip(sent["Pesan"], sent["Kode Responden"]):
        assert codes.is_valid(codes.normalize(code))
        assert f"viewform?usp=pp_url&entry.1000001={code}" in message
        assert f"Kode responden Saudara/i: {code}" in message


def test_form_answers_are_matched_by_code_and_a_typo_is_reviewed(demo):
    _, _, last, con = demo
    by_method = dict(con.execute(
        "SELECT match_method, COUNT(*) FROM answers WHERE source = 'formulir' GROUP BY 1"))
    coded = con.execute("SELECT COUNT(*) FROM answers WHERE given_code IS NOT NULL").fetchone()[0]
    uncoded = con.execute("SELECT COUNT(*) FROM answers WHERE source = 'formulir' "
                          "AND given_code IS NULL").fetchone()[0]
    assert by_method["kode"] == coded and coded >= 5 and uncoded > coded  # some with, some without
    wrong = con.execute("SELECT match_status, unclear FROM answers WHERE match_method = 'kode' "
                        "AND match_status != 'cocok'").fetchall()
    assert [r["match_status"] for r in wrong] == ["tinjau"] and "salah ketik" in wrong[0]["unclear"]
    queue = pd.read_excel(last / "perlu_ditinjau.xlsx")
    assert queue["Alasan Ditinjau"].str.contains("kode responden").any()


def test_the_delivery_report_flags_failed_numbers_and_reminders_skip_them(demo):
    _, _, last, con = demo
    assert con.execute("SELECT COUNT(*) FROM blast_deliveries WHERE status IN ('gagal', 'bukan_wa')"
                       ).fetchone()[0] >= 2
    skipped = pd.read_excel(last / "tanpa_nomor_wa_pengingat.xlsx")
    assert skipped["Alasan"].str.contains("laporan blast WhatsApp").any()
    reminded = set(pd.read_excel(last / "pengingat_survei.xlsx", dtype=str)["Nomor WA"])
    failed = {r[0].lstrip("+") for r in con.execute(
        "SELECT phone FROM blast_deliveries WHERE status IN ('gagal', 'bukan_wa')")}
    assert not reminded & failed
    mutu = pd.read_excel(last / "rekap_kebekerjaan_2026-III.xlsx", sheet_name="Mutu Data")
    reach = mutu.set_index("Pemeriksaan")["Jumlah"]
    assert reach["Undangan gagal / bukan pengguna WhatsApp (laporan blast)"] >= 2


def test_refusals_stop_reminders_and_are_counted(demo):
    ws, _, last, con = demo
    by_phone = {r[0] for r in con.execute("SELECT nik FROM refusals")}
    by_form = {r[0] for r in con.execute(
        "SELECT nik FROM answers WHERE consent = 'tidak' AND nik IS NOT NULL")}
    assert len(by_phone) == len(by_form) == 1

    def reminded(run):
        return set(pd.read_excel(run / "pengingat_survei.xlsx", dtype={"NIK": str})["Nama"])

    def names(niks):
        return {r[0] for r in con.execute(
            f"SELECT name FROM alumni WHERE nik IN ({','.join('?' * len(niks))})", list(niks))}

    # Recorded by phone, or answered on the form and waiting in the inbox: no reminder that
    # day (what came back is read before the lists, issue 15), nor later.
    assert not reminded(last) & names(by_phone | by_form)
    assert cli.main(["run", "--workspace", str(ws.root), "--as-of", "2026-12-04", "--steps", "5",
                     "--no-progress"]) == 0
    later = sorted(p for p in ws.outputs.iterdir() if p.is_dir())[-1]
    assert reminded(later) and not reminded(later) & names(by_phone | by_form)

    summary = pd.read_excel(last / "rekap_kebekerjaan_2026-III.xlsx", sheet_name="Ringkasan")
    assert summary["Menolak"].iloc[0] == 2
    workbook = pd.read_excel(last / "rekap_kebekerjaan_2026-III.xlsx", sheet_name=None, dtype=str)
    assert set(workbook["Menolak"]["NIK"]) == by_phone | by_form
    assert "Menolak" in set(workbook["Definisi"]["Istilah"])


def test_no_survey_message_of_either_demo_day_goes_to_someone_who_had_answered_or_refused(demo):
    """Issue 15: on each demo day every answer and refusal already in the store or waiting
    in the inbox counts before the invitations and reminders are listed. On the first day
    the inbox held what was answered before that day; on the demo date, everything."""
    ws, first, last, _ = demo
    con = fresh(ws)  # the fixture's connection predates the run of test_refusals_...
    days = {json.loads((run / "manifest.json").read_text(encoding="utf-8"))["parameters"]["as_of"]
            for run in (first, last)}
    assert days == {(cli.DEMO_AS_OF - pd.Timedelta(days=9)).isoformat(), cli.DEMO_AS_OF.isoformat()}
    known = "(substr({col}, 1, 10) < o.sent_on OR o.sent_on = :last)"
    messages = ("FROM outreach_log o WHERE o.kind IN ('undangan', 'pengingat') "
                "AND o.sent_on IN (:first, :last)")
    params = {"first": min(days), "last": max(days)}
    answered = con.execute(
        f"SELECT o.kind, o.sent_on, o.nik, o.wave {messages} AND EXISTS (SELECT 1 FROM answers a "
        "WHERE a.discarded = 0 AND a.match_status = 'cocok' AND a.wave = o.wave "
        "AND (a.enrolment_id = o.enrolment_id OR (a.enrolment_id IS NULL AND a.nik = o.nik)) "
        f"AND {known.format(col='a.answered_at')})", params).fetchall()
    refused = con.execute(
        f"SELECT o.kind, o.sent_on, o.nik {messages} AND (EXISTS (SELECT 1 FROM refusals r "
        f"WHERE r.nik = o.nik AND {known.format(col='r.refused_on')}) OR EXISTS (SELECT 1 FROM "
        "answers a WHERE a.nik = o.nik AND a.consent = 'tidak' AND a.discarded = 0 "
        f"AND {known.format(col='a.answered_at')}))", params).fetchall()
    assert [tuple(r) for r in answered] == [] and [tuple(r) for r in refused] == []
    # Someone a reviewed answer may be from (a mistyped code) waits for the review.
    candidates = {c["nik"] for (text,) in con.execute(
        "SELECT candidates FROM answers WHERE match_status = 'tinjau' AND discarded = 0 "
        "AND answered_at >= ?", (min(days),)) for c in json.loads(text or "[]")}
    assert candidates
    held = con.execute(f"SELECT o.nik {messages} AND o.sent_on = :last", params).fetchall()
    assert not candidates & {r[0] for r in held}
    # Steps 4 and 5 say how many they skipped because an answer or refusal came that day.
    steps = {s["step"]: s for s in json.loads((last / "manifest.json").read_text(encoding="utf-8"))
             ["steps"]}
    for n in (4, 5):
        assert {"answered_today", "refused_today", "already_answered"} <= set(steps[n]["counts"])
    assert steps[4]["counts"]["answered_today"] + steps[5]["counts"]["answered_today"] > 0
    opening = json.loads((first / "manifest.json").read_text(encoding="utf-8"))["steps"]
    assert [s for s in opening if s["step"] == 4][0]["counts"]["answered_today"] > 0


def test_the_vacancy_list_shows_each_recipients_latest_answer(demo):
    """Issue 15: *Status Terakhir* said "belum ada jawaban survei" for all recipients."""
    from kebekerjaan.rules.questionnaire import load_questionnaire

    ws, _, last, _ = demo
    con = fresh(ws)
    sent = pd.read_excel(last / "blast_lowongan.xlsx", dtype=str)
    nik_of = {phone.lstrip("+"): nik for nik, phone in con.execute(
        "SELECT nik, phone FROM alumni WHERE phone IS NOT NULL")}
    shown = {nik_of[p]: v for p, v in zip(sent["Nomor WA"], sent["Status Terakhir"])}
    latest = {nik: status for nik, status in con.execute(
        "SELECT nik, status FROM answers WHERE nik IS NOT NULL AND discarded = 0 "
        "AND status IS NOT NULL AND COALESCE(consent, '') <> 'tidak' ORDER BY answered_at, id")}
    refused = {r[0] for r in con.execute(
        "SELECT nik FROM refusals UNION SELECT nik FROM answers WHERE consent = 'tidak'")}
    q = load_questionnaire()
    answered = set(latest) & set(shown)
    assert len(answered) > 20
    assert {n: shown[n] for n in answered - refused} == {
        n: q.status_label(latest[n]) for n in answered - refused}
    assert {shown[n] for n in set(shown) - set(latest) - refused} == {"Belum ada jawaban survei"}


def test_every_count_the_steps_record_has_indonesian_words(demo):
    ws, _, _, _ = demo
    counted = {key for manifest in ws.outputs.glob("*/manifest.json")
               for step in json.loads(manifest.read_text(encoding="utf-8"))["steps"]
               for key in step.get("counts", {})}
    assert len(counted) > 50  # steps 1 to 9 all recorded theirs
    assert sorted(k for k in counted if not is_labelled(k)) == []
def test_every_staff_file_opens_as_it_is(demo):
    """Each file of the demo opens in Excel in an Indonesian locale without fixing: CSV with
    ';' and a BOM, no workbook holding only a header, no placeholder text in any cell, the
    timeline dated by the runs' reference dates, notebooks without None/NaT."""
    import json
    import re

    import openpyxl

    ws, first, last, _ = demo
    runs = [first, last]
    csvs = [p for run in runs for p in run.glob("*.csv")]
    assert csvs
    for path in csvs:
        head = path.read_bytes().split(b"\r\n", 1)[0]
        assert head.startswith(b"\xef\xbb\xbf") and b";" in head and b"," not in head, path.name
    for path in (p for run in runs for p in run.glob("*.xlsx")):
        book = openpyxl.load_workbook(path, read_only=True)
        for i, sheet in enumerate(book.worksheets):
            rows = list(sheet.iter_rows(values_only=True))
            assert i > 0 or len(rows) > 1, f"{path.name} has only a header"
            for row in rows:
                for v in row:
                    assert not (isinstance(v, str) and re.search(r"\bNone\b|^nan$|^NaT$", v)), \
                        (path.name, sheet.title, v)
    timeline = pd.read_excel(first / "lini_masa_angkatan.xlsx")
    step1 = json.loads((first / "manifest.json").read_text(encoding="utf-8"))["parameters"]["as_of"]
    assert set(timeline["Data Dihimpun"].dt.date.astype(str)) == {step1}
    for nb in (p for run in runs for p in (run / "notebooks").glob("*.ipynb")):
        outputs = [o for c in json.loads(nb.read_text(encoding="utf-8"))["cells"]
                   for o in c.get("outputs", [])]
        html = "".join("".join(o.get("data", {}).get("text/html", "")) for o in outputs)
        assert not re.search(r"<td>(None|NaT|NaN|&lt;NA&gt;)</td>", html), nb.name
        assert not re.search(r"<td>(birth_date|name|nik|phone)</td>", html), nb.name
        plain = [o for o in outputs if o.get("output_type") == "execute_result"
                 and set(o.get("data", {})) == {"text/plain"}]
        assert not any("".join(o["data"]["text/plain"]).startswith("[") for o in plain), nb.name
