"""The staff app in a real browser: Playwright drives Debian's Chromium against `kebekerjaan
aplikasi` on a sample workspace, as staff would, and each test checks the store afterwards.

One app server per module. On failure the page is saved as a PNG in the test's tmp folder.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from kebekerjaan.core.context import StepContext

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AS_OF = date(2026, 11, 27)
# Voila starts a kernel and runs the page; on two shared cores that can take a while.
SLOW = 90_000

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.xdist_group("browser")]

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); CI installs it",
                allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def _rows(ws, sql, params=()):
    con = sqlite3.connect(ws.store_path)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql, params)]
    finally:
        con.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(server: subprocess.Popen) -> None:
    """Ctrl-C, as staff stop it: Voila then shuts its page kernels down too."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _tied_review_item(ws) -> dict:
    """A form answer naming an alumnus who has a namesake in the same training."""
    from kebekerjaan.core import store
    from kebekerjaan.steps.answers.records import refresh_with_settings, save_answers

    con = store.connect(ws.store_path)
    try:
        first = con.execute("SELECT a.nik, a.name, e.kejuruan FROM alumni a JOIN enrolments e "
                            "ON e.nik = a.nik ORDER BY a.nik LIMIT 1").fetchone()
        twin = first["nik"][:-4] + "9999"
        cols = [r[1] for r in con.execute("PRAGMA table_info(alumni)")]
        ecols = [r[1] for r in con.execute("PRAGMA table_info(enrolments)") if r[1] != "id"]
        with store.transaction(con):
            con.execute(f"INSERT INTO alumni ({', '.join(cols)}) SELECT "
                        + ", ".join("?" if c == "nik" else "NULL" if c == "phone" else c for c in cols)
                        + " FROM alumni WHERE nik = ?", (twin, first["nik"]))
            con.execute(f"INSERT INTO enrolments ({', '.join(ecols)}) SELECT "
                        + ", ".join("?" if c == "nik" else c for c in ecols)
                        + " FROM enrolments WHERE nik = ?", (twin, first["nik"]))
            save_answers(con, pd.DataFrame([{
                "answer_key": "uji:kembar", "source": "formulir", "answered_at": "2000-01-03T09:00:00",
                "given_name": first["name"], "given_kejuruan": first["kejuruan"],
                "status": "bekerja", "employer": "PT Uji Kembar"}]), import_id=None, file_name=None)
        refresh_with_settings(con, ws.settings())
    finally:
        con.close()
    (item,) = _rows(ws, "SELECT answer_key, match_status, candidates FROM answers "
                        "WHERE answer_key = 'uji:kembar'")
    candidates = json.loads(item["candidates"])
    assert item["match_status"] == "tinjau" and len(candidates) == 2
    assert candidates[0]["score"] == candidates[1]["score"]  # a real tie
    return {"name": first["name"], "niks": [c["nik"] for c in candidates]}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """A sample workspace with alumni and answers imported, served on a free port."""
    from kebekerjaan.core.workspace import init_workspace
    from kebekerjaan.demo.sample import write_sample
    from kebekerjaan.steps.alumni import collect_alumni
    from kebekerjaan.steps.answers.collect import collect_answers

    ws = init_workspace(tmp_path_factory.mktemp("aplikasi") / "ws")
    write_sample(ws.root, n_alumni=200, seed=11, as_of=AS_OF)
    setup = ws.outputs / "persiapan"
    collect_alumni(StepContext(ws, AS_OF, setup))
    collect_answers(StepContext(ws, AS_OF, setup))
    tie = _tied_review_item(ws)
    port = _free_port()
    log = open(ws.root / "aplikasi.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "kebekerjaan", "aplikasi", "--workspace", str(ws.root),
         "--port", str(port), "--as-of", AS_OF.isoformat()],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:  # wait for the server to answer (it is a separate process)
        try:
            urllib.request.urlopen(base + "/voila/static/", timeout=2)
            break
        except urllib.error.HTTPError:
            break  # it answers
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                log.close()
                pytest.fail("aplikasi did not start:\n" + (ws.root / "aplikasi.log").read_text())
            time.sleep(0.2)
    yield {"ws": ws, "base": base, "tie": tie, "pid": server.pid}
    _stop(server)
    log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, app, request, tmp_path):
    # An English browser: the dates must still read and show day first.
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(SLOW)
    pg = context.new_page()
    yield pg
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        for n, open_page in enumerate(context.pages):
            open_page.screenshot(path=str(tmp_path / f"halaman-{n}.png"), full_page=True)
        print(f"screenshots in {tmp_path}")
    context.close()


def visit(page, app, name: str):
    page.goto(f"{app['base']}/voila/render/{name}.ipynb")
    page.locator(".kb-menu").wait_for()
    return page


def field(page, label: str):
    """The input area of the form field whose label is exactly `label`."""
    title = page.locator(":scope > .widget-html b", has_text=re.compile(f"^{re.escape(label)}$"))
    return page.locator(".kb-isian", has=title).first


def fill(locator, text: str) -> None:
    """Type into a text field and leave it, as staff do (fields sync on change)."""
    box = locator.locator("input, textarea").first
    box.fill(text)
    box.press("Tab")


def test_every_page_opens_without_code(page, app):
    ws = app["ws"]
    page.goto(app["base"] + "/")  # the address staff are given opens the home page
    page.get_by_text("Jawaban menunggu tinjauan").wait_for()
    (alumni,) = _rows(ws, "SELECT COUNT(*) AS n FROM alumni")
    card = page.locator(".kb-kartu div", has_text="Alumni").first
    assert card.locator("b").inner_text() == str(alumni["n"])
    for name in ("beranda", "alumni", "lowongan", "jawaban", "tinjauan", "pemetaan", "proses"):
        visit(page, app, name)
        page.locator(".widget-html, .widget-box").first.wait_for()
        text = page.locator("body").inner_text()
        for code in ("show_page", "import ", "workspace: str", "Traceback"):
            assert code not in text, (name, code)
        assert page.locator(".jp-InputArea:visible, .jp-Cell-inputWrapper:visible").count() == 0
    # each page left shuts its kernel down: eight pages opened do not leave eight kernels
    import psutil

    deadline = time.monotonic() + 60
    while len(psutil.Process(app["pid"]).children()) > 2:
        assert time.monotonic() < deadline, "kernels of closed pages still running"
        time.sleep(0.5)


def test_search_then_a_field_error_then_an_answer_saved(page, app):
    ws = app["ws"]
    person = _rows(ws, "SELECT a.nik, a.name FROM alumni a WHERE a.name LIKE '% %' AND a.nik NOT IN "
                       "(SELECT nik FROM answers WHERE nik IS NOT NULL) AND (SELECT COUNT(*) FROM "
                       "alumni b WHERE b.name = a.name) = 1 ORDER BY a.nik LIMIT 1")[0]
    before = len(_rows(ws, "SELECT id FROM answers"))
    visit(page, app, "jawaban")
    part = person["name"][1:-1].lower()  # part of the name, as staff type it
    field(page, "Cari alumni").locator("input").fill(part)
    masked = f"{person['nik'][:4]}********{person['nik'][-4:]}"
    option = field(page, "Alumnus").locator("option", has_text=masked).first
    option.wait_for(state="attached")
    label = option.inner_text()
    shown = label.replace("\xa0", " ")  # ipywidgets keeps the spaces of option labels
    assert person["name"] in shown and "angkatan" in shown and "selesai" in shown
    field(page, "Alumnus").locator("select").select_option(label=label)
    assert not field(page, "Nama perusahaan/instansi").is_visible()  # not before a status
    field(page, "Status alumni").locator("select").select_option(label="Bekerja")
    field(page, "Nama perusahaan/instansi").wait_for()
    fill(field(page, "Dicatat oleh"), "Bu Wati")
    page.get_by_role("button", name="Simpan jawaban").click()
    employer = field(page, "Nama perusahaan/instansi")
    employer.get_by_text("Wajib diisi untuk status Bekerja").wait_for()  # by its own field
    page.get_by_text("isian perlu diperbaiki").first.wait_for()
    assert len(_rows(ws, "SELECT id FROM answers")) == before  # nothing saved

    fill(employer, "PT Uji Peramban")
    fill(field(page, "Jabatan/posisi"), "Operator")
    for label_, option_ in (("Jenis tempat kerja", "Perusahaan swasta"),
                            ("Bidang usaha", "Industri pengolahan/manufaktur"),
                            ("Penghasilan per bulan", "Rp1 juta sampai Rp2,5 juta"),
                            ("Keeratan pelatihan dengan pekerjaan", "Erat"),
                            ("Persetujuan penggunaan data", "Ya, saya bersedia")):
        field(page, label_).locator("select").select_option(label=option_)
    field(page, "Cara mendapat pekerjaan").locator("select").select_option(
        label=["Informasi lowongan dari BPVP"])
    fill(field(page, "Kabupaten/kota tempat kerja"), "Kota Kendari")
    fill(field(page, "Mulai bekerja sejak"), "01/10/2026")  # 1 October, on an English browser
    field(page, "Mulai bekerja sejak").get_by_text("1 Oktober 2026").wait_for()
    fill(field(page, "Tanggal jawaban"), "20 November 2026")
    page.get_by_role("button", name="Simpan jawaban").click()
    page.get_by_text(f"Jawaban {person['name']} tersimpan").wait_for()
    (saved,) = _rows(ws, "SELECT * FROM answers WHERE source = 'manual' AND nik = ?", (person["nik"],))
    assert (saved["employer"], saved["start_date"], saved["entered_by"]) == (
        "PT Uji Peramban", "2026-10-01", "Bu Wati")
    assert saved["answered_at"].startswith("2026-11-20")
    # the list beside the form shows it at once
    page.locator("table.kb-tabel", has_text="PT Uji Peramban").wait_for()


def test_a_refusal_recorded_from_the_form(page, app):
    ws = app["ws"]
    person = _rows(ws, "SELECT nik, name FROM alumni WHERE nik NOT IN (SELECT nik FROM refusals) "
                       "ORDER BY nik DESC LIMIT 1")[0]
    visit(page, app, "jawaban")
    field(page, "Cari alumni").locator("input").fill(person["nik"][4:])  # part of the NIK
    masked = f"{person['nik'][:4]}********{person['nik'][-4:]}"
    option = field(page, "Alumnus").locator("option", has_text=masked).first
    option.wait_for(state="attached")
    field(page, "Alumnus").locator("select").select_option(label=option.inner_text())
    fill(field(page, "Dicatat oleh"), "Pak Ridwan")
    fill(field(page, "Alasan penolakan"), "tidak bersedia dihubungi")
    fill(field(page, "Tanggal penolakan"), "25-11-2026")
    page.get_by_role("button", name="Catat penolakan").click()
    page.get_by_text(f"Penolakan {person['name']} tercatat").wait_for()
    (row,) = _rows(ws, "SELECT refused_on, reason, entered_by FROM refusals WHERE nik = ?",
                   (person["nik"],))
    assert row == {"refused_on": "2026-11-25", "reason": "tidak bersedia dihubungi",
                   "entered_by": "Pak Ridwan"}


def test_a_vacancy_added_then_closed_without_reloading(page, app):
    ws = app["ws"]
    visit(page, app, "lowongan")
    fill(field(page, "Nama perusahaan/instansi"), "PT Uji Lowongan Sultra")
    fill(field(page, "Jabatan"), "Juru Las Peramban")
    field(page, "Kejuruan terkait").locator("select").select_option(label=["Las"])
    fill(field(page, "Batas lamaran"), "12/01/2027")  # 12 January whatever the browser says
    field(page, "Batas lamaran").get_by_text("12 Januari 2027").wait_for()
    fill(field(page, "Dicatat oleh"), "Rahmat")
    page.get_by_role("button", name="Simpan lowongan").click()
    page.get_by_text("disimpan: Juru Las Peramban").wait_for()
    (vacancy,) = _rows(ws, "SELECT id, deadline, closed_on FROM vacancies WHERE position = ?",
                       ("Juru Las Peramban",))
    assert (vacancy["deadline"], vacancy["closed_on"]) == ("2027-01-12", None)
    page.locator("table.kb-tabel", has_text="Juru Las Peramban").wait_for()  # open list refreshed

    close = field(page, "Lowongan yang ditutup").locator("select")
    option = close.locator("option", has_text="Juru Las Peramban")
    option.wait_for(state="attached")  # the close list already knows it
    close.select_option(label=option.inner_text())
    fill(field(page, "Alasan"), "sudah terisi")
    page.get_by_role("button", name="Tutup lowongan").click()
    page.get_by_text(f"Lowongan nomor {vacancy['id']} ditutup").wait_for()
    (closed,) = _rows(ws, "SELECT closed_on, closed_reason FROM vacancies WHERE id = ?",
                      (vacancy["id"],))
    assert closed == {"closed_on": AS_OF.isoformat(), "closed_reason": "sudah terisi"}


def test_a_review_item_with_tied_candidates_decided(page, app):
    ws, tie = app["ws"], app["tie"]
    visit(page, app, "tinjauan")
    page.get_by_text("Jawaban 1 dari").wait_for()
    card = page.locator(".widget-html", has_text="Jawaban 1 dari").first
    for nik in tie["niks"]:  # the two namesakes are told apart by their masked NIK
        assert f"{nik[:4]}********{nik[-4:]}" in card.inner_text()
    other = page.locator(".widget-dropdown", has_text="Alumnus").first.locator("select")
    # the second of the tied candidates, not the first (options: maybe "— pilih —", then them)
    labels = [o.replace("\xa0", " ") for o in other.locator("option").all_inner_texts()]
    offset = len(labels) - len(tie["niks"])
    assert offset in (0, 1) and all(tie["name"] in lab for lab in labels[offset:])
    other.select_option(index=offset + 1)
    page.locator(".widget-text", has_text="Diputuskan oleh").locator("input").fill("Bu Wati")
    page.get_by_role("button", name="Pilih alumnus ini").click()
    page.get_by_text("Keputusan disimpan").wait_for()
    (decision,) = _rows(ws, "SELECT decision, nik, decided_by FROM review_decisions "
                            "WHERE answer_key = 'uji:kembar'")
    assert decision == {"decision": "pilih", "nik": tie["niks"][1], "decided_by": "Bu Wati"}
    (answer,) = _rows(ws, "SELECT nik, match_status FROM answers WHERE answer_key = 'uji:kembar'")
    assert answer == {"nik": tie["niks"][1], "match_status": "cocok"}


def test_steps_run_with_a_progress_bar_and_the_report_opens(page, app):
    ws = app["ws"]
    visit(page, app, "proses")
    page.get_by_label("1. Kumpulkan data alumni").wait_for()
    for box in page.locator(".widget-checkbox input").all():
        box.uncheck()
    for caption in ("8. Rekap kebekerjaan", "9. Laporan hasil survei"):
        page.get_by_label(caption).check()
    page.get_by_role("button", name="Jalankan langkah terpilih").click()
    page.locator(".widget-hprogress, .widget-progress").first.wait_for()
    page.get_by_text(re.compile(r"Proses \S+ selesai")).wait_for(timeout=300_000)
    link = page.get_by_role("link", name=re.compile(r"^Laporan PDF"))
    href = link.get_attribute("href")
    assert href.startswith("/berkas/") and href.endswith(".pdf")
    pdf = page.request.get(app["base"] + href)
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    with page.expect_popup() as popup:
        page.get_by_role("link", name=re.compile(r"^Laporan HTML")).click()
    report = popup.value
    report.wait_for_load_state()
    assert "Kebekerjaan" in report.locator("body").inner_text()
    # the run is recorded where runs are: a manifest saying both steps succeeded
    manifests = [json.loads(p.read_text()) for p in ws.outputs.glob("*/manifest.json")]
    (run,) = [m for m in manifests if m["parameters"]["steps"] == [8, 9]]
    assert run["status"] == "berhasil" and run["parameters"]["as_of"] == AS_OF.isoformat()
    assert not _rows(ws, "SELECT 1 FROM answers WHERE answer_key = 'uji:kembar' AND discarded = 1")


def test_a_siapkerja_export_uploaded_and_imported(page, app, fixtures_dir):
    ws = app["ws"]
    export = fixtures_dir / "alumni" / "duplicates.csv"
    assert not _rows(ws, "SELECT 1 FROM alumni WHERE nik = '7471035505010103'")
    visit(page, app, "alumni")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile(r"Pilih berkas")).click()
    chooser.value.set_files(str(export))
    page.get_by_text("Pilih berkas (1)").wait_for()
    page.get_by_role("button", name="Simpan ke folder masuk").click()
    page.get_by_text("Disimpan: duplicates.csv").wait_for()
    page.get_by_role("button", name="Impor sekarang (langkah 1)").click()
    page.get_by_text(re.compile(r"Proses \S+ selesai")).wait_for(timeout=300_000)
    page.get_by_role("link", name=re.compile(r"^Excel: ditolak_alumni")).wait_for()
    (person,) = _rows(ws, "SELECT name FROM alumni WHERE nik = '7471035505010103'")
    assert person["name"] == "Indah Puspita"


def test_a_new_form_uploaded_and_its_unknown_column_mapped(page, app, tmp_path):
    ws = app["ws"]
    export = tmp_path / "jawaban formulir baru.csv"
    export.write_text("Timestamp,Nomor Induk Kependudukan (NIK),Nama lengkap,Apa status Anda saat ini?,"
                      "Kantor tempat bertugas\n2026/11/20 10:00:00 AM GMT+8,7471010101900001,"
                      "Budi Santoso,Bekerja,PT Anoa\n", encoding="utf-8")
    visit(page, app, "pemetaan")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile(r"Pilih berkas")).click()
    chooser.value.set_files(str(export))
    page.get_by_text("Pilih berkas (1)").wait_for()
    page.get_by_role("button", name="Simpan ke folder masuk").click()
    page.get_by_text("Disimpan: jawaban formulir baru.csv").wait_for()
    assert (ws.inbox("respons") / export.name).read_bytes() == export.read_bytes()
    row = page.locator(".widget-hbox", has=page.get_by_text("Kantor tempat bertugas", exact=True))
    picker = row.locator("select")
    option = picker.locator("option", has_text="[employer]")
    option.wait_for(state="attached")
    picker.select_option(label=option.inner_text())
    page.get_by_role("button", name="Simpan ke kebekerjaan.toml").click()
    page.get_by_text("employer: Kantor tempat bertugas").wait_for()
    assert "Kantor tempat bertugas" in ws.config_path.read_text(encoding="utf-8")
    from kebekerjaan.steps.answers.mapping import unrecognised_headers

    assert not [h for h in unrecognised_headers(ws) if h.header == "Kantor tempat bertugas"]


def test_outputs_served_are_reports_and_lists_only(app):
    ws, base = app["ws"], app["base"]
    for path in ("/berkas/../data/kebekerjaan.sqlite", "/berkas/%2e%2e/kebekerjaan.toml",
                 "/berkas/persiapan/steps/01.json"):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(base + path, timeout=10)
        assert err.value.code in (403, 404), path
    (rejects,) = [p for p in (ws.outputs / "persiapan").glob("ditolak_alumni.xlsx")]
    with urllib.request.urlopen(base + "/berkas/persiapan/" + rejects.name, timeout=10) as reply:
        assert reply.read(2) == b"PK"


def _serve(ws, port: int, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "kebekerjaan", "aplikasi", "--workspace", str(ws.root),
         "--port", str(port), "--as-of", AS_OF.isoformat()],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    log.close()
    return server


def test_with_a_password_every_page_and_file_asks_for_it_first(browser, tmp_path):
    from kebekerjaan.core.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws")
    ws.config_path.write_text(ws.config_path.read_text(encoding="utf-8").replace(
        'password = ""', 'password = "sandi-bpvp-2026"'), encoding="utf-8")
    (ws.outputs / "r1").mkdir()
    (ws.outputs / "r1" / "laporan_uji.html").write_text("<p>laporan</p>", encoding="utf-8")
    port = _free_port()
    server = _serve(ws, port, tmp_path / "aplikasi.log")
    context = browser.new_context(locale="en-US")
    context.set_default_timeout(SLOW)
    page = context.new_page()
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                page.goto(base + "/berkas/r1/laporan_uji.html")
                break
            except sync_api.Error:
                assert server.poll() is None and time.monotonic() < deadline, (
                    (tmp_path / "aplikasi.log").read_text())
                time.sleep(0.2)
        page.get_by_label("Sandi").wait_for()  # a report is not served before login
        assert "laporan" not in page.locator("body").inner_text()
        page.get_by_label("Sandi").fill("salah")
        page.get_by_role("button", name="Masuk").click()
        page.get_by_text("Sandi salah").wait_for()
        page.get_by_label("Sandi").fill("sandi-bpvp-2026")
        page.get_by_role("button", name="Masuk").click()
        page.get_by_text("laporan", exact=True).wait_for()
        page.goto(base + "/")
        page.get_by_text("Jawaban menunggu tinjauan").wait_for()
    except Exception:
        page.screenshot(path=str(tmp_path / "halaman.png"), full_page=True)
        raise
    finally:
        context.close()
        _stop(server)


def test_the_loading_screen_speaks_indonesian(app):
    with urllib.request.urlopen(app["base"] + "/voila/render/beranda.ipynb", timeout=120) as reply:
        page = reply.read().decode("utf-8")
    assert "Memuat halaman" in page and "Menyiapkan halaman" in page
    assert "Running " not in page
