"""SOP step 9 report: wording and number formats from the recap's numbers, tables, letter parts."""

from __future__ import annotations

import math
import re
from datetime import date
from html import unescape

import pandas as pd
import pytest

from kebekerjaan.core.config import load_settings
from kebekerjaan.core.errors import ConfigError
from kebekerjaan.io import formatting as fmt
from kebekerjaan.rules import labels
from kebekerjaan.steps.recap import Period
from kebekerjaan.steps.report import charts, document, narrative, tables
from kebekerjaan.steps.report.options import report_options


def test_numbers_and_dates_in_indonesian_format():
    assert fmt.angka(1234) == "1.234"
    assert fmt.angka(float("nan")) == "–"
    assert fmt.persen(287 / 412) == "69,7%"
    assert fmt.persen(1.0) == "100,0%"
    assert fmt.persen(math.nan) == "–"
    assert fmt.desimal(4.2) == "4,2"
    assert fmt.tanggal(date(2026, 11, 27)) == "27 November 2026"
    assert fmt.tanggal("2026-02-01") == "1 Februari 2026"
    assert fmt.tanggal(pd.Timestamp("2026-08-17 10:00")) == "17 Agustus 2026"
    assert fmt.tanggal(pd.NaT) == "–"
    assert fmt.nip("197001012000031001") == "19700101 200003 1 001"


def _opts(tmp_path, report: str = ""):
    toml = tmp_path / "kebekerjaan.toml"
    toml.write_text(f"[report]\n{report}\n", encoding="utf-8")
    return report_options(load_settings(toml))


def test_official_rate_leads_and_the_other_is_context(tmp_path, fixed_recap):
    text = narrative.summary_paragraphs(fixed_recap.make(), _opts(tmp_path))
    assert text[0] == (
        "Tingkat penempatan kerja (TPK) seluruh alumni caturwulan III 2026, angka resmi yang "
        "dilaporkan ke Kemnaker, adalah 42,7%: 176 dari 412 alumni sasaran bekerja atau "
        "berwirausaha hingga 27 November 2026, turun 3,0 poin dibanding caturwulan II 2026 (45,7%).")
    assert text[1].startswith("Dari 412 alumni sasaran, 287 (69,7%) telah merespons; di antara "
                              "mereka 61,3% bekerja atau berwirausaha (TPK responden).")
    # Configured the other way round, the respondents' rate is the official one.
    other = narrative.summary_paragraphs(fixed_recap.make(),
                                         _opts(tmp_path, 'official_rate = "tpk_responden"'))
    assert other[0] == (
        "Tingkat penempatan kerja (TPK) responden caturwulan III 2026, angka resmi yang "
        "dilaporkan ke Kemnaker, adalah 61,3%: 176 dari 287 alumni yang merespons bekerja atau "
        "berwirausaha hingga 27 November 2026, naik 4,2 poin dibanding caturwulan II 2026 (57,1%).")
    assert "42,7% (TPK seluruh alumni)" in other[1]
    boxes = narrative.headline_figures(fixed_recap.make(), _opts(tmp_path))
    assert boxes[0][:2] == ("Tingkat penempatan kerja", "42,7%") and "angka resmi" in boxes[0][2]


def test_fall_and_response_rate_change(tmp_path, fixed_recap):
    # 45,5% against 57,1% printed: 11,6 points (the unrounded rates differ by 11,7).
    text = narrative.summary_paragraphs(fixed_recap.make(now=fixed_recap.row(300, 80, 20, 100, 10, 10)),
                                        _opts(tmp_path, 'official_rate = "tpk_responden"'))
    assert "adalah 45,5%: 100 dari 220 alumni yang merespons bekerja atau berwirausaha hingga " \
           "27 November 2026, turun 11,6 poin dibanding caturwulan II 2026 (57,1%)." in text[0]
    assert "Tingkat respons 73,3%, turun 6,7 poin dibanding caturwulan II 2026 (80,0%)." in text


def test_change_needs_enough_respondents_in_both_periods(tmp_path, fixed_recap):
    small_before = fixed_recap.make(prev=fixed_recap.row(60, 10, 2, 5, 1, 1))  # 19 respondents
    text = narrative.summary_paragraphs(small_before, _opts(tmp_path))
    assert "naik" not in text[0] and "turun" not in text[0]
    assert not any(t.startswith("Tingkat respons") for t in text)
    assert ("Perubahan dibanding caturwulan II 2026 tidak disimpulkan: perbandingan memerlukan "
            "paling sedikit 30 responden pada kedua periode (caturwulan II 2026: 19, caturwulan "
            "III 2026: 287).") in text
    assert "hanya 19 responden" in unescape(str(tables.summary_table(small_before, _opts(tmp_path))))
    # The threshold is a setting.
    lower = narrative.summary_paragraphs(small_before, _opts(tmp_path, "min_respondents_compare = 10"))
    assert "dibanding caturwulan II 2026" in lower[0]


def test_provisional_until_the_period_ends(tmp_path, fixed_recap):
    running = fixed_recap.make()  # 27 November, caturwulan III runs to 31 December
    assert narrative.provisional(running)
    assert any("Laporan ini sementara" in t for t in narrative.summary_paragraphs(running))
    final = fixed_recap.make(as_of=date(2027, 1, 5))
    assert not narrative.provisional(final)
    assert not any("sementara" in t for t in narrative.summary_paragraphs(final))
    cover = str(document.front_matter(load_settings(None), running, provisional=True))
    assert "LAPORAN SEMENTARA" in cover and "SEMENTARA</span>" in cover  # title and footer


def test_target_against_realisation(tmp_path, fixed_recap):
    recap = fixed_recap.make()
    opts = _opts(tmp_path, 'targets = [{ periode = "2026", persen = 45.0 }, '
                           '{ periode = "2026-II", persen = 40.0 }]')
    assert opts.target(recap.period) == pytest.approx(0.45)  # the year's, no caturwulan one
    html = unescape(str(tables.target_table(recap, opts)))
    for text in ("Tahun 2026", "45,0%", "42,7%", "-2,3 poin", "belum tercapai (sementara)"):
        assert text in html, text
    assert "Target tahun 2026 45,0% belum tercapai (kurang 2,3 poin)." in \
        narrative.summary_paragraphs(recap, opts)
    own = _opts(tmp_path, 'targets = [{ periode = "2026-III", persen = 40.0 }]')
    assert "tercapai (lebih 2,7 poin)" in " ".join(narrative.conclusions(recap, own))
    assert "belum ditetapkan" in str(tables.target_table(recap, _opts(tmp_path)))
    with pytest.raises(ConfigError, match="report.targets"):
        _opts(tmp_path, 'targets = [{ periode = "2026-IV", persen = 40.0 }]')
    with pytest.raises(ConfigError, match="persen antara 0 dan 100"):
        _opts(tmp_path, 'targets = [{ periode = "2026", persen = 140.0 }]')
    with pytest.raises(ConfigError, match="official_rate"):
        _opts(tmp_path, 'official_rate = "tpk"')


def test_small_groups_show_a_dash_with_a_note(tmp_path, fixed_recap):
    recap = fixed_recap.make()
    recap.by["kejuruan"].loc["Pariwisata"] = fixed_recap.row(4, 1, 0, 0, 0, 0)  # 4 alumni, 1 respondent
    html = unescape(str(tables.breakdown_table(recap, "kejuruan", opts=_opts(tmp_path))))
    cells = re.search(r"Pariwisata</td>(.*?)</tr>", html).group(1)
    assert "100,0%" not in cells and "25,0%" not in cells and cells.count(">–<") == 3
    assert "kurang dari 5 orang" in html
    assert "Tidak ada" not in html
    # A chart bar needs as many respondents as a table percentage.
    chart = charts.breakdown_chart(recap, "kejuruan", "Kejuruan", min_respondents=5)
    assert len(chart.figure.axes[0].patches) == 3


def test_conclusions_and_recommendations_follow_the_figures(tmp_path, fixed_recap):
    low = fixed_recap.make(now=fixed_recap.row(412, 60, 20, 30, 10, 5))  # 125 of 412 responded
    opts = _opts(tmp_path, 'targets = [{ periode = "2026", persen = 45.0 }]')
    found = " ".join(narrative.conclusions(low, opts))
    assert "Tingkat respons 30,3%, di bawah batas 50,0%" in found
    assert "paling banyak bekerja atau berwirausaha pada Las" in found
    assert "belum tercapai" in found and "sementara" in found
    todo = " ".join(narrative.recommendations(low, opts))
    assert "Hubungi 287 alumni yang belum merespons" in todo
    assert "30 responden yang sedang mencari kerja" in todo
    assert "Tinjau kesesuaian program kejuruan Teknologi Informasi dan Komunikasi" in todo
    assert "Susun laporan akhir" in todo
    final = fixed_recap.make(as_of=date(2027, 1, 5))
    assert "Susun laporan akhir" not in " ".join(narrative.recommendations(final, opts))
    assert "Tingkat respons 69,7% memenuhi" in " ".join(narrative.conclusions(final, opts))


def test_points_are_the_difference_of_the_printed_rates():
    # 61,349% prints as 61,3% and 57,151% as 57,2%: the reader subtracts 4,1, not round(4,198).
    assert narrative.change(0.61349, 0.57151) == ("naik", 4.1)
    assert narrative.change(0.5, 0.5004) == ("sama", 0.0)
    assert narrative.change(0.5, math.nan) is None
    assert narrative.change_phrase(0.5, 0.5004, "caturwulan II 2026") == \
        ", sama dengan caturwulan II 2026 (50,0%)"


def test_no_previous_period_says_so_and_compares_nothing(fixed_recap):
    text = narrative.summary_paragraphs(fixed_recap.make(prev=None))
    assert "naik" not in text[0] and "turun" not in text[0]
    assert "Data caturwulan II 2026 belum tersedia sebagai pembanding." in text
    assert not any(t.startswith("Tingkat respons") for t in text)


def test_previous_period_without_respondents(fixed_recap):
    text = narrative.summary_paragraphs(fixed_recap.make(prev=fixed_recap.row(40, 0, 0, 0, 0, 0)))
    assert "naik" not in text[0] and "turun" not in text[0]
    assert ("Pada caturwulan II 2026 belum ada responden, sehingga tingkat kebekerjaan belum dapat "
            "dibandingkan.") in text


def test_zero_respondents(fixed_recap):
    recap = fixed_recap.make(now=fixed_recap.row(100, 0, 0, 0, 0, 0))
    text = narrative.summary_paragraphs(recap)
    assert text[0] == ("Dari 100 alumni sasaran survei caturwulan III 2026, belum ada yang merespons "
                       "hingga 27 November 2026; tingkat kebekerjaan belum dapat dihitung.")
    assert charts.status_chart(recap) is None
    figures = dict((label, (v, note)) for label, v, note in narrative.headline_figures(recap))
    assert figures["Merespons"] == ("0", "tingkat respons 0,0%")
    assert figures["Tingkat penempatan kerja"][0] == "0,0%"
    assert figures["Bekerja atau berwirausaha"][1].startswith("– dari responden")  # no denominator


def test_zero_alumni(fixed_recap):
    text = narrative.summary_paragraphs(fixed_recap.make(now=fixed_recap.row(0, 0, 0, 0, 0, 0)))
    assert text[0] == "Belum ada alumni yang menjadi sasaran survei pada caturwulan III 2026 " \
                      "(keadaan data 27 November 2026)."


def test_year_period_and_first_caturwulan_names():
    assert narrative.period_name(Period.parse("2026")) == "tahun 2026"
    assert narrative.period_name(Period.parse("2026-I").previous()) == "caturwulan III 2025"


def test_best_and_worst_kejuruan_only_among_groups_big_enough(tmp_path, fixed_recap):
    text = " ".join(narrative.summary_paragraphs(fixed_recap.make()))
    assert "paling banyak bekerja atau berwirausaha pada Las (69,4% dari 72 responden)" in text
    assert ("paling sedikit pada Teknologi Informasi dan Komunikasi (50,9% dari 108 responden)"
            in text)
    # With a higher bar only Otomotif (85) and TIK (108) are big enough.
    high = " ".join(narrative.summary_paragraphs(fixed_recap.make(), _opts(tmp_path, "min_group = 80")))
    assert "paling sedikit 80 responden" in high and "pada Otomotif" in high


def test_quality_sentences():
    text = narrative.quality_paragraphs({"baris_alumni_ditolak": 1234, "baris_respons_ditolak": 3,
                                         "jawaban_tidak_cocok": 0, "antrean_tinjauan": 12})
    assert text[0].startswith("1.234 baris data alumni dan 3 baris jawaban formulir ditolak")
    assert "Semua jawaban survei dapat dicocokkan dengan alumni." in text
    assert text[-1].startswith("12 jawaban masih menunggu tinjauan petugas")
    calm = narrative.quality_paragraphs({})
    assert calm[-1] == "Tidak ada jawaban yang menunggu tinjauan petugas."


def test_summary_table_shows_every_period_and_the_rates(fixed_recap):
    html = str(tables.summary_table(fixed_recap.make()))
    assert "<thead>" in html and "Caturwulan ii 2026" not in html
    assert "Caturwulan III 2026" in html and "Kumulatif s.d. 27 November 2026" in html
    for text in ("1.300", "69,7%", "61,3%", "57,1%", "42,7%"):
        assert text in html


def test_breakdown_from_index_or_column(fixed_recap):
    recap = fixed_recap.make()
    assert "Teknologi Informasi dan Komunikasi" in str(tables.breakdown_table(recap, "kejuruan"))
    recap.by["kejuruan"] = recap.by["kejuruan"].reset_index()  # name as a column
    html = str(tables.breakdown_table(recap, "kejuruan"))
    assert "Teknologi Informasi dan Komunikasi" in html and "68,2%" in html


def test_shares_given_as_percent_or_fraction_print_the_same():
    frac = pd.DataFrame({"kelompok": ["a", "b"], "jumlah": [1, 3], "persen": [0.25, 0.75]})
    pct = frac.assign(persen=[25.0, 75.0])
    assert str(tables.distribution_table(frac, "X")) == str(tables.distribution_table(pct, "X"))
    assert "25,0%" in str(tables.distribution_table(frac, "X"))


def test_employed_list_masks_nik_hides_phones_and_names_on_request(fixed_recap):
    employed = fixed_recap.make().employed
    shown = str(tables.employed_table(employed, show_names=True))
    assert "7471********0001" in shown and not re.search(r"\d{16}", shown)
    assert "081234567890" not in shown and "[nomor HP]" in shown
    assert "Alumni Contoh 1" in shown
    hidden = str(tables.employed_table(employed, show_names=False))
    assert "Alumni Contoh" not in hidden and "<th class=\"teks\">Nama</th>" not in hidden


def test_document_number_from_config(tmp_path):
    settings = load_settings(None)
    assert document.document_number(settings, "2026-III") == "KDI/PM/09/LAP/2026-III"
    toml = tmp_path / "kebekerjaan.toml"
    toml.write_text('[report]\ndocument_number = "{singkatan}/{tahun}/LAP-{periode}"\n', encoding="utf-8")
    assert document.document_number(load_settings(toml), "2026-III") == "BPVP Kendari/2026/LAP-2026-III"
    toml.write_text('[report]\ndocument_number = "{nomor}/LAP"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="report.document_number"):
        document.document_number(load_settings(toml), "2026-III")


def test_letterhead_and_signature_from_config(tmp_path):
    toml = tmp_path / "kebekerjaan.toml"
    toml.write_text('[institution]\nhead_name = "Dra. Siti Aminah, M.Si."\nhead_nip = "198001012005012002"\n'
                    '[report]\nsignature_city = "Konawe"\n', encoding="utf-8")
    settings = load_settings(toml)
    head = document.letterhead(settings)
    for text in ("Kementerian Ketenagakerjaan Republik Indonesia", "Balai Pelatihan Vokasi dan "
                 "Produktivitas Kendari", "(0401) 3195170", "bpvp.kendari@kemnaker.go.id",
                 "kendari.kemnaker.go.id"):
        assert text in head
    sign = str(document.signature(settings, date(2026, 11, 27)))
    assert "Konawe, 27 November 2026" in sign and "Dra. Siti Aminah, M.Si." in sign
    assert "NIP 19800101 200501 2 002" in sign and "Kepala BPVP Kendari" in sign


def test_front_matter_carries_metadata_for_the_runner(fixed_recap):
    bundle = document.front_matter(load_settings(None), fixed_recap.make())._repr_mimebundle_()
    meta = bundle[document.META_MIMETYPE]
    assert meta["berkas"] == "laporan_kebekerjaan_2026-III" and meta["nomor"] == "KDI/PM/09/LAP/2026-III"
    assert "Caturwulan III 2026 (September–Desember)" in bundle["text/html"]


def test_charts_are_inline_png_with_alt_text(fixed_recap):
    recap = fixed_recap.make()
    for chart in (charts.status_chart(recap), charts.comparison_chart(recap),
                  charts.breakdown_chart(recap, "kejuruan", "Kejuruan"),
                  charts.distribution_chart(recap.income, "Penghasilan")):
        html = chart._repr_html_()
        assert html.count('src="data:image/png;base64,') == 1 and 'alt=""' not in html
        assert chart.png().startswith(b"\x89PNG")


def test_periode_goes_only_to_notebooks_that_declare_it():
    from kebekerjaan.core.runner import Step, _step_parameters, notebooks_dir

    base = {"workspace": "/x", "as_of": "2026-11-27", "interaktif": False, "run_dir": "/r"}
    nb09 = Step(9, notebooks_dir() / "09_laporan_hasil_survei.ipynb")
    nb07 = Step(7, notebooks_dir() / "07_kumpulkan_data_survei.ipynb")
    nb06 = Step(6, notebooks_dir() / "06_isi_status_alumni.ipynb")
    assert _step_parameters(nb09, base, "2026-II") == {**base, "periode": "2026-II"}
    assert _step_parameters(nb06, base, "2026-II") == {**base, "periode": "2026-II"}
    assert _step_parameters(nb07, base, "2026-II") == base
    assert _step_parameters(nb09, base, None) == base


def test_run_summary_lists_report_first_then_by_purpose(tmp_path):
    from pathlib import Path

    produced = [Path(p) for p in ("r/ditolak_alumni.xlsx", "r/laporan_kebekerjaan_2026-III.html",
                                  "r/notebooks/09_laporan_hasil_survei.ipynb", "r/undangan_survei.csv",
                                  "r/laporan_kebekerjaan_2026-III.pdf", "r/pesan.txt")]
    shown = labels.labelled_outputs(produced)
    assert [label for _, label, _ in shown] == [
        "Laporan PDF untuk pimpinan (periode 2026-III)",
        "Laporan sebagai halaman web (periode 2026-III)",
        "Daftar undangan WA untuk aplikasi blast", "Baris data alumni yang ditolak", "pesan.txt"]
    assert [group for group, _, _ in shown] == ["baca", "baca", "kirim", "periksa", "lain"]


def test_report_settings_have_defaults():
    r = load_settings(None).report
    assert r.show_names is True and r.document_number == "{nomor_sop}/LAP/{periode}"


def test_groups_with_several_keys_read_as_one_label(fixed_recap):
    base = fixed_recap.row(10, 2, 1, 3, 0, 0)
    angkatan = pd.DataFrame([{"kejuruan": "Las", "program": "Juru Las SMAW 3G", "angkatan": "2",
                              "tahun": 2026, **base}])
    gelombang = pd.DataFrame([{"gelombang": 3.0, **base}, {"gelombang": float("nan"), **base}])
    assert narrative.group_frame(angkatan, "angkatan")["kelompok"].tolist() == [
        "Juru Las SMAW 3G, angkatan 2 (2026)"]
    assert narrative.group_frame(angkatan.drop(columns=["angkatan", "tahun"]), "program")[
        "kelompok"].tolist() == ["Juru Las SMAW 3G (Las)"]
    assert narrative.group_frame(gelombang, "gelombang")["kelompok"].tolist() == [
        "3 bulan", "Tidak diketahui"]


def test_sample_signer_is_marked_and_reported(tmp_path, fixed_recap):
    from kebekerjaan.steps.report.laporan import Laporan

    sample = str(document.signature(load_settings(None), date(2026, 11, 27)))
    assert ">CONTOH<" in sample
    toml = tmp_path / "kebekerjaan.toml"
    toml.write_text('[institution]\nhead_name = "Dra. Siti Aminah, M.Si."\n'
                    'head_nip = "198001012005012002"\n', encoding="utf-8")
    assert "CONTOH" not in str(document.signature(load_settings(toml), date(2026, 11, 27)))
    from kebekerjaan.core.runs import read_step_record

    Laporan(fixed_recap.make(), load_settings(None)).record(tmp_path / "run")
    notes = read_step_record(tmp_path / "run", 9)["notes"]  # the run summary prints these
    assert any("Penanda tangan laporan masih contoh" in n for n in notes)
    assert any("SEMENTARA" in n for n in notes)


def test_logo_slot_empty_without_a_file_and_filled_with_one(tmp_path, fixed_recap):
    settings = load_settings(None)
    assert '<div class="kop-logo"></div>' in document.letterhead(settings)
    png = tmp_path / "logo.png"
    png.write_bytes(charts.status_chart(fixed_recap.make()).png())
    assert 'class="logo" src="data:image/png;base64,' in document.letterhead(settings, png)
    with pytest.raises(ConfigError, match="tidak dapat dibaca"):
        document.letterhead(settings, tmp_path / "tidak_ada.png")
    toml = tmp_path / "kebekerjaan.toml"
    toml.write_text('[report]\nlogo = "logo.png"\n', encoding="utf-8")
    assert report_options(load_settings(toml), tmp_path).logo == png  # relative to the workspace


def test_introduction_from_settings_with_sop_defaults(tmp_path, fixed_recap):
    from kebekerjaan.steps.report.laporan import Laporan

    html = unescape(str(Laporan(fixed_recap.make(), load_settings(None)).pendahuluan()))
    for text in ("Latar belakang", "Dasar hukum", "Tujuan",
                 "Undang-Undang Nomor 13 Tahun 2003 tentang Ketenagakerjaan",
                 "Peraturan Pemerintah Nomor 31 Tahun 2006 tentang Sistem Pelatihan Kerja Nasional",
                 "Standar Operasional Prosedur KDI/PM/09 tentang Survey Kebekerjaan Alumni Pelatihan.",
                 "1, 3, dan 6 bulan"):
        assert text in html, text
    toml = tmp_path / "kebekerjaan.toml"
    toml.write_text('[report]\nlegal_basis = ["Peraturan Kepala Balai Nomor 1 Tahun 2026"]\n',
                    encoding="utf-8")
    own = unescape(str(Laporan(fixed_recap.make(), load_settings(toml)).pendahuluan()))
    assert "Peraturan Kepala Balai Nomor 1 Tahun 2026." in own and "Undang-Undang" not in own
    toml.write_text('[report]\npurposes = ["survei {tahun}"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="report.purposes"):
        Laporan(fixed_recap.make(), load_settings(toml)).pendahuluan()


def test_program_table_only_when_it_adds_to_kejuruan(tmp_path, fixed_recap):
    from kebekerjaan.steps.report.laporan import Laporan

    recap = fixed_recap.make()
    recap.by["program"] = recap.by["kejuruan"].copy()  # one program per kejuruan
    laporan = Laporan(recap, load_settings(None))
    shown = " ".join(str(x) for x in laporan.rincian_pelatihan())
    assert "rinciannya sama dengan tabel menurut kejuruan" in shown
    assert "Mekanik Sepeda Motor" not in shown
