"""What notebook 09 calls: one object per report, one method per section.

The report reads like a Laporan Hasil Survei: cover (letterhead, title, status), a short
summary, I Pendahuluan, II Metodologi, III Hasil, IV Kesimpulan dan Rekomendasi, the
signature, and the appendices (definitions, employed alumni).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from kebekerjaan.core.config import Settings
from kebekerjaan.core.context import StepContext
from kebekerjaan.io import formatting as fmt
from kebekerjaan.steps.report import charts, document, narrative, tables
from kebekerjaan.steps.report.html import Html, paragraphs
from kebekerjaan.steps.report.options import (
    RATE_NAMES,
    ReportOptions,
    fill,
    placeholder_signer,
    report_options,
    text_fields,
    words_list,
)
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
    root: Path | None = None  # the workspace folder (a relative logo path starts there)
    options: ReportOptions = field(init=False)

    def __post_init__(self):
        self.options = report_options(self.settings, self.root)

    @classmethod
    def build(cls, ctx: StepContext) -> Laporan:
        """The report of ctx.periode; reuses the recap step 8 of the same run stored in
        ctx.run_dir when it still matches the store, else computes it."""
        from kebekerjaan.steps.recap import report_recap

        return cls(report_recap(ctx), ctx.settings, ctx.ws.root)

    @property
    def provisional(self) -> bool:
        return narrative.provisional(self.recap)

    @property
    def workbook(self) -> str:
        """The recap workbook of step 8, which holds every row the report leaves out."""
        from kebekerjaan.steps.recap import recap_workbook_name

        return recap_workbook_name(self.recap.period.label)

    # --- cover and summary --------------------------------------------------------------

    def sampul(self) -> Html:
        return document.front_matter(self.settings, self.recap, self.options.logo,
                                     self.provisional)

    def ringkasan(self) -> Html:
        return paragraphs(narrative.summary_paragraphs(self.recap, self.options))

    def angka_utama(self) -> Html:
        boxes = "".join(
            f'<div class="kotak{" kotak-resmi" if i == 0 else ""}">'
            f'<div class="kotak-angka">{escape(v)}</div>'
            f'<div class="kotak-label">{escape(label)}</div>'
            f'<div class="kotak-catatan">{escape(n)}</div></div>'
            for i, (label, v, n) in enumerate(narrative.headline_figures(self.recap, self.options)))
        return Html(f'<div class="angka-utama">{boxes}</div>')

    # --- I. Pendahuluan -------------------------------------------------------------------

    def _texts(self, key: str) -> list[str]:
        fields = text_fields(self.settings)
        where = self.settings.source.name if self.settings.source else "defaults.toml"
        return [fill(t, fields, f"report.{key}", where)
                for t in getattr(self.options, key) if t.strip()]

    def pendahuluan(self) -> Html:
        """Latar belakang, dasar hukum and tujuan, from `[report]`."""
        background = "".join(f"<p>{escape(t)}</p>" for t in self._texts("background"))
        legal = _numbered(self._texts("legal_basis"))
        aims = _numbered(self._texts("purposes"))
        return Html(
            '<section class="bab pendahuluan">'
            + (f"<h3>Latar belakang</h3>{background}" if background else "")
            + (f"<h3>Dasar hukum</h3>{legal}" if legal else "")
            + (f"<h3>Tujuan</h3><p>Survei ini bertujuan untuk:</p>{aims}" if aims else "")
            + "</section>")

    # --- II. Metodologi -------------------------------------------------------------------

    def metodologi(self) -> list:
        """Population, waves and channels (with the response per wave and channel), and how
        each status and rate is counted."""
        r, s = self.recap, self.settings
        now = r.summary.loc["periode"]
        waves = [int(w) for w in s.survey.waves_months]
        trainings = len(r.by.get("angkatan", [])) if isinstance(r.by, dict) else 0
        kejuruan = len(r.by.get("kejuruan", [])) if isinstance(r.by, dict) else 0
        short = s.institution.short_name
        population = (
            f"Sasaran survei {narrative.period_name(r.period)} adalah lulusan pelatihan {short} "
            f"yang salah satu gelombang survei-nya jatuh tempo dalam periode ini, paling lambat "
            f"pada {fmt.tanggal(r.as_of)}: {fmt.angka(now['alumni'])} alumni dari "
            f"{fmt.angka(trainings)} angkatan pelatihan dalam {fmt.angka(kejuruan)} kejuruan. "
            "Semua alumni sasaran dihubungi (sensus, tanpa penarikan sampel). Satuan hitungnya "
            "satu alumnus dalam satu pelatihan; peserta yang tidak lulus tidak disurvei.")
        sv = s.survey
        waves_text = (
            f"Alumni disurvei {words_list([str(w) for w in waves])} bulan setelah pelatihan "
            f"selesai. Undangan dikirim lewat WhatsApp mulai {sv.window_days_before} "
            f"hari sebelum tanggal jatuh tempo sampai {sv.window_days_after} hari "
            f"sesudahnya; yang belum menjawab diingatkan setiap {sv.remind_after_days} "
            f"hari, paling banyak {sv.max_reminders} kali per gelombang. Alumni yang "
            "menolak disurvei tidak dihubungi lagi.")
        channels = (
            "Jawaban dikumpulkan lewat tiga saluran: formulir daring (Google Form) dengan tautan "
            "pribadi di undangan, balasan di grup WhatsApp alumni, dan jawaban lewat telepon atau "
            "kunjungan yang dicatat petugas. Tabel berikut menunjukkan respons per gelombang "
            "survei dan saluran jawaban yang dihitung.")
        o = self.options
        counting = [
            "Status setiap alumni adalah status jawaban terakhir yang dihitung untuk gelombang "
            "yang jatuh tempo dalam periode: bekerja, berwirausaha, sedang mencari kerja, belum "
            "memungkinkan bekerja, atau melanjutkan pendidikan. Jawaban yang meragukan (nama atau "
            "nomor tidak cocok, pesan WhatsApp yang tidak jelas) ditinjau petugas lebih dulu dan "
            "baru dihitung setelah diputuskan.",
            "Bekerja dan berwirausaha dihitung terserap. Tingkat penempatan kerja (TPK) dihitung "
            "dua cara: TPK seluruh alumni = (bekerja + wirausaha) / seluruh alumni sasaran, dan "
            "TPK responden = (bekerja + wirausaha) / alumni yang merespons. Angka resmi yang "
            f"dilaporkan ke Kemnaker adalah {RATE_NAMES[o.official_rate]}; angka lainnya "
            "ditampilkan sebagai pembanding.",
            f"Persentase kelompok yang penyebutnya kurang dari {o.min_group} orang ditampilkan "
            "“–”. Perubahan dibanding periode sebelumnya hanya disimpulkan bila kedua periode "
            f"punya paling sedikit {fmt.angka(o.min_respondents_compare)} responden. Definisi "
            "setiap istilah ada pada Lampiran 1.",
        ]
        return [
            Html(f"<h3>Populasi dan sasaran</h3><p>{escape(population)}</p>"
                 f"<h3>Gelombang survei dan saluran jawaban</h3><p>{escape(waves_text)}</p>"
                 f"<p>{escape(channels)}</p>"),
            tables.responses_table(r),
            Html("<h3>Cara menghitung</h3>" + "".join(f"<p>{escape(t)}</p>" for t in counting)),
        ]

    # --- III. Hasil -----------------------------------------------------------------------

    def capaian(self) -> Html:
        """Target against realisation of the official rate."""
        return tables.target_table(self.recap, self.options)

    def tabel_ringkasan(self) -> Html:
        return tables.summary_table(self.recap, self.options)

    def grafik_perbandingan(self):
        return charts.comparison_chart(self.recap, self.options) or Html("")

    def grafik_status(self):
        return charts.status_chart(self.recap) or paragraphs(["Belum ada responden."], "catatan")

    def rincian(self, key: str) -> list:
        """Table (and for kejuruan a chart) of one breakdown, at most `[report] max_rows`
        groups plus "Lainnya"."""
        from kebekerjaan.steps.recap.workbook import BREAKDOWN_SHEETS

        limit = self.options.max_rows
        out = [tables.breakdown_table(self.recap, key, limit, self.workbook,
                                      BREAKDOWN_SHEETS.get(key, ""), self.options)]
        if key == "kejuruan":
            chart = charts.breakdown_chart(self.recap, key, BREAKDOWN_TITLES[key],
                                           max_bars=limit, min_respondents=self.options.min_group)
            if chart is not None:
                out.insert(0, chart)
        return out

    def _adds_to(self, key: str, coarser: str) -> bool:
        """Whether breakdown `key` says more than `coarser`: some group of `coarser` splits
        into several (otherwise its table repeats the coarser one row for row)."""
        frame, base = self.recap.by.get(key), self.recap.by.get(coarser)
        if frame is None or base is None:
            return frame is not None
        return len(frame) > len(base)

    def rincian_pelatihan(self) -> list:
        """Program and angkatan tables, each only when it adds to the table before it."""
        out = []
        for key, coarser, heading, same in (
                ("program", "kejuruan", "Menurut program pelatihan",
                 "Setiap kejuruan hanya punya satu program pelatihan pada periode ini; rinciannya "
                 "sama dengan tabel menurut kejuruan."),
                ("angkatan", "program", "Menurut angkatan",
                 "Setiap program pelatihan hanya punya satu angkatan pada periode ini; rinciannya "
                 "sama dengan tabel menurut program.")):
            if key not in self.recap.by:
                continue
            out.append(Html(f"<h3>{escape(heading)}</h3>"))
            if self._adds_to(key, coarser):
                out += self.rincian(key)
            else:
                out.append(paragraphs([same], "catatan"))
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
        table = tables.distribution_table(frame, title, self.options.min_group)
        chart = charts.distribution_chart(frame, "", width=3.6)
        if chart is None:
            return Html(f"<h4>{escape(title)}</h4>{table}")
        chart.alt = title
        return Html(f'<div class="sebaran-blok"><h4>{escape(title)}</h4><div class="berdampingan">'
                    f'<div class="grafik">{chart.img()}</div><div class="tabel">{table}</div>'
                    "</div></div>")

    def tempat_kerja_teratas(self) -> Html:
        n = self.options.top_employers
        return tables.top_employers_table(self.recap.top_employers.head(n))

    def kualitas(self) -> list:
        return [paragraphs(narrative.quality_paragraphs(self.recap.quality)),
                tables.quality_table(self.recap.quality)]

    # --- IV. Kesimpulan dan Rekomendasi ---------------------------------------------------

    def kesimpulan(self) -> Html:
        return Html("<ol class='daftar-bernomor'>" + "".join(
            f"<li>{escape(t)}</li>" for t in narrative.conclusions(self.recap, self.options))
            + "</ol>")

    def rekomendasi(self) -> Html:
        return Html("<ol class='daftar-bernomor'>" + "".join(
            f"<li>{escape(t)}</li>" for t in narrative.recommendations(self.recap, self.options))
            + "</ol>")

    def penutup(self) -> Html:
        """Closing sentence and the head's signature, kept on one page."""
        return document.closing(self.settings, self.recap.as_of, self.workbook)

    # --- appendices -----------------------------------------------------------------------

    def definisi(self) -> Html:
        return tables.definitions_table(self.recap.definitions)

    def daftar_bekerja(self) -> Html:
        """The employed alumni when they fit `[report] appendix_max_rows`; else where the
        complete list is (the recap workbook)."""
        total = int(self.recap.summary.loc["periode", "bekerja_wirausaha"])
        limit = self.options.appendix_max_rows
        if total <= limit and len(self.recap.employed) >= total:
            return tables.employed_table(self.recap.employed.head(total),
                                         show_names=self.options.show_names)
        return paragraphs([
            f"{fmt.angka(total)} alumni bekerja atau berwirausaha pada periode ini, lebih dari "
            f"{fmt.angka(limit)} orang yang muat dalam lampiran laporan. Daftar lengkapnya ada pada "
            f"lembar 'Alumni Bekerja' dan 'Alumni Wirausaha' berkas {self.workbook} (langkah 8); "
            "NIK dan nomor telepon di berkas itu tidak disamarkan, jadi simpan berkasnya "
            "sebagai data pribadi."])

    def record(self, run_dir: Path, step: int = 9) -> Path:
        """Counts for the run manifest (the runner adds the rendered files); the step's
        notes warn when the report is provisional or its signer is still the sample."""
        from kebekerjaan.core.runs import record_step

        now = self.recap.summary.loc["periode"]
        notes = [f"periode {self.recap.period.label}"]
        if self.provisional:
            notes.append(f"Laporan SEMENTARA: periode berjalan sampai "
                         f"{fmt.tanggal(self.recap.period.end)}")
        if placeholder_signer(self.settings):
            notes.append("PERHATIAN: " + document.SAMPLE_SIGNER_NOTE)
        return record_step(run_dir, step, counts={
            "alumni": int(now["alumni"]), "merespons": int(now["merespons"]),
            "bekerja_wirausaha": int(now["bekerja_wirausaha"]),
        }, notes=notes)


def _numbered(items: list[str]) -> str:
    """An Indonesian numbered list: items end with ';', the last with '.'."""
    if not items:
        return ""
    return "<ol class='daftar-bernomor'>" + "".join(
        f"<li>{escape(t.rstrip(';. '))}{'.' if i == len(items) - 1 else ';'}</li>"
        for i, t in enumerate(items)) + "</ol>"
