"""Delivery reports of the WhatsApp blast app (data/masuk/blast/), read in SOP step 5.

Blast apps export one row per recipient: number, name, a status (sent, delivered,
read, failed, not on WhatsApp; in English or Indonesian) and a time. Each file is
imported like every other input: whole in one transaction or not at all, logged in
import_log, a re-import adds nothing, unusable rows go to the rejects with a reason.

A number whose latest reported status is failed or "not on WhatsApp" is unreachable:
the alumnus with that number gets no further reminders or invitations by WhatsApp
(they are listed under "tanpa nomor WA" with the reason, for a phone call) until a
later report delivers to it or SIAPkerja gives them another number.
"""

from __future__ import annotations

import hashlib
import math
import re
import sqlite3
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
from kebekerjaan.io.normalize.text import header_key
from kebekerjaan.io.tables import input_files

KIND = "blast"
REQUIRED = ("phone", "status")
COUNT_NAMES = ("rows_read", "new", "unchanged", "duplicates", "rejected")
REJECTS_FILE = "ditolak_laporan_blast.xlsx"

SENT, DELIVERED, READ, FAILED, NOT_ON_WA = "terkirim", "diterima", "dibaca", "gagal", "bukan_wa"
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
_PENDING = {header_key(w) for w in ("pending", "queued", "menunggu", "antre", "antri",
                                    "dalam antrean", "scheduled", "terjadwal", "processing")}
_WORD = re.compile(r"[a-z]+")
_STEMS = ((FAILED, ("fail", "gagal", "error", "undeliver")), (READ, ("read", "dibaca", "seen")),
          (DELIVERED, ("deliver", "diterima")),
          (SENT, ("sent", "terkirim", "success", "sukses", "berhasil")))
_NEGATIONS = {"not", "bukan", "tidak", "no", "invalid", "unregistered", "non", "tanpa", "belum"}
_COMMON_TIME = re.compile(r"(?P<a>\d{1,4})[/\-.](?P<b>\d{1,2})[/\-.](?P<c>\d{2,4})"
                          r"(?:[ T,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?")
_DOT_TIME = re.compile(r"(\d{1,2})\.(\d{2})(?=(?:[.:]\d{2})?\s*$)")


def status_code(text) -> str | None:
    """The status code of a wording in a report ('Delivered', 'Tidak terdaftar'...), or None."""
    key = header_key(text) if isinstance(text, str) else ""
    if not key:
        return None
    if key in _STATUS_INDEX:
        return _STATUS_INDEX[key]
    # Longer wordings ("Failed: number not on WhatsApp"): the most specific word wins.
    words = set(_WORD.findall(text.casefold()))
    if words & {"whatsapp", "wa"} and words & _NEGATIONS:
        return NOT_ON_WA
    if words & _NEGATIONS and words & {"terkirim", "sent", "delivered", "diterima"}:
        return FAILED  # "tidak terkirim", "not delivered"
    for code, stems in _STEMS:
        if any(w.startswith(stems) for w in words):
            return code
    return None


def month_first(values) -> bool:
    """Whether a report writes its dates month first (an app set to US English): decided
    once per file, like form exports, from a date whose second number is above 12 while
    none has its first above 12. Otherwise day first, the Indonesian way."""
    firsts, seconds = False, False
    for v in pd.unique(pd.Series(values, dtype=object).dropna()):
        m = _COMMON_TIME.fullmatch(_DOT_TIME.sub(r"\1:\2", " ".join(str(v).split())))
        if m and len(m["a"]) < 4:
            firsts |= int(m["a"]) > 12
            seconds |= int(m["b"]) > 12
    return seconds and not firsts


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
    attempt = _DOT_TIME.sub(r"\1:\2", text)
    m = _COMMON_TIME.fullmatch(attempt)
    if m:  # the usual shapes, without a general parser: d/m/y or y-m-d, then h:m[:s]
        a, b, c = int(m["a"]), int(m["b"]), int(m["c"])
        if len(m["a"]) == 4:
            y, mo, d = a, b, c
        else:
            y, mo, d = (c if c > 99 else 2000 + c), (a if us_order else b), (b if us_order else a)
        try:
            return datetime(y, mo, d, int(m["H"] or 0), int(m["M"] or 0),
                            int(m["S"] or 0)).isoformat(timespec="seconds"), None
        except ValueError:
            return None, f"waktu '{text}' tidak dapat dibaca"
    year_first = bool(re.match(r"\d{4}", attempt))
    try:
        stamp = pd.to_datetime(attempt, dayfirst=not (year_first or us_order), format="mixed")
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
    if header_key(text) in _PENDING:
        return f"status '{text}' belum final (pesan belum terkirim); impor laporan yang lebih baru"
    return (f"status '{text}' tidak dikenal (dikenali: terkirim/sent, diterima/delivered, "
            "dibaca/read, gagal/failed, bukan pengguna WhatsApp/not on WhatsApp)")


def normalize_report(raw: pd.DataFrame, row_numbers: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(accepted rows: phone, name, status, status_at, status_text, row, key; rejected rows:
    `_row`, `_reason` and the raw cells)."""
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
        if code is None:
            why.append(_status_problem(text))
        at, problem = times[i]
        if problem:
            why.append(problem)
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
    SHOWN = ("file", "status", "rows_read", "new", "unchanged", "duplicates", "rejected", "message")
    LABELS = {"unchanged": "Sudah ada"}


def import_delivery_reports(con: sqlite3.Connection, folder: Path, settings: Settings,
                            run_dir: Path | None, run_id: str | None) -> DeliveryImport:
    """Import every new delivery report in `folder`; write the rejects into run_dir."""
    reports, rejects = [], []
    for path in input_files(folder):
        report, rej = _import_file(con, path, settings, run_id)
        reports.append(report)
        if rej is not None and not rej.empty:
            rejects.append(rej)
    result = DeliveryImport(
        files=reports,
        rejects=concat_frames(rejects, ["Berkas", "Baris", "Alasan"]),
    )
    if run_dir is not None and reports:
        result.outputs = [write_workbook(Path(run_dir) / REJECTS_FILE,
                                         {"Ditolak": result.rejects,
                                          "Ringkasan Berkas": result.files_frame()})]
    return result


def _import_file(con, path: Path, settings: Settings, run_id):
    sha, table, not_read = read_new_table(con, KIND, path, settings, REQUIRED, run_id)
    if not_read:
        return not_read, None
    accepted, rejected = normalize_report(table.frame, table.row_numbers)
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

def latest_status(con: sqlite3.Connection) -> pd.DataFrame:
    """The last reported status of each number: phone, status, status_at, status_text, file."""
    frame = pd.read_sql_query(
        "SELECT d.id, d.phone, d.status, d.status_at, d.status_text, l.file_name AS file "
        "FROM blast_deliveries d JOIN import_log l ON l.id = d.import_id", con)
    if frame.empty:
        return frame.drop(columns="id")
    # Undated rows sort before dated ones; among equals, the later import wins.
    frame["order"] = frame["status_at"].fillna("")
    frame = frame.sort_values(["phone", "order", "id"]).drop_duplicates("phone", keep="last")
    return frame.drop(columns=["id", "order"]).reset_index(drop=True)


def unreachable(con: sqlite3.Connection) -> dict[str, str]:
    """{phone: Indonesian reason} of the numbers whose last reported status is a failure."""
    last = latest_status(con)
    if last.empty:
        return {}
    failed = last[last["status"].isin(UNREACHABLE)]
    return {
        phone: (f"laporan blast WhatsApp ({file}"
                + (f", {at[:10]}" if isinstance(at, str) else "") + f"): {STATUS_TEXT[status]}")
        for phone, status, at, file in zip(failed["phone"], failed["status"],
                                            failed["status_at"], failed["file"])
    }
