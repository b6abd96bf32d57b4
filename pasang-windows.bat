@echo off
rem Memasang kebekerjaan di laptop Windows 10/11 (docs\panduan\windows.md, langkah 3).
rem Perlu Miniforge (conda dari conda-forge) yang sudah terpasang. Aman dijalankan lagi, mis.
rem setelah mengunduh versi baru: lingkungan diperbarui, folder kerja dan datanya tetap.
setlocal
cd /d "%~dp0"

set "CONDA=%CONDA_EXE%"
if not defined CONDA if exist "%USERPROFILE%\miniforge3\Scripts\conda.exe" set "CONDA=%USERPROFILE%\miniforge3\Scripts\conda.exe"
if not defined CONDA if exist "%LOCALAPPDATA%\miniforge3\Scripts\conda.exe" set "CONDA=%LOCALAPPDATA%\miniforge3\Scripts\conda.exe"
if not defined CONDA if exist "%ProgramData%\miniforge3\Scripts\conda.exe" set "CONDA=%ProgramData%\miniforge3\Scripts\conda.exe"
if not defined CONDA (
  echo GAGAL: Miniforge tidak ditemukan. Pasang Miniforge dulu ^(docs\panduan\windows.md, langkah 1^),
  echo lalu klik dua kali berkas ini lagi.
  pause
  exit /b 1
)
echo Memakai conda: %CONDA%

echo.
echo [1/4] Lingkungan conda "kebekerjaan" dari conda-forge (pertama kali 10-30 menit)...
"%CONDA%" env list | findstr /B /C:"kebekerjaan " >nul
if errorlevel 1 (
  "%CONDA%" env create --file environment.yml
) else (
  "%CONDA%" env update --name kebekerjaan --file environment.yml --prune
)
if errorlevel 1 goto gagal

echo.
echo [2/4] Paket kebekerjaan dari folder ini...
"%CONDA%" run --no-capture-output --name kebekerjaan python -m pip install --no-deps --no-build-isolation --force-reinstall .
if errorlevel 1 goto gagal

echo.
echo [3/4] Pemeriksaan kelengkapan (pip check)...
"%CONDA%" run --no-capture-output --name kebekerjaan python -m pip check
if errorlevel 1 echo PERHATIAN: ada kebutuhan yang tidak cocok ^(lihat baris di atas^); kirim ke pengembang.

echo.
echo [4/4] Folder kerja, pembuka aplikasi, pintasan desktop dan skrip proses terjadwal...
"%CONDA%" run --no-capture-output --name kebekerjaan kebekerjaan pintasan --conda "%CONDA%"
if errorlevel 1 goto gagal

echo.
echo Selesai. Buka aplikasi dengan pintasan "Survei Kebekerjaan" di Desktop.
pause
exit /b 0

:gagal
echo.
echo GAGAL: langkah di atas tidak berhasil; pesan galatnya ada di atas. Periksa koneksi internet,
echo lalu klik dua kali berkas ini lagi. Bila tetap gagal, kirim isi jendela ini ke pengembang.
pause
exit /b 1
