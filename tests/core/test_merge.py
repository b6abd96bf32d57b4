"""`kebekerjaan gabung`: several BPVP stores in one national workspace, per BPVP, never doubled.

Each sample BPVP goes through the survey as `kebekerjaan demo` does: alumni collected and
invited with personal links nine days early, the blast app's delivery report, answers
through the links (matched by respondent code), a refusal by phone, a "tidak bersedia";
then reminders and step 7. The national figures per BPVP must be each BPVP's own.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from kebekerjaan.cli import main
from kebekerjaan.core.context import StepContext
from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.core.merge import bpvp_name, merge_workspaces, set_institution
from kebekerjaan.core.workspace import init_workspace, open_workspace
from kebekerjaan.demo.sample import write_sample
from kebekerjaan.steps.alumni import collect_alumni
from kebekerjaan.steps.answers.collect import collect_answers
from kebekerjaan.steps.recap import Period, recap_frames

TODAY = date(2026, 11, 27)
INVITED = TODAY - timedelta(days=9)
BPVPS = [("BPVP Kendari", 11), ("BPVP Makassar", 12), ("BPVP Ternate", 13)]
COUNTED = ["alumni", "merespons", "menolak", "bekerja_wirausaha"]
REACH = ["diundang", "pesan_diterima", "pesan_terkirim", "pesan_gagal", "tanpa_laporan_kirim"]


def one(path, sql):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def bpvp_workspace(root, label, seed):
    from kebekerjaan.demo.answers import simulate_link_answers, use_sample_links
    from kebekerjaan.steps.outreach.invite import invite_survey
    from kebekerjaan.steps.outreach.remind import remind

    ws = init_workspace(root)
    set_institution(ws.config_path, name=f"Balai {label}", short_name=label)
    write_sample(ws.root, n_alumni=160, seed=seed, as_of=TODAY)
    use_sample_links(ws.config_path)
    collect_alumni(StepContext(ws, INVITED, root / "run1"))
    invite_survey(StepContext(ws, INVITED, root / "run4"))
    assert simulate_link_answers(ws, INVITED, TODAY, seed=seed)
    remind(StepContext(ws, TODAY, root / "run5"))
    collect_answers(StepContext(ws, TODAY, root / "run7"))
    return ws


@pytest.fixture(scope="module")
def bpvps(tmp_path_factory):
    base = tmp_path_factory.mktemp("bpvp")
    return [bpvp_workspace(base / label.split()[-1].lower(), label, seed) for label, seed in BPVPS]


def recap_counts(ws, by_bpvp=False):
    con = sqlite3.connect(ws.store_path)
    try:
        recap = recap_frames(con, Period.containing(TODAY), TODAY)
    finally:
        con.close()
    if not by_bpvp:
        return {**recap.summary.loc["periode", COUNTED].astype(int).to_dict(),
                **{k: int(recap.quality[k]) for k in REACH}}
    # The recap's own per-BPVP breakdown, and the same from its list of alumni in scope.
    table = recap.by["bpvp"].set_index("bpvp")[COUNTED].astype(int)
    scope = recap.in_scope
    refused = scope["status"].isna() & scope["penolakan"].notna()
    listed = {b: {"alumni": len(g), "merespons": int(g["status"].notna().sum()),
                  "menolak": int(refused[g.index].sum()),
                  "bekerja_wirausaha": int(g["status"].isin(["bekerja", "wirausaha"]).sum())}
              for b, g in scope.groupby("bpvp")}
    assert table.to_dict("index") == listed
    return listed


def by_code(path) -> int:
    """Answers matched by their respondent code (the personal links)."""
    return one(path, "SELECT COUNT(*) FROM answers WHERE match_method = 'kode' "
                     "AND match_status = 'cocok'")[0][0]


def test_the_sample_names_its_bpvp(tmp_path):
    assert main(["sample", str(tmp_path / "mks"), "--alumni", "60", "--bpvp", "BPVP Makassar"]) == 0
    ws = open_workspace(tmp_path / "mks")
    assert bpvp_name(ws) == "BPVP Makassar"
    assert ws.settings().institution.name == "Balai Pelatihan Vokasi dan Produktivitas Makassar"


def test_three_bpvps_merged_recap_per_bpvp_as_each_recaps_itself(bpvps, tmp_path):
    national = tmp_path / "nasional"
    merged = merge_workspaces([ws.root for ws in bpvps], national)
    assert [m.status for m in merged] == ["ok"] * 3 and merged.manifest.is_file()
    nws = open_workspace(national)
    assert bpvp_name(nws) == "Nasional"
    collect_answers(StepContext(nws, TODAY, tmp_path / "run7"))  # match and place what was merged
    per_bpvp = recap_counts(nws, by_bpvp=True)
    own = {label: recap_counts(ws) for ws, (label, _) in zip(bpvps, BPVPS)}
    assert per_bpvp == {b: {k: c[k] for k in COUNTED} for b, c in own.items()}
    assert all(c["merespons"] > 0 and c["menolak"] > 0 for c in own.values())
    total = recap_counts(nws)
    # reach too: invitations and delivery reports came along
    assert total == {k: sum(c[k] for c in own.values()) for k in [*COUNTED, *REACH]}
    assert total["diundang"] > 0 and total["pesan_gagal"] > 0
    # the answers given through personal links are matched by their codes nationally too
    assert by_code(nws.store_path) == sum(by_code(ws.store_path) for ws in bpvps) > 0
    assert merged.conflicts == []


def test_a_national_form_answer_quoting_a_bpvp_code_is_matched_by_that_code(bpvps, tmp_path):
    import pandas as pd

    national = tmp_path / "nasional"
    merge_workspaces([ws.root for ws in bpvps], national)
    nws = open_workspace(national)
    nik, name, code = one(bpvps[1].store_path,
                          "SELECT a.nik, a.name, c.code FROM respondent_codes c "
                          "JOIN enrolments e ON e.id = c.enrolment_id JOIN alumni a ON a.nik = e.nik "
                          "ORDER BY c.enrolment_id LIMIT 1")[0]
    pd.DataFrame([["11/26/2026 10:00:00", f"{code[:4]}-{code[4:]}", "", "", "Bekerja"]],
                 columns=["Timestamp", "Kode responden", "Nama Lengkap", "Nomor WhatsApp",
                          "Apa status Anda saat ini?"]).to_csv(nws.inbox("respons") / "nasional.csv",
                                                               index=False)
    collect_answers(StepContext(nws, TODAY, tmp_path / "run7"))
    (row,) = one(nws.store_path, "SELECT nik, match_method, match_status, unclear FROM answers "
                                 "WHERE file_name = 'nasional.csv'")
    assert row[:3] == (nik, "kode", "cocok"), row  # not "kode tidak pernah dibagikan"


def test_merging_again_updates_and_never_doubles(bpvps, tmp_path):
    national = tmp_path / "nasional"
    merge_workspaces([ws.root for ws in bpvps], national)
    collect_answers(StepContext(open_workspace(national), TODAY, tmp_path / "run7"))  # national matching
    counts = [one(open_workspace(national).store_path, f"SELECT COUNT(*) FROM {t}")[0][0]
              for t in ("alumni", "enrolments", "answers")]
    again = merge_workspaces([ws.root for ws in bpvps], national)
    assert [m.status for m in again] == ["unchanged"] * 3  # the same stores: nothing to do
    # A BPVP keeps working (a correction to one alumnus), then sends its store again. The
    # change is still in its -wal (the BPVP's connection is open, nothing checkpointed): the
    # store file itself is byte for byte what was merged before.
    kendari = bpvps[0]
    main_file = kendari.store_path.read_bytes()
    con = sqlite3.connect(kendari.store_path)
    con.execute("PRAGMA wal_autocheckpoint = 0")
    nik = con.execute("SELECT nik FROM alumni ORDER BY nik LIMIT 1").fetchone()[0]
    with con:
        con.execute("UPDATE alumni SET phone = '+6281299999999' WHERE nik = ?", (nik,))
    try:
        assert kendari.store_path.read_bytes() == main_file
        third = merge_workspaces([kendari.root], national)
    finally:
        con.close()
    assert third[0].status == "ok"
    assert third[0].counts["alumni diperbarui"] == 1 and third[0].counts["alumni baru"] == 0
    assert third[0].counts["jawaban baru"] == 0 and third[0].counts["jawaban diperbarui"] == 0
    store_path = open_workspace(national).store_path
    assert [one(store_path, f"SELECT COUNT(*) FROM {t}")[0][0]
            for t in ("alumni", "enrolments", "answers")] == counts
    assert one(store_path, f"SELECT phone FROM alumni WHERE nik = '{nik}'")[0][0] == "+6281299999999"
    # the correction is in the national history, with the BPVP that made it
    (old, new), = one(store_path, "SELECT old_values, new_values FROM history WHERE "
                      f"table_name = 'alumni' AND row_key = '{nik}'")
    assert '"phone"' in old and '"+6281299999999"' in new and "BPVP Kendari" in new


def test_one_person_trained_in_two_bpvps_is_one_alumnus_with_two_enrolments(bpvps, tmp_path):
    a, b = bpvps[0], bpvps[1]
    person = one(a.store_path, "SELECT * FROM alumni ORDER BY nik LIMIT 1")[0]
    copy = tmp_path / "makassar"
    import shutil

    shutil.copytree(b.root, copy)
    con = sqlite3.connect(copy / "data" / "kebekerjaan.sqlite")
    with con:
        iid = con.execute("SELECT MAX(id) FROM import_log").fetchone()[0]
        cols = [r[1] for r in con.execute("PRAGMA table_info(alumni)")]
        con.execute(f"INSERT INTO alumni ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                    [iid if c.endswith("import_id") else v for c, v in zip(cols, person)])
        con.execute("INSERT INTO enrolments (nik, kejuruan, program, program_key, angkatan, "
                    "training_year, end_date, first_import_id, last_import_id, updated_at) "
                    "VALUES (?, 'Las', 'Juru Las', 'juru las', '9', 2026, '2026-06-30', ?, ?, 'x')",
                    (person[0], iid, iid))
    con.close()
    national = tmp_path / "nasional"
    merge_workspaces([a.root, copy], national)
    store_path = open_workspace(national).store_path
    assert one(store_path, f"SELECT COUNT(*) FROM alumni WHERE nik = '{person[0]}'")[0][0] == 1
    rows = one(store_path, f"SELECT bpvp FROM enrolments WHERE nik = '{person[0]}' ORDER BY bpvp")
    assert [r[0] for r in rows] == ["BPVP Kendari", "BPVP Makassar"]


def test_bad_sources_are_named_and_nothing_is_merged(bpvps, tmp_path):
    national = tmp_path / "nasional"
    with pytest.raises(KebekerjaanError, match="bukan folder kerja"):
        merge_workspaces([bpvps[0].root, tmp_path / "tidak-ada"], national)
    twin = init_workspace(tmp_path / "kembar")
    set_institution(twin.config_path, name="Balai Kendari", short_name="BPVP Kendari")
    twin.store_path.write_bytes(bpvps[0].store_path.read_bytes())
    with pytest.raises(KebekerjaanError, match="Nama BPVP sama"):
        merge_workspaces([bpvps[0].root, twin.root], national)
    assert not open_workspace(national).store_path.exists()  # checked before anything is written
    assert main(["gabung", str(tmp_path / "tidak-ada"), "--ke", str(national)]) == 1
