"""Delivery reports of the WhatsApp blast app (data/masuk/blast/): what came back from the
messages of steps 3-5, read with the answers (collect.read_arrivals) before any list is made.

Blast apps export one row per recipient: number, name, a status (sent, delivered,
read, failed, not on WhatsApp; in English or Indonesian) and a time. Each file is
imported like every other input: whole in one transaction or not at all, logged in
import_log, a re-import adds nothing, unusable rows go to the rejects with a reason.

A number whose latest reported status is failed or "not on WhatsApp" is unreachable:
the alumnus with that number gets no further reminders or invitations by WhatsApp
(they are listed under "tanpa nomor WA" with the reason, for a phone call) until a
later report delivers to it or SIAPkerja gives them another number.

Only real events count. A row dated after the as-of date (a typo, or the app's clock a
year ahead) is rejected with its reason, so it can never outrank today's "read"; a
status that is not final yet ("Belum terkirim", "Pending": PENDING) is not a failure and
is listed as not read, with its reason, until a later report gives the outcome. Day/month
order is decided per file by io.normalize.dates (a "2:06 PM" decides nothing).
"""

from __future__ import annotations

import hashlib
import math
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from kebekerjaan.core import store
from kebekerjaan.core.config import Settings
from kebekerjaan.io.excel import write_workbook
from kebekerjaan.io.intake import (
    FileReport,
    ImportResult,
    concat_frames,
    note_columns,
    read_new_table,
    rejects_frame,
    store_rejects,
)
from kebekerjaan.io.normalize import clean_text, normalize_phone
from kebekerjaan.io.normalize.dates import MONTH_FIRST, order_evidence, split_stamp, stamp_datetime
from kebekerjaan.io.normalize.text import header_key
from kebekerjaan.io.tables import input_files

KIND = "blast"
REQUIRED = ("phone", "status")
COUNT_NAMES = ("rows_read", "new", "unchanged", "duplicates", "rejected")
REJECTS_FILE = "ditolak_laporan_blast.xlsx"

SENT, DELIVERED, READ, FAILED, NOT_ON_WA = "terkirim", "diterima", "dibaca", "gagal", "bukan_wa"
# Not an outcome yet ("Belum terkirim", "Pending"): never stored, never a failure.
PENDING = "belum_terkirim"
# A report stamped up to this long after the as-of date is still today (time zones).
FUTURE_MARGIN = timedelta(days=1)
STATUS_TEXT = {SENT: "terkirim", DELIVERED: "diterima", READ: "dibaca", FAILED: "gagal terkirim",
               NOT_ON_WA: "bukan pengguna WhatsApp"}
UNREACHABLE = (FAILED, NOT_ON_WA)
REACHED = (DELIVERED, READ)

# Status wordings of the common blast apps (matched ignoring case, spaces, punctuation).
_WORDINGS = {
    SENT: ["sent", "terkirim", "dikirim", "success", "sukses", "berhasil", "berhasil dikirim",
           "sent successfully", "server", "ok"],
    DELIVERED: ["delivered", "diterima", "sampai", "delivery", "received", "terkirim ke perangkat"],
    READ: ["read", "dibaca", "seen", "opened", "terbaca", "dilihat", "replied", "dibalas"],
    FAILED: ["failed", "gagal", "error", "undelivered", "tidak terkirim", "gagal terkirim",
             "gagal kirim", "not delivered", "rejected", "ditolak", "expired", "kedaluwarsa"],
    NOT_ON_WA: ["not on whatsapp", "bukan pengguna whatsapp", "bukan whatsapp",
                "not registered", "not registered on whatsapp", "unregistered", "no whatsapp",
                "not a whatsapp number", "tidak terdaftar", "tidak terdaftar di whatsapp",
                "nomor tidak terdaftar", "tidak ada whatsapp", "tidak punya whatsapp",
                "invalid whatsapp", "not_on_whatsapp", "non wa", "bukan wa", "tidak ada wa"],
}
_STATUS_INDEX = {header_key(w): code for code, words in _WORDINGS.items() for w in words}
_PENDING = {header_key(w) for w in (
    "pending", "queued", "menunggu", "antre", "antri", "dalam antrean", "scheduled", "terjadwal",
    "processing", "diproses", "belum terkirim", "belum dikirim", "belum kirim", "belum sampai",
    "not sent", "not sent yet", "not yet sent", "unsent", "waiting", "sending", "mengirim",
    "sedang dikirim")}
_WORD = re.compile(r"[a-z]+")
_NOT_YET = {"belum", "pending", "queued", "waiting", "yet"}
_STEMS = ((FAILED, ("fail", "gagal", "error", "undeliver")), (READ, ("read", "dibaca", "seen")),
          (DELIVERED, ("deliver", "diterima")),
          (SENT, ("sent", "terkirim", "success", "sukses", "berhasil")))
_NEGATIONS = {"not", "bukan", "tidak", "no", "invalid", "unregistered", "non", "tanpa", "belum"}


def status_code(text) -> str | None:
    """The status code of a wording in a report ('Delivered', 'Tidak terdaftar'...),
    PENDING for a status not final yet ('Belum terkirim', 'Pending'), or None."""
    key = header_key(text) if isinstance(text, str) else ""
    if not key:
        return None
    if key in _STATUS_INDEX:
        return _STATUS_INDEX[key]
    if key in _PENDING:
        return PENDING
    # Longer wordings ("Failed: number not on WhatsApp"): the most specific word wins.
    words = set(_WORD.findall(text.casefold()))
    if words & {"whatsapp", "wa"} and words & _NEGATIONS:
        return NOT_ON_WA
    if words & _NOT_YET and words & {"terkirim", "dikirim", "sent", "delivered", "diterima"}:
        return PENDING  # "belum terkirim": not yet, which is not "not"
    if words & _NEGATIONS and words & {"terkirim", "sent", "delivered", "diterima"}:
        return FAILED  # "tidak terkirim", "not delivered"
    for code, stems in _STEMS:
        if any(w.startswith(stems) for w in words):
            return code
    return None


def _stamps(values) -> list[tuple[str, object]]:
    return [(str(v), s) for v in pd.unique(pd.Series(values, dtype=object).dropna())
            if (s := split_stamp(str(v))) is not None]


def month_first(values) -> bool:
    """Whether a report writes its dates month first (an app set to US English): decided
    once per file, like form exports, from the numbers of its dates (dates.order_evidence:
    a second number above 12 is a day). A 12-hour time ("2:06 PM") decides nothing.
    Otherwise day first, the Indonesian way."""
    order, _ = order_evidence(_stamps(values))
    return order == MONTH_FIRST


def _parse_time(value, us_order: bool = False) -> tuple[str | None, str | None]:
    """(ISO date-time or None, Indonesian problem or None) of a report's time cell;
    `us_order`: numeric dates are month/day/year (see month_first)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, None
    if isinstance(value, datetime):
        return pd.Timestamp(value).to_pydatetime().replace(tzinfo=None).isoformat(
            timespec="seconds"), None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day).isoformat(timespec="seconds"), None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20_000 < value < 80_000:  # an Excel serial
            return (datetime(1899, 12, 30) + timedelta(days=float(value))).isoformat(
                timespec="seconds"), None
        return None, f"waktu '{value}' tidak dapat dibaca"
    text = " ".join(str(value).split())
    if not text:
        return None, None
    parts = split_stamp(text)
    if parts is not None:  # the usual shapes: d/m/y or y-m-d, then h:m[:s] [AM/PM]
        at = stamp_datetime(parts, MONTH_FIRST if us_order else "")
        if at is None:
            return None, f"waktu '{text}' tidak dapat dibaca"
        return at.isoformat(timespec="seconds"), None
    year_first = bool(re.match(r"\d{4}", text))
    try:
        stamp = pd.to_datetime(text, dayfirst=not (year_first or us_order), format="mixed")
    except (ValueError, OverflowError):
        return None, f"waktu '{text}' tidak dapat dibaca"
    if stamp is pd.NaT:
        return None, f"waktu '{text}' tidak dapat dibaca"
    return stamp.tz_localize(None).isoformat(timespec="seconds") if stamp.tzinfo else \
        stamp.isoformat(timespec="seconds"), None


def _each_distinct(values, fn) -> list:
    """fn of every value, computed once per distinct value (NaN and None alike)."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    done = [fn(u) for u in uniques]
    missing = fn(None)
    return [done[c] if c >= 0 else missing for c in codes]


def _status_problem(text: str | None) -> str:
    if not text:
        return "status kosong"
    if status_code(text) == PENDING:
        return (f"status '{text}' belum final (pesan belum terkirim, bukan gagal); impor laporan "
                "yang lebih baru")
    return (f"status '{text}' tidak dikenal (dikenali: terkirim/sent, diterima/delivered, "
            "dibaca/read, gagal/failed, bukan pengguna WhatsApp/not on WhatsApp)")


def normalize_report(raw: pd.DataFrame, row_numbers: pd.Series,
                     today: date | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(accepted rows: phone, name, status, status_at, status_text, row, key; rejected rows:
    `_row`, `_reason` and the raw cells). A time after `today` (the as-of date, with
    FUTURE_MARGIN) is rejected: an event that has not happened cannot be the latest."""
    latest = datetime.combine((today or date.today()) + FUTURE_MARGIN, datetime.min.time())
    n = len(raw)

    def col(name):
        return raw[name] if name in raw else pd.Series([None] * n, dtype=object, index=raw.index)

    phones = normalize_phone(col("phone"))["phone"].tolist()
    typed_phone = clean_text(col("phone")).tolist()
    names, texts, details = (clean_text(col(c)).tolist() for c in ("name", "status", "detail"))
    rows = row_numbers.tolist()
    # Apps stamp many rows alike and use a handful of wordings: each distinct cell once.
    us_order = month_first(col("time"))
    times = _each_distinct(col("time"), lambda v: _parse_time(v, us_order))
    statuses = _each_distinct(texts, status_code)
    accepted, reasons = [], []
    for i in range(n):
        why = []
        phone = phones[i]
        if phone is None:
            shown = typed_phone[i]
            why.append(f"nomor '{shown}' tidak dapat dibaca" if shown else "nomor kosong")
        text, detail = texts[i], details[i]
        # A vague status ("Error") may be made precise by the detail ("not on WhatsApp").
        code = status_code(f"{text or ''} {detail}") if detail else None
        if code not in UNREACHABLE:
            code = statuses[i] or code
        if code is None or code == PENDING:
            why.append(_status_problem(text))
        at, problem = times[i]
        if problem:
            why.append(problem)
        elif at is not None and datetime.fromisoformat(at) >= latest:
            why.append(f"waktu {datetime.fromisoformat(at):%d-%m-%Y %H:%M} sesudah tanggal acuan "
                       f"{latest - FUTURE_MARGIN:%d-%m-%Y} (belum terjadi; periksa tanggal di "
                       "aplikasi blast)")
        reasons.append("; ".join(why))
        if not why:
            accepted.append({
                "phone": phone, "name": names[i], "status": code, "status_at": at,
                "status_text": " — ".join(t for t in (text, detail) if t),
                "row": int(rows[i]),
                "key": hashlib.sha1(f"{phone}|{code}|{at or ''}".encode()).hexdigest(),
            })
    good = pd.DataFrame(accepted, columns=["phone", "name", "status", "status_at", "status_text",
                                           "row", "key"])
    bad_mask = [bool(r) for r in reasons]
    bad = raw.loc[bad_mask].copy()
    bad.insert(0, "_row", row_numbers[bad_mask].to_numpy())
    bad.insert(1, "_reason", [r for r in reasons if r])
    return good, bad.reset_index(drop=True)


# --- import -------------------------------------------------------------------------------

LABELS = {"phone": "Nomor", "name": "Nama", "status": "Status", "time": "Waktu",
          "detail": "Keterangan"}


@dataclass
class DeliveryImport(ImportResult):
    COUNT_NAMES = COUNT_NAMES
    FIELD_LABELS = LABELS
    SHOWN = ("file", "status", "rows_read", "new", "unchanged", "duplicates", "rejected", "message")
    LABELS = {"unchanged": "Sudah ada"}


def import_delivery_reports(con: sqlite3.Connection, folder: Path, settings: Settings,
                            run_dir: Path | None, run_id: str | None,
                            today: date | None = None,
                            skip: Callable[[Path], str | None] | None = None) -> DeliveryImport:
    """Import every new delivery report in `folder` (as of `today`); write the rejects
    into run_dir. A file for which `skip` gives a reason is not read, only listed as
    skipped with it."""
    reports, rejects = [], []
    for path in input_files(folder):
        why = skip(path) if skip is not None else None
        if why is not None:
            reports.append(FileReport(path.name, "", "skipped", message=why))
            continue
        report, rej = _import_file(con, path, settings, run_id, today)
        reports.append(report)
        if rej is not None and not rej.empty:
            rejects.append(rej)
    result = DeliveryImport(
        files=reports,
        rejects=concat_frames(rejects, ["Berkas", "Baris", "Alasan"]),
    )
    if run_dir is not None and any(r.status != "skipped" for r in reports):
        result.outputs = [write_workbook(Path(run_dir) / REJECTS_FILE,
                                         {"Ditolak": result.rejects,
                                          "Ringkasan Berkas": result.files_frame()})]
    return result


def _import_file(con, path: Path, settings: Settings, run_id, today):
    sha, table, not_read = read_new_table(con, KIND, path, settings, REQUIRED, run_id)
    if not_read:
        return not_read, None
    accepted, rejected = normalize_report(table.frame, table.row_numbers, today)
    within = accepted["key"].duplicated()
    fresh = accepted[~within]
    with store.transaction(con):
        import_id = store.log_import(con, kind=KIND, file_name=path.name, sha256=sha, status="ok",
                                     run_id=run_id)
        before = con.total_changes
        con.executemany(
            "INSERT OR IGNORE INTO blast_deliveries (delivery_key, phone, name, status, status_at, "
            "status_text, import_id, row_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(r.key, r.phone, r.name, r.status, r.status_at, r.status_text, import_id, r.row)
             for r in fresh.itertuples(index=False)],
        )
        new = con.total_changes - before
        store_rejects(con, rejected, import_id=import_id, kind=KIND, file_name=path.name,
                      labels=LABELS)
        counts = {"rows_read": len(table.frame), "new": new, "unchanged": len(fresh) - new,
                  "duplicates": int(within.sum()), "rejected": len(rejected)}
        store.update_import(con, import_id, accepted=len(accepted),
                            flagged=int(fresh["status"].isin(UNREACHABLE).sum()), **counts)
    report = FileReport(path.name, sha, "ok", accepted=len(accepted), **counts)
    note_columns(report, table.resolution)
    return report, rejects_frame(rejected, path.name, LABELS)


# --- what the reports say -----------------------------------------------------------------

def latest_status(con: sqlite3.Connection, as_of: date | None = None) -> pd.DataFrame:
    """The last reported status of each number: phone, status, status_at, status_text, file.
    With `as_of`, events stamped after it (FUTURE_MARGIN allowed) do not count: a store
    holding a future-dated row from before such rows were rejected, or a recap re-run for
    an earlier date, takes the latest event that had happened by then."""
    until = ((as_of + FUTURE_MARGIN).isoformat() if as_of is not None else "9999")
    frame = pd.read_sql_query(
        "SELECT d.id, d.phone, d.status, d.status_at, d.status_text, l.file_name AS file "
        "FROM blast_deliveries d JOIN import_log l ON l.id = d.import_id "
        "WHERE d.status_at IS NULL OR d.status_at < ?", con, params=(until,))
    if frame.empty:
        return frame.drop(columns="id")
    # Undated rows sort before dated ones; among equals, the later import wins.
    frame["order"] = frame["status_at"].fillna("")
    frame = frame.sort_values(["phone", "order", "id"]).drop_duplicates("phone", keep="last")
    return frame.drop(columns=["id", "order"]).reset_index(drop=True)


def unreachable(con: sqlite3.Connection, as_of: date | None = None) -> dict[str, str]:
    """{phone: Indonesian reason} of the numbers whose last reported status (by `as_of`)
    is a failure."""
    last = latest_status(con, as_of)
    if last.empty:
        return {}
    failed = last[last["status"].isin(UNREACHABLE)]
    return {
        phone: (f"laporan blast WhatsApp ({file}"
                + (f", {at[:10]}" if isinstance(at, str) else "") + f"): {STATUS_TEXT[status]}")
        for phone, status, at, file in zip(failed["phone"], failed["status"],
                                            failed["status_at"], failed["file"])
    }
