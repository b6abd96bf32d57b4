"""nbconvert exporters of the management report: HTML with the project's own template
(templates/laporan), and PDF rendered from that HTML by WeasyPrint (no browser).

Registered as `laporan_html` and `laporan_pdf` (pyproject entry points), so
`jupyter nbconvert --to laporan_pdf notebook.ipynb` works from any folder.
"""

from __future__ import annotations

import contextlib
import io
import logging
from pathlib import Path

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from traitlets import default
from traitlets.config import Config

from kebekerjaan.core import outfiles
from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.io.messages import shipped_templates_dir

TEMPLATE = "laporan"
# Cells that are machinery, not report: papermill's parameter cells and anything tagged.
REMOVE_TAGS = ("parameters", "injected-parameters", "sembunyikan")


class _StripNoise(Preprocessor):
    """Drop stream output (prints, warnings) and plain-text-only results: not report content."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            cell.outputs = [
                o for o in cell.outputs
                if o.output_type not in ("stream",)
                and not (o.output_type in ("execute_result", "display_data")
                         and set(o.get("data", {})) <= {"text/plain"})
            ]
        return cell, resources


class ReportHTMLExporter(HTMLExporter):
    """The executed report notebook as one self-contained HTML page (images inline)."""

    export_from_notebook = "Laporan kebekerjaan (HTML)"

    @default("template_name")
    def _template_name_default(self):
        return TEMPLATE

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        # A checkout's templates/ or the wheel's kebekerjaan/templates.
        return [str(shipped_templates_dir())]

    @default("exclude_input")
    def _exclude_input_default(self):
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self):
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self):
        return True

    @default("embed_images")
    def _embed_images_default(self):
        return True

    @default("language_code")
    def _language_code_default(self):
        return "id"

    @property
    def default_config(self):
        c = Config({"TagRemovePreprocessor": {"enabled": True, "remove_cell_tags": list(REMOVE_TAGS)}})
        base = super().default_config.copy()
        base.merge(c)
        return base

    def _init_preprocessors(self):
        super()._init_preprocessors()
        self.register_preprocessor(_StripNoise, enabled=True)


class ReportPDFExporter(ReportHTMLExporter):
    """The same HTML, paginated on A4 by WeasyPrint (CSS Paged Media in the template)."""

    export_from_notebook = "Laporan kebekerjaan (PDF)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    @default("template_extension")
    def _template_extension_default(self):
        return ".html.j2"  # the HTML template serves both outputs

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = super().from_notebook_node(nb, resources=resources, **kw)
        resources["output_extension"] = ".pdf"
        return html_to_pdf(html), resources

    def write_report(self, nb, out_dir: Path, default_stem: str) -> list[Path]:
        """Write `<stem>.html`, then `<stem>.pdf`, of an executed report notebook (the HTML is
        rendered once and serves both); the stem is the one the notebook names, if any.

        A PDF that cannot be made raises PDFNotMade with the HTML already written (its
        `written`): the report is still there to read and print from the browser."""
        stem = (report_meta(nb) or {}).get("berkas") or default_stem
        html, _ = ReportHTMLExporter(config=self.config).from_notebook_node(
            nb, resources={"metadata": {"name": stem}})
        html_path = outfiles.write_text(Path(out_dir) / f"{stem}.html", html)
        try:
            pdf = html_to_pdf(html)
        except PDFNotMade as exc:
            exc.written = [html_path]
            exc.args = (f"{exc} Laporan HTML tetap dibuat: {html_path}",)
            raise
        pdf_path = outfiles.write_bytes(Path(out_dir) / f"{stem}.pdf", pdf)
        return [pdf_path, html_path]


class PDFNotMade(KebekerjaanError):
    """WeasyPrint could not make the PDF; `written` lists what was written before."""

    written: list[Path] = []


def html_to_pdf(html: str) -> bytes:
    """The report's HTML as PDF bytes, through WeasyPrint; PDFNotMade when it cannot."""
    try:
        # pip's WeasyPrint on a computer without Pango (Windows, outside conda) prints a
        # banner, then fails: "cannot load library 'gobject-2.0-0': error 0x7e".
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
    except (OSError, ImportError, AttributeError) as exc:
        raise PDFNotMade(
            "PDF tidak dapat dibuat: pustaka Pango yang dipakai WeasyPrint untuk menata teks "
            f"tidak dapat dimuat di komputer ini ({exc}). Pasang kebekerjaan lewat conda sesuai "
            "docs/panduan/windows.md (WeasyPrint dan Pango dari conda-forge)."
        ) from exc
    # WeasyPrint logs every CSS property it does not implement; those are not the
    # user's problem (real failures raise).
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    try:
        return weasyprint.HTML(string=html, base_url=None).write_pdf()
    except Exception as exc:  # noqa: BLE001 - a layout or font failure: the HTML stays
        raise PDFNotMade(f"PDF tidak dapat dibuat oleh WeasyPrint ({type(exc).__name__}: "
                         f"{exc}).") from exc


def report_meta(nb) -> dict | None:
    """The report's metadata output (document.META_MIMETYPE), if the notebook made one."""
    from kebekerjaan.steps.report.document import META_MIMETYPE

    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if META_MIMETYPE in data:
                return dict(data[META_MIMETYPE])
    return None
