"""SOP step 9 report: wording and number formats from the recap's numbers, tables, letter parts."""

from __future__ import annotations

import math
import re
from datetime import date

import pandas as pd
import pytest

from kebekerjaan.core.config import load_settings
from kebekerjaan.core.errors import ConfigError
from kebekerjaan.io import formatting as fmt
from kebekerjaan.rules import labels
from kebekerjaan.steps.recap import Period
from kebekerjaan.steps.report import charts, document, narrative, tables


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


def test_rise_reads_like_the_issue_example(fixed_recap):
    first = narrative.summary_paragraphs(fixed_recap.make())[0]
    assert first == (
        "Dari 412 alumni sasaran survei caturwulan III 2026, 287 (69,7%) telah merespons hingga "
        "27 November 2026; 61,3% di antaranya bekerja atau berwirausaha (176 orang), naik 4,2 poin "
        "dibanding caturwulan II 2026 (57,1%)."
    )


def test_fall_and_response_rate_change(fixed_recap):
    # 45,5% against 57,1% printed: 11,6 points (the unrounded rates differ by 11,7).
    text = narrative.summary_paragraphs(fixed_recap.make(now=fixed_recap.row(300, 80, 20, 100, 10, 10)))
    assert "45,5% di antaranya bekerja atau berwirausaha (100 orang), turun 11,6 poin dibanding " \
           "caturwulan II 2026 (57,1%)." in text[0]
    assert "Tingkat respons 73,3%, turun 6,7 poin dibanding caturwulan II 2026 (80,0%)." in text


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
    assert figures["Merespons"] == ("0", "0,0% dari alumni")
    assert figures["Tingkat penempatan"][0] == "0,0%"
    assert figures["Bekerja atau berwirausaha"][1] == "– dari responden"  # no denominator


def test_zero_alumni(fixed_recap):
    text = narrative.summary_paragraphs(fixed_recap.make(now=fixed_recap.row(0, 0, 0, 0, 0, 0)))
    assert text[0] == "Belum ada alumni yang menjadi sasaran survei pada caturwulan III 2026 " \
                      "(keadaan data 27 November 2026)."


def test_year_period_and_first_caturwulan_names():
    assert narrative.period_name(Period.parse("2026")) == "tahun 2026"
    assert narrative.period_name(Period.parse("2026-I").previous()) == "caturwulan III 2025"


def test_best_and_worst_kejuruan_only_among_groups_big_enough(fixed_recap):
    text = " ".join(narrative.summary_paragraphs(fixed_recap.make()))
    assert "tertinggi pada Las (69,4% dari 72 responden)" in text
    assert "terendah pada Teknologi Informasi dan Komunikasi (50,9% dari 108 responden)" in text


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
    assert _step_parameters(nb09, base, "2026-II") == {**base, "periode": "2026-II"}
    assert _step_parameters(nb07, base, "2026-II") == base
    assert _step_parameters(nb09, base, None) == base


def test_run_summary_lists_report_and_excel_first(tmp_path):
    from pathlib import Path

    produced = [Path(p) for p in ("r/ditolak_alumni.xlsx", "r/laporan_kebekerjaan_2026-III.html",
                                  "r/notebooks/09_laporan_hasil_survei.ipynb",
                                  "r/laporan_kebekerjaan_2026-III.pdf", "r/pesan.txt")]
    assert [label for label, _ in labels.headline_files(produced)] == ["Laporan PDF", "Laporan HTML", "Excel"]


def test_report_settings_have_defaults():
    r = document.report_settings(load_settings(None))
    assert r["show_names"] is True and r["document_number"] == "{nomor_sop}/LAP/{periode}"


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
