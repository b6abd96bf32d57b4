"""What notebook 09 calls: one object per report, one method per section."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from kebekerjaan.core.config import Settings
from kebekerjaan.core.context import StepContext
from kebekerjaan.io import formatting as fmt
from kebekerjaan.steps.report import charts, document, narrative, tables
from kebekerjaan.steps.report.html import Html, paragraphs
from kebekerjaan.steps.report.tables import BREAKDOWN_TITLES

DISTRIBUTIONS = {
    "waiting_time": "Masa tunggu mendapat pekerjaan",
    "relevance": "Kesesuaian pelatihan dengan pekerjaan",
    "income": "Penghasilan per bulan",
    "employer_type": "Jenis tempat kerja",
}


@dataclass
class Laporan:
    recap: object
    settings: Settings

    @classmethod
    def build(cls, ctx: StepContext) -> Laporan:
        """The report of ctx.periode; reuses the recap step 8 of the same run stored in
        ctx.run_dir when it still matches the store, else computes it."""
        from kebekerjaan.steps.recap import report_recap

        return cls(report_recap(ctx), ctx.settings)

    @property
    def workbook(self) -> str:
        """The recap workbook of step 8, which holds every row the report leaves out."""
        from kebekerjaan.steps.recap import recap_workbook_name

        return recap_workbook_name(self.recap.period.label)

    def sampul(self) -> Html:
        return document.front_matter(self.settings, self.recap)

    def ringkasan(self) -> Html:
        return paragraphs(narrative.summary_paragraphs(self.recap))

    def angka_utama(self) -> Html:
        boxes = "".join(
            f'<div class="kotak"><div class="kotak-angka">{escape(v)}</div>'
            f'<div class="kotak-label">{escape(label)}</div>'
            f'<div class="kotak-catatan">{escape(n)}</div></div>'
            for label, v, n in narrative.headline_figures(self.recap))
        return Html(f'<div class="angka-utama">{boxes}</div>')

    def tabel_ringkasan(self) -> Html:
        return tables.summary_table(self.recap)

    def grafik_perbandingan(self):
        return charts.comparison_chart(self.recap) or Html("")

    def grafik_status(self):
        return charts.status_chart(self.recap) or paragraphs(["Belum ada responden."], "catatan")

    def rincian(self, key: str) -> list:
        """Table (and for kejuruan a chart) of one breakdown, at most `[report] max_rows`
        groups plus "Lainnya"."""
        from kebekerjaan.steps.recap.workbook import BREAKDOWN_SHEETS

        limit = self.settings.report.max_rows
        out = [tables.breakdown_table(self.recap, key, limit, self.workbook,
                                      BREAKDOWN_SHEETS.get(key, ""))]
        if key == "kejuruan":
            chart = charts.breakdown_chart(self.recap, key, BREAKDOWN_TITLES[key], max_bars=limit)
            if chart is not None:
                out.insert(0, chart)
        return out

    def per_bpvp(self) -> list:
        """The per-BPVP breakdown with its heading, only in a merged (multi-BPVP) workspace."""
        if "bpvp" not in self.recap.by:
            return []
        return [Html("<h3>Per BPVP</h3>"), *self.rincian("bpvp")]

    def sebaran(self, name: str) -> Html:
        """Chart and table side by side (one block, never split across pages)."""
        frame = getattr(self.recap, name)
        title = DISTRIBUTIONS[name]
        table = tables.distribution_table(frame, title)
        chart = charts.distribution_chart(frame, "", width=3.6)
        if chart is None:
            return Html(f"<h3>{escape(title)}</h3>{table}")
        chart.alt = title
        return Html(f'<h3>{escape(title)}</h3><div class="berdampingan">'
                    f'<div class="grafik">{chart.img()}</div><div class="tabel">{table}</div></div>')

    def tempat_kerja_teratas(self) -> Html:
        n = self.settings.report.top_employers
        return tables.top_employers_table(self.recap.top_employers.head(n))

    def daftar_bekerja(self) -> Html:
        """The employed alumni when they fit `[report] appendix_max_rows`; else where the
        complete list is (the recap workbook)."""
        total = int(self.recap.summary.loc["periode", "bekerja_wirausaha"])
        limit = self.settings.report.appendix_max_rows
        if total <= limit and len(self.recap.employed) >= total:
            return tables.employed_table(self.recap.employed.head(total),
                                         show_names=self.settings.report.show_names)
        return paragraphs([
            f"{fmt.angka(total)} alumni bekerja atau berwirausaha pada periode ini, lebih dari "
            f"{fmt.angka(limit)} orang yang muat dalam lampiran laporan. Daftar lengkapnya ada pada "
            f"lembar 'Alumni Bekerja' dan 'Alumni Wirausaha' berkas {self.workbook} (langkah 8); "
            "NIK dan nomor telepon di berkas itu tidak disamarkan, jadi simpan berkasnya "
            "sebagai data pribadi."])

    def kualitas(self) -> list:
        return [paragraphs(narrative.quality_paragraphs(self.recap.quality)),
                tables.quality_table(self.recap.quality)]

    def definisi(self) -> Html:
        return tables.definitions_table(self.recap.definitions)

    def penutup(self) -> Html:
        """Closing sentence and the head's signature, kept on one page."""
        return document.closing(self.settings, self.recap.as_of, self.workbook)

    def record(self, run_dir: Path, step: int = 9) -> Path:
        """Counts for the run manifest (the runner adds the rendered files)."""
        from kebekerjaan.core.runs import record_step

        now = self.recap.summary.loc["periode"]
        return record_step(run_dir, step, counts={
            "alumni": int(now["alumni"]), "merespons": int(now["merespons"]),
            "bekerja_wirausaha": int(now["bekerja_wirausaha"]),
        }, notes=[f"periode {self.recap.period.label}"])
