"""Step 8 reuses the recap an earlier run kept when nothing it depends on changed (issue 12).

The key is the store's content state (kebekerjaan.core.store.content_state), not the store
file's size and time: in WAL mode a committed form save can sit in the -wal file while the
main file stays as it was.
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from kebekerjaan.core import store
from kebekerjaan.core.context import StepContext
from kebekerjaan.rules.periods import resolve_period
from kebekerjaan.steps import recap as recap_pkg
from kebekerjaan.steps.recap import stored
from kebekerjaan.steps.report.laporan import Laporan

AS_OF = date(2026, 11, 27)
WORKING = {
    "status": "bekerja", "employer": "Kopi Kenangan Kendari", "position": "Barista",
    "employer_type": "swasta", "sector": "akomodasi", "location": "Kota Kendari",
    "start_date": "2026-10-01", "income": "2.5-4", "relevance": "sangat_erat",
    "job_source": ["info_bpvp"], "consent": "ya",
}


@pytest.fixture
def ws(tmp_path):
    from kebekerjaan.core.workspace import init_workspace
    from kebekerjaan.demo.sample import write_sample
    from kebekerjaan.steps.alumni import collect_alumni
    from kebekerjaan.steps.answers.collect import collect_answers

    ws = init_workspace(tmp_path / "ws")
    write_sample(ws.root, n_alumni=60, seed=3, as_of=AS_OF)
    prep = ws.outputs / "prep"
    collect_alumni(StepContext(ws, AS_OF, prep))
    collect_answers(StepContext(ws, AS_OF, prep, run_id="prep"))
    return ws


def no_compute(*a, **k):
    raise AssertionError("the recap was computed again")


def step_notes(run_dir) -> list[str]:
    return json.loads((run_dir / "steps" / "08.json").read_text(encoding="utf-8"))["notes"]


def test_transaction_renews_the_generation_only_when_rows_change(ws):
    con = store.connect(ws.store_path)
    try:
        first = store.content_state(con)
        with store.transaction(con):
            con.execute("SELECT COUNT(*) FROM answers").fetchone()  # reads only
            store.set_state(con, "x", "1")
        first = store.content_state(con)
        with store.transaction(con):
            store.set_state(con, "x", "1")  # the same value again: no change
        assert store.content_state(con) == first
        with store.transaction(con):
            con.execute("UPDATE answers SET discarded = 1 WHERE id = (SELECT MIN(id) FROM answers)")
        changed = store.content_state(con)
        assert changed["generation"] != first["generation"]
        # an UPDATE changes no count: only the generation tells
        assert {k: v for k, v in changed.items() if k != "generation"} == {
            k: v for k, v in first.items() if k != "generation"}
        con.execute("DELETE FROM rejects")  # a direct write, outside `transaction`
        con.execute("INSERT INTO store_state (key, value) VALUES ('y', 'y')")
        assert store.content_state(con) != changed
    finally:
        con.close()


def test_an_unchanged_store_reuses_the_recap_and_its_workbooks(ws, monkeypatch):
    first_dir = ws.outputs / "run1"
    made = recap_pkg.recap_step(StepContext(ws, AS_OF, first_dir, periode="2026-III"))
    kept = stored.cross_run_dir(ws.data)
    assert kept.parent == ws.data and list(kept.iterdir())  # personal data: under data/
    assert not any("rekap_tersimpan" in str(p) for p in ws.outputs.rglob("*"))

    monkeypatch.setattr(recap_pkg, "compute_recap", no_compute)
    second_dir = ws.outputs / "run2"
    again = recap_pkg.recap_step(StepContext(ws, AS_OF, second_dir, periode="2026-III"))
    pd.testing.assert_frame_equal(again.summary, made.summary, check_dtype=False)
    for key, frame in made.by.items():
        pd.testing.assert_frame_equal(again.by[key].reset_index(drop=True), frame,
                                      check_dtype=False)
    # the notebook's previews still have their first rows
    assert again.employed.head(20)["nik"].tolist() == made.employed.head(20)["nik"].tolist()
    assert again.not_responded.head(20)["nik"].tolist() == made.not_responded.head(20)["nik"].tolist()
    # both workbooks are in the new run folder, byte for byte those of the first run
    for name in (recap_pkg.recap_workbook_name("2026-III"), "smile_2026-III.xlsx"):
        assert (second_dir / name).read_bytes() == (first_dir / name).read_bytes()
    record = json.loads((second_dir / "steps" / "08.json").read_text(encoding="utf-8"))
    first_record = json.loads((first_dir / "steps" / "08.json").read_text(encoding="utf-8"))
    assert record["counts"] == first_record["counts"]
    assert sorted(record["outputs"]) == sorted(first_record["outputs"])
    assert any("dipakai ulang dari proses run1" in n for n in step_notes(second_dir))
    # and step 9 of that run reuses it too
    report = Laporan.build(StepContext(ws, AS_OF, second_dir, periode="2026-III")).recap
    assert report.quality == made.quality


def test_a_form_save_after_step_8_makes_the_next_run_recompute(ws, monkeypatch):
    from kebekerjaan.steps.answers.manual import record_answer

    made = recap_pkg.recap_step(StepContext(ws, AS_OF, ws.outputs / "run1", periode="2026-III"))
    record_answer(ws, nik=made.not_responded["nik"].iloc[0], answer=WORKING, answered_on=AS_OF,
                  entered_by="Bu Wati", today=AS_OF)
    # committed, perhaps only in the -wal file so far: the key sees it either way
    calls = []
    real = recap_pkg.compute_recap
    monkeypatch.setattr(recap_pkg, "compute_recap",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    again = recap_pkg.recap_step(StepContext(ws, AS_OF, ws.outputs / "run2", periode="2026-III"))
    assert calls == [1]
    total = "periode"
    assert again.summary.at[total, "merespons"] == made.summary.at[total, "merespons"] + 1
    assert not any("dipakai ulang" in n for n in step_notes(ws.outputs / "run2"))
    # the kept recap is now the new one: a third run reuses it
    monkeypatch.setattr(recap_pkg, "compute_recap", no_compute)
    third = recap_pkg.recap_step(StepContext(ws, AS_OF, ws.outputs / "run3", periode="2026-III"))
    assert third.summary.at[total, "merespons"] == again.summary.at[total, "merespons"]


def test_settings_date_or_a_changed_workbook_mean_compute_afresh(ws, monkeypatch):
    first = ws.outputs / "run1"
    recap_pkg.recap_step(StepContext(ws, AS_OF, first, periode="2026-III"))
    calls = []
    real = recap_pkg.compute_recap
    monkeypatch.setattr(recap_pkg, "compute_recap",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    next_day = date(2026, 11, 28)  # another as-of date
    recap_pkg.recap_step(StepContext(ws, next_day, ws.outputs / "run2", periode="2026-III"))
    assert calls == [1]
    text = ws.config_path.read_text(encoding="utf-8")
    ws.config_path.write_text(text.replace("appendix_max_rows = 150", "appendix_max_rows = 10"),
                              encoding="utf-8")
    assert ws.config_path.read_text(encoding="utf-8") != text
    recap_pkg.recap_step(StepContext(ws, AS_OF, ws.outputs / "run3", periode="2026-III"))  # settings
    assert calls == [1, 1]
    # the run that wrote the kept workbooks: one edited since
    (ws.outputs / "run3" / "smile_2026-III.xlsx").write_bytes(b"diubah")
    recap_pkg.recap_step(StepContext(ws, AS_OF, ws.outputs / "run4", periode="2026-III"))
    assert calls == [1, 1, 1]
    assert (ws.outputs / "run4" / "smile_2026-III.xlsx").read_bytes() != b"diubah"


def test_a_stale_kept_recap_is_removed_when_step_8_recomputes(ws, monkeypatch):
    recap_pkg.recap_step(StepContext(ws, AS_OF, ws.outputs / "run1", periode="2026-III"))
    kept = stored.cross_run_dir(ws.data) / "rekap.json"
    assert kept.exists()

    def fails(*a, **k):
        raise RuntimeError("rekap gagal")

    con = store.connect(ws.store_path)
    with store.transaction(con):
        con.execute("UPDATE answers SET discarded = 1 WHERE id = (SELECT MIN(id) FROM answers)")
    con.close()
    monkeypatch.setattr(recap_pkg, "compute_recap", fails)
    with pytest.raises(RuntimeError):
        recap_pkg.recap_step(StepContext(ws, AS_OF, ws.outputs / "run2", periode="2026-III"))
    assert not kept.exists()


def test_recap_reads_leave_an_open_connection_as_it_was(ws):
    import sqlite3

    con = store.connect(ws.store_path)
    try:
        recap_pkg.recap_frames(con, resolve_period("2026-III", AS_OF), AS_OF)
        assert con.row_factory is sqlite3.Row  # fetched as tuples inside, put back after
        assert con.execute("SELECT COUNT(*) AS n FROM answers").fetchone()["n"] > 0
    finally:
        con.close()


DAMAGE = {
    "no frames": lambda d: d.pop("frames"),
    "a frame cut short": lambda d: d["frames"].update(summary=d["frames"]["summary"][:40]),
    "a frame missing": lambda d: d["frames"].pop("summary"),
    "by not a mapping": lambda d: d.update(by=["x"]),
    "quality not numbers": lambda d: d.update(quality={"x": "banyak"}),
    "workbooks not a list": lambda d: d.update(workbooks="rekap.xlsx"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_kept_recap_with_a_matching_key_is_recomputed(ws, monkeypatch, damage):
    """Issue 20: a kept recap whose key matched but whose body was damaged made step 8 fail
    with KeyError 'frames'; it is ignored and the recap computed afresh, step 9 likewise."""
    made = recap_pkg.recap_step(StepContext(ws, AS_OF, ws.outputs / "run1", periode="2026-III"))
    for path in (stored.cross_run_dir(ws.data) / "rekap.json", ws.outputs / "run1" / stored.FILE):
        data = json.loads(path.read_text(encoding="utf-8"))
        DAMAGE[damage](data)
        path.write_text(json.dumps(data), encoding="utf-8")
    calls = []
    real = recap_pkg.compute_recap
    monkeypatch.setattr(recap_pkg, "compute_recap",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    again = recap_pkg.recap_step(StepContext(ws, AS_OF, ws.outputs / "run2", periode="2026-III"))
    assert calls == [1]
    pd.testing.assert_frame_equal(again.summary, made.summary, check_dtype=False)
    assert not any("dipakai ulang" in n for n in step_notes(ws.outputs / "run2"))
    # step 9 of the damaged run recomputes too (a recap body damaged), with the same figures
    report = Laporan.build(StepContext(ws, AS_OF, ws.outputs / "run1", periode="2026-III")).recap
    assert calls == ([1] if damage == "workbooks not a list" else [1, 1])
    assert report.quality == made.quality
