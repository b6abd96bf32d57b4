"""The printed report holds its layout at any data size and any kejuruan name length: no
two header cells' text overlap, no cell's text runs into its neighbour, and no table
starts (or ends) with fewer than three rows on a page. Checked on WeasyPrint's own layout
boxes, for the notebook 09 cells run in-process against a sample workspace's recap and
against synthetic recaps of many sizes with very long group names."""

from __future__ import annotations

import ast
from collections import defaultdict
from datetime import date
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from kebekerjaan.core.config import load_settings
from kebekerjaan.core.context import StepContext
from kebekerjaan.rules.periods import Period
from kebekerjaan.steps.recap import COHORT_KEYS, SUMMARY_COLUMNS, Recap
from kebekerjaan.steps.recap.breakdowns import add_rates
from kebekerjaan.steps.report.laporan import DISTRIBUTIONS, Laporan

NOTEBOOK = Path(__file__).resolve().parents[3] / "notebooks" / "09_laporan_hasil_survei.ipynb"
AS_OF = date(2026, 11, 27)
MIN_ROWS = 3  # rows a table keeps together at its start and at its end
LONG_NAME = ("Teknik Pemeliharaan dan Perbaikan Sistem Kelistrikan Kendaraan Ringan Berbasis "
             "Elektronik Terpadu")
LONG_WORD = "Mekatronikaotomasiindustrimanufakturpresisi"  # one word longer than a column


def report_html(laporan: Laporan) -> str:
    """Notebook 09's cells run in-process against `laporan`, through the real exporter."""
    from kebekerjaan.steps.report.exporter import ReportHTMLExporter

    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        source = "laporan.sampul()" if "open_step" in cell.source else cell.source
        shown: list = []
        scope = {"laporan": laporan, "display": lambda *xs, out=shown: out.extend(xs),
                 "DISTRIBUTIONS": DISTRIBUTIONS}
        tree = ast.parse(source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, "<cell>", "exec"), scope)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), scope)
            if value is not None:
                shown.append(value)
        cell.outputs = [nbformat.v4.new_output("display_data", data=_bundle(x)) for x in shown]
    html, _ = ReportHTMLExporter().from_notebook_node(nb)
    return html


def _bundle(obj) -> dict:
    if hasattr(obj, "_repr_mimebundle_"):
        return obj._repr_mimebundle_()
    return {"text/html": obj._repr_html_()}


def _walk(box):
    yield box
    for child in getattr(box, "children", []) or []:
        yield from _walk(child)


def _last_text_in_heading(page_box) -> str:
    """The heading whose text ends the page's flow ('' when the page ends otherwise)."""
    from weasyprint.formatting_structure import boxes

    last = ("", "")

    def walk(box, heading):
        nonlocal last
        if isinstance(box, boxes.MarginBox):  # running header and footer
            return
        if box.element_tag in ("h1", "h2", "h3", "h4"):
            heading = box.element_tag
        if isinstance(box, (boxes.TextBox, boxes.ReplacedBox, boxes.TableCellBox)):
            text = getattr(box, "text", "x")
            if text.strip():
                last = (heading, text)
        for child in getattr(box, "children", []) or []:
            walk(child, heading)

    walk(page_box, "")
    return last[1] if last[0] else ""


def _text_rects(box) -> list[tuple[float, float, float, float]]:
    from weasyprint.formatting_structure import boxes

    return [(t.position_x, t.position_y, t.position_x + t.width, t.position_y + t.height)
            for t in _walk(box) if isinstance(t, boxes.TextBox) and t.text.strip()]


def _overlap(a, b, slack: float = 0.2) -> bool:
    return (min(a[2], b[2]) - max(a[0], b[0]) > slack
            and min(a[3], b[3]) - max(a[1], b[1]) > slack)


def layout_problems(html: str) -> tuple[list[str], int]:
    """Everything wrong with the printed layout, and the page count."""
    import weasyprint
    from weasyprint.formatting_structure import boxes

    doc = weasyprint.HTML(string=html).render()
    problems = []
    rows_on_page: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    names: dict[int, str] = {}
    for number, page in enumerate(doc.pages, start=1):
        heading = _last_text_in_heading(page._page_box)
        if heading and number < len(doc.pages):
            problems.append(f"page {number} ends with the heading '{heading}'")
        for box in _walk(page._page_box):
            if isinstance(box, boxes.TableBox):
                table = id(box.element)
                rows = [r for g in box.children if isinstance(g, boxes.TableRowGroupBox)
                        and not g.is_header for r in g.children
                        if isinstance(r, boxes.TableRowBox)]
                rows_on_page[table][number] += len(rows)
                if rows and table not in names:
                    names[table] = " ".join(t.text for t in _walk(rows[0])
                                            if isinstance(t, boxes.TextBox))[:40]
            if not isinstance(box, boxes.TableRowBox):
                continue
            cells = [c for c in box.children if isinstance(c, boxes.TableCellBox)]
            texts = [_text_rects(c) for c in cells]
            for cell, rects in zip(cells, texts):
                left = cell.position_x + cell.border_left_width
                right = cell.position_x + cell.border_width() - cell.border_right_width
                for r in rects:
                    if r[0] < left - 0.5 or r[2] > right + 0.5:
                        problems.append(f"page {number}: text of a {cell.element_tag} cell "
                                        f"runs out of its cell")
            for i in range(len(cells)):
                for j in range(i + 1, len(cells)):
                    if any(_overlap(a, b) for a in texts[i] for b in texts[j]):
                        problems.append(f"page {number}: two {cells[i].element_tag} cells' "
                                        "text overlap")
    for table, pages in rows_on_page.items():
        counts = [pages[p] for p in sorted(pages)]
        total = sum(counts)
        if len(counts) > 1 and counts[0] < MIN_ROWS:
            problems.append(f"table '{names.get(table, '')}' starts with {counts[0]} row(s) at a page foot")
        if len(counts) > 1 and total >= 2 * MIN_ROWS and counts[-1] < MIN_ROWS:
            problems.append(f"table '{names.get(table, '')}' ends with {counts[-1]} row(s) on a page")
    return problems, len(doc.pages)


# --- synthetic recaps ------------------------------------------------------------------

def _frame(keys: dict[str, list], rng) -> pd.DataFrame:
    n = len(next(iter(keys.values())))
    counts = {"alumni": rng.integers(1, 90, n)}
    responded = (counts["alumni"] * rng.uniform(0.05, 0.9, n)).astype(int)
    split = rng.dirichlet(np.ones(5), n)
    statuses = ["bekerja", "wirausaha", "mencari", "belum_memungkinkan", "studi"]
    for k, code in enumerate(statuses):
        counts[code] = np.floor(responded * split[:, k]).astype(int)
    counts["merespons"] = sum(counts[c] for c in statuses)
    counts["menolak"] = np.zeros(n, int)
    frame = add_rates(pd.DataFrame({**keys, **counts}))
    return frame[[*keys, *SUMMARY_COLUMNS]]


def synthetic_recap(groups: int, seed: int, long_names: bool = True) -> Recap:
    rng = np.random.default_rng(seed)
    names = [f"Kejuruan {i:03d}" for i in range(groups)]
    if long_names:
        names[0], names[min(1, groups - 1)] = LONG_NAME, LONG_WORD
    kejuruan = _frame({"kejuruan": names}, rng)
    program = _frame({"kejuruan": names * 2,
                      "program": [f"{n} Lanjutan {i}" for i in range(2) for n in names]}, rng)
    angkatan = _frame({"kejuruan": names, "program": [f"{n} Dasar" for n in names],
                       "angkatan": [str(i % 7 + 1) for i in range(groups)],
                       "tahun": [2026] * groups}, rng)
    summary = _frame({"baris": ["periode", "periode_sebelumnya", "kumulatif"]}, rng)
    summary = summary.set_index("baris")
    summary.index.name = None
    by = {"kejuruan": kejuruan, "program": program, "angkatan": angkatan,
          "gelombang": _frame({"gelombang": [1, 3, 6]}, rng),
          "jenis_kelamin": _frame({"jenis_kelamin": ["Laki-laki", "Perempuan"]}, rng),
          "kabkota": _frame({"kabkota": [f"Kabupaten {n}" for n in names]}, rng)}

    def dist(labels):
        counts = rng.integers(0, 40, len(labels))
        return pd.DataFrame({"kelompok": labels, "jumlah": counts,
                             "persen": counts / max(counts.sum(), 1)})

    employed_n = int(summary.loc["periode", "bekerja_wirausaha"])
    employed = pd.DataFrame({
        "nik": [f"7471{i:012d}" for i in range(employed_n)],
        "nama": [f"Alumni {i}" for i in range(employed_n)],
        "kejuruan": [names[i % groups] for i in range(employed_n)],
        "program": ["Program"] * employed_n, "angkatan": ["1"] * employed_n,
        "tahun": [2026] * employed_n, "status": ["bekerja"] * employed_n,
        "tempat_kerja": [f"PT Mitra {i}" for i in range(employed_n)],
        "jabatan": ["Teknisi"] * employed_n, "mulai": [pd.Timestamp("2026-10-01")] * employed_n})
    return Recap(
        period=Period.parse("2026-III"), as_of=AS_OF, summary=summary, by=by,
        waiting_time=dist(["sebelum selesai pelatihan", "paling lama 1 bulan",
                           "lebih dari 1 s.d. 3 bulan", "lebih dari 3 s.d. 6 bulan",
                           "lebih dari 6 bulan", "tidak diketahui"]),
        relevance=dist(["Sangat erat", "Erat", "Kurang erat", "tidak diketahui"]),
        income=dist(["Kurang dari Rp1 juta", "Rp1 juta sampai Rp2,5 juta", "tidak diketahui"]),
        employer_type=dist(["Perusahaan swasta", "Wiraswasta/usaha sendiri", "tidak diketahui"]),
        top_employers=pd.DataFrame({"nama": [f"PT Mitra {i} {LONG_NAME}" for i in range(25)],
                                    "jumlah": np.arange(25, 0, -1)}),
        cohorts=pd.DataFrame(columns=[*COHORT_KEYS, "gelombang"]), employed=employed,
        not_responded=pd.DataFrame({"nik": []}),
        quality={"baris_alumni_ditolak": 3, "baris_respons_ditolak": 1,
                 "jawaban_tidak_cocok": 0, "antrean_tinjauan": 2},
        definitions=[("Tingkat respons", "Merespons dibagi alumni periode.")],
        responses=pd.DataFrame({"gelombang": [1, 3, 6], "alumni": [40, 50, 60],
                                "merespons": [10, 20, 30], "menolak": [0, 1, 2],
                                "tingkat_respons": [0.25, 0.4, 0.5], "formulir": [5, 10, 20],
                                "whatsapp": [4, 8, 8], "manual": [1, 2, 2]}))


def _settings(tmp_path, report: str = ""):
    toml = tmp_path / "kebekerjaan.toml"
    toml.write_text(f"[report]\n{report}\n", encoding="utf-8")
    return load_settings(toml)


# Group counts chosen to move every table across page feet; with an appendix limit of
# 0 to 200 rows, the employed list ends anywhere on its pages.
@pytest.mark.parametrize("groups,seed,appendix", [(2, 1, 150), (7, 2, 150), (12, 3, 40),
                                                  (16, 4, 200), (30, 5, 0)])
def test_no_overlap_and_no_orphaned_table_at_any_size(tmp_path, groups, seed, appendix):
    laporan = Laporan(synthetic_recap(groups, seed),
                      _settings(tmp_path, f"appendix_max_rows = {appendix}"))
    problems, pages = layout_problems(report_html(laporan))
    assert problems == [], problems
    assert pages <= 20  # a management report at any size


def test_sample_workspace_report_layout(tmp_path):
    from kebekerjaan.core.workspace import init_workspace
    from kebekerjaan.demo.sample import write_sample
    from kebekerjaan.steps.alumni import collect_alumni
    from kebekerjaan.steps.answers.collect import collect_answers
    from kebekerjaan.steps.recap import compute_recap

    ws = init_workspace(tmp_path / "ws")
    write_sample(ws.root, n_alumni=150, seed=11, as_of=AS_OF)
    collect_alumni(StepContext(ws, AS_OF, ws.outputs / "prep"))
    collect_answers(StepContext(ws, AS_OF, ws.outputs / "prep"))
    laporan = Laporan(compute_recap(ws, Period.parse("2026-III"), AS_OF), ws.settings(), ws.root)
    problems, _ = layout_problems(report_html(laporan))
    assert problems == [], problems


def test_the_checker_sees_overlap_and_orphans():
    """The layout checks can fail: a fixed-width table with long headers, and a table
    pushed to a page foot without the report's row rules."""
    header = "".join(f"<th>Kolomdenganjudulpanjang{i}</th>" for i in range(12))
    squeezed = (f'<table style="table-layout: fixed; width: 100mm"><thead><tr>{header}</tr>'
                f"</thead><tbody><tr>{'<td>1</td>' * 12}</tr></tbody></table>")
    problems, _ = layout_problems(squeezed)
    assert any("overlap" in p or "runs out" in p for p in problems)
    rows = "".join(f"<tr><td>baris {i}</td></tr>" for i in range(60))
    orphan = (f'<div style="height: 245mm"></div><table><tbody>{rows}</tbody></table>')
    problems, _ = layout_problems(orphan)
    assert any("starts with" in p for p in problems)
    alone = ('<div style="height: 225mm"></div><h3 style="break-after: auto">Judul</h3>'
             '<div style="height: 30mm; break-inside: avoid">isi</div>')
    assert any("ends with the heading" in p for p in layout_problems(alone)[0])
