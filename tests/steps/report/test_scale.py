"""The report stays a management report at any scale: long breakdowns are cut to their
largest groups plus "Lainnya", the employed appendix appears only when it fits, and a
national-size recap still renders to about 20 pages. Step 9 reuses step 8's recap."""

from __future__ import annotations

import ast
import re
from datetime import date
from html import unescape
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from kebekerjaan.core.config import load_settings
from kebekerjaan.core.context import StepContext
from kebekerjaan.io import formatting as fmt
from kebekerjaan.steps.recap.breakdowns import top_groups
from kebekerjaan.steps.report.laporan import DISTRIBUTIONS, Laporan

NOTEBOOK = Path(__file__).resolve().parents[3] / "notebooks" / "09_laporan_hasil_survei.ipynb"


def _settings(tmp_path, report: str = ""):
    toml = tmp_path / "kebekerjaan.toml"
    toml.write_text(f"[report]\n{report}\n", encoding="utf-8")
    return load_settings(toml)


def _groups(fixed_recap, n: int, key: str, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n):
        b, w, m, bel, s = (int(x) for x in rng.integers(0, 40, 5))
        rows.append(fixed_recap.row(b + w + m + bel + s + int(rng.integers(0, 60)), b, w, m, bel, s))
    frame = pd.DataFrame(rows)[fixed_recap.COLUMNS]
    frame.insert(0, key, [f"{key} {i:04d}" for i in range(n)])
    return frame


def national_recap(fixed_recap, groups: int = 400, employed: int = 60_000):
    """The fixed recap with every breakdown, list and ranking at national length."""
    recap = fixed_recap.make()
    recap.by = {key: _groups(fixed_recap, groups, key, seed=i) for i, key in
                enumerate(("kejuruan", "program", "angkatan", "gelombang", "jenis_kelamin",
                           "kabkota", "bpvp"))}
    recap.summary.loc["periode", "bekerja_wirausaha"] = employed
    recap.employed = pd.concat([recap.employed] * (employed // len(recap.employed) + 1)).head(employed)
    recap.top_employers = pd.DataFrame({"nama": [f"PT Mitra {i}" for i in range(2000)],
                                        "jumlah": np.arange(2000, 0, -1)})
    return recap


def test_top_groups_sum_the_rest_and_recompute_rates(fixed_recap):
    frame = _groups(fixed_recap, 40, "angkatan")
    frame["kelompok"] = frame["angkatan"]
    shown, rest = top_groups(frame, 15, "Lainnya")
    assert rest == 25 and len(shown) == 16
    top = frame.sort_values(["alumni", "merespons"], ascending=False, kind="stable").head(15)
    assert shown["kelompok"].head(15).tolist() == top["kelompok"].tolist()
    other = shown.iloc[-1]
    left = frame[~frame["kelompok"].isin(top["kelompok"])]
    assert other["kelompok"] == "Lainnya"
    for col in ("alumni", "merespons", "bekerja", "wirausaha", "bekerja_wirausaha"):
        assert other[col] == left[col].sum(), col
    assert other["tpk_responden"] == pytest.approx(left["bekerja_wirausaha"].sum() / left["merespons"].sum())
    # Short breakdowns are untouched, in their own order.
    same, none = top_groups(frame.head(10), 15, "Lainnya")
    assert none == 0 and same["kelompok"].tolist() == frame.head(10)["kelompok"].tolist()


def test_long_breakdown_table_names_the_workbook_sheet(tmp_path, fixed_recap):
    laporan = Laporan(national_recap(fixed_recap), _settings(tmp_path, "max_rows = 12"))
    html = unescape(str(laporan.rincian("angkatan")[-1]))
    assert html.count("<tr") == 1 + 12 + 1  # header, 12 groups, Lainnya
    assert "Lainnya" in html
    assert "lembar 'Per Angkatan' berkas rekap_kebekerjaan_2026-III.xlsx" in html
    assert f"Ditampilkan 12 dari {fmt.angka(400)} kelompok" in html


def test_kejuruan_chart_keeps_to_the_row_limit(tmp_path, fixed_recap):
    laporan = Laporan(national_recap(fixed_recap), _settings(tmp_path, "max_rows = 10"))
    chart = laporan.rincian("kejuruan")[0]
    assert len(chart.figure.axes[0].patches) == 10


def test_top_employers_setting_above_ten_is_honoured(tmp_path, fixed_recap):
    laporan = Laporan(national_recap(fixed_recap), _settings(tmp_path, "top_employers = 25"))
    html = str(laporan.tempat_kerja_teratas())
    assert html.count("<tr") == 1 + 25 and "PT Mitra 24" in html and "PT Mitra 25" not in html


def test_small_appendix_lists_alumni_large_one_names_the_workbook(tmp_path, fixed_recap):
    small = Laporan(fixed_recap.make(), _settings(tmp_path))
    small.recap.summary.loc["periode", "bekerja_wirausaha"] = len(small.recap.employed)
    assert "Alumni Contoh 1" in str(small.daftar_bekerja())
    big = Laporan(national_recap(fixed_recap, employed=500), _settings(tmp_path, "appendix_max_rows = 100"))
    text = unescape(str(big.daftar_bekerja()))
    assert "Alumni Contoh" not in text and "<table" not in text
    assert "500 alumni" in text and "rekap_kebekerjaan_2026-III.xlsx" in text
    assert "'Alumni Bekerja'" in text
    # A recap stored by step 8 keeps only the appendix rows: the count decides, not the list.
    cut = national_recap(fixed_recap, employed=500)
    cut.employed = cut.employed.head(101)
    assert "<table" not in str(Laporan(cut, _settings(tmp_path, "appendix_max_rows = 100")).daftar_bekerja())


def test_per_bpvp_section_only_with_several_bpvps(tmp_path, fixed_recap):
    assert Laporan(fixed_recap.make(), _settings(tmp_path)).per_bpvp() == []
    heading, table = Laporan(national_recap(fixed_recap, groups=3), _settings(tmp_path)).per_bpvp()
    assert "Per BPVP" in str(heading) and "bpvp 0002" in str(table)


def _render(laporan: Laporan) -> bytes:
    """Notebook 09's cells run in-process against `laporan`, rendered by the real exporter."""
    from kebekerjaan.steps.report.exporter import ReportPDFExporter

    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        outputs: list = []
        source = cell.source
        if "open_step" in source:  # the cell that builds the report from a workspace
            source = "laporan.sampul()"
        tree = ast.parse(source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        scope = {"laporan": laporan, "display": lambda *xs, out=outputs: out.extend(xs),
                 "DISTRIBUTIONS": DISTRIBUTIONS}
        exec(compile(tree, "<cell>", "exec"), scope)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), scope)
            if value is not None:
                outputs.append(value)
        cell.outputs = [nbformat.v4.new_output("display_data", data=_bundle(x)) for x in outputs]
    pdf, _ = ReportPDFExporter().from_notebook_node(nb)
    return pdf


def _bundle(obj) -> dict:
    if hasattr(obj, "_repr_mimebundle_"):
        return obj._repr_mimebundle_()
    return {"text/html": obj._repr_html_()}


def test_national_recap_renders_to_about_twenty_pages(tmp_path, fixed_recap):
    from io import BytesIO

    from pypdf import PdfReader

    laporan = Laporan(national_recap(fixed_recap), _settings(tmp_path))
    pdf = PdfReader(BytesIO(_render(laporan)))
    assert 5 <= len(pdf.pages) <= 20
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages))
    assert "Lainnya" in text and "rekap_kebekerjaan_2026-III.xlsx" in text
    assert "Per BPVP" in text and "Nama Kepala Balai" in text  # the signature still comes


def test_step_9_reuses_the_recap_step_8_stored(tmp_path, monkeypatch):
    from kebekerjaan.core.workspace import init_workspace
    from kebekerjaan.demo.sample import write_sample
    from kebekerjaan.steps import recap as recap_pkg
    from kebekerjaan.steps.alumni import collect_alumni
    from kebekerjaan.steps.answers.collect import collect_answers

    as_of = date(2026, 11, 27)
    ws = init_workspace(tmp_path / "ws")
    write_sample(ws.root, n_alumni=60, seed=3, as_of=as_of)
    prep = ws.outputs / "prep"
    collect_alumni(StepContext(ws, as_of, prep))
    collect_answers(StepContext(ws, as_of, prep, run_id="prep"))
    run_dir = ws.outputs / "run"
    made = recap_pkg.recap_step(StepContext(ws, as_of, run_dir, periode="2026-III"))
    assert (run_dir / "steps" / "08-rekap.json").exists()

    def no_compute(*a, **k):
        raise AssertionError("step 9 computed the recap again")

    monkeypatch.setattr(recap_pkg, "compute_recap", no_compute)
    again = Laporan.build(StepContext(ws, as_of, run_dir, periode="2026-III")).recap
    pd.testing.assert_frame_equal(again.summary, made.summary, check_dtype=False)
    for key, frame in made.by.items():
        pd.testing.assert_frame_equal(again.by[key].reset_index(drop=True), frame,
                                      check_dtype=False)
    assert again.top_employers["nama"].tolist() == made.top_employers["nama"].tolist()
    assert again.quality == made.quality
    # Another period, or a store that changed since step 8: computed afresh.
    monkeypatch.undo()
    assert Laporan.build(StepContext(ws, as_of, run_dir, periode="2026-II")).recap.period.label == "2026-II"
    collect_answers(StepContext(ws, as_of, prep, run_id="prep2"))
    from kebekerjaan.core import store
    con = store.connect(ws.store_path)
    with store.transaction(con):
        con.execute("UPDATE answers SET discarded = 1 WHERE id = (SELECT MIN(id) FROM answers)")
    con.close()
    monkeypatch.setattr(recap_pkg, "compute_recap", no_compute)
    with pytest.raises(AssertionError, match="computed the recap again"):
        Laporan.build(StepContext(ws, as_of, run_dir, periode="2026-III"))
