"""Issue 19: copies of personal data are deleted when no longer needed (the last
[run] keep_personal_copies kept); "owner only" permissions do nothing on Windows."""

from __future__ import annotations

import os

from kebekerjaan.core import retention
from kebekerjaan.core.journal import private_dir
from kebekerjaan.core.workspace import init_workspace


def test_only_the_newest_copies_are_kept_and_the_office_records_never_touched(tmp_path):
    ws = init_workspace(tmp_path / "ws")
    config = ws.root / "kebekerjaan.toml"
    text = config.read_text(encoding="utf-8")
    assert "keep_personal_copies = 5" in text  # written into every new workspace, explained
    config.write_text(text.replace("keep_personal_copies = 5", "keep_personal_copies = 2"),
                      encoding="utf-8")
    runs = [ws.outputs / f"2026112{i}-070000" for i in range(1, 5)]
    for run in runs:
        (run / "steps").mkdir(parents=True)
        (run / "steps" / "08-rekap.json").write_text("{}", encoding="utf-8")
        (run / "undangan_survei.xlsx").write_bytes(b"list")
    private = private_dir(ws.data)
    private.mkdir(parents=True, exist_ok=True)
    (private / "20261124-070000.sqlite").write_bytes(b"copy of a finished run")
    (private / "20261125-070000.sqlite").write_bytes(b"copy of an unfinished run")
    (private / "20261125-070000.json").write_text("{}", encoding="utf-8")
    (private / "rusak").mkdir()
    logs = ws.data / "log"
    logs.mkdir()
    for i in range(4):
        for path in (private / "rusak" / f"2026112{i}-070000.sqlite", logs / f"galat-2026112{i}.log"):
            path.write_bytes(b"x")
            os.utime(path, (1_800_000_000 + i, 1_800_000_000 + i))
    store = ws.store_path
    store.write_bytes(b"the store")

    removed = retention.prune(ws, keep_run=runs[0].name)

    # recaps: the two newest runs and the run just committed keep theirs
    assert [(r / "steps" / "08-rekap.json").exists() for r in runs] == [True, False, True, True]
    # a copy no unfinished run refers to goes; the one an unfinished run needs stays
    assert not (private / "20261124-070000.sqlite").exists()
    assert (private / "20261125-070000.sqlite").exists()
    assert sorted(p.name for p in (private / "rusak").iterdir()) == [
        "20261122-070000.sqlite", "20261123-070000.sqlite"]
    assert sorted(p.name for p in logs.iterdir()) == ["galat-20261122.log", "galat-20261123.log"]
    # the store and the lists are the office's records
    assert store.read_bytes() == b"the store"
    assert all((r / "undangan_survei.xlsx").exists() for r in runs)
    assert len(removed) == 1 + 1 + 2 + 2
