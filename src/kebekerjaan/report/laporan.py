"""What notebook 09 calls: one object per report, one method per section."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

from kebekerjaan.config import Settings
from kebekerjaan.periods import resolve_period  # noqa: F401  (runner and notebook 09 call it here)
from kebekerjaan.report import charts, document, narrative, tables
from kebekerjaan.report.html import Html, paragraphs
from kebekerjaan.report.tables import BREAKDOWN_TITLES

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
    def build(cls, ws, periode: str, today: date) -> Laporan:
        from kebekerjaan.steps.recap import compute_recap

        return cls(compute_recap(ws, resolve_period(periode, today), today), ws.settings())

    @property
    def _options(self) -> dict:
        return document.report_settings(self.settings)

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
        """Table (and for kejuruan a chart) of one breakdown."""
        out = [tables.breakdown_table(self.recap, key)]
        if key == "kejuruan":
            chart = charts.breakdown_chart(self.recap, key, BREAKDOWN_TITLES[key])
            if chart is not None:
                out.insert(0, chart)
        return out

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
        n = int(self._options.get("top_employers", 10))
        return tables.top_employers_table(self.recap.top_employers.head(n))

    def daftar_bekerja(self) -> Html:
        return tables.employed_table(self.recap.employed,
                                     show_names=bool(self._options.get("show_names", True)))

    def kualitas(self) -> list:
        return [paragraphs(narrative.quality_paragraphs(self.recap.quality)),
                tables.quality_table(self.recap.quality)]

    def definisi(self) -> Html:
        return tables.definitions_table(self.recap.definitions)

    def penutup(self) -> Html:
        """Closing sentence and the head's signature, kept on one page."""
        return document.closing(self.settings, self.recap.as_of)

    def record(self, run_dir: Path, step: int = 9) -> Path:
        """Counts for the run manifest (the runner adds the rendered files)."""
        from kebekerjaan.runs import record_step

        now = self.recap.summary.loc["periode"]
        return record_step(run_dir, step, counts={
            "alumni": int(now["alumni"]), "merespons": int(now["merespons"]),
            "bekerja_wirausaha": int(now["bekerja_wirausaha"]),
        }, notes=[f"periode {self.recap.period.label}"])
