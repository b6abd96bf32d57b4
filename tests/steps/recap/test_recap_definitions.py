"""The recap's definitions say what the settings and the vocabularies say, not a copy of them."""

from __future__ import annotations

from kebekerjaan.steps.recap.model import definitions


def test_the_wave_definition_names_the_configured_waves():
    assert dict(definitions((1, 3, 6)))["Gelombang survei dan jatuh tempo"].startswith(
        "Alumni disurvei 1, 3, dan 6 bulan setelah pelatihan selesai")
    assert dict(definitions((2, 12)))["Gelombang survei dan jatuh tempo"].startswith(
        "Alumni disurvei 2 dan 12 bulan setelah")


def test_employed_and_period_definitions_come_from_their_rules():
    terms = dict(definitions((1, 3, 6)))
    assert terms["Bekerja + wirausaha"] == "Alumni merespons yang berstatus Bekerja atau Wirausaha."
    assert "I: Januari–April, II: Mei–Agustus, III: September–Desember" in terms["Periode"]
    assert "'Tidak Lulus'" in terms["Satuan hitung"]
