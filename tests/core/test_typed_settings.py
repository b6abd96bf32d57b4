"""Typed settings (kebekerjaan.core.config): every key of defaults.toml is a typed, frozen
attribute, checked once when loaded, and an unchanged kebekerjaan.toml is parsed once."""

from __future__ import annotations

import dataclasses
import json

import pytest

from kebekerjaan.core import config
from kebekerjaan.core.config import load_settings
from kebekerjaan.core.errors import ConfigError


def write(tmp_path, text: str):
    path = tmp_path / "kebekerjaan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_key_of_defaults_toml_is_a_typed_attribute():
    settings = load_settings(None)
    for section, table in config._defaults().items():
        value = getattr(settings, section)
        if isinstance(table, dict) and section != "columns":
            assert dataclasses.is_dataclass(value), section
            assert {f.name for f in dataclasses.fields(value)} == set(table), section
    assert settings.columns["respons"] is settings.columns.respons
    assert config.SmileColumn(header="NIK", field="nik") in settings.smile.columns


def test_settings_are_immutable(tmp_path):
    settings = load_settings(None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.survey.max_reminders = 5
    with pytest.raises(TypeError):
        settings.columns["alumni"]["nik"] = ("x",)  # a shared, cached object: nobody may edit it


def test_to_data_is_the_merged_toml_and_stable(tmp_path):
    default = load_settings(None)
    assert default.to_data() == json.loads(json.dumps(config._defaults()))
    a = load_settings(write(tmp_path, "[matching]\naccept = 85\n"))
    assert a.matching.accept == 85.0 and a.to_data()["matching"]["accept"] == 85.0
    other = tmp_path / "lain"
    other.mkdir()
    b = load_settings(write(other, "[matching]\naccept = 85.0\n"))
    assert json.dumps(a.to_data(), sort_keys=True) == json.dumps(b.to_data(), sort_keys=True)


@pytest.mark.parametrize("text,says", [
    ("[matching]\nreview = 95.0\n", "[matching] harus 0 <= review <= accept <= 100"),
    ("[report]\nmax_rows = -1\n", "'report.max_rows' tidak boleh negatif"),
    ("[survey]\nmax_reminders = -1\n", "'survey.max_reminders' tidak boleh negatif"),
    ('[survey]\nprefill_link = "https://x/viewform?entry.1=KODE"\n', "survey.code_entry"),
    ('[smile]\ncolumns = [{ header = "NIK", field = "nik" }, { header = "NIK", field = "nama" }]\n',
     "judul kolom SMILe 'NIK' tercantum dua kali"),
    ('[smile]\ncolumns = [{ header = "NIK" }]\n', "kolom SMILe ke-1 harus punya 'header' dan 'field'"),
])
def test_values_are_checked_when_loaded_naming_the_key(tmp_path, text, says):
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, text))
    assert says in str(err.value) and "kebekerjaan.toml" in str(err.value)


def test_an_unchanged_file_is_parsed_once_and_a_change_is_seen_at_once(tmp_path, monkeypatch):
    parsed = []
    real = config.tomllib.loads
    monkeypatch.setattr(config.tomllib, "loads", lambda text: parsed.append(1) or real(text))
    path = write(tmp_path, '[institution]\nshort_name = "BPVP Satu"\n')
    assert [load_settings(path).institution.short_name for _ in range(3)] == ["BPVP Satu"] * 3
    assert len(parsed) == 1
    # same size, written at once: still seen (the cache keys on the content, not the time)
    write(tmp_path, '[institution]\nshort_name = "BPVP Enam"\n')
    assert load_settings(path).institution.short_name == "BPVP Enam"
    assert len(parsed) == 2


def test_a_broken_file_fails_every_time(tmp_path):
    path = write(tmp_path, "[institution\n")
    for _ in range(2):
        with pytest.raises(ConfigError, match="penulisan TOML tidak sah"):
            load_settings(path)
