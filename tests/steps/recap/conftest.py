"""Fixtures for the step 8 recap tests: a small store written row by row.

The rows are plain data below (trainings, people, answers), so a test can count what
it expects straight from them, without the recap code. As-of date 2026-11-27; the
period under test is 2026-III (September-December), the one before 2026-II.
"""

from __future__ import annotations

from datetime import date
from itertools import count

import pytest

from kebekerjaan.core import store
from kebekerjaan.io.normalize.text import header_key

AS_OF = date(2026, 11, 27)

# key -> (kejuruan, program, angkatan, year, end date)
TRAININGS = {
    # waves due 15-09 (1), 15-11 (3), 15-02-2027 (6): two waves in 2026-III
    "A": ("Las", "Juru Las SMAW", "1", 2026, date(2026, 8, 15)),
    # due 30-04, 30-06, 30-09: wave 6 in 2026-III, wave 3 in 2026-II
    "B": ("Otomotif", "Mekanik Sepeda Motor", "2", 2026, date(2026, 3, 31)),
    # due 20-11 (before the as-of date), 20-01-2027, 20-04-2027
    "C": ("Las", "Juru Las SMAW", "10", 2026, date(2026, 10, 20)),
    # due 10-12: after the as-of date, so in no period yet
    "D": ("Teknologi Informasi dan Komunikasi", "Desainer Grafis Muda", "1", 2026,
          date(2026, 11, 10)),
    # due 28-02 (31 January + 1 month), 30-04, 31-07: wave 6 in 2026-II
    "E": ("Otomotif", "Mekanik Sepeda Motor", "1", 2026, date(2026, 1, 31)),
}

# person -> (name, sex, kabkota, phone, [(training, graduation)])
PEOPLE = {
    1: ("Budi Santoso", "L", "Kota Kendari", "+6281200000001", [("A", "Lulus")]),
    2: ("Siti Aminah", "P", "Kota Kendari", "+6281200000002", [("A", "Lulus")]),
    3: ("Rahmat Hidayat", "L", "Kabupaten Konawe", "+6281200000003", [("A", "Lulus")]),
    4: ("Wa Ode Nur", "P", "Kabupaten Konawe", "+6281200000004", [("A", None)]),
    5: ("La Ode Hamid", "L", None, "+6281200000005", [("A", "Lulus")]),
    6: ("Andi Rahman", "L", "Kota Kendari", "+6281200000006", [("B", "Lulus")]),
    7: ("Nur Aisyah", "P", "Kota Baubau", None, [("B", "Lulus")]),
    8: ("Tidak Lulus Saja", "L", "Kota Kendari", "+6281200000008", [("B", "Tidak Lulus")]),
    # two trainings: the older one's answers fall in 2026-II, the newer one's in 2026-III
    9: ("Hasnah", "P", None, "+6281200000009", [("E", "Lulus"), ("C", "Lulus")]),
    10: ("Muh. Arif", None, "Kota Kendari", "+6281200000010", [("C", "Lulus")]),
    11: ("Dewi Lestari", "P", "Kota Kendari", "+6281200000011", [("D", "Lulus")]),
    12: ("Yusuf Kadir", "L", "Kabupaten Kolaka", "+6281200000012", [("E", "Lulus")]),
    13: ('=HYPERLINK("http://x","y")', "L", "Kota Kendari", "+6281200000013", [("B", "Lulus")]),
}

# (person, training, wave, answered_at, status, latest, discarded, extra fields)
ANSWERS = [
    (1, "A", 1, "2026-09-20T10:00:00", "mencari", 1, 0, {}),
    (1, "A", 3, "2026-11-16T09:00:00", "bekerja", 1, 0,
     {"employer": "PT Maju Jaya", "position": "Juru Las", "start_date": "2026-10-01",
      "employer_type": "swasta", "income": "2.5-4", "relevance": "erat"}),
    (2, "A", 1, "2026-09-18T08:00:00", "bekerja", 1, 0,
     {"employer": "pt maju  jaya", "start_date": "2026-08-10", "employer_type": "swasta",
      "income": "1-2.5", "relevance": "sangat_erat", "source": "whatsapp"}),
    (3, "A", 1, "2026-09-19T08:00:00", "bekerja", 1, 1, {"employer": "PT Dibuang"}),
    (4, "A", 3, "2026-11-10T08:00:00", "bekerja", 0, 0, {"employer": "PT Lama"}),
    (4, "A", 3, "2026-11-20T08:00:00", "wirausaha", 1, 0,
     {"employer": "Usaha Kue Wa Ode", "start_date": "2026-09-10", "employer_type": "wiraswasta",
      "income": "lt1", "relevance": "cukup_erat", "source": "manual"}),
    (5, "A", 3, "2026-11-18T08:00:00", None, 1, 0, {}),
    (6, "B", 3, "2026-07-05T08:00:00", "mencari", 1, 0, {}),
    (6, "B", 6, "2026-10-01T08:00:00", "studi", 1, 0, {}),
    (8, "B", 6, "2026-10-02T08:00:00", "bekerja", 1, 0, {"employer": "PT Bukan Lulusan"}),
    (9, "E", 6, "2026-08-02T08:00:00", "belum_memungkinkan", 1, 0, {}),
    (9, "C", 1, "2026-11-22T08:00:00", "bekerja", 1, 0,
     {"employer": "PT MAJU JAYA", "position": "Helper", "start_date": "2026-11-01",
      "employer_type": "swasta", "relevance": "erat"}),
    (11, "D", 1, "2026-11-25T08:00:00", "bekerja", 1, 0, {"employer": "PT Terlalu Dini"}),
    (12, "E", 1, "2026-03-01T08:00:00", "bekerja", 1, 0, {"employer": "Bengkel Lama"}),
    (13, "B", 6, "2026-10-03T08:00:00", "bekerja", 1, 0, {"employer": "CV Las Baja"}),
]

# Answers no training holds: unmatched, and one waiting for staff review.
LOOSE_ANSWERS = [
    ("2026-10-05T08:00:00", "bekerja", "tidak cocok", None),
    ("2026-10-06T08:00:00", "mencari", "tinjau", None),
]
REJECTS = {"alumni": 2, "respons": 1}


class RecapStore:
    """The rows above, for `ws`: read them as attributes (AS_OF, TRAININGS, PEOPLE, ANSWERS, ...),
    write them into the store with write(); then `enrolment[(person, training)]` is the id."""

    AS_OF = AS_OF
    TRAININGS = TRAININGS
    PEOPLE = PEOPLE
    ANSWERS = ANSWERS
    LOOSE_ANSWERS = LOOSE_ANSWERS
    REJECTS = REJECTS

    def __init__(self, ws):
        self.ws = ws
        self.enrolment: dict[tuple[int, str], int] = {}
        self._keys = count(1)

    @staticmethod
    def nik(person: int) -> str:
        return f"7471{person:012d}"

    def write(self) -> RecapStore:
        con = store.connect(self.ws.store_path)
        try:
            with store.transaction(con):
                self._write(con)
        finally:
            con.close()
        return self

    def _write(self, con) -> None:
        imp = store.log_import(con, kind="alumni", file_name="alumni.csv", sha256="0" * 64,
                               status="ok", imported_at="2026-11-01T09:00:00")
        for person, (name, sex, kabkota, phone, trainings) in PEOPLE.items():
            con.execute(
                "INSERT INTO alumni (nik, name, sex, phone, kabkota_name, first_import_id, "
                "last_import_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (self.nik(person), name, sex, phone, kabkota, imp, imp, "2026-11-01T09:00:00"),
            )
            for key, graduation in trainings:
                kejuruan, program, angkatan, year, end = TRAININGS[key]
                cur = con.execute(
                    "INSERT INTO enrolments (nik, kejuruan, program, program_key, angkatan, "
                    "training_year, end_date, graduation, first_import_id, last_import_id, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (self.nik(person), kejuruan, program, header_key(program), angkatan, year,
                     end.isoformat(), graduation, imp, imp, "2026-11-01T09:00:00"),
                )
                self.enrolment[(person, key)] = cur.lastrowid
        for person, key, wave, at, status, latest, discarded, extra in ANSWERS:
            fields = {"nik": self.nik(person), "enrolment_id": self.enrolment[(person, key)],
                      "wave": wave, "answered_at": at, "status": status, "is_latest": latest,
                      "discarded": discarded, "match_status": "cocok", "source": "formulir",
                      **extra}
            self._answer(con, fields)
        for at, status, match, person in LOOSE_ANSWERS:
            self._answer(con, {"nik": person, "answered_at": at, "status": status,
                               "match_status": match, "source": "whatsapp"})
        for kind, n in REJECTS.items():
            for row in range(n):
                con.execute(
                    "INSERT INTO rejects (import_id, kind, file_name, row_number, reason, raw) "
                    "VALUES (?, ?, 'x.csv', ?, 'uji', '{}')", (imp, kind, row + 2))

    def _answer(self, con, fields: dict) -> None:
        fields = {"answer_key": f"uji:{next(self._keys)}", "created_at": "2026-11-27T00:00:00",
                  **fields}
        cols = ", ".join(fields)
        con.execute(f"INSERT INTO answers ({cols}) VALUES ({', '.join('?' * len(fields))})",
                    list(fields.values()))


@pytest.fixture
def recap_store(ws):
    """The recap rows for the test's workspace, not yet written (see RecapStore)."""
    return RecapStore(ws)
