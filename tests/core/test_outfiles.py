"""Issue 19: an output file open in Excel on Windows cannot be replaced; the run writes the
new one beside it with a suffix, says so, and the step goes on."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from kebekerjaan.core import outfiles, publish
from kebekerjaan.core.runs import record_step
from kebekerjaan.io.excel import write_csv, write_workbook


@pytest.fixture
def open_in_excel(monkeypatch):
    """Files named here are open in another program: replacing them fails as on Windows
    (PermissionError, WinError 32 "being used by another process")."""
    opened: set[Path] = set()
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst) in opened:
            raise PermissionError(13, "The process cannot access the file because it is being "
                                      "used by another process", str(dst), 32)
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    outfiles.take_notes()
    return opened


def test_a_workbook_open_in_excel_gets_its_new_version_beside_it(tmp_path, open_in_excel, capsys):
    target = tmp_path / "undangan_survei.xlsx"
    write_workbook(target, {"Daftar": pd.DataFrame({"nama": ["Ani"]})})
    old = target.read_bytes()
    open_in_excel.add(target)
    written = write_workbook(target, {"Daftar": pd.DataFrame({"nama": ["Ani", "Budi"]})})
    assert written == tmp_path / "undangan_survei (baru).xlsx"
    assert target.read_bytes() == old and written.read_bytes() != old
    assert not list(tmp_path.glob("*.tmp"))
    (note,) = outfiles.take_notes()
    assert "undangan_survei.xlsx" in note and "undangan_survei (baru).xlsx" in note
    assert "PERHATIAN" in capsys.readouterr().out  # said under the notebook cell too


def test_the_next_free_name_is_taken_when_the_new_one_is_open_too(tmp_path, open_in_excel):
    target = tmp_path / "daftar.csv"
    frame = pd.DataFrame({"a": [1]})
    for path in (target, outfiles.beside(target)):
        write_csv(path, frame)
        open_in_excel.add(path)
    assert write_csv(target, frame) == tmp_path / "daftar (baru 2).csv"


def test_a_folder_that_refuses_writes_is_still_an_error(tmp_path, open_in_excel):
    target = tmp_path / "baru.csv"  # no file in the way: nothing is open, the folder refuses
    open_in_excel.add(target)
    with pytest.raises(PermissionError):
        write_csv(target, pd.DataFrame({"a": [1]}))
    assert not list(tmp_path.iterdir())


def test_a_list_published_over_an_open_one_is_placed_beside_it_and_the_step_says_so(
        tmp_path, open_in_excel):
    run_dir = tmp_path / "2026-11-27-interaktif"  # the per-day folder, reused all day
    first = write_workbook(publish.pending_dir(run_dir) / "undangan_survei.xlsx",
                           {"D": pd.DataFrame({"n": [1]})})
    record_step(run_dir, 4, counts={}, outputs=[first])
    publish.publish(run_dir)
    open_in_excel.add(run_dir / "undangan_survei.xlsx")
    write_workbook(publish.pending_dir(run_dir) / "undangan_survei.xlsx", {"D": pd.DataFrame({"n": [2]})})
    done = publish.publish(run_dir)
    assert done.moved == {"undangan_survei.xlsx": "undangan_survei (baru).xlsx"}
    assert not done.problems and any("(baru)" in n for n in done.notes)
    assert not (run_dir / publish.PENDING).exists()
