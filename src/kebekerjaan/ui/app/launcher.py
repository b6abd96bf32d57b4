"""`kebekerjaan pintasan`: start the staff app and the scheduled run with exactly what this
installation is, from a desktop shortcut and from Task Scheduler (or cron).

Written into the workspace, with absolute paths:

- `buka-aplikasi.bat` (`.sh` elsewhere): starts `kebekerjaan aplikasi --buka` for this
  workspace, which opens the browser once the app listens;
- `proses-terjadwal.bat` (`.sh`): `kebekerjaan run --no-progress` for this workspace, its
  output appended to `data/log/jadwal.log` (private, like the rest of data/), its exit code
  the run's (cli.py names them);
- a desktop shortcut to the first (Windows: `Survei Kebekerjaan.lnk`, made by PowerShell;
  Linux: a `.desktop` entry).

In a conda environment (the Windows route, docs/panduan/windows.md) both go through
`conda run --no-capture-output --prefix <this environment>`, which activates it (WeasyPrint
finds conda-forge's Pango only in an activated environment); elsewhere they call this
environment's own `kebekerjaan` program.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from kebekerjaan.core.config import default_workspace
from kebekerjaan.core.errors import KebekerjaanError

APP_SCRIPT = "buka-aplikasi"
SCHEDULED_SCRIPT = "proses-terjadwal"
SHORTCUT = "Survei Kebekerjaan"
LOG = Path("data") / "log" / "jadwal.log"
TASK_NAME = "Survei Kebekerjaan"
WINDOWS = os.name == "nt"


@dataclass(frozen=True)
class Install:
    """How to start `kebekerjaan` in this installation."""

    prefix: Path
    conda: Path | None = None  # conda's program, when the route is a conda environment

    def command(self, *args: str) -> list[str]:
        if self.conda is not None:
            return [str(self.conda), "run", "--no-capture-output", "--prefix", str(self.prefix),
                    "kebekerjaan", *args]
        exe = self.prefix / ("Scripts/kebekerjaan.exe" if WINDOWS else "bin/kebekerjaan")
        if exe.is_file():
            return [str(exe), *args]
        return [sys.executable, "-m", "kebekerjaan.cli", *args]


def this_install(conda: Path | None = None) -> Install:
    """This environment: a conda one (conda given, or found beside it) or a venv."""
    prefix = Path(sys.prefix)
    if conda is not None:
        return Install(prefix, Path(conda).resolve())
    if not (prefix / "conda-meta").is_dir():
        return Install(prefix)
    found = find_conda(prefix)
    if found is None:
        raise KebekerjaanError(
            f"Lingkungan ini ({prefix}) lingkungan conda, tetapi program conda tidak ditemukan. "
            "Jalankan perintah ini dari Miniforge Prompt, atau sebut conda dengan --conda, mis. "
            r"--conda C:\Users\NAMA\miniforge3\Scripts\conda.exe")
    return Install(prefix, found)


def find_conda(prefix: Path) -> Path | None:
    """CONDA_EXE (set in an activated shell and by `conda run`), else the conda of the base
    installation this environment belongs to (`<base>/envs/<name>`, or the base itself)."""
    named = os.environ.get("CONDA_EXE")
    if named and Path(named).is_file():
        return Path(named)
    rel = ("Scripts/conda.exe", "condabin/conda.bat") if WINDOWS else ("bin/conda", "condabin/conda")
    for base in (prefix, prefix.parent.parent):
        for r in rel:
            if (base / r).is_file():
                return base / r
    return None


# --- the scripts -----------------------------------------------------------------------------


def bat_quote(word: str) -> str:
    """One word of a .bat line: quoted unless plain; `%` doubled (cmd expands it even
    inside quotes)."""
    word = word.replace("%", "%%")
    if word and all(c.isalnum() or c in "-_.:/=" for c in word):
        return word
    return f'"{word}"'


def bat_line(words: list[str]) -> str:
    return " ".join(bat_quote(w) for w in words)


def bat_file(text: str) -> bytes:
    """A .bat file's bytes: cmd reads it in the console's code page, so a script naming a
    folder with letters beyond ASCII switches that to UTF-8 first."""
    if not text.isascii():
        head, _, rest = text.partition("\r\n")
        text = f"{head}\r\nchcp 65001 >nul\r\n{rest}"
    return text.encode("utf-8")


def app_bat(install: Install, ws: Path) -> str:
    cmd = bat_line(install.command("aplikasi", "--workspace", str(ws), "--buka"))
    return ("@echo off\r\n"
            "rem Aplikasi petugas Survei Kebekerjaan: halaman petugas di peramban, untuk folder kerja\r\n"
            f"rem {ws}.\r\n"
            "rem Dibuat oleh \"kebekerjaan pintasan\"; jalankan lagi perintah itu bila folder kerja\r\n"
            "rem atau instalasinya berpindah. Tutup jendela ini untuk menghentikan aplikasi.\r\n"
            "title Aplikasi Survei Kebekerjaan\r\n"
            f"{cmd}\r\n"
            "if errorlevel 1 pause\r\n")


def scheduled_bat(install: Install, ws: Path) -> str:
    log = ws / LOG
    cmd = bat_line(install.command("run", "--workspace", str(ws), "--no-progress"))
    return ("@echo off\r\n"
            "rem Proses terjadwal Survei Kebekerjaan (Task Scheduler; docs/panduan/jadwal.md):\r\n"
            "rem kesembilan langkah SOP untuk folder kerja ini, keluarannya ditambahkan ke log.\r\n"
            "rem Dibuat oleh \"kebekerjaan pintasan\".\r\n"
            f"if not exist {bat_quote(str(log.parent))} mkdir {bat_quote(str(log.parent))}\r\n"
            f"echo ==== %DATE% %TIME% ==== >> {bat_quote(str(log))}\r\n"
            f"{cmd} >> {bat_quote(str(log))} 2>&1\r\n"
            "exit /b %ERRORLEVEL%\r\n")


def app_sh(install: Install, ws: Path) -> str:
    cmd = shlex.join(install.command("aplikasi", "--workspace", str(ws), "--buka"))
    return ("#!/bin/sh\n"
            "# Aplikasi petugas Survei Kebekerjaan (dibuat oleh `kebekerjaan pintasan`).\n"
            f"exec {cmd}\n")


def scheduled_sh(install: Install, ws: Path) -> str:
    log = shlex.quote(str(ws / LOG))
    cmd = shlex.join(install.command("run", "--workspace", str(ws), "--no-progress"))
    return ("#!/bin/sh\n"
            "# Proses terjadwal Survei Kebekerjaan (cron; docs/panduan/jadwal.md), dibuat oleh\n"
            "# `kebekerjaan pintasan`: kesembilan langkah SOP, keluarannya ditambahkan ke log.\n"
            f"mkdir -p {shlex.quote(str((ws / LOG).parent))}\n"
            f"{{ echo \"==== $(date '+%Y-%m-%d %H:%M:%S') ====\"; {cmd}; }} >> {log} 2>&1\n")


def ps_quote(text: str) -> str:
    """A PowerShell single-quoted string (a quote inside is doubled)."""
    return "'" + text.replace("'", "''") + "'"


def shortcut_powershell(target: Path, ws: Path, desktop: Path | None) -> str:
    """PowerShell that makes `<Desktop>\\Survei Kebekerjaan.lnk` to `target` and prints its
    path (the Desktop as Windows knows it, also when moved into OneDrive)."""
    where = "[Environment]::GetFolderPath('Desktop')" if desktop is None else ps_quote(str(desktop))
    return (f"$d = {where}; "
            f"$p = Join-Path $d {ps_quote(SHORTCUT + '.lnk')}; "
            "$s = (New-Object -ComObject WScript.Shell).CreateShortcut($p); "
            f"$s.TargetPath = {ps_quote(str(target))}; "
            f"$s.WorkingDirectory = {ps_quote(str(ws))}; "
            "$s.Description = 'Aplikasi petugas Survei Kebekerjaan Alumni'; "
            "$s.Save(); Write-Output $p")


def desktop_entry(target: Path) -> str:
    # The Desktop Entry spec quotes an argument in double quotes, escaping " ` $ and \.
    quoted = '"' + "".join("\\" + c if c in '"`$\\' else c for c in str(target)) + '"'
    return ("[Desktop Entry]\n"
            "Type=Application\n"
            f"Name={SHORTCUT}\n"
            "Comment=Aplikasi petugas Survei Kebekerjaan Alumni\n"
            f"Exec=sh {quoted}\n"
            "Terminal=true\n")


def schtasks_command(script: Path) -> str:
    """Register the scheduled script weekly, Monday 07.00, for the user who runs it."""
    return (f'schtasks /Create /SC WEEKLY /D MON /ST 07:00 /TN "{TASK_NAME}" '
            f'/TR "\\"{script}\\""')


def cron_line(script: Path) -> str:
    return f"0 7 * * 1  {shlex.quote(str(script))}"


@dataclass
class Launchers:
    workspace: Path
    app: Path
    scheduled: Path
    shortcut: Path | None
    schedule_hint: str


def make_launchers(workspace: Path | None = None, *, conda: Path | None = None,
                   desktop: Path | None = None, say=print) -> Launchers:
    """Write the two scripts into the workspace (made if new) and the desktop shortcut."""
    from kebekerjaan.core.workspace import init_workspace

    install = this_install(conda)
    ws = init_workspace(workspace or default_workspace()).root
    suffix = ".bat" if WINDOWS else ".sh"
    app = ws / f"{APP_SCRIPT}{suffix}"
    scheduled = ws / f"{SCHEDULED_SCRIPT}{suffix}"
    if WINDOWS:
        app.write_bytes(bat_file(app_bat(install, ws)))
        scheduled.write_bytes(bat_file(scheduled_bat(install, ws)))
    else:
        for path, text in ((app, app_sh(install, ws)), (scheduled, scheduled_sh(install, ws))):
            path.write_text(text, encoding="utf-8")
            path.chmod(0o755)
    shortcut = _shortcut(app, ws, desktop)
    hint = schtasks_command(scheduled) if WINDOWS else cron_line(scheduled)
    say(f"Folder kerja: {ws}")
    say(f"Pembuka aplikasi: {app}")
    say(f"Pintasan desktop: {shortcut}" if shortcut else
        "Pintasan desktop tidak dibuat (folder Desktop tidak ditemukan); buka aplikasi dengan "
        f"{app}.")
    say(f"Proses terjadwal: {scheduled} (log: {ws / LOG})")
    if WINDOWS:
        say("Untuk menjalankannya setiap Senin pukul 07.00, ketik sekali di Command Prompt:")
    else:
        say("Untuk menjalankannya setiap Senin pukul 07.00, tambahkan baris ini dengan crontab -e:")
    say(f"  {hint}")
    return Launchers(ws, app, scheduled, shortcut, hint)


def _shortcut(target: Path, ws: Path, desktop: Path | None) -> Path | None:
    if WINDOWS:  # pragma: no cover - Windows only; the PowerShell text is tested
        done = subprocess.run(
            ["powershell", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
             "-Command", shortcut_powershell(target, ws, desktop)],
            capture_output=True, text=True)
        lines = done.stdout.strip().splitlines()
        return Path(lines[-1]) if done.returncode == 0 and lines else None
    folder = desktop or Path.home() / "Desktop"
    if not folder.is_dir():
        return None
    entry = folder / f"{SHORTCUT.lower().replace(' ', '-')}.desktop"
    entry.write_text(desktop_entry(target), encoding="utf-8")
    entry.chmod(0o755)
    return entry
