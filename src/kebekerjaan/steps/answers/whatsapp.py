"""WhatsApp group chat exports (SOP step 7): parse every line, keep every message.

Reads the `.txt` export (or the `.zip` WhatsApp makes around it) from Android and iOS,
Indonesian and English phones, 12 h and 24 h clocks, ":" or "." in times, "[...]"
brackets, two- or four-digit years, day-first or month-first dates (decided once per
file from the data, with the reason). Each physical line is a message start, a
continuation of the message above, a system line, or (only before the first message of
a truncated file) a line without a message to belong to; `line_kinds` counts them.
"""

from __future__ import annotations

import hashlib
import re
import sys
import zipfile
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from kebekerjaan.core.errors import InputFileError
from kebekerjaan.io.normalize.phone import to_e164

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "DAY_FIRST",
    "MONTH_FIRST",
    "YEAR_FIRST",
    "ParsedChat",
    "classify_messages",
    "message_key",
    "message_keys",
    "new_messages",
    "parse_chat",
    "read_chat_text",
]

DAY_FIRST, MONTH_FIRST, YEAR_FIRST = "hari-bulan", "bulan-hari", "tahun-bulan-hari"
# Line kinds, as shown to staff.
MESSAGE, CONTINUATION, SYSTEM, UNATTACHED = "pesan", "lanjutan", "sistem", "tanpa_induk"
COLUMNS = ["sent_at", "sender", "sender_phone", "text", "line_start", "is_media", "is_poll",
           "is_deleted", "is_pending"]

# Left-to-right/right-to-left marks and embeddings WhatsApp scatters around names,
# system texts and media notes; a BOM at the start of the file.
_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068"
                                    "\u2069\ufeff"))
_HEADER = re.compile(
    r"(?P<br>\[)?"
    # Year-first dates may have one-digit month and day ("2026/7/9").
    r"(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{1,4}),?\s"
    r"(?P<H>\d{1,2})(?P<sep>[:.])(?P<M>\d{2})(?:[:.](?P<S>\d{2}))?"
    r"(?:\s?(?P<ampm>[AaPp])\.?\s?[Mm]\.?)?"
    # "[...] ", " - " (some phones write two spaces before the dash), or the old iOS
    # shape "13/06/15 17:56:34: Name: text".
    r"(?(br)\]\s?|(?:\s+[-\u2013]\s|:\s))"
    r"(?P<body>.*)"
)
# "Name:text" with no space after the colon (some exports, some re-saved files).
_TIGHT_SENDER = re.compile(r"(?P<sender>[^:]{1,80}):(?!//)(?P<msg>.*)")
_LRM = "\u200e"
_PHONE_SENDER = re.compile(r"\+?\d[\d\s\-().\u00a0\u202f]{6,}\d")


@dataclass(frozen=True)
class _Format:
    system: re.Pattern
    media: re.Pattern
    deleted: re.Pattern
    pending: re.Pattern
    edited: re.Pattern
    poll_starts: tuple[str, ...]
    indonesian: tuple[str, ...]
    english: tuple[str, ...]


def _alternation(patterns: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@cache
def _format() -> _Format:
    text = resources.files("kebekerjaan").joinpath("data/wa_format.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    edited = "|".join(re.escape(p) for p in data["edited"]["patterns"])
    return _Format(
        system=_alternation(data["system"]["patterns"]),
        media=_alternation(data["media"]["patterns"]),
        deleted=_alternation(data["deleted"]["patterns"]),
        pending=_alternation(data["pending"]["patterns"]),
        edited=re.compile(rf"\s*(?:{edited})\s*$", re.IGNORECASE),
        poll_starts=tuple(data["poll"]["starts"]),
        indonesian=tuple(data["language"]["indonesian"]),
        english=tuple(data["language"]["english"]),
    )


@dataclass
class ParsedChat:
    """One chat export: its messages and how every line of it was read."""

    messages: pd.DataFrame  # COLUMNS, one row per message, in file order
    system_lines: int
    date_order: str  # "hari-bulan", "bulan-hari" or "tahun-bulan-hari"
    reason: str  # why that order, in Indonesian
    line_kinds: dict[str, int] = field(default_factory=dict)
    lines: int = 0
    bad_dates: int = 0  # message starts whose date does not fit the file's order
    source: str | None = None
    bad_bytes_lines: int = 0  # lines holding bytes that are not text (each shown as U+FFFD)


def read_chat_text(path: Path) -> str:
    """Text of a chat export: the .txt itself, or the chat(s) inside a .zip (one after
    the other)."""
    return "\n".join(text for _, text, _ in _read_chats(Path(path)))


def _read_chats(path: Path) -> list[tuple[str, str, int]]:
    """(name, text, lines with undecodable bytes) of each chat in an export: the .txt
    itself, or every chat .txt in a .zip (WhatsApp's own zip holds one; staff may zip
    several exports together)."""
    if not path.is_file():
        raise InputFileError(path, "berkas tidak ditemukan")
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as zf:
                texts = [n for n in zf.namelist()
                         if n.lower().endswith(".txt") and not Path(n).name.startswith(".")
                         and not n.startswith("__MACOSX/")]
                if not texts:
                    raise InputFileError(path, "tidak ada berkas obrolan (.txt) di dalam zip")
                members = [(n, zf.read(n)) for n in _chat_members(texts)]
        except zipfile.BadZipFile as exc:
            raise InputFileError(path, "bukan berkas zip yang utuh") from exc
    else:
        members = [(path.name, path.read_bytes())]
    out = [(name, *decode_chat(data)) for name, data in members
           if data.strip(b"\x00 \t\r\n\xff\xfe")]
    if not out:
        raise InputFileError(path, "berkas obrolan kosong")
    return out


def decode_chat(data: bytes) -> tuple[str, int]:
    """(text, number of lines with bytes that are not text) of a chat file's bytes.

    WhatsApp writes UTF-8; a chat re-saved by a Windows editor may be UTF-16 (with or
    without a byte-order mark). A stray invalid byte spoils only its own character:
    each line is decoded by itself and the byte becomes U+FFFD, so every other
    character of the file stays right.
    """
    encoding = _utf16(data)
    if encoding:
        text = data.decode(encoding, errors="replace").lstrip("\ufeff")
        return text, sum("\ufffd" in line for line in text.split("\n"))
    try:
        return data.decode("utf-8-sig"), 0
    except UnicodeDecodeError:
        pass
    lines, bad = [], 0
    for raw in data.split(b"\n"):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(raw.decode("utf-8", errors="replace"))
            bad += 1
    return "\n".join(lines).lstrip("\ufeff"), bad


def _utf16(data: bytes) -> str | None:
    if data[:2] == b"\xff\xfe":
        return "utf-16"
    if data[:2] == b"\xfe\xff":
        return "utf-16"
    # Without a byte-order mark: ASCII digits and brackets leave a zero byte in every
    # other position (even positions for big-endian, odd for little-endian).
    head = data[:4000]
    if len(head) >= 8 and head.count(b"\x00") >= len(head) // 3:
        odd = head[1::2].count(b"\x00")
        even = head[0::2].count(b"\x00")
        return "utf-16-le" if odd > even else "utf-16-be"
    return None


def _chat_members(names: list[str]) -> list[str]:
    """The chats among a zip's .txt members: those WhatsApp names as chats ("_chat.txt",
    "WhatsApp Chat ...") when there are any (beside a note), else every one."""
    preferred = [n for n in names if Path(n).name == "_chat.txt"
                 or Path(n).name.lower().startswith(("whatsapp chat", "chat whatsapp"))]
    return preferred or names


def _load(source: str | Path) -> list[tuple[str, str | None, int]]:
    """(text, name, undecodable lines) of each chat in `source` (a path or the text)."""
    if isinstance(source, Path):
        return _loaded(source)
    if "\n" not in source and source.lower().endswith((".txt", ".zip")) and Path(source).is_file():
        return _loaded(Path(source))
    return [(source, None, 0)]


def _loaded(path: Path) -> list[tuple[str, str, int]]:
    chats = _read_chats(path)
    if len(chats) == 1:
        return [(chats[0][1], path.name, chats[0][2])]
    return [(text, f"{path.name}: {name}", bad) for name, text, bad in chats]


def physical_lines(text: str) -> list[str]:
    """Lines as staff count them in an editor: CRLF or LF ends a line."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


@lru_cache(maxsize=4096)
def _sender_phone(sender: str) -> str | None:
    if not _PHONE_SENDER.fullmatch(sender):
        return None
    return to_e164(sender)


def _clean_sender(sender: str) -> str:
    # Unsaved contacts may show as "~ Name" (narrow no-break space after the tilde).
    return " ".join(sender.lstrip("~").split())


def parse_chat(source: str | Path, settings=None, *, default_order: str | None = None) -> ParsedChat:
    """Parse a chat export given as text, or as a path to its .txt/.zip.

    The default order (`answers.chat_date_order` in settings, or `default_order`) is used
    only when neither the dates, nor their chronology, nor the export's language decide
    day-first vs month-first.
    """
    configured = settings is not None or default_order is not None
    if default_order is None:
        default_order = settings.answers.chat_date_order if settings else DAY_FIRST
    chats = _load(source)
    if len(chats) > 1:  # a zip of several exports: each read as the chat it is
        parts = [_parse_text(text, name, bad, default_order, configured)
                 for text, name, bad in chats]
        return _combined(parts, Path(source).name)
    return _parse_text(*chats[0], default_order, configured)


def _combined(parts: list[ParsedChat], name: str) -> ParsedChat:
    """Several chats of one zip as one: messages one chat after the other, line numbers
    counted on through the chats (the reason says which lines are which chat)."""
    frames, spans, offset = [], [], 0
    for part in parts:
        frames.append(part.messages.assign(line_start=part.messages["line_start"] + offset))
        spans.append(f"{part.source} (baris {offset + 1}-{offset + part.lines}): urutan tanggal "
                     f"{part.date_order}, {part.reason}")
        offset += part.lines
    orders = {p.date_order for p in parts}
    kinds: dict[str, int] = {}
    for part in parts:
        for k, v in part.line_kinds.items():
            kinds[k] = kinds.get(k, 0) + v
    return ParsedChat(
        messages=pd.concat(frames, ignore_index=True),
        system_lines=sum(p.system_lines for p in parts),
        date_order=orders.pop() if len(orders) == 1 else "campuran",
        reason=f"zip berisi {len(parts)} obrolan: " + " | ".join(spans),
        line_kinds=kinds,
        lines=offset,
        bad_dates=sum(p.bad_dates for p in parts),
        source=name,
        bad_bytes_lines=sum(p.bad_bytes_lines for p in parts),
    )


def _parse_text(text: str, name: str | None, bad_bytes: int, default_order: str,
                configured: bool) -> ParsedChat:
    fmt = _format()
    # iOS marks its notices with U+200E before the notice text; where the file has such
    # marks, a bracketed line is a notice only when marked, whatever its text says.
    marked_file = _LRM in text
    lines = physical_lines(text)
    header = _HEADER.match
    system_match = fmt.system.fullmatch
    kinds = {MESSAGE: 0, CONTINUATION: 0, SYSTEM: 0, UNATTACHED: 0}
    # Date/time parts of every header line (messages and system lines), for the order.
    parts: list[tuple] = []
    msg_parts: list[int] = []  # index into parts of each message
    senders: list[str] = []
    bodies: list[list[str]] = []
    starts: list[int] = []
    current: list[str] | None = None  # lines of the message being read
    in_system = False
    chat_name: str | None = None  # iOS: the sender of the chat's own notices
    for lineno, raw in enumerate(lines, start=1):
        line = raw.translate(_INVISIBLE) if not raw.isascii() else raw
        m = header(line)
        if m is None:
            if current is not None and not in_system:
                current.append(line)
                kinds[CONTINUATION] += 1
            elif in_system:
                kinds[SYSTEM] += 1  # e.g. a new group description spanning lines
            else:
                kinds[UNATTACHED] += 1
            continue
        parts.append((m["a"], m["b"], m["c"], m["H"], m["M"], m["S"], m["ampm"], m["sep"], lineno))
        body = m["body"]
        sender, sep, msg = body.partition(": ")
        if not sep and body.endswith(":"):
            sender, sep, msg = body[:-1], ":", ""
        if not sep and not system_match(body):
            tight = _TIGHT_SENDER.fullmatch(body)
            if tight and tight["sender"].strip():
                sender, sep, msg = tight["sender"], ":", tight["msg"]
        notice = False
        if sep and m["br"]:
            if marked_file:
                notice = _marked_notice(raw, sender, msg, chat_name, fmt)
                if notice and chat_name is None:
                    chat_name = sender
            else:
                notice = bool(system_match(msg.strip()))
        if not sep or notice or (not m["br"] and system_match(body)):
            kinds[SYSTEM] += 1
            in_system, current = True, None
            continue
        kinds[MESSAGE] += 1
        in_system = False
        current = [msg]
        bodies.append(current)
        senders.append(sender)
        starts.append(lineno)
        msg_parts.append(len(parts) - 1)

    order, reason = _decide_order(parts, default_order, text, fmt, configured)
    stamps = _timestamps(parts, order)
    sent_at = stamps[msg_parts] if msg_parts else stamps[:0]
    texts = ["\n".join(b) for b in bodies]
    texts = [fmt.edited.sub("", t) if t.endswith(">") else t for t in texts]
    clean = [_clean_sender(s) for s in senders]
    messages = pd.DataFrame({
        "sent_at": pd.Series(sent_at, dtype="datetime64[ns]"),
        "sender": pd.Series(clean, dtype=object),
        "sender_phone": pd.Series([_sender_phone(s) for s in clean], dtype=object),
        "text": pd.Series(texts, dtype=object),
        "line_start": pd.Series(starts, dtype="int64"),
        "is_media": [bool(fmt.media.fullmatch(t.strip())) for t in texts],
        "is_poll": [t.lstrip().startswith(fmt.poll_starts) for t in texts],
        "is_deleted": [bool(fmt.deleted.fullmatch(t.strip())) for t in texts],
        "is_pending": [bool(fmt.pending.fullmatch(t.strip())) for t in texts],
    }, columns=COLUMNS)
    if bad_bytes:
        reason += (f"; {bad_bytes} baris memuat byte yang bukan teks (ditampilkan sebagai "
                   "\ufffd, karakter lain di baris itu tetap)")
    return ParsedChat(
        messages=messages,
        system_lines=kinds[SYSTEM],
        date_order=order,
        reason=reason,
        line_kinds=kinds,
        lines=len(lines),
        bad_dates=int(messages["sent_at"].isna().sum()),
        source=name,
        bad_bytes_lines=bad_bytes,
    )


def _marked_notice(raw: str, sender: str, msg: str, chat_name: str | None, fmt: _Format) -> bool:
    """An iOS notice: U+200E right before its text, and a notice's wording or sender."""
    after = raw.partition("]")[2]
    raw_msg = after.partition(": ")[2] if ": " in after else after.partition(":")[2]
    text = msg.strip()
    if not raw_msg.startswith(_LRM):
        # The alumnus typed it: a message, even if it reads like a notice. Only the chat
        # itself (its name as sender) writes notices without the mark.
        return chat_name is not None and sender == chat_name and bool(fmt.system.fullmatch(text))
    if fmt.system.fullmatch(text):
        return True
    # A marked line from the chat itself (its name as sender) that is no attachment.
    return (chat_name is not None and sender == chat_name and not fmt.media.fullmatch(text)
            and not fmt.deleted.fullmatch(text) and not fmt.pending.fullmatch(text))


def _ints(parts: list[tuple], k: int) -> np.ndarray:
    return np.array([int(p[k]) if p[k] else 0 for p in parts], dtype=np.int64)


def _decide_order(parts: list[tuple], default: str, text: str, fmt: _Format,
                  configured: bool = False) -> tuple[str, str]:
    """(order, Indonesian reason): the data, chronology, an English US export, then the
    configured order; only without one do the clock style and the language decide."""
    if not parts:
        return default, f"tidak ada baris bertanggal; dipakai pengaturan ({default})"
    if all(len(p[0]) == 4 for p in parts):
        return YEAR_FIRST, "tanggal ditulis tahun-bulan-tanggal"
    a, b = _ints(parts, 0), _ints(parts, 1)

    def example(i: int) -> str:
        p = parts[i]
        return f"'{p[0]}/{p[1]}/{p[2]}' (baris {p[8]})"

    day = np.flatnonzero(a > 12)
    month = np.flatnonzero(b > 12)
    if len(day) and not len(month):
        return DAY_FIRST, f"ada tanggal dengan angka pertama lebih dari 12, mis. {example(day[0])}"
    if len(month) and not len(day):
        return MONTH_FIRST, f"ada tanggal dengan angka kedua lebih dari 12, mis. {example(month[0])}"
    if len(day) and len(month):
        order = DAY_FIRST if len(day) >= len(month) else MONTH_FIRST
        return order, (f"berkas mencampur dua urutan tanggal ({example(day[0])} dan "
                       f"{example(month[0])}); dipakai yang lebih banyak ({order}); pesan "
                       "yang tanggalnya tidak cocok tidak diberi waktu")
    # Every date reads both ways. An export is chronological: the right reading never
    # goes back in time (much).
    c = _ints(parts, 2)
    backwards = {}
    for order, (mo, d) in ((DAY_FIRST, (b, a)), (MONTH_FIRST, (a, b))):
        key = c * 10_000 + mo * 100 + d
        backwards[order] = int(np.sum(np.diff(key) < 0))
    if backwards[DAY_FIRST] != backwards[MONTH_FIRST]:
        order = min(backwards, key=backwards.get)
        other = MONTH_FIRST if order == DAY_FIRST else DAY_FIRST
        return order, (f"semua tanggal bisa dibaca dua arah; dibaca {order} urutan pesan "
                       f"maju menurut waktu, dibaca {other} mundur {backwards[other]} kali")
    sample = text[:200_000]
    indonesian = any(w in sample for w in fmt.indonesian)
    english = any(w in sample for w in fmt.english)
    if english and not indonesian and any(p[6] and p[6].isupper() for p in parts):
        return MONTH_FIRST, ("semua tanggal bisa dibaca dua arah; ekspor berbahasa Inggris "
                             "dengan jam AM/PM (setelan Amerika), jadi tanggal bulan-hari")
    if configured:
        # An Indonesian phone set to a US region writes "[1/10/25 21.41.35]" month first:
        # the dotted clock and the language say nothing about the date order.
        return default, f"semua tanggal bisa dibaca dua arah; dipakai pengaturan ({default})"
    if any(p[7] == "." for p in parts):
        return DAY_FIRST, ("semua tanggal bisa dibaca dua arah; jam ditulis dengan titik "
                           "(setelan Indonesia), jadi tanggal hari-bulan")
    if indonesian and not english:
        return DAY_FIRST, ("semua tanggal bisa dibaca dua arah; ekspor berbahasa Indonesia, "
                           "jadi tanggal hari-bulan")
    return default, f"semua tanggal bisa dibaca dua arah; dipakai pengaturan ({default})"


def _timestamps(parts: list[tuple], order: str) -> np.ndarray:
    if not parts:
        return np.array([], dtype="datetime64[ns]")
    a, b, c = _ints(parts, 0), _ints(parts, 1), _ints(parts, 2)
    if order == YEAR_FIRST:
        year, month, day = a, b, c
    elif order == MONTH_FIRST:
        year, month, day = c, a, b
    else:
        year, month, day = c, b, a
    year = np.where(year < 100, year + 2000, year)
    hour = _ints(parts, 3)
    ampm = np.array([(p[6] or "").lower() for p in parts], dtype=object)
    hour = np.where(ampm == "p", hour % 12 + 12, np.where(ampm == "a", hour % 12, hour))
    frame = pd.DataFrame({"year": year, "month": month, "day": day, "hour": hour,
                          "minute": _ints(parts, 4), "second": _ints(parts, 5)})
    return pd.to_datetime(frame, errors="coerce").to_numpy()


def message_key(row) -> str:
    """Stable identity of a message across exports: sha1 of sent_at, sender and text.

    WhatsApp exports the whole history each time; keys let an import add only the new
    messages. `row` is a mapping or a namedtuple/Series with those three fields.
    """
    get = row.get if hasattr(row, "get") else lambda k: getattr(row, k)
    sent = get("sent_at")
    sent_text = "" if sent is None or pd.isna(sent) else pd.Timestamp(sent).isoformat()
    payload = "\x1f".join((sent_text, str(get("sender")), str(get("text"))))
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def message_keys(messages: pd.DataFrame) -> pd.Series:
    """message_key of every row, same index."""
    sent = messages["sent_at"]
    sent_text = [("" if pd.isna(s) else pd.Timestamp(s).isoformat()) for s in sent]
    keys = [
        hashlib.sha1("\x1f".join((s, str(who), str(t))).encode("utf-8")).hexdigest()
        for s, who, t in zip(sent_text, messages["sender"], messages["text"])
    ]
    return pd.Series(keys, index=messages.index, dtype=object)


def new_messages(messages: pd.DataFrame, known_keys) -> pd.DataFrame:
    """Messages whose key is not in `known_keys` (those of earlier imports), with `key`."""
    keys = message_keys(messages)
    out = messages.assign(key=keys)
    return out.loc[~keys.isin(set(known_keys))].reset_index(drop=True)


def classify_messages(messages: pd.DataFrame, settings=None, learned=None) -> pd.DataFrame:
    """See kebekerjaan.steps.answers.classify.classify_messages."""
    from kebekerjaan.steps.answers.classify import classify_messages as _classify

    return _classify(messages, settings, learned)

