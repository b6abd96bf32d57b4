"""Issue 19: a notebook opened from an installed package with an empty `workspace` never
puts data/ and the store inside site-packages; the default is the user's documents folder
(or the workspace named or found), never the package directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from kebekerjaan.core import config
from kebekerjaan.core.errors import ConfigError
from kebekerjaan.core.workspace import open_workspace


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """The package as pip installs it (no checkout around it), a notebook's working folder
    inside it, and a user whose documents folder is ~/Documents."""
    site = tmp_path / "site-packages"
    package = site / "kebekerjaan"
    (package / "notebooks").mkdir(parents=True)
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setattr(config, "PROJECT_ROOT", site.parent)
    monkeypatch.setattr(config, "PACKAGE_DIR", package)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.delenv(config.ENV_WORKSPACE, raising=False)
    monkeypatch.chdir(package / "notebooks")
    return package, home


def test_a_notebook_in_the_installed_package_uses_the_documents_folder(installed):
    package, home = installed
    ws = open_workspace("")  # the notebooks' `workspace = ""`
    assert ws.root == (home / "Documents" / "kebekerjaan").resolve()
    assert ws.store_path.parent.is_dir()
    assert not (package / "notebooks" / "data").exists() and not (package / "data").exists()


def test_a_package_folder_holding_a_settings_file_is_still_not_a_workspace(installed):
    package, home = installed
    (package / "notebooks" / config.CONFIG_NAME).write_text("", encoding="utf-8")
    assert config.default_workspace() == home / "Documents" / config.WORKSPACE_FOLDER


def test_the_named_workspace_then_the_workspace_here_come_first(installed, tmp_path, monkeypatch):
    here = tmp_path / "survei"
    here.mkdir()
    (here / config.CONFIG_NAME).write_text("", encoding="utf-8")
    monkeypatch.chdir(here)
    assert config.default_workspace() == here.resolve()
    monkeypatch.setenv(config.ENV_WORKSPACE, str(tmp_path / "lain"))
    assert config.default_workspace() == (tmp_path / "lain").resolve()


def test_a_translated_documents_folder_is_found(installed, tmp_path):
    _, home = installed
    (home / "Dokumen").mkdir()
    (home / ".config").mkdir()
    (home / ".config" / "user-dirs.dirs").write_text('XDG_DOCUMENTS_DIR="$HOME/Dokumen"\n',
                                                     encoding="utf-8")
    assert config.documents_dir() == home / "Dokumen"


def test_no_known_home_is_an_explicit_error(installed, monkeypatch):
    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    with pytest.raises(ConfigError, match="--workspace"):
        config.default_workspace()
