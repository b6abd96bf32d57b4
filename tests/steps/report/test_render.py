"""SOP step 9 end to end: the real notebook 09 executed by papermill through the runner on a
small synthetic workspace, rendered by the project's nbconvert exporters, read back with pypdf."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import nbformat
import pytest

from kebekerjaan.core.config import load_settings
from kebekerjaan.core.context import StepContext
from kebekerjaan.core.workspace import init_workspace
from kebekerjaan.demo.sample import write_sample
from kebekerjaan.io import formatting as fmt
from kebekerjaan.io.privacy import mask_nik
from kebekerjaan.steps.alumni import collect_alumni
from kebekerjaan.steps.answers.collect import collect_answers
from kebekerjaan.steps.recap import Period, compute_recap
from kebekerjaan.steps.report import narrative, tables
from kebekerjaan.steps.report.options import report_options
from kebekerjaan.steps.report.tables import RECAP_COLUMNS

pytestmark = pytest.mark.e2e
AS_OF = date(2026, 11, 27)
NIK16 = re.compile(r"(?<!\d)\d{16}(?!\d)")
PHONES = (re.compile(r"(?<![\d+])08\d{7,12}(?!\d)"), re.compile(r"\+62[\s-]?8\d"),
          re.compile(r"(?<![\d+])628\d{7,11}(?!\d)"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Steps 1 and 7 in-process (fast), then step 9 through the runner (one kernel)."""
    from kebekerjaan.core import runner

    ws = init_workspace(tmp_path_factory.mktemp("laporan") / "ws")
    write_sample(ws.root, n_alumni=120, seed=7, as_of=AS_OF)
    prep = ws.outputs / "persiapan"
    collect_alumni(StepContext(ws, AS_OF, prep))
    collect_answers(StepContext(ws, AS_OF, prep, run_id="persiapan"))
    result = runner.run(ws, as_of=AS_OF, steps="9", progress=False, periode="2026-III")
    recap = compute_recap(ws, Period.parse("2026-III"), AS_OF)  # what the kernel saw
    pdf = result.run_dir / "laporan_kebekerjaan_2026-III.pdf"
    html = result.run_dir / "laporan_kebekerjaan_2026-III.html"
    return result, pdf, html, recap


def _pdf_pages(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(pdf).pages]


def _without_data_uris(html: str) -> str:
    # Base64 images could hold any digit run; personal-data checks read the text only.
    return re.sub(r"data:[a-z/+.-]+;base64,[A-Za-z0-9+/=]+", "data:", html)


def test_runner_writes_pdf_and_html_and_times_them_with_the_step(rendered):
    result, pdf, html, recap = rendered
    assert pdf.read_bytes().startswith(b"%PDF") and html.exists()
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    step = manifest["steps"][0]
    assert step["step"] == 9 and step["status"] == "berhasil" and step["duration_s"] > 0
    assert {"laporan_kebekerjaan_2026-III.pdf", "laporan_kebekerjaan_2026-III.html"} <= set(step["outputs"])
    assert manifest["parameters"]["periode"] == "2026-III"
    now = recap.summary.loc["periode"]
    assert step["counts"] == {"alumni": int(now["alumni"]), "merespons": int(now["merespons"]),
                              "bekerja_wirausaha": int(now["bekerja_wirausaha"])}
    executed = nbformat.read(result.run_dir / "notebooks" / "09_laporan_hasil_survei.ipynb", as_version=4)
    assert executed.metadata["papermill"]["parameters"]["periode"] == "2026-III"


def test_every_page_has_number_period_and_page_count(rendered):
    _, pdf, _, _ = rendered
    pages = _pdf_pages(pdf)
    assert len(pages) >= 3
    for i, text in enumerate(pages, start=1):
        assert f"Halaman {i} dari {len(pages)}" in text, i
        assert "KDI/PM/09/LAP/2026-III" in text, i
        assert "Caturwulan III 2026 (September–Desember)" in text, i


def test_report_has_its_four_parts_one_official_rate_and_is_provisional(rendered):
    _, pdf, _, _ = rendered
    pages = _pdf_pages(pdf)
    whole = " ".join(pages)
    order = [whole.find(h) for h in ("Ringkasan", "I. Pendahuluan", "Dasar hukum",
                                     "II. Metodologi", "III. Hasil Survei",
                                     "IV. Kesimpulan dan Rekomendasi", "Lampiran 1. Definisi")]
    assert -1 not in order and order == sorted(order), order
    assert "LAPORAN SEMENTARA" in pages[0]  # made on 27 November for a period to December
    assert all("SEMENTARA" in p for p in pages)  # and in every footer
    assert "angka resmi yang dilaporkan ke Kemnaker" in whole
    assert "CONTOH" in whole  # the sample signer of the default settings


def test_letterhead_and_signature(rendered):
    _, pdf, _, _ = rendered
    pages = _pdf_pages(pdf)
    first = pages[0]
    for text in ("KEMENTERIAN KETENAGAKERJAAN REPUBLIK INDONESIA",
                 "BALAI PELATIHAN VOKASI DAN PRODUKTIVITAS KENDARI",
                 "Jl. Jend. A.H. Nasution No. 47", "(0401) 3195170", "bpvp.kendari@kemnaker.go.id",
                 "LAPORAN HASIL SURVEI KEBEKERJAAN ALUMNI PELATIHAN"):
        assert text in first, text
    assert not any("KEMENTERIAN KETENAGAKERJAAN" in p for p in pages[1:])  # page 1 only
    whole = " ".join(pages)
    assert "Kendari, 27 November 2026" in whole and "Kepala BPVP Kendari" in whole
    assert "Nama Kepala Balai" in whole and "NIP 19700101 200003 1 001" in whole


def test_pdf_numbers_are_the_recaps(rendered):
    _, pdf, _, recap = rendered
    whole = " ".join(_pdf_pages(pdf))
    assert int(recap.summary.loc["periode", "merespons"]) > 0  # the sample has answers
    for row in recap.summary.index:
        for col, _, kind in RECAP_COLUMNS:
            value = recap.summary.loc[row, col]
            text = fmt.persen(value) if kind == "persen" else fmt.angka(value)
            assert text in whole, (row, col, text)
    # pypdf may split a kerned pair ("T erhadap"): compare sentences without spaces.
    squeezed = re.sub(r"\s+", "", whole)
    for sentence in narrative.summary_paragraphs(recap) + narrative.quality_paragraphs(recap.quality):
        assert re.sub(r"\s+", "", sentence) in squeezed, sentence
    # Every breakdown row, number by number in table order (names may wrap in their cell;
    # a share over fewer than [report] min_group people prints "–"). The program table
    # is left out when each kejuruan has one program, as in this sample.
    opts = report_options(load_settings(None))
    shown = {k: f for k, f in recap.by.items() if k != "program" or len(f) > len(recap.by["kejuruan"])}
    for key, frame in shown.items():
        frame, _ = tables.hide_small(frame, opts.min_group)
        for _, values in frame.iterrows():
            cells = " ".join(fmt.persen(values[c]) if k == "persen" else fmt.angka(values[c])
                             for c, _, k in tables.breakdown_columns(opts))
            assert cells in whole, (key, cells)
    for name, jumlah in recap.top_employers.head(10).itertuples(index=False):
        assert re.sub(r"\s+", "", f"{name}{jumlah}") in squeezed, name
    for term, _ in recap.definitions:
        assert term in whole, term


def test_no_personal_data_beyond_what_the_report_needs(rendered):
    _, pdf, html, recap = rendered
    texts = {"pdf": " ".join(_pdf_pages(pdf)), "html": _without_data_uris(html.read_text("utf-8"))}
    for where, text in texts.items():
        assert not NIK16.search(text), where
        for pattern in PHONES:
            assert not pattern.search(text), (where, pattern.pattern)
        masked = [fmt_nik for fmt_nik in recap.employed["nik"].map(mask_nik)]
        assert masked and all(m in text for m in masked), where  # the employed list, masked
        # and its names, as [report] show_names = true asks
        squeezed = re.sub(r"\s+", "", text)  # names wrap inside their cell
        assert all(re.sub(r"\s+", "", n) in squeezed for n in recap.employed["nama"]), where


def test_html_is_self_contained_without_code(rendered):
    _, _, html_path, _ = rendered
    html = html_path.read_text(encoding="utf-8")
    for code in ("open_step", "laporan.sampul()", "import ", "DISTRIBUTIONS",
                 'workspace: str = ""'):
        assert code not in html, code
    assert "jp-InputArea-editor" not in html and "In&nbsp;[" not in html and "Out[" not in html
    srcs = re.findall(r'<img[^>]*\ssrc="([^"]*)"', html)
    assert len(srcs) >= 5 and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert not re.search(r'<(script|link)\b[^>]*(src|href)=', html)
    assert not re.search(r"url\((?!data:)", html)
    assert "Langkah 9 — Laporan Hasil Survei" not in html  # the staff note cell is hidden
    assert "Traceback" not in html and "\x1b[" not in html


def test_nbconvert_entry_points_render_the_executed_notebook(rendered, tmp_path):
    from nbconvert.exporters import get_exporter

    result, _, _, _ = rendered
    executed = result.run_dir / "notebooks" / "09_laporan_hasil_survei.ipynb"
    pdf, resources = get_exporter("laporan_pdf")().from_filename(str(executed))
    assert pdf.startswith(b"%PDF") and resources["output_extension"] == ".pdf"
    html, _ = get_exporter("laporan_html")().from_filename(str(executed))
    assert "kop-nama" in html


def test_template_comes_from_shipped_templates_dir(rendered, tmp_path, monkeypatch):
    """An installed wheel has no checkout: the exporter must follow shipped_templates_dir()."""
    import shutil

    from kebekerjaan.steps.report import exporter

    result, _, _, _ = rendered
    installed = tmp_path / "site-packages" / "kebekerjaan" / "templates"
    shutil.copytree(Path(exporter.__file__).parents[4] / "templates", installed)
    css = installed / "laporan" / "static" / "laporan.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* salinan-terpasang */\n", encoding="utf-8")
    monkeypatch.setattr(exporter, "shipped_templates_dir", lambda: installed)
    executed = result.run_dir / "notebooks" / "09_laporan_hasil_survei.ipynb"
    html, _ = exporter.ReportHTMLExporter().from_filename(str(executed))
    assert "salinan-terpasang" in html
