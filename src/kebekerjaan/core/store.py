"""The SQLite store: explicit schema, numbered migrations, one transaction per import.

Migrations only ever add; a later issue appends to MIGRATIONS and never edits an
applied entry, so an existing store keeps its data.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from kebekerjaan.core.faults import fault_point

# (version, SQL). PRAGMA user_version records the last one applied.
MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE import_log (
            id          INTEGER PRIMARY KEY,
            kind        TEXT NOT NULL,
            file_name   TEXT NOT NULL,
            sha256      TEXT NOT NULL,
            status      TEXT NOT NULL CHECK (status IN ('ok', 'gagal')),
            rows_read   INTEGER NOT NULL DEFAULT 0,
            new         INTEGER NOT NULL DEFAULT 0,
            updated     INTEGER NOT NULL DEFAULT 0,
            unchanged   INTEGER NOT NULL DEFAULT 0,
            duplicates  INTEGER NOT NULL DEFAULT 0,
            rejected    INTEGER NOT NULL DEFAULT 0,
            accepted    INTEGER NOT NULL DEFAULT 0,
            flagged     INTEGER NOT NULL DEFAULT 0,
            message     TEXT,
            run_id      TEXT,
            imported_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX import_log_ok ON import_log (kind, sha256) WHERE status = 'ok';

        -- One row per person (NIK).
        CREATE TABLE alumni (
            nik             TEXT PRIMARY KEY CHECK (length(nik) = 16),
            name            TEXT NOT NULL,
            sex             TEXT CHECK (sex IN ('L', 'P')),
            birth_date      TEXT,
            education       TEXT,
            address         TEXT,
            phone           TEXT,
            email           TEXT,
            prov_code       TEXT,
            prov_name       TEXT,
            kabkota_code    TEXT,
            kabkota_name    TEXT,
            first_import_id INTEGER NOT NULL REFERENCES import_log (id),
            last_import_id  INTEGER NOT NULL REFERENCES import_log (id),
            updated_at      TEXT NOT NULL
        ) WITHOUT ROWID;  -- looked up by NIK only: one B-tree instead of two

        -- One row per NIK and training.
        CREATE TABLE enrolments (
            id              INTEGER PRIMARY KEY,
            nik             TEXT NOT NULL REFERENCES alumni (nik),
            kejuruan        TEXT NOT NULL,
            program         TEXT NOT NULL,
            program_key     TEXT NOT NULL,
            angkatan        TEXT NOT NULL,
            training_year   INTEGER NOT NULL,
            start_date      TEXT,
            end_date        TEXT NOT NULL,
            graduation      TEXT,
            flags           TEXT,
            first_import_id INTEGER NOT NULL REFERENCES import_log (id),
            last_import_id  INTEGER NOT NULL REFERENCES import_log (id),
            updated_at      TEXT NOT NULL,
            UNIQUE (nik, kejuruan, program_key, angkatan, training_year)
        );

        -- Old values of every updated row, so an update never loses data.
        CREATE TABLE history (
            id          INTEGER PRIMARY KEY,
            table_name  TEXT NOT NULL,
            row_key     TEXT NOT NULL,
            old_values  TEXT NOT NULL,
            new_values  TEXT NOT NULL,
            import_id   INTEGER NOT NULL REFERENCES import_log (id),
            changed_at  TEXT NOT NULL
        );

        CREATE TABLE rejects (
            id          INTEGER PRIMARY KEY,
            import_id   INTEGER NOT NULL REFERENCES import_log (id),
            kind        TEXT NOT NULL,
            file_name   TEXT NOT NULL,
            row_number  INTEGER NOT NULL,
            reason      TEXT NOT NULL,
            raw         TEXT NOT NULL
        );
        """,
    ),
    (
        2,
        """
        -- SOP step 2: job vacancies gathered from employers and other sources.
        CREATE TABLE vacancies (
            id              INTEGER PRIMARY KEY,
            vacancy_key     TEXT NOT NULL UNIQUE,  -- normalized identity, so a re-import is one row
            company         TEXT NOT NULL,
            position        TEXT NOT NULL,
            kejuruan        TEXT NOT NULL,         -- canonical names joined by '; '
            location        TEXT,
            min_education   TEXT,
            openings        INTEGER,
            deadline        TEXT,
            how_to_apply    TEXT,
            source          TEXT,
            received_date   TEXT,
            closed_on       TEXT,                  -- closed by hand before its deadline
            closed_reason   TEXT,
            import_id       INTEGER REFERENCES import_log (id),
            entered_by      TEXT,                  -- staff name for a vacancy typed in by hand
            created_at      TEXT NOT NULL,
            updated_at      TEXT NOT NULL
        );

        -- SOP steps 3-5: every list produced for staff to send, so nothing is sent twice
        -- by mistake, reminders are counted and the report can show reach.
        CREATE TABLE outreach_log (
            id              INTEGER PRIMARY KEY,
            nik             TEXT NOT NULL REFERENCES alumni (nik),
            enrolment_id    INTEGER REFERENCES enrolments (id),
            kind            TEXT NOT NULL CHECK (kind IN ('undangan', 'pengingat', 'lowongan')),
            wave            INTEGER,               -- survey wave in months (1, 3, 6)
            vacancy_id      INTEGER REFERENCES vacancies (id),
            sent_on         TEXT NOT NULL,         -- the as-of date the list was made for
            run_id          TEXT,
            created_at      TEXT NOT NULL
        );
        CREATE UNIQUE INDEX outreach_once_a_day ON outreach_log (
            nik, kind, IFNULL(enrolment_id, 0), IFNULL(wave, 0), IFNULL(vacancy_id, 0), sent_on
        );

        -- SOP steps 6-7: survey answers from forms, WhatsApp and manual entry. Later
        -- migrations add the questionnaire fields and matching details.
        CREATE TABLE answers (
            id              INTEGER PRIMARY KEY,
            nik             TEXT REFERENCES alumni (nik),       -- NULL while unmatched
            enrolment_id    INTEGER REFERENCES enrolments (id),
            wave            INTEGER,
            answered_at     TEXT NOT NULL,
            status          TEXT,
            source          TEXT NOT NULL CHECK (source IN ('formulir', 'whatsapp', 'manual')),
            created_at      TEXT NOT NULL
        );
        CREATE INDEX answers_by_alumnus ON answers (nik, enrolment_id, wave);
        """,
    ),
    (
        3,
        """
        -- SOP steps 6-7: the questionnaire fields (named by their codes in
        -- data/kuesioner.toml), where each answer came from, and how it
        -- was matched to an alumnus. Every answer is kept; `is_latest` marks the one that
        -- counts for its alumnus, training and wave.
        ALTER TABLE answers ADD COLUMN answer_key TEXT;      -- identity, so re-imports add nothing
        ALTER TABLE answers ADD COLUMN import_id INTEGER REFERENCES import_log (id);
        ALTER TABLE answers ADD COLUMN file_name TEXT;
        ALTER TABLE answers ADD COLUMN row_number INTEGER;
        ALTER TABLE answers ADD COLUMN given_nik TEXT;       -- identity as the alumnus gave it
        ALTER TABLE answers ADD COLUMN given_name TEXT;
        ALTER TABLE answers ADD COLUMN given_phone TEXT;
        ALTER TABLE answers ADD COLUMN given_kejuruan TEXT;
        ALTER TABLE answers ADD COLUMN given_angkatan TEXT;
        ALTER TABLE answers ADD COLUMN employer TEXT;
        ALTER TABLE answers ADD COLUMN position TEXT;
        ALTER TABLE answers ADD COLUMN employer_type TEXT;
        ALTER TABLE answers ADD COLUMN sector TEXT;
        ALTER TABLE answers ADD COLUMN location TEXT;
        ALTER TABLE answers ADD COLUMN start_date TEXT;
        ALTER TABLE answers ADD COLUMN income TEXT;
        ALTER TABLE answers ADD COLUMN relevance TEXT;
        ALTER TABLE answers ADD COLUMN job_source TEXT;
        ALTER TABLE answers ADD COLUMN consent TEXT;
        ALTER TABLE answers ADD COLUMN message TEXT;         -- WhatsApp text the status came from
        ALTER TABLE answers ADD COLUMN rule TEXT;
        ALTER TABLE answers ADD COLUMN confidence REAL;
        ALTER TABLE answers ADD COLUMN unclear TEXT;         -- why a human must look (else NULL)
        ALTER TABLE answers ADD COLUMN notes TEXT;           -- e.g. an incomplete form answer
        ALTER TABLE answers ADD COLUMN match_status TEXT;    -- cocok | tinjau | tidak cocok
        ALTER TABLE answers ADD COLUMN match_method TEXT;    -- nik | telepon | nama | manual | tinjauan
        ALTER TABLE answers ADD COLUMN match_score REAL;
        ALTER TABLE answers ADD COLUMN candidates TEXT;      -- JSON list considered
        ALTER TABLE answers ADD COLUMN caturwulan TEXT;      -- e.g. 2026-III
        ALTER TABLE answers ADD COLUMN is_latest INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE answers ADD COLUMN discarded INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE answers ADD COLUMN entered_by TEXT;
        CREATE UNIQUE INDEX answers_once ON answers (answer_key);

        -- Staff decisions on the review queue: taken once, never asked again.
        CREATE TABLE review_decisions (
            id          INTEGER PRIMARY KEY,
            answer_key  TEXT NOT NULL UNIQUE,
            decision    TEXT NOT NULL CHECK (decision IN ('konfirmasi', 'pilih', 'status', 'buang')),
            nik         TEXT REFERENCES alumni (nik),
            status      TEXT,
            decided_by  TEXT,
            decided_at  TEXT NOT NULL
        );

        -- WhatsApp messages already read, so an overlapping export adds only new ones.
        CREATE TABLE wa_messages (
            message_key TEXT PRIMARY KEY,
            import_id   INTEGER NOT NULL REFERENCES import_log (id),
            sent_at     TEXT NOT NULL,
            sender      TEXT,
            kind        TEXT NOT NULL                       -- status | diabaikan | tinjau
        );
        """,
    ),
    (
        4,
        """
        -- National roll-up: which BPVP an enrolment or answer came from when the
        -- workspaces of several BPVPs are merged into one. NULL = this workspace's own
        -- BPVP ([institution] short_name in kebekerjaan.toml).
        ALTER TABLE enrolments ADD COLUMN bpvp TEXT;
        ALTER TABLE answers ADD COLUMN bpvp TEXT;
        """,
    ),
    (
        5,
        """
        -- SOP steps 4-7: personal respondent codes in the survey links, refusals,
        -- and the WhatsApp blast app's delivery reports.

        -- One short code per enrolment (see codes.py): in the pre-filled form link and the
        -- message, so an answer names its training without any personal number.
        CREATE TABLE respondent_codes (
            enrolment_id INTEGER PRIMARY KEY REFERENCES enrolments (id),
            code         TEXT NOT NULL UNIQUE,  -- without the hyphen; last char is the check
            created_at   TEXT NOT NULL
        );
        ALTER TABLE answers ADD COLUMN given_code TEXT;  -- the code as the alumnus gave it

        -- Alumni who declined the survey, as staff recorded them (by phone, in notebook 06).
        -- A form answer "tidak bersedia" is a refusal too; it is read from answers.consent.
        CREATE TABLE refusals (
            id           INTEGER PRIMARY KEY,
            nik          TEXT NOT NULL REFERENCES alumni (nik),
            enrolment_id INTEGER REFERENCES enrolments (id),  -- NULL: every training
            refused_on   TEXT NOT NULL,
            reason       TEXT,
            entered_by   TEXT NOT NULL,
            created_at   TEXT NOT NULL
        );
        CREATE UNIQUE INDEX refusals_once ON refusals (nik, IFNULL(enrolment_id, 0), refused_on);

        -- Delivery reports of the WhatsApp blast app (data/masuk/blast/), one row per
        -- number and status as the app reported it.
        CREATE TABLE blast_deliveries (
            id           INTEGER PRIMARY KEY,
            delivery_key TEXT NOT NULL UNIQUE,   -- phone, status and time: re-import adds nothing
            phone        TEXT NOT NULL,          -- normalized (+62...)
            name         TEXT,
            status       TEXT NOT NULL
                CHECK (status IN ('terkirim', 'diterima', 'dibaca', 'gagal', 'bukan_wa')),
            status_at    TEXT,
            status_text  TEXT,                   -- the status as written in the file
            import_id    INTEGER NOT NULL REFERENCES import_log (id),
            row_number   INTEGER
        );
        CREATE INDEX blast_deliveries_by_phone ON blast_deliveries (phone, status_at);
        """,
    ),
    (
        6,
        """
        -- SOP step 7: what staff decided in the review panel, kept as labelled examples
        -- so the same phrasing of a WhatsApp reply is not asked twice (`phrase_key` is
        -- kebekerjaan.steps.answers.model.phrase_key of the message; label is a status code or
        -- 'bukan_status').
        CREATE TABLE wa_labels (
            phrase_key  TEXT PRIMARY KEY,
            message     TEXT NOT NULL,
            label       TEXT NOT NULL,
            answer_key  TEXT NOT NULL,
            decided_by  TEXT,
            decided_at  TEXT NOT NULL
        );
        CREATE INDEX wa_labels_answer ON wa_labels (answer_key);

        -- Every review decision with what the answer looked like before it, so a
        -- decision ("Buang jawaban") can be undone and the answer asked again.
        CREATE TABLE decision_log (
            id                  INTEGER PRIMARY KEY,
            answer_key          TEXT NOT NULL,
            decision            TEXT NOT NULL,
            nik                 TEXT,
            status              TEXT,
            decided_by          TEXT,
            decided_at          TEXT NOT NULL,
            prior_status        TEXT,
            prior_unclear       TEXT,
            prior_nik           TEXT,
            prior_match_status  TEXT,
            prior_match_method  TEXT,
            undone_by           TEXT,
            undone_at           TEXT
        );
        CREATE INDEX decision_log_answer ON decision_log (answer_key);
        """,
    ),
    (
        7,
        """
        -- Step 7 works on what changed: what each answer was last refreshed with (NULL =
        -- new, never matched), why matching queued it, the settings the last refresh used,
        -- and indexes for the lookups of a small change in a national-size store.
        ALTER TABLE answers ADD COLUMN refreshed_with TEXT;  -- the review decision it saw
        ALTER TABLE answers ADD COLUMN match_note TEXT;      -- why matching queued it
        CREATE INDEX answers_pending ON answers (id) WHERE refreshed_with IS NULL;
        CREATE INDEX answers_by_wave ON answers (enrolment_id, wave);
        CREATE INDEX answers_by_given_nik ON answers (given_nik);
        CREATE INDEX answers_by_given_phone ON answers (given_phone);
        CREATE INDEX alumni_by_phone ON alumni (phone);
        CREATE INDEX alumni_by_import ON alumni (last_import_id);
        CREATE INDEX enrolments_by_import ON enrolments (last_import_id);
        CREATE INDEX history_by_import ON history (import_id);
        CREATE TABLE store_state (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    ),
    (
        8,
        """
        -- The run's reference date (as-of) an import was made for, beside the clock time
        -- of imported_at: the cohort timeline dates "data collected" by it, so a run for
        -- an earlier date (a catch-up, the demo) does not read as collected today.
        -- NULL for imports made before this column: imported_at's date then.
        ALTER TABLE import_log ADD COLUMN as_of TEXT;
        """,
    ),
    (
        9,
        """
        -- National roll-up (core/merge.py): an enrolment is one per BPVP. The same NIK,
        -- kejuruan, programme, angkatan and year at two BPVPs are two trainings, so the
        -- training key now ends with the BPVP (NULL = this workspace's own, hence the
        -- COALESCE: a unique index on an expression, which PostgreSQL has too). SQLite
        -- cannot drop a table constraint, so the table is rebuilt with the same ids (every
        -- reference to an enrolment stays valid); foreign keys are off while migrating.
        CREATE TABLE enrolments_v9 (
            id              INTEGER PRIMARY KEY,
            nik             TEXT NOT NULL REFERENCES alumni (nik),
            kejuruan        TEXT NOT NULL,
            program         TEXT NOT NULL,
            program_key     TEXT NOT NULL,
            angkatan        TEXT NOT NULL,
            training_year   INTEGER NOT NULL,
            start_date      TEXT,
            end_date        TEXT NOT NULL,
            graduation      TEXT,
            flags           TEXT,
            first_import_id INTEGER NOT NULL REFERENCES import_log (id),
            last_import_id  INTEGER NOT NULL REFERENCES import_log (id),
            updated_at      TEXT NOT NULL,
            bpvp            TEXT
        );
        INSERT INTO enrolments_v9 (id, nik, kejuruan, program, program_key, angkatan,
            training_year, start_date, end_date, graduation, flags, first_import_id,
            last_import_id, updated_at, bpvp)
        SELECT id, nik, kejuruan, program, program_key, angkatan, training_year, start_date,
            end_date, graduation, flags, first_import_id, last_import_id, updated_at, bpvp
        FROM enrolments;
        DROP TABLE enrolments;
        ALTER TABLE enrolments_v9 RENAME TO enrolments;
        CREATE UNIQUE INDEX enrolments_once ON enrolments (
            nik, kejuruan, program_key, angkatan, training_year, COALESCE(bpvp, '')
        );
        CREATE INDEX enrolments_by_import ON enrolments (last_import_id);

        -- A refusal staff recorded for the person (enrolment_id NULL) covers that
        -- person's trainings at the BPVP that recorded it (NULL = this workspace's own):
        -- merged nationally it does not reach a training at another BPVP, and the same
        -- day's refusal at two BPVPs is two refusals.
        ALTER TABLE refusals ADD COLUMN bpvp TEXT;
        DROP INDEX refusals_once;
        CREATE UNIQUE INDEX refusals_once ON refusals (
            nik, COALESCE(enrolment_id, 0), refused_on, COALESCE(bpvp, '')
        );

        -- The BPVP a merged review decision came from (NULL = decided in this workspace):
        -- a decision the BPVP takes back is taken back nationally, a national one stays.
        ALTER TABLE review_decisions ADD COLUMN bpvp TEXT;
        """,
    ),
]

# The training key of an enrolment (migration 9): the unique index `enrolments_once`, and
# the conflict target of every upsert into enrolments (it must name the same expressions).
ENROLMENT_KEY = ("nik", "kejuruan", "program_key", "angkatan", "training_year")
ENROLMENT_CONFLICT = f"({', '.join(ENROLMENT_KEY)}, COALESCE(bpvp, ''))"

SCHEMA_VERSION = MIGRATIONS[-1][0]
# How long a write waits for another writer's transaction before giving up.
BUSY_TIMEOUT_S = 30.0

# Indexes on what step 7 derives for every answer (as the migrations above create them): a
# refresh that rewrites every answer drops and rebuilds them, one sort each, instead of
# updating them row by row for millions of rows.
DERIVED_ANSWER_INDEXES = {
    "answers_by_alumnus": "CREATE INDEX answers_by_alumnus ON answers (nik, enrolment_id, wave)",
    "answers_by_wave": "CREATE INDEX answers_by_wave ON answers (enrolment_id, wave)",
    "answers_pending": "CREATE INDEX answers_pending ON answers (id) WHERE refreshed_with IS NULL",
}


def now_iso() -> str:
    return datetime.now().isoformat(timespec="seconds")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating on first use) and migrate the store."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Autocommit mode: transactions are explicit (see `transaction`). A writer waits for
    # another one's transaction (an import's file, a form save) instead of failing at once.
    con = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA foreign_keys = ON")
    # WAL: staff forms read and save while a run imports (readers never wait for the
    # writer, and a killed writer's half transaction is simply ignored at the next open).
    # WAL needs the workspace on a local disk, not a network share (docs/dev/store-and-recovery.md).
    con.execute("PRAGMA journal_mode = WAL")
    # After a large import the WAL is cut back to this size at the next checkpoint, so the
    # pre-run copy (store + WAL) does not carry a stale WAL the size of that import.
    con.execute("PRAGMA journal_size_limit = 67108864")
    # A 64 MB page cache keeps the indexes of a 100k-row import in memory.
    con.execute("PRAGMA cache_size = -65536")
    _migrate(con)
    return con


def schema_version(con: sqlite3.Connection) -> int:
    return con.execute("PRAGMA user_version").fetchone()[0]


def _migrate(con: sqlite3.Connection) -> None:
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        from kebekerjaan.core.errors import KebekerjaanError

        raise KebekerjaanError(
            f"Basis data memakai skema versi {current}, lebih baru dari versi paket ini "
            f"({SCHEMA_VERSION}). Perbarui paket kebekerjaan."
        )
    if current == SCHEMA_VERSION:
        return
    # Foreign keys off while migrating (SQLite only switches them outside a transaction):
    # a migration that rebuilds a table (9) drops the old one while rows refer to it.
    con.execute("PRAGMA foreign_keys = OFF")
    try:
        for version, sql in MIGRATIONS:
            if version <= current:
                continue
            # One script in one transaction: a migration applies whole or not at all.
            try:
                con.executescript(
                    f"BEGIN IMMEDIATE;\n{sql};\nPRAGMA user_version = {version};\nCOMMIT;")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
    finally:
        con.execute("PRAGMA foreign_keys = ON")


# store_state key: a fresh token for every committed transaction that changed a row, so
# work derived from the store (the recap) can tell whether anything changed since.
GENERATION_KEY = "generation"


@contextmanager
def transaction(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All or nothing: rolls back on any exception. A transaction that changed rows also
    renews the store's generation token, inside the same commit."""
    con.execute("BEGIN IMMEDIATE")
    before = con.total_changes
    try:
        yield con
        if con.total_changes != before:
            # random, not a counter: a store put back after a failed run and written again
            # never repeats a token it had
            set_state(con, GENERATION_KEY, uuid.uuid4().hex)
    except BaseException:
        # Some failures end the transaction themselves (pandas rolls back after a failed
        # query): a second ROLLBACK would hide the real error behind "no transaction".
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    else:
        con.execute("COMMIT")
        fault_point("commit")


def content_state(con: sqlite3.Connection) -> dict:
    """A cheap fingerprint of the store's content: schema version, generation token, and
    row count and highest rowid of every table. Equal states mean nothing was committed in
    between through `transaction` (the generation) or by a direct insert or delete (the
    counts), whatever the WAL and its checkpoints did to the files. Indexed, no table scan
    beyond COUNT(*)."""
    con.execute("BEGIN")  # one snapshot for every figure
    try:
        state: dict = {"schema": schema_version(con), "generation": get_state(con, GENERATION_KEY)}
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        for table in tables:
            try:
                row = con.execute(f'SELECT COUNT(*), MAX(rowid) FROM "{table}"').fetchone()
            except sqlite3.OperationalError:  # a WITHOUT ROWID table
                row = (con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0], None)
            state[table] = [row[0], row[1]]
        return state
    finally:
        con.execute("COMMIT")


@contextmanager
def foreign_keys_off(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Skip foreign-key checks for a bulk write whose code guarantees the references.

    SQLite only switches this outside a transaction, so wrap the transaction in it.
    """
    con.execute("PRAGMA foreign_keys = OFF")
    try:
        yield con
    finally:
        con.execute("PRAGMA foreign_keys = ON")


def already_imported(con: sqlite3.Connection, kind: str, sha256: str) -> bool:
    row = con.execute(
        "SELECT 1 FROM import_log WHERE kind = ? AND sha256 = ? AND status = 'ok'", (kind, sha256)
    ).fetchone()
    return row is not None


def log_import(con: sqlite3.Connection, **fields) -> int:
    fields.setdefault("imported_at", now_iso())
    cols = ", ".join(fields)
    marks = ", ".join("?" for _ in fields)
    cur = con.execute(f"INSERT INTO import_log ({cols}) VALUES ({marks})", list(fields.values()))
    return cur.lastrowid


def update_import(con: sqlite3.Connection, import_id: int, **fields) -> None:
    sets = ", ".join(f"{k} = ?" for k in fields)
    con.execute(f"UPDATE import_log SET {sets} WHERE id = ?", [*fields.values(), import_id])


def get_state(con: sqlite3.Connection, key: str) -> str | None:
    row = con.execute("SELECT value FROM store_state WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_state(con: sqlite3.Connection, key: str, value: str) -> None:
    # An equal value is no write (nor a change for `transaction`'s generation token), so a
    # run with nothing new leaves the store's content state as it was.
    con.execute("INSERT INTO store_state (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value "
                "WHERE store_state.value IS NOT excluded.value", (key, value))


def to_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
