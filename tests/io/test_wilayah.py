"""Region codes shipped with the package."""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

import pytest

from kebekerjaan.io import wilayah

PACKAGE = Path(wilayah.__file__).parents[1]


def test_province_names():
    assert wilayah.province_name("74") == "Sulawesi Tenggara"
    assert wilayah.province_name("31") == "Daerah Khusus Ibukota Jakarta"
    assert wilayah.province_name("96") == "Papua Barat Daya"
    assert wilayah.province_name("99") is None
    assert wilayah.province_name("7") is None
    assert wilayah.province_name("") is None


def test_kabkota_names():
    assert wilayah.kabkota_name("7471") == "Kota Kendari"
    assert wilayah.kabkota_name("74.71") == "Kota Kendari"
    assert wilayah.kabkota_name("7402") == "Kabupaten Konawe"
    assert wilayah.kabkota_name("7499") is None
    assert wilayah.kabkota_name("74a1") is None
    assert wilayah.kabkota_name("747") is None


def test_old_upper_case_names_are_shown_in_title_case():
    assert wilayah.kabkota_name("9101") == "Kabupaten Merauke"
    assert wilayah.kabkota_name("9271") == "Kota Sorong"


@pytest.mark.parametrize(
    "code, known",
    [
        ("747101", True),
        ("74.71.01", True),
        ("747111", True),  # 2025 only
        ("910101", True),  # 2016/2020 only
        ("747199", False),
        ("000000", False),
        ("7471", False),
    ],
)
def test_kecamatan_known_in_any_version(code, known):
    assert wilayah.kecamatan_known(code) is known


def test_tables_are_built_once_and_read_only():
    t = wilayah.tables()
    assert wilayah.tables() is t
    assert t.prov_known.sum() == 38
    assert t.kabkota_name[7471] == "Kota Kendari"
    with pytest.raises(ValueError):
        t.kecamatan_known[747101] = False


def test_data_ships_inside_the_package_with_attribution():
    data = resources.files("kebekerjaan").joinpath("data/wilayah.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    assert {r["tingkat"] for r in rows} == {"provinsi", "kabupaten_kota", "kecamatan"}
    versions = {v for r in rows for v in r["versi_kode"].split()}
    assert versions == {"2016", "2020", "2025"}
    licence = (PACKAGE / "data" / "WILAYAH_LICENSE.md").read_text(encoding="utf-8")
    assert "Cahya DSN" in licence and "MIT License" in licence


def test_module_does_not_read_the_shared_folder():
    assert "shared" not in Path(wilayah.__file__).read_text(encoding="utf-8")
