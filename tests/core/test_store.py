from __future__ import annotations

import sqlite3

import pytest

from kebekerjaan.core import store


def test_store_is_created_with_schema_version(tmp_path):
    con = store.connect(tmp_path / "data" / "kebekerjaan.sqlite")
    assert store.schema_version(con) == store.SCHEMA_VERSION
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"import_log", "alumni", "enrolments", "history", "rejects"} <= tables


def test_reopening_does_not_rerun_migrations_or_lose_data(tmp_path):
    path = tmp_path / "s.sqlite"
    con = store.connect(path)
    with store.transaction(con):
        store.log_import(con, kind="alumni", file_name="a.csv", sha256="x", status="ok")
    con.close()
    con = store.connect(path)
    assert con.execute("SELECT COUNT(*) FROM import_log").fetchone()[0] == 1


def test_later_migration_adds_without_deleting(tmp_path, monkeypatch):
    path = tmp_path / "s.sqlite"
    con = store.connect(path)
    with store.transaction(con):
        store.log_import(con, kind="alumni", file_name="a.csv", sha256="x", status="ok")
    con.close()
    extra = [*store.MIGRATIONS, (store.SCHEMA_VERSION + 1, "CREATE TABLE extra (id INTEGER)")]
    monkeypatch.setattr(store, "MIGRATIONS", extra)
    monkeypatch.setattr(store, "SCHEMA_VERSION", store.SCHEMA_VERSION + 1)
    con = store.connect(path)
    assert store.schema_version(con) == store.SCHEMA_VERSION
    assert con.execute("SELECT COUNT(*) FROM import_log").fetchone()[0] == 1
    con.execute("SELECT * FROM extra")


def test_transaction_rolls_back_on_error(tmp_path):
    con = store.connect(tmp_path / "s.sqlite")
    with pytest.raises(RuntimeError):
        with store.transaction(con):
            store.log_import(con, kind="alumni", file_name="a.csv", sha256="x", status="ok")
            raise RuntimeError("boom")
    assert con.execute("SELECT COUNT(*) FROM import_log").fetchone()[0] == 0


def test_only_successful_imports_block_a_reread(tmp_path):
    con = store.connect(tmp_path / "s.sqlite")
    with store.transaction(con):
        store.log_import(con, kind="alumni", file_name="a.csv", sha256="abc", status="gagal")
    assert not store.already_imported(con, "alumni", "abc")
    with store.transaction(con):
        store.log_import(con, kind="alumni", file_name="a.csv", sha256="abc", status="ok")
    assert store.already_imported(con, "alumni", "abc")
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction(con):
            store.log_import(con, kind="alumni", file_name="b.csv", sha256="abc", status="ok")




def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.sqlite"
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 999")
    con.close()
    with pytest.raises(Exception, match="lebih baru"):
        store.connect(path)


def test_a_failing_migration_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "s.sqlite"
    store.connect(path).close()
    broken = [*store.MIGRATIONS,
              (store.SCHEMA_VERSION + 1, "CREATE TABLE ok (id INTEGER); CREATE TABLE broken (;")]
    monkeypatch.setattr(store, "MIGRATIONS", broken)
    monkeypatch.setattr(store, "SCHEMA_VERSION", store.SCHEMA_VERSION + 1)
    with pytest.raises(sqlite3.Error):
        store.connect(path)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION - 1
    assert not con.execute("SELECT name FROM sqlite_master WHERE name = 'ok'").fetchall()


def test_migrations_are_numbered_without_gaps():
    # _migrate applies every version above the store's: a gap filled in later would be
    # skipped by a store already past it, so versions are consecutive.
    assert [v for v, _ in store.MIGRATIONS] == list(range(1, len(store.MIGRATIONS) + 1))


def test_a_failed_query_inside_a_transaction_keeps_its_own_error(tmp_path):
    import pandas as pd

    con = store.connect(tmp_path / "s.sqlite")
    # pandas rolls the transaction back itself when a query fails; the caller must still
    # see what failed, not "cannot rollback - no transaction is active".
    with pytest.raises(pd.errors.DatabaseError, match="no such column"):
        with store.transaction(con):
            pd.read_sql_query("SELECT no_such_column FROM alumni", con)
    assert not con.in_transaction


def test_migration_9_keeps_every_enrolment_and_reference_and_keys_by_bpvp(tmp_path, monkeypatch):
    """A store written before migration 9 (enrolments keyed without the BPVP) keeps its
    enrolment ids, so codes, answers, refusals and the outreach log still point at them;
    afterwards the same training key may exist once per BPVP, and only once for each."""
    path = tmp_path / "s.sqlite"
    before = [m for m in store.MIGRATIONS if m[0] < 9]
    monkeypatch.setattr(store, "MIGRATIONS", before)
    monkeypatch.setattr(store, "SCHEMA_VERSION", before[-1][0])
    con = store.connect(path)
    with store.transaction(con):
        iid = store.log_import(con, kind="alumni", file_name="a.csv", sha256="a", status="ok")
        con.execute("INSERT INTO alumni (nik, name, first_import_id, last_import_id, updated_at) "
                    "VALUES ('7471010101900001', 'Siti', ?, ?, 'x')", (iid, iid))
        for eid, angkatan in ((7, "1"), (9, "2")):
            con.execute("INSERT INTO enrolments (id, nik, kejuruan, program, program_key, angkatan, "
                        "training_year, end_date, first_import_id, last_import_id, updated_at) "
                        "VALUES (?, '7471010101900001', 'Las', 'Juru Las', 'juru las', ?, 2025, "
                        "'2025-06-30', ?, ?, 'x')", (eid, angkatan, iid, iid))
        con.execute("INSERT INTO respondent_codes VALUES (9, 'K7QXM4PZ', 'x')")
        con.execute("INSERT INTO refusals (nik, enrolment_id, refused_on, entered_by, created_at) "
                    "VALUES ('7471010101900001', 7, '2025-08-01', 'Wati', 'x')")
    con.close()
    monkeypatch.undo()
    con = store.connect(path)  # migrates to the current version
    con.row_factory = None
    assert store.schema_version(con) == store.SCHEMA_VERSION
    assert con.execute("SELECT id, angkatan FROM enrolments ORDER BY id").fetchall() == [
        (7, "1"), (9, "2")]
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("SELECT enrolment_id FROM respondent_codes").fetchall() == [(9,)]
    assert con.execute("SELECT enrolment_id FROM refusals").fetchall() == [(7,)]
    insert = ("INSERT INTO enrolments (nik, kejuruan, program, program_key, angkatan, "
              "training_year, end_date, first_import_id, last_import_id, updated_at, bpvp) "
              "VALUES ('7471010101900001', 'Las', 'Juru Las', 'juru las', '1', 2025, "
              "'2025-06-30', 1, 1, 'x', ?)")
    with store.transaction(con):
        con.execute(insert, ("BPVP Makassar",))  # the same training at another BPVP
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction(con):
            con.execute(insert, (None,))  # the workspace's own one exists already
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction(con):
            con.execute(insert, ("BPVP Makassar",))
    assert con.execute("PRAGMA foreign_keys").fetchone() == (1,)
