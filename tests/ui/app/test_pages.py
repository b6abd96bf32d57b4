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


def test_every_page_has_a_thin_notebook_the_runner_does_not_take_for_a_step():
    import nbformat

    folder = server.pages_dir()
    names = {name for name, _ in pages.PAGES}
    assert {p.stem for p in folder.glob("*.ipynb")} == names
    assert all(s.notebook.parent != folder for s in available_steps())
    for name in names:
        nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), name
        assert ["parameters" in c.metadata.get("tags", []) for c in code] == [True, False], name
        assert f'show_page("{name}", workspace, as_of)' in code[1].source, name


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


def test_the_last_run_is_shown_with_links_to_its_report(sample_ws):
    run = sample_ws.outputs / "20261127-070000"
    run.mkdir()
    (run / "laporan_kebekerjaan_2026-III.pdf").write_bytes(b"%PDF")
    (run / "manifest.json").write_text(json.dumps({
        "run_id": run.name, "started_at": "2026-11-27T07:00:00", "status": "berhasil",
        "parameters": {"as_of": "2026-11-27", "steps": [9]},
        "steps": [{"step": 9, "status": "berhasil"}],
        "outputs": ["laporan_kebekerjaan_2026-III.pdf", "notebooks/09_laporan_hasil_survei.ipynb"]}))
    assert pages.last_run(sample_ws) == run / "manifest.json"
    later = sample_ws.outputs / "20261127-080000"  # a later run without a report
    later.mkdir()
    (later / "manifest.json").write_text(json.dumps({
        "run_id": later.name, "started_at": "2026-11-27T08:00:00", "status": "berhasil",
        "parameters": {"as_of": "2026-11-27", "steps": [1]}, "steps": [], "outputs": []}))
    assert pages.last_run(sample_ws) == later / "manifest.json"
    assert pages.last_run(sample_ws, with_report=True) == run / "manifest.json"
    home = pages.home_page(pages.PageContext(sample_ws, AS_OF)).value
    assert "27-11-2026 pukul 08.00" in home and "Laporan terakhir" in home
    assert "href='/berkas/20261127-070000/laporan_kebekerjaan_2026-III.pdf'" in home
    assert "09_laporan_hasil_survei" not in home  # executed notebooks are not linked


@pytest.mark.parametrize("name", [name for name, _ in pages.PAGES])
def test_every_page_builds_in_the_kernel(sample_ws, name):
    page = pages.BUILDERS[name](pages.PageContext(sample_ws, AS_OF))
    assert isinstance(page, w.Widget)


def test_a_broken_setting_is_said_on_the_page_not_as_a_traceback(ws, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    ws.config_path.write_text("[survey]\nwaves = [1]\n", encoding="utf-8")
    pages.show_page("beranda", str(ws.root), "2026-11-27")
    text = " ".join(getattr(o, "data", "") or "" for o in shown)
    assert "tidak dikenal" in text and "Traceback" not in text


def test_a_breakdown_keeps_its_row_labels():
    frame = pd.DataFrame({"2025": [3, 0]}, index=pd.Index(["Las", "Otomotif"], name="Kejuruan"))
    table = pages.staff_table(frame)
    assert "<th>Kejuruan</th>" in table and "<td>Las</td>" in table


@pytest.mark.e2e
def test_a_page_notebook_also_runs_under_papermill(sample_ws, tmp_path):
    import papermill as pm

    out = tmp_path / "beranda.ipynb"
    pm.execute_notebook(str(server.pages_dir() / "beranda.ipynb"), str(out), kernel_name="python3",
                        parameters={"workspace": str(sample_ws.root), "as_of": AS_OF.isoformat()},
                        progress_bar=False)
    import nbformat

    outputs = nbformat.read(out, as_version=4).cells[-1].outputs
    shown = json.dumps(outputs)
    assert "kb-menu" in shown and "Folder kerja" in shown  # the menu, then the page widget
    assert "gagal dimuat" not in shown and all(o["output_type"] != "error" for o in outputs)
