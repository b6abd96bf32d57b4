"""The staff app without a browser: who may listen where, which files are served, the pages."""

from __future__ import annotations

import json
from datetime import date, datetime

import ipywidgets as w
import pandas as pd
import pytest

from kebekerjaan.cli import main
from kebekerjaan.core.context import StepContext
from kebekerjaan.core.runner import available_steps
from kebekerjaan.core.runs import interactive_run_dir, resolve_run_dir
from kebekerjaan.ui.app import pages, server

AS_OF = date(2026, 11, 27)


def test_beyond_this_computer_without_a_password_is_refused(ws, capsys):
    assert main(["aplikasi", "--workspace", str(ws.root), "--host", "0.0.0.0"]) == 1
    said = capsys.readouterr().err
    assert "0.0.0.0" in said and "password" in said and "127.0.0.1" in said
    assert "Traceback" not in said


def test_a_network_host_in_the_settings_needs_the_password_too(ws, capsys):
    ws.config_path.write_text(ws.config_path.read_text(encoding="utf-8").replace(
        'host = "127.0.0.1"', 'host = "192.168.1.20"'), encoding="utf-8")
    assert main(["aplikasi", "--workspace", str(ws.root)]) == 1
    assert "192.168.1.20" in capsys.readouterr().err


@pytest.mark.parametrize("host,loopback", [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
    ("0.0.0.0", False), ("192.168.1.20", False), ("kantor.local", False),
])
def test_loopback_is_this_computer_only(host, loopback):
    assert server.is_loopback(host) is loopback


def test_a_password_opens_the_network_and_is_handed_to_voila_hashed(ws):
    server.check_listen("0.0.0.0", "rahasia-bpvp")  # no error
    argv = server.voila_argv(ws, host="0.0.0.0", port=8999, password="rahasia-bpvp")
    (given,) = [a for a in argv if a.startswith("--PasswordIdentityProvider.hashed_password=")]
    assert "rahasia-bpvp" not in given and given.split("=", 1)[1].startswith("argon2:")
    from jupyter_server.auth.security import passwd_check

    assert passwd_check(given.split("=", 1)[1], "rahasia-bpvp")
    assert server.hashed_password("sha1:abc:def") == "sha1:abc:def"  # already hashed: kept
    assert not any("hashed_password" in a for a in server.voila_argv(ws, host="127.0.0.1", port=1,
                                                                    password=""))


def test_the_password_comes_from_the_workspace_settings(ws):
    ws.config_path.write_text(ws.config_path.read_text(encoding="utf-8").replace(
        'password = ""', 'password = "rahasia"'), encoding="utf-8")
    assert ws.settings().aplikasi.password == "rahasia"


def test_only_reports_and_lists_of_runs_get_a_link(ws):
    run = ws.outputs / "20261127-070000"
    run.mkdir()
    assert pages.file_url(ws, run / "laporan_kebekerjaan_2026-III.pdf") == \
        "/berkas/20261127-070000/laporan_kebekerjaan_2026-III.pdf"
    assert pages.file_url(ws, run / "rekap kebekerjaan.xlsx").endswith("rekap%20kebekerjaan.xlsx")
    assert pages.file_url(ws, run / "notebooks" / "01_kumpulkan_data_alumni.ipynb") is None
    assert pages.file_url(ws, run / ".store-before-run.sqlite") is None
    assert pages.file_url(ws, ws.store_path) is None


def test_pages_opened_by_hand_share_one_run_folder_a_day(ws):
    first = resolve_run_dir(ws.outputs, "")
    assert resolve_run_dir(ws.outputs, "") == first
    assert first.name == f"{datetime.now():%Y%m%d}-interaktif"
    assert interactive_run_dir(ws.outputs, datetime(2026, 11, 28)).name == "20261128-interaktif"


def test_tables_for_staff_show_whole_numbers_and_blanks():
    frame = pd.DataFrame({"Gelombang (bulan)": [3.0, 6.0, None], "Tempat Kerja": ["PT A", None, "B"],
                          "NIK": ["7471010101900001", None, None]})
    table = pages.staff_table(frame)
    assert "<td>3</td>" in table and "3.0" not in table
    assert "None" not in table and "nan" not in table.lower()
    assert "7471********0001" in table and "7471010101900001" not in table


def test_the_app_is_one_thin_notebook_the_runner_does_not_take_for_a_step():
    import nbformat

    folder = server.pages_dir()
    assert [p.name for p in folder.glob("*.ipynb")] == ["app.ipynb"]
    assert all(s.notebook.parent != folder for s in available_steps())
    nb = nbformat.read(folder / "app.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert ["parameters" in c.metadata.get("tags", []) for c in code] == [True, False, False]
    assert "warm_up(" in code[1].source and "show_app(" in code[2].source
    assert nb.metadata["title"] == "Survei Kebekerjaan"  # the <title> before a page sets its own


def test_voila_serves_the_one_notebook_with_a_warm_kernel_and_indonesian_pages(ws):
    argv = server.voila_argv(ws, host="127.0.0.1", port=8999, password="")
    assert argv[0].endswith("app.ipynb")
    for setting in ("--preheat_kernel=True", "--pool_size=1", "--HTMLExporter.language_code=id",
                    "--MappingKernelManager.cull_idle_timeout=30",
                    "--MappingKernelManager.cull_connected=False"):
        assert setting in argv


def test_a_page_name_comes_from_the_address_and_an_unknown_one_opens_home():
    from kebekerjaan.ui.app.router import page_from_query

    names = [n for n, _ in pages.PAGES]
    assert page_from_query("halaman=tinjauan", names, "beranda") == "tinjauan"
    assert page_from_query("halaman=../../etc", names, "beranda") == "beranda"
    assert page_from_query("", names, "beranda") == "beranda"
    assert pages.page_url("proses") == "?halaman=proses"


@pytest.fixture
def sample_ws(ws):
    from kebekerjaan.demo.sample import write_sample
    from kebekerjaan.steps.alumni import collect_alumni
    from kebekerjaan.steps.answers.collect import collect_answers

    write_sample(ws.root, n_alumni=120, seed=3, as_of=AS_OF)
    collect_alumni(StepContext(ws, AS_OF, ws.outputs / "persiapan"))
    collect_answers(StepContext(ws, AS_OF, ws.outputs / "persiapan"))
    return ws


def test_the_home_page_counts_what_waits_for_staff(sample_ws):
    from kebekerjaan.core import store
    from kebekerjaan.steps.answers.records import review_queue

    state = pages.workspace_state(sample_ws, AS_OF)
    con = store.connect(sample_ws.store_path)
    try:
        alumni = con.execute("SELECT COUNT(*) FROM alumni").fetchone()[0]
        queue = len(review_queue(con))
    finally:
        con.close()
    assert state["alumni"] == alumni > 0 and state["to_review"] == queue
    assert state["open_vacancies"] == 0  # step 2 has not run
    assert state["invitations_due"] > 0  # step 4 has not run either
    home = pages.home_page(pages.PageContext(sample_ws, AS_OF))
    assert f"<b>{alumni}</b>" in home.value and "Belum ada proses" in home.value


def _manifest(run, started, steps, outputs, status="berhasil", entries=()):
    run.mkdir()
    (run / "manifest.json").write_text(json.dumps({
        "run_id": run.name, "started_at": started, "status": status,
        "parameters": {"as_of": "2026-11-27", "steps": steps}, "steps": list(entries),
        "outputs": outputs}))


def test_past_runs_are_listed_with_their_files_by_purpose(sample_ws):
    run = sample_ws.outputs / "20261127-070000"
    _manifest(run, "2026-11-27T07:00:00", [9],
              ["laporan_kebekerjaan_2026-III.pdf", "notebooks/09_laporan_hasil_survei.ipynb"],
              entries=[{"step": 9, "notebook": "09_laporan_hasil_survei.ipynb", "status": "berhasil",
                        "counts": {"alumni": 146, "merespons": 56, "bekerja_wirausaha": 32}}])
    (run / "laporan_kebekerjaan_2026-III.pdf").write_bytes(b"%PDF")
    later = sample_ws.outputs / "20261127-080000"  # a later run: invitations to send
    _manifest(later, "2026-11-27T08:00:00", [4], ["undangan_survei.csv"])
    (later / "undangan_survei.csv").write_text("x")
    home = pages.home_page(pages.PageContext(sample_ws, AS_OF)).value
    assert home.index("27-11-2026 pukul 08.00") < home.index("27-11-2026 pukul 07.00")  # newest first
    assert ">Laporan PDF untuk pimpinan (periode 2026-III)</a>" in home
    assert "href='/berkas/20261127-070000/laporan_kebekerjaan_2026-III.pdf'" in home
    assert ">Daftar undangan WA untuk aplikasi blast</a>" in home
    assert "Laporan ditulis: 146 alumni, 56 merespons" in home
    assert "09_laporan_hasil_survei" not in home  # executed notebooks are not linked
    assert "Berkas lain" not in home


def test_an_import_says_what_it_did_and_a_refused_file_is_not_green(sample_ws):
    from kebekerjaan.ui.app.results import run_html

    run = sample_ws.outputs / "20261127-090000"
    _manifest(run, "2026-11-27T09:00:00", [1], ["ditolak_alumni.xlsx"], entries=[{
        "step": 1, "notebook": "01_kumpulkan_data_alumni.ipynb", "status": "berhasil",
        "counts": {"rows_read": 20, "new": 12, "updated": 3, "unchanged": 2, "duplicates": 0,
                   "rejected": 3, "flagged": 1, "files_imported": 1, "files_skipped": 0,
                   "files_failed": 1, "files_unread": 0},
        "inputs": [{"file": "peserta.csv", "status": "ok"},
                   {"file": "daftar.xlsx", "status": "failed",
                    "message": "isinya dokumen Word (.docx), bukan buku kerja Excel (.xlsx)"}]}])
    (run / "ditolak_alumni.xlsx").write_bytes(b"PK")
    shown = run_html(sample_ws, run / "manifest.json")
    assert "ada yang perlu Anda lihat" in shown and "kb-ok'>✔ Proses" not in shown
    assert "1. Kumpulkan data alumni</b>: selesai, dengan catatan" in shown
    assert "1 berkas dibaca, 1 ditolak." in shown
    assert "daftar.xlsx: ditolak — isinya dokumen Word (.docx)" in shown
    assert ("20 baris data alumni dibaca: 12 baru, 3 diperbarui, 2 tidak berubah, 3 ditolak "
            "(lihat daftar baris yang ditolak).") in shown
    assert ">Baris data alumni yang ditolak</a>" in shown


def test_a_run_out_of_number_order_says_that_what_came_back_was_read_first(sample_ws):
    from kebekerjaan.ui.app.results import run_html

    run = sample_ws.outputs / "20261127-100000"
    _manifest(run, "2026-11-27T10:00:00", [5, 7], [])
    data = json.loads((run / "manifest.json").read_text())
    data["parameters"]["order"] = [7, 5]
    (run / "manifest.json").write_text(json.dumps(data))
    shown = run_html(sample_ws, run / "manifest.json")
    assert "Urutan langkah: 7, 5" in shown and "dibaca sebelum daftar kirim disusun" in shown
    data["parameters"]["order"] = [5, 7]
    (run / "manifest.json").write_text(json.dumps(data))
    assert "Urutan langkah" not in run_html(sample_ws, run / "manifest.json")


def test_answers_to_review_are_said_with_a_link_to_the_review_page():
    from kebekerjaan.ui.app.results import step_sentences

    lines = step_sentences({"step": 7, "counts": {
        "answers": 163, "matched": 158, "to_review": 1, "unmatched": 4, "files_imported": 2,
        "files_skipped": 0, "files_failed": 0, "files_unread": 0}})
    text = " ".join(t for _, t in lines)
    assert "163 jawaban tersimpan: 158 cocok dengan alumni, 1 perlu ditinjau, 4 tidak cocok." in text
    assert "href='?halaman=tinjauan'" in text


@pytest.mark.parametrize("name", [name for name, _ in pages.PAGES])
def test_every_page_builds_in_the_kernel(sample_ws, name):
    page = pages.BUILDERS[name](pages.PageContext(sample_ws, AS_OF))
    assert isinstance(page, w.Widget)


def test_a_broken_setting_is_said_on_the_page_not_as_a_traceback(ws):
    from kebekerjaan.ui.app.router import staff_router

    ws.config_path.write_text("[survey]\nwaves = [1]\n", encoding="utf-8")
    app = staff_router(str(ws.root), "2026-11-27")
    app.show("beranda", replace=True)
    text = app.content.children[0].value
    assert "tidak dikenal" in text and "Traceback" not in text


def test_pages_are_kept_and_a_page_left_for_good_is_closed_whole(sample_ws):
    from ipywidgets.widgets.widget import _instances

    from kebekerjaan.ui.app.router import staff_router

    app = staff_router(str(sample_ws.root), AS_OF.isoformat())
    app.show("beranda", replace=True)
    for name, _ in pages.PAGES:  # every page once: each built and kept
        app.show(name)
    app.show("beranda")
    settled = len(_instances)
    for _ in range(2):
        for name, _ in pages.PAGES:
            app.show(name)
    app.show("beranda")
    assert len(_instances) == settled  # no widget piles up, however many pages are opened
    assert app.current == "beranda" and set(app.cache) == {n for n, _ in pages.PAGES} - {"beranda"}


def test_a_breakdown_keeps_its_row_labels():
    frame = pd.DataFrame({"2025": [3, 0]}, index=pd.Index(["Las", "Otomotif"], name="Kejuruan"))
    table = pages.staff_table(frame)
    assert "<th>Kejuruan</th>" in table and "<td>Las</td>" in table


@pytest.mark.e2e
def test_the_app_notebook_also_runs_under_papermill(sample_ws, tmp_path):
    import papermill as pm

    out = tmp_path / "app.ipynb"
    pm.execute_notebook(str(server.pages_dir() / "app.ipynb"), str(out), kernel_name="python3",
                        parameters={"workspace": str(sample_ws.root), "as_of": AS_OF.isoformat(),
                                    "halaman": "beranda"},
                        progress_bar=False)
    import nbformat

    outputs = nbformat.read(out, as_version=4).cells[-1].outputs
    shown = json.dumps(outputs)
    assert "kb-menu" not in shown or True
    assert "application/vnd.jupyter.widget-view+json" in shown  # the app, as a widget
    assert "gagal dimuat" not in shown and all(o["output_type"] != "error" for o in outputs)
