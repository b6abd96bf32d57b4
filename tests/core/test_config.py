from __future__ import annotations

import pytest

from kebekerjaan.core.config import load_settings
from kebekerjaan.core.errors import ConfigError


def write(tmp_path, text):
    path = tmp_path / "kebekerjaan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_bpvp_kendari():
    s = load_settings(None)
    assert s.institution.short_name == "BPVP Kendari"
    assert s.sop.number == "KDI/PM/09"
    assert s.survey.waves_months == (1, 3, 6)
    names = {k.name for k in s.kejuruan}
    assert {"Teknologi Informasi dan Komunikasi", "Otomotif", "Las", "Garmen Apparel"} <= names
    assert "No. Telp/WA" in s.columns["alumni"]["phone"]


def test_another_bpvp_changes_one_file(tmp_path):
    path = write(tmp_path, """
[institution]
short_name = "BPVP Makassar"
[survey]
waves_months = [1, 6, 12]
[[kejuruan]]
name = "Otomotif"
aliases = ["Oto"]
""")
    s = load_settings(path)
    assert s.institution.short_name == "BPVP Makassar"
    assert s.institution.city == "Kendari"  # untouched keys keep the default
    assert s.survey.waves_months == (1, 6, 12)
    assert [k.name for k in s.kejuruan] == ["Otomotif"]


def test_unknown_key_is_a_clear_error_with_suggestion(tmp_path):
    path = write(tmp_path, "[institution]\nshort_nama = 'X'\n")
    with pytest.raises(ConfigError, match=r"kunci 'institution.short_nama' tidak dikenal.*short_name"):
        load_settings(path)


def test_unknown_section_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="tidak dikenal"):
        load_settings(write(tmp_path, "[lembaga]\nnama = 'X'\n"))


def test_unknown_column_field_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="columns.alumni.hobi"):
        load_settings(write(tmp_path, "[columns.alumni]\nhobi = ['Hobi']\n"))


def test_wrong_type_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="survey.waves_months' harus berupa daftar"):
        load_settings(write(tmp_path, "[survey]\nwaves_months = 3\n"))
    with pytest.raises(ConfigError, match="bilangan bulat"):
        load_settings(write(tmp_path, "[survey]\nwaves_months = ['satu']\n"))


def test_unknown_key_inside_kejuruan_item(tmp_path):
    with pytest.raises(ConfigError, match="kejuruan.alias'"):
        load_settings(write(tmp_path, "[[kejuruan]]\nname = 'Las'\nalias = ['Welding']\n"))


def test_broken_toml_names_the_file(tmp_path):
    with pytest.raises(ConfigError, match="kebekerjaan.toml: penulisan TOML tidak sah"):
        load_settings(write(tmp_path, "[institution\n"))


def test_waves_must_increase(tmp_path):
    with pytest.raises(ConfigError, match="waves_months"):
        load_settings(write(tmp_path, "[survey]\nwaves_months = [6, 1]\n"))


def test_an_alias_claimed_by_two_kejuruan_is_a_config_error(tmp_path):
    from kebekerjaan.io.normalize import kejuruan_mapper

    path = write(tmp_path, """
[[kejuruan]]
name = "Las"
aliases = ["Welding"]
[[kejuruan]]
name = "Teknik Mesin"
aliases = ["welding"]
""")
    with pytest.raises(ConfigError, match="kebekerjaan.toml: daftar kejuruan tidak sah"):
        kejuruan_mapper(load_settings(path))


def test_a_whole_number_is_a_fine_decimal(tmp_path):
    s = load_settings(write(tmp_path, "[matching]\naccept = 85\n"))
    assert s.matching.accept == 85
