"""Fixtures for the step tests: a small survey store written row by row (steps 4-8).

Rows go straight into the tables, so each test states exactly the trainings, import
dates, log entries and answers it is about.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from itertools import count

import pytest

from kebekerjaan.core import store
from kebekerjaan.io.normalize.text import header_key

_serial = count(1)


class SurveyStore:
    """Writes rows into `ws`'s store; connects at the first row, so a test that only needs
    nik(), phone() or write_config() leaves the store as the step under test finds it."""

    def __init__(self, ws):
        self.ws = ws
        self._con: sqlite3.Connection | None = None

    @property
    def con(self) -> sqlite3.Connection:
        if self._con is None:
            self._con = store.connect(self.ws.store_path)
        return self._con

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    @staticmethod
    def nik(n: int) -> str:
        """A 16-digit NIK; only its shape matters here."""
        return f"7471{n:012d}"

    @staticmethod
    def phone(n: int) -> str:
        """A valid Indonesian mobile number in E.164."""
        return f"+62812{n:08d}"

    def import_on(self, day: date) -> int:
        """An import_log entry dated `day` (when the alumni data were collected)."""
        return store.log_import(self.con, kind="alumni", file_name=f"f{next(_serial)}.csv",
                                sha256=f"{next(_serial):064d}", status="ok",
                                imported_at=f"{day.isoformat()}T09:00:00")

    def alumnus(self, n: int, name: str = "Siti Aminah", phone_number: str | None = "default",
                imported: date | None = None) -> str:
        person = self.nik(n)
        imp = self.import_on(imported or date(2024, 1, 1))
        number = self.phone(n) if phone_number == "default" else phone_number
        self.con.execute(
            "INSERT INTO alumni (nik, name, phone, first_import_id, last_import_id, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)", (person, name, number, imp, imp, "2024-01-01T00:00:00"),
        )
        return person

    def training(self, person: str, end: date, *, kejuruan: str = "Las",
                 program: str = "Juru Las SMAW 3G", angkatan: str = "1",
                 graduation: str | None = "Lulus", imported: date | None = None) -> int:
        imp = self.import_on(imported or end)
        cur = self.con.execute(
            "INSERT INTO enrolments (nik, kejuruan, program, program_key, angkatan, training_year, "
            "end_date, graduation, first_import_id, last_import_id, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (person, kejuruan, program, header_key(program), angkatan, end.year, end.isoformat(),
             graduation, imp, imp, "2024-01-01T00:00:00"),
        )
        return cur.lastrowid

    def sent(self, person: str, enrolment_id: int | None, wave: int, day: date,
             kind: str = "undangan") -> None:
        self.con.execute(
            "INSERT INTO outreach_log (nik, enrolment_id, kind, wave, sent_on, run_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, 'uji', ?)",
            (person, enrolment_id, kind, wave, day.isoformat(), store.now_iso()),
        )

    def answered(self, person: str | None, enrolment_id: int | None, wave: int, day: date) -> None:
        """An answer as step 7 left it: matched and placed in `wave` (refreshed_with set, so
        the refresh that steps 3-5 run after reading the inbox leaves it as it is)."""
        self.con.execute(
            "INSERT INTO answers (nik, enrolment_id, wave, answered_at, source, created_at, "
            "refreshed_with) VALUES (?, ?, ?, ?, 'formulir', ?, '-')",
            (person, enrolment_id, wave, f"{day.isoformat()}T10:00:00", store.now_iso()),
        )

    def log_rows(self, kind: str | None = None) -> list[dict]:
        """The outreach log as the steps left it (read on a connection of its own)."""
        con = sqlite3.connect(self.ws.store_path)
        con.row_factory = sqlite3.Row
        try:
            sql = "SELECT * FROM outreach_log" + (" WHERE kind = ?" if kind else "") + " ORDER BY id"
            return [dict(r) for r in con.execute(sql, (kind,) if kind else ())]
        finally:
            con.close()

    def write_config(self, text: str) -> None:
        """Change settings in the workspace's kebekerjaan.toml (a full copy of the defaults)."""
        path = self.ws.config_path
        body = path.read_text(encoding="utf-8")
        # The copy already has a [survey] table: replace keys there rather than repeat the table.
        for line in text.strip().splitlines():
            key = line.split("=")[0].strip()
            lines = body.splitlines()
            at = next(i for i, x in enumerate(lines) if x.startswith(f"{key} ="))
            lines[at] = line
            body = "\n".join(lines) + "\n"
        path.write_text(body, encoding="utf-8")


@pytest.fixture
def survey(ws):
    """A SurveyStore on the test's workspace, closed after the test."""
    db = SurveyStore(ws)
    yield db
    db.close()
