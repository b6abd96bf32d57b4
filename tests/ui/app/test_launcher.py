"""Issue 19: `kebekerjaan pintasan` writes the app opener, the scheduled-run script and the
desktop shortcut for exactly this installation. The Windows texts are checked as text (cmd
and PowerShell are not here); the Linux ones are written and checked by sh."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kebekerjaan import cli
from kebekerjaan.ui.app import launcher
from kebekerjaan.ui.app.launcher import Install

CONDA = Path(r"C:\Users\Siti Aminah\miniforge3\Scripts\conda.exe")
ENV = Path(r"C:\Users\Siti Aminah\miniforge3\envs\kebekerjaan")
WS = Path(r"C:\Users\Siti Aminah\Documents\kebekerjaan")


def test_the_windows_app_opener_starts_the_app_through_conda_run_and_opens_the_browser():
    text = launcher.app_bat(Install(ENV, CONDA), WS)
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    (line,) = [ln for ln in text.split("\r\n") if "aplikasi" in ln and not ln.startswith("rem")
               and not ln.startswith("title")]
    assert line == (f'"{CONDA}" run --no-capture-output --prefix "{ENV}" kebekerjaan aplikasi '
                    f'--workspace "{WS}" --buka')
    assert "if errorlevel 1 pause" in text  # a failure stays on screen


def test_the_windows_scheduled_script_logs_and_returns_the_runs_exit_code():
    text = launcher.scheduled_bat(Install(ENV, CONDA), WS)
    log = WS / launcher.LOG
    assert (f'"{CONDA}" run --no-capture-output --prefix "{ENV}" kebekerjaan run --workspace '
            f'"{WS}" --no-progress >> "{log}" 2>&1') in text
    assert text.endswith("exit /b %ERRORLEVEL%\r\n")
    hint = launcher.schtasks_command(Path(f"{WS}\\proses-terjadwal.bat"))
    assert hint.startswith('schtasks /Create /SC WEEKLY /D MON /ST 07:00 /TN "Survei Kebekerjaan"')
    assert f'/TR "\\"{WS}\\proses-terjadwal.bat\\""' in hint


def test_batch_words_are_quoted_and_percent_signs_survive_cmd():
    assert launcher.bat_quote("run") == "run"
    assert launcher.bat_quote(r"D:\Survei 100% Kendari") == r'"D:\Survei 100%% Kendari"'
    # a folder name beyond ASCII: the script switches cmd to UTF-8 before naming it
    folder = Path(r"D:\Survei Kebekerjaan\Bekasi—Utara")
    data = launcher.bat_file(launcher.app_bat(Install(ENV, CONDA), folder))
    assert data.split(b"\r\n")[1] == b"chcp 65001 >nul"
    assert launcher.bat_file("@echo off\r\nrem x\r\n") == b"@echo off\r\nrem x\r\n"


def test_the_shortcut_powershell_quotes_every_path():
    text = launcher.shortcut_powershell(Path(r"C:\Users\O'Brien\kerja\buka-aplikasi.bat"),
                                        Path(r"C:\Users\O'Brien\kerja"), None)
    assert "[Environment]::GetFolderPath('Desktop')" in text
    assert r"$s.TargetPath = 'C:\Users\O''Brien\kerja\buka-aplikasi.bat'" in text
    assert "'Survei Kebekerjaan.lnk'" in text and text.endswith("Write-Output $p")


def test_a_conda_environment_is_run_through_its_conda(tmp_path, monkeypatch):
    base = tmp_path / "miniforge3"
    env = base / "envs" / "kebekerjaan"
    (env / "conda-meta").mkdir(parents=True)
    (base / "bin").mkdir()
    (base / "bin" / "conda").write_text("", encoding="utf-8")
    monkeypatch.setattr(sys, "prefix", str(env))
    monkeypatch.delenv("CONDA_EXE", raising=False)
    install = launcher.this_install()
    assert install.command("run")[:5] == [str(base / "bin" / "conda"), "run", "--no-capture-output",
                                          "--prefix", str(env)]
    (base / "bin" / "conda").unlink()
    with pytest.raises(cli.KebekerjaanError, match="--conda"):
        launcher.this_install()


def test_pintasan_on_linux_writes_scripts_that_run_this_environments_program(tmp_path, capsys):
    desktop = tmp_path / "Desktop"
    desktop.mkdir()
    ws = tmp_path / "Dokumen" / "kebekerjaan"
    assert cli.main(["pintasan", "--workspace", str(ws), "--desktop", str(desktop)]) == 0
    out = capsys.readouterr().out
    app, scheduled = ws / "buka-aplikasi.sh", ws / "proses-terjadwal.sh"
    program = Path(sys.prefix) / "bin" / "kebekerjaan"
    for script in (app, scheduled):
        assert os.access(script, os.X_OK)
        subprocess.run(["sh", "-n", str(script)], check=True)  # valid shell
        assert str(program) in script.read_text(encoding="utf-8")
    assert (ws / "kebekerjaan.toml").is_file()  # the workspace is made if new
    entry = (desktop / "survei-kebekerjaan.desktop").read_text(encoding="utf-8")
    assert f'Exec=sh "{app}"' in entry
    assert launcher.cron_line(scheduled) in out and "crontab -e" in out


@pytest.mark.skipif(shutil.which("sh") is None, reason="no sh")
def test_the_linux_scheduled_script_appends_to_its_log_and_keeps_the_exit_code(tmp_path):
    fake = tmp_path / "kebekerjaan"
    fake.write_text("#!/bin/sh\necho \"dipanggil: $*\"\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)

    class Fake(Install):
        def command(self, *args):
            return [str(fake), *args]

    ws = tmp_path / "ws"
    script = tmp_path / "jadwal.sh"
    script.write_text(launcher.scheduled_sh(Fake(tmp_path), ws), encoding="utf-8")
    for _ in range(2):
        done = subprocess.run(["sh", str(script)], capture_output=True, text=True)
    log = (ws / launcher.LOG).read_text(encoding="utf-8")
    assert log.count(f"dipanggil: run --workspace {ws} --no-progress") == 2
    assert done.returncode == 3  # the scheduled run's failure is seen by cron
