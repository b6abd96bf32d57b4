"""Survey status from alumni messages in the WhatsApp group, by the rules in
data/aturan_wa.toml. Unclear cases go to staff review; nothing is guessed silently.

Every message comes back: either with a status (and the rule, confidence, employer),
or ignored with the reason (media, poll, chit-chat...), so the counts add up.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from kebekerjaan import wilayah
from kebekerjaan.normalize.phone import to_e164
from kebekerjaan.normalize.text import header_key

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Rule", "classify_messages", "classify_text", "load_rules"]

PLACE = "{tempat}"
# Reasons a message carries no status, as shown to staff.
IGNORE_MEDIA = "media"
IGNORE_DELETED = "pesan dihapus"
IGNORE_PENDING = "pesan belum terunduh (menunggu pesan)"
IGNORE_POLL = "survei/polling WhatsApp"
IGNORE_STAFF = "pesan admin/staf"
IGNORE_QUESTION = "pertanyaan atau pengumuman"
IGNORE_CHAT = "obrolan (bukan status)"
IGNORE_NO_SENDER = "pengirim tidak diketahui"

_PUNCT = ".,;:!?\"'()[]{}<>*~_"
_TERMINATORS = ",;!?:)\"'"


@dataclass(frozen=True)
class Rule:
    id: str
    status: str
    confidence: float
    patterns: tuple[re.Pattern, ...]
    negatable: bool
    description: str
    business_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    abbreviations: dict[str, str]
    negations: frozenset[str]
    negation_window: int
    stop_words: frozenset[str]
    legal_prefixes: frozenset[str]
    not_employers: frozenset[str]
    ignore: re.Pattern
    prefilter: re.Pattern  # words any rule needs; most chit-chat fails it at once


def _compile(pattern: str) -> re.Pattern:
    body = pattern.replace(PLACE, r"(?P<tempat>\S.*)")
    tail = "" if PLACE in pattern else r"(?!\w)"
    return re.compile(rf"(?<!\w)(?:{body}){tail}")


@cache
def load_rules() -> RuleSet:
    """The shipped rules, read and compiled once."""
    raw = resources.files("kebekerjaan").joinpath("data/aturan_wa.toml").read_text(encoding="utf-8")
    data = tomllib.loads(raw)
    text = data["text"]
    rules = tuple(
        Rule(
            id=r["id"],
            status=r["status"],
            confidence=float(r["confidence"]),
            patterns=tuple(_compile(p) for p in r["patterns"]),
            negatable=bool(r.get("negatable", True)),
            description=r.get("description", ""),
            business_words=frozenset(r.get("business_words", ())),
        )
        for r in data["rule"]
    )
    words = set()
    for r in data["rule"]:
        for p in r["patterns"]:
            # The first literal word of each alternative is enough for a cheap filter.
            words.update(re.findall(r"[a-z]{3,}", p.replace(PLACE, "")))
    prefilter = re.compile("|".join(sorted(words, key=len, reverse=True)))
    return RuleSet(
        rules=rules,
        abbreviations={k.casefold(): v for k, v in text["abbreviations"].items()},
        negations=frozenset(text["negations"]),
        negation_window=int(text["negation_window"]),
        stop_words=frozenset(text["stop_words"]),
        legal_prefixes=frozenset(text["legal_prefixes"]),
        not_employers=frozenset(header_key(w) for w in text["not_employers"]),
        ignore=re.compile("|".join(f"(?:{p})" for p in text["ignore_patterns"])),
        prefilter=prefilter,
    )


@cache
def _place_names() -> frozenset[str]:
    """header_key of every kab/kota name without its KABUPATEN/KOTA prefix, and provinces."""
    tables = wilayah.tables()
    names = set()
    for arr in (tables.kabkota_name, tables.prov_name):
        for name in arr:
            if name:
                bare = re.sub(r"^(?:kabupaten|kab\.?|kota)\s+", "", str(name), flags=re.I)
                names.add(header_key(bare))
    return frozenset(names)


def _core(token: str) -> str:
    return token.strip(_PUNCT)


def _normalize(text: str, rs: RuleSet) -> tuple[str, list[str], list[int]]:
    """(normalized text, original tokens, char offset of each token in the normalized text)."""
    tokens = text.split()
    norm: list[str] = []
    offsets: list[int] = []
    pos = 0
    for tok in tokens:
        low = tok.casefold()
        core = _core(low)
        repl = rs.abbreviations.get(core)
        if repl is not None and core:
            low = low.replace(core, repl, 1)
        offsets.append(pos)
        norm.append(low)
        pos += len(low) + 1
    return " ".join(norm), tokens, offsets


def _token_at(offsets: list[int], char: int) -> int:
    lo, hi = 0, len(offsets) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if offsets[mid] <= char:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _negated(norm_tokens: list[str], start_token: int, rs: RuleSet) -> bool:
    before = norm_tokens[max(0, start_token - rs.negation_window):start_token]
    return any(_core(t) in rs.negations for t in before)


def _employer(tokens: list[str], norm_tokens: list[str], first: int, rs: RuleSet,
              rule: Rule) -> str | None:
    """The name after "di"/"buka" in the original spelling, up to a stop word or comma."""
    out: list[str] = []
    for i in range(first, min(len(tokens), first + 8)):
        core = _core(norm_tokens[i])
        if not core or core in rs.stop_words:
            break
        if not any(ch.isalnum() for ch in tokens[i]):
            break  # an emoji or a lone dash
        out.append(tokens[i])
        tail = norm_tokens[i][len(norm_tokens[i].rstrip(_PUNCT)):]
        if any(ch in _TERMINATORS for ch in tail):
            break
        if "." in tail and core not in rs.legal_prefixes:
            break
    if not out:
        return None
    name = " ".join(out).strip(_PUNCT + " ")
    if rule.business_words:
        words = name.casefold().split()
        if not any(" ".join(words[:k]) in rule.business_words for k in (1, 2)):
            return "\x00"  # not a business: the rule does not apply
        if len(words) > 1 and words[0] in ("usaha", "bisnis"):
            name = name.split(" ", 1)[1]
    key = header_key(name)
    if not key or key in rs.not_employers or key in _place_names():
        return None
    return name


@dataclass
class _Hit:
    rule: Rule
    employer: str | None


def classify_text(text: str, rs: RuleSet | None = None) -> tuple[list[_Hit], bool]:
    """Rule hits of one message, and whether it was ignored as a question/announcement."""
    rs = rs or load_rules()
    norm, tokens, offsets = _normalize(text, rs)
    if not norm or not rs.prefilter.search(norm):
        return [], False
    if rs.ignore.search(norm):
        return [], True
    norm_tokens = norm.split(" ")
    hits: list[_Hit] = []
    for rule in rs.rules:
        for pattern in rule.patterns:
            found = None
            for m in pattern.finditer(norm):
                start_tok = _token_at(offsets, m.start())
                if rule.negatable and _negated(norm_tokens, start_tok, rs):
                    continue
                employer = None
                if "tempat" in pattern.groupindex and m.group("tempat"):
                    employer = _employer(tokens, norm_tokens, _token_at(offsets, m.start("tempat")),
                                         rs, rule)
                    if employer == "\x00":
                        continue
                found = _Hit(rule, employer)
                break
            if found is not None:
                hits.append(found)
                break
    return hits, False


@lru_cache(maxsize=65536)
def _classify_cached(text: str) -> tuple[list[_Hit], bool]:
    # Group chats repeat short replies ("belum kerja", "mantap"); read each text once.
    return classify_text(text)


def classify_messages(messages: pd.DataFrame, settings=None) -> pd.DataFrame:
    """Every message with its survey status, or why it has none.

    Added columns: status (code or None), employer, rule (id or None), confidence,
    review (bool: staff must check), note (why, in Indonesian), ignored (bool),
    ignore_reason. `attrs["counts"]` holds pesan / berstatus / diabaikan / periksa, and
    `attrs["ignored"]` the number ignored.
    """
    if settings is None:
        from kebekerjaan.config import load_settings

        settings = load_settings(None)
    conf = settings.raw["answers"]
    review_below = float(conf["review_below"])
    window = pd.Timedelta(days=int(conf["disagree_window_days"]))
    staff = {header_key(s) for s in conf["staff_senders"]}
    staff |= {p for p in (to_e164(s) for s in conf["staff_senders"]) if p}
    n = len(messages)
    status: list[str | None] = [None] * n
    employer: list[str | None] = [None] * n
    rule_ids: list[str | None] = [None] * n
    confidence: list[float | None] = [None] * n
    review = [False] * n
    notes: list[list[str]] = [[] for _ in range(n)]
    ignore_reason: list[str | None] = [None] * n

    cols = messages[["sender", "sender_phone", "text", "is_media", "is_poll"]]
    absent = pd.Series(False, index=messages.index)
    deleted = messages["is_deleted"] if "is_deleted" in messages else absent
    pending = messages["is_pending"] if "is_pending" in messages else absent
    for i, (sender, phone, text, media, poll, gone, waiting) in enumerate(
        zip(cols["sender"], cols["sender_phone"], cols["text"], cols["is_media"], cols["is_poll"],
            deleted, pending)
    ):
        if media:
            ignore_reason[i] = IGNORE_MEDIA
            continue
        if gone:
            ignore_reason[i] = IGNORE_DELETED
            continue
        if waiting:
            ignore_reason[i] = IGNORE_PENDING
            continue
        if poll:
            ignore_reason[i] = IGNORE_POLL
            continue
        if not sender:
            ignore_reason[i] = IGNORE_NO_SENDER
            continue
        if header_key(sender) in staff or (phone and phone in staff):
            ignore_reason[i] = IGNORE_STAFF
            continue
        hits, question = _classify_cached(str(text))
        if question:
            ignore_reason[i] = IGNORE_QUESTION
            continue
        if not hits:
            ignore_reason[i] = IGNORE_CHAT
            continue
        best = max(hits, key=lambda h: h.rule.confidence)
        status[i] = best.rule.status
        rule_ids[i] = best.rule.id
        confidence[i] = best.rule.confidence
        employer[i] = best.employer or next(
            (h.employer for h in hits if h.employer and h.rule.status == best.rule.status), None)
        statuses = sorted({h.rule.status for h in hits})
        if len(statuses) > 1:
            review[i] = True
            notes[i].append(f"cocok dengan aturan untuk lebih dari satu status: {', '.join(statuses)}")
        if best.rule.confidence < review_below:
            review[i] = True
            notes[i].append(f"keyakinan rendah ({best.rule.confidence:.2f}): {best.rule.description}")

    out = messages.copy()
    out["status"] = pd.Series(status, index=out.index, dtype=object)
    out["employer"] = pd.Series(employer, index=out.index, dtype=object)
    out["rule"] = pd.Series(rule_ids, index=out.index, dtype=object)
    out["confidence"] = pd.Series(confidence, index=out.index, dtype="float64")
    out["ignored"] = pd.Series([r is not None for r in ignore_reason], index=out.index)
    out["ignore_reason"] = pd.Series(ignore_reason, index=out.index, dtype=object)
    _disagreements(out, review, notes, window)
    out["review"] = pd.Series(review, index=out.index, dtype=bool)
    out["note"] = pd.Series(["; ".join(x) or None for x in notes], index=out.index, dtype=object)
    counts = {
        "pesan": n,
        "berstatus": int(out["status"].notna().sum()),
        "diabaikan": int(out["ignored"].sum()),
        "periksa": int(out["review"].sum()),
    }
    out.attrs["counts"] = counts
    out.attrs["ignored"] = counts["diabaikan"]
    return out


def _disagreements(out: pd.DataFrame, review: list[bool], notes: list[list[str]],
                   window: pd.Timedelta) -> None:
    """Flag replies of one sender whose statuses differ within `window` of each other."""
    who = out["sender_phone"].where(out["sender_phone"].notna(), out["sender"])
    sub = pd.DataFrame({"who": who, "t": out["sent_at"], "status": out["status"],
                        "pos": np.arange(len(out))})[out["status"].notna()]
    sub = sub.sort_values(["who", "t"], kind="stable")
    others = pd.Series([""] * len(sub), index=sub.index, dtype=object)
    for status in sorted(sub["status"].unique()):
        # Nearest reply with this status before and after each row, same sender.
        ts = sub["t"].where(sub["status"] == status)
        grouped = ts.groupby(sub["who"], sort=False)
        near = ((sub["t"] - grouped.ffill()) <= window) | ((grouped.bfill() - sub["t"]) <= window)
        hit = near & (sub["status"] != status)
        others[hit] = others[hit] + ", " + status
    flagged = others[others != ""]
    for pos, names in zip(sub.loc[flagged.index, "pos"], flagged):
        review[pos] = True
        notes[pos].append(f"pengirim yang sama juga menjawab {names[2:]} dalam {window.days} hari")
